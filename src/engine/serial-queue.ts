// One serial queue of engine jobs: no step ever runs inside another, whatever calls in (timers, exits, RPC).

/**
 * Jobs run one at a time in arrival order; a job pushed from inside a job runs after it, never within it.
 * `afterEach` runs after every job (the engine re-checks its waiters there); a job's exception goes to `onError`
 * and the queue goes on.
 */
export class SerialQueue {
  readonly #jobs: (() => void)[] = [];
  #draining = false;
  readonly #afterEach: () => void;
  readonly #onError: (error: unknown) => void;

  constructor(afterEach: () => void, onError: (error: unknown) => void) {
    this.#afterEach = afterEach;
    this.#onError = onError;
  }

  /** Runs `job` now if the queue is idle, else after the jobs already queued. */
  push(job: () => void): void {
    this.#jobs.push(job);
    if (!this.#draining) this.#drain();
  }

  /** Runs `fn` as a job and settles with its result or exception. */
  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.push(() => {
        try {
          resolve(fn());
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
    });
  }

  get idle(): boolean {
    return !this.#draining;
  }

  #drain(): void {
    this.#draining = true;
    try {
      for (let job = this.#jobs.shift(); job; job = this.#jobs.shift()) {
        try {
          job();
        } catch (e) {
          this.#onError(e);
        }
        try {
          this.#afterEach();
        } catch (e) {
          this.#onError(e);
        }
      }
    } finally {
      this.#draining = false;
    }
  }
}
