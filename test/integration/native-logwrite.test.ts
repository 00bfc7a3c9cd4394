// The native log writer (native/svd_logwrite.c) behind regular log files: big chunks written off the JavaScript
// thread must still land whole, in order, across rotations and between files; a read of a log after a write sees
// it; a failed write is told with its errno and its lost bytes; an exit right after a write loses nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nativeLogWriter } from '../../src/adapters/native-spawn.js';
import { openLogFile, settleLogWrites, type LogFile } from '../../src/logs/log-file.js';
import type { LogFileError } from '../../src/logs/log-file-error.js';
import { readLogSlice } from '../../src/logs/read-log.js';
import { repoRoot } from '../support/paths.js';

const writer = nativeLogWriter();
const skip = writer ? false : 'the native addon is not built here (node native/build.mjs)';

const dist = join(repoRoot, 'dist', 'src');
let dir: string;
const opened: LogFile[] = [];
const mounts: string[] = [];

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'svd-logwrite-'));
});
after(() => {
  for (const log of opened) log.close();
  for (const m of mounts) spawnSync('umount', ['-l', m]);
  rmSync(dir, { recursive: true, force: true });
});

function open(path: string, maxbytes: number, backups: number, onError?: (e: LogFileError) => void): LogFile {
  const log = openLogFile({ path, maxbytes, backups, onError, writer });
  opened.push(log);
  return log;
}

/** Chunks of `total` printable bytes of a counter, in sizes that mix lines (written here) with reads of a flood (queued). */
function chunks(total: number, seed: number): Buffer[] {
  const out: Buffer[] = [];
  let s = seed;
  for (let at = 0; at < total;) {
    s = (s * 1103515245 + 12345) >>> 0;
    const size = Math.min(total - at, s % 3 === 0 ? 1 + (s % 4000) : 65536 - (s % 7));
    const chunk = Buffer.alloc(size);
    for (let i = 0; i < size; i++) chunk[i] = 32 + (((at + i) * 31 + seed) % 95);
    out.push(chunk);
    at += size;
  }
  return out;
}

function concatenated(path: string, backups: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = backups; i >= 1; i--) if (existsSync(`${path}.${i}`)) parts.push(readFileSync(`${path}.${i}`));
  parts.push(readFileSync(path));
  return Buffer.concat(parts);
}

test('every byte lands in order across rotations, two files interleaved', { skip }, () => {
  const a = join(dir, 'a.log');
  const b = join(dir, 'b.log');
  const errors: LogFileError[] = [];
  const logA = open(a, 1 << 20, 40, (e) => errors.push(e));
  const logB = open(b, 1 << 20, 40, (e) => errors.push(e));
  const forA = chunks(12 << 20, 7);
  const forB = chunks(6 << 20, 11);
  for (let i = 0; i < Math.max(forA.length, forB.length); i++) {
    if (forA[i]) logA.write(forA[i]!);
    if (forB[i]) logB.write(forB[i]!);
  }
  logA.close();
  logB.close();
  assert.deepEqual(errors, []);
  const gotA = concatenated(a, 40);
  const gotB = concatenated(b, 40);
  assert.equal(gotA.length, 12 << 20);
  assert.ok(gotA.equals(Buffer.concat(forA)), 'a.log and its backups hold what was written, in order');
  assert.ok(gotB.equals(Buffer.concat(forB)), 'b.log and its backups hold what was written, in order');
  // Rotation went by the bytes handed over, as without the writer: no file far past maxbytes.
  for (let i = 1; existsSync(`${a}.${i}`); i++) assert.ok(statSync(`${a}.${i}`).size < (1 << 20) + 65536);
  assert.ok(existsSync(`${a}.11`), 'a.log rotated about once per MiB');
});

