// Effect: the Clock port over performance.now(), Date.now() and setTimeout.
import type { Clock } from '../ports/clock.js';

/** The longest delay setTimeout honours (2^31 - 1 ms, ~24.8 days); above it Node fires after 1 ms. */
export const MAX_TIMEOUT_MS = 0x7fffffff;

/** The timer functions the clock uses: Node's, or a recording fake in tests. */
export interface TimerFunctions {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const nodeTimers: TimerFunctions = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Calls `fn` after `ms`, however long: a delay beyond MAX_TIMEOUT_MS (a `stopwaitsecs` or `startsecs` of more
 * than 24 days) is waited in steps, where a single setTimeout would fire at once.
 */
export function setLongTimer(ms: number, fn: () => void, timers: TimerFunctions = nodeTimers): () => void {
  let handle: unknown;
  let cancelled = false;
  const arm = (left: number): void => {
    if (left > MAX_TIMEOUT_MS) handle = timers.setTimeout(() => arm(left - MAX_TIMEOUT_MS), MAX_TIMEOUT_MS);
    else handle = timers.setTimeout(fn, left);
  };
  arm(ms);
  return () => {
    if (cancelled) return;
    cancelled = true;
    timers.clearTimeout(handle);
  };
}

/** The Clock of a daemon run: performance.now(), Date.now(), and timers of any length (setLongTimer). */
export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimer: (ms, fn) => setLongTimer(ms, fn),
};
