// Port: where child output and the daemon's own messages go. Implemented over src/logs by the composition root.
import type { ProcessSpec } from '../model/config.js';
import type { LogLevel } from '../machine/proc.js';

/** One child log file (or stream). */
export interface LogSink {
  /** Absolute path as reported in ProcessInfo. */
  readonly path: string;
  write(chunk: Buffer): void;
  /** The child's output ended: flush held-back bytes (capture tokens, partial syslog lines). */
  endOfOutput?(): void;
  /** clearProcessLogs: empty the file. */
  clear?(): void;
  /** SIGUSR2: close and reopen in append mode. */
  reopen(): void;
  close(): void;
}

export interface ChildLogs {
  readonly stdout: LogSink | null;
  readonly stderr: LogSink | null;
}

/** Opens a process's logs when it is added (AUTO names resolved there); NONE gives null. */
export type ChildLogFactory = (spec: ProcessSpec) => ChildLogs;

/** The daemon's main log, at supervisor's levels. */
export type DaemonLogger = (level: LogLevel, message: string) => void;

export const noChildLogs: ChildLogFactory = () => ({ stdout: null, stderr: null });
export const silentLogger: DaemonLogger = () => {};
