import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { GroupKind, GroupSpec, ProcessSpec } from '../model/config.js';
import { ProcessState, RUNNING_STATES, type ProcessStateName } from '../model/states.js';
import { processSpec } from '../../test/support/specs.js';
import { diffGroup, diffProcess } from './field-diff.js';
import { planReconcile, type PlanOptions } from './plan.js';
import type { Plan, ProcessChange, Step } from './plan-types.js';
import type { ActualProcess, ActualState, DesiredState } from './reconcile-state.js';
import { simulatePlan } from './simulate-plan.js';

// Small value domains, so that random desired and actual sets overlap often and every rule gets exercised.
const arbFields = fc.record({
  command: fc.constantFrom('/bin/a', '/bin/b'),
  priority: fc.constantFrom(1, 5, 999),
  autostart: fc.boolean(),
  autorestart: fc.constantFrom(true, false, 'unexpected' as const),
  startsecs: fc.constantFrom(0, 1),
  environment: fc.constantFrom<Record<string, string>>({}, { A: '1' }, { A: '2', B: 'x' }),
  stdout_logfile: fc.constantFrom('NONE', 'AUTO'),
  exitcodes: fc.constantFrom<number[]>([0], [0, 2]),
  umask: fc.constantFrom(null, '022'),
  process_num: fc.constantFrom(0, 1),
});

const arbGroupSettings = fc.record({
  kind: fc.constantFrom<GroupKind>('program', 'group', 'eventlistener', 'fcgi-program'),
  priority: fc.constantFrom(-1, 10, 999),
  events: fc.constantFrom<[string, ...string[]]>(['TICK_5'], ['PROCESS_STATE']),
  buffer_size: fc.constantFrom(10, 20),
  socket: fc.constantFrom('tcp://127.0.0.1:9000', 'unix:///tmp/f.sock'),
});

const arbGroup = fc.record({
  name: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
  settings: arbGroupSettings,
  processes: fc.uniqueArray(fc.record({ name: fc.constantFrom('p0', 'p1', 'p2', 'p3'), fields: arbFields }), {
    selector: (p) => p.name,
    maxLength: 4,
  }),
});
const arbGroups = fc.uniqueArray(arbGroup, { selector: (g) => g.name, maxLength: 5 });
type RawGroup = typeof arbGroup extends fc.Arbitrary<infer T> ? T : never;

function toSpec(g: RawGroup): GroupSpec {
  const s = g.settings;
  return {
    name: g.name,
    kind: s.kind,
    priority: s.priority,
    source: { file: '/p.conf', line: 1, column: 1 },
    eventlistener:
      s.kind === 'eventlistener'
        ? {
            events: s.events,
            buffer_size: s.buffer_size,
            result_handler: 'supervisor.dispatchers:default_handler',
          }
        : undefined,
    fcgi:
      s.kind === 'fcgi-program'
        ? { socket: s.socket, socket_backlog: null, socket_owner: null, socket_mode: '0700' }
        : undefined,
    processes: g.processes.map((p) =>
      processSpec({ ...p.fields, name: p.name, group: g.name, program: g.name }),
    ),
  };
}

const states = Object.keys(ProcessState) as ProcessStateName[];

/** An actual state: some groups taken from `desired` (exact, or with some process specs from `other`), some from `other`. */
const arbScenario = fc
  .record({
    desired: arbGroups,
    other: arbGroups,
    choices: fc.array(fc.nat(5), { minLength: 64, maxLength: 64 }),
    restart: fc.constantFrom<'none' | 'all' | 'some'>('none', 'none', 'all', 'some'),
  })
  .map(({ desired, other, choices, restart }) => {
    let i = 0;
    const pick = () => choices[i++ % choices.length] ?? 0;
    const desiredSpecs = desired.map(toSpec);
    const otherSpecs = new Map(other.map((g) => [g.name, toSpec(g)]));
    const names = [...new Set([...desired.map((g) => g.name), ...otherSpecs.keys()])];
    let pid = 1;
    const live = (p: ProcessSpec) => {
      const state = states[pick() % states.length] ?? 'STOPPED';
      const alive = state === 'RUNNING' || state === 'STARTING' || state === 'STOPPING';
      return { spec: p, state, pid: alive ? pid++ : 0 };
    };
    const actualGroups = names.flatMap((name): ActualState['groups'][number][] => {
      const d = desiredSpecs.find((g) => g.name === name);
      const o = otherSpecs.get(name);
      const c = pick();
      const base = c <= 1 ? d : c <= 3 ? o : undefined;
      if (!base) return [];
      const { processes, ...settings } = base;
      // Sometimes mix in the other side's version of a process, so that single fields differ.
      const mixed = processes.map((p) => {
        const alt = (base === d ? o : d)?.processes.find((x) => x.name === p.name);
        return alt && pick() === 0 ? { ...alt, group: name } : p;
      });
      return [{ ...settings, processes: mixed.map(live) }];
    });
    const options: PlanOptions =
      restart === 'all'
        ? { restartGroups: 'all' }
        : restart === 'some'
          ? { restartGroups: new Set(['a', 'c']) }
          : {};
    return { desired: { groups: desiredSpecs } as DesiredState, actual: { groups: actualGroups }, options };
  });

