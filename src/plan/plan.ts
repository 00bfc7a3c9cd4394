// Pure: the reconciler's decision. Compares the desired groups with the running ones and returns a Plan value.
// No I/O, no clock. Imports model/ and plan/ only.
import type { GroupSpec, ProcessSpec } from '../model/config.js';
import { RUNNING_STATES } from '../model/states.js';
import { diffGroup, diffProcess } from './field-diff.js';
import { orderSteps } from './order-steps.js';
import type { GroupAction, GroupChange, Plan, PlanCounts, ProcessChange } from './plan-types.js';
import {
  namespecOf,
  type ActualGroup,
  type ActualProcess,
  type ActualState,
  type DesiredState,
} from './reconcile-state.js';

export interface PlanOptions {
  /**
   * Groups that keep supervisor's whole-group behaviour (its #591): when anything in such a group changes, every
   * running process of the group restarts, not only the changed ones. Stopped processes still stay stopped.
   */
  readonly restartGroups?: 'all' | ReadonlySet<string> | undefined;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The changes that turn `actual` into `desired`, with the fewest stops and starts:
 * - identity is (group, process name): a numprocs change adds or removes only the instances that appear or go;
 * - a process restarts only when a restart-class field changed and it is running; a stopped one gets the new spec
 *   and stays stopped; in-place fields are swapped without touching the child;
 * - an unchanged process is not touched (keeps its pid and its state, even stopped by hand with autostart=true);
 * - an added process starts when autostart;
 * - a group whose kind, pool or socket changed is rebuilt: its running processes restart.
 * The same inputs give a deep-equal plan.
 */
export function planReconcile(desired: DesiredState, actual: ActualState, options: PlanOptions = {}): Plan {
  const want = new Map(desired.groups.map((g) => [g.name, g]));
  const have = new Map(actual.groups.map((g) => [g.name, g]));
  const names = [...new Set([...want.keys(), ...have.keys()])].sort(byName);
  const whole = options.restartGroups ?? new Set<string>();
  const groups = names.map((name) =>
    planGroup(want.get(name), have.get(name), whole === 'all' || whole.has(name)),
  );
  return { groups, steps: orderSteps(groups, want, have), counts: countPlan(groups) };
}

function planGroup(d: GroupSpec | undefined, a: ActualGroup | undefined, wholeGroup: boolean): GroupChange {
  if (d && !a) {
    return {
      name: d.name,
      kind: d.kind,
      action: 'add',
      rebuild: false,
      fields: [],
      processes: d.processes.map(added),
    };
  }
  if (a && !d) {
    return {
      name: a.name,
      kind: a.kind,
      action: 'remove',
      rebuild: false,
      fields: [],
      processes: a.processes.map(removed),
    };
  }
  if (!a || !d) throw new Error('unreachable: a group name from neither side');

  const fields = diffGroup(a, d);
  const rebuild = fields.some((f) => f.class === 'restart');
  const current = new Map(a.processes.map((p) => [p.spec.name, p]));
  const diffs = d.processes.map((spec) => {
    const now = current.get(spec.name);
    return { spec, now, fields: now ? diffProcess(now.spec, spec) : [] };
  });
  const gone = a.processes.filter((p) => !d.processes.some((s) => s.name === p.spec.name));
  const changed = fields.length > 0 || gone.length > 0 || diffs.some((x) => !x.now || x.fields.length > 0);
  const forced = rebuild ? 'group-settings' : changed && wholeGroup ? 'group-restart' : null;

  const processes: ProcessChange[] = diffs.map(({ spec, now, fields: pf }): ProcessChange => {
    if (!now) return added(spec);
    const base = {
      group: spec.group,
      name: spec.name,
      namespec: namespecOf(spec.group, spec.name),
      fields: pf,
      state: now.state,
      pid: now.pid,
    };
    const running = RUNNING_STATES.has(now.state);
    const needsRestart = forced !== null || pf.some((f) => f.class === 'restart');
    if (needsRestart && running)
      return { ...base, action: 'restart', reason: forced ?? 'fields', runsAfter: true };
    if (rebuild) return { ...base, action: 'update-in-place', reason: 'group-settings', runsAfter: running };
    if (pf.length === 0) return { ...base, action: 'unchanged', reason: 'same', runsAfter: running };
    return {
      ...base,
      action: 'update-in-place',
      reason: pf.some((f) => f.class === 'restart') ? 'not-running' : 'fields',
      runsAfter: running,
    };
  });
  processes.push(...gone.map(removed));
  return {
    name: d.name,
    kind: d.kind,
    action: changed ? 'change' : 'unchanged',
    rebuild,
    fields,
    processes,
  };
}

function added(spec: ProcessSpec): ProcessChange {
  return {
    group: spec.group,
    name: spec.name,
    namespec: namespecOf(spec.group, spec.name),
    action: 'add',
    reason: 'new',
    fields: [],
    state: null,
    pid: 0,
    runsAfter: spec.autostart,
  };
}

function removed(p: ActualProcess): ProcessChange {
  return {
    group: p.spec.group,
    name: p.spec.name,
    namespec: namespecOf(p.spec.group, p.spec.name),
    action: 'remove',
    reason: 'gone',
    fields: [],
    state: p.state,
    pid: p.pid,
    runsAfter: false,
  };
}

function countPlan(groups: readonly GroupChange[]): PlanCounts {
  const n = { add: 0, restart: 0, 'update-in-place': 0, remove: 0, unchanged: 0 };
  const g: Record<GroupAction, number> = { add: 0, remove: 0, change: 0, unchanged: 0 };
  let groupInPlace = 0;
  for (const group of groups) {
    g[group.action]++;
    if (!group.rebuild && group.fields.length > 0) groupInPlace++;
    for (const p of group.processes) n[p.action]++;
  }
  return {
    add: n.add,
    restart: n.restart,
    updateInPlace: n['update-in-place'],
    remove: n.remove,
    unchanged: n.unchanged,
    groups: { ...g, updateInPlace: groupInPlace },
  };
}
