// Effect: supervisor's old page actions (`/?processname=web&action=restart`) carried out on the engine, each
// answered with the message supervisor's page puts in its redirect (supervisor/web.py, make_callback).
import type { Engine } from '../engine/engine.js';
import { isSvdError } from '../engine/errors.js';
import { ctime, type LegacyAction } from './legacy-ui.js';

/** The engine methods supervisor's old page actions use. */
export type LegacyEngine = Pick<
  Engine,
  'resolve' | 'startProcess' | 'stopProcess' | 'stopAllProcesses' | 'startAllProcesses' | 'clearProcessLogs'
>;

const START_FAULTS: Readonly<Record<string, string>> = {
  NO_FILE: 'no such file',
  NOT_EXECUTABLE: 'file not executable',
  ALREADY_STARTED: 'already started',
  SPAWN_ERROR: 'spawn error',
  ABNORMAL_TERMINATION: 'abnormal termination',
};

function unexpected(e: unknown): string {
  if (!isSvdError(e)) throw e;
  return `unexpected rpc fault [${e.code}] ${e.faultString}`;
}

/** Carries out one action and returns supervisor's message for it. Unexpected (non-fault) errors are thrown. */
export async function runLegacyAction(
  engine: LegacyEngine,
  action: LegacyAction,
  namespec: string,
  now: () => Date = () => new Date(),
): Promise<string> {
  switch (action) {
    case 'refresh':
      return `Page refreshed at ${ctime(now())}`;
    case 'stopall':
      await engine.stopAllProcesses(true);
      return `All stopped at ${ctime(now())}`;
    case 'restartall':
      await engine.stopAllProcesses(true);
      await engine.startAllProcesses(true);
      return `All restarted at ${ctime(now())}`;
  }
  if (!namesOneProcess(engine, namespec)) return `No such process named ${namespec}`;
  switch (action) {
    case 'start':
      try {
        await engine.startProcess(namespec, true);
        return `Process ${namespec} started`;
      } catch (e) {
        if (!isSvdError(e)) throw e;
        return `ERROR: Process ${namespec}: ${START_FAULTS[e.fault] ?? unexpected(e)}`;
      }
    case 'stop':
      try {
        await engine.stopProcess(namespec, true);
        return `Process ${namespec} stopped`;
      } catch (e) {
        return unexpected(e);
      }
    case 'restart':
      // supervisor's page runs stop and start as one multicall and reports neither's fault.
      await engine.stopProcess(namespec, true).catch((e: unknown) => unexpected(e));
      await engine.startProcess(namespec, true).catch((e: unknown) => unexpected(e));
      return `Process ${namespec} restarted`;
    case 'clearlog':
      try {
        engine.clearProcessLogs(namespec);
        return `Log for ${namespec} cleared`;
      } catch (e) {
        return unexpected(e);
      }
  }
}

function namesOneProcess(engine: LegacyEngine, namespec: string): boolean {
  try {
    return engine.resolve(namespec).process !== null;
  } catch (e) {
    if (isSvdError(e)) return false;
    throw e;
  }
}
