// Port: where child output and the daemon's own messages go. Implemented over src/logs by the composition root.
import type { ProcessSpec } from '../model/config.js';
import type { LogLevel } from '../machine/proc.js';

/**
 * Why a log could not be opened at spawn (`EACCES`, `EISDIR`, `EMFILE`, ...) or emptied by clearProcessLogs
 * (`EPERM`, `EACCES`, ...): the errno name.
 */
export interface LogFailure {
  readonly code: string;
}

/**
 * One child log file (or stream). As supervisor's dispatchers, it is opened at each spawn and closed once the
 * run's output ended: a process that never ran has no file.
 */
export interface LogSink {
  /** Absolute path as reported in ProcessInfo. */
  readonly path: string;
  /** At spawn, before the child is started: opens (creates) the file. A failure fails the spawn. */
  open?(): LogFailure | null;
  write(chunk: Buffer): void;
  /** The child's output ended: flush held-back bytes (capture tokens, partial syslog lines). */
  endOfOutput?(): void;
  /**
   * clearProcessLogs: empty the file (one that does not exist is not created). Returns why it could not be
   * emptied (the file could not be deleted or made again), null when it was.
   */
  clear?(): LogFailure | null;
  /** SIGUSR2: close and reopen in append mode, if open. */
  reopen(): void;
  /** The run's output ended, or the process is removed: close until the next open. */
  close(): void;
}

/** A process's two channel sinks; stderr is null with redirect_stderr (its output goes to stdout's). */
export interface ChildLogs {
  readonly stdout: LogSink | null;
  readonly stderr: LogSink | null;
}

/**
 * A process's logs, made when it is added: AUTO names are resolved (their files created, as supervisor's
 * mkstemp does) there, other files are opened at spawn. NONE gives null.
 */
export type ChildLogFactory = (spec: ProcessSpec) => ChildLogs;

/** The daemon's main log, at supervisor's levels. */
export type DaemonLogger = (level: LogLevel, message: string) => void;

/** The engine's default: no sinks, so every channel's output is dropped. */
export const noChildLogs: ChildLogFactory = () => ({ stdout: null, stderr: null });
/** The engine's default DaemonLogger: drops every message. */
export const silentLogger: DaemonLogger = () => {};
