// The per-process halves of the RPC commands (spec §4.6) and supervisor's make_allfunc, over a ManagedProcess.
import { parseSignal } from '../model/signals.js';
import { RUNNING_STATES, SIGNALLABLE_STATES, STOPPED_STATES } from '../model/states.js';
import type { Spawner } from '../ports/spawner.js';
import {
  AbnormalTerminationError,
  AlreadyStartedError,
  BadSignalError,
  FailedError,
  NoFileError,
  NotExecutableError,
  NotRunningError,
  SpawnError,
  isSvdError,
} from './errors.js';
import { FAULT_CODES } from '../model/faults.js';
import type { ManagedProcess } from './managed-process.js';
import { makeNamespec } from './process-table.js';
import type { SerialQueue } from './serial-queue.js';

/** A per-process result of a group or "all" operation (spec §4.4); status 80 is success. */
export interface ProcessResult {
  readonly name: string;
  readonly group: string;
  readonly status: number;
  readonly description: string;
}

/** Done now, or a promise settled by a later engine event. */
export type Pending = true | Promise<true>;

/** How an operation that was waited on ended: called once, with null when it succeeded, else the fault. */
export type Settle = (fault: unknown) => void;

/**
 * An operation's end that comes with a later engine event: give it where to report. A stop of all 1,000
 * processes waits on each of them, and a promise per process (with its reactions, closures and Promise.all's
 * share) was ~1.7 KB of the stop's survivors: memory that every scavenge of the stop copied again.
 */
export type Later = (settle: Settle) => void;

/** Done now (true) or later. */
export type Outcome = true | Later;

/** The promise of an outcome, for a caller that awaits a single operation. */
export function promised(outcome: Outcome): Pending {
  if (outcome === true) return true;
  return new Promise<true>((resolve, reject) =>
    outcome((fault) => (fault === null ? resolve(true) : reject(fault))),
  );
}

/**
 * Resolves when `check` returns a value (rejects when it throws), re-checked after every job of the engine.
 * With `on`, `check` reads only that process's record: it is re-checked only after a job that changed it.
 */
export type WaitFor = <T>(check: () => T | undefined, on?: ManagedProcess) => Promise<T>;

/** WaitFor on one process, reporting to `settle` (null once `check` returns true, the error when it throws). */
export type WaitThen = (check: () => true | undefined, on: ManagedProcess, settle: Settle) => void;

const run = (waiter: () => void): void => waiter();

/**
 * Waiters checked after every job of the serial queue. A stop of all 1,000 processes waits on each of them:
 * re-checking every waiter after every exit cost a million checks, so a waiter on one process is only checked
 * after a job that applied an event to that process (`touched`).
 */
export class Waiters {
  readonly #general = new Set<() => void>();
  // Most processes have one waiter at most: an array, not a Set, per process.
  readonly #byProcess = new Map<ManagedProcess, (() => void)[]>();
  readonly #touched = new Set<ManagedProcess>();

  #add(
    check: () => unknown,
    on: ManagedProcess | undefined,
    done: (error: unknown, value: unknown) => void,
  ): void {
    const waiter = () => {
      let value: unknown;
      try {
        value = check();
      } catch (e) {
        this.#remove(waiter, on);
        done(e instanceof Error ? e : new Error(String(e)), undefined);
        return;
      }
      if (value === undefined) return;
      this.#remove(waiter, on);
      done(null, value);
    };
    if (!on) this.#general.add(waiter);
    else {
      const list = this.#byProcess.get(on);
      if (list) list.push(waiter);
      else this.#byProcess.set(on, [waiter]);
    }
    waiter();
  }

  #remove(waiter: () => void, on: ManagedProcess | undefined): void {
    if (!on) return void this.#general.delete(waiter);
    const list = this.#byProcess.get(on);
    if (!list) return;
    const at = list.indexOf(waiter);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) this.#byProcess.delete(on);
  }

  readonly waitFor: WaitFor = <T>(check: () => T | undefined, on?: ManagedProcess) =>
    new Promise<T>((resolve, reject) =>
      this.#add(check, on, (error, value) => (error === null ? resolve(value as T) : reject(error))),
    );

  readonly waitThen: WaitThen = (check, on, settle) => this.#add(check, on, (error) => settle(error));

  /** Process `p`'s record changed: its waiters are checked at the next check(). */
  touched(p: ManagedProcess): void {
    if (this.#byProcess.has(p)) this.#touched.add(p);
  }

  check(): void {
    // A Set visits what is added while it is iterated and skips what is deleted: no copy needed. forEach
    // rather than for-of: this runs after every job, with the optimizer paused in a burst (managed-process.ts).
    this.#general.forEach(run);
    this.#touched.forEach(this.#checkProcess);
    this.#touched.clear();
  }

  readonly #checkProcess = (p: ManagedProcess): void => {
    const list = this.#byProcess.get(p);
    if (!list) return;
    // A waiter that is done takes itself out of the list: visit a copy when there is more than one.
    if (list.length === 1) list[0]!();
    else list.slice().forEach(run);
  };
}

