// The detached daemon's chdir into [supervisord] directory=, and the line supervisord logs for it.
import { getSystemErrorMap } from 'node:util';
import { pythonRepr } from '../logs/child-output-message.js';

/** A main-log line: its level and text. */
export interface StartupLine {
  readonly level: 'info' | 'critical';
  readonly text: string;
}

/**
 * Changes into `directory` as supervisord does when it daemonizes: after the privilege drop, so the folder can be
 * one the daemon's user may not enter. A failure is supervisord's CRIT `can't chdir into '/x': [Errno 13]
 * Permission denied: '/x'`, and the daemon runs on in the folder it was started in.
 */
export function changeDirectory(
  directory: string,
  chdir: (dir: string) => void = process.chdir,
): StartupLine {
  try {
    chdir(directory);
    return { level: 'info', text: `set current directory: ${pythonRepr(directory)}` };
  } catch (e) {
    const errno = (e as NodeJS.ErrnoException).errno;
    const entry = typeof errno === 'number' ? getSystemErrorMap().get(errno) : undefined;
    const reason = entry
      ? `[Errno ${Math.abs(errno as number)}] ${entry[1].charAt(0).toUpperCase()}${entry[1].slice(1)}`
      : String((e as Error).message ?? e);
    return {
      level: 'critical',
      text: `can't chdir into ${pythonRepr(directory)}: ${reason}: ${pythonRepr(directory)}`,
    };
  }
}
