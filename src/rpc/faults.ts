// The one place where thrown errors become XML-RPC faults (spec §4.3).
import { SvdError, isSvdError } from '../engine/errors.js';
import { FAULT_CODES } from '../model/faults.js';
import type { Fault } from './xmlrpc-value.js';

export { FAULT_CODES };

type Options = { cause?: unknown };

/** The method name is unknown, hidden (leading underscore) or not `namespace.method`. */
export class UnknownMethodError extends SvdError {
  override readonly name = 'UnknownMethodError';
  constructor(detail = '', options?: Options) {
    super('UNKNOWN_METHOD', detail, options);
  }
}

/** Wrong number of arguments, or an argument of the wrong type where supervisor checks it. */
export class IncorrectParametersError extends SvdError {
  override readonly name = 'IncorrectParametersError';
  constructor(detail = '', options?: Options) {
    super('INCORRECT_PARAMETERS', detail, options);
  }
}

/**
 * An argument of the wrong type (supervisor lets these raise: HTTP 500 and a traceback in its log). The
 * converters in supervisor-args throw it; the dispatcher re-raises it with the method's name in front, so
 * the fault reads `INCORRECT_PARAMETERS: supervisor.startProcess: argument 'name' must be a string, got int 0`.
 */
export class ArgumentTypeError extends IncorrectParametersError {
  constructor(argument: string, expected: string, got: string) {
    super(`argument '${argument}' must be ${expected}, got ${got}`);
  }
}

/** Arguments of the right type but out of range (readLog's offset and length). */
export class BadArgumentsError extends SvdError {
  override readonly name = 'BadArgumentsError';
  constructor(detail = '', options?: Options) {
    super('BAD_ARGUMENTS', detail, options);
  }
}

/** methodHelp / methodSignature of an unknown method, or one whose help has no `@return`. */
export class SignatureUnsupportedError extends SvdError {
  override readonly name = 'SignatureUnsupportedError';
  constructor(detail = '', options?: Options) {
    super('SIGNATURE_UNSUPPORTED', detail, options);
  }
}

/** The fault an error stands for, or null when it is unexpected (a bug: HTTP 500). */
export function faultOf(error: unknown): Fault | null {
  if (!isSvdError(error)) return null;
  return { faultCode: error.code, faultString: error.faultString };
}
