// prlimit(1), which runs a command under lowered resource limits: the tests of a daemon or addon near its
// open-files limit skip themselves where it is missing or cannot run.
import { execFileSync } from 'node:child_process';

/** The words that run a command under an open-files limit of `limit` (soft and hard). */
export function underFileLimit(limit: number): string[] {
  return ['prlimit', `--nofile=${limit}:${limit}`, '--'];
}

/** Whether prlimit can run a command under an open-files limit of `limit` here. */
export function prlimitWorks(limit: number): boolean {
  try {
    const [command, ...args] = underFileLimit(limit);
    execFileSync(command as string, [...args, 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
