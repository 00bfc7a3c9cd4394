// Pure: the reconciler's decision. Compares the desired groups with the running ones and returns a Plan value.
// No I/O, no clock. Imports model/ and plan/ only.
import type { GroupSpec, ProcessSpec } from '../model/config.js';
import { RUNNING_STATES } from '../model/states.js';
import { NO_CHANGES, diffGroup, diffProcess, type FieldChange } from './field-diff.js';
import { orderSteps } from './order-steps.js';
import type { GroupAction, GroupChange, Plan, PlanCounts, ProcessChange } from './plan-types.js';
import {
  namespecOf,
  type ActualGroup,
  type ActualProcess,
  type ActualState,
  type DesiredState,
} from './reconcile-state.js';

/** How planReconcile departs from its default of restarting only what changed. */
export interface PlanOptions {
  /**
   * Groups that keep supervisor's whole-group behaviour (its #591): when anything in such a group changes, every
   * running process of the group restarts, not only the changed ones. Stopped processes still stay stopped.
   */
  readonly restartGroups?: 'all' | ReadonlySet<string> | undefined;
}

/**
 * The changes that turn `actual` into `desired`, with the fewest stops and starts:
 * - identity is (group, process name): a numprocs change adds or removes only the instances that appear or go;
 * - a process restarts only when a restart-class field changed and it is running; a stopped one gets the new spec
 *   and stays stopped; in-place fields are swapped without touching the child;
 * - a changed process that is down on its own (EXITED, FATAL) or was never started for autostart=false, and has
 *   autostart now, starts with its new spec: supervisor's update starts it, and "fix the typo, update" must work;
 * - an unchanged process is not touched (keeps its pid and its state, even stopped by hand with autostart=true);
 * - an added process starts when autostart;
 * - a group whose kind, pool or socket changed is rebuilt: its running processes restart.
 * The same inputs give a deep-equal plan.
 */
export function planReconcile(desired: DesiredState, actual: ActualState, options: PlanOptions = {}): Plan {
  const whole = options.restartGroups ?? new Set<string>();
  const { want, have } = pairGroups(desired.groups, actual.groups);
  const groups: GroupChange[] = [];
  for (let i = 0; i < want.length; i++) {
    const d = want[i];
    const a = have[i];
    groups.push(planGroup(d, a, whole === 'all' || whole.has((d?.name ?? a?.name) as string)));
  }
  return { groups, steps: orderSteps(groups, want, have), counts: countPlan(groups) };
}

const byGroupName = (x: { readonly name: string }, y: { readonly name: string }) => byName(x.name, y.name);
const byName = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

function inNameOrder(list: readonly { readonly name: string }[]): boolean {
  for (let i = 1; i < list.length; i++)
    if ((list[i - 1]?.name as string) >= (list[i]?.name as string)) return false;
  return true;
}

/** The list itself when it is already in name order (a config usually is), else a sorted copy. */
function sortedByName<T extends { readonly name: string }>(list: readonly T[]): readonly T[] {
  return inNameOrder(list) ? list : [...list].sort(byGroupName);
}

/**
 * Every group name of either side, in name order: `want[i]` and `have[i]` are its desired and running group
 * (either may be missing). When both sides list the same names in the same order (a reload that adds and removes
 * no group), one sort orders both; otherwise both sides are sorted, then merged. No maps either way.
 */
function pairGroups(
  desired: readonly GroupSpec[],
  actual: readonly ActualGroup[],
): { want: readonly (GroupSpec | undefined)[]; have: readonly (ActualGroup | undefined)[] } {
  if (sameGroupNames(desired, actual)) {
    const order = nameOrder(desired);
    if (order === null) return { want: desired, have: actual };
    return { want: order.map((i) => desired[i]), have: order.map((i) => actual[i]) };
  }
  const ds = sortedByName(desired);
  const as = sortedByName(actual);
  const want: (GroupSpec | undefined)[] = [];
  const have: (ActualGroup | undefined)[] = [];
  let i = 0;
  let j = 0;
  while (i < ds.length || j < as.length) {
    const w = ds[i];
    const h = as[j];
    const takeWant = w !== undefined && (h === undefined || w.name <= h.name);
    const takeHave = h !== undefined && (w === undefined || h.name <= w.name);
    want.push(takeWant ? w : undefined);
    have.push(takeHave ? h : undefined);
    if (takeWant) i++;
    if (takeHave) j++;
  }
  return { want, have };
}

function sameGroupNames(desired: readonly GroupSpec[], actual: readonly ActualGroup[]): boolean {
  if (desired.length !== actual.length) return false;
  for (let i = 0; i < desired.length; i++) if (desired[i]?.name !== actual[i]?.name) return false;
  return true;
}

