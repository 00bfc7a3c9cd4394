// The config view's two operations: the pending plan (what `svd diff` against the config source would do) and
// applying it through the executor. Small functions over a `ConfigSource`, so the daemon's shared config source
// and its svd.* plan/apply can replace them later without touching the routes.
import {
  executePlan,
  readActualState,
  type ApplyReport,
  type ReconcileEngine,
} from '../engine/execute-plan.js';
import type { LoadResult } from '../config/load.js';
import { formatDiagnostic, hasErrors } from '../model/diagnostics.js';
import type { DesiredState } from '../plan/reconcile-state.js';
import { planReconcile } from '../plan/plan.js';
import { planToJson, renderPlan, summaryLine, type PlanJson } from '../plan/render-plan.js';
import type { Plan } from '../plan/plan-types.js';

/** Reads the configuration the daemon would apply now (the file it was started with, read again). */
export interface ConfigSource {
  /** Where it reads from, for people: the config file's path. */
  readonly description: string;
  load(): LoadResult;
}

/** The pending plan, or why there is none (the configuration does not load). */
export type PendingPlan =
  | { readonly ok: true; readonly source: string; readonly plan: Plan; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly source: string; readonly diagnostics: readonly string[] };

/** What GET /api/plan answers. */
export type PlanAnswer =
  | {
      readonly ok: true;
      readonly source: string;
      readonly summary: string;
      readonly text: string;
      readonly warnings: readonly string[];
      readonly plan: PlanJson;
    }
  | { readonly ok: false; readonly source: string; readonly diagnostics: readonly string[] };

export interface StepResultJson {
  readonly wave: number;
  readonly op: string;
  readonly target: string;
  readonly status: 'done' | 'failed' | 'skipped';
  readonly fault: string | null;
  readonly message: string | null;
}

/** What POST /api/apply answers: the plan that was carried out and every step's outcome. */
export interface ApplyAnswer {
  readonly ok: boolean;
  readonly source: string;
  readonly summary: string;
  readonly plan: PlanJson;
  readonly counts: ApplyReport['counts'];
  readonly steps: readonly StepResultJson[];
}

/** Reads the configuration and plans it against what the engine runs now. */
export function pendingPlan(
  source: ConfigSource,
  engine: Pick<ReconcileEngine, 'groupSpecs' | 'snapshot'>,
): PendingPlan {
  const loaded = source.load();
  const warnings = loaded.diagnostics.filter((d) => d.severity === 'warning').map(formatDiagnostic);
  if (!loaded.config || hasErrors(loaded.diagnostics)) {
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
    return {
      ok: false,
      source: source.description,
      diagnostics: errors.length > 0 ? errors : [`${source.description}: could not be loaded`],
    };
  }
  const desired: DesiredState = loaded.config;
  return {
    ok: true,
    source: source.description,
    plan: planReconcile(desired, readActualState(engine)),
    warnings,
  };
}

export function planAnswer(pending: PendingPlan): PlanAnswer {
  if (!pending.ok) return pending;
  return {
    ok: true,
    source: pending.source,
    summary: summaryLine(pending.plan),
    text: renderPlan(pending.plan),
    warnings: pending.warnings,
    plan: planToJson(pending.plan),
  };
}

export function applyAnswer(source: string, plan: Plan, report: ApplyReport): ApplyAnswer {
  return {
    ok: report.ok,
    source,
    summary: summaryLine(plan),
    plan: planToJson(plan),
    counts: report.counts,
    steps: report.results.map((r) => ({
      wave: r.step.wave,
      op: r.step.op,
      target: r.target,
      status: r.outcome.status,
      fault: r.outcome.status === 'failed' ? r.outcome.fault : null,
      message:
        r.outcome.status === 'failed'
          ? r.outcome.message
          : r.outcome.status === 'skipped'
            ? r.outcome.reason
            : null,
    })),
  };
}

/**
 * Applies the configuration: one apply at a time; an apply asked for while one runs waits for it and then
 * reads and plans afresh (level-based, like a coalesced SIGHUP), so it never executes a stale plan.
 */
export function createApplier(
  source: ConfigSource,
  engine: ReconcileEngine,
): () => Promise<{ ok: true; answer: ApplyAnswer } | { ok: false; answer: PlanAnswer }> {
  let last: Promise<unknown> = Promise.resolve();
  return () => {
    const run = async () => {
      const pending = pendingPlan(source, engine);
      if (!pending.ok) return { ok: false as const, answer: planAnswer(pending) };
      const report = await executePlan(pending.plan, engine);
      return { ok: true as const, answer: applyAnswer(pending.source, pending.plan, report) };
    };
    const next = last.then(run, run);
    last = next.catch(() => undefined);
    return next;
  };
}
