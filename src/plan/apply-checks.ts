// Pure: what an apply of a configuration is refused for or warned about beyond its programs and groups, which
// plan.ts plans. An applied configuration becomes the daemon's own; its [supervisord] and servers are read only
// at a full restart (supervisorctl reload). Imports model/ only.
import type { EffectiveConfig } from '../model/config.js';
import type { Diagnostic } from '../model/diagnostics.js';

/** The daemon's own sections, as they are named in INI. */
type DaemonSections = Pick<EffectiveConfig, 'supervisord' | 'unix_http_server' | 'inet_http_server'>;

/**
 * The daemon's own sections that differ between what it runs with and a configuration: they take effect at a
 * full restart (supervisorctl reload) only, never at an update, an apply or SIGHUP, which change programs.
 */
export function restartOnlyChanges(running: DaemonSections, next: DaemonSections): string[] {
  const sections: [string, unknown, unknown][] = [
    ['[supervisord]', running.supervisord, next.supervisord],
    ['[unix_http_server]', running.unix_http_server, next.unix_http_server],
    ['[inet_http_server]', running.inet_http_server, next.inet_http_server],
  ];
  return sections.filter(([, a, b]) => JSON.stringify(a) !== JSON.stringify(b)).map(([name]) => name);
}

/** A warning that an apply changes programs only: the daemon's own sections wait for a full restart. */
export function restartOnlyWarning(startedWith: EffectiveConfig, next: EffectiveConfig): Diagnostic | null {
  const changed = restartOnlyChanges(startedWith, next);
  if (changed.length === 0) return null;
  return {
    severity: 'warning',
    code: 'SVD-APPLY-RESTART-ONLY',
    message: `${changed.join(', ')} ${changed.length === 1 ? 'differs' : 'differ'} from what the daemon runs with: an apply changes programs and groups only`,
    file: next.files[0] ?? next.source,
    line: 0,
    column: 0,
    hint: 'the daemon takes them at its next full restart, supervisorctl reload',
  };
}

/**
 * An applied configuration becomes the daemon's source, so its next full restart (supervisorctl reload) runs
 * on it: without a [unix_http_server] or [inet_http_server] that daemon could no longer be reached. A folder
 * of program files alone (`svd apply -f programs.d`) is the usual way to get there.
 */
export function controlServerLoss(running: EffectiveConfig, next: EffectiveConfig): Diagnostic | null {
  if (next.unix_http_server !== null || next.inet_http_server !== null) return null;
  if (running.unix_http_server === null && running.inet_http_server === null) return null;
  return {
    severity: 'error',
    code: 'SVD-APPLY-NO-SERVER',
    message:
      "no [unix_http_server] or [inet_http_server] in this configuration: applied, it becomes the daemon's own, " +
      'and after its next restart (supervisorctl reload) the daemon could not be reached',
    file: next.files[0] ?? next.source,
    line: 0,
    column: 0,
    hint: 'apply the whole configuration: the -c file, or -f with the file that has [supervisord] and the servers',
  };
}
