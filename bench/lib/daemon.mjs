// Effect (processes): one daemon under test, svd or supervisor, started in the foreground on a session's
// config under the same file-descriptor limit, observed through its main log, /proc and its socket, and
// always taken down (SIGTERM, then SIGKILL of everything carrying the run's mark).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LogWatch } from './log-watch.mjs';
import { MARK, cpuSeconds, killMarked, liveMarkedPids, rssKb } from './procfs.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SUPERVISORD = '/usr/bin/supervisord';
export const SUPERVISORCTL = '/usr/bin/supervisorctl';
/**
 * Both daemons (and the floor) run with RLIMIT_NOFILE raised to the hard limit, the config's minfds=1024
 * below it, so neither raises anything. Raising the hard limit itself needs CAP_SYS_RESOURCE.
 */
export const NOFILE = hardNofile();

function hardNofile() {
  const row = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const hard = row?.slice(26).trim().split(/\s+/)[1];
  return hard === undefined || hard === 'unlimited' ? 1048576 : Number(hard);
}

let svdEntryCache = null;

/**
 * How to run svd's daemon in the foreground: `svd daemon` once the CLI implements it, else the bin-less
 * entry `dist/src/daemon/main.js` (both take supervisord's options).
 */
export function svdDaemonArgv() {
  if (svdEntryCache) return svdEntryCache;
  const cli = join(ROOT, 'dist/src/cli/bin/svd.js');
  const probe = spawnSync(process.execPath, [cli, 'daemon', '-h'], { encoding: 'utf8', timeout: 20_000 });
  const implemented = probe.status === 0 && !/not yet implemented/.test(probe.stderr + probe.stdout);
  svdEntryCache = implemented
    ? [process.execPath, cli, 'daemon']
    : [process.execPath, join(ROOT, 'dist/src/daemon/main.js')];
  return svdEntryCache;
}

/** The command line that runs `system`'s daemon on `conf` in the foreground. */
export function daemonArgv(system, conf) {
  const base = system === 'svd' ? svdDaemonArgv() : [SUPERVISORD];
  return ['prlimit', `--nofile=${NOFILE}:${NOFILE}`, '--', ...base, '-n', '-c', conf];
}

export class DaemonRun {
  /** performance.now() just before the daemon was spawned. */
  t0 = 0;
  pid = 0;
  exited = null;
  exitInfo = null;
  stderrTail = '';
  watch;

  constructor(system, paths, runId) {
    this.system = system;
    this.paths = paths;
    this.runId = runId;
  }

  start() {
    const [cmd, ...args] = daemonArgv(this.system, this.paths.conf);
    this.watch = new LogWatch(this.paths.log);
    this.t0 = performance.now();
    // prlimit execs the daemon in place, so this pid is the daemon's.
    const cp = spawn(cmd, args, {
      cwd: dirname(this.paths.conf),
      env: { ...process.env, [MARK]: this.runId },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.pid = cp.pid ?? 0;
    cp.stderr.on('data', (c) => {
      this.stderrTail = (this.stderrTail + c.toString('utf8')).slice(-4000);
    });
    this.exited = new Promise((resolve) => {
      cp.on('exit', (code, signal) => {
        this.exitInfo = { code, signal, at: performance.now() };
        resolve(this.exitInfo);
      });
      cp.on('error', (e) => {
        this.exitInfo = { code: null, signal: null, error: e.message, at: performance.now() };
        resolve(this.exitInfo);
      });
    });
    return this;
  }

  /** Milliseconds from launch until `predicate(watch)` holds; rejects if the daemon exits first. */
  async waitLog(predicate, timeoutMs, what) {
    const died = this.exited.then((x) => {
      throw new Error(
        `${this.system} exited during startup (${JSON.stringify(x)}): ${this.stderrTail.trim()}`,
      );
    });
    const seen = await Promise.race([this.watch.until(predicate, timeoutMs, what), died]);
    return seen - this.t0;
  }

  /** Milliseconds from launch until `n` distinct programs have entered RUNNING. */
  waitAllRunning(n, timeoutMs) {
    return this.waitLog((w) => w.runningOnce >= n, timeoutMs, `${n} RUNNING`);
  }

  /** Polls until the daemon's unix socket exists (servers start once groups exist). */
  async waitSocket(timeoutMs) {
    const end = performance.now() + timeoutMs;
    while (performance.now() < end) {
      if (existsSync(this.paths.socket)) return true;
      if (this.exitInfo) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  }

  rssKb() {
    return rssKb(this.pid);
  }

  cpuSeconds() {
    return cpuSeconds(this.pid);
  }

  /**
   * SIGTERM, then milliseconds until the daemon process has exited and every child carrying the mark is
   * gone (its shutdown is only done when its children are). null when `timeoutMs` passed first.
   */
  async shutdown(timeoutMs) {
    if (this.exitInfo) return null;
    const t = performance.now();
    process.kill(this.pid, 'SIGTERM');
    const exited = await Promise.race([
      this.exited,
      new Promise((r) => setTimeout(() => r(null), timeoutMs).unref()),
    ]);
    if (!exited) return null;
    // A daemon that exits before its children are gone has not shut them down: count until they are.
    let gone = exited.at;
    while (liveMarkedPids(this.runId).length > 0) {
      if (performance.now() - t > timeoutMs) return null;
      await new Promise((r) => setTimeout(r, 10));
      gone = performance.now();
    }
    return gone - t;
  }

  /** Kills whatever is left of this run (daemon, children, grandchildren); returns how many were left. */
  async cleanup() {
    this.watch?.close();
    if (!this.exitInfo && this.pid) {
      try {
        process.kill(this.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    let left = 0;
    for (let i = 0; i < 50; i++) {
      const n = killMarked(this.runId);
      if (i === 0) left = n;
      if (liveMarkedPids(this.runId).length === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await Promise.race([this.exited, new Promise((r) => setTimeout(r, 5000).unref())]);
    return left;
  }
}
