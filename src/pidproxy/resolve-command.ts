// Pure: where pidproxy's COMMAND lives. The file-system question is asked through `isExecutable`.
import { posix } from 'node:path';

/** The absolute path to run, or why COMMAND was not found. */
export type CommandResolution =
  { readonly ok: true; readonly path: string } | { readonly ok: false; readonly message: string };

/** The working directory, PATH and file test resolveCommand uses. */
export interface ResolveContext {
  readonly cwd: string;
  /** The PATH variable, or undefined when unset. */
  readonly pathEnv: string | undefined;
  /** True for a regular file this user may execute. */
  readonly isExecutable: (path: string) => boolean;
}

/**
 * Resolves COMMAND the way supervisor's pidproxy does, plus a PATH fallback.
 *
 * - A name with a slash is made absolute against the current directory and not checked here: spawning
 *   reports a missing or non-executable file (supervisor: `os.path.abspath`, no PATH search).
 * - A bare name is first looked up in the current directory, since that is what supervisor runs, and
 *   otherwise searched in PATH (an empty PATH entry means the current directory, as in POSIX shells).
 *   Under supervisor a bare name that is not in the current directory never runs, so the fallback
 *   changes nothing that worked there.
 */
export function resolveCommand(command: string, ctx: ResolveContext): CommandResolution {
  if (command === '') return { ok: false, message: 'the command is empty' };
  if (command.includes('/')) return { ok: true, path: posix.resolve(ctx.cwd, command) };
  const inCwd = posix.join(ctx.cwd, command);
  if (ctx.isExecutable(inCwd)) return { ok: true, path: inCwd };
  const dirs = ctx.pathEnv ? ctx.pathEnv.split(':') : [];
  for (const dir of dirs) {
    const candidate = posix.resolve(ctx.cwd, dir === '' ? '.' : dir, command);
    if (ctx.isExecutable(candidate)) return { ok: true, path: candidate };
  }
  return { ok: false, message: `not found in ${ctx.cwd} or PATH` };
}
