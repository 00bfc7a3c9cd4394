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

export function isSvdError(e: unknown): e is SvdError {
  return typeof e === 'object' && e !== null && (e as { [BRAND]?: unknown })[BRAND] === true;
}

type Options = { cause?: unknown };

export class ShutdownStateError extends SvdError {
  override readonly name = 'ShutdownStateError';
  constructor(detail: string, options?: Options) {
    super('SHUTDOWN_STATE', detail, options);
  }
}

export class BadNameError extends SvdError {
  override readonly name = 'BadNameError';
  constructor(detail: string, options?: Options) {
    super('BAD_NAME', detail, options);
  }
}

export class BadSignalError extends SvdError {
  override readonly name = 'BadSignalError';
  constructor(detail: string, options?: Options) {
    super('BAD_SIGNAL', detail, options);
  }
}

export class NoFileError extends SvdError {
  override readonly name = 'NoFileError';
  constructor(detail: string, options?: Options) {
    super('NO_FILE', detail, options);
  }
}

export class NotExecutableError extends SvdError {
  override readonly name = 'NotExecutableError';
  constructor(detail: string, options?: Options) {
    super('NOT_EXECUTABLE', detail, options);
  }
}

export class FailedError extends SvdError {
  override readonly name = 'FailedError';
  constructor(detail: string, options?: Options) {
    super('FAILED', detail, options);
  }
}

export class AbnormalTerminationError extends SvdError {
  override readonly name = 'AbnormalTerminationError';
  constructor(detail: string, options?: Options) {
    super('ABNORMAL_TERMINATION', detail, options);
  }
}

export class SpawnError extends SvdError {
  override readonly name = 'SpawnError';
  constructor(detail: string, options?: Options) {
    super('SPAWN_ERROR', detail, options);
  }
}

export class AlreadyStartedError extends SvdError {
  override readonly name = 'AlreadyStartedError';
  constructor(detail: string, options?: Options) {
    super('ALREADY_STARTED', detail, options);
  }
}

export class NotRunningError extends SvdError {
  override readonly name = 'NotRunningError';
  constructor(detail: string, options?: Options) {
    super('NOT_RUNNING', detail, options);
  }
}

export class AlreadyAddedError extends SvdError {
  override readonly name = 'AlreadyAddedError';
  constructor(detail: string, options?: Options) {
    super('ALREADY_ADDED', detail, options);
  }
}

export class StillRunningError extends SvdError {
  override readonly name = 'StillRunningError';
  constructor(detail: string, options?: Options) {
    super('STILL_RUNNING', detail, options);
  }
}

export class CantRereadError extends SvdError {
  override readonly name = 'CantRereadError';
  constructor(detail: string, options?: Options) {
    super('CANT_REREAD', detail, options);
  }
}
