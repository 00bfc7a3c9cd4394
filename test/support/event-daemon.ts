// Real daemons with real event listeners (test/fixtures/listeners, run by Debian's python3 with its supervisor
// package), and the JSON lines the recorder listener writes.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon, tempConfig, type DaemonRun } from './daemon-process.js';
import { allProcesses } from './cleanup.js';
import { fixturesDir } from './paths.js';

export const PYTHON = '/usr/bin/python3';
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
  /** The recorder's file for a pool, by convention `<dir>/<pool>.jsonl`. */
  records(pool: string): RecordedEvent[];
  /** The daemon's main log. */
  mainLog(): string;
  /** SIGTERM and wait for the daemon's exit. */
  stop(): Promise<void>;
  /** SIGTERM, wait for the exit, and return the daemon's descendants (taken before the stop) still alive. */
  stopAndListLeftovers(): Promise<number[]>;
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

/** Writes the config (`body(dir)`), starts `main.js -n -c` on it; `cleanups` gets the temp dir's removal. */
export function startEventDaemon(
  body: (dir: string) => string,
  cleanups: (() => void)[],
  supervisord = 'loglevel=debug',
): EventDaemon {
  const c = tempConfig('', supervisord);
  cleanups.push(c.cleanup);
  const conf = readFileSync(c.conf, 'utf8');
  // tempConfig put the [supervisord] section in place; the sections need the dir, known only now.
  writeFileSync(c.conf, `${conf}\n${body(c.dir)}\n`);
  const run = startDaemon(['-n', '-c', c.conf]);
  return {
    run,
    dir: c.dir,
    records: (pool) => readRecords(join(c.dir, `${pool}.jsonl`)),
    mainLog: () => (existsSync(join(c.dir, 'sd.log')) ? readFileSync(join(c.dir, 'sd.log'), 'utf8') : ''),
    async stop() {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGTERM');
      await run.exited;
    },
    async stopAndListLeftovers() {
      const kids = run.child.pid ? descendants(run.child.pid) : [];
      await this.stop();
      const alive = new Set(allProcesses().map((p) => p.pid));
      return kids.filter((k) => alive.has(k));
    },
  };
}
