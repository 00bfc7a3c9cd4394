// What the daemon's log says of an apply: its outcome step by step, and the settings it leaves for a full restart.
import type { ApplyOutcome } from '../engine/reconcile-loop.js';
import type { DaemonLog } from '../logs/index.js';
import type { EffectiveConfig } from '../model/config.js';
import { formatDiagnostic } from '../model/diagnostics.js';
import { restartOnlyChanges } from '../plan/apply-checks.js';

/**
 * The minimal update applies programs and groups only: a changed [supervisord] or server section waits for a
 * full reload (supervisorctl reload), and the operator is told so instead of reading "no changes". `running`
 * is the configuration this run started from, not the last one applied: an apply adopts a new [supervisord]
 * without putting it in effect, and the next update or SIGHUP must still say that it waits.
 */
export function warnUnappliedSettings(
  log: DaemonLog,
  running: EffectiveConfig,
  next: EffectiveConfig,
  cause: 'reload' | 'apply',
): void {
  const changed = restartOnlyChanges(running, next);
  if (changed.length > 0)
    log.warn(
      `${cause}: ${changed.join(', ')} changed; that takes effect at a full restart (supervisorctl reload), not at ${cause === 'reload' ? 'SIGHUP' : 'an update or apply'}`,
    );
}

/**
 * Logs what an apply did: a SIGHUP reload (`reload:`) or a request from svd apply or the
 * web page (`apply:`). The requester of an apply was answered with the diagnostics, so only a reload logs them.
 */
export function logApply(log: DaemonLog, outcome: ApplyOutcome, cause: 'reload' | 'apply'): void {
  if (cause === 'reload')
    for (const d of outcome.diagnostics)
      log.log(d.severity === 'error' ? 'error' : 'warn', formatDiagnostic(d));
  if (!outcome.ok) {
    log.log(
      cause === 'reload' ? 'error' : 'warn',
      `${cause}: the configuration is invalid; the running processes are unchanged`,
    );
    return;
  }
  if (outcome.report.results.length === 0) {
    log.info(`${cause}: no changes`);
    return;
  }
  for (const r of outcome.report.results) {
    const o = r.outcome;
    const text =
      o.status === 'done' ? 'done' : o.status === 'failed' ? `failed: ${o.message}` : `skipped: ${o.reason}`;
    log.log(o.status === 'done' ? 'info' : 'warn', `${cause}: ${r.step.op} ${r.target}: ${text}`);
  }
  const { done, failed, skipped } = outcome.report.counts;
  log.info(`${cause}: ${done} steps done, ${failed} failed, ${skipped} skipped`);
}
