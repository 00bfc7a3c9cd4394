// Drives the running set to a desired set: plans against the engine's actual state and executes the plan.
// Level-based (controller-runtime): a request carries no payload; each run loads the desired state afresh.
// Runs never overlap; a run requested during another waits for it, then plans against the new state.
import type { Diagnostic } from '../model/diagnostics.js';
import { hasErrors } from '../model/diagnostics.js';
import { ShutdownStateError } from './errors.js';
import { isEmptyPlan, type Plan } from '../plan/plan-types.js';
import { planReconcile } from '../plan/plan.js';
import type { ActualState, DesiredState } from '../plan/reconcile-state.js';
import {
  executePlan,
  readActualState,
  type ApplyHooks,
  type ApplyReport,
  type ReconcileEngine,
} from './execute-plan.js';

/**
 * What loading the desired state gave: the state, or the diagnostics that stopped it. `D` is what the loader
 * produces (the daemon's: an EffectiveConfig), handed back as is to whoever adopts an applied state.
 */
export interface DesiredOutcome<D extends DesiredState = DesiredState> {
  readonly desired: D | null;
  readonly diagnostics: readonly Diagnostic[];
}

/** How one plan or apply departs from "restart only what changed, in every group". */
export interface ReconcileOptions {
  /** Restart every process of a changed group (supervisor's update), for these groups or all. */
  readonly restartGroups?: 'all' | ReadonlySet<string> | undefined;
  /** Only these groups are touched; the others keep whatever they run (`update g1 g2`). */
  readonly onlyGroups?: ReadonlySet<string> | undefined;
}

/** The plan with the desired state it was made for, or the diagnostics that stopped loading it. */
export type PlanOutcome<D extends DesiredState = DesiredState> =
  | {
      readonly ok: true;
      readonly plan: Plan;
      readonly desired: D;
      readonly diagnostics: readonly Diagnostic[];
    }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** A PlanOutcome that was carried out, with its report; a load that failed applies nothing. */
export type ApplyOutcome<D extends DesiredState = DesiredState> =
  | (Extract<PlanOutcome<D>, { ok: true }> & { readonly report: ApplyReport })
  | Extract<PlanOutcome<D>, { ok: false }>;

/**
 * The desired state restricted to `only`: the other groups are taken as they run now, so the plan leaves
 * them alone (a group that runs but is not named stays, a named group absent from the config goes).
 */
function restrictToGroups(
  desired: DesiredState,
  actual: ActualState,
  only: ReadonlySet<string>,
): DesiredState {
  const kept = desired.groups.filter((g) => only.has(g.name));
  const untouched = actual.groups
    .filter((g) => !only.has(g.name))
    .map(({ processes, ...settings }) => ({ ...settings, processes: processes.map((p) => p.spec) }));
  return { groups: [...kept, ...untouched] };
}

/**
 * The groups an apply leaves as the most recently activated, in that order: supervisor's update removes and
 * adds again each changed group, then adds the new ones, each list in the configuration's order (priority,
 * then name). svd changes a group in place, but keeps the order supervisorctl reports removed groups in.
 */
function activatedAgain(plan: Plan, desired: DesiredState): string[] {
  const action = new Map(plan.groups.map((g) => [g.name, g.action]));
  const named = (a: string) => desired.groups.filter((g) => action.get(g.name) === a).map((g) => g.name);
  return [...named('change'), ...named('add')];
}

/**
 * The daemon's one reconciler: a SIGHUP (requestReload), svd.plan and svd.apply (svd diff and apply) and the web
 * page's configuration view plan and apply through it, one run at a time.
 */
export class ReconcileLoop<D extends DesiredState = DesiredState> {
  readonly #engine: ReconcileEngine;
  readonly #onApplied: ((desired: D) => void) | undefined;
  readonly #onApplyOutcome: ((outcome: ApplyOutcome<D>) => void) | undefined;
  #tail: Promise<unknown> = Promise.resolve();
  #reloadPending = false;

  /**
   * `onApplied` learns each desired state that was applied (the daemon keeps it as its configuration);
   * `onApplyOutcome` learns what each `apply` call did (the daemon logs it; a reload reports to its own caller).
   */
  constructor(
    engine: ReconcileEngine,
    onApplied?: (desired: D) => void,
    onApplyOutcome?: (outcome: ApplyOutcome<D>) => void,
  ) {
    this.#engine = engine;
    this.#onApplied = onApplied;
    this.#onApplyOutcome = onApplyOutcome;
  }

  /** Runs `work` once every earlier run has settled. */
  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(work, work);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  #plan(load: () => DesiredOutcome<D>, options: ReconcileOptions): PlanOutcome<D> {
    const loaded = load();
    if (!loaded.desired || hasErrors(loaded.diagnostics))
      return { ok: false, diagnostics: loaded.diagnostics };
    const actual = readActualState(this.#engine);
    const desired = options.onlyGroups
      ? restrictToGroups(loaded.desired, actual, options.onlyGroups)
      : loaded.desired;
    const plan = planReconcile(desired, actual, { restartGroups: options.restartGroups });
    return { ok: true, plan, desired: loaded.desired, diagnostics: loaded.diagnostics };
  }

  /** The plan that `apply` would carry out now, without carrying it out. */
  plan(load: () => DesiredOutcome<D>, options: ReconcileOptions = {}): Promise<PlanOutcome<D>> {
    return this.#serial(async () => this.#plan(load, options));
  }

  async #applyNow(
    load: () => DesiredOutcome<D>,
    options: ReconcileOptions,
    hooks?: ApplyHooks,
  ): Promise<ApplyOutcome<D>> {
    const planned = this.#plan(load, options);
    if (!planned.ok) return planned;
    // As supervisorctl's update: nothing is applied once a shutdown or restart began (a start would fail
    // half way through the plan).
    if (!isEmptyPlan(planned.plan) && this.#engine.state !== 'RUNNING') throw new ShutdownStateError('');
    const report = isEmptyPlan(planned.plan)
      ? { results: [], counts: { done: 0, failed: 0, skipped: 0 }, ok: true }
      : await executePlan(planned.plan, this.#engine, hooks);
    this.#engine.reactivateGroups(activatedAgain(planned.plan, planned.desired));
    // The applied groups list their processes as the configuration does, wherever the plan added them.
    for (const g of planned.desired.groups)
      if (!options.onlyGroups || options.onlyGroups.has(g.name)) this.#engine.arrangeGroup(g);
    this.#onApplied?.(planned.desired);
    return { ...planned, report };
  }

  /** Loads, plans and executes; an invalid desired state changes nothing. */
  apply(
    load: () => DesiredOutcome<D>,
    options: ReconcileOptions = {},
    hooks?: ApplyHooks,
  ): Promise<ApplyOutcome<D>> {
    return this.#serial(async () => {
      const outcome = await this.#applyNow(load, options, hooks);
      this.#onApplyOutcome?.(outcome);
      return outcome;
    });
  }

  /**
   * A reload request (SIGHUP). At most one waits behind a running apply: requests that arrive while it waits
   * join it, since it reads the config when it starts. A reload that throws (a shutdown began, a bug) is handed
   * to `onError`: nobody waits on a signal's answer, so it must not vanish.
   */
  requestReload(
    load: () => DesiredOutcome<D>,
    onDone: (outcome: ApplyOutcome<D>) => void,
    onError: (error: unknown) => void,
  ): void {
    if (this.#reloadPending) return;
    this.#reloadPending = true;
    this.#serial(async () => {
      this.#reloadPending = false;
      onDone(await this.#applyNow(load, {}));
    }).catch(onError);
  }
}