test('a read of the log after a write sees every byte of it, before any close', { skip }, async () => {
  const path = join(dir, 'read.log');
  const log = open(path, 0, 0);
  const data = chunks(4 << 20, 3);
  for (const chunk of data) log.write(chunk);
  const total = data.reduce((n, c) => n + c.length, 0);
  assert.equal(log.size, total);
  // readLogSlice settles the queued writes itself (readProcessStdoutLog, tail -f).
  const tail = await readLogSlice(path, -100, 0, 1 << 20);
  assert.ok(tail.ok);
  assert.equal(tail.ok && tail.text, Buffer.concat(data).subarray(-100).toString());
  log.write(chunks(200_000, 5)[0]!);
  settleLogWrites();
  assert.equal(statSync(path).size, log.size);
});

test('a queued write that fails is told with its errno and the bytes lost', { skip }, () => {
  // In a process of its own, so that this test's handler does not replace the log files' one here. The
  // descriptor is open for reading: the thread's writev fails with EBADF.
  const path = join(dir, 'readonly');
  closeSync(openSync(path, 'w'));
  const script = `
    const fs = await import('node:fs');
    const { nativeLogWriter } = await import(${JSON.stringify(join(dist, 'adapters', 'native-spawn.js'))});
    const writer = nativeLogWriter();
    const told = [];
    writer.onWritten((token, code, dropped) => told.push([token, code, dropped]));
    const fd = fs.openSync(${JSON.stringify(path)}, 'r');
    const first = writer.write(fd, Buffer.alloc(100000, 1), 0, 7, false);
    const second = writer.write(fd, Buffer.alloc(50000, 1), first, 8, true);
    writer.wait(-1);
    const toldByWait = told.slice();
    setTimeout(() => console.log(JSON.stringify({ first, second, told, toldByWait })), 50);`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { timeout: 30_000 });
  assert.equal(run.status, 0, run.stderr.toString());
  const { first, second, told, toldByWait } = JSON.parse(run.stdout.toString()) as {
    first: number;
    second: number;
    told: unknown[];
    toldByWait: unknown[];
  };
  assert.ok(first > 0 && second > first, 'chunks of 100 and 50 kB are queued, numbered in order');
  assert.deepEqual(told, [
    [7, 'EBADF', 100_000],
    [8, 'EBADF', 50_000],
  ]);
  assert.deepEqual(toldByWait, told, 'told before the wait returned, and once only');
});

/** A fresh 1 MiB tmpfs under the test's folder, or null where mounting is not allowed. */
function smallDisk(name: string): string | null {
  const mnt = join(dir, name);
  mkdirSync(mnt);
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]).status !== 0) return null;
  mounts.push(mnt);
  return mnt;
}

/** 3 MiB of chunks written to a log on a fresh 1 MiB tmpfs; null where mounting is not allowed. */
function overfill(name: string, seed: number): { path: string; log: LogFile; errors: LogFileError[] } | null {
  const mnt = smallDisk(name);
  if (!mnt) return null;
  const path = join(mnt, `${name}.log`);
  const errors: LogFileError[] = [];
  const log = open(path, 0, 0, (e) => errors.push(e));
  for (const chunk of chunks(3 << 20, seed)) log.write(chunk);
  return { path, log, errors };
}

/** ENOSPC was told, and every byte is in the file or counted as dropped. */
function assertOverfillCounted({
  path,
  log,
  errors,
}: {
  path: string;
  log: LogFile;
  errors: LogFileError[];
}) {
  assert.ok(
    errors.some((e) => e.message.includes('ENOSPC')),
    `ENOSPC told: ${errors.map((e) => e.message)}`,
  );
  assert.ok(log.droppedBytes >= 2 << 20, `about 2 MiB dropped, got ${log.droppedBytes}`);
  assert.equal(statSync(path).size + log.droppedBytes, 3 << 20, 'every byte written or counted as dropped');
}

const noMount = 'no tmpfs mount here (not root, or no mount permission)';

test('a log file whose disk fills reports ENOSPC, counts what it dropped, and recovers', { skip }, (t) => {
  const filled = overfill('full', 9);
  if (!filled) return t.skip(noMount);
  // The wait tells what the writes came to before it returns: no turn of the loop is needed.
  settleLogWrites();
  assertOverfillCounted(filled);
  const { path, log } = filled;
  assert.notEqual(log.lastError, null);
  // Room again: the next queued write succeeds and the error is over.
  assert.equal(log.clear(), null);
  log.write(Buffer.alloc(100_000, 2));
  settleLogWrites();
  assert.equal(statSync(path).size, 100_000);
  assert.equal(log.lastError, null);
});

