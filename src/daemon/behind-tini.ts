// Effect: as PID 1 (a container), run the daemon behind tini in subreaper mode so orphaned grandchildren are
// reaped (Node reaps only its own children). Stop and reload signals are forwarded; tini forwards them on.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const UNDER_TINI_ENV = 'SVD_UNDER_TINI';
const TINI = ['/usr/bin/tini', '/usr/bin/tini-static', '/sbin/tini', '/usr/local/bin/tini'];
const FORWARDED: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'];

// Read once and removed from our environment, so that the daemon's children never see it.
const underTini = process.env[UNDER_TINI_ENV] !== undefined;
delete process.env[UNDER_TINI_ENV];

/** True when this process should put tini in front of itself. */
export function needsTini(): boolean {
  return process.pid === 1 && !underTini;
}

/** The first of the usual tini paths (TINI) that exists, or null. */
export function findTini(): string | null {
  return TINI.find((p) => existsSync(p)) ?? null;
}

/** Runs `self` under `tini -s -g` and resolves with its exit status (128+n when killed by signal n). */
export function runBehindTini(
  tini: string,
  self: { command: string; args: readonly string[] },
): Promise<number> {
  const child = spawn(tini, ['-s', '-g', '--', self.command, ...self.args], {
    stdio: 'inherit',
    env: { ...process.env, [UNDER_TINI_ENV]: '1' },
  });
  const forward = (sig: NodeJS.Signals) => () => {
    try {
      child.kill(sig);
    } catch {
      // tini is gone; its exit is on its way.
    }
  };
  const handlers = FORWARDED.map((sig) => [sig, forward(sig)] as const);
  for (const [sig, h] of handlers) process.on(sig, h);
  return new Promise((resolve) => {
    child.on('error', () => resolve(1));
    child.on('exit', (code, signal) => {
      for (const [sig, h] of handlers) process.off(sig, h);
      resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15));
    });
  });
}
