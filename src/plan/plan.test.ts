import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GroupSpec } from '../model/config.js';
import type { ProcessStateName } from '../model/states.js';
import { groupSpec, processSpec, programGroup } from '../../test/support/specs.js';
import { planReconcile } from './plan.js';
import { isEmptyPlan, stepTarget, type Plan, type ProcessChange } from './plan-types.js';
import { actualGroupOf, type ActualState } from './reconcile-state.js';
import { simulatePlan } from './simulate-plan.js';

/** The groups as they run now: every process RUNNING (pid from 500) unless `states` says otherwise. */
function running(groups: readonly GroupSpec[], states: Record<string, ProcessStateName> = {}): ActualState {
  let pid = 500;
  return {
    groups: groups.map((g) =>
      actualGroupOf(g, (p) => {
        const state = states[`${p.group}:${p.name}`] ?? 'RUNNING';
        return {
          state,
          pid: state === 'RUNNING' || state === 'STARTING' || state === 'STOPPING' ? pid++ : 0,
        };
      }),
    ),
  };
}

const steps = (plan: Plan) => plan.steps.map((s) => `${s.wave} ${s.op} ${stepTarget(s)}`);
const change = (plan: Plan, namespec: string): ProcessChange => {
  const c = plan.groups.flatMap((g) => g.processes).find((p) => p.namespec === namespec);
  assert.ok(c, `${namespec} is in the plan`);
  return c;
};

const web = (n: number, o: Partial<Parameters<typeof processSpec>[0]> = {}) =>
  groupSpec(
    'web',
    Array.from({ length: n }, (_, i) => ({
      name: `web_0${i}`,
      command: '/bin/web',
      numprocs: n,
      process_num: i,
      process_name: '%(program_name)s_%(process_num)02d',
      ...o,
    })),
  );

test('a configuration planned against itself is empty, whatever the states', () => {
  const groups = [programGroup({ name: 'a' }), web(2), programGroup({ name: 'b', autostart: true })];
  const plan = planReconcile({ groups }, running(groups, { 'b:b': 'STOPPED', 'web:web_01': 'FATAL' }));
  assert.ok(isEmptyPlan(plan));
  assert.deepEqual(
    { ...plan.counts, groups: undefined },
    { add: 0, restart: 0, updateInPlace: 0, remove: 0, unchanged: 4, groups: undefined },
  );
  assert.ok(plan.groups.every((g) => g.action === 'unchanged'));
});

test('policy fields apply in place: no stop, no start, only a spec swap', () => {
  const before = [programGroup({ name: 'api', autorestart: 'unexpected', startsecs: 1, stopwaitsecs: 10 })];
  const after = [programGroup({ name: 'api', autorestart: true, startsecs: 5, stopwaitsecs: 30 })];
  const plan = planReconcile({ groups: after }, running(before));
  const c = change(plan, 'api');
  assert.equal(c.action, 'update-in-place');
  assert.deepEqual(
    c.fields.map((f) => [f.field, f.old, f.new, f.class]),
    [
      ['startsecs', 1, 5, 'in-place'],
      ['autorestart', 'unexpected', true, 'in-place'],
      ['stopwaitsecs', 10, 30, 'in-place'],
    ],
  );
  assert.deepEqual(steps(plan), ['0 update-process api']);
});

test('a restart-class change restarts a running process: stop, swap, start', () => {
  const plan = planReconcile(
    { groups: [programGroup({ name: 'api', command: '/bin/new', startsecs: 3 })] },
    running([programGroup({ name: 'api', command: '/bin/old' })]),
  );
  const c = change(plan, 'api');
  assert.equal(c.action, 'restart');
  assert.equal(c.reason, 'fields');
  assert.deepEqual(
    c.fields.map((f) => `${f.field}:${f.class}`),
    ['command:restart', 'startsecs:in-place'],
  );
  assert.deepEqual(steps(plan), ['0 stop api', '1 update-process api', '2 start api']);
});

test('a restart-class change to a process stopped by hand, or stopping, swaps its spec and leaves it stopped', () => {
  for (const state of ['STOPPED', 'STOPPING'] as const) {
    const plan = planReconcile(
      { groups: [programGroup({ name: 'api', command: '/bin/new' })] },
      running([programGroup({ name: 'api', command: '/bin/old' })], { 'api:api': state }),
    );
    const c = change(plan, 'api');
    assert.equal(c.action, 'update-in-place', state);
    assert.equal(c.reason, 'not-running');
    assert.equal(c.runsAfter, false);
    assert.deepEqual(steps(plan), ['0 update-process api'], state);
  }
});