/**
 * supervisor's startProcess for one process. Throws NO_FILE or NOT_EXECUTABLE when the command cannot run,
 * ALREADY_STARTED, SPAWN_ERROR when the spawn failed, FAILED in UNKNOWN. With `wait`, settles true once the run
 * it began is RUNNING, or once another run has taken its place; rejects with SPAWN_ERROR, or with
 * ABNORMAL_TERMINATION when the run leaves STARTING any other way (a quick exit to BACKOFF included). The faults
 * name `namespec`: the name a client gave (`web:web`), as supervisord's do, or else the process's own.
 */
export function startOne(
  p: ManagedProcess,
  wait: boolean,
  spawner: Spawner,
  waitThen: WaitThen,
  namespec = makeNamespec(p.group, p.name),
): Outcome {
  const check = spawner.check(p.spec);
  if (!check.ok)
    throw check.fault === 'NO_FILE' ? new NoFileError(check.message) : new NotExecutableError(check.message);
  if (RUNNING_STATES.has(p.proc.state)) throw new AlreadyStartedError(namespec);
  if (p.proc.state === 'UNKNOWN') throw new FailedError(`${namespec} is in an unknown process state`);
  const rejected = p.apply({ type: 'start' });
  if (rejected === 'ALREADY_STARTED') throw new AlreadyStartedError(namespec);
  if (rejected) throw new FailedError(namespec);
  const incarnation = p.proc.incarnation;
  if (p.proc.spawnerr) throw new SpawnError(namespec);
  if (!wait || p.proc.state === 'RUNNING') return true;
  const started = (): true | undefined => {
    if (p.proc.incarnation !== incarnation && p.proc.state !== 'BACKOFF') return true;
    if (p.proc.spawnerr) throw new SpawnError(namespec);
    if (p.proc.state === 'RUNNING') return true;
    if (p.proc.state !== 'STARTING') throw new AbnormalTerminationError(namespec);
    return undefined;
  };
  return (settle) => waitThen(started, p, settle);
}

/** Starts supervisor's `waiting for NAME to stop` reports for a stop being waited on; returns their end. */
export type WaitingReport = (p: ManagedProcess) => () => void;

/**
 * supervisor's stopProcess for one process: NOT_RUNNING (naming `namespec`, as startOne's faults do) unless it is
 * STARTING, RUNNING or BACKOFF; FAILED when the stop left it UNKNOWN (the kill failed). With `wait`, settles once
 * it is stopped; `waiting` reports who is still alive meanwhile.
 */
export function stopOne(
  p: ManagedProcess,
  wait: boolean,
  waitThen: WaitThen,
  waiting?: WaitingReport,
  namespec = makeNamespec(p.group, p.name),
): Outcome {
  if (!RUNNING_STATES.has(p.proc.state)) throw new NotRunningError(namespec);
  const rejected = p.apply({ type: 'stop' });
  if (rejected) throw new NotRunningError(namespec);
  if (p.proc.state === 'UNKNOWN')
    throw new FailedError(`unknown problem killing ${p.name} (${p.child?.pid ?? 0})`);
  if (!wait || STOPPED_STATES.has(p.proc.state)) return true;
  const stopped = (): true | undefined => {
    // The stop signal failed after it was queued (Child.signal's `soon`): FAILED, as when it fails at once.
    if (p.proc.state === 'UNKNOWN')
      throw new FailedError(`unknown problem killing ${p.name} (${p.proc.pid})`);
    return STOPPED_STATES.has(p.proc.state) ? true : undefined;
  };
  return (settle) => {
    const endReports = waiting?.(p);
    waitThen(
      stopped,
      p,
      endReports
        ? (fault) => {
            endReports();
            settle(fault);
          }
        : settle,
    );
  };
}

