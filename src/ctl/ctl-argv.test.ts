import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leadingCtlOptionWords, parseCtlArgv, urlTypeProblem } from './ctl-argv.js';

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
  assert.equal(error(['--configuration']), 'option --configuration requires argument');
  assert.equal(error(['--conf', 'x', '--config', 'y']), "conflicting command line option '--configuration'");
});

test("supervisorctl's order: the whole line's options first, then each in turn, -h where it is reached", () => {
  // An unknown option anywhere is the error, even after -h.
  assert.equal(error(['-h', '-z']), 'option -z not recognized');
  // -h before a bad value or a repeated option wins; after them, they are the error.
  assert.equal(ok(['-h', '-s', 'bad']).help, true);
  assert.equal(ok(['-h', '-s', 'unix:///a', '-s', 'unix:///b']).help, true);
  assert.equal(error(['-s', 'bad', '-h']), "invalid value for -s 'bad': value 'bad' is not a URL");
  assert.equal(error(['-i', '-i', '-h']), "conflicting command line option '-i'");
});

test('messages name a long option by its full name and quote values as Python does', () => {
  assert.equal(
    error(['-s', 'http://a', '--server', 'http://b', 'status']),
    "conflicting command line option '--serverurl'",
  );
  assert.equal(error(['-u', 'a', '--user', 'b', 'status']), "conflicting command line option '--username'");
  assert.equal(error(['--interactive', '-i']), "conflicting command line option '-i'");
  assert.equal(
    error(["--serverurl=ba'd", 'status']),
    `invalid value for --serverurl "ba'd": value "ba'd" is not a URL`,
  );
  assert.equal(error(['--serv', 'x']), "invalid value for --serverurl 'x': value 'x' is not a URL");
});

test("--history_file, supervisorctl's spelling, is taken as --history-file is, and both by prefix", () => {
  assert.equal(ok(['--history_file', '/h1', 'status']).historyFile, '/h1');
  assert.equal(ok(['--hist', '/h2', 'status']).historyFile, '/h2');
  assert.equal(ok(['-r', '/h3']).historyFile, '/h3');
  assert.equal(error(['--history_file']), 'option --history_file requires argument');
});

test("supervisor's url type: what Python's urlparse takes, with a scheme and a host or a path", () => {
  for (const ok of ['http://localhost:9001', 'unix:///tmp/s.sock', 'ftp://x', 'unix:;x', '\x01http://x'])
    assert.equal(urlTypeProblem(ok), null, ok);
  const refused: [string, string][] = [
    ['foo', "value 'foo' is not a URL"],
    ['http://', "value 'http://' is not a URL"],
    // The path's last `;params` are not its path, for http and the other schemes that have them.
    ['http:;x', "value 'http:;x' is not a URL"],
    ['\xa0http://x', "value '\\xa0http://x' is not a URL"],
    ['http://[::1', 'Invalid IPv6 URL'],
    ['http://a[::1]/', 'Invalid IPv6 URL'],
    ['http://[foo]/', "'foo' does not appear to be an IPv4 or IPv6 address"],
    ['http://[1.2.3.4]/', 'An IPv4 address cannot be in brackets'],
    ['http://[vz]/', 'IPvFuture address is invalid'],
    ['http://\u2100/', "netloc '\u2100' contains invalid characters under NFKC normalization"],
  ];
  for (const [value, message] of refused) assert.equal(urlTypeProblem(value), message, value);
});

test("the top level's supervisorctl options are counted as getopt reads them, help and strangers excluded", () => {
  const cases: [string[], number][] = [
    [['-c', 'f', 'status'], 2],
    [['-cf', 'status'], 1],
    [['-isunix:///a', 'status'], 1],
    [['-ic', 'f', 'help'], 2],
    [['--serv', 'unix:///a', 'status'], 2],
    [['--history_file=/h', '--interactive'], 2],
    [['-c', 'f', '-h'], 2],
    [['-h'], 0],
    [['--help'], 0],
    [['--format=json'], 0],
    [['--interactive=1'], 0],
    [['-c'], 0],
    [['-V'], 0],
    [['-c', 'f', '--', 'status'], 2],
    [['status', '-c', 'f'], 0],
  ];
  for (const [argv, n] of cases) assert.equal(leadingCtlOptionWords(argv), n, argv.join(' '));
});