const key = (group: string, name: string) => `${group}\u0000${name}`;

function checkReachesDesired(desired: DesiredState, actual: ActualState, plan: Plan): void {
  const after = simulatePlan(actual, plan);
  const before = new Map<string, ActualProcess>(
    actual.groups.flatMap((g) => g.processes.map((p) => [key(g.name, p.spec.name), p] as const)),
  );
  assert.deepEqual(after.groups.map((g) => g.name).sort(), desired.groups.map((g) => g.name).sort());
  for (const d of desired.groups) {
    const g = after.groups.find((x) => x.name === d.name);
    assert.ok(g);
    assert.deepEqual(diffGroup(g, d), [], `group ${d.name} settings`);
    assert.deepEqual(g.processes.map((p) => p.spec.name).sort(), d.processes.map((p) => p.name).sort());
    for (const spec of d.processes) {
      const p: ActualProcess | undefined = g.processes.find((x) => x.spec.name === spec.name);
      assert.ok(p);
      assert.deepEqual(diffProcess(p.spec, spec), [], `${d.name}:${spec.name} spec`);
      const was = before.get(key(d.name, spec.name));
      const isRunning = RUNNING_STATES.has(p.state);
      const startsAgain = changeOf(plan, d.name, spec.name)?.reason === 'was-down';
      if (was)
        assert.equal(
          isRunning,
          RUNNING_STATES.has(was.state) || startsAgain,
          `${d.name}:${spec.name} keeps running-ness, or starts when it was down`,
        );
      else assert.equal(isRunning, spec.autostart, `${d.name}:${spec.name} new: runs iff autostart`);
      // The plan's own word (startsAgain) is not the judge of which down processes start: only one with
      // autostart that is down on its own (EXITED, FATAL), or STOPPED while autostart was off. STOPPED with
      // autostart on means stopped by hand, and stays so.
      if (was && !RUNNING_STATES.has(was.state) && isRunning)
        assert.ok(
          spec.autostart &&
            (was.state === 'EXITED' ||
              was.state === 'FATAL' ||
              (was.state === 'STOPPED' && !was.spec.autostart)),
          `${d.name}:${spec.name} started from ${was.state} (autostart ${was.spec.autostart} -> ${spec.autostart})`,
        );
    }
  }
  // Untouched processes keep their pid and state.
  for (const g of plan.groups) {
    if (g.rebuild) continue;
    for (const c of g.processes) {
      if (c.action !== 'unchanged' && c.action !== 'update-in-place') continue;
      const p = after.groups.find((x) => x.name === g.name)?.processes.find((x) => x.spec.name === c.name);
      assert.equal(p?.pid, c.pid, `${c.namespec} keeps its pid`);
      assert.equal(p?.state, c.state, `${c.namespec} keeps its state`);
    }
  }
}

function changeOf(plan: Plan, group: string, name: string): ProcessChange | undefined {
  return plan.groups.find((g) => g.name === group)?.processes.find((p) => p.name === name);
}

