// `svd apply`: validate, plan against the running daemon, apply, and print what was done. The applied
// configuration becomes the daemon's source for later reread, update and SIGHUP.
import { ExitError, type CliIo } from '../io.js';
import { callDaemon, loadLocally, printAnswer, type ReconcileFlags } from './reconcile-client.js';

interface StepResultJson {
  readonly step: { readonly op: string };
  readonly target: string;
  readonly outcome: {
    readonly status: string;
    readonly fault?: string;
    readonly message?: string;
    readonly reason?: string;
  };
}
interface ReportJson {
  readonly results: readonly StepResultJson[];
  readonly counts: { readonly done: number; readonly failed: number; readonly skipped: number };
  readonly ok: boolean;
}

const verbs: Record<string, string> = {
  stop: 'stopped',
  start: 'started',
  'remove-process': 'removed',
  'remove-group': 'removed group',
  'add-group': 'added group',
  'add-process': 'added',
  'update-process': 'updated',
  'set-group-priority': 'set priority of',
};

function renderReport(report: ReportJson): string {
  const lines = report.results.map(({ step, target, outcome }) => {
    if (outcome.status === 'done') return `  ${verbs[step.op] ?? step.op} ${target}`;
    if (outcome.status === 'failed')
      return `  FAILED ${step.op} ${target}: ${outcome.message ?? outcome.fault ?? ''}`;
    return `  skipped ${step.op} ${target}: ${outcome.reason ?? ''}`;
  });
  const { done, failed, skipped } = report.counts;
  lines.push(
    failed + skipped === 0
      ? `Apply complete: ${done} step${done === 1 ? '' : 's'} done.`
      : `Apply finished with problems: ${done} done, ${failed} failed, ${skipped} skipped.`,
  );
  return lines.join('\n') + '\n';
}

/**
 * `svd apply`: loads and validates here, has the daemon plan and apply through svd.apply, prints the plan
 * and each step's outcome (or the answer, with --json). Throws ExitError(1) on an invalid configuration, an
 * unreachable or non-svd daemon, or a failed step.
 */
export async function runApply(flags: ReconcileFlags, io: CliIo): Promise<void> {
  const local = loadLocally(flags, io, true);
  const answer = await callDaemon(local.config, flags, 'svd.apply', local.source, io);
  printAnswer(answer, local, flags, io);
  const report = answer.report as ReportJson;
  if (!flags.json) {
    if (report.results.length === 0)
      io.stdout.write('No changes. The running processes already match the configuration.\n');
    else io.stdout.write(String(answer.text) + '\n' + renderReport(report));
  }
  if (!report.ok) throw new ExitError(1);
}
