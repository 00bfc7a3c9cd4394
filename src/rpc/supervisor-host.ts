// What the supervisor.* namespace works over: the engine, the main log, the loaded config, the daemon's identity.
import type { Engine } from '../engine/engine.js';
import type { ClearLogResult } from '../logs/daemon-log.js';
import type { LoadedConfig } from './supervisor-loaded-config.js';

/** The main log as readLog and clearLog see it. */
export interface MainLogAccess {
  /** The `[supervisord] logfile` value as configured (a path, `syslog`), for NO_FILE details; null if none. */
  readonly logfile: () => string | null;
  /** The file readLog reads; null when the log goes to syslog or nowhere. */
  readonly path: () => string | null;
  /** clearLog: delete and reopen. */
  readonly clear: () => ClearLogResult;
}

/** What the supervisor.* namespace works over. */
export interface SupervisorHost {
  readonly engine: Engine;
  readonly mainLog: MainLogAccess;
  readonly config: LoadedConfig;
  /** supervisord's pid (getPID). */
  readonly pid: number;
  /** The uid of a `user=` value, for getAllConfigInfo; null when unknown. */
  readonly uidOf: (user: string) => number | null;
  /**
   * supervisor.sendRemoteCommEvent: emits REMOTE_COMMUNICATION (the daemon passes its event bus). Without it
   * the call is accepted and dropped.
   */
  readonly sendRemoteCommEvent?: ((type: string, data: string) => void) | undefined;
}