test('a failure of the writes queued just before a close is counted by the close', { skip }, (t) => {
  const filled = overfill('closing', 11);
  if (!filled) return t.skip(noMount);
  // No wait and no turn of the loop between the writes and the close: the process exited, its log closes.
  filled.log.close();
  assertOverfillCounted(filled);
});

test('an exit right after a write loses none of what was queued', { skip }, () => {
  const path = join(dir, 'exit.log');
  const script = `
    const { openLogFile } = await import(${JSON.stringify(join(dist, 'logs', 'log-file.js'))});
    const { nativeLogWriter } = await import(${JSON.stringify(join(dist, 'adapters', 'native-spawn.js'))});
    const log = openLogFile({ path: ${JSON.stringify(path)}, maxbytes: 0, backups: 0, writer: nativeLogWriter() });
    const chunk = Buffer.alloc(65536);
    for (let i = 0; i < 256; i++) { chunk.fill(i); log.write(Buffer.from(chunk)); }
    process.exit(0);`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { timeout: 30_000 });
  assert.equal(run.status, 0, run.stderr.toString());
  const got = readFileSync(path);
  assert.equal(got.length, 256 * 65536);
  for (let i = 0; i < 256; i++) assert.equal(got[i * 65536 + 100], i, `chunk ${i} in its place`);
});

test(
  "a worker ended while its reads are queued for the log writer writes them intact, none read after its block's reuse",
  { skip },
  () => {
    // A worker's teardown runs the finalizers of its external Buffers (the reader's pooled blocks) before the
    // writer's cleanup hook drains the queue: a block given back to the pool then had its first 8 bytes made a
    // free-list pointer while still queued, and the drain wrote those bytes (AddressSanitizer: use after free).
    const addon = join(repoRoot, 'native/svd_spawn.node');
    const sink = join(dir, 'worker-sink.out');
    const total = 8_000_000;
    const script = `
    const { Worker } = require('node:worker_threads');
    const inWorker = \`
      const { parentPort } = require('node:worker_threads');
      const fs = require('node:fs');
      const a = require(${JSON.stringify(addon)});
      // The sink: a pipe read only after a while, so writes queue up behind it.
      const [sinkRead, sinkWrite] = a.pipe(false);
      a.spawn('/bin/sh', ['sh', '-c', 'sleep 2; exec cat > ${sink}'], [], null, [sinkRead, -1, 2], () => {});
      fs.closeSync(sinkRead);
      const [srcRead, srcWrite] = a.pipe(false);
      a.spawn('/bin/sh', ['sh', '-c', 'head -c ${total} /dev/zero | tr "\\\\\\\\0" A'], [], null, [-1, srcWrite, 2], () => {});
      fs.closeSync(srcWrite);
      let after = 0, queued = 0;
      a.onLogWritten(() => {});
      a.readOutput(srcRead, (chunk) => {
        if (chunk === null) return parentPort.postMessage(queued);
        const seq = a.logWrite(sinkWrite, chunk, after, 1, false);
        if (seq === 0) fs.writeSync(sinkWrite, chunk);
        else (after = seq), queued++;
      });
    \`;
    const worker = new Worker(inWorker, { eval: true });
    worker.on('message', (queued) => {
      console.log('queued ' + queued);
      worker.terminate();
    });
  `;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);
    const queued = Number(/^queued (\d+)$/m.exec(run.stdout)?.[1]);
    assert.ok(queued > 16, `writes were queued when the worker ended (${run.stdout})`);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (!existsSync(sink) || statSync(sink).size < total))
      spawnSync('sleep', ['0.1']);
    const got = readFileSync(sink);
    assert.equal(got.length, total, 'every byte reached the sink');
    const bad = got.findIndex((b) => b !== 0x41);
    assert.equal(bad, -1, `a byte that is not the output at ${bad}`);
  },
);
