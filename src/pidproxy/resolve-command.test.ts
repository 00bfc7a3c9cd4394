import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveCommand } from './resolve-command.js';

const DEFAULT_PATH = '/usr/local/bin:/usr/bin';

function context(executables: readonly string[], pathEnv: string | undefined = DEFAULT_PATH) {
  return { cwd: '/srv/app', pathEnv, isExecutable: (p: string) => executables.includes(p) };
}

test('a name with a slash is made absolute against the current directory, unchecked', () => {
  assert.deepEqual(resolveCommand('bin/run', context([])), { ok: true, path: '/srv/app/bin/run' });
  assert.deepEqual(resolveCommand('../x', context([])), { ok: true, path: '/srv/x' });
  assert.deepEqual(resolveCommand('/usr/bin/mysqld_safe', context([])), {
    ok: true,
    path: '/usr/bin/mysqld_safe',
  });
});

test('a bare name runs from the current directory first, as supervisor does', () => {
  const ctx = context(['/srv/app/mysqld_safe', '/usr/bin/mysqld_safe']);
  assert.deepEqual(resolveCommand('mysqld_safe', ctx), { ok: true, path: '/srv/app/mysqld_safe' });
});

test('a bare name not in the current directory is searched in PATH, in order', () => {
  const ctx = context(['/usr/bin/mysqld_safe', '/usr/local/bin/other']);
  assert.deepEqual(resolveCommand('mysqld_safe', ctx), { ok: true, path: '/usr/bin/mysqld_safe' });
  const both = context(['/usr/bin/tool', '/usr/local/bin/tool']);
  assert.deepEqual(resolveCommand('tool', both), { ok: true, path: '/usr/local/bin/tool' });
});

test('an empty PATH entry means the current directory; relative entries resolve against it', () => {
  assert.deepEqual(resolveCommand('tool', context(['/srv/app/sub/tool'], 'sub:')), {
    ok: true,
    path: '/srv/app/sub/tool',
  });
});

test('a bare name found nowhere, an unset PATH and an empty command are errors', () => {
  assert.deepEqual(resolveCommand('nope', context([])), {
    ok: false,
    message: 'not found in /srv/app or PATH',
  });
  const unset = { cwd: '/srv/app', pathEnv: undefined, isExecutable: (p: string) => p === '/usr/bin/tool' };
  assert.deepEqual(resolveCommand('tool', unset), {
    ok: false,
    message: 'not found in /srv/app or PATH',
  });
  assert.equal(resolveCommand('', context([])).ok, false);
});
