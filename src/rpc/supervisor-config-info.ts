// Pure: getAllConfigInfo's structs (spec §4.4), one per process of every configured group.
import type { GroupSpec, ProcessSpec } from '../model/config.js';
import { signalNumber } from '../model/signals.js';

/** One ConfigInfo, with supervisor's field order (its dict order, which xmlrpc keeps). */
export interface ConfigInfo {
  readonly autostart: boolean;
  readonly directory: string;
  readonly uid: number | string;
  readonly command: string;
  readonly exitcodes: readonly number[];
  readonly group: string;
  readonly group_prio: number;
  readonly inuse: boolean;
  readonly killasgroup: boolean;
  readonly name: string;
  readonly process_prio: number;
  readonly redirect_stderr: boolean;
  readonly startretries: number;
  readonly startsecs: number;
  readonly stdout_capture_maxbytes: number;
  readonly stdout_events_enabled: boolean;
  readonly stdout_logfile: string;
  readonly stdout_logfile_backups: number;
  readonly stdout_logfile_maxbytes: number;
  readonly stdout_syslog: boolean;
  readonly stopsignal: number;
  readonly stopwaitsecs: number;
  readonly stderr_capture_maxbytes: number;
  readonly stderr_events_enabled: boolean;
  readonly stderr_logfile: string;
  readonly stderr_logfile_backups: number;
  readonly stderr_logfile_maxbytes: number;
  readonly stderr_syslog: boolean;
  readonly serverurl: string;
}

/** What getAllConfigInfo reads besides the configuration: active groups, live log paths, uids. */
export interface ConfigInfoContext {
  /** Names of the active groups. */
  readonly active: ReadonlySet<string>;
  /**
   * The log paths a running process uses, when it runs exactly this spec: supervisor resolves AUTO on the
   * config object it starts from, so only a re-read config (not yet applied) still says `auto`.
   */
  readonly logPaths: (spec: ProcessSpec) => { stdout: string; stderr: string } | undefined;
  /** The uid of `user=`; null when it cannot be resolved. */
  readonly uidOf: (user: string) => number | null;
}

function logfile(value: string, resolved: string | undefined): string {
  if (value === 'AUTO') return resolved ? resolved : 'auto';
  if (value === 'NONE') return 'none';
  return value;
}

function configInfo(group: GroupSpec, p: ProcessSpec, ctx: ConfigInfoContext): ConfigInfo {
  const paths = ctx.logPaths(p);
  const uid = p.user === null ? null : ctx.uidOf(p.user);
  return {
    autostart: p.autostart,
    directory: p.directory ?? 'none',
    uid: uid ?? 'none',
    command: p.command,
    exitcodes: p.exitcodes,
    group: group.name,
    group_prio: group.priority,
    inuse: ctx.active.has(group.name),
    killasgroup: p.killasgroup,
    name: p.name,
    process_prio: p.priority,
    redirect_stderr: p.redirect_stderr,
    startretries: p.startretries,
    startsecs: p.startsecs,
    stdout_capture_maxbytes: p.stdout_capture_maxbytes,
    stdout_events_enabled: p.stdout_events_enabled,
    stdout_logfile: logfile(p.stdout_logfile, paths?.stdout),
    stdout_logfile_backups: p.stdout_logfile_backups,
    stdout_logfile_maxbytes: p.stdout_logfile_maxbytes,
    stdout_syslog: p.stdout_syslog,
    stopsignal: signalNumber(p.stopsignal) ?? 15,
    stopwaitsecs: p.stopwaitsecs,
    stderr_capture_maxbytes: p.stderr_capture_maxbytes,
    stderr_events_enabled: p.stderr_events_enabled,
    stderr_logfile: logfile(p.stderr_logfile, paths?.stderr),
    stderr_logfile_backups: p.stderr_logfile_backups,
    stderr_logfile_maxbytes: p.stderr_logfile_maxbytes,
    stderr_syslog: p.stderr_syslog,
    // supervisor turns serverurl=AUTO into None, sent as 'none'.
    serverurl: p.serverurl === 'AUTO' ? 'none' : p.serverurl,
  };
}

/** Every process of `groups`, sorted by process name (a stable sort: equal names keep config order). */
export function allConfigInfo(groups: readonly GroupSpec[], ctx: ConfigInfoContext): ConfigInfo[] {
  const infos = groups.flatMap((g) => g.processes.map((p) => configInfo(g, p, ctx)));
  return infos.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
