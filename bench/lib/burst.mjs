// Effect (signals, files, processes): the log-burst measurement. A writer waits for SIGUSR2 and then writes
// BYTES to its stdout; the clock runs from the signal until the target file has grown by BYTES, polled the
// same way whether the bytes pass through a daemon or go straight to a file (the limit). Rounds alternate
// between the two, after one unmeasured round that warms the page cache allocator for both.
import { spawn } from 'node:child_process';
import { closeSync, createReadStream, openSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ROOT } from './daemon.mjs';
import { MARK } from './procfs.mjs';
import { burstDigest } from '../fixtures/burst-content.mjs';

export const BURST_WRITER = join(ROOT, 'bench/fixtures/burst-writer.mjs');
const SIGUSR2_BIT = 1n << 11n;
const POLL_MS = 2;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The [program:burst] section: the writer under the daemon, its stdout in one never-rotated file. */
export function burstSection(logfile, bytes) {
  return (
    `[program:burst]\ncommand=${process.execPath} ${BURST_WRITER} ${bytes}\nstartsecs=0\nautorestart=false\n` +
    `stdout_logfile=${logfile}\nstdout_logfile_maxbytes=0\n`
  );
}

/** Waits until `pid` has a SIGUSR2 handler installed. */
export async function waitForHandler(pid, timeoutMs) {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    try {
      const m = /^SigCgt:\s+([0-9a-f]+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m && (BigInt(`0x${m[1]}`) & SIGUSR2_BIT) !== 0n) return true;
    } catch {
      return false;
    }
    await sleep(10);
  }
  return false;
}

function size(file) {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Signals the writer; ms until `file` has grown by `bytes`, or null after `timeoutMs`. */
export async function timeOneBurst(pid, file, bytes, timeoutMs) {
  const target = size(file) + bytes;
  const t = performance.now();
  process.kill(pid, 'SIGUSR2');
  const end = t + timeoutMs;
  while (performance.now() < end) {
    if (size(file) >= target) return performance.now() - t;
    await sleep(POLL_MS);
  }
  return null;
}

/** Whether `file` holds exactly `rounds` bursts of `bytes`, byte for byte. */
export async function checkBurstFile(file, bytes, rounds) {
  const final = size(file);
  const h = createHash('sha1');
  for await (const chunk of createReadStream(file)) h.update(chunk);
  const expected = bytes * rounds;
  return {
    lostBytes: Math.max(0, expected - final),
    extraBytes: Math.max(0, final - expected),
    intact: final === expected && h.digest('hex') === burstDigest(bytes, rounds),
  };
}

/** The limit: the same writer with stdout redirected straight to `file` (as `writer > file`). */
export async function startDirectWriter({ file, bytes, runId }) {
  const fd = openSync(file, 'w');
  const cp = spawn(process.execPath, [BURST_WRITER, String(bytes)], {
    stdio: ['ignore', fd, 'ignore'],
    env: { ...process.env, [MARK]: runId },
  });
  closeSync(fd);
  if (!(await waitForHandler(cp.pid, 10_000))) {
    cp.kill('SIGKILL');
    throw new Error('the direct burst writer never became ready');
  }
  return { pid: cp.pid, stop: () => cp.kill('SIGKILL') };
}
