// /dev/stdout as a log file, in a child whose stdout is a socket (as under systemd or docker, and as
// Node's own spawn makes it), where open(2) fails with ENXIO and supervisor cannot log at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  lstatSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const moduleUrl = new URL('./log-file.js', import.meta.url).href;

const CHILD = `
import { fstatSync } from 'node:fs';
const { openLogFile } = await import(process.argv[1]);
const log = openLogFile({ path: process.argv[2], maxbytes: 1, backups: 3 });
for (let i = 0; i < 3; i++) log.write('hello ' + i + '\\n');
const report = { socket: fstatSync(1).isSocket(), regular: log.regular, error: log.lastError?.code ?? null };
log.close();
process.stdout.write('fd 1 still open\\n');
process.stderr.write(JSON.stringify(report));
`;

for (const path of ['/dev/stdout', '/proc/self/fd/1']) {
  test(`${path} works when stdout is a socket, and is never rotated`, () => {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD, moduleUrl, path], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
    });
    assert.equal(run.status, 0, run.stderr.toString());
    assert.equal(run.stdout.toString(), 'hello 0\nhello 1\nhello 2\nfd 1 still open\n');
    assert.deepEqual(JSON.parse(run.stderr.toString()), { socket: true, regular: false, error: null });
  });
}

test('/dev/stdout reaching a regular file (a daemon started with `>> out.log`) is written, never rotated or moved', (t) => {
  // Were it rotated by name, the machine's /dev/stdout link would be renamed to /dev/stdout.1 and replaced by a
  // regular file for every process: the test puts the link back if that happens, and fails.
  const link = lstatSync('/dev/stdout', { throwIfNoEntry: false });
  if (!link?.isSymbolicLink()) return t.skip('/dev/stdout is not a symlink here');
  const target = readlinkSync('/dev/stdout');
  const dir = mkdtempSync(join(tmpdir(), 'svd-stdout-file-'));
  const out = join(dir, 'out.log');
  // Appending, as `>>` opens it: this writer opens /dev/stdout anew (as supervisor does), with O_APPEND.
  const fd = openSync(out, 'a');
  try {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD, moduleUrl, '/dev/stdout'], {
      stdio: ['ignore', fd, 'pipe'],
      timeout: 30_000,
    });
    assert.equal(run.status, 0, run.stderr.toString());
    assert.equal(readFileSync(out, 'utf8'), 'hello 0\nhello 1\nhello 2\nfd 1 still open\n');
    assert.deepEqual(JSON.parse(run.stderr.toString()), { socket: false, regular: false, error: null });
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
    const after = lstatSync('/dev/stdout', { throwIfNoEntry: false });
    if (!after?.isSymbolicLink()) {
      rmSync('/dev/stdout', { force: true });
      for (const n of [1, 2, 3]) rmSync(`/dev/stdout.${n}`, { force: true });
      symlinkSync(target, '/dev/stdout');
      assert.fail('/dev/stdout was moved aside by a rotation');
    }
  }
});

test("/dev/stdout reaching a regular file opened without O_APPEND (`> out.log`) shares the daemon's position", () => {
  // Opened anew, the name was a second position in the file: the daemon's own writes through fd 1, at the
  // start, overwrote the lines logged through /dev/stdout (supervisord loses them the same way).
  const dir = mkdtempSync(join(tmpdir(), 'svd-stdout-trunc-'));
  const out = join(dir, 'out.log');
  const fd = openSync(out, 'w');
  try {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD, moduleUrl, '/dev/stdout'], {
      stdio: ['ignore', fd, 'pipe'],
      timeout: 30_000,
    });
    assert.equal(run.status, 0, run.stderr.toString());
    assert.equal(readFileSync(out, 'utf8'), 'hello 0\nhello 1\nhello 2\nfd 1 still open\n');
    assert.deepEqual(JSON.parse(run.stderr.toString()), { socket: false, regular: false, error: null });
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
});
