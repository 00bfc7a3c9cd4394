import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EffectiveConfig } from '../model/config.js';
import { controlServerLoss, restartOnlyChanges, restartOnlyWarning } from './apply-checks.js';

// Only the sections the checks read; the rest of a configuration plays no part in them.
function config(sections: Partial<EffectiveConfig>): EffectiveConfig {
  return {
    source: '/etc/svd/main.conf',
    files: ['/etc/svd/main.conf'],
    supervisord: { logfile: '/var/log/svd.log' },
    unix_http_server: { file: '/run/svd.sock' },
    inet_http_server: null,
    ...sections,
  } as unknown as EffectiveConfig;
}

test('the daemon sections that differ are named in INI order; programs do not count', () => {
  const running = config({});
  assert.deepEqual(restartOnlyChanges(running, config({ groups: [] })), []);
  assert.deepEqual(
    restartOnlyChanges(
      running,
      config({
        supervisord: { logfile: '/tmp/x.log' } as never,
        unix_http_server: null,
        inet_http_server: { port: ':9001' } as never,
      }),
    ),
    ['[supervisord]', '[unix_http_server]', '[inet_http_server]'],
  );
  assert.equal(restartOnlyWarning(running, config({})), null);
  const warning = restartOnlyWarning(running, config({ supervisord: {} as never, files: ['/frag/p.ini'] }));
  assert.equal(warning?.severity, 'warning');
  assert.equal(warning?.file, '/frag/p.ini');
  assert.match(warning?.message ?? '', /^\[supervisord\] differs from what the daemon runs with/);
});

test('a configuration with no server is refused only for a daemon that has one', () => {
  const none = { unix_http_server: null, inet_http_server: null };
  const loss = controlServerLoss(config({}), config({ ...none, files: ['/frag/p.ini'] }));
  assert.equal(loss?.severity, 'error');
  assert.equal(loss?.code, 'SVD-APPLY-NO-SERVER');
  assert.equal(loss?.file, '/frag/p.ini');
  assert.equal(
    controlServerLoss(
      config({}),
      config({ unix_http_server: null, inet_http_server: { port: ':9001' } as never }),
    ),
    null,
  );
  assert.equal(controlServerLoss(config(none), config(none)), null);
});
