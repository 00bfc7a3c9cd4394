import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { autoLogPath, cleanupAutoLogs } from './auto-logs.js';
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
