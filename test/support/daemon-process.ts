// Runs dist/src/daemon/main.js as a real process for daemon integration tests, and cleans up after it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trackGroup } from './cleanup.js';

export const DAEMON_MAIN = fileURLToPath(new URL('../../src/daemon/main.js', import.meta.url));

export interface DaemonRun {
  readonly child: ChildProcess;
  readonly dir: string;
  stdout(): string;
  stderr(): string;
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
}

/** A temp dir holding `sd.conf` with a [supervisord] section pointing its files into the dir, plus `body`. */
export function tempConfig(
  body: string,
  supervisord = '',
): { dir: string; conf: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'svd-daemon-'));
  const conf = join(dir, 'sd.conf');
  writeFileSync(
    conf,
    `[supervisord]\nlogfile=${dir}/sd.log\npidfile=${dir}/sd.pid\nchildlogdir=${dir}\n${supervisord}\n${body}\n`,
  );
  return { dir, conf, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Starts `prefix... node main.js args` in its own process group (remembered for cleanup); `main` another script
 * (svd's CLI, whose `daemon` command also starts the servers).
 */
export function startDaemon(
  args: readonly string[],
  prefix: readonly string[] = [],
  main: string = DAEMON_MAIN,
): DaemonRun {
  const [cmd, ...rest] = [...prefix, process.execPath, main, ...args];
  const child = spawn(cmd as string, rest, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (child.pid) trackGroup(child.pid);
  let out = '';
  let err = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((r) =>
    child.on('exit', (code, signal) => r({ code, signal })),
  );
  return { child, dir: '', stdout: () => out, stderr: () => err, exited };
}
