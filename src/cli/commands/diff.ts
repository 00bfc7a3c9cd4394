// `svd diff`: the plan that `svd apply` would carry out, like `terraform plan`. Exit 0 when there is
// nothing to do, 2 when there are changes, 1 on error.
import { planReconcile } from '../../plan/plan.js';
import { isEmptyPlan } from '../../plan/plan-types.js';
import { planToJson, renderPlan } from '../../plan/render-plan.js';
import { describeSource } from '../../config/config-source.js';
import { ExitError, type CliIo } from '../io.js';
import { callDaemon, loadLocally, printAnswer, type ReconcileFlags } from './reconcile-client.js';

/** `svd diff`'s flags. */
export interface DiffFlags extends ReconcileFlags {
  /** Plan against an empty running set instead of asking the daemon. */
  readonly offline?: boolean | undefined;
}

/**
 * `svd diff`: prints the plan svd.plan makes (or, --offline, the plan against no running process), and
 * always ends with ExitError: 0 when there is nothing to do, 2 when there are changes, 1 on any error.
 */
export async function runDiff(flags: DiffFlags, io: CliIo): Promise<void> {
  const local = loadLocally(flags, io, !flags.offline);
  if (flags.offline) {
    const plan = planReconcile(local.config, { groups: [] });
    const text = renderPlan(plan);
    // In the shape of the daemon's answer (svd.plan), so a tool reads --offline and online plans alike.
    if (flags.json) {
      const source = describeSource(local.source);
      const answer = {
        ok: true,
        source,
        diagnostics: local.result.diagnostics,
        plan: planToJson(plan),
        text,
      };
      io.stdout.write(JSON.stringify(answer, null, 2) + '\n');
    } else io.stdout.write(text);
    throw new ExitError(isEmptyPlan(plan) ? 0 : 2);
  }
  const answer = await callDaemon(local.config, flags, 'svd.plan', local.source, io);
  printAnswer(answer, local, flags, io);
  if (!flags.json) io.stdout.write(String(answer.text));
  const steps = ((answer.plan as { steps?: unknown[] } | undefined)?.steps ?? []).length;
  throw new ExitError(steps === 0 ? 0 : 2);
}
