// Effect (stat/access): resolve a program's command to a file as supervisor's get_execv_args does (spec §3.3).
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { ProcessSpec } from '../model/config.js';
import type { CommandCheck } from '../ports/spawner.js';
import { splitCommand } from '../config/split-command.js';
import { pythonRepr } from '../model/python-repr.js';

const DEFAULT_PATH = '/bin:/usr/bin:/usr/local/bin';

function statOrNull(path: string): Stats | null {
  try {
    // Most PATH entries do not hold the command: a thrown ENOENT (an Error with a stack) per miss cost more
    // than the stat itself, on every spawn.
    return statSync(path, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}

/**
 * The PATH searched: the environment= PATH of [supervisord] and the program merged, else the daemon's own,
 * else supervisor's default.
 */
export function searchPath(
  spec: ProcessSpec,
  supervisordEnv: Readonly<Record<string, string>>,
  daemonPath?: string,
): string {
  return spec.environment['PATH'] ?? supervisordEnv['PATH'] ?? daemonPath ?? DEFAULT_PATH;
}

/**
 * Splits `command` as shlex does and finds its file: a name with a `/` as given, else the first directory
 * of the colon-separated `path` holding that name. NO_FILE when nothing is found; NOT_EXECUTABLE for an
 * unparsable or empty command, a directory, no x bit, or no permission for this user.
 */
export function resolveCommand(command: string, path: string): CommandCheck {
  const split = splitCommand(command);
  if (!split.ok)
    return {
      ok: false,
      fault: 'NOT_EXECUTABLE',
      message: `can't parse command ${pythonRepr(command)}: ${split.error}`,
    };
  const program = split.argv[0];
  if (program === undefined) return { ok: false, fault: 'NOT_EXECUTABLE', message: 'command is empty' };
  let file = program;
  let st: Stats | null = null;
  if (program.includes('/')) {
    st = statOrNull(program);
  } else {
    // The first directory where the name exists at all wins, executable or not.
    for (const dir of path.split(':')) {
      const found = join(dir, program);
      st = statOrNull(found);
      if (st) {
        file = found;
        break;
      }
    }
  }
  if (!st) return { ok: false, fault: 'NO_FILE', message: `can't find command ${pythonRepr(file)}` };
  if (st.isDirectory())
    return { ok: false, fault: 'NOT_EXECUTABLE', message: `command at ${pythonRepr(file)} is a directory` };
  if ((st.mode & 0o111) === 0) {
    return {
      ok: false,
      fault: 'NOT_EXECUTABLE',
      message: `command at ${pythonRepr(file)} is not executable`,
    };
  }
  try {
    accessSync(file, constants.X_OK);
  } catch {
    return {
      ok: false,
      fault: 'NOT_EXECUTABLE',
      message: `no permission to run command ${pythonRepr(file)}`,
    };
  }
  return { ok: true, file, argv: split.argv };
}
