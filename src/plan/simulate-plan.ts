// Pure: what a plan's steps do to an ActualState, under the plan's own semantics. The property tests use it to
// check that the steps reach the desired state; it refuses any step the engine would refuse.
import { RUNNING_STATES, STOPPED_STATES } from '../model/states.js';
import type { Plan, Step } from './plan-types.js';
import { actualGroupOf, type ActualGroup, type ActualProcess, type ActualState } from './reconcile-state.js';

class InvalidStepError extends Error {
  override readonly name = 'InvalidStepError';
  readonly step: Step;
  constructor(step: Step, why: string) {
    super(`${step.op}: ${why}`);
    this.step = step;
  }
}

/**
 * Applies the steps in order: `stop` leaves STOPPED, `start` leaves RUNNING with a new pid from `nextPid`,
 * additions arrive STOPPED, swaps keep the state. Throws InvalidStepError on a step that does not fit.
 */
export function simulatePlan(
  actual: ActualState,
  plan: Plan,
  nextPid: () => number = counter(),
): ActualState {
  const groups = new Map(actual.groups.map((g) => [g.name, g]));
  const put = (g: ActualGroup) => groups.set(g.name, g);
  const groupOf = (step: Step, name: string): ActualGroup => {
    const g = groups.get(name);
    if (!g) throw new InvalidStepError(step, `no group ${name}`);
    return g;
  };
  const withProcess = (
    step: Step,
    group: string,
    name: string,
    change: (p: ActualProcess) => ActualProcess,
  ): void => {
    const g = groupOf(step, group);
    const p = g.processes.find((x) => x.spec.name === name);
    if (!p) throw new InvalidStepError(step, `no process ${group}:${name}`);
    put({ ...g, processes: g.processes.map((x) => (x === p ? change(x) : x)) });
  };

  for (const step of plan.steps) {
    switch (step.op) {
      case 'stop':
        withProcess(step, step.group, step.name, (p) => {
          if (STOPPED_STATES.has(p.state)) throw new InvalidStepError(step, `already ${p.state}`);
          return { ...p, state: 'STOPPED', pid: 0 };
        });
        break;
      case 'start':
        withProcess(step, step.group, step.name, (p) => {
          if (RUNNING_STATES.has(p.state) || p.state === 'STOPPING')
            throw new InvalidStepError(step, `already ${p.state}`);
          return { ...p, state: 'RUNNING', pid: nextPid() };
        });
        break;
      case 'update-process':
        withProcess(step, step.spec.group, step.spec.name, (p) => ({ ...p, spec: step.spec }));
        break;
      case 'remove-process': {
        const g = groupOf(step, step.group);
        const p = g.processes.find((x) => x.spec.name === step.name);
        if (!p) throw new InvalidStepError(step, `no process ${step.name}`);
        if (!STOPPED_STATES.has(p.state)) throw new InvalidStepError(step, `STILL_RUNNING ${step.name}`);
        put({ ...g, processes: g.processes.filter((x) => x !== p) });
        break;
      }
      case 'add-process': {
        const g = groupOf(step, step.spec.group);
        if (g.processes.some((x) => x.spec.name === step.spec.name))
          throw new InvalidStepError(step, `ALREADY_ADDED ${step.spec.name}`);
        put({ ...g, processes: [...g.processes, { spec: step.spec, state: 'STOPPED', pid: 0 }] });
        break;
      }
      case 'remove-group': {
        const g = groupOf(step, step.group);
        if (g.processes.some((p) => !STOPPED_STATES.has(p.state)))
          throw new InvalidStepError(step, `STILL_RUNNING ${step.group}`);
        groups.delete(step.group);
        break;
      }
      case 'add-group':
        if (groups.has(step.spec.name)) throw new InvalidStepError(step, `ALREADY_ADDED ${step.spec.name}`);
        put(actualGroupOf(step.spec));
        break;
      case 'set-group-priority':
        put({ ...groupOf(step, step.group), priority: step.priority });
        break;
    }
  }
  return { groups: [...groups.values()] };
}

function counter(): () => number {
  let pid = 100_000;
  return () => pid++;
}
