import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUrl, parseCtlArgv } from './ctl-argv.js';

function ok(argv: string[]) {
  const r = parseCtlArgv(argv);
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.args;
}

function error(argv: string[]): string {
  const r = parseCtlArgv(argv);
  assert.ok(!r.ok);
  return r.message;
}

test('options stop at the first word: the action keeps its own dashes', () => {
  const a = ok(['-s', 'unix:///x.sock', 'tail', '-f', 'web']);
  assert.equal(a.serverurl, 'unix:///x.sock');
  assert.deepEqual(a.action, ['tail', '-f', 'web']);
  assert.equal(a.interactive, false);
});

test('attached values, bundled flags, long options with = and unique prefixes', () => {
  const a = ok(['-isunix:///a', '--user=me', '--password', 'pw', '--history-file=/h', '-c', 'f.conf']);
  assert.equal(a.interactive, true);
  assert.equal(a.serverurl, 'unix:///a');
  assert.equal(a.username, 'me');
  assert.equal(a.password, 'pw');
  assert.equal(a.historyFile, '/h');
  assert.equal(a.configuration, 'f.conf');
  assert.deepEqual(a.action, []);
  assert.equal(ok(['-?']).help, true);
  assert.equal(ok(['--help']).help, true);
});

test("supervisorctl's usage errors", () => {
  assert.equal(error(['-x']), 'option -x not recognized');
  assert.equal(error(['--bogus']), 'option --bogus not recognized');
  assert.equal(error(['-s']), 'option -s requires argument');
  assert.equal(error(['-s', 'foo', 'status']), "invalid value for -s 'foo': value 'foo' is not a URL");
  assert.equal(
    error(['-s', 'http://[::1', 'status']),
    "invalid value for -s 'http://[::1': Invalid IPv6 URL",
  );
  assert.equal(error(['-s', 'unix:///a', '-s', 'unix:///b']), "conflicting command line option '-s'");
  assert.equal(error(['--serverurl=unix:///a', '-s', 'unix:///b']), "conflicting command line option '-s'");
});

test("supervisor's url type: a scheme and a host or a path", () => {
  assert.ok(isUrl('http://localhost:9001'));
  assert.ok(isUrl('unix:///tmp/s.sock'));
  assert.ok(isUrl('ftp://x'));
  assert.ok(!isUrl('foo'));
  assert.ok(!isUrl('http://'));
});
