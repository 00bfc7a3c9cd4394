import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allConfigInfo, type ConfigInfoContext } from './supervisor-config-info.js';
import { groupSpec, programGroup } from '../../test/support/specs.js';

const ctx = (over: Partial<ConfigInfoContext> = {}): ConfigInfoContext => ({
  active: new Set(),
  logPaths: () => undefined,
  uidOf: (user) => (user === 'root' ? 0 : null),
  ...over,
});

test("fields and order are supervisor's; None is 'none', AUTO is 'auto'", () => {
  const [info] = allConfigInfo([programGroup({ name: 'web', stdout_logfile: 'AUTO' })], ctx());
  assert.deepEqual(Object.keys(info ?? {}), [
    'autostart',
    'directory',
    'uid',
    'command',
    'exitcodes',
    'group',
    'group_prio',
    'inuse',
    'killasgroup',
    'name',
    'process_prio',
    'redirect_stderr',
    'startretries',
    'startsecs',
    'stdout_capture_maxbytes',
    'stdout_events_enabled',
    'stdout_logfile',
    'stdout_logfile_backups',
    'stdout_logfile_maxbytes',
    'stdout_syslog',
    'stopsignal',
    'stopwaitsecs',
    'stderr_capture_maxbytes',
    'stderr_events_enabled',
    'stderr_logfile',
    'stderr_logfile_backups',
    'stderr_logfile_maxbytes',
    'stderr_syslog',
    'serverurl',
  ]);
  assert.equal(info?.directory, 'none');
  assert.equal(info?.uid, 'none');
  assert.equal(info?.serverurl, 'none');
  assert.equal(info?.stdout_logfile, 'auto');
  assert.equal(info?.stderr_logfile, 'none');
  assert.equal(info?.stopsignal, 15);
  assert.equal(info?.inuse, false);
});

test('a running spec shows its resolved AUTO paths; user= gives a numeric uid', () => {
  const g = programGroup({ name: 'web', stdout_logfile: 'AUTO', stderr_logfile: 'AUTO', user: 'root' });
  const spec = g.processes[0];
  const [info] = allConfigInfo(
    [g],
    ctx({
      active: new Set(['web']),
      logPaths: (s) => (s === spec ? { stdout: '/tmp/web-out.log', stderr: '/tmp/web-err.log' } : undefined),
    }),
  );
  assert.equal(info?.stdout_logfile, '/tmp/web-out.log');
  assert.equal(info?.stderr_logfile, '/tmp/web-err.log');
  assert.equal(info?.uid, 0);
  assert.equal(info?.inuse, true);
});

test('sorted by process name across groups, with group priorities', () => {
  const infos = allConfigInfo(
    [
      groupSpec('grp', [{ name: 'zz' }, { name: 'aa', priority: 5 }], { priority: 7 }),
      programGroup({ name: 'mm' }),
    ],
    ctx(),
  );
  assert.deepEqual(
    infos.map((i) => [i.group, i.name, i.group_prio, i.process_prio]),
    [
      ['grp', 'aa', 7, 5],
      ['mm', 'mm', 999, 999],
      ['grp', 'zz', 7, 999],
    ],
  );
});
