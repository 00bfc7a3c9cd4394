// Runs a callback soon after it is requested, at most once per interval: state changes go out in batches.

/** The timer functions a Throttle uses; tests pass manual ones. */
export interface ThrottleTimers {
  now(): number;
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** ThrottleTimers over Date.now and unref'd setTimeout, so a pending batch never keeps the process alive. */
export const systemTimers: ThrottleTimers = {
  now: () => Date.now(),
  set: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * `request()` makes `run` happen once: in the next timer turn when the last run is older than `intervalMs`
 * (so a lone change goes out at once and the requests of one burst share a run), else when the interval is
 * over. Requests made while a run is due add nothing.
 */
export class Throttle {
  readonly #run: () => void;
  readonly #intervalMs: number;
  readonly #timers: ThrottleTimers;
  #last = Number.NEGATIVE_INFINITY;
  #handle: unknown = null;

  constructor(run: () => void, intervalMs: number, timers: ThrottleTimers = systemTimers) {
    this.#run = run;
    this.#intervalMs = intervalMs;
    this.#timers = timers;
  }

  get pending(): boolean {
    return this.#handle !== null;
  }

  request(): void {
    if (this.#handle !== null) return;
    const wait = Math.max(0, this.#last + this.#intervalMs - this.#timers.now());
    this.#handle = this.#timers.set(() => {
      this.#handle = null;
      this.#last = this.#timers.now();
      this.#run();
    }, wait);
  }

  /** Drops a due run. */
  cancel(): void {
    if (this.#handle === null) return;
    this.#timers.clear(this.#handle);
    this.#handle = null;
  }
}
