import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GroupSpec } from '../model/config.js';
import { diffGroups, sameGroupConfig, sameProcessConfig } from './supervisor-reread.js';
import { groupSpec, processSpec, programGroup } from '../../test/support/specs.js';

test('added and changed follow the new config order; removed the active order', () => {
  const active = [
    programGroup({ name: 'b' }),
    programGroup({ name: 'gone2' }),
    programGroup({ name: 'gone1' }),
  ];
  const loaded = [
    programGroup({ name: 'new2' }),
    programGroup({ name: 'b', command: '/bin/false' }),
    programGroup({ name: 'new1' }),
  ];
  assert.deepEqual(diffGroups(active, loaded), {
    added: ['new2', 'new1'],
    changed: ['b'],
    removed: ['gone2', 'gone1'],
  });
});

test('an identical config changes nothing, even with new source positions', () => {
  const a = [programGroup({ name: 'web', command: '/bin/web' })];
  const b = [
    { ...programGroup({ name: 'web', command: '/bin/web' }), source: { file: '/x', line: 9, column: 1 } },
  ];
  assert.deepEqual(diffGroups(a, b), { added: [], changed: [], removed: [] });
});

test('any compared field, even autostart or autorestart, changes the whole group', () => {
  const base = processSpec({ name: 'p' });
  for (const [field, value] of [
    ['autostart', false],
    ['autorestart', true],
    ['environment', { A: '1' }],
    ['exitcodes', [0, 2]],
    ['user', 'nobody'],
    ['serverurl', 'http://x'],
    ['stopsignal', 'INT'],
  ] as const) {
    assert.equal(sameProcessConfig(base, { ...base, [field]: value }), false, field);
  }
});

test('AUTO in the fresh read skips a log path, not an AUTO of the active group; other fields are ignored', () => {
  const base = processSpec({ name: 'p', stdout_logfile: 'AUTO' });
  // A path set back to AUTO: supervisor sees no change.
  assert.ok(sameProcessConfig(base, { ...base, stdout_logfile: '/var/log/p.log' }));
  // The active AUTO is a file name in supervisord by then, so a path or NONE in its place is a change.
  assert.equal(
    sameProcessConfig({ ...base, stderr_logfile: '/a' }, { ...base, stderr_logfile: 'AUTO' }),
    false,
  );
  assert.equal(sameProcessConfig({ ...base, stdout_logfile: 'NONE' }, base), false);
  assert.equal(
    sameProcessConfig({ ...base, stderr_logfile: '/a' }, { ...base, stderr_logfile: '/b' }),
    false,
  );
  assert.ok(sameProcessConfig(base, { ...base, numprocs_start: 7, process_num: 3 }));
});

test('group priority, kind, process count and order matter', () => {
  const g = groupSpec('g', [{ name: 'a' }, { name: 'b' }]);
  assert.ok(sameGroupConfig(g, groupSpec('g', [{ name: 'a' }, { name: 'b' }])));
  assert.equal(sameGroupConfig(g, { ...g, priority: 1 }), false);
  assert.equal(sameGroupConfig(g, { ...g, kind: 'group' }), false);
  assert.equal(sameGroupConfig(g, groupSpec('g', [{ name: 'b' }, { name: 'a' }])), false);
  assert.equal(sameGroupConfig(g, groupSpec('g', [{ name: 'a' }])), false);
});

test('event listener pools compare their events and buffer size', () => {
  const events: [string, ...string[]] = ['PROCESS_STATE'];
  const pool: GroupSpec = {
    ...groupSpec('l', [{ name: 'l' }]),
    kind: 'eventlistener',
    eventlistener: { events, buffer_size: 10, result_handler: 'x' },
  };
  const settings = pool.eventlistener as NonNullable<GroupSpec['eventlistener']>;
  assert.ok(sameGroupConfig(pool, { ...pool, eventlistener: { ...settings } }));
  assert.equal(sameGroupConfig(pool, { ...pool, eventlistener: { ...settings, buffer_size: 11 } }), false);
  assert.equal(sameGroupConfig(pool, { ...pool, eventlistener: { ...settings, events: ['TICK_5'] } }), false);
});