test("a change to a process down on its own (EXITED, FATAL) starts it with the new spec, as supervisor's update", () => {
  for (const state of ['EXITED', 'FATAL'] as const) {
    for (const field of [{ command: '/bin/new' }, { startretries: 9 }]) {
      const plan = planReconcile(
        { groups: [programGroup({ name: 'api', command: '/bin/old', ...field })] },
        running([programGroup({ name: 'api', command: '/bin/old' })], { 'api:api': state }),
      );
      const c = change(plan, 'api');
      assert.equal(c.action, 'restart', state);
      assert.equal(c.reason, 'was-down');
      assert.equal(c.runsAfter, true);
      assert.deepEqual(steps(plan), ['0 update-process api', '1 start api'], state);
    }
  }
  const off = planReconcile(
    { groups: [programGroup({ name: 'api', command: '/bin/new', autostart: false })] },
    running([programGroup({ name: 'api', command: '/bin/old', autostart: false })], { 'api:api': 'FATAL' }),
  );
  assert.equal(change(off, 'api').runsAfter, false, 'autostart=false: it stays down');
  const same = planReconcile(
    { groups: [programGroup({ name: 'api' })] },
    running([programGroup({ name: 'api' })], { 'api:api': 'FATAL' }),
  );
  assert.ok(isEmptyPlan(same), 'no change, no start: update leaves an unchanged FATAL process alone');
});

test('autostart turned on for a process never started starts it; a hand-stopped one with autostart stays stopped', () => {
  const plan = planReconcile(
    { groups: [programGroup({ name: 'api', autostart: true })] },
    running([programGroup({ name: 'api', autostart: false })], { 'api:api': 'STOPPED' }),
  );
  assert.equal(change(plan, 'api').reason, 'was-down');
  assert.deepEqual(steps(plan), ['0 update-process api', '1 start api']);
  for (const field of [{ command: '/bin/new' }, { startretries: 9 }]) {
    const handStopped = planReconcile(
      { groups: [programGroup({ name: 'api', autostart: true, ...field })] },
      running([programGroup({ name: 'api', autostart: true })], { 'api:api': 'STOPPED' }),
    );
    assert.equal(change(handStopped, 'api').runsAfter, false, JSON.stringify(field));
    assert.deepEqual(steps(handStopped), ['0 update-process api'], JSON.stringify(field));
  }
});

test('numprocs 2 -> 3 adds and starts only the third instance; 3 -> 2 stops and removes only it', () => {
  const up = planReconcile({ groups: [web(3)] }, running([web(2)]));
  assert.deepEqual(
    up.groups[0]?.processes.map((p) => `${p.namespec} ${p.action}`),
    ['web:web_00 update-in-place', 'web:web_01 update-in-place', 'web:web_02 add'],
  );
  assert.deepEqual(
    change(up, 'web:web_00').fields.map((f) => f.field),
    ['numprocs'],
  );
  assert.deepEqual(steps(up), [
    '0 update-process web:web_00',
    '0 update-process web:web_01',
    '1 add-process web:web_02',
    '2 start web:web_02',
  ]);
  const down = planReconcile({ groups: [web(2)] }, running([web(3)]));
  assert.deepEqual(steps(down), [
    '0 stop web:web_02',
    '1 remove-process web:web_02',
    '2 update-process web:web_00',
    '2 update-process web:web_01',
  ]);
});

test('an unchanged process stopped by hand stays stopped, even with autostart=true and a changed neighbour', () => {
  const before = groupSpec('g', [
    { name: 'a', autostart: true },
    { name: 'b', command: '/bin/old' },
  ]);
  const after = groupSpec('g', [
    { name: 'a', autostart: true },
    { name: 'b', command: '/bin/new' },
  ]);
  const plan = planReconcile({ groups: [after] }, running([before], { 'g:a': 'STOPPED' }));
  assert.equal(change(plan, 'g:a').action, 'unchanged');
  assert.equal(change(plan, 'g:a').runsAfter, false);
  assert.deepEqual(steps(plan), ['0 stop g:b', '1 update-process g:b', '2 start g:b']);
});

