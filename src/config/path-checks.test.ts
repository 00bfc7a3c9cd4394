import { test } from 'node:test';
import assert from 'node:assert/strict';
import { absolutePath, isExistingDirectory, missingParentDirectory, normPath } from './path-checks.js';

test("normPath is Python's posixpath.normpath", () => {
  const cases: [string, string][] = [
    ['/var/run//supervisor.sock', '/var/run/supervisor.sock'],
    ['/tmp/./a/../b/', '/tmp/b'],
    ['//tmp//x', '//tmp/x'],
    ['///tmp/x', '/tmp/x'],
    ['/..', '/'],
    ['a/../../b', '../b'],
    ['', '.'],
    ['./', '.'],
  ];
  for (const [input, expected] of cases) assert.equal(normPath(input), expected, input);
});

test('absolutePath normalizes absolute paths too, as supervisor normalizes logfile, pidfile and the socket', () => {
  const host = { cwd: '/srv/app', env: { HOME: '/home/u' } };
  assert.equal(absolutePath('/var/run//supervisor.sock', host), '/var/run/supervisor.sock');
  assert.equal(absolutePath('~/./x.log', host), '/home/u/x.log');
  assert.equal(absolutePath('logs/../x.pid', host), '/srv/app/x.pid');
});

test("a log file's folder is Python's dirname of the path: a trailing slash makes the last name the folder", () => {
  const dirs = new Set(['/', '/srv', '/srv/app', '/srv/app/logs']);
  const host = { cwd: '/srv/app', env: {}, isDirectory: (p: string) => dirs.has(p) };
  assert.equal(missingParentDirectory('logs/a.log', host), null);
  assert.equal(missingParentDirectory('/srv/app/logs/', host), null);
  assert.equal(missingParentDirectory('/x.log', host), null);
  // supervisor refuses stdout_logfile=unix:/// (no folder 'unix:'); Node's dirname would have looked in /srv/app.
  assert.equal(missingParentDirectory('unix:///', host), '/srv/app/unix:');
  assert.equal(missingParentDirectory('nolog/a.log', host), '/srv/app/nolog');
});

test('a relative path is joined to a working directory of / with one slash, as Python joins it', () => {
  const seen: string[] = [];
  const host = { cwd: '/', env: {}, isDirectory: (p: string) => (seen.push(p), false) };
  assert.equal(missingParentDirectory('run/rest_xops/uwsgi.log', host), '/run/rest_xops');
  assert.deepEqual(seen, ['/run/rest_xops']);
  assert.equal(isExistingDirectory('logs', host), false);
  assert.equal(seen[1], '/logs');
});
