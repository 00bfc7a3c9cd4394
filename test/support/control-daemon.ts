// Real daemons for control-plane tests: `svd daemon` or Debian's supervisord on the same config (a temp dir,
// a unix socket, optionally a loopback port), clients run as real processes (supervisorctl, svd ctl, Python),
// and a stop that leaves nothing behind.
import { after, before } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allProcesses, eventually, trackGroup } from './cleanup.js';
import { freePort } from './http-probe.js';
import { fixturesDir, svdBin } from './paths.js';

export type DaemonKind = 'svd' | 'supervisord';

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
}

export interface ControlDaemonOptions {
  /** Sections after the server sections: programs, groups. */
  readonly body: string;
  /** A loopback [inet_http_server] too. */
  readonly inet?: boolean | undefined;
  /** Basic auth on both servers. */
  readonly credentials?: { readonly username: string; readonly password: string } | undefined;
  /** Extra [supervisord] lines. */
  readonly supervisord?: string | undefined;
  /** A command the daemon's command line is appended to (`prlimit --nofile=64 --`). */
  readonly launcher?: readonly string[] | undefined;
  /** A pipe left open in the daemon at this descriptor, as a careless caller's shell leaves one. */
  readonly inheritedFd?: number | undefined;
}

export interface ControlDaemon {
  readonly kind: DaemonKind;
  readonly dir: string;
  readonly conf: string;
  readonly socket: string;
  /** The loopback port, 0 without [inet_http_server]. */
  readonly port: number;
  readonly pid: number;
  /** `supervisorctl -c conf ARGS` (Debian's). */
  supervisorctl(args: readonly string[], input?: string): Promise<RunResult>;
  /** `svd ctl -c conf ARGS`. */
  svdctl(args: readonly string[], input?: string): Promise<RunResult>;
  /** Rewrites the config's program sections (servers and [supervisord] stay). */
  rewrite(body: string): void;
  mainLog(): string;
  /**
   * SIGTERM, wait for the exit; anything left (children included) is SIGKILLed. Safe to call twice. Rejects when
   * the daemon's own children outlived it (a daemon stops them before it exits) or it did not exit within 30 s.
   */
  stop(): Promise<{ code: number | null; signal: string | null }>;
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
}

const CLIENT_DEADLINE_MS = 60_000;

/**
 * Runs a command to completion, feeding `input` on stdin (or nothing). A client still running at the deadline
 * is killed and the call rejects: a hang is a failure, not a result with a null exit code.
 */
export function run(
  command: string,
  args: readonly string[],
  input?: string,
  env?: NodeJS.ProcessEnv,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { stdio: ['pipe', 'pipe', 'pipe'], env: env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, CLIENT_DEADLINE_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (hung)
        reject(
          new Error(
            `${command} ${args.join(' ')} still ran after ${CLIENT_DEADLINE_MS / 1000} s; ` +
              `its output so far: ${JSON.stringify((stdout + stderr).slice(-400))}`,
          ),
        );
      else resolve({ stdout, stderr, code });
    });
  });
}

function configText(dir: string, port: number, o: ControlDaemonOptions, body: string): string {
  const auth = o.credentials
    ? `username=${o.credentials.username}\npassword=${o.credentials.password}\n`
    : '';
  return [
    '[supervisord]',
    `logfile=${dir}/sd.log`,
    `pidfile=${dir}/sd.pid`,
    `childlogdir=${dir}`,
    'nodaemon=true',
    'identifier=ctltest',
    o.supervisord ?? '',
    '[unix_http_server]',
    `file=${dir}/sd.sock`,
    auth,
    ...(port ? ['[inet_http_server]', `port=127.0.0.1:${port}`, auth] : []),
    '[rpcinterface:supervisor]',
    'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
    '[supervisorctl]',
    `serverurl=unix://${dir}/sd.sock`,
    ...(o.credentials ? [`username=${o.credentials.username}`, `password=${o.credentials.password}`] : []),
    body,
    '',
  ].join('\n');
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '(gone)';
  }
}

function descendants(root: number): number[] {
  const all = allProcesses();
  const out: number[] = [];
  const walk = (pid: number): void => {
    for (const p of all) if (p.ppid === pid) (out.push(p.pid), walk(p.pid));
  };
  walk(root);
  return out;
}

