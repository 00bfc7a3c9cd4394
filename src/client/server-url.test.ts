import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseServerUrl } from './server-url.js';

test('serverurl: unix paths, http hosts with the default port 80, anything else refused', () => {
  assert.deepEqual(parseServerUrl('unix:///tmp/supervisor.sock'), {
    ok: true,
    value: { kind: 'unix', url: 'unix:///tmp/supervisor.sock', socketPath: '/tmp/supervisor.sock' },
  });
  assert.deepEqual(parseServerUrl('http://localhost:9001'), {
    ok: true,
    value: { kind: 'http', url: 'http://localhost:9001', host: 'localhost', port: 9001 },
  });
  assert.deepEqual(parseServerUrl('http://Example.COM'), {
    ok: true,
    value: { kind: 'http', url: 'http://Example.COM', host: 'example.com', port: 80 },
  });
  assert.deepEqual(parseServerUrl('http://[::1]:9001'), {
    ok: true,
    value: { kind: 'http', url: 'http://[::1]:9001', host: '::1', port: 9001 },
  });
  assert.deepEqual(parseServerUrl('https://x:1'), {
    ok: false,
    problem: 'unknown-protocol',
    message: 'Unknown protocol for serverurl https://x:1',
  });
  assert.deepEqual(parseServerUrl('unix://'), {
    ok: false,
    problem: 'unknown-protocol',
    message: 'Unknown protocol for serverurl unix://',
  });
  assert.equal(parseServerUrl('http://').ok, false);
});

test("an http port as Python's urllib reads it: digits only, at most 65535, after a bracketed host's ]", () => {
  const problem = (url: string) => {
    const r = parseServerUrl(url);
    return r.ok ? r.value : r.message;
  };
  assert.equal(problem('http://127.0.0.1:99999'), 'Port out of range 0-65535');
  assert.equal(problem('http://u:p@h:70000'), 'Port out of range 0-65535');
  assert.equal(problem('http://127.0.0.1:abc'), "Port could not be cast to integer value as 'abc'");
  assert.equal(problem('http://127.0.0.1:-1'), "Port could not be cast to integer value as '-1'");
  assert.equal(problem('http://[::1]:x'), "Port could not be cast to integer value as 'x'");
  assert.deepEqual(problem('http://127.0.0.1:00080/a:b'), {
    kind: 'http',
    url: 'http://127.0.0.1:00080/a:b',
    host: '127.0.0.1',
    port: 80,
  });
});

test("an http URL as supervisorctl's transport reads it: urlparse's host, lower-cased but for an IPv6 zone", () => {
  const value = (url: string) => {
    const r = parseServerUrl(url);
    return r.ok && r.value.kind === 'http' ? [r.value.host, r.value.port] : r;
  };
  // Tab and newlines are dropped wherever they are; a bracketed host may be IPvFuture or carry a zone.
  assert.deepEqual(value('http://\t127.0.0.1:1\n'), ['127.0.0.1', 1]);
  assert.deepEqual(value('http://U:P@Host:1/x'), ['host', 1]);
  assert.deepEqual(value('http://[v1.X]/'), ['v1.x', 80]);
  assert.deepEqual(value('http://[FE80::1%Eth0]:9001'), ['fe80::1%Eth0', 9001]);
  assert.deepEqual(value('http://127.0.0.1:0'), ['127.0.0.1', 0]);
  assert.deepEqual(value('http://localhost.:1'), ['localhost.', 1]);
});

test("a serverurl refused before any connection: which of Python's checks, and its message", () => {
  const refusal = (url: string) => {
    const r = parseServerUrl(url);
    return r.ok ? r.value : [r.problem, r.message];
  };
  const cases: [string, string, string][] = [
    ['\x01http://x', 'unknown-protocol', 'Unknown protocol for serverurl \x01http://x'],
    ['HTTP://x', 'unknown-protocol', 'Unknown protocol for serverurl HTTP://x'],
    ['http://[::1', 'unbalanced-brackets', 'Invalid IPv6 URL'],
    ['http://a[::1]/', 'text-before-bracket', 'Invalid IPv6 URL'],
    ['http://[::1]x/', 'text-after-bracket', 'Invalid IPv6 URL'],
    ['http://[foo]/', 'not-an-ip-address', "'foo' does not appear to be an IPv4 or IPv6 address"],
    ['http://[::1%]/', 'not-an-ip-address', "'::1%' does not appear to be an IPv4 or IPv6 address"],
    ['http://[1::2::3]/', 'not-an-ip-address', "'1::2::3' does not appear to be an IPv4 or IPv6 address"],
    [
      'http://[::01.2.3.4]/',
      'not-an-ip-address',
      "'::01.2.3.4' does not appear to be an IPv4 or IPv6 address",
    ],
    ['http://[vz]/', 'bad-ipvfuture', 'IPvFuture address is invalid'],
    ['http://[1.2.3.4]/', 'ipv4-in-brackets', 'An IPv4 address cannot be in brackets'],
    [
      'http://a\uff03b/',
      'nfkc-netloc',
      "netloc 'a\uff03b' contains invalid characters under NFKC normalization",
    ],
    ['http://x:\u0661', 'port-not-integer', "Port could not be cast to integer value as '\u0661'"],
    ['http://:1', 'no-host', "expected string or bytes-like object, got 'NoneType'"],
    ['http://u@/', 'no-host', "expected string or bytes-like object, got 'NoneType'"],
    ['http://A B:1', 'control-character', "URL can't contain control characters. 'a b' (found at least ' ')"],
    [
      'http://a\x7fb',
      'control-character',
      "URL can't contain control characters. 'a\\x7fb' (found at least '\\x7f')",
    ],
    [
      'http://a..b:1',
      'idna-label',
      "encoding with 'idna' codec failed (UnicodeError: label empty or too long)",
    ],
    ['http://.', 'idna-label', "encoding with 'idna' codec failed (UnicodeError: label empty or too long)"],
    [
      `http://${'a'.repeat(64)}`,
      'idna-label',
      "encoding with 'idna' codec failed (UnicodeError: label too long)",
    ],
    [
      'http://\u00e9..x',
      'idna-label',
      "encoding with 'idna' codec failed (UnicodeError: label empty or too long)",
    ],
  ];
  for (const [url, problem, message] of cases) assert.deepEqual(refusal(url), [problem, message], url);
  assert.deepEqual(refusal(`http://${'a'.repeat(63)}.${'b'.repeat(63)}`), {
    kind: 'http',
    url: `http://${'a'.repeat(63)}.${'b'.repeat(63)}`,
    host: `${'a'.repeat(63)}.${'b'.repeat(63)}`,
    port: 80,
  });
});
