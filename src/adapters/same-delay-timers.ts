// Effect (timers): callbacks that all wait one delay, on a single Node timer.

/**
 * Runs each callback `delayMs` after it was added, in the order they were added: with one delay for all, that
 * order is the order they fall due, so one Node timer, armed for the oldest, serves them all. A callback is not
 * cancelled: it runs even when its reason has gone, so it must do nothing then. Made for the many short waits of
 * a burst (1,000 children exiting at a stop), where a Node timer each, armed and mostly cleared in the same turn,
 * cost a Timeout object, its async id and a list insertion each.
 */
export class SameDelayTimers {
  readonly #delayMs: number;
  readonly #now: () => number;
  // Due times and callbacks, oldest first, from `#head` on; the array is compacted when it empties.
  #due: number[] = [];
  #callbacks: (() => void)[] = [];
  #head = 0;
  #timer: NodeJS.Timeout | null = null;
  #firing = false;

  constructor(delayMs: number, now: () => number = () => performance.now()) {
    this.#delayMs = delayMs;
    this.#now = now;
  }

  add(callback: () => void): void {
    this.#due.push(this.#now() + this.#delayMs);
    this.#callbacks.push(callback);
    if (!this.#firing) this.#timer ??= setTimeout(this.#fire, this.#delayMs);
  }

  /** Callbacks still to run. */
  get size(): number {
    return this.#callbacks.length - this.#head;
  }

  readonly #fire = (): void => {
    this.#timer = null;
    this.#firing = true;
    const now = this.#now();
    try {
      while (this.#head < this.#callbacks.length && this.#due[this.#head]! <= now) {
        const callback = this.#callbacks[this.#head]!;
        this.#callbacks[this.#head] = noop;
        this.#head++;
        callback();
      }
    } finally {
      this.#firing = false;
      if (this.#head === this.#callbacks.length) {
        this.#due = [];
        this.#callbacks = [];
        this.#head = 0;
      } else {
        // A queue that never empties (exits all day long) would otherwise keep every callback's slot.
        if (this.#head >= 1024 && this.#head * 2 >= this.#callbacks.length) {
          this.#due = this.#due.slice(this.#head);
          this.#callbacks = this.#callbacks.slice(this.#head);
          this.#head = 0;
        }
        this.#timer = setTimeout(this.#fire, Math.max(1, this.#due[this.#head]! - now));
      }
    }
  };
}

const noop = (): void => {};
