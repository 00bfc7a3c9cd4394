// Pure: supervisor's ProcessInfo struct and its `description` rules (spec §4.4).
import { ProcessState, type ProcessStateName } from '../model/states.js';

/** supervisor's getProcessInfo struct: times in whole epoch seconds, '' and 0 where supervisor has none. */
export interface ProcessInfo {
  readonly name: string;
  readonly group: string;
  /** Epoch seconds of the last start, 0 if never started. */
  readonly start: number;
  /** Epoch seconds of the last exit, 0 if never stopped. */
  readonly stop: number;
  readonly now: number;
  readonly state: number;
  readonly statename: ProcessStateName;
  readonly spawnerr: string;
  readonly exitstatus: number;
  readonly logfile: string;
  readonly stdout_logfile: string;
  readonly stderr_logfile: string;
  readonly pid: number;
  readonly description: string;
}

/** What processInfo is computed from: one process's state as the engine holds it, wall times in ms. */
export interface ProcessFacts {
  readonly name: string;
  readonly group: string;
  readonly state: ProcessStateName;
  /** Epoch milliseconds, 0 when never. */
  readonly startWall: number;
  readonly stopWall: number;
  readonly nowWall: number;
  readonly spawnerr: string | null;
  readonly exitstatus: number | null;
  readonly pid: number;
  readonly stdoutLogfile: string | null;
  readonly stderrLogfile: string | null;
}

/** Python's timedelta text: `0:01:02`, `1 day, 2:03:04`, `3 days, 0:00:05`. */
export function formatUptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86400);
  const rest = s % 86400;
  const hms = `${Math.floor(rest / 3600)}:${String(Math.floor((rest % 3600) / 60)).padStart(2, '0')}:${String(rest % 60).padStart(2, '0')}`;
  if (days === 0) return hms;
  return `${days} day${days === 1 ? '' : 's'}, ${hms}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** strftime('%b %d %I:%M %p') in local time, e.g. `Nov 24 10:52 PM`. */
function formatStopTime(epochMs: number): string {
  const d = new Date(epochMs);
  const h12 = d.getHours() % 12 === 0 ? 12 : d.getHours() % 12;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getMonth()]} ${pad(d.getDate())} ${pad(h12)}:${pad(d.getMinutes())} ${d.getHours() < 12 ? 'AM' : 'PM'}`;
}

/**
 * supervisor's `description`: `pid N, uptime H:MM:SS` when RUNNING, the spawnerr (or a `tail` hint) in
 * BACKOFF and FATAL, the stop time in local time (`Not started` when never started) in STOPPED and EXITED,
 * '' otherwise.
 */
export function describe(f: ProcessFacts): string {
  const start = Math.floor(f.startWall / 1000);
  switch (f.state) {
    case 'RUNNING':
      // Whole seconds on both ends, as supervisor truncates both times before subtracting.
      return `pid ${f.pid}, uptime ${formatUptime(Math.floor(f.nowWall / 1000) - start)}`;
    case 'BACKOFF':
    case 'FATAL':
      return f.spawnerr || `unknown error (try "tail ${f.name}")`;
    case 'STOPPED':
    case 'EXITED':
      return start !== 0 ? formatStopTime(f.stopWall) : 'Not started';
    default:
      return '';
  }
}

/** The getProcessInfo struct of `f`: milliseconds truncated to seconds, null fields as '' or 0. */
export function processInfo(f: ProcessFacts): ProcessInfo {
  const stdout = f.stdoutLogfile ?? '';
  return {
    name: f.name,
    group: f.group,
    start: Math.floor(f.startWall / 1000),
    stop: Math.floor(f.stopWall / 1000),
    now: Math.floor(f.nowWall / 1000),
    state: ProcessState[f.state],
    statename: f.state,
    spawnerr: f.spawnerr ?? '',
    exitstatus: f.exitstatus ?? 0,
    logfile: stdout,
    stdout_logfile: stdout,
    stderr_logfile: f.stderrLogfile ?? '',
    pid: f.pid,
    description: describe(f),
  };
}
