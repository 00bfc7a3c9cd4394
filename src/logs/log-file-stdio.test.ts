// /dev/stdout as a log file, in a child whose stdout is a socket (as under systemd or docker, and as
// Node's own spawn makes it), where open(2) fails with ENXIO and supervisor cannot log at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

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
