// The streams a command writes to, so tests can capture them.

/** Where a command writes; tests pass collecting streams. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** The process's own stdout and stderr. */
export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr };

/** Thrown by a command to end with an exit status; only the entry point turns it into process.exit. */
export class ExitError extends Error {
  readonly exitCode: number;
  constructor(exitCode: number, message = '') {
    super(message);
    this.name = 'ExitError';
    this.exitCode = exitCode;
  }
}
