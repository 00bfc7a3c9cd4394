// Effect (processes): drives fixtures/node-floor.mjs, the bare Node loop that gives each figure its floor,
// observed from outside the same way the daemons are (launch to ready, kill to replacement, signal to exit);
// or fixtures/kernel-floor.py, the same children stopped by a plain SIGTERM-and-waitpid loop.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT, NOFILE } from './daemon.mjs';
import { MARK, cpuSeconds, killMarked, liveMarkedPids, rssKb } from './procfs.mjs';

const FLOOR = join(ROOT, 'bench/fixtures/node-floor.mjs');
export const KERNEL_FLOOR = join(ROOT, 'bench/fixtures/kernel-floor.py');

export class FloorRun {
  t0 = 0;
  pid = 0;
  #cp = null;
  #lines = [];
  #waiters = [];
  exited = null;

  constructor(runId, script = FLOOR) {
    this.runId = runId;
    this.script = script;
  }

  start(n) {
    this.t0 = performance.now();
    const interpreter = this.script.endsWith('.py') ? '/usr/bin/python3' : process.execPath;
    this.#cp = spawn('prlimit', [`--nofile=${NOFILE}:${NOFILE}`, '--', interpreter, this.script, String(n)], {
      env: { ...process.env, [MARK]: this.runId },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.pid = this.#cp.pid ?? 0;
    this.#cp.stdin.on('error', () => {});
    this.exited = new Promise((resolve) => this.#cp.on('exit', () => resolve(performance.now())));
    createInterface({ input: this.#cp.stdout }).on('line', (line) => {
      const at = performance.now();
      const w = this.#waiters.find((x) => x.match(line));
      if (w) {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        clearTimeout(w.timer);
        w.resolve({ line, at });
      } else this.#lines.push({ line, at });
    });
    return this;
  }

  #expect(match, timeoutMs) {
    const i = this.#lines.findIndex((x) => match(x.line));
    if (i >= 0) return Promise.resolve(this.#lines.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const w = { match, resolve, timer: null };
      w.timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        reject(new Error('floor: timed out'));
      }, timeoutMs);
      this.#waiters.push(w);
    });
  }

  /** Launch to all N spawned, in ms. */
  async waitReady(timeoutMs) {
    const died = this.exited.then(() => {
      throw new Error('floor exited before it was ready');
    });
    const { at } = await Promise.race([this.#expect((l) => l === 'ready', timeoutMs), died]);
    return at - this.t0;
  }

  /** SIGKILL child `i`, then ms until its replacement is spawned. */
  async crash(i, timeoutMs) {
    this.#cp.stdin.write(`pid ${i}\n`);
    const { line } = await this.#expect((l) => l.startsWith(`pid ${i} `), timeoutMs);
    const pid = Number(line.split(' ')[2]);
    const t = performance.now();
    process.kill(pid, 'SIGKILL');
    const { at } = await this.#expect((l) => l.startsWith(`respawned ${i} `), timeoutMs);
    return at - t;
  }

  /** ms to SIGTERM every child and see all of them exit. */
  async stopAll(timeoutMs) {
    const t = performance.now();
    this.#cp.stdin.write('stopall\n');
    const { at } = await this.#expect((l) => l === 'stopped', timeoutMs);
    return at - t;
  }

  /** SIGTERM to the floor: ms until it has stopped every child and exited. */
  async shutdown(timeoutMs) {
    const t = performance.now();
    this.#cp.kill('SIGTERM');
    const at = await Promise.race([
      this.exited,
      new Promise((r) => setTimeout(() => r(null), timeoutMs).unref()),
    ]);
    if (at === null) return null;
    let gone = at;
    while (liveMarkedPids(this.runId).length > 0) {
      if (performance.now() - t > timeoutMs) return null;
      await new Promise((r) => setTimeout(r, 10));
      gone = performance.now();
    }
    return gone - t;
  }

  rssKb() {
    return rssKb(this.pid);
  }

  cpuSeconds() {
    return cpuSeconds(this.pid);
  }

  async cleanup() {
    for (const w of this.#waiters) clearTimeout(w.timer);
    this.#waiters = [];
    let left = 0;
    for (let i = 0; i < 50; i++) {
      const k = killMarked(this.runId);
      if (i === 0) left = k;
      if (liveMarkedPids(this.runId).length === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await Promise.race([this.exited, new Promise((r) => setTimeout(r, 5000).unref())]);
    return left;
  }
}
