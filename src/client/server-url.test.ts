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
    message: 'Unknown protocol for serverurl https://x:1',
  });
  assert.deepEqual(parseServerUrl('unix://'), {
    ok: false,
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
