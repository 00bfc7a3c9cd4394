// Effect (V8 flags): V8's optimizing compiler pauses while many processes change state at once (stop all,
// start all, a large group or apply), for the reason the start and the shutdown run without it
// (optimizer-pause.ts): that code runs hot for a moment and then not again, and compiling it kept the
// compiler's threads on both cores while 1,000 children were exiting (~100 ms of CPU in a stop of all 1,000
// on a 2-core VM, beside ~110 ms of the daemon's own thread).
import type { Engine } from '../engine/engine.js';
import { monotonicMs } from '../adapters/monotonic-clock.js';
import { optimizerPaused, pauseOptimizer, resumeOptimizer } from './optimizer-pause.js';

/** State changes in one turn of the event loop that make a burst: a start or stop of this many at once. */
const BURST = 50;
/** The compiler resumes once no process changed state for this long. */
const QUIET_MS = 1000;

/** Watches `engine` for bursts of state changes for the daemon's life; returns the unsubscribe. */
export function pauseOptimizerInBursts(engine: Pick<Engine, 'subscribe'>): () => void {
  let inTurn = 0;
  let pause: number | null = null;
  // One timer for the whole pause, moved on only when it fires: re-arming it at each of a stop's 2,000 changes
  // cost as many timers as the stop itself.
  let quiet: NodeJS.Timeout | null = null;
  let lastChange = 0;
  const resume = () => {
    if (quiet) clearTimeout(quiet);
    quiet = null;
    if (pause !== null) resumeOptimizer(pause);
    pause = null;
  };
  const endOfTurn = () => {
    inTurn = 0;
    lastChange = monotonicMs();
  };
  const resumeWhenQuiet = () => {
    const left = lastChange + QUIET_MS - monotonicMs();
    if (left > 0) quiet = setTimeout(resumeWhenQuiet, left).unref();
    else resume();
  };
  const unsubscribe = engine.subscribe((e) => {
    if (e.type !== 'process-state') return;
    // The time of the last change is taken once a turn, at its end: reading the clock at each of a stop's
    // 2,000 changes cost more than the precision is worth.
    if (inTurn++ === 0) setImmediate(endOfTurn);
    // Another pause (the start, a shutdown) is already in force: that one decides when the compiler resumes.
    if (pause === null && inTurn >= BURST && !optimizerPaused()) pause = pauseOptimizer();
    if (pause === null) return;
    quiet ??= setTimeout(resumeWhenQuiet, QUIET_MS).unref();
  });
  return () => {
    unsubscribe();
    resume();
  };
}
