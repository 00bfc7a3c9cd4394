// Pure: turns per-group changes into the executor's ordered steps (spec §3.8 priorities). Imports model/, plan/.
import type { GroupSpec } from '../model/config.js';
import { STOPPED_STATES } from '../model/states.js';
import type { GroupChange, Step } from './plan-types.js';
import type { ActualGroup } from './reconcile-state.js';

type WithoutWave<S> = S extends Step ? Omit<S, 'wave'> : never;
type StepBody = WithoutWave<Step>;

interface Keyed {
  readonly step: StepBody;
  /** Group priority, process priority: the order of stops (descending) and starts (ascending). */
  readonly gp: number;
  readonly pp: number;
  /** Tie-breakers that keep the plan deterministic: group name, position in the group. */
  readonly group: string;
  readonly index: number;
}

const byPosition = (a: Keyed, b: Keyed) =>
  a.group < b.group ? -1 : a.group > b.group ? 1 : a.index - b.index;

/**
 * Stops first, by descending (group priority, process priority), each distinct pair one wave; then removals of
 * processes and of groups; then spec swaps; then, by ascending group priority, the group and process additions
 * of that priority followed by its starts, by ascending process priority. `want[i]` and `have[i]` are the
 * desired and the running group of `groups[i]`.
 */
export function orderSteps(
  groups: readonly GroupChange[],
  want: readonly (GroupSpec | undefined)[],
  have: readonly (ActualGroup | undefined)[],
): Step[] {
  const stops: Keyed[] = [];
  const removeProcesses: StepBody[] = [];
  const removeGroups: StepBody[] = [];
  const swaps: StepBody[] = [];
  const additions: Keyed[] = [];
  const starts: Keyed[] = [];

  // An unchanged group stops, swaps and starts nothing: at 10,000 groups this skip is most of the work. It is
  // made before any per-group closure exists, so an unchanged group allocates nothing here.
  for (let at = 0; at < groups.length; at++) {
    const change = groups[at] as GroupChange;
    if (change.action !== 'unchanged') collectGroupSteps(change, want[at], have[at]);
  }

  function collectGroupSteps(
    change: GroupChange,
    d: GroupSpec | undefined,
    a: ActualGroup | undefined,
  ): void {
    const byName = new Map(change.processes.map((x) => [x.name, x]));
    if (a) {
      const goesAway = change.action === 'remove' || change.rebuild;
      a.processes.forEach((p, index) => {
        const c = byName.get(p.spec.name);
        const stop = goesAway
          ? !STOPPED_STATES.has(p.state)
          : (c?.action === 'restart' || c?.action === 'remove') && !STOPPED_STATES.has(p.state);
        if (stop) {
          const step: StepBody = { op: 'stop', group: a.name, name: p.spec.name };
          stops.push({ step, gp: a.priority, pp: p.spec.priority, group: a.name, index });
        }
        if (!goesAway && c?.action === 'remove')
          removeProcesses.push({ op: 'remove-process', group: a.name, name: p.spec.name });
      });
      if (goesAway) removeGroups.push({ op: 'remove-group', group: a.name });
    }
    if (!d) return;
    const rebuilt = change.action === 'add' || change.rebuild;
    if (rebuilt)
      additions.push({ step: { op: 'add-group', spec: d }, gp: d.priority, pp: 0, group: d.name, index: -1 });
    else if (change.fields.some((f) => f.field === 'priority'))
      swaps.push({ op: 'set-group-priority', group: d.name, priority: d.priority });
    d.processes.forEach((spec, index) => {
      const c = byName.get(spec.name);
      if (!c) return;
      if (!rebuilt && c.action === 'add')
        additions.push({ step: { op: 'add-process', spec }, gp: d.priority, pp: 0, group: d.name, index });
      if (!rebuilt && (c.action === 'restart' || c.action === 'update-in-place') && c.fields.length > 0)
        swaps.push({ op: 'update-process', spec });
      if ((c.action === 'add' || c.action === 'restart') && c.runsAfter) {
        const step: StepBody = { op: 'start', group: d.name, name: spec.name };
        starts.push({ step, gp: d.priority, pp: spec.priority, group: d.name, index });
      }
    });
  }

  const waves: StepBody[][] = [];
  waves.push(...byPriorityWaves(stops, -1));
  waves.push(removeProcesses, removeGroups, swaps);
  const groupPriorities = [...new Set([...additions, ...starts].map((k) => k.gp))].sort((x, y) => x - y);
  for (const gp of groupPriorities) {
    waves.push(
      additions
        .filter((k) => k.gp === gp)
        .sort(byPosition)
        .map((k) => k.step),
    );
    waves.push(
      ...byPriorityWaves(
        starts.filter((k) => k.gp === gp),
        1,
      ),
    );
  }
  let wave = 0;
  const steps: Step[] = [];
  for (const w of waves) {
    if (w.length === 0) continue;
    for (const body of w) steps.push({ ...body, wave } as Step);
    wave++;
  }
  return steps;
}

/** One wave per distinct (group priority, process priority), ascending (direction 1) or descending (-1). */
function byPriorityWaves(entries: readonly Keyed[], direction: 1 | -1): StepBody[][] {
  const sorted = [...entries].sort(
    (a, b) => direction * (a.gp - b.gp) || direction * (a.pp - b.pp) || byPosition(a, b),
  );
  const waves: StepBody[][] = [];
  let last: Keyed | undefined;
  for (const k of sorted) {
    if (!last || last.gp !== k.gp || last.pp !== k.pp) waves.push([]);
    waves.at(-1)?.push(k.step);
    last = k;
  }
  return waves;
}
