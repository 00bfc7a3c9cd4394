import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followLog, TRUNCATED_MARKER } from './follow-log.js';
import { LogFileError } from './log-file-error.js';

let dir: string;
const stops: Array<() => void> = [];
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'svd-follow-'));
});
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function follow(path: string, options = {}): { text: () => string; chunks: Buffer[]; stop: () => void } {
  const chunks: Buffer[] = [];
  const stop = followLog(path, (c) => void chunks.push(Buffer.from(c)), { pollMs: 50, ...options });
  stops.push(stop);
  return { text: () => Buffer.concat(chunks).toString(), chunks, stop };
}

const openFds = (): number => readdirSync('/proc/self/fd').length;

test('sends the last 1024 bytes, then each appended chunk in order', async () => {
  const path = join(dir, 'grow.log');
  const head = Buffer.alloc(3000, 'h');
  head.write('TAIL', 3000 - 1024);
  writeFileSync(path, head);
  const f = follow(path);
  await until('initial bytes', () => f.text().length === 1024);
  assert.ok(f.text().startsWith('TAIL'));
  for (let i = 0; i < 20; i++) appendFileSync(path, `line ${i}\n`);
  const expected = Array.from({ length: 20 }, (_, i) => `line ${i}\n`).join('');
  await until('appended lines', () => f.text().length === 1024 + expected.length);
  assert.equal(f.text().slice(1024), expected);
});

test('a file smaller than initialBytes is sent whole', async () => {
  const path = join(dir, 'small.log');
  writeFileSync(path, 'tiny\n');
  const f = follow(path);
  await until('whole file', () => f.text() === 'tiny\n');
});

test('a truncated file sends the marker and continues from its start', async () => {
  const path = join(dir, 'trunc.log');
  writeFileSync(path, 'first part\n');
  const f = follow(path);
  await until('initial', () => f.text() === 'first part\n');
  truncateSync(path, 0);
  appendFileSync(path, 'new\n');
  await until('marker and new data', () => f.text() === `first part\n${TRUNCATED_MARKER}new\n`);
});

test('a rotated file is reopened and the new one sent from its start', async () => {
  const path = join(dir, 'rot.log');
  writeFileSync(path, 'old\n');
  const f = follow(path);
  await until('initial', () => f.text() === 'old\n');
  renameSync(path, `${path}.1`);
  appendFileSync(`${path}.1`, 'late old\n');
  writeFileSync(path, 'fresh\n');
  await until('the new file', () => f.text().endsWith('fresh\n'));
  appendFileSync(path, 'more\n');
  await until('appends to the new file', () => f.text().endsWith('fresh\nmore\n'));
  assert.ok(!f.text().includes(TRUNCATED_MARKER));
});

test('a listener that returns a promise is never called again before it settles', async () => {
  const path = join(dir, 'slow.log');
  writeFileSync(path, Buffer.alloc(200 * 1024, 'x'));
  let inFlight = 0;
  let maxInFlight = 0;
  let received = 0;
  const stop = followLog(
    path,
    async (chunk) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      received += chunk.length;
      inFlight--;
    },
    { initialBytes: 1024 * 1024, pollMs: 20 },
  );
  stops.push(stop);
  for (let i = 0; i < 10; i++) appendFileSync(path, Buffer.alloc(10_000, 'y'));
  await until('every byte', () => received === 200 * 1024 + 100_000);
  assert.equal(maxInFlight, 1);
});

test('stop releases every fd and watcher; nothing is delivered after it', async () => {
  const path = join(dir, 'fds.log');
  writeFileSync(path, 'x\n');
  // libuv keeps one inotify fd per event loop once any watcher existed: create it before counting.
  const warm = follow(path);
  await until('warm-up', () => warm.text() === 'x\n');
  warm.stop();
  const baseline = openFds();
  const followers = Array.from({ length: 5 }, () => follow(path));
  await until('all followers started', () => followers.every((f) => f.text() === 'x\n'));
  assert.ok(openFds() > baseline);
  for (const f of followers) f.stop();
  assert.equal(openFds(), baseline);
  appendFileSync(path, 'after stop\n');
  const late = follow(path, { initialBytes: 0 });
  appendFileSync(path, 'seen\n');
  await until('a later follower sees new data', () => late.text() === 'seen\n');
  assert.ok(followers.every((f) => f.text() === 'x\n'));
});

test('a missing file throws a typed error', () => {
  assert.throws(
    () => followLog(join(dir, 'absent.log'), () => {}),
    (e: unknown) => e instanceof LogFileError && e.code === 'ENOENT',
  );
});
