// Port: time. Monotonic milliseconds drive every timer; wall time is only reported (spec §3.9).

/** Time as the engine sees it: the system clock in a daemon, a ManualClock in unit tests. */
export interface Clock {
  /** Monotonic milliseconds; never goes back. */
  now(): number;
  /** Epoch milliseconds, for the start/stop/now fields clients see. */
  wallNow(): number;
  /** Calls `fn` once after `ms` milliseconds; the returned function cancels it (idempotent). */
  setTimer(ms: number, fn: () => void): () => void;
}
