// The config view's two operations: the pending plan (what `svd diff` against the config source would do) and
// applying it, both through the engine's ReconcileLoop over a `ConfigSource`, so the daemon's shared source and
// loop plug in without touching the routes.
import type { ApplyReport } from '../engine/execute-plan.js';
import type { DesiredOutcome, ReconcileLoop } from '../engine/reconcile-loop.js';
import type { LoadResult } from '../config/load.js';
import { formatDiagnostic, type Diagnostic } from '../model/diagnostics.js';
import { planToJson, renderPlan, summaryLine, type PlanJson } from '../plan/render-plan.js';
import type { EffectiveConfig } from '../model/config.js';
import type { Plan } from '../plan/plan-types.js';

/** Reads the configuration the daemon would apply now (the file it was started with, read again). */
export interface ConfigSource {
  /** Where it reads from, for people: the config file's path. */
  readonly description: string;
  load(): LoadResult;
}

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

/** One step as POST /api/apply reports it: `fault` only if it failed; `message` also why one was skipped. */
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

/** The config view as the API uses it. */
export interface ConfigView {
  /** GET /api/plan: what applying would do now. */
  plan(): Promise<PlanAnswer>;
  /** POST /api/apply: read, plan and carry out; `ok: false` when the configuration does not load. */
  apply(): Promise<{ ok: true; answer: ApplyAnswer } | { ok: false; answer: PlanAnswer }>;
}

function refusal(source: string, diagnostics: readonly Diagnostic[]): PlanAnswer {
  const errors = diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
  return { ok: false, source, diagnostics: errors.length > 0 ? errors : [`${source}: could not be loaded`] };
}

const warningsOf = (diagnostics: readonly Diagnostic[]): string[] =>
  diagnostics.filter((d) => d.severity === 'warning').map(formatDiagnostic);

function planAnswer(source: string, plan: Plan, diagnostics: readonly Diagnostic[]): PlanAnswer {
  return {
    ok: true,
    source,
    summary: summaryLine(plan),
    text: renderPlan(plan),
    warnings: warningsOf(diagnostics),
    plan: planToJson(plan),
  };
}

function applyAnswer(source: string, plan: Plan, report: ApplyReport): ApplyAnswer {
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
 * Plans and applies `source` through `loop`, which serialises them with every other apply and reload of the
 * daemon (pass the daemon's loop; a private one serialises only the page's own). Level-based: an apply reads
 * and plans afresh when it starts, so it never carries out a stale plan.
 */
export function configView(source: ConfigSource, loop: ReconcileLoop<EffectiveConfig>): ConfigView {
  const load = (): DesiredOutcome<EffectiveConfig> => {
    const loaded = source.load();
    return { desired: loaded.config, diagnostics: loaded.diagnostics };
  };
  return {
    async plan() {
      const outcome = await loop.plan(load);
      if (!outcome.ok) return refusal(source.description, outcome.diagnostics);
      return planAnswer(source.description, outcome.plan, outcome.diagnostics);
    },
    async apply() {
      const outcome = await loop.apply(load);
      if (!outcome.ok) return { ok: false, answer: refusal(source.description, outcome.diagnostics) };
      return { ok: true, answer: applyAnswer(source.description, outcome.plan, outcome.report) };
    },
  };
}
