import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { autoLogPath, cleanupAutoLogs, whenCreated } from './auto-logs.js';
import { openLogFile } from './log-file.js';
import { LogFileError } from './log-file-error.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'svd-autologs-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('autoLogPath creates a new empty 0600 file named as supervisor names it', async () => {
  const path = autoLogPath(dir, 'web', 'stdout', 'supervisor');
  assert.match(basename(path), /^web-stdout---supervisor-[a-z0-9_]{8}\.log$/);
  await whenCreated(path);
  assert.equal(whenCreated(path), undefined, 'nothing left pending');
  const st = statSync(path);
  assert.equal(st.size, 0);
  assert.equal(st.mode & 0o777, 0o600);
  const again = autoLogPath(dir, 'web', 'stdout', 'supervisor');
  assert.notEqual(again, path);
});

test('a log opened before its creation ran keeps what was written, with mode 0600 either way', async () => {
  // The spawn's open and the creation race: whichever comes first, the file is private and nothing is lost.
  for (let i = 0; i < 20; i++) {
    const path = autoLogPath(dir, `race${i}`, 'stdout', 'supervisor');
    const log = openLogFile({ path, maxbytes: 0, backups: 0, private: true });
    log.write('first line\n');
    await whenCreated(path);
    log.write('second line\n');
    log.close();
    assert.equal(readFileSync(path, 'utf8'), 'first line\nsecond line\n');
    assert.equal(statSync(path).mode & 0o777, 0o600);
  }
});

test('a private log is never opened through a symlink', () => {
  const target = join(dir, 'target.txt');
  writeFileSync(target, '');
  const link = join(dir, 'planted-stdout---supervisor-abcdefgh.log');
  symlinkSync(target, link);
  assert.throws(
    () => openLogFile({ path: link, maxbytes: 0, backups: 0, private: true }),
    (e: unknown) => e instanceof LogFileError && e.code === 'ELOOP',
  );
  const ordinary = openLogFile({ path: link, maxbytes: 0, backups: 0 });
  ordinary.write('through the link\n');
  ordinary.close();
  assert.equal(readFileSync(target, 'utf8'), 'through the link\n', 'an ordinary log path may be a symlink');
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
