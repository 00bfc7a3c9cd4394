import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { autoLogPath, BackgroundAutoLog, cleanupAutoLogs } from './auto-logs.js';
import { LogFileError } from './log-file-error.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'svd-autologs-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('autoLogPath creates a new empty 0600 file named as supervisor names it', () => {
  const path = autoLogPath(dir, 'web', 'stdout', 'supervisor');
  assert.match(basename(path), /^web-stdout---supervisor-[a-z0-9_]{8}\.log$/);
  const st = statSync(path);
  assert.equal(st.size, 0);
  assert.equal(st.mode & 0o777, 0o600);
  const again = autoLogPath(dir, 'web', 'stdout', 'supervisor');
  assert.notEqual(again, path);
});

test('autoLogPath in a missing directory throws a typed error', () => {
  assert.throws(
    () => autoLogPath(join(dir, 'missing'), 'web', 'stderr', 'supervisor'),
    (e: unknown) => e instanceof LogFileError && e.code === 'ENOENT',
  );
});

test('BackgroundAutoLog makes the same file as autoLogPath, off the main thread', async () => {
  const auto = new BackgroundAutoLog(dir, 'api', 'stderr', 'supervisor');
  assert.match(basename(auto.path), /^api-stderr---supervisor-[a-z0-9_]{8}\.log$/);
  // Its result is seen on a later turn of the event loop, never during the constructor's.
  assert.equal(auto.made, false);
  await auto.settled();
  assert.equal(auto.made, true);
  const st = statSync(auto.path);
  assert.equal(st.size, 0);
  assert.equal(st.mode & 0o777, 0o600);
});

test("BackgroundAutoLog's file is 0600 whatever umask its open met (a spawn sets a program's umask)", async () => {
  const mask = process.umask(0o777);
  let auto: BackgroundAutoLog;
  try {
    auto = new BackgroundAutoLog(dir, 'masked', 'stdout', 'supervisor');
    await auto.settled();
  } finally {
    process.umask(mask);
  }
  assert.equal(auto.made, true);
  assert.equal(statSync(auto.path).mode & 0o777, 0o600);
});

test('BackgroundAutoLog abandoned before its create is done deletes the file it made', async () => {
  const auto = new BackgroundAutoLog(dir, 'gone', 'stdout', 'supervisor');
  auto.abandon();
  await auto.settled();
  assert.equal(auto.made, false);
  assert.equal(existsSync(auto.path), false);
});

test('BackgroundAutoLog in a missing directory settles as not made', async () => {
  const auto = new BackgroundAutoLog(join(dir, 'missing'), 'web', 'stdout', 'supervisor');
  await auto.settled();
  assert.equal(auto.made, false);
});

test("cleanupAutoLogs deletes this identifier's AUTO logs and rotated copies, nothing else", () => {
  const sub = mkdtempSync(join(dir, 'clean-'));
  const doomed = [
    'web-stdout---supervisor-abcdefgh.log',
    'web-stdout---supervisor-abcdefgh.log.1',
    'web-stderr---supervisor-zz_99xyz.log.12',
  ];
  const kept = ['web-stdout---other-abcdefgh.log', 'supervisord.log', 'notes.txt'];
  for (const name of [...doomed, ...kept]) writeFileSync(join(sub, name), 'x');
  mkdirSync(join(sub, 'dir-stdout---supervisor-folder.log'));
  const report = cleanupAutoLogs(sub, 'supervisor');
  assert.deepEqual([...report.removed].sort(), doomed.map((n) => join(sub, n)).sort());
  assert.equal(report.failed.length, 1, 'a matching directory cannot be unlinked');
  assert.equal(report.dirError, null);
  assert.deepEqual(readdirSync(sub).sort(), [...kept, 'dir-stdout---supervisor-folder.log'].sort());
  for (const name of kept) assert.ok(existsSync(join(sub, name)));
});

test('cleanupAutoLogs reports an unreadable directory instead of throwing', () => {
  const report = cleanupAutoLogs(join(dir, 'nowhere'), 'supervisor');
  assert.equal(report.dirError?.code, 'ENOENT');
  assert.deepEqual(report.removed, []);
});