test('a change inside a heterogeneous group restarts only the changed member; restartGroups restarts them all', () => {
  const members = (cmd: string) =>
    groupSpec(
      'stack',
      [
        { name: 'db', priority: 1 },
        { name: 'app', priority: 2, command: cmd },
        { name: 'worker', priority: 3 },
        { name: 'idle', priority: 4 },
      ],
      { kind: 'group', priority: 5 },
    );
  const actual = running([members('/bin/old')], { 'stack:idle': 'STOPPED' });
  const desired = { groups: [members('/bin/new')] };
  const plan = planReconcile(desired, actual);
  assert.deepEqual(steps(plan), ['0 stop stack:app', '1 update-process stack:app', '2 start stack:app']);

  for (const restartGroups of ['all', new Set(['stack'])] as const) {
    const whole = planReconcile(desired, actual, { restartGroups });
    assert.deepEqual(
      whole.groups[0]?.processes.map((p) => `${p.name} ${p.action} ${p.reason}`),
      [
        'db restart group-restart',
        'app restart group-restart',
        'worker restart group-restart',
        'idle unchanged same',
      ],
    );
    assert.deepEqual(steps(whole), [
      '0 stop stack:worker',
      '1 stop stack:app',
      '2 stop stack:db',
      '3 update-process stack:app',
      '4 start stack:db',
      '5 start stack:app',
      '6 start stack:worker',
    ]);
  }
  const other = planReconcile(desired, actual, { restartGroups: new Set(['elsewhere']) });
  assert.deepEqual(steps(other), steps(plan));
  const unchanged = planReconcile({ groups: [members('/bin/old')] }, actual, { restartGroups: 'all' });
  assert.ok(isEmptyPlan(unchanged), 'restartGroups leaves an unchanged group alone');
});

test('a new group is added, then its autostart processes start; autostart=false ones stay stopped', () => {
  const plan = planReconcile(
    { groups: [groupSpec('jobs', [{ name: 'on' }, { name: 'off', autostart: false }])] },
    { groups: [] },
  );
  assert.equal(plan.groups[0]?.action, 'add');
  assert.deepEqual(
    plan.groups[0]?.processes.map((p) => [p.name, p.action, p.runsAfter]),
    [
      ['on', 'add', true],
      ['off', 'add', false],
    ],
  );
  assert.deepEqual(steps(plan), ['0 add-group jobs:*', '1 start jobs:on']);
});

test('a removed group stops its running processes (not the stopped ones), then goes', () => {
  const old = groupSpec('old', [{ name: 'x' }, { name: 'y' }, { name: 'z' }]);
  const plan = planReconcile({ groups: [] }, running([old], { 'old:y': 'EXITED', 'old:z': 'STOPPING' }));
  assert.equal(plan.groups[0]?.action, 'remove');
  assert.deepEqual(steps(plan), ['0 stop old:x', '0 stop old:z', '1 remove-group old:*']);
  assert.equal(plan.counts.remove, 3);
});

test('a group priority change applies in place', () => {
  const plan = planReconcile(
    { groups: [programGroup({ name: 'a', priority: 10 })] },
    running([programGroup({ name: 'a', priority: 999 })]),
  );
  const g = plan.groups[0];
  assert.equal(g?.action, 'change');
  assert.deepEqual(
    g?.fields.map((f) => [f.field, f.class]),
    [['priority', 'in-place']],
  );
  // programGroup gives the process the group's priority too: its own priority is swapped in place as well.
  assert.deepEqual(steps(plan), ['0 set-group-priority a:*', '0 update-process a']);
  assert.equal(plan.counts.groups.updateInPlace, 1);
});

test("an event listener pool's events change rebuilds the group: running members restart, stopped ones stay stopped", () => {
  const pool = (events: [string, ...string[]]) =>
    groupSpec('ev', [{ name: 'ev_0' }, { name: 'ev_1' }], {
      kind: 'eventlistener',
      priority: -1,
      eventlistener: { events, buffer_size: 10, result_handler: 'supervisor.dispatchers:default_handler' },
    });
  const plan = planReconcile(
    { groups: [pool(['TICK_60'])] },
    running([pool(['TICK_5'])], { 'ev:ev_1': 'STOPPED' }),
  );
  const g = plan.groups[0];
  assert.equal(g?.rebuild, true);
  assert.deepEqual(
    g?.fields.map((f) => [f.field, f.old, f.new, f.class]),
    [['events', ['TICK_5'], ['TICK_60'], 'restart']],
  );
  assert.deepEqual(
    g?.processes.map((p) => `${p.name} ${p.action} ${p.reason}`),
    ['ev_0 restart group-settings', 'ev_1 update-in-place group-settings'],
  );
  assert.deepEqual(steps(plan), [
    '0 stop ev:ev_0',
    '1 remove-group ev:*',
    '2 add-group ev:*',
    '3 start ev:ev_0',
  ]);
});