/**
 * supervisor's signalProcess for one process: BAD_SIGNAL for an unknown signal, NOT_RUNNING (naming `namespec`,
 * as startOne's faults do) unless it is STARTING, RUNNING or STOPPING, FAILED when the signal left it UNKNOWN.
 */
export function signalOne(p: ManagedProcess, signal: string, namespec = makeNamespec(p.group, p.name)): true {
  const sig = parseSignal(signal);
  if (!sig.ok) throw new BadSignalError(signal);
  if (!SIGNALLABLE_STATES.has(p.proc.state)) throw new NotRunningError(namespec);
  const rejected = p.apply({ type: 'signal', signal: sig.name });
  if (rejected) throw new NotRunningError(namespec);
  if (p.proc.state === 'UNKNOWN')
    throw new FailedError(`unknown problem sending sig ${p.name} (${p.proc.pid})`);
  return true;
}

/**
 * supervisor's make_allfunc: issue every operation at once, then collect the results. Those known when issued
 * (a fault, a start with startsecs=0 that is RUNNING at once) come first, then those that had to be waited for,
 * as supervisor's first pass over the processes answers before its later passes do; each part in the order the
 * operations were issued (priority, then name). supervisor's later passes run in completion order, which its
 * polling makes that same order in practice, while parallel stops here finish in any order. With `runEach`,
 * each process's operation is a job of its own (paced starts), whose promise settles once the job ran; one that
 * is refused (a shutdown began) gives that fault as its result.
 */
export async function allfunc(
  queue: SerialQueue,
  select: () => ManagedProcess[],
  predicate: (p: ManagedProcess) => boolean,
  op: (p: ManagedProcess) => Outcome,
  runEach?: (job: () => void) => Promise<void>,
): Promise<ProcessResult[]> {
  const results: { order: number; waited: boolean; result: ProcessResult }[] = [];
  const ok = (p: ManagedProcess): ProcessResult => ({
    name: p.name,
    group: p.group,
    status: FAULT_CODES.SUCCESS,
    description: 'OK',
  });
  const failed = (p: ManagedProcess, e: unknown): ProcessResult => {
    if (!isSvdError(e)) throw e;
    return { name: p.name, group: p.group, status: e.code, description: e.faultString };
  };
  // One promise for the lot (see Later): the issuing and each operation still to end hold it open.
  let left = 1;
  let endAll: () => void = () => {};
  let breakAll: (e: unknown) => void = () => {};
  const allEnded = new Promise<void>((resolve, reject) => {
    endAll = resolve;
    breakAll = reject;
  });
  const endOne = (): void => {
    if (--left === 0) endAll();
  };
  const record = (p: ManagedProcess, order: number, waited: boolean, fault: unknown): void => {
    try {
      results.push({ order, waited, result: fault === null ? ok(p) : failed(p, fault) });
    } catch (e) {
      // Not a fault of the protocol: a bug, which fails the whole call.
      breakAll(e);
    }
  };
  // The operation on one process, the `order`-th issued: its result now, or once it ends.
  const one = (p: ManagedProcess, order: number): void => {
    if (!predicate(p)) return;
    let outcome: Outcome;
    try {
      outcome = op(p);
    } catch (e) {
      record(p, order, false, e);
      return;
    }
    if (outcome === true) return record(p, order, false, null);
    left++;
    outcome((fault) => {
      record(p, order, true, fault);
      endOne();
    });
  };
  if (runEach) {
    const procs = await queue.run(select);
    left += procs.length;
    procs.forEach((p, order) =>
      runEach(() => one(p, order)).then(endOne, (e: unknown) => {
        record(p, order, false, e);
        endOne();
      }),
    );
  } else {
    await queue.run(() => select().forEach(one));
  }
  endOne();
  await allEnded;
  return results
    .sort((a, b) => Number(a.waited) - Number(b.waited) || a.order - b.order)
    .map((r) => r.result);
}
