// The one error type of the log layer: an OS error on a log file, with what we were doing when it happened.

/** What the log layer was doing when an OS error happened. */
export type LogFileOp = 'open' | 'write' | 'rotate' | 'reopen' | 'clear' | 'close' | 'read' | 'cleanup';

/**
 * An I/O failure on a log file. `code` is the errno name (`ENOENT`, `ENOSPC`, `EACCES`, ...) or
 * `UNKNOWN`; the engine turns an open failure at spawn into supervisor's
 * `unknown error making dispatchers for '<name>': <code>` spawnerr.
 */
export class LogFileError extends Error {
  override readonly name = 'LogFileError';
  readonly op: LogFileOp;
  readonly path: string;
  readonly code: string;

  constructor(op: LogFileOp, path: string, code: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.op = op;
    this.path = path;
    this.code = code;
  }
}

/** The errno name of a Node system error, or `UNKNOWN`. */
export function errnoCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return 'UNKNOWN';
}

/** `error` as a LogFileError of `op` on `path` (message `<op> <path>: <detail>`); a LogFileError as it is. */
export function toLogFileError(op: LogFileOp, path: string, error: unknown): LogFileError {
  if (error instanceof LogFileError) return error;
  const code = errnoCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  return new LogFileError(op, path, code, `${op} ${path}: ${detail}`, error);
}
