// Effect (signals, files, processes): the log-burst measurement. The writer waits for SIGUSR2; the clock runs
// from that signal until the target file holds every byte, polled the same way whether the bytes pass
// through a daemon or go straight to the file (the limit).
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

const digests = new Map();
function expectedDigest(bytes) {
  if (!digests.has(bytes)) digests.set(bytes, burstDigest(bytes));
  return digests.get(bytes);
}

/** The [program:burst] section: the writer under the daemon, its stdout in one never-rotated file. */
export function burstSection(logfile, bytes) {
  return (
    `[program:burst]\ncommand=${process.execPath} ${BURST_WRITER} ${bytes}\nstartsecs=0\nautorestart=false\n` +
    `stdout_logfile=${logfile}\nstdout_logfile_maxbytes=0\n`
  );
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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

async function sha1(file) {
  const h = createHash('sha1');
  for await (const chunk of createReadStream(file)) h.update(chunk);
  return h.digest('hex');
}

/**
 * Signals the writer and times until `file` holds `bytes`. Then waits for the writer to finish and checks
 * the file's content: {ms, lostBytes, intact}. ms is null when the bytes never all arrived.
 */
export async function timeBurst({ pid, file, bytes, timeoutMs, writerGone }) {
  const t = performance.now();
  process.kill(pid, 'SIGUSR2');
  let ms = null;
  const end = t + timeoutMs;
  while (performance.now() < end) {
    if (size(file) >= bytes) {
      ms = performance.now() - t;
      break;
    }
    await sleep(POLL_MS);
  }
  await Promise.race([writerGone(), sleep(5000)]);
  const final = size(file);
  const intact = final === bytes && (await sha1(file)) === expectedDigest(bytes);
  return { ms, lostBytes: Math.max(0, bytes - final), extraBytes: Math.max(0, final - bytes), intact };
}

/** The limit: the same writer with stdout redirected straight to `file`, under the same conditions. */
export async function timeDirectBurst({ file, bytes, runId, timeoutMs }) {
  const fd = openSync(file, 'w');
  const cp = spawn(process.execPath, [BURST_WRITER, String(bytes)], {
    stdio: ['ignore', fd, 'ignore'],
    env: { ...process.env, [MARK]: runId },
  });
  closeSync(fd);
  const gone = new Promise((r) => cp.on('exit', r));
  try {
    if (!(await waitForHandler(cp.pid, 10_000))) throw new Error('burst writer never became ready');
    return await timeBurst({ pid: cp.pid, file, bytes, timeoutMs, writerGone: () => gone });
  } finally {
    cp.kill('SIGKILL');
  }
}
