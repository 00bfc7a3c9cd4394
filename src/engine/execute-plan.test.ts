import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GroupSpec } from '../model/config.js';
import { planReconcile } from '../plan/plan.js';
import { isEmptyPlan, stepTarget, type Step } from '../plan/plan-types.js';
import { ManualClock, UNTIMED_PACE } from '../../test/support/manual-clock.js';
import { FakeSpawner } from '../../test/support/fake-spawner.js';
import { groupSpec, programGroup } from '../../test/support/specs.js';
import { Engine } from './engine.js';
import { StillRunningError } from './errors.js';
import type { ProcessStateEvent } from './events.js';
import { executePlan, readActualState, type ApplyHooks, type ApplyReport } from './execute-plan.js';

function setup() {
  const clock = new ManualClock();
  const spawner = new FakeSpawner();
  const engine = new Engine({ pace: UNTIMED_PACE, clock, spawner });
  const transitions: string[] = [];
  engine.subscribe((e) => {
    if (e.type === 'process-state') transitions.push(`${(e as ProcessStateEvent).name} ${e.to}`);
  });
  /** Plans `groups` against the engine and executes the plan, moving the clock while steps wait. */
  const apply = async (groups: readonly GroupSpec[], hooks?: ApplyHooks, restartGroups?: 'all') => {
    const plan = planReconcile({ groups }, readActualState(engine), { restartGroups });
    let settled = false;
    const running = executePlan(plan, engine, hooks).finally(() => (settled = true));
    for (let i = 0; i < 1000 && !settled; i++) {
      await new Promise((r) => setImmediate(r));
      clock.advance(250);
    }
    assert.ok(settled, 'the apply settles once the clock moves');
    return { plan, report: await running };
  };
  const pid = (namespec: string) => engine.getProcessInfo(namespec).pid;
  const state = (namespec: string) => engine.getProcessInfo(namespec).statename;
  return { clock, spawner, engine, transitions, apply, pid, state };
}

const outcomes = (report: ApplyReport) =>
  report.results.map((r) => `${r.step.op} ${r.target} ${r.outcome.status}`);

/** An event listener pool `ev` of two listeners (l1 not autostarted), subscribed to `events`. */
const pool = (events: [string, ...string[]]) =>
  groupSpec(
    'ev',
    [
      { name: 'l0', startsecs: 0 },
      { name: 'l1', startsecs: 0, autostart: false },
    ],
    {
      kind: 'eventlistener',
      eventlistener: { events, buffer_size: 10, result_handler: 'supervisor.dispatchers:default_handler' },
    },
  );

test('the first apply adds every group and starts each autostart process without waiting for RUNNING', async () => {
  const { engine, apply, state, clock } = setup();
  engine.run();
  const groups = [
    programGroup({ name: 'api', startsecs: 1 }),
    groupSpec('jobs', [
      { name: 'on', startsecs: 2 },
      { name: 'off', autostart: false },
    ]),
  ];
  const { report } = await apply(groups);
  assert.ok(report.ok);
  assert.deepEqual(outcomes(report), [
    'add-group api:* done',
    'add-group jobs:* done',
    'start api done',
    'start jobs:on done',
  ]);
  // The apply is over while both still serve their startsecs, as supervisor's update returns at once.
  assert.equal(state('api'), 'STARTING');
  assert.equal(state('jobs:on'), 'STARTING');
  clock.advance(2001);
  assert.equal(state('api'), 'RUNNING');
  assert.equal(state('jobs:on'), 'RUNNING');
  assert.equal(state('jobs:off'), 'STOPPED');
  assert.ok(isEmptyPlan(planReconcile({ groups }, readActualState(engine))), 'a second plan is empty');
});

test('an in-place change keeps the child; a restart-class change replaces exactly that child', async () => {
  const { engine, spawner, apply, pid } = setup();
  engine.run();
  await apply([programGroup({ name: 'a', startsecs: 0 }), programGroup({ name: 'b', startsecs: 0 })]);
  const [a, b] = [pid('a'), pid('b')];
  const { report } = await apply([
    programGroup({ name: 'a', startsecs: 0, stopwaitsecs: 99, autorestart: true }),
    programGroup({ name: 'b', startsecs: 0, command: '/bin/other' }),
  ]);
  assert.deepEqual(outcomes(report), [
    'stop b done',
    'update-process a done',
    'update-process b done',
    'start b done',
  ]);
  assert.equal(pid('a'), a);
  assert.notEqual(pid('b'), b);
  assert.equal(spawner.spawnCount('a'), 1);
  assert.equal(spawner.last('b').spec.command, '/bin/other');
  const applied = engine.snapshot().find((s) => s.spec.name === 'a')?.spec;
  assert.equal(applied?.stopwaitsecs, 99);
});

