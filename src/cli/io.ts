// The streams a command writes to, so tests can capture them.
import { basename } from 'node:path';

/** Where a command writes; tests pass collecting streams. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** The process's own stdout and stderr. */
export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr };

/**
 * A command's output that cannot be written ends the command, never with a stack trace: `svd validate | head`
 * closing the pipe early ends it with its status so far, as a shell user expects; any other failed write
 * (`> /dev/full`, a full disk) is one line on stderr and status 1. The daemon guards its own echo instead: a
 * closed stdout must not stop it.
 */
export function endQuietlyWhenOutputFails(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      if (stream === process.stdout) {
        const cause = error.code ?? error.message;
        // stderr may have failed too: the status says it all then.
        try {
          process.stderr.write(`${commandName()}: cannot write to standard output: ${cause}\n`);
        } catch {}
      }
      process.exit(1);
    });
  }
}

/** The name the command was run by: svd, or supervisorctl, supervisord and the other aliases. */
function commandName(): string {
  return basename(process.argv[1] ?? 'svd', '.js');
}

/** Thrown by a command to end with an exit status; only the entry point turns it into process.exit. */
export class ExitError extends Error {
  readonly exitCode: number;
  constructor(exitCode: number, message = '') {
    super(message);
    this.name = 'ExitError';
    this.exitCode = exitCode;
  }
}
