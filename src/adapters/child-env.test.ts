import { test } from 'node:test';
import assert from 'node:assert/strict';
import { processSpec } from '../../test/support/specs.js';
import { childEnv } from './child-env.js';

const base = { PATH: '/bin', SUPERVISOR_SERVER_URL: 'unix:///outer.sock', GONE: undefined };

test('the layers: the daemon environment, SUPERVISOR_*, [supervisord] environment, the program environment', () => {
  const spec = processSpec({ name: 'web', group: 'site', environment: { A: 'program', PATH: '/opt/bin' } });
  const env = childEnv(spec, {
    base,
    supervisord: { A: 'daemon', B: 'daemon' },
    serverUrl: 'unix:///svd.sock',
  });
  assert.deepEqual(env, {
    PATH: '/opt/bin',
    SUPERVISOR_SERVER_URL: 'unix:///svd.sock',
    SUPERVISOR_ENABLED: '1',
    SUPERVISOR_PROCESS_NAME: 'web',
    SUPERVISOR_GROUP_NAME: 'site',
    A: 'program',
    B: 'daemon',
  });
});

test('with no server URL an inherited SUPERVISOR_SERVER_URL stays, as supervisor leaves it', () => {
  const spec = processSpec({ name: 'web' });
  assert.equal(
    childEnv(spec, { base, supervisord: {}, serverUrl: null })['SUPERVISOR_SERVER_URL'],
    'unix:///outer.sock',
  );
  const own = processSpec({ name: 'web', serverurl: 'http://127.0.0.1:9' });
  assert.equal(
    childEnv(own, { base, supervisord: {}, serverUrl: null })['SUPERVISOR_SERVER_URL'],
    'http://127.0.0.1:9',
  );
});
