// Pure: a process as the JSON API and the page show it (supervisor's ProcessInfo plus its namespec).
import type { ProcessInfo } from '../engine/process-info.js';
import type { ProcessSnapshot } from '../engine/engine.js';
import { namespecOf } from '../plan/reconcile-state.js';

/** A process as the JSON API and the page show it. */
export interface ProcessJson {
  /** `name`, or `group:name` when they differ: what the API paths take. */
  readonly namespec: string;
  readonly group: string;
  readonly name: string;
  readonly statename: ProcessInfo['statename'];
  readonly state: number;
  readonly pid: number;
  /** Epoch seconds of the last start and stop, 0 when never. */
  readonly start: number;
  readonly stop: number;
  readonly exitstatus: number;
  readonly spawnerr: string;
  /** supervisor's description text (`pid 12, uptime 0:01:02`, `Exited too quickly…`, `Not started`). */
  readonly description: string;
  readonly stdout_logfile: string;
  readonly stderr_logfile: string;
}

/** The JSON view of one getProcessInfo struct, with its namespec. */
export function processJson(info: ProcessInfo): ProcessJson {
  return {
    namespec: namespecOf(info.group, info.name),
    group: info.group,
    name: info.name,
    statename: info.statename,
    state: info.state,
    pid: info.pid,
    start: info.start,
    stop: info.stop,
    exitstatus: info.exitstatus,
    spawnerr: info.spawnerr,
    description: info.description,
    stdout_logfile: info.stdout_logfile,
    stderr_logfile: info.stderr_logfile,
  };
}

const byGroupThenName = (a: ProcessJson, b: ProcessJson): number =>
  a.group < b.group ? -1 : a.group > b.group ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

/** Every process, sorted by (group, name) as supervisor's status page lists them. */
export function processList(snapshot: readonly ProcessSnapshot[]): ProcessJson[] {
  return snapshot.map((s) => processJson(s.info)).sort(byGroupThenName);
}
