// Runtime errors at the engine's API boundary: a closed family, each carrying one supervisor fault (spec §4.3).

import { FAULT_CODES, type FaultName } from '../model/faults.js';

const BRAND = Symbol.for('svd.SvdError');

/** Faults raised with what the caller named, shown even when that was empty. */
const ALWAYS_DETAILED: ReadonlySet<FaultName> = new Set(['BAD_NAME', 'BAD_SIGNAL']);

/** Base of every engine error. `message` is supervisor's fault string, `NAME: detail`. */
export abstract class SvdError extends Error {
  readonly fault: FaultName;
  readonly detail: string;
  readonly [BRAND] = true;
  /**
   * An empty `detail` gives the fault alone. supervisor's RPCError shows any extra it is given, even an empty
   * one, so the faults that always carry the caller's name or signal keep the colon (`BAD_NAME: ` for '').
   */
  protected constructor(fault: FaultName, detail: string, options?: { cause?: unknown }) {
    super(detail === '' && !ALWAYS_DETAILED.has(fault) ? fault : `${fault}: ${detail}`, options);
    this.fault = fault;
    this.detail = detail;
  }
  get code(): number {
    return FAULT_CODES[this.fault];
  }
  /** `SPAWN_ERROR: web`: the xmlrpc faultString and the per-process result description. */
  get faultString(): string {
    return this.message;
  }
}

/** True for any SvdError, also one made by another copy of this module (the brand is a global symbol). */
export function isSvdError(e: unknown): e is SvdError {
  return typeof e === 'object' && e !== null && (e as { [BRAND]?: unknown })[BRAND] === true;
}

type Options = { cause?: unknown };

/** SHUTDOWN_STATE: the daemon is shutting down or restarting, so the command is refused. */
export class ShutdownStateError extends SvdError {
  override readonly name = 'ShutdownStateError';
  constructor(detail: string, options?: Options) {
    super('SHUTDOWN_STATE', detail, options);
  }
}

/** BAD_NAME: no group or process of that name; `detail` is the name as the caller gave it. */
export class BadNameError extends SvdError {
  override readonly name = 'BadNameError';
  constructor(detail: string, options?: Options) {
    super('BAD_NAME', detail, options);
  }
}

/** BAD_SIGNAL: no signal of that name or number; `detail` is the signal as the caller gave it. */
export class BadSignalError extends SvdError {
  override readonly name = 'BadSignalError';
  constructor(detail: string, options?: Options) {
    super('BAD_SIGNAL', detail, options);
  }
}

/** NO_FILE: a command not found, a log that is not configured or not there, or a child's closed stdin. */
export class NoFileError extends SvdError {
  override readonly name = 'NoFileError';
  constructor(detail: string, options?: Options) {
    super('NO_FILE', detail, options);
  }
}

/** NOT_EXECUTABLE: the command exists but cannot be run (a directory, no execute permission, unparsable). */
export class NotExecutableError extends SvdError {
  override readonly name = 'NotExecutableError';
  constructor(detail: string, options?: Options) {
    super('NOT_EXECUTABLE', detail, options);
  }
}

/** FAILED: a command failed for a reason with no fault of its own (a failed kill, a log read error, ...). */
export class FailedError extends SvdError {
  override readonly name = 'FailedError';
  constructor(detail: string, options?: Options) {
    super('FAILED', detail, options);
  }
}

/** ABNORMAL_TERMINATION: a start waited on left STARTING without reaching RUNNING, and without a spawnerr. */
export class AbnormalTerminationError extends SvdError {
  override readonly name = 'AbnormalTerminationError';
  constructor(detail: string, options?: Options) {
    super('ABNORMAL_TERMINATION', detail, options);
  }
}

/** SPAWN_ERROR: the spawn itself failed (the process has a spawnerr); `detail` is the namespec. */
export class SpawnError extends SvdError {
  override readonly name = 'SpawnError';
  constructor(detail: string, options?: Options) {
    super('SPAWN_ERROR', detail, options);
  }
}

/** ALREADY_STARTED: startProcess on a process that is STARTING, RUNNING or BACKOFF. */
export class AlreadyStartedError extends SvdError {
  override readonly name = 'AlreadyStartedError';
  constructor(detail: string, options?: Options) {
    super('ALREADY_STARTED', detail, options);
  }
}

/** NOT_RUNNING: a stop, signal or stdin write to a process that has no run to act on. */
export class NotRunningError extends SvdError {
  override readonly name = 'NotRunningError';
  constructor(detail: string, options?: Options) {
    super('NOT_RUNNING', detail, options);
  }
}

/** ALREADY_ADDED: a group (or process) of that name is active already. */
export class AlreadyAddedError extends SvdError {
  override readonly name = 'AlreadyAddedError';
  constructor(detail: string, options?: Options) {
    super('ALREADY_ADDED', detail, options);
  }
}

/** STILL_RUNNING: removing a group or process that is not stopped. */
export class StillRunningError extends SvdError {
  override readonly name = 'StillRunningError';
  constructor(detail: string, options?: Options) {
    super('STILL_RUNNING', detail, options);
  }
}

/** CANT_REREAD: reloadConfig could not read the configuration again; `detail` says why. */
export class CantRereadError extends SvdError {
  override readonly name = 'CantRereadError';
  constructor(detail: string, options?: Options) {
    super('CANT_REREAD', detail, options);
  }
}
