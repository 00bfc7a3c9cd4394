// Effect: raise RLIMIT_NOFILE / RLIMIT_NPROC to minfds / minprocs as supervisord does (spec §2.6.1).
// Node cannot call setrlimit: util-linux's prlimit(1) sets the limit of our own pid (prlimit(2) on another pid).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** What raising the limits did, and supervisor's usage error when it could not. */
export interface RlimitOutcome {
  /** `Increased RLIMIT_NOFILE limit to 4096` lines, logged at INFO once the log is open. */
  readonly infos: string[];
  /** supervisor's usage message when a limit could not be raised. */
  readonly error: string | null;
}

const LIMITS = {
  nofile: {
    name: 'RLIMIT_NOFILE',
    row: 'Max open files',
    message: (min: number, hard: string) =>
      `The minimum number of file descriptors required to run this process is ${min} as per the "minfds" command-line argument or config file setting. The current environment will only allow you to open ${hard} file descriptors.  Either raise the number of usable file descriptors in your environment (see README.rst) or lower the minfds setting in the config file to allow the process to start.`,
  },
  nproc: {
    name: 'RLIMIT_NPROC',
    row: 'Max processes',
    message: (min: number, hard: string) =>
      `The minimum number of available processes required to run this program is ${min} as per the "minprocs" command-line argument or config file setting. The current environment will only allow you to open ${hard} processes.  Either raise the number of usable processes in your environment (see README.rst) or lower the minprocs setting in the config file to allow the program to start.`,
  },
} as const;

/** Soft and hard limits from /proc/<pid>/limits; Infinity for unlimited. */
export function readLimit(
  kind: keyof typeof LIMITS,
  pid: number | 'self' = 'self',
): { soft: number; hard: number } {
  const text = readFileSync(`/proc/${pid}/limits`, 'utf8');
  const line = text.split('\n').find((l) => l.startsWith(LIMITS[kind].row));
  const [soft, hard] = (line ?? '').slice(26).trim().split(/\s+/);
  const num = (v: string | undefined) => (v === 'unlimited' || v === undefined ? Infinity : Number(v));
  return { soft: num(soft), hard: num(hard) };
}

/**
 * Raises the soft RLIMIT_NOFILE and RLIMIT_NPROC to `minfds` and `minprocs` where below (the hard limit too
 * when it is lower, which needs root), through prlimit(1). Stops at the first limit it cannot raise.
 */
export function raiseRlimits(minfds: number, minprocs: number): RlimitOutcome {
  const infos: string[] = [];
  for (const [kind, min] of [
    ['nofile', minfds],
    ['nproc', minprocs],
  ] as const) {
    const { soft, hard } = readLimit(kind);
    if (soft >= min) continue;
    const newHard = hard < min ? min : hard;
    try {
      execFileSync(
        'prlimit',
        ['--pid', String(process.pid), `--${kind}=${min}:${newHard === Infinity ? 'unlimited' : newHard}`],
        {
          stdio: 'ignore',
        },
      );
      infos.push(`Increased ${LIMITS[kind].name} limit to ${min}`);
    } catch {
      return { infos, error: LIMITS[kind].message(min, hard === Infinity ? 'unlimited' : String(hard)) };
    }
  }
  return { infos, error: null };
}
