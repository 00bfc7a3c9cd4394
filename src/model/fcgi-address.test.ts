import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFcgiAddress } from './fcgi-address.js';

test('tcp and unix socket URLs as supervisor parses them', () => {
  assert.deepEqual(parseFcgiAddress('tcp://LocalHost:9000'), {
    kind: 'tcp',
    host: 'localhost',
    port: 9000,
    url: 'tcp://localhost:9000',
  });
  assert.deepEqual(parseFcgiAddress('unix:///run/app.sock'), {
    kind: 'unix',
    path: '/run/app.sock',
    url: 'unix:///run/app.sock',
  });
  for (const bad of [
    'unix://relative.sock',
    'tcp://[::1]:9000',
    'tcp://host',
    'tcp://h:0',
    'http://h:1',
    'tcp://h:70000',
  ])
    assert.equal(parseFcgiAddress(bad), null, bad);
});