/** Starts a daemon and waits until it serves. */
export async function startControlDaemon(kind: DaemonKind, o: ControlDaemonOptions): Promise<ControlDaemon> {
  const dir = mkdtempSync(join(tmpdir(), `svd-ctl-${kind}-`));
  const port = o.inet ? await freePort() : 0;
  const conf = join(dir, 'supervisord.conf');
  writeFileSync(conf, configText(dir, port, o, o.body));
  const socket = join(dir, 'sd.sock');
  const command = [
    ...(o.launcher ?? []),
    ...(kind === 'svd'
      ? [process.execPath, svdBin, 'daemon', '-c', conf]
      : ['/usr/bin/supervisord', '-c', conf]),
  ];
  const extra =
    o.inheritedFd === undefined
      ? []
      : [...Array<'ignore'>(o.inheritedFd - 3).fill('ignore'), 'pipe' as const];
  const child: ChildProcess = spawn(command[0] as string, command.slice(1), {
    stdio: ['ignore', 'pipe', 'pipe', ...extra],
    detached: true,
  });
  const pid = child.pid ?? 0;
  trackGroup(pid);
  let err = '';
  child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
  child.stdout?.resume();
  const exited = new Promise<{ code: number | null; signal: string | null }>((r) =>
    child.on('exit', (code, signal) => r({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  const log = join(dir, 'sd.log');
  try {
    await eventually(
      () => gone || (existsSync(log) && readFileSync(log, 'utf8').includes('supervisord started with pid')),
      30_000,
      `${kind} to start`,
    );
    if (gone) throw new Error(`${kind} exited during startup: ${err}`);
    await eventually(() => existsSync(socket), 10_000, 'the socket');
  } catch (e) {
    // The caller gets no handle to stop: what started goes now, with the children it spawned already (each in
    // a group of its own, which the daemon's group does not cover) and its directory.
    if (pid > 0) {
      const kids = descendants(pid);
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
      killGroups(kids);
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }

  let stopped: Promise<{ code: number | null; signal: string | null }> | null = null;
  const stop = (): Promise<{ code: number | null; signal: string | null }> => {
    stopped ??= (async () => {
      const kids = descendants(pid);
      // The daemon's own children: a daemon that stops as told reaps every one of them before it exits.
      const own = gone
        ? []
        : allProcesses()
            .filter((p) => p.ppid === pid)
            .map((p) => p.pid);
      if (!gone) child.kill('SIGTERM');
      let hung = false;
      const deadline = setTimeout(() => {
        hung = true;
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // Gone already.
        }
      }, 30_000);
      const result = await exited;
      clearTimeout(deadline);
      // Zombies aside: one whose exit the daemon had not yet collected is dead, and init reaps it.
      const outlived = new Set(own);
      const left = allProcesses().filter((p) => outlived.has(p.pid) && p.state !== 'Z');
      const leftText = left.map((p) => `${p.pid} ${commandLine(p.pid)}`).join(', ');
      killGroups(kids);
      rmSync(dir, { recursive: true, force: true });
      if (hung) throw new Error(`${kind} did not exit within 30 s of SIGTERM`);
      if (left.length > 0)
        throw new Error(`${kind} exited on SIGTERM leaving its children running: ${leftText}`);
      return result;
    })();
    return stopped;
  };

  return {
    kind,
    dir,
    conf,
    socket,
    port,
    pid,
    supervisorctl: (args, input) => run('/usr/bin/supervisorctl', ['-c', conf, ...args], input),
    svdctl: (args, input) => run(process.execPath, [svdBin, 'ctl', '-c', conf, ...args], input),
    rewrite: (body) => writeFileSync(conf, configText(dir, port, o, body)),
    mainLog: () => (existsSync(log) ? readFileSync(log, 'utf8') : ''),
    stop,
    exited,
  };
}

/** SIGKILLs each process's group, or the process alone where it leads none. */
function killGroups(pids: readonly number[]): void {
  for (const k of pids) {
    try {
      process.kill(-k, 'SIGKILL');
    } catch {
      try {
        process.kill(k, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
  }
}

/**
 * Promise.all for daemons started together: when one fails to start, the others that did are stopped before the
 * failure is thrown (the caller never gets their handles, and its after-hook could not stop them).
 */
export async function allStarted<T extends readonly Promise<ControlDaemon>[]>(
  starts: readonly [...T],
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(starts);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.allSettled(settled.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
    throw failed.reason;
  }
  return settled.map((s) => (s as PromiseFulfilledResult<ControlDaemon>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}

/** Replaces what legitimately differs between two daemons' answers: pids, times, paths, AUTO log names. */
export function mask(text: string, ...dirs: string[]): string {
  let out = text;
  for (const d of dirs) out = out.split(d).join('<DIR>');
  return out
    .replace(/pid \d+/g, 'pid <N>')
    .replace(/uptime [\d:]+(?:, \d+ days?)?/g, 'uptime <T>')
    .replace(/^\d+$/gm, '<PID>')
    .replace(/[A-Z][a-z]{2} \d{2} \d{2}:\d{2} [AP]M/g, '<DATE>')
    .replace(/-(stdout|stderr)---ctltest-[a-z0-9_]+\.log/g, '-$1---ctltest-<X>.log');
}

/**
 * The text of a program's AUTO log (`stdout` or `stderr`) in the daemon's childlogdir, '' until the file exists:
 * what a child wrote once it got going. RUNNING at startsecs=0 comes before that, so a test that needs the child
 * to have started (written its line, set its traps) waits for the line.
 */
export function childLog(d: ControlDaemon, program: string, stream: 'stdout' | 'stderr' = 'stdout'): string {
  const prefix = `${program}-${stream}---`;
  const name = readdirSync(d.dir).find((f) => f.startsWith(prefix) && f.endsWith('.log'));
  return name ? readFileSync(join(d.dir, name), 'utf8') : '';
}

/** Live processes among `pids` (zombies included). */
export function alive(pids: readonly number[]): number[] {
  const set = new Set(pids);
  return allProcesses()
    .filter((p) => set.has(p.pid))
    .map((p) => p.pid);
}

export { descendants };

/** What `daemonsPerFile` starts: the kind of daemon and its options. */
export type DaemonStart = readonly [DaemonKind, ControlDaemonOptions];

/**
 * The daemons of a test file: started together in a before-hook (none when `skip` is set) and handed to `ready`
 * each, and stopped in an after-hook that then waits until none of their processes is left. Their processes
 * are those under them once they are ready and those under them right before the stop, so children a test
 * starts count as well. The returned function gives the daemons in the order of `starts`; it throws when they
 * did not start (a skipped file never calls it).
 */
export function daemonsPerFile<const S extends readonly DaemonStart[]>(
  starts: S,
  setup: { readonly skip?: unknown; readonly ready?: (d: ControlDaemon) => Promise<void> } = {},
): () => { -readonly [I in keyof S]: ControlDaemon } {
  let daemons: ControlDaemon[] | undefined;
  const children: number[] = [];
  before(async () => {
    if (setup.skip) return;
    daemons = await allStarted(starts.map(([kind, options]) => startControlDaemon(kind, options)));
    const { ready } = setup;
    if (ready) await Promise.all(daemons.map(ready));
    for (const d of daemons) children.push(...descendants(d.pid));
  });
  after(async () => {
    if (!daemons) return;
    for (const d of daemons) children.push(...descendants(d.pid));
    await Promise.all(daemons.map((d) => d.stop()));
    await eventually(() => alive(children).length === 0, 10_000, 'no process left');
  });
  return () => {
    if (!daemons) throw new Error('the daemons did not start');
    return daemons as { -readonly [I in keyof S]: ControlDaemon };
  };
}

/** supervisord and svd on the same options, for a test file (see `daemonsPerFile`). */
export function sideBySide(
  options: ControlDaemonOptions,
  setup: Parameters<typeof daemonsPerFile>[1] = {},
): () => [real: ControlDaemon, svd: ControlDaemon] {
  return daemonsPerFile(
    [
      ['supervisord', options],
      ['svd', options],
    ],
    setup,
  );
}

/**
 * The svd daemon of a test file, running one program `sleeper`: started in a before-hook, which hands it to
 * `ready` once `sleeper` is RUNNING, and stopped in an after-hook that waits until none of its children is left.
 */
export function sleeperDaemonPerFile(
  options: Omit<ControlDaemonOptions, 'body'>,
  ready: (daemon: ControlDaemon) => void,
): void {
  const body = `[program:sleeper]\ncommand=${join(fixturesDir, 'bin', 'sleep-forever')}\nstartsecs=0\n`;
  daemonsPerFile([['svd', { ...options, body }]], {
    ready: async (d) => {
      await eventually(
        () => d.mainLog().includes('success: sleeper entered RUNNING'),
        20_000,
        'sleeper RUNNING',
      );
      ready(d);
    },
  });
}