/** The positions of `list` in name order, or null when the list is in name order already. */
function nameOrder(list: readonly { readonly name: string }[]): number[] | null {
  if (inNameOrder(list)) return null;
  const names = list.map((x) => x.name);
  return names.map((_, i) => i).sort((a, b) => byName(names[a] as string, names[b] as string));
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
  const rebuild = hasRestart(fields);
  const want = d.processes;
  // Usually both sides list the same names in the same order: then no pairing is built at all.
  const paired = sameNames(a.processes, want) ? null : pairProcesses(a.processes, want);
  const have = paired?.have ?? a.processes;
  const gone = paired?.gone ?? NO_PROCESSES;
  // Field lists stay one shared empty list until a process differs, and nothing here makes a closure: an
  // unchanged group allocates only its change records.
  let diffs: FieldList[] | null = null;
  let changed = fields.length > 0 || gone.length > 0;
  for (let i = 0; i < want.length; i++) {
    const now = have[i];
    const pf = now ? diffProcess(now.spec, want[i] as ProcessSpec) : NO_CHANGES;
    if (!now || pf.length > 0) changed = true;
    if (pf.length > 0) {
      diffs ??= new Array<FieldList>(want.length).fill(NO_CHANGES);
      diffs[i] = pf;
    }
  }
  const forced = rebuild ? 'group-settings' : changed && wholeGroup ? 'group-restart' : null;

  const processes = new Array<ProcessChange>(want.length + gone.length);
  for (let i = 0; i < want.length; i++) {
    const spec = want[i] as ProcessSpec;
    const now = have[i];
    processes[i] = now ? processChange(spec, now, diffs?.[i] ?? NO_CHANGES, forced, rebuild) : added(spec);
  }
  for (let i = 0; i < gone.length; i++) processes[want.length + i] = removed(gone[i] as ActualProcess);
  return {
    name: d.name,
    kind: d.kind,
    action: changed ? 'change' : 'unchanged',
    rebuild,
    fields,
    processes,
  };
}

/** True when a field of the list needs a restart. A loop, not `some` with a new closure per call. */
function hasRestart(fields: readonly { readonly class: string }[]): boolean {
  for (let i = 0; i < fields.length; i++) if (fields[i]?.class === 'restart') return true;
  return false;
}

/** What happens to a process that runs now and stays wanted: restart, spec swap in place, or nothing. */
function processChange(
  spec: ProcessSpec,
  now: ActualProcess,
  pf: FieldList,
  forced: 'group-settings' | 'group-restart' | null,
  rebuild: boolean,
): ProcessChange {
  const running = RUNNING_STATES.has(now.state);
  const needsRestart = forced !== null || hasRestart(pf);
  let action: ProcessChange['action'] = 'update-in-place';
  let reason: ProcessChange['reason'] = 'fields';
  let runsAfter = running;
  if (needsRestart && running) {
    action = 'restart';
    reason = forced ?? 'fields';
    runsAfter = true;
  } else if (!running && (pf.length > 0 || forced !== null) && startsOnChange(spec, now.state, pf)) {
    action = 'restart';
    reason = 'was-down';
    runsAfter = true;
  } else if (rebuild) reason = 'group-settings';
  else if (pf.length === 0) {
    action = 'unchanged';
    reason = 'same';
  } else if (hasRestart(pf)) reason = 'not-running';
  // One literal per change (not a spread of a shared base): 10,000 of them are built for every plan.
  return {
    group: spec.group,
    name: spec.name,
    namespec: namespecOf(spec.group, spec.name),
    fields: pf,
    state: now.state,
    pid: now.pid,
    action,
    reason,
    runsAfter,
  };
}

type FieldList = readonly FieldChange[];

/**
 * Whether a changed, not running process starts: it is down on its own (EXITED, FATAL), or STOPPED because
 * autostart was off until this change. STOPPED otherwise means stopped by hand, and that is kept.
 */
function startsOnChange(spec: ProcessSpec, state: ActualProcess['state'], pf: FieldList): boolean {
  if (!spec.autostart) return false;
  if (state === 'EXITED' || state === 'FATAL') return true;
  if (state !== 'STOPPED') return false;
  for (let i = 0; i < pf.length; i++) if (pf[i]?.field === 'autostart' && pf[i]?.old === false) return true;
  return false;
}

/** True when both lists name the same processes in the same order. */
function sameNames(running: readonly ActualProcess[], want: readonly ProcessSpec[]): boolean {
  if (running.length !== want.length) return false;
  for (let i = 0; i < want.length; i++) if (running[i]?.spec.name !== want[i]?.name) return false;
  return true;
}

/**
 * For each desired process, the running one of the same name (`have[i]` for `want[i]`, undefined when new), and
 * the running ones no longer desired.
 */
function pairProcesses(
  running: readonly ActualProcess[],
  want: readonly ProcessSpec[],
): { have: readonly (ActualProcess | undefined)[]; gone: readonly ActualProcess[] } {
  const current = new Map(running.map((p) => [p.spec.name, p]));
  const wanted = new Set(want.map((s) => s.name));
  return {
    have: want.map((spec) => current.get(spec.name)),
    gone: running.filter((p) => !wanted.has(p.spec.name)),
  };
}
const NO_PROCESSES: readonly ActualProcess[] = Object.freeze([]);

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
