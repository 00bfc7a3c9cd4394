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
