// Port: starting and signalling child processes. Implementations: adapters/node-spawner.ts, test FakeSpawner.
import type { ProcessSpec } from '../model/config.js';

/** Where the output and the end of one child are delivered. Called outside of any engine step. */
export interface ChildHandlers {
  onOutput(channel: 'stdout' | 'stderr', chunk: Buffer): void;
  /**
   * Once, after the output read so far was delivered. `code` is null when a signal killed the child; `signal` is
   * its name (SIGTERM), or its number ('40') when it has none; `coreDumped` when the signal dumped core (known
   * to the native spawner only).
   */
  onExit(code: number | null, signal: string | null, coreDumped: boolean): void;
  /**
   * A signal sent with `soon` failed after signal() had returned: `message` says why (EPERM). Not for a child
   * that was gone (ESRCH): its exit follows.
   */
  onSignalFailed?(message: string): void;
}

/** The outcome of sending a signal: `gone` for ESRCH (the exit will follow); `message` says what failed. */
export type SignalOutcome =
  { readonly ok: true } | { readonly ok: false; readonly gone: boolean; readonly message: string };

/** One running child as the engine holds it, from spawn until its exit is reported. */
export interface Child {
  readonly pid: number;
  /**
   * Signals the child, or its whole process group (`-pid`) when `group`. `signal` is a name like SIGTERM or a
   * number. With `soon` the spawner may send it a moment later, off the caller's thread: `ok` then means queued,
   * and a failure comes to the child's onSignalFailed.
   */
  signal(
    signal: string | number,
    options: { readonly group: boolean; readonly soon?: boolean | undefined },
  ): SignalOutcome;
  /** Writes to the child's stdin; false when stdin is closed (EPIPE). */
  writeStdin(data: Buffer): boolean;
  /** Bytes written to stdin that the child has not taken yet, still held in the daemon's memory. */
  stdinBacklog(): number;
}

/**
 * The pre-flight command check of spec §3.3 step 3: the resolved file and argv, or the spawnerr text with the
 * fault startProcess raises (NO_FILE for a missing command, NOT_EXECUTABLE otherwise).
 */
export type CommandCheck =
  | { readonly ok: true; readonly file: string; readonly argv: readonly string[] }
  | { readonly ok: false; readonly fault: 'NO_FILE' | 'NOT_EXECUTABLE'; readonly message: string };

/** The child, or why there is none; no exit is reported for a failed spawn. */
export type SpawnOutcome =
  | { readonly ok: true; readonly child: Child }
  /** `message` is the spawnerr, worded as supervisor words it. */
  | { readonly ok: false; readonly message: string };

/** Starts children: NodeSpawner in a daemon, FakeSpawner in unit tests (the contract suite runs both). */
export interface Spawner {
  check(spec: ProcessSpec): CommandCheck;
  /** Synchronous: the child exists (with a pid) or the spawn failed. Never throws. */
  spawn(spec: ProcessSpec, handlers: ChildHandlers): SpawnOutcome;
}
