// Effect: the Clock port over the monotonic clock, Date.now() and setTimeout.
import type { Clock } from '../ports/clock.js';
import { monotonicMs } from './monotonic-clock.js';
import { SameDelayTimers } from './same-delay-timers.js';

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

/** Delays that get a queue of their own: at most this many, each kept for the daemon's life. */
const MAX_QUEUES = 64;
const queues = new Map<number, SameDelayTimers>();

/**
 * A timer on the queue of its delay (SameDelayTimers), for the whole milliseconds that every process of a
 * program waits alike (stopwaitsecs, startsecs, backoff): null for another delay, or when the queues are full.
 */
function queuedTimer(ms: number, fn: () => void): (() => void) | null {
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_TIMEOUT_MS) return null;
  let queue = queues.get(ms);
  if (!queue) {
    if (queues.size >= MAX_QUEUES) return null;
    queue = new SameDelayTimers(ms);
    queues.set(ms, queue);
  }
  return queue.add(fn);
}

/** The Clock of a daemon run: monotonicMs(), Date.now(), and timers of any length (setLongTimer). */
export const systemClock: Clock = {
  now: monotonicMs,
  wallNow: () => Date.now(),
  setTimer: (ms, fn) => queuedTimer(ms, fn) ?? setLongTimer(ms, fn),
};