test('stops run in descending priority and starts in ascending priority', async () => {
  const { engine, apply, transitions } = setup();
  engine.run();
  const three = (cmd: string) => [
    programGroup({ name: 'p1', priority: 1, startsecs: 0, command: cmd }),
    programGroup({ name: 'p5', priority: 5, startsecs: 0, command: cmd }),
    programGroup({ name: 'p9', priority: 9, startsecs: 0, command: cmd }),
  ];
  await apply(three('/bin/a'));
  transitions.length = 0;
  await apply(three('/bin/b'));
  assert.deepEqual(
    transitions.filter((t) => t.endsWith(' STOPPED') || t.endsWith(' STARTING')),
    ['p9 STOPPED', 'p5 STOPPED', 'p1 STOPPED', 'p1 STARTING', 'p5 STARTING', 'p9 STARTING'],
  );
});

test('a process that fails to spawn goes BACKOFF then FATAL as an autostart would; the others start', async () => {
  const { engine, spawner, apply, state } = setup();
  engine.run();
  spawner.failures.set('bad', "couldn't exec /nope: ENOENT");
  const { report } = await apply([
    programGroup({ name: 'bad', startsecs: 0, startretries: 0 }),
    programGroup({ name: 'good', startsecs: 0 }),
  ]);
  assert.equal(report.ok, true, "supervisor's update reports no start failure either");
  assert.equal(state('bad'), 'FATAL');
  assert.match(engine.getProcessInfo('bad').spawnerr, /ENOENT/);
  assert.equal(state('good'), 'RUNNING');
});

test('a program with a long startsecs does not hold up the starts of later priorities', async () => {
  const { engine, state } = setup();
  engine.run();
  const plan = planReconcile(
    {
      groups: [
        programGroup({ name: 'slow', priority: 1, startsecs: 60 }),
        programGroup({ name: 'next', priority: 2, startsecs: 0 }),
      ],
    },
    readActualState(engine),
  );
  // No clock movement at all: the apply must settle on its own.
  const report = await executePlan(plan, engine);
  assert.ok(report.ok);
  assert.equal(state('slow'), 'STARTING');
  assert.equal(state('next'), 'RUNNING');
});

