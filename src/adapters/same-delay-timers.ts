// Effect (timers): callbacks that all wait one delay, on a single Node timer.
import { monotonicMs } from './monotonic-clock.js';

/** A callback waiting its turn; `run` is null once it ran or was cancelled. */
interface Entry {
  run: (() => void) | null;
}

/**
 * Runs each callback `delayMs` after it was added, in the order they were added: with one delay for all, that
 * order is the order they fall due, so one Node timer, armed for the oldest, serves them all. Made for the
 * many waits of a burst (1,000 children stopping at once, each with its stopwaitsecs, or exiting before their
 * pipes' end of file), where a Node timer each cost a Timeout object, its async id and a list insertion, and
 * clearing it as much again.
 */
export class SameDelayTimers {
  readonly #delayMs: number;
  readonly #now: () => number;
  // Due times and entries, oldest first, from `#head` on.
  #due: number[] = [];
  #entries: Entry[] = [];
  #head = 0;
  #live = 0;
  #timer: NodeJS.Timeout | null = null;
  #firing = false;

  constructor(delayMs: number, now: () => number = monotonicMs) {
    this.#delayMs = delayMs;
    this.#now = now;
  }

  /** Runs `callback` after the delay; the returned function cancels it (idempotent). */
  add(callback: () => void): () => void {
    const entry: Entry = { run: callback };
    this.#due.push(this.#now() + this.#delayMs);
    this.#entries.push(entry);
    this.#live++;
    if (!this.#firing) this.#timer ??= setTimeout(this.#fire, this.#delayMs);
    return () => {
      if (entry.run === null) return;
      entry.run = null;
      // All cancelled (a stop of all whose children all exited in time): nothing is left to wait for.
      if (--this.#live === 0 && !this.#firing) this.#reset();
    };
  }

  /** Callbacks still to run. */
  get size(): number {
    return this.#live;
  }

  #reset(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#due = [];
    this.#entries = [];
    this.#head = 0;
  }

  readonly #fire = (): void => {
    this.#timer = null;
    this.#firing = true;
    const now = this.#now();
    try {
      while (this.#head < this.#entries.length && this.#due[this.#head]! <= now) {
        const entry = this.#entries[this.#head]!;
        this.#head++;
        const run = entry.run;
        if (run === null) continue;
        entry.run = null;
        this.#live--;
        run();
      }
    } finally {
      this.#firing = false;
      if (this.#live === 0) this.#reset();
      else {
        // A queue that never empties (exits all day long) would otherwise keep every callback's slot.
        if (this.#head >= 1024 && this.#head * 2 >= this.#entries.length) {
          this.#due = this.#due.slice(this.#head);
          this.#entries = this.#entries.slice(this.#head);
          this.#head = 0;
        }
        this.#timer = setTimeout(this.#fire, Math.max(1, this.#due[this.#head]! - now));
      }
    }
  };
}
