// Pure: supervisor's reloadConfig change detection (spec §5.5): which groups a fresh read of the config adds,
// changes or removes compared with the active ones. Whole groups, as supervisor; the reconciler in src/plan
// works per process and per field.
import type { GroupSpec, ProcessSpec } from '../model/config.js';

/** reloadConfig's `[added, changed, removed]`, by group name. */
export interface GroupChanges {
  /** In the new config's order, (priority, name). */
  readonly added: readonly string[];
  /** In the new config's order. */
  readonly changed: readonly string[];
  /** In the active groups' order. */
  readonly removed: readonly string[];
}

/** The fields supervisor's ProcessConfig equality compares (`user` is its `uid`). */
const PROCESS_FIELDS = [
  'name',
  'user',
  'command',
  'directory',
  'umask',
  'priority',
  'autostart',
  'autorestart',
  'startsecs',
  'startretries',
  'stdout_logfile',
  'stdout_capture_maxbytes',
  'stdout_events_enabled',
  'stdout_syslog',
  'stdout_logfile_backups',
  'stdout_logfile_maxbytes',
  'stderr_logfile',
  'stderr_capture_maxbytes',
  'stderr_logfile_backups',
  'stderr_logfile_maxbytes',
  'stderr_events_enabled',
  'stderr_syslog',
  'stopsignal',
  'stopwaitsecs',
  'stopasgroup',
  'killasgroup',
  'exitcodes',
  'redirect_stderr',
  'environment',
  'serverurl',
] as const satisfies readonly (keyof ProcessSpec)[];

/**
 * supervisor skips a field that is AUTO on either side, but an active group's AUTO log paths were already
 * resolved to file names when it was added: only an AUTO in the fresh read is skipped. So AUTO to NONE or to a
 * path is a change, and a path back to AUTO is none (the process keeps its old file).
 */
const AUTO_SKIPPED: ReadonlySet<string> = new Set(['stdout_logfile', 'stderr_logfile']);

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return false;
}

/** Whether `loaded` (from a fresh read) equals `active` (running) as supervisor's ProcessConfig compares. */
export function sameProcessConfig(loaded: ProcessSpec, active: ProcessSpec): boolean {
  return PROCESS_FIELDS.every((field) => {
    const x = loaded[field];
    if (AUTO_SKIPPED.has(field) && x === 'AUTO') return true;
    return sameValue(x, active[field]);
  });
}

/**
 * Group equality, `a` from a fresh read and `b` active: kind, name, priority, the process lists element-wise,
 * and the pool or socket settings.
 */
export function sameGroupConfig(a: GroupSpec, b: GroupSpec): boolean {
  if (a.kind !== b.kind || a.name !== b.name || a.priority !== b.priority) return false;
  if (a.processes.length !== b.processes.length) return false;
  if (!a.processes.every((p, i) => sameProcessConfig(p, b.processes[i] as ProcessSpec))) return false;
  if (a.kind === 'eventlistener' && !sameValue(a.eventlistener, b.eventlistener)) return false;
  if (a.kind === 'fcgi-program' && a.fcgi?.socket !== b.fcgi?.socket) return false;
  return true;
}

/** supervisor's diff_to_active: `active` are the running groups' specs, `loaded` the fresh config's groups. */
export function diffGroups(active: readonly GroupSpec[], loaded: readonly GroupSpec[]): GroupChanges {
  const current = new Map(active.map((g) => [g.name, g]));
  const fresh = new Set(loaded.map((g) => g.name));
  return {
    added: loaded.filter((g) => !current.has(g.name)).map((g) => g.name),
    changed: loaded
      .filter((g) => {
        const cur = current.get(g.name);
        return cur !== undefined && !sameGroupConfig(g, cur);
      })
      .map((g) => g.name),
    removed: active.filter((g) => !fresh.has(g.name)).map((g) => g.name),
  };
}
