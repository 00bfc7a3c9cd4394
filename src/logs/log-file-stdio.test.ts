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

/**
 * Runs CHILD with its stdout on a file opened with `flags` (`a` as `>>` opens it, `w` as `>`) and logging to
 * /dev/stdout; returns what the file holds and the child's report. Were the log rotated by name, the machine's
 * /dev/stdout link would be renamed to /dev/stdout.1 and replaced by a regular file for every process: the link
 * is put back if that happens, and the test fails.
 */
function logThroughStdoutFile(flags: 'a' | 'w'): { text: string; report: unknown } {
  const target = readlinkSync('/dev/stdout');
  const dir = mkdtempSync(join(tmpdir(), 'svd-stdout-file-'));
  const out = join(dir, 'out.log');
  const fd = openSync(out, flags);
  try {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD, moduleUrl, '/dev/stdout'], {
      stdio: ['ignore', fd, 'pipe'],
      timeout: 30_000,
    });
    assert.equal(run.status, 0, run.stderr.toString());
    return { text: readFileSync(out, 'utf8'), report: JSON.parse(run.stderr.toString()) };
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
}

const stdoutIsLink = lstatSync('/dev/stdout', { throwIfNoEntry: false })?.isSymbolicLink() ?? false;
const skip = !stdoutIsLink && '/dev/stdout is not a symlink here';

test(
  '/dev/stdout reaching a regular file (a daemon started with `>> out.log`) is written, never rotated or moved',
  { skip },
  () => {
    // Appending, as `>>` opens it: this writer opens /dev/stdout anew (as supervisor does), with O_APPEND.
    assert.deepEqual(logThroughStdoutFile('a'), {
      text: 'hello 0\nhello 1\nhello 2\nfd 1 still open\n',
      report: { socket: false, regular: false, error: null },
    });
  },
);

test(
  "/dev/stdout reaching a regular file opened without O_APPEND (`> out.log`) shares the daemon's position",
  { skip },
  () => {
    // Opened anew, the name was a second position in the file: the daemon's own writes through fd 1, at the
    // start, overwrote the lines logged through /dev/stdout (supervisord loses them the same way).
    assert.deepEqual(logThroughStdoutFile('w'), {
      text: 'hello 0\nhello 1\nhello 2\nfd 1 still open\n',
      report: { socket: false, regular: false, error: null },
    });
  },
);
