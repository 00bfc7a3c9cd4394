// Pure: supervisorctl's output lines (spec §5.4), from the structs the API returns.
import { FAULT_CODES } from '../model/faults.js';
import type { CtlErrorOrigin } from './ctl-error-line.js';

/** What the ctl reads of a ProcessInfo struct. */
export interface ProcessInfoView {
  readonly name: string;
  readonly group: string;
  readonly state: number;
  readonly statename: string;
  readonly description: string;
  readonly pid: number;
}

/** A per-process result (group and "all" operations), or a fault turned into one. */
export interface ResultView {
  readonly name: string | null;
  readonly group: string;
  readonly status: number;
  readonly description: string;
}

/** What the ctl reads of a ConfigInfo struct. */
export interface ConfigInfoView {
  readonly name: string;
  readonly group: string;
  readonly inuse: boolean;
  readonly autostart: boolean;
  readonly group_prio: number;
  readonly process_prio: number;
}

/** `proc` when group and process share a name, else `group:proc`; a missing process prints `None` as Python. */
export function makeNamespec(group: string, name: string | null): string {
  const process = name ?? 'None';
  return group === process ? process : `${group}:${process}`;
}

/** `group:proc` → [group, proc]; `group:*` and `group:` → [group, null]; `name` → [name, name]. */
export function splitNamespec(namespec: string): [string, string | null] {
  const i = namespec.indexOf(':');
  if (i < 0) return [namespec, namespec];
  const process = namespec.slice(i + 1);
  return [namespec.slice(0, i), process === '' || process === '*' ? null : process];
}

/** `%-Ws%-10s%s` with W = max(30, longest namespec) + 3; no trimming. */
export function statusLines(infos: readonly ProcessInfoView[]): string[] {
  const names = infos.map((i) => makeNamespec(i.group, i.name));
  const width = Math.max(30, ...names.map((n) => n.length)) + 3;
  return infos.map(
    (info, i) => `${(names[i] as string).padEnd(width)}${info.statename.padEnd(10)}${info.description}`,
  );
}

/** supervisorctl raises on a result code it does not expect; the ctl prints it as its generic error line. */
export class UnknownResultError extends Error {
  override readonly name = 'ValueError';
  readonly pythonOrigin: CtlErrorOrigin;
  constructor(message: string, pythonOrigin: CtlErrorOrigin) {
    super(message);
    this.pythonOrigin = pythonOrigin;
  }
}

/** Throws supervisorctl's ValueError for `code`, raised where the result function `origin` raises it. */
function unknown(code: number, name: string, origin: CtlErrorOrigin): never {
  throw new UnknownResultError(`Unknown result code ${code} for ${name}`, origin);
}

const ERR = (name: string, why: string): string => `${name}: ERROR (${why})`;

/** supervisorctl's line for one start result; throws UnknownResultError for a status it does not expect. */
export function startResult(r: ResultView): string {
  const name = makeNamespec(r.group, r.name);
  switch (r.status) {
    case FAULT_CODES.BAD_NAME:
      return ERR(name, 'no such process');
    case FAULT_CODES.NO_FILE:
      return ERR(name, 'no such file');
    case FAULT_CODES.NOT_EXECUTABLE:
      return ERR(name, 'file is not executable');
    case FAULT_CODES.ALREADY_STARTED:
      return ERR(name, 'already started');
    case FAULT_CODES.SPAWN_ERROR:
      return ERR(name, 'spawn error');
    case FAULT_CODES.ABNORMAL_TERMINATION:
      return ERR(name, 'abnormal termination');
    case FAULT_CODES.SUCCESS:
      return `${name}: started`;
    default:
      return unknown(r.status, name, 'start-result');
  }
}

/** supervisorctl's line for one stop result (for FAILED, the description); throws on another status. */
export function stopResult(r: ResultView): string {
  const name = makeNamespec(r.group, r.name);
  switch (r.status) {
    case FAULT_CODES.BAD_NAME:
      return ERR(name, 'no such process');
    case FAULT_CODES.NOT_RUNNING:
      return ERR(name, 'not running');
    case FAULT_CODES.SUCCESS:
      return `${name}: stopped`;
    case FAULT_CODES.FAILED:
      return r.description;
    default:
      return unknown(r.status, name, 'signal-result');
  }
}

/** supervisorctl's line for one signal result (for FAILED, the description); throws on another status. */
export function signalResult(r: ResultView): string {
  const name = makeNamespec(r.group, r.name);
  switch (r.status) {
    case FAULT_CODES.BAD_NAME:
      return ERR(name, 'no such process');
    case FAULT_CODES.BAD_SIGNAL:
      return ERR(name, 'bad signal name');
    case FAULT_CODES.NOT_RUNNING:
      return ERR(name, 'not running');
    case FAULT_CODES.SUCCESS:
      return `${name}: signalled`;
    case FAULT_CODES.FAILED:
      return r.description;
    default:
      return unknown(r.status, name, 'signal-result');
  }
}

/** supervisorctl's line for one clear result; throws UnknownResultError for a status it does not expect. */
export function clearResult(r: ResultView): string {
  const name = makeNamespec(r.group, r.name);
  switch (r.status) {
    case FAULT_CODES.BAD_NAME:
      return ERR(name, 'no such process');
    case FAULT_CODES.FAILED:
      return ERR(name, 'failed');
    case FAULT_CODES.SUCCESS:
      return `${name}: cleared`;
    default:
      return unknown(r.status, name, 'clear-result');
  }
}

/** `avail`: `%-32s %-9s %-9s %s` of namespec, in use/avail, auto/manual, group_prio:process_prio. */
export function availLine(c: ConfigInfoView): string {
  const name = makeNamespec(c.group, c.name);
  const state = c.inuse ? 'in use' : 'avail';
  const autostart = c.autostart ? 'auto' : 'manual';
  return `${name.padEnd(32)} ${state.padEnd(9)} ${autostart.padEnd(9)} ${c.group_prio}:${c.process_prio}`;
}

/** `reread`: one line per affected group, sorted by name, or `No config updates to processes`. */
export function changeLines(
  added: readonly string[],
  changed: readonly string[],
  removed: readonly string[],
): string[] {
  const what = new Map<string, string>();
  for (const [names, label] of [
    [added, 'available'],
    [changed, 'changed'],
    [removed, 'disappeared'],
  ] as const)
    for (const n of names) what.set(n, label);
  if (what.size === 0) return ['No config updates to processes'];
  return [...what.keys()].sort(byCodePoint).map((n) => `${n}: ${what.get(n) ?? ''}`);
}

/** Python's default string order (code points), not the locale's. */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
