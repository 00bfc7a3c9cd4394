// Real daemons with real event listeners (test/fixtures/listeners, run by Debian's python3 with its supervisor
// package), and the JSON lines the recorder listener writes.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { startDaemon, tempConfig, type DaemonRun } from './daemon-process.js';
import { allProcesses, trackGroup } from './cleanup.js';
import { supervisorMissing } from './oracle.js';
import { fixturesDir, repoRoot } from './paths.js';

export const PYTHON = '/usr/bin/python3';

/** A test whose listeners import supervisor.childutils: skipped, with the reason, without Debian's supervisor. */
export function childutilsTest(name: string, fn: () => Promise<void>): void {
  void test(name, { skip: supervisorMissing }, fn);
}
export const listenerFixture = (name: string): string => join(fixturesDir, 'listeners', name);

/** One event as test/fixtures/listeners/recorder.py saw it. */
export interface RecordedEvent {
  readonly pid: number;
  /** The header line, rebuilt from childutils' parsed headers in their order. */
  readonly header: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly payload: string;
  readonly body_headers: Readonly<Record<string, string>>;
  readonly data?: string;
}

export function readRecords(file: string): RecordedEvent[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as RecordedEvent);
}

export interface EventDaemon {
  readonly run: DaemonRun;
  readonly dir: string;
  /** `unix://<dir>/sd.sock` (with `rpc`). */
  readonly serverUrl: string;
  /** The recorder's file for a pool, by convention `<dir>/<pool>.jsonl`. */
  records(pool: string): RecordedEvent[];
  /** The daemon's main log. */
  mainLog(): string;
  /** SIGTERM and wait for the daemon's exit. */
  stop(): Promise<void>;
  /** SIGTERM, wait for the exit, and return the daemon's descendants (taken before the stop) still alive 15 s later. */
  stopAndListLeftovers(): Promise<string[]>;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '(gone)';
  }
}

/** Every descendant of `root` (by ppid). */
export function descendants(root: number): number[] {
  const all = allProcesses();
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const p of all) if (p.ppid === pid) (out.push(p.pid), walk(p.pid));
  };
  walk(root);
  return out;
}

/** A recorder listener section: `[eventlistener:<pool>]` writing to `<dir>/<pool>.jsonl`. */
export function recorderSection(dir: string, pool: string, events: string, extra = '', mode = ''): string {
  return (
    `[eventlistener:${pool}]\ncommand=${PYTHON} ${listenerFixture('recorder.py')} ${dir}/${pool}.jsonl ${mode}\n` +
    `events=${events}\n${extra}\n`
  );
}

/** `supervisord` as users run it: the daemon with its control plane (XML-RPC on the config's servers). */
const SUPERVISORD_BIN = join(repoRoot, 'dist', 'src', 'cli', 'bin', 'supervisord.js');

function startSupervisord(conf: string): DaemonRun {
  const child = spawn(process.execPath, [SUPERVISORD_BIN, '-n', '-c', conf], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
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

export interface EventDaemonOptions {
  /** Extra [supervisord] lines (default `loglevel=debug`). */
  readonly supervisord?: string | undefined;
  /**
   * Run `supervisord` with its control plane and a `[unix_http_server]` at `<dir>/sd.sock`, so children get
   * SUPERVISOR_SERVER_URL and childutils.getRPCInterface works.
   */
  readonly rpc?: boolean | undefined;
}

/** Writes the config (`body(dir)`) and starts a daemon on it; `cleanups` gets the temp dir's removal. */
export function startEventDaemon(
  body: (dir: string) => string,
  cleanups: (() => void)[],
  options: EventDaemonOptions = {},
): EventDaemon {
  const c = tempConfig('', options.supervisord ?? 'loglevel=debug');
  cleanups.push(c.cleanup);
  const conf = readFileSync(c.conf, 'utf8');
  const server = options.rpc ? `[unix_http_server]\nfile=${c.dir}/sd.sock\n` : '';
  // tempConfig put the [supervisord] section in place; the sections need the dir, known only now.
  writeFileSync(c.conf, `${conf}\n${server}${body(c.dir)}\n`);
  const run = options.rpc ? startSupervisord(c.conf) : startDaemon(['-n', '-c', c.conf]);
  return {
    run,
    dir: c.dir,
    serverUrl: `unix://${c.dir}/sd.sock`,
    records: (pool) => readRecords(join(c.dir, `${pool}.jsonl`)),
    mainLog: () => (existsSync(join(c.dir, 'sd.log')) ? readFileSync(join(c.dir, 'sd.log'), 'utf8') : ''),
    async stop() {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGTERM');
      await run.exited;
    },
    async stopAndListLeftovers() {
      const kids = run.child.pid ? descendants(run.child.pid) : [];
      await this.stop();
      // A descendant may still be tearing down (or waiting to be reaped by init) for a moment after the exit.
      const left = () => {
        const alive = new Set(allProcesses().map((p) => p.pid));
        return kids.filter((k) => alive.has(k));
      };
      const deadline = Date.now() + 15_000;
      while (left().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return left().map((k) => `${k} ${commandLine(k)}`);
    },
  };
}
