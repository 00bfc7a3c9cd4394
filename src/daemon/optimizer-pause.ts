// Effect (V8 flags): the daemon starts and stops its programs without V8's optimizing compiler (TurboFan).
// Loading the modules, spawning every program and stopping them all run the same code hot for a second or
// two and then never again. Optimizing it is wasted: the compiler thread takes ~1 s of CPU from the core
// where the children exec, and leaves its compiler memory in a malloc arena that glibc does not give back
// (4 MB with no programs, 11 MB at 1,000). Every fork then copies the page tables of that memory too.
// Alternating runs of both builds, 1,000 programs on a 2-core VM: ~10% faster to all RUNNING, 11 MB less
// resident memory. Code that stays hot later (log output, RPC, the web API) is optimized as usual once the
// start has settled.
import { setFlagsFromString } from 'node:v8';

let pauses = 0;
let paused = false;

/** True while a pause holds: V8 optimizes nothing new. */
export function optimizerPaused(): boolean {
  return paused;
}

/** V8 stops optimizing functions (optimized code stays so). Returns this pause, for resumeOptimizer. */
export function pauseOptimizer(): number {
  setFlagsFromString('--no-turbofan');
  paused = true;
  return ++pauses;
}

/** V8 optimizes hot functions again from their next call, unless another pause began after `pause`. */
export function resumeOptimizer(pause: number): void {
  if (pause !== pauses) return;
  setFlagsFromString('--turbofan');
  paused = false;
}
