// Effect (reads a growing file): follows a daemon's main log from the start and keeps what the bench asks
// about: which programs were spawned with which pid, and which reached RUNNING how often. Both daemons word
// these lines the same way (`spawned: 'x' with pid N`, `success: x entered RUNNING state`), so the same
// observer times both. Woken by inotify (fs.watch on the directory), with a slow poll as a backstop.
import { closeSync, openSync, readSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

const SPAWNED = /INFO spawned: '([^']+)' with pid (\d+)/;
const SUCCESS = /INFO success: (\S+) entered RUNNING state/;
const STARTED = /INFO supervisord started with pid/;
const POLL_MS = 25;

export class LogWatch {
  /** name -> last spawned pid */
  pids = new Map();
  /** name -> how many times it entered RUNNING */
  successes = new Map();
  /** The daemon logged `supervisord started with pid N`. */
  started = false;
  #path;
  #offset = 0;
  #partial = '';
  #buffer = Buffer.alloc(1 << 20);
  #waiters = new Set();
  #watcher = null;
  #timer = null;

  constructor(path) {
    this.#path = path;
    const name = basename(path);
    this.#watcher = watch(dirname(path), (_event, file) => {
      if (file === null || file === name) this.#wake();
    });
    this.#watcher.on('error', () => {});
    this.#timer = setInterval(() => this.#wake(), POLL_MS);
  }

  /** Distinct programs that entered RUNNING at least once. */
  get runningOnce() {
    return this.successes.size;
  }

  /** Reads what was appended since the last call. */
  poll() {
    let fd;
    try {
      fd = openSync(this.#path, 'r');
    } catch {
      return;
    }
    try {
      for (;;) {
        const n = readSync(fd, this.#buffer, 0, this.#buffer.length, this.#offset);
        if (n <= 0) break;
        this.#offset += n;
        this.#consume(this.#buffer.toString('latin1', 0, n));
      }
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Resolves with performance.now() at the moment `predicate(this)` was first seen true; rejects after
   * `timeoutMs` with `what` in the message.
   */
  until(predicate, timeoutMs, what) {
    this.poll();
    if (predicate(this)) return Promise.resolve(performance.now());
    return new Promise((resolve, reject) => {
      const waiter = { predicate, resolve, reject, timer: null };
      waiter.timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  close() {
    this.#watcher?.close();
    clearInterval(this.#timer);
    for (const w of this.#waiters) {
      clearTimeout(w.timer);
      w.reject(new Error('log watch closed'));
    }
    this.#waiters.clear();
  }

  #wake() {
    if (this.#waiters.size === 0) return;
    this.poll();
    const now = performance.now();
    for (const w of [...this.#waiters]) {
      if (!w.predicate(this)) continue;
      clearTimeout(w.timer);
      this.#waiters.delete(w);
      w.resolve(now);
    }
  }

  #consume(text) {
    const lines = (this.#partial + text).split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) {
      let m = SUCCESS.exec(line);
      if (m) {
        this.successes.set(m[1], (this.successes.get(m[1]) ?? 0) + 1);
        continue;
      }
      m = SPAWNED.exec(line);
      if (m) this.pids.set(m[1], Number(m[2]));
      else if (STARTED.test(line)) this.started = true;
    }
  }
}
