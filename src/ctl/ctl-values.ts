// Pure: reading the API's answers (XML-RPC values) as the structs the ctl prints. A server that answers
// something else is a bug on its side; the ctl then prints its generic error line.
import { isStruct, type XmlRpcValue } from '../rpc/xmlrpc-value.js';
import type { ConfigInfoView, ProcessInfoView, ResultView } from './ctl-format.js';

class UnexpectedAnswerError extends Error {
  override readonly name = 'TypeError';
}

type Struct = Readonly<Record<string, XmlRpcValue>>;

function struct(value: XmlRpcValue | undefined): Struct {
  if (!isStruct(value)) throw new UnexpectedAnswerError(`expected a struct, got ${typeof value}`);
  return value;
}

function list(value: XmlRpcValue): readonly XmlRpcValue[] {
  if (!Array.isArray(value)) throw new UnexpectedAnswerError(`expected an array, got ${typeof value}`);
  return value as readonly XmlRpcValue[];
}

const str = (s: Struct, k: string): string =>
  typeof s[k] === 'string' ? (s[k] as string) : String(s[k] ?? '');
const num = (s: Struct, k: string): number => Number(s[k] ?? 0);

/** A getProcessInfo struct as the ctl reads it: the fields it prints typed, every other field kept. */
export type ProcessInfoStruct = ProcessInfoView & Struct;
/** A getAllConfigInfo struct as the ctl reads it: the fields avail prints typed, every other field kept. */
export type ConfigInfoStruct = ConfigInfoView & Struct;

/** One getProcessInfo answer; throws a TypeError-named error when it is not a struct. */
export function processInfoOf(value: XmlRpcValue): ProcessInfoStruct {
  const s = struct(value);
  return {
    ...s,
    name: str(s, 'name'),
    group: str(s, 'group'),
    state: num(s, 'state'),
    statename: str(s, 'statename'),
    description: str(s, 'description'),
    pid: num(s, 'pid'),
  };
}

/** getAllProcessInfo's answer; throws a TypeError-named error when it is not an array of structs. */
export function processInfosOf(value: XmlRpcValue): ProcessInfoStruct[] {
  return list(value).map(processInfoOf);
}

/**
 * svd's `GET /api/processes` answer as the structs getAllProcessInfo gives (same fields, same order), or null
 * when it is not one, or when the daemon is restarting or shutting down (getAllProcessInfo then faults
 * SHUTDOWN_STATE, which the ctl reports as supervisorctl does). The JSON API carries `now` once, in epoch ms,
 * and names the stdout log once.
 */
export function processInfosOfApi(value: unknown): ProcessInfoStruct[] | null {
  const answer = value as { supervisor?: { state?: unknown }; now?: unknown; processes?: unknown } | null;
  const state = answer?.supervisor?.state;
  if (state !== 'RUNNING' && state !== 'FATAL') return null;
  if (typeof answer?.now !== 'number' || !Array.isArray(answer.processes)) return null;
  const now = Math.floor(answer.now / 1000);
  const out: ProcessInfoStruct[] = [];
  for (const p of answer.processes as Record<string, unknown>[]) {
    if (typeof p?.name !== 'string' || typeof p.group !== 'string' || typeof p.statename !== 'string')
      return null;
    const stdout = String(p.stdout_logfile ?? '');
    out.push({
      name: p.name,
      group: p.group,
      start: Number(p.start ?? 0),
      stop: Number(p.stop ?? 0),
      now,
      state: Number(p.state ?? 0),
      statename: p.statename,
      spawnerr: String(p.spawnerr ?? ''),
      exitstatus: Number(p.exitstatus ?? 0),
      logfile: stdout,
      stdout_logfile: stdout,
      stderr_logfile: String(p.stderr_logfile ?? ''),
      pid: Number(p.pid ?? 0),
      description: String(p.description ?? ''),
    });
  }
  return out;
}

/** A start/stop/signal/clear result list; throws a TypeError-named error unless it is an array of structs. */
export function resultsOf(value: XmlRpcValue): ResultView[] {
  return list(value).map((v) => {
    const s = struct(v);
    return {
      name: str(s, 'name'),
      group: str(s, 'group'),
      status: num(s, 'status'),
      description: str(s, 'description'),
    };
  });
}

/** getAllConfigInfo's answer; throws a TypeError-named error when it is not an array of structs. */
export function configInfosOf(value: XmlRpcValue): ConfigInfoStruct[] {
  return list(value).map((v) => {
    const s = struct(v);
    return {
      ...s,
      name: str(s, 'name'),
      group: str(s, 'group'),
      inuse: s['inuse'] === true,
      autostart: s['autostart'] === true,
      group_prio: num(s, 'group_prio'),
      process_prio: num(s, 'process_prio'),
    };
  });
}

/** reloadConfig's `[[added, changed, removed]]`. */
export function changesOf(value: XmlRpcValue): { added: string[]; changed: string[]; removed: string[] } {
  const [triple] = list(value);
  const [added, changed, removed] = list(triple ?? []).map((names) => list(names).map(String));
  return { added: added ?? [], changed: changed ?? [], removed: removed ?? [] };
}

/** A fault raised for one name, as the per-process result supervisorctl builds from it. */
export function faultResult(
  faultCode: number,
  faultString: string,
  group: string,
  name: string | null,
): ResultView {
  return { status: faultCode, description: faultString, group, name };
}
