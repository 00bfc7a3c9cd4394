import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from './engine.js';
import { ReconcileLoop, type ApplyOutcome, type DesiredOutcome } from './reconcile-loop.js';
import type { GroupSpec } from '../model/config.js';
import { ManualClock, UNTIMED_PACE } from '../../test/support/manual-clock.js';
import { FakeSpawner } from '../../test/support/fake-spawner.js';
import { groupSpec, programGroup } from '../../test/support/specs.js';

function setup(initial: GroupSpec[]) {
  const spawner = new FakeSpawner();
  const engine = new Engine({ pace: UNTIMED_PACE, clock: new ManualClock(), spawner });
  for (const g of initial) engine.addGroup(g);
  engine.run();
  return { engine, spawner, loop: new ReconcileLoop(engine) };
}

const want =
  (...groups: GroupSpec[]) =>
  (): DesiredOutcome => ({ desired: { groups }, diagnostics: [] });
const pidOf = (engine: Engine, name: string) => engine.getProcessInfo(name).pid;

test('apply adds, restarts only what changed, and a second identical apply does nothing', async () => {
  const a = programGroup({ name: 'a', startsecs: 0 });
  const b = programGroup({ name: 'b', startsecs: 0 });
  const { engine, loop } = setup([a, b]);
  const pidA = pidOf(engine, 'a');
  const pidB = pidOf(engine, 'b');
  const c = programGroup({ name: 'c', startsecs: 0 });
  const changedB = programGroup({ name: 'b', startsecs: 0, command: '/bin/sleep 5' });
  const first = await loop.apply(want(a, changedB, c));
  assert.ok(first.ok && first.report.ok);
  assert.equal(pidOf(engine, 'a'), pidA, 'unchanged keeps its pid');
  assert.notEqual(pidOf(engine, 'b'), pidB, 'changed command restarts');
  assert.equal(engine.getProcessInfo('c').statename, 'RUNNING');
  const second = await loop.apply(want(a, changedB, c));
  assert.ok(second.ok);
  assert.equal(second.plan.steps.length, 0);
  assert.equal(second.report.results.length, 0);
});

test('an invalid desired state changes nothing and returns its diagnostics', async () => {
  const a = programGroup({ name: 'a', startsecs: 0 });
  const { engine, loop } = setup([a]);
  const pid = pidOf(engine, 'a');
  const diagnostic = {
    severity: 'error' as const,
    code: 'X',
    message: 'bad',
    file: '/f',
    line: 1,
    column: 1,
  };
  const outcome = await loop.apply(() => ({ desired: null, diagnostics: [diagnostic] }));
  assert.equal(outcome.ok, false);
  assert.deepEqual(outcome.diagnostics, [diagnostic]);
  assert.equal(pidOf(engine, 'a'), pid);
});

test("concurrent applies run one after the other, the second planning against the first one's result", async () => {
  const a = programGroup({ name: 'a', startsecs: 0 });
  const { loop } = setup([]);
  const [one, two] = await Promise.all([loop.apply(want(a)), loop.apply(want(a))]);
  assert.ok(one.ok && two.ok);
  assert.equal(one.plan.counts.add, 1);
  assert.equal(two.plan.steps.length, 0, 'the second saw the group already added');
});

test('onlyGroups leaves the other groups as they run', async () => {
  const a = programGroup({ name: 'a', startsecs: 0 });
  const b = programGroup({ name: 'b', startsecs: 0 });
  const { engine, loop } = setup([a, b]);
  const pidB = pidOf(engine, 'b');
  const outcome = await loop.apply(want(programGroup({ name: 'a', startsecs: 0, command: '/bin/sleep 1' })), {
    onlyGroups: new Set(['a']),
  });
  assert.ok(outcome.ok && outcome.report.ok);
  assert.equal(pidOf(engine, 'b'), pidB, 'b is not in the config any more, but it was not named');
  assert.deepEqual(
    engine
      .groupSpecs()
      .map((g) => g.name)
      .sort(),
    ['a', 'b'],
  );
});

test('reload requests that arrive while one waits join it', async () => {
  const a = programGroup({ name: 'a', startsecs: 0 });
  const { loop } = setup([]);
  let loads = 0;
  const load = () => {
    loads++;
    return want(a)();
  };
  const done: ApplyOutcome[] = [];
  const blocker = loop.apply(want());
  const failed = (e: unknown) => assert.fail(String(e));
  loop.requestReload(load, (o) => done.push(o), failed);
  loop.requestReload(load, (o) => done.push(o), failed);
  loop.requestReload(load, (o) => done.push(o), failed);
  await blocker;
  await loop.plan(want(a));
  assert.equal(loads, 1);
  assert.equal(done.length, 1);
});

test('a reload whose load throws is reported to onError, and the next reload runs', async () => {
  const a = programGroup({ name: 'a', startsecs: 0 });
  const { engine, loop } = setup([]);
  const errors: unknown[] = [];
  const done: ApplyOutcome[] = [];
  loop.requestReload(
    () => {
      throw new Error('EACCES: permission denied');
    },
    (o) => done.push(o),
    (e) => errors.push(e),
  );
  await loop.plan(want());
  loop.requestReload(
    want(a),
    (o) => done.push(o),
    (e) => errors.push(e),
  );
  await loop.plan(want(a));
  assert.deepEqual(
    errors.map((e) => (e as Error).message),
    ['EACCES: permission denied'],
  );
  assert.equal(done.length, 1);
  assert.equal(engine.getProcessInfo('a').statename, 'RUNNING');
});

test('once a shutdown began an apply with work to do faults SHUTDOWN_STATE and changes nothing', async () => {
  const a = programGroup({ name: 'a', startsecs: 0, startretries: 3 });
  const { engine, loop } = setup([a]);
  engine.requestShutdown();
  await assert.rejects(loop.apply(want(programGroup({ name: 'a', startsecs: 0, startretries: 9 }))), {
    fault: 'SHUTDOWN_STATE',
  });
  assert.equal(engine.groupSpecs()[0]?.processes[0]?.startretries, 3, 'the spec was not swapped');
  const nothing = await loop.apply(want(a));
  assert.ok(nothing.ok && nothing.report.results.length === 0, 'an empty plan still answers');
});

test('an applied group lists its processes in the desired order, so a fresh read sees no change', async () => {
  const names = (engine: Engine) => engine.groupSpecs()[0]?.processes.map((p) => p.name);
  const order = (engine: Engine) => engine.snapshot().map((s) => s.spec.name);
  const g = (...ps: string[]) =>
    groupSpec(
      'g',
      ps.map((name) => ({ name, startsecs: 0 })),
    );
  const { engine, loop } = setup([g('a', 'c')]);
  // b goes between a and c; then a goes and comes back last.
  for (const next of [g('a', 'b', 'c'), g('b', 'c'), g('b', 'c', 'a')]) {
    const outcome = await loop.apply(want(next));
    assert.ok(outcome.ok && outcome.report.ok);
    const expected = next.processes.map((p) => p.name);
    assert.deepEqual(names(engine), expected, 'the group spec');
    assert.deepEqual(order(engine), expected, 'the start order of processes of one priority');
  }
  // Only the groups an update names are arranged; the others are not touched at all.
  const outcome = await loop.apply(want(g('c', 'b', 'a')), { onlyGroups: new Set(['other']) });
  assert.ok(outcome.ok);
  assert.deepEqual(names(engine), ['b', 'c', 'a']);
});