test('a process moved into a [group:x] is removed from its old group and added to the new one', () => {
  const plan = planReconcile(
    { groups: [groupSpec('g', [{ name: 'x' }], { kind: 'group' })] },
    running([programGroup({ name: 'x' })]),
  );
  assert.deepEqual(steps(plan), ['0 stop x', '1 remove-group x:*', '2 add-group g:*', '3 start g:x']);
});

test('stops run in descending priority, starts in ascending priority; equal priorities share a wave', () => {
  const before = [
    programGroup({ name: 'low', priority: 1, command: '/bin/old' }),
    programGroup({ name: 'mid', priority: 50, command: '/bin/old' }),
    programGroup({ name: 'mid2', priority: 50, command: '/bin/old' }),
    programGroup({ name: 'high', priority: 900, command: '/bin/old' }),
    programGroup({ name: 'gone', priority: 100 }),
  ];
  const after = [
    programGroup({ name: 'low', priority: 1, command: '/bin/new' }),
    programGroup({ name: 'mid', priority: 50, command: '/bin/new' }),
    programGroup({ name: 'mid2', priority: 50, command: '/bin/new' }),
    programGroup({ name: 'high', priority: 900, command: '/bin/new' }),
    programGroup({ name: 'fresh', priority: 10 }),
  ];
  const plan = planReconcile({ groups: after }, running(before));
  assert.deepEqual(steps(plan), [
    '0 stop high',
    '1 stop gone',
    '2 stop mid',
    '2 stop mid2',
    '3 stop low',
    '4 remove-group gone:*',
    '5 update-process high',
    '5 update-process low',
    '5 update-process mid',
    '5 update-process mid2',
    '6 start low',
    '7 add-group fresh:*',
    '8 start fresh',
    '9 start mid',
    '9 start mid2',
    '10 start high',
  ]);
  assert.deepEqual(plan.counts, {
    add: 1,
    restart: 4,
    updateInPlace: 0,
    remove: 1,
    unchanged: 0,
    groups: { add: 1, remove: 1, change: 4, unchanged: 0, updateInPlace: 0 },
  });
});

test('the plan is a value: the same inputs give a deep-equal plan, and the simulator reaches the desired specs', () => {
  const before = [web(3), programGroup({ name: 'a', command: '/bin/old' })];
  const after = [web(2, { startsecs: 4 }), programGroup({ name: 'a', command: '/bin/new' })];
  const actual = running(before);
  const plan = planReconcile({ groups: after }, actual);
  assert.deepEqual(planReconcile({ groups: after }, actual), plan);
  const result = simulatePlan(actual, plan);
  assert.ok(isEmptyPlan(planReconcile({ groups: after }, result)));
});

test('moving a section in its file (only source changes) is not a change', () => {
  const a = programGroup({ name: 'a' });
  const moved: GroupSpec = {
    ...a,
    source: { file: '/x.conf', line: 40, column: 1 },
    processes: a.processes.map((p) => ({ ...p, source: { file: '/x.conf', line: 41, column: 1 } })),
  };
  assert.ok(isEmptyPlan(planReconcile({ groups: [moved] }, running([a]))));
});

test('groups listed in priority order, not name order, pair by name on both pairing paths', () => {
  // A loaded config lists groups by priority; the plan lists them by name either way.
  const byPriority = (cmd: string) => [
    programGroup({ name: 'zeta', priority: 1 }),
    programGroup({ name: 'alpha', priority: 2, command: cmd }),
    programGroup({ name: 'mid', priority: 3 }),
  ];
  const now = running(byPriority('/bin/alpha'));
  const sameNames = planReconcile({ groups: byPriority('/bin/alpha --new') }, now);
  assert.deepEqual(
    sameNames.groups.map((g) => `${g.name} ${g.action}`),
    ['alpha change', 'mid unchanged', 'zeta unchanged'],
  );
  assert.deepEqual(steps(sameNames), ['0 stop alpha', '1 update-process alpha', '2 start alpha']);
  // One group more on the desired side: the sorted merge.
  const merged = planReconcile(
    { groups: [...byPriority('/bin/alpha --new'), programGroup({ name: 'beta' })] },
    now,
  );
  assert.deepEqual(
    merged.groups.map((g) => `${g.name} ${g.action}`),
    ['alpha change', 'beta add', 'mid unchanged', 'zeta unchanged'],
  );
  assert.equal(change(merged, 'alpha').action, 'restart');
  assert.equal(change(merged, 'mid').pid, change(sameNames, 'mid').pid);
});