test('a failed step skips the later steps on the same group and names the cause', async () => {
  const { engine, apply, state } = setup();
  engine.run();
  await apply([pool(['TICK_5']), programGroup({ name: 'other', startsecs: 0, command: '/bin/a' })]);
  const plan = planReconcile(
    { groups: [pool(['TICK_60']), programGroup({ name: 'other', startsecs: 0, command: '/bin/b' })] },
    readActualState(engine),
  );
  // The removal fails (as for a process whose kill failed, left UNKNOWN).
  const failing = new Proxy(engine, {
    get(target, key) {
      if (key === 'removeGroup')
        return () => {
          throw new StillRunningError('ev');
        };
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const report = await executePlan(plan, failing);
  assert.deepEqual(outcomes(report), [
    'stop ev:l0 done',
    'stop other done',
    'remove-group ev:* failed',
    'update-process other done',
    'add-group ev:* skipped',
    'start ev:l0 skipped',
    'start other done',
  ]);
  const skipped = report.results.find((r) => r.target === 'ev:l0' && r.step.op === 'start')?.outcome;
  assert.deepEqual(skipped, { status: 'skipped', reason: 'remove-group ev:* failed: STILL_RUNNING: ev' });
  assert.equal(state('other'), 'RUNNING');
});

test('a rebuilt group whose stopped process a client started after the plan: stopped, rebuilt, started again', async () => {
  const { engine, apply, spawner, state } = setup();
  engine.run();
  await apply([pool(['TICK_5'])]);
  const plan = planReconcile({ groups: [pool(['TICK_60'])] }, readActualState(engine));
  // l1 starts after the plan was made: the plan neither stops nor starts it.
  await engine.startProcess('ev:l1');
  const before = engine.getProcessInfo('ev:l1').pid;
  const report = await executePlan(plan, engine);
  assert.ok(report.ok, JSON.stringify(report.results));
  assert.equal(state('ev:l0'), 'RUNNING');
  assert.equal(state('ev:l1'), 'RUNNING');
  assert.notEqual(engine.getProcessInfo('ev:l1').pid, before);
  assert.deepEqual(engine.groupSpecs()[0]?.eventlistener?.events, ['TICK_60']);
  assert.equal(spawner.live().length, 2);
});

test('a process stopped after the plan was made is skipped at its stop, and the rest goes on', async () => {
  const { engine, apply, state } = setup();
  engine.run();
  await apply([
    groupSpec('g', [
      { name: 'x', startsecs: 0 },
      { name: 'y', startsecs: 0 },
    ]),
  ]);
  const plan = planReconcile(
    { groups: [groupSpec('g', [{ name: 'y', startsecs: 0 }])] },
    readActualState(engine),
  );
  await engine.stopProcess('g:x');
  const report = await executePlan(plan, engine);
  assert.deepEqual(outcomes(report), ['stop g:x skipped', 'remove-process g:x done']);
  assert.deepEqual(report.results[0]?.outcome, { status: 'skipped', reason: 'already STOPPED' });
  assert.equal(state('g:y'), 'RUNNING');
});

test('hooks see every step before and after, in the plan order within a wave', async () => {
  const { engine, apply } = setup();
  engine.run();
  const seen: string[] = [];
  const hooks: ApplyHooks = {
    beforeStep: (s: Step) => seen.push(`before ${s.op} ${stepTarget(s)}`),
    afterStep: (s, o) => seen.push(`after ${s.op} ${stepTarget(s)} ${o.status}`),
  };
  await apply([programGroup({ name: 'a', startsecs: 0 })], hooks);
  assert.deepEqual(seen, [
    'before add-group a:*',
    'after add-group a:* done',
    'before start a',
    'after start a done',
  ]);
});

test('readActualState reports applied specs, states and pids by group', async () => {
  const { engine, apply, pid } = setup();
  engine.run();
  await apply([
    groupSpec(
      'g',
      [
        { name: 'x', startsecs: 0 },
        { name: 'y', autostart: false },
      ],
      { priority: 7 },
    ),
  ]);
  const actual = readActualState(engine);
  assert.deepEqual(
    actual.groups.map((g) => [g.name, g.priority, g.processes.map((p) => [p.spec.name, p.state, p.pid])]),
    [
      [
        'g',
        7,
        [
          ['x', 'RUNNING', pid('g:x')],
          ['y', 'STOPPED', 0],
        ],
      ],
    ],
  );
});

test("additions start nothing by themselves: a new group's processes start by priority, not in config order", async () => {
  const { engine, apply, transitions } = setup();
  engine.run();
  const { report } = await apply([
    groupSpec('g', [
      { name: 'late', priority: 9, startsecs: 0 },
      { name: 'early', priority: 1, startsecs: 0 },
    ]),
  ]);
  assert.deepEqual(outcomes(report), ['add-group g:* done', 'start g:early done', 'start g:late done']);
  assert.deepEqual(
    transitions.filter((t) => t.endsWith('STARTING')),
    ['early STARTING', 'late STARTING'],
  );
  assert.equal(engine.snapshot().find((s) => s.spec.name === 'late')?.spec.autostart, true, 'spec restored');
});

test('a rebuilt group keeps a hand-stopped autostart process stopped and restarts the running one', async () => {
  const { engine, apply, state, pid } = setup();
  engine.run();
  const pool = (events: [string, ...string[]]) =>
    groupSpec(
      'ev',
      [
        { name: 'run', startsecs: 0 },
        { name: 'held', startsecs: 0 },
      ],
      {
        kind: 'eventlistener',
        eventlistener: { events, buffer_size: 10, result_handler: 'supervisor.dispatchers:default_handler' },
      },
    );
  await apply([pool(['TICK_5'])]);
  await engine.stopProcess('ev:held');
  const before = pid('ev:run');
  const { report } = await apply([pool(['TICK_60'])]);
  assert.ok(report.ok);
  assert.equal(state('ev:held'), 'STOPPED');
  assert.equal(state('ev:run'), 'RUNNING');
  assert.notEqual(pid('ev:run'), before);
  assert.deepEqual(engine.groupSpecs()[0]?.eventlistener?.events, ['TICK_60']);
});

test('a start that finds the process started since the plan was made leaves it alone: one spawn', async () => {
  const { engine, spawner, state } = setup();
  engine.run();
  engine.addGroup(programGroup({ name: 'ok', startsecs: 1, autostart: false }), { autostart: false });
  const plan = planReconcile(
    { groups: [programGroup({ name: 'ok', startsecs: 2 })] },
    readActualState(engine),
  );
  await engine.startProcess('ok', false);
  const report = await executePlan(plan, engine);
  assert.ok(report.ok);
  assert.equal(spawner.spawnCount('ok'), 1);
  assert.equal(state('ok'), 'STARTING');
});

/**
 * `fast` (priority 999) stops in the first wave, `slow` (priority 1, ignoring SIGTERM, stopwaitsecs 5) in the
 * second; `during` runs once `fast` is STOPPED while `slow` is still STOPPING, as a client's request would.
 */
async function raceTheStopWave(
  desired: (cmd: string) => GroupSpec[],
  during: (h: ReturnType<typeof setup>) => Promise<unknown>,
  before?: (h: ReturnType<typeof setup>) => Promise<unknown>,
) {
  const h = setup();
  const { engine, spawner, clock, state } = h;
  engine.run();
  for (const g of desired('/bin/old')) engine.addGroup(g);
  await engine.startsSettled();
  spawner.last('slow').ignores.add('SIGTERM');
  await before?.(h);
  const plan = planReconcile({ groups: desired('/bin/new') }, readActualState(engine));
  let settled = false;
  const running = executePlan(plan, engine).finally(() => (settled = true));
  for (let i = 0; i < 100 && !(state('fast') === 'STOPPED' && state('slow') === 'STOPPING'); i++)
    await new Promise((r) => setImmediate(r));
  assert.equal(state('slow'), 'STOPPING');
  await during(h);
  for (let i = 0; i < 1000 && !settled; i++) {
    await new Promise((r) => setImmediate(r));
    clock.advance(250);
  }
  assert.ok(settled, 'the apply settles once the clock moves');
  return { ...h, report: await running, desired };
}

const fastAndSlow = (cmd: string, extra: GroupSpec[] = []) => [
  programGroup({ name: 'fast', priority: 999, startsecs: 0, command: cmd }),
  programGroup({ name: 'slow', priority: 1, startsecs: 0, stopwaitsecs: 5, command: cmd }),
  ...extra,
];

test('a process a client starts again between its stop and its spec swap is restarted with the new command', async () => {
  const { engine, spawner, report, state, desired } = await raceTheStopWave(
    (cmd) => fastAndSlow(cmd),
    ({ engine }) => engine.startProcess('fast', false),
  );
  assert.ok(report.ok, JSON.stringify(report.results));
  assert.equal(state('fast'), 'RUNNING');
  // Not the old command under the new spec, which no later plan would see.
  assert.deepEqual(
    spawner.live().map((c) => `${c.spec.name} ${c.spec.command}`),
    ['slow /bin/new', 'fast /bin/new'],
  );
  assert.ok(isEmptyPlan(planReconcile({ groups: desired('/bin/new') }, readActualState(engine))));
});

test('a removed program a client starts again while the apply waits on another stop is stopped and removed', async () => {
  const gone = programGroup({ name: 'gone', priority: 500, startsecs: 0 });
  const { engine, spawner, report } = await raceTheStopWave(
    (cmd) => (cmd === '/bin/old' ? fastAndSlow(cmd, [gone]) : fastAndSlow(cmd)),
    ({ engine }) => engine.startProcess('gone', false),
  );
  assert.ok(report.ok, JSON.stringify(report.results));
  assert.deepEqual(
    engine.groupSpecs().map((g) => g.name),
    ['slow', 'fast'],
  );
  assert.deepEqual(
    spawner.live().map((c) => c.spec.name),
    ['slow', 'fast'],
  );
});

test('a hand-stopped process a client starts before its restart-class swap runs the new command after it', async () => {
  const { engine, spawner, report, state, desired } = await raceTheStopWave(
    (cmd) => fastAndSlow(cmd, [programGroup({ name: 'held', startsecs: 0, command: `${cmd}-held` })]),
    // Planned while held is stopped by hand: a swap in place and no start; a client starts it meanwhile.
    ({ engine }) => engine.startProcess('held', false),
    ({ engine }) => engine.stopProcess('held'),
  );
  assert.ok(report.ok, JSON.stringify(report.results));
  assert.equal(state('held'), 'RUNNING');
  assert.equal(spawner.last('held').spec.command, '/bin/new-held');
  assert.equal(spawner.live().filter((c) => c.spec.name === 'held').length, 1);
  assert.ok(isEmptyPlan(planReconcile({ groups: desired('/bin/new') }, readActualState(engine))));
});
