// Pure: supervisor faults as JSON API answers: an HTTP status and a body carrying the fault's name and code.
import { isSvdError } from '../engine/errors.js';
import { FAULT_CODES, type FaultName } from '../model/faults.js';

/** The JSON body of every refused /api request: the fault by name and number, and its message. */
export interface ApiErrorBody {
  readonly error: { readonly fault: FaultName; readonly code: number; readonly message: string };
}

const STATUS: Partial<Record<FaultName, number>> = {
  INCORRECT_PARAMETERS: 400,
  BAD_ARGUMENTS: 400,
  BAD_SIGNAL: 400,
  UNKNOWN_METHOD: 404,
  BAD_NAME: 404,
  NO_FILE: 404,
  ALREADY_STARTED: 409,
  NOT_RUNNING: 409,
  ALREADY_ADDED: 409,
  STILL_RUNNING: 409,
  CANT_REREAD: 422,
  NOT_EXECUTABLE: 422,
  SHUTDOWN_STATE: 503,
};

/**
 * The HTTP status for a fault: the request was wrong (400), names nothing (404), conflicts with the
 * process's state (409), cannot be carried out as configured (422), or failed while carried out (500).
 */
export function statusOfFault(fault: FaultName): number {
  return STATUS[fault] ?? 500;
}

/** The error body of `fault`, with its supervisor code. */
export function errorBody(fault: FaultName, message: string): ApiErrorBody {
  return { error: { fault, code: FAULT_CODES[fault], message } };
}

/** An engine error as an answer; null when it is not an SvdError (a bug, answered 500 by the pipeline). */
export function answerOfError(e: unknown): { status: number; body: ApiErrorBody } | null {
  if (!isSvdError(e)) return null;
  return { status: statusOfFault(e.fault), body: errorBody(e.fault, e.faultString) };
}
