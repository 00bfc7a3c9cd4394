// Effect: the page's actions (start, stop, restart, signal, clear log) on a process, a group or everything,
// through the same engine methods as XML-RPC, with supervisor's semantics and faults.
import type { Engine, ProcessResult } from '../engine/engine.js';
import { BadSignalError, isSvdError } from '../engine/errors.js';
import { FAULT_CODES } from '../model/faults.js';
import { parseSignal } from '../model/signals.js';
import { namespecOf } from '../plan/reconcile-state.js';
import type { ActionTarget, ApiProcessAction } from './api-request.js';

/** The engine methods the actions use. */
export type ActionEngine = Pick<
  Engine,
  | 'resolve'
  | 'getAllProcessInfo'
  | 'startProcess'
  | 'startProcessGroup'
  | 'startAllProcesses'
  | 'stopProcess'
  | 'stopProcessGroup'
  | 'stopAllProcesses'
  | 'signalProcess'
  | 'signalProcessGroup'
  | 'signalAllProcesses'
  | 'clearProcessLogs'
  | 'clearAllProcessLogs'
>;

/** One process's result of a group or "all" action; `fault` is null on success (status 80). */
export interface ResultJson {
  readonly namespec: string;
  readonly group: string;
  readonly name: string;
  readonly status: number;
  readonly fault: string | null;
  readonly description: string;
}

/** A one-process action succeeded (`ok`), or a group-wide one ran with per-process `results`. */
export type ActionOutcome = { readonly ok: true } | { readonly results: readonly ResultJson[] };

const FAULT_NAMES = new Map<number, string>(Object.entries(FAULT_CODES).map(([name, code]) => [code, name]));

function resultJson(r: ProcessResult): ResultJson {
  return {
    namespec: namespecOf(r.group, r.name),
    group: r.group,
    name: r.name,
    status: r.status,
    fault: r.status === FAULT_CODES.SUCCESS ? null : (FAULT_NAMES.get(r.status) ?? 'FAILED'),
    description: r.description,
  };
}

const results = (rs: readonly ProcessResult[]): ActionOutcome => ({ results: rs.map(resultJson) });

/** A signal name or number as supervisor accepts it; BAD_SIGNAL before anything is touched. */
function checkedSignal(signal: string | null): string {
  if (signal === null || !parseSignal(signal).ok) throw new BadSignalError(signal ?? '');
  return signal;
}

/** supervisorctl's restart of one process: stop it if it runs (a stopped one is fine), then start it. */
async function restartOne(engine: ActionEngine, namespec: string): Promise<void> {
  try {
    await engine.stopProcess(namespec, true);
  } catch (e) {
    if (!isSvdError(e) || e.fault !== 'NOT_RUNNING') throw e;
  }
  await engine.startProcess(namespec, true);
}

/** The stop half's failures (other than "was not running") and then the start half's results. */
function restartResults(stopped: readonly ProcessResult[], started: readonly ProcessResult[]): ActionOutcome {
  const stopFailures = stopped.filter(
    (r) => r.status !== FAULT_CODES.SUCCESS && r.status !== FAULT_CODES.NOT_RUNNING,
  );
  return results([...stopFailures, ...started]);
}

async function onProcess(
  engine: ActionEngine,
  namespec: string,
  action: ApiProcessAction,
  signal: string | null,
): Promise<ActionOutcome> {
  const outcome = (r: true | ProcessResult[]): ActionOutcome => (r === true ? { ok: true } : results(r));
  switch (action) {
    case 'start':
      return outcome(await engine.startProcess(namespec, true));
    case 'stop':
      return outcome(await engine.stopProcess(namespec, true));
    case 'restart':
      await restartOne(engine, namespec);
      return { ok: true };
    case 'signal':
      return outcome(await engine.signalProcess(namespec, checkedSignal(signal)));
    case 'clear':
      engine.clearProcessLogs(namespec);
      return { ok: true };
  }
}

async function onGroup(
  engine: ActionEngine,
  group: string,
  action: ApiProcessAction,
  signal: string | null,
): Promise<ActionOutcome> {
  switch (action) {
    case 'start':
      return results(await engine.startProcessGroup(group, true));
    case 'stop':
      return results(await engine.stopProcessGroup(group, true));
    case 'restart': {
      const stopped = await engine.stopProcessGroup(group, true);
      return restartResults(stopped, await engine.startProcessGroup(group, true));
    }
    case 'signal':
      return results(await engine.signalProcessGroup(group, checkedSignal(signal)));
    case 'clear': {
      engine.resolve(`${group}:*`);
      const members = engine.getAllProcessInfo().filter((p) => p.group === group);
      return results(
        members.map((p) => {
          try {
            engine.clearProcessLogs(namespecOf(p.group, p.name));
            return { name: p.name, group: p.group, status: FAULT_CODES.SUCCESS, description: 'OK' };
          } catch (e) {
            // A log that could not be emptied fails its own row, as clearAllProcessLogs reports it.
            if (!isSvdError(e)) throw e;
            return { name: p.name, group: p.group, status: e.code, description: e.message };
          }
        }),
      );
    }
  }
}

async function onAll(
  engine: ActionEngine,
  action: ApiProcessAction,
  signal: string | null,
): Promise<ActionOutcome> {
  switch (action) {
    case 'start':
      return results(await engine.startAllProcesses(true));
    case 'stop':
      return results(await engine.stopAllProcesses(true));
    case 'restart': {
      // supervisor's "Restart All": stop everything, then start everything.
      const stopped = await engine.stopAllProcesses(true);
      return restartResults(stopped, await engine.startAllProcesses(true));
    }
    case 'signal':
      return results(await engine.signalAllProcesses(checkedSignal(signal)));
    case 'clear':
      return results(engine.clearAllProcessLogs());
  }
}

/**
 * Runs `action` on `target` and waits for it as supervisorctl does (a start until RUNNING or its failure, a
 * stop until stopped). A process namespec `group:*` acts on the group. Throws the engine's SvdError for a
 * whole-request failure (BAD_NAME, BAD_SIGNAL, NOT_RUNNING for one process, …).
 */
export async function runAction(
  engine: ActionEngine,
  target: ActionTarget,
  action: ApiProcessAction,
  signal: string | null,
): Promise<ActionOutcome> {
  switch (target.kind) {
    case 'all':
      return onAll(engine, action, signal);
    case 'group':
      engine.resolve(`${target.name}:*`);
      return onGroup(engine, target.name, action, signal);
    case 'process': {
      const resolved = engine.resolve(target.namespec);
      if (resolved.process === null) return onGroup(engine, resolved.group, action, signal);
      return onProcess(engine, target.namespec, action, signal);
    }
  }
}
