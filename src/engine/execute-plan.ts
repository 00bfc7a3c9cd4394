// Carries out a plan's steps through the engine's public methods and reports every step's outcome.
// The plan decides; this only acts, in the plan's order, and never reads the plan's reasons.
import type { ProcessStateName } from '../model/states.js';
import { RUNNING_STATES, STOPPED_STATES } from '../model/states.js';
import { stepTarget, type Plan, type Step } from '../plan/plan-types.js';
import { activeGroup, namespecOf, type ActualState } from '../plan/reconcile-state.js';
import type { Engine } from './engine.js';
import { isSvdError } from './errors.js';
import { type FaultName } from '../model/faults.js';

/** The engine methods the executor and readActualState use. */
export type ReconcileEngine = Pick<
  Engine,
  | 'requestStart'
  | 'stopProcess'
  | 'addGroup'
  | 'removeGroup'
  | 'addProcess'
  | 'removeProcess'
  | 'updateProcessSpec'
  | 'setGroupPriority'
  | 'reactivateGroups'
  | 'arrangeGroup'
  | 'getProcessInfo'
  | 'subscribe'
  | 'groupSpecs'
  | 'snapshot'
  | 'state'
>;

/** What became of one step: done, failed with a fault, or skipped because an earlier step on it failed. */
export type StepOutcome =
  | { readonly status: 'done' }
  /** `fault` is the engine's fault name; INTERNAL marks an unexpected exception (a bug). */
  | { readonly status: 'failed'; readonly fault: FaultName | 'INTERNAL'; readonly message: string }
  | { readonly status: 'skipped'; readonly reason: string };

/** One step of the plan and what became of it. */
export interface StepResult {
  readonly step: Step;
  /** The namespec acted on: `group:name`, `name`, or `group:*` for a group step. */
  readonly target: string;
  readonly outcome: StepOutcome;
}

/** What executePlan did: every step's result and the totals. */
export interface ApplyReport {
  /** One result per step, in the plan's order. */
  readonly results: readonly StepResult[];
  readonly counts: { readonly done: number; readonly failed: number; readonly skipped: number };
  /** No step failed. */
  readonly ok: boolean;
}

/** Progress callbacks for views (Terraform's Hook); the executor itself never prints. */
export interface ApplyHooks {
  beforeStep?(step: Step): void;
  afterStep?(step: Step, outcome: StepOutcome): void;
}

const done: StepOutcome = { status: 'done' };

/**
 * Runs the steps wave by wave: the steps of one wave concurrently, the next wave once all of them settled.
 * `stop` waits until the process is in a stopped state; `start` only makes the start, as an autostart (the
 * engine's requestStart): supervisor's update does not wait for RUNNING either, and a program with a long
 * startsecs must not hold up the rest of the apply. A failed step does not abort the apply: later steps on the same process (or, for group
 * steps, the same group) are skipped and named in the report; every other step still runs.
 */
export async function executePlan(
  plan: Plan,
  engine: ReconcileEngine,
  hooks: ApplyHooks = {},
): Promise<ApplyReport> {
  const outcomes = new Map<Step, StepOutcome>();
  const blocked = new Blocked();
  const moving = whileMoving(plan);
  let i = 0;
  while (i < plan.steps.length) {
    const wave = plan.steps[i]?.wave;
    const batch: Step[] = [];
    for (let s = plan.steps[i]; s !== undefined && s.wave === wave; s = plan.steps[++i]) batch.push(s);
    await Promise.all(
      batch.map(async (step) => {
        quietly(() => hooks.beforeStep?.(step));
        const reason = blocked.reason(step);
        const outcome: StepOutcome = reason
          ? { status: 'skipped', reason }
          : await runStep(step, engine, moving);
        // A skip passes on the failure that caused it, so every skipped step names the root cause.
        if (outcome.status === 'failed')
          blocked.add(step, `${step.op} ${stepTarget(step)} failed: ${outcome.message}`);
        else if (reason) blocked.add(step, reason);
        outcomes.set(step, outcome);
        quietly(() => hooks.afterStep?.(step, outcome));
      }),
    );
  }
  const results = plan.steps.map((step) => ({
    step,
    target: stepTarget(step),
    outcome: outcomes.get(step) ?? done,
  }));
  const count = (status: StepOutcome['status']) => results.filter((r) => r.outcome.status === status).length;
  const counts = { done: count('done'), failed: count('failed'), skipped: count('skipped') };
  return { results, counts, ok: counts.failed === 0 };
}

