// Pure leaf module: one process's bookkeeping, the events that drive it and the effects it asks for.
// Imports only model/. No timers, no I/O: the engine interprets effects through ports.
import type { ProcessStateName } from '../model/states.js';

/** The three clocks a process can be waiting on; at most one of each kind is armed. */
export type TimerName = 'startsecs' | 'backoff' | 'stopwait';

/**
 * Supervisor's per-process bookkeeping (spec §3.1), as an immutable record.
 * Times are monotonic milliseconds from the engine's Clock.
 */
export interface Proc {
  readonly state: ProcessStateName;
  /** 0 when no child is alive. */
  readonly pid: number;
  /** Bumped at every spawn attempt; exits and timers of an earlier run are ignored. */
  readonly incarnation: number;
  /** Failed starts in a row (supervisor's `backoff`). */
  readonly backoff: number;
  /** Monotonic ms of the last spawn attempt; null when never started. */
  readonly laststart: number | null;
  /** Last exit status; -1 for a death by signal; null when none (or a too-quick exit). */
  readonly exitstatus: number | null;
  readonly spawnerr: string | null;
  /** A stop is in progress: the next exit means STOPPED. */
  readonly killing: boolean;
  readonly administrativeStop: boolean;
  readonly armed: readonly TimerName[];
}

/** A process that never ran: STOPPED, pid 0, incarnation 0, nothing armed. */
export const initialProc: Proc = {
  state: 'STOPPED',
  pid: 0,
  incarnation: 0,
  backoff: 0,
  laststart: null,
  exitstatus: null,
  spawnerr: null,
  killing: false,
  administrativeStop: false,
  armed: [],
};

/**
 * What step() reacts to: commands (start, stop, give-up, signal) and what the engine observed (spawned,
 * spawn-failed, exited, timer, kill-failed). A spawn outcome or timer of another incarnation, or an exit of
 * another pid, is stale and ignored.
 */
export type ProcEvent =
  /** startProcess, autostart, or an automatic restart. */
  | { readonly type: 'start' }
  /** Administrative stop: stopsignal now, SIGKILL after stopwaitsecs. */
  | { readonly type: 'stop' }
  /** Daemon shutdown gives up on a process in BACKOFF (spec §3.2 last row). */
  | { readonly type: 'give-up' }
  /** signalProcess: deliver a signal without changing state (spec §3.7). */
  | { readonly type: 'signal'; readonly signal: string }
  | { readonly type: 'spawned'; readonly incarnation: number; readonly pid: number }
  | { readonly type: 'spawn-failed'; readonly incarnation: number; readonly message: string }
  /** code is null when killed by a signal; signal is a name like SIGTERM, or a number ('40') without one. */
  | {
      readonly type: 'exited';
      readonly pid: number;
      readonly code: number | null;
      readonly signal: string | null;
      /** The signal dumped core: `terminated by SIGSEGV (core dumped)`. */
      readonly coreDumped?: boolean;
    }
  | { readonly type: 'timer'; readonly timer: TimerName; readonly incarnation: number }
  /** Sending a signal failed with something other than ESRCH. */
  | { readonly type: 'kill-failed'; readonly pid: number; readonly message: string };

/** supervisor's log levels that the daemon writes, most severe first (`warn`, as supervisor spells it). */
export type LogLevel = 'critical' | 'error' | 'warn' | 'info' | 'debug';

/** Fields of a PROCESS_STATE_* event (spec §6.1); each event type prints the ones it needs. */
export interface StateChange {
  readonly from: ProcessStateName;
  readonly to: ProcessStateName;
  /** The pid of the run concerned (before it is reset to 0); 0 when none. */
  readonly pid: number;
  /** `backoff` after the change (STARTING and BACKOFF events print it). */
  readonly tries: number;
  /** Only meaningful for EXITED. */
  readonly expected: boolean;
}

/** What a step asks the engine to do, in order; the machine itself does no I/O and arms no timer. */
export type Effect =
  | { readonly type: 'spawn'; readonly incarnation: number }
  | {
      readonly type: 'kill';
      readonly pid: number;
      readonly signal: string;
      readonly group: boolean;
      /**
       * A caller waits on the outcome (signalProcess answers FAILED at once): sent before the step returns. A
       * stop's signal may go out a moment later, its failure coming back as a kill-failed event.
       */
      readonly awaited: boolean;
    }
  /**
   * Signals what is left of a stopped process's group (-pgid) after its leader was reaped; no process left
   * (ESRCH) is the usual, quiet outcome, and no failure changes the state.
   */
  | { readonly type: 'kill-group'; readonly pgid: number; readonly signal: string }
  | {
      readonly type: 'set-timer';
      readonly timer: TimerName;
      readonly ms: number;
      readonly incarnation: number;
    }
  | { readonly type: 'cancel-timer'; readonly timer: TimerName }
  | { readonly type: 'log'; readonly level: LogLevel; readonly message: string }
  | ({ readonly type: 'notify' } & StateChange)
  /**
   * The restart policy asks for a start, `delayMs` from now; the engine queues one then unless the process was
   * started or removed meanwhile, the policy no longer restarts it, or the daemon is stopping.
   */
  | { readonly type: 'autorestart'; readonly delayMs: number; readonly incarnation: number };

/** Faults the machine can refuse a command with (names as in supervisor's xmlrpc Faults). */
export type RejectFault = 'ALREADY_STARTED' | 'NOT_RUNNING' | 'FAILED';

/** The next Proc and its effects, or the fault a command is refused with (the Proc then stays as it was). */
export type StepResult =
  { readonly next: Proc; readonly effects: readonly Effect[] } | { readonly rejected: RejectFault };
