// Effect: the Clock port over performance.now(), Date.now() and setTimeout.
import type { Clock } from '../ports/clock.js';

export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};