/** What the engine runs now, as the planner's ActualState: applied specs, states and pids. */
export function readActualState(engine: Pick<ReconcileEngine, 'groupSpecs' | 'snapshot'>): ActualState {
  const live = new Map(engine.snapshot().map((s) => [`${s.spec.group}\u0000${s.spec.name}`, s]));
  return {
    groups: engine.groupSpecs().map((group) =>
      activeGroup(
        group,
        group.processes.map((spec) => {
          const s = live.get(`${spec.group}\u0000${spec.name}`);
          return { spec: s?.spec ?? spec, state: s?.info.statename ?? 'UNKNOWN', pid: s?.info.pid ?? 0 };
        }),
      ),
    ),
  };
}

/** Which processes and groups a failed step leaves in doubt, so later steps on them are skipped. */
class Blocked {
  readonly #processes = new Map<string, string>();
  readonly #groups = new Map<string, string>();

  /** Later steps on the step's process (or group) are skipped with `why`. */
  add(step: Step, why: string): void {
    const t = target(step);
    if (t.name === null) this.#groups.set(t.group, why);
    else this.#processes.set(`${t.group}\u0000${t.name}`, why);
  }

  reason(step: Step): string | undefined {
    const t = target(step);
    const group = this.#groups.get(t.group);
    if (group) return group;
    if (t.name !== null) return this.#processes.get(`${t.group}\u0000${t.name}`);
    // A group can only go once every one of its processes stopped.
    if (step.op === 'remove-group') {
      for (const [key, why] of this.#processes) if (key.startsWith(`${t.group}\u0000`)) return why;
    }
    return undefined;
  }
}

function target(step: Step): { group: string; name: string | null } {
  switch (step.op) {
    case 'stop':
    case 'start':
    case 'remove-process':
      return { group: step.group, name: step.name };
    case 'update-process':
    case 'add-process':
      return { group: step.spec.group, name: step.spec.name };
    case 'remove-group':
    case 'set-group-priority':
      return { group: step.group, name: null };
    case 'add-group':
      return { group: step.spec.name, name: null };
  }
}

/**
 * What the executor must know of the plan while other clients move processes between its waves: which spec
 * swaps need the process down (a restart-class field changes), and which processes the plan starts itself.
 */
interface Moving {
  readonly swapsWhileDown: ReadonlySet<string>;
  readonly started: ReadonlySet<string>;
  /** Processes of a group being rebuilt that a client started again and the removal stopped: they run after. */
  readonly upAgain: Set<string>;
}

function whileMoving(plan: Plan): Moving {
  const swapsWhileDown = new Set<string>();
  const started = new Set<string>();
  for (const g of plan.groups) {
    if (g.action === 'unchanged') continue;
    for (const p of g.processes)
      if (p.fields.some((f) => f.class === 'restart')) swapsWhileDown.add(`${p.group}\u0000${p.name}`);
  }
  for (const s of plan.steps) if (s.op === 'start') started.add(`${s.group}\u0000${s.name}`);
  return { swapsWhileDown, started, upAgain: new Set() };
}

async function runStep(step: Step, engine: ReconcileEngine, moving: Moving): Promise<StepOutcome> {
  try {
    switch (step.op) {
      case 'stop':
        return await stop(engine, namespecOf(step.group, step.name));
      case 'start':
        return await start(engine, namespecOf(step.group, step.name));
      case 'remove-process':
        try {
          engine.removeProcess(step.group, step.name);
        } catch (e) {
          // Started again by a client since the plan stopped it: the configuration no longer has it.
          if (!isSvdError(e) || e.fault !== 'STILL_RUNNING') throw e;
          await stopAgain(engine, [namespecOf(step.group, step.name)], notStopped);
          engine.removeProcess(step.group, step.name);
        }
        return done;
      case 'remove-group':
        try {
          engine.removeGroup(step.group);
        } catch (e) {
          if (!isSvdError(e) || e.fault !== 'STILL_RUNNING') throw e;
          const group = engine.groupSpecs().find((g) => g.name === step.group);
          const namespecs = (group?.processes ?? []).map((p) => namespecOf(p.group, p.name));
          for (const p of group?.processes ?? [])
            if (RUNNING_STATES.has(engine.getProcessInfo(namespecOf(p.group, p.name)).statename))
              moving.upAgain.add(`${p.group}\u0000${p.name}`);
          await stopAgain(engine, namespecs, notStopped);
          engine.removeGroup(step.group);
        }
        return done;
      case 'set-group-priority':
        engine.setGroupPriority(step.group, step.priority);
        return done;
      case 'update-process': {
        const key = `${step.spec.group}\u0000${step.spec.name}`;
        const namespec = namespecOf(step.spec.group, step.spec.name);
        // A restart-class change swapped under a running child would leave the old command running while
        // the engine holds the new spec (and `svd diff` says nothing differs): a client started it since
        // the plan was made (or stopped it). It goes down first and, unless the plan starts it, up again.
        const again = moving.swapsWhileDown.has(key) && (await stopAgain(engine, [namespec]));
        engine.updateProcessSpec(step.spec);
        if (again && !moving.started.has(key)) await engine.requestStart(namespec);
        return done;
      }
      case 'add-group':
        // The plan's start steps alone decide what starts, and when (a rebuilt group's hand-stopped process stays
        // stopped; starts follow priority).
        engine.addGroup(step.spec, { autostart: false });
        for (const p of step.spec.processes) {
          const key = `${p.group}\u0000${p.name}`;
          if (moving.upAgain.has(key) && !moving.started.has(key))
            await engine.requestStart(namespecOf(p.group, p.name));
        }
        return done;
      case 'add-process':
        engine.addProcess(step.spec, { autostart: false });
        return done;
    }
  } catch (e) {
    return failure(e);
  }
}

/** A view's hook that throws must not leave an apply half done. */
function quietly(hook: () => void): void {
  try {
    hook();
  } catch {
    // The report still records every step.
  }
}

function failure(e: unknown): StepOutcome {
  if (isSvdError(e)) return { status: 'failed', fault: e.fault, message: e.faultString };
  return { status: 'failed', fault: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

async function stop(engine: ReconcileEngine, namespec: string): Promise<StepOutcome> {
  try {
    await engine.stopProcess(namespec, true);
    return done;
  } catch (e) {
    if (!isSvdError(e) || e.fault !== 'NOT_RUNNING') throw e;
  }
  // Not RUNNING, STARTING or BACKOFF any more: stopped since the plan was made, or on its way down.
  const state = await settle(engine, namespec, (s) => STOPPED_STATES.has(s));
  return { status: 'skipped', reason: `already ${state}` };
}

const notStopped = (s: ProcessStateName) => !STOPPED_STATES.has(s);

/** How many times a process started again by a client is stopped before its step gives up. */
const STOP_AGAIN_TRIES = 10;

/**
 * Stops each of `namespecs` that is `up` (RUNNING_STATES, or for a removal anything not yet stopped) and waits
 * until none is; true when one of them ran and was stopped here. Resolves only when none is up at once, so the
 * caller's next synchronous step (a spec swap, a removal) finds them so, although a start queued meanwhile may
 * run between a stop and the caller.
 */
async function stopAgain(
  engine: ReconcileEngine,
  namespecs: readonly string[],
  up: (state: ProcessStateName) => boolean = (s) => RUNNING_STATES.has(s),
): Promise<boolean> {
  let stopped = false;
  for (let tries = 0; tries < STOP_AGAIN_TRIES; tries++) {
    const moving = namespecs.filter((n) => up(engine.getProcessInfo(n).statename));
    if (moving.length === 0) break;
    await Promise.all(
      moving.map(async (n) => {
        if (!RUNNING_STATES.has(engine.getProcessInfo(n).statename))
          return settle(engine, n, (s) => !up(s) || s === 'UNKNOWN');
        stopped = true;
        return stop(engine, n);
      }),
    );
  }
  return stopped;
}

async function start(engine: ReconcileEngine, namespec: string): Promise<StepOutcome> {
  await engine.requestStart(namespec);
  return done;
}

/** Resolves with the process's state once `until` holds, checked now and after each of its state changes. */
function settle(
  engine: ReconcileEngine,
  namespec: string,
  until: (state: ProcessStateName) => boolean,
): Promise<ProcessStateName> {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    const check = () => {
      try {
        const state = engine.getProcessInfo(namespec).statename;
        if (!until(state)) return;
        unsubscribe();
        resolve(state);
      } catch (e) {
        unsubscribe();
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    };
    unsubscribe = engine.subscribe((event) => {
      if (event.type === 'process-state') check();
    });
    check();
  });
}
