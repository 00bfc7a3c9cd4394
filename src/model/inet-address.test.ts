import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inetServerUrl, parseInetAddress } from './inet-address.js';

test("inet addresses parse as supervisor's inet_address, with its messages", () => {
  const ok = (s: string) => parseInetAddress(s);
  assert.deepEqual(ok('9001'), { ok: true, address: { host: '', port: 9001 } });
  assert.deepEqual(ok(':9001'), { ok: true, address: { host: '', port: 9001 } });
  assert.deepEqual(ok('*:9001'), { ok: true, address: { host: '', port: 9001 } });
  assert.deepEqual(ok(' 9001 '), { ok: true, address: { host: '', port: 9001 } });
  assert.deepEqual(ok('LocalHost:9001'), { ok: true, address: { host: 'localhost', port: 9001 } });
  assert.deepEqual(ok('127.0.0.1:9001'), { ok: true, address: { host: '127.0.0.1', port: 9001 } });
  assert.deepEqual(ok('[::1]:9001'), { ok: true, address: { host: '::1', port: 9001 } });
  assert.deepEqual(ok('0'), { ok: false, message: "not a valid port number: '0' " });
  assert.deepEqual(ok('x'), { ok: false, message: "not a valid port number: 'x' " });
  assert.deepEqual(ok('70000'), { ok: false, message: "not a valid port number: '70000' " });
  assert.deepEqual(ok('1'), { ok: true, address: { host: '', port: 1 } });
  assert.deepEqual(ok('65535'), { ok: true, address: { host: '', port: 65535 } });
  assert.deepEqual(ok('a:1'), { ok: true, address: { host: 'a', port: 1 } });
  assert.deepEqual(ok('a:65535'), { ok: true, address: { host: 'a', port: 65535 } });
  assert.deepEqual(ok(':0'), { ok: false, message: '0 is below lower bound (1)' });
  assert.deepEqual(ok('a:70000'), { ok: false, message: '70000 is above upper bound (65535)' });
  assert.deepEqual(ok('a:'), { ok: false, message: "no port number specified in ''" });
  assert.deepEqual(ok('a:x'), { ok: false, message: "invalid literal for int() with base 10: 'x'" });
});

test('the http:// URL of a port= value: the wildcard host named, the host lower-cased, an IPv6 host in brackets', () => {
  assert.equal(inetServerUrl('*:9001', 'localhost'), 'http://localhost:9001');
  assert.equal(inetServerUrl('9001', '127.0.0.1'), 'http://127.0.0.1:9001');
  assert.equal(inetServerUrl(':9001', 'localhost'), 'http://localhost:9001');
  assert.equal(inetServerUrl('LOCALHOST:9001', 'localhost'), 'http://localhost:9001');
  assert.equal(inetServerUrl('127.0.0.1:9001', 'localhost'), 'http://127.0.0.1:9001');
  assert.equal(inetServerUrl('::1:9001', 'localhost'), 'http://[::1]:9001');
  assert.equal(inetServerUrl('[::1]:9001', 'localhost'), 'http://[::1]:9001');
  assert.equal(inetServerUrl('a:', 'localhost'), null);
});