function checkOrder(desired: DesiredState, actual: ActualState, plan: Plan): void {
  const priorities = (groups: readonly { name: string; priority: number; processes: readonly unknown[] }[]) =>
    new Map(groups.map((g) => [g.name, g.priority]));
  const actualGp = priorities(actual.groups);
  const desiredGp = priorities(desired.groups);
  const actualPp = new Map(
    actual.groups.flatMap((g) => g.processes.map((p) => [key(g.name, p.spec.name), p.spec.priority])),
  );
  const desiredPp = new Map(
    desired.groups.flatMap((g) => g.processes.map((p) => [key(g.name, p.name), p.priority])),
  );
  const phase = (s: Step) => (s.op === 'stop' ? 0 : s.op === 'start' ? 2 : 1);
  let last: Step | undefined;
  for (const s of plan.steps) {
    if (last) {
      assert.ok(s.wave >= last.wave, 'waves ascend');
      if (s.op !== 'add-group' && s.op !== 'add-process')
        assert.ok(phase(s) >= phase(last), `${s.op} after ${last.op}`);
      if (s.op === 'stop' && last.op === 'stop') {
        const a = [actualGp.get(s.group), actualPp.get(key(s.group, s.name))] as number[];
        const b = [actualGp.get(last.group), actualPp.get(key(last.group, last.name))] as number[];
        assert.ok(a[0]! < b[0]! || (a[0] === b[0] && a[1]! <= b[1]!), 'stops descend by priority');
      }
      if (s.op === 'start' && last.op === 'start') {
        const a = [desiredGp.get(s.group), desiredPp.get(key(s.group, s.name))] as number[];
        const b = [desiredGp.get(last.group), desiredPp.get(key(last.group, last.name))] as number[];
        assert.ok(a[0]! > b[0]! || (a[0] === b[0] && a[1]! >= b[1]!), 'starts ascend by priority');
      }
    }
    last = s;
  }
  const firstStart = plan.steps.findIndex((s) => s.op === 'start');
  const lastStop = plan.steps.findLastIndex((s) => s.op === 'stop');
  if (firstStart >= 0 && lastStop >= 0) assert.ok(lastStop < firstStart, 'every stop before any start');
}

const runs = { numRuns: 400 };

test('property: applying the plan to the actual state gives the desired state, in priority order', () => {
  fc.assert(
    fc.property(arbScenario, ({ desired, actual, options }) => {
      const plan = planReconcile(desired, actual, options);
      checkReachesDesired(desired, actual, plan);
      checkOrder(desired, actual, plan);
    }),
    runs,
  );
});

test('property: a process restarts only when a restart-class field or its group forces it, and only if it runs', () => {
  fc.assert(
    fc.property(arbScenario, ({ desired, actual, options }) => {
      const plan = planReconcile(desired, actual, options);
      const stopped = new Set(plan.steps.flatMap((s) => (s.op === 'stop' ? [key(s.group, s.name)] : [])));
      for (const g of plan.groups)
        for (const c of g.processes) {
          const restarts = c.action === 'restart';
          if (restarts && c.reason === 'was-down')
            assert.ok(
              c.state === 'EXITED' || c.state === 'FATAL' || c.state === 'STOPPED',
              `${c.namespec} is down`,
            );
          else if (restarts) assert.ok(c.state !== null && RUNNING_STATES.has(c.state), `${c.namespec} runs`);
          if (restarts && c.reason === 'fields') assert.ok(c.fields.some((f) => f.class === 'restart'));
          if (c.action === 'unchanged' || c.action === 'update-in-place' || c.action === 'add')
            assert.ok(!stopped.has(key(c.group, c.name)) || g.rebuild, `${c.namespec} is not stopped`);
        }
    }),
    runs,
  );
});

test('property: the plan of a set against itself is empty', () => {
  fc.assert(
    fc.property(
      arbGroups,
      fc.array(fc.constantFrom(...states), { minLength: 20, maxLength: 20 }),
      (raw, st) => {
        const groups = raw.map(toSpec);
        let i = 0;
        const actual: ActualState = {
          groups: groups.map(({ processes, ...settings }) => ({
            ...settings,
            processes: processes.map((spec) => ({ spec, state: st[i++ % st.length] ?? 'STOPPED', pid: 0 })),
          })),
        };
        const plan = planReconcile({ groups }, actual, { restartGroups: 'all' });
        assert.deepEqual(plan.steps, []);
        assert.ok(plan.groups.every((g) => g.action === 'unchanged'));
        const { add, restart, updateInPlace, remove } = plan.counts;
        assert.deepEqual([add, restart, updateInPlace, remove], [0, 0, 0, 0]);
      },
    ),
    runs,
  );
});

test('property: the plan is deterministic', () => {
  fc.assert(
    fc.property(arbScenario, ({ desired, actual, options }) => {
      assert.deepEqual(planReconcile(desired, actual, options), planReconcile(desired, actual, options));
    }),
    { numRuns: 200 },
  );
});

test('property: after applying a plan, planning again finds nothing to do', () => {
  fc.assert(
    fc.property(arbScenario, ({ desired, actual, options }) => {
      const after = simulatePlan(actual, planReconcile(desired, actual, options));
      assert.deepEqual(planReconcile(desired, after, options).steps, []);
    }),
    runs,
  );
});
