// Paces starts: a burst of them (daemon start-up, start all, a group, an apply adding many) runs in small
// batches with a turn of the event loop between two, since each spawn blocks (fork+exec) for milliseconds.
// Requests, signals, timers and child output are served in between. Starts keep their submission order.

/** The pacer's clock, its way of yielding, and its per-turn budget. */
export interface StartPacerOptions {
  /** Monotonic milliseconds. */
  readonly now: () => number;
  /** Calls `fn` on a later turn of the event loop, after pending I/O (setImmediate). */
  readonly defer: (fn: () => void) => void;
  /** A turn runs starts until this many ran... */
  readonly maxPerTurn: number;
  /** ...or until this many milliseconds passed since its first start. */
  readonly budgetMs: number;
}

/** Starts run at most `maxPerTurn` or `budgetMs` worth per turn; the first start of a turn always runs at once. */
export const DEFAULT_PACE = { maxPerTurn: 50, budgetMs: 20 } as const;

/**
 * Runs submitted starts in submission order, at most `maxPerTurn` or `budgetMs` worth per turn of the event
 * loop, the rest on later turns. The first start of a turn always runs at once.
 */
export class StartPacer {
  readonly #backlog: (() => void)[] = [];
  readonly #options: StartPacerOptions;
  /** When the current turn's first start ran; null when no start ran in this turn yet. */
  #turnStarted: number | null = null;
  #ranThisTurn = 0;
  #pumping = false;

  constructor(options: StartPacerOptions) {
    this.#options = options;
  }

  /** No start waits for its turn. */
  get idle(): boolean {
    return this.#backlog.length === 0;
  }

  /** How many starts wait for a later turn. */
  get waiting(): number {
    return this.#backlog.length;
  }

  /** Runs `job` now if this turn's budget allows and nothing waits before it, else on a later turn. */
  submit(job: () => void): void {
    this.#backlog.push(job);
    if (!this.#pumping) this.#pump();
  }

  #pump(): void {
    this.#pumping = true;
    try {
      while (this.#backlog.length > 0) {
        const now = this.#options.now();
        if (this.#turnStarted === null) {
          this.#turnStarted = now;
          this.#ranThisTurn = 0;
          // The end of this turn: the next one gets a fresh budget and goes on with what waits.
          this.#options.defer(() => {
            this.#turnStarted = null;
            if (!this.#pumping) this.#pump();
          });
        } else if (
          this.#ranThisTurn >= this.#options.maxPerTurn ||
          now - this.#turnStarted >= this.#options.budgetMs
        ) {
          return;
        }
        const job = this.#backlog.shift();
        this.#ranThisTurn++;
        job?.();
      }
    } finally {
      this.#pumping = false;
    }
  }
}
