// Effect: the pidproxy process itself. Spawns the command, watches the pidfile and the processes, and
// turns signals, exits and polls into events for the pure machine in proxy-machine.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Writable } from 'node:stream';
import { isRunning } from './process-liveness.js';
import {
  PROXIED_SIGNALS,
  initialProxyState,
  stepProxy,
  type ProxiedSignal,
  type ProxyConfig,
  type ProxyEffect,
  type ProxyEvent,
  type ProxyState,
  type Probe,
} from './proxy-machine.js';
import { readPidfile } from './read-pidfile.js';
import { resolveCommand } from './resolve-command.js';
import { parsePidproxyArgs, usageText } from './usage.js';

/** The streams, directory, environment and timing of one run; each has a default. */
export interface PidproxyOptions {
  /** Shown in the usage text, where supervisor shows its argv[0]. Default `pidproxy`. */
  readonly programName?: string;
  readonly stdout?: Writable;
  readonly stderr?: Writable;
  /** Directory the command and a relative pidfile are resolved against. Default: process.cwd(). */
  readonly cwd?: string;
  /** The command's environment, and the PATH searched for a bare command name. Default: process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** How often the pidfile and the target are looked at. Default 150 ms. */
  readonly pollIntervalMs?: number;
  /** How long to wait for the pidfile after the command exits with status 0. Default 10 s. */
  readonly pidfileGraceMs?: number;
}

const DEFAULT_POLL_INTERVAL_MS = 150;
const DEFAULT_PIDFILE_GRACE_MS = 10_000;

/**
 * Runs `pidproxy PIDFILE COMMAND [ARGS...]`; `argv` holds the arguments after the program name.
 * Resolves to the exit status: 1 with the usage text for fewer than two arguments; 127 (not found) or
 * 126 (cannot execute) when the command cannot be started; otherwise the command's own exit status
 * (128+N when killed by signal N), reported once the command has exited and the process the pidfile
 * named has exited too. Installs handlers for TERM, HUP, INT, QUIT, USR1 and USR2 while it runs and
 * removes them before resolving, so call it once per process.
 */
export function runPidproxy(argv: readonly string[], options: PidproxyOptions = {}): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const parsed = parsePidproxyArgs(argv);
  if (parsed === null) {
    stdout.write(usageText(options.programName ?? 'pidproxy'));
    return Promise.resolve(1);
  }
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const command = resolveCommand(parsed.command, {
    cwd,
    pathEnv: env['PATH'],
    isExecutable: isExecutableFile,
  });
  if (!command.ok) {
    stderr.write(`pidproxy: can't run ${parsed.command}: ${command.message}\n`);
    return Promise.resolve(127);
  }
  const config: ProxyConfig = {
    pidfile: parsed.pidfile,
    command: parsed.command,
    graceMs: options.pidfileGraceMs ?? DEFAULT_PIDFILE_GRACE_MS,
    selfPid: process.pid,
  };
  const pidfilePath = resolve(cwd, parsed.pidfile);
  const before = readPidfile(pidfilePath);

  return new Promise((resolveExit) => {
    let state: ProxyState = initialProxyState(before.kind === 'pid' ? before.stamp : null);
    const handlers = new Map<ProxiedSignal, () => void>();
    let poller: NodeJS.Timeout | undefined;

    const look = (): Probe => {
      const pidfile = readPidfile(pidfilePath);
      return {
        now: performance.now(),
        pidfile,
        pidfileAlive: pidfile.kind === 'pid' && isRunning(pidfile.pid),
        targetAlive: state.target !== null && isRunning(state.target),
      };
    };
    const dispatch = (event: ProxyEvent): void => {
      const step = stepProxy(config, state, event);
      state = step.state;
      for (const effect of step.effects) perform(effect);
    };
    const perform = (effect: ProxyEffect): void => {
      switch (effect.type) {
        case 'kill':
          try {
            process.kill(effect.pid, effect.signal);
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code ?? String(error);
            stderr.write(`pidproxy: can't send ${effect.signal} to pid ${effect.pid}: ${code}\n`);
          }
          return;
        case 'say':
          (effect.stream === 'stdout' ? stdout : stderr).write(`${effect.line}\n`);
          return;
        case 'exit':
          clearInterval(poller);
          for (const [signal, handler] of handlers) process.off(signal, handler);
          resolveExit(effect.code);
          return;
      }
    };

    // Handlers go in before the spawn: until then a TERM would kill pidproxy and orphan the command.
    for (const signal of PROXIED_SIGNALS) {
      const handler = (): void => dispatch({ type: 'signal', signal, probe: look() });
      handlers.set(signal, handler);
      process.on(signal, handler);
    }
    let child: ChildProcess;
    try {
      child = spawn(command.path, parsed.args, { cwd, env, stdio: 'inherit', argv0: parsed.command });
    } catch (error) {
      // argument checks (a NUL byte, say) throw instead of emitting 'error'
      dispatch({ type: 'spawn-failed', reason: String((error as Error).message), status: 126 });
      return;
    }
    child.on('error', (error: NodeJS.ErrnoException) => {
      // after a successful spawn, 'error' only reports a failed child.kill(), which is never used
      if (state.child.kind !== 'unstarted') return;
      dispatch({
        type: 'spawn-failed',
        reason: spawnErrorText(error),
        status: error.code === 'ENOENT' ? 127 : 126,
      });
    });
    child.on('exit', (code, signal) => {
      const status = code ?? 128 + (signal === null ? 0 : osConstants.signals[signal]);
      dispatch({ type: 'child-exited', status, probe: look() });
    });
    if (child.pid !== undefined) dispatch({ type: 'spawned', pid: child.pid });
    poller = setInterval(
      () => dispatch({ type: 'poll', probe: look() }),
      options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    );
  });
}

function spawnErrorText(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
      return 'permission denied';
    case 'ENOTDIR':
      return 'not a directory';
    default:
      return error.code ?? error.message;
  }
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, fsConstants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
