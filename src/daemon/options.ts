// The daemon's options: supervisord's command line (spec §1.1) as a typed object, plus the composition hooks.
import type { Writable } from 'node:stream';
import type { EffectiveConfig, SupervisordSettings } from '../model/config.js';
import type { LoadResult } from '../config/load.js';
import type { Engine } from '../engine/engine.js';
import type { DaemonLog } from '../logs/index.js';
import type { ReconcileLoop } from '../engine/reconcile-loop.js';
import type { ConfigSource } from '../config/config-source.js';
import type { DaemonConfigState } from './config-source.js';
import type { EventBus } from '../events/index.js';

type LogLevel = SupervisordSettings['loglevel'];

/** What a server hook and the reload hook get to work with. */
export interface DaemonContext {
  readonly engine: Engine;
  readonly config: EffectiveConfig;
  /** The configuration this run started from: its [supervisord] and servers are the ones in effect. */
  readonly startedWith: EffectiveConfig;
  readonly log: DaemonLog;
  /** supervisor's events: `events.emitRemoteCommunication(type, data)` is supervisor.sendRemoteCommEvent. */
  readonly events: EventBus;
  /** Where the configuration comes from (`svd apply` changes it) and what it gave. */
  readonly configState: DaemonConfigState;
  /** The one reconcile loop: SIGHUP, `svd apply` and the web page's apply queue behind each other. */
  readonly reconcile: ReconcileLoop<EffectiveConfig>;
}

/** A server a ServerHook started, as the run stops, warms and rebinds it. */
export interface StartedServer {
  close(): Promise<void>;
  /** Loads what its first request would otherwise wait for; resolves when done, whether it worked or not. */
  warm?(): Promise<void>;
  /** Listens again on a unix socket whose file was removed (SIGHUP); logs what it did. */
  rebind?(): Promise<void>;
}

/** Starts one server (unix socket, inet); a thrown Error's message is the startup usage error (exit 2). */
export type ServerHook = (ctx: DaemonContext) => Promise<StartedServer>;

/** supervisord's command-line options (each overrides its [supervisord] setting) and svd's wiring. */
export interface DaemonOptions {
  /** -c: the config file; searched in supervisor's default places when absent. */
  readonly configuration?: string | undefined;
  /** -f (svd): config files or folders instead of -c, as `svd apply -f` takes them. */
  readonly paths?: readonly string[] | undefined;
  /** -n */
  readonly nodaemon?: boolean | undefined;
  /** -s */
  readonly silent?: boolean | undefined;
  /** -u */
  readonly user?: string | undefined;
  /** -m, octal text */
  readonly umask?: string | undefined;
  /** -d */
  readonly directory?: string | undefined;
  /** -l */
  readonly logfile?: string | undefined;
  /** -y */
  readonly logfile_maxbytes?: number | undefined;
  /** -z */
  readonly logfile_backups?: number | undefined;
  /** -e */
  readonly loglevel?: LogLevel | undefined;
  /** -j */
  readonly pidfile?: string | undefined;
  /** -i */
  readonly identifier?: string | undefined;
  /** -q */
  readonly childlogdir?: string | undefined;
  /** -k */
  readonly nocleanup?: boolean | undefined;
  /** -a */
  readonly minfds?: number | undefined;
  /** --minprocs */
  readonly minprocs?: number | undefined;
  /** -t */
  readonly strip_ansi?: boolean | undefined;
  /** What parsing the command line found worth a warning (-z -1 read as 0); the daemon logs them at start. */
  readonly warnings?: readonly string[] | undefined;

  /** Servers to start once the groups exist; `svd daemon` passes controlPlaneHook (the HTTP servers). */
  readonly servers?: readonly ServerHook[] | undefined;
  /** Loads the configuration; default: src/config/load.ts on the source. */
  readonly load?: ((source: ConfigSource) => LoadResult) | undefined;
  /** How to run this daemon again (detaching, or behind tini as PID 1): default node + this script + argv. */
  readonly self?: { readonly command: string; readonly args: readonly string[] } | undefined;
  readonly stderr?: NodeJS.WritableStream | undefined;
  readonly stdout?: Writable | undefined;
  /** How a usage error names the program (`For help, use <program> -h`): `svd daemon` or supervisord's path. */
  readonly program?: string | undefined;
}

/** The [supervisord] settings with the command line's overrides applied (command line wins). */
export function applyOverrides(sd: SupervisordSettings, o: DaemonOptions): SupervisordSettings {
  const pick = <K extends keyof SupervisordSettings>(k: K, v: SupervisordSettings[K] | undefined) =>
    v === undefined ? {} : { [k]: v };
  return {
    ...sd,
    ...pick('nodaemon', o.nodaemon ? true : undefined),
    ...pick('silent', o.silent ? true : undefined),
    ...pick('user', o.user),
    ...pick('umask', o.umask),
    ...pick('directory', o.directory),
    ...pick('logfile', o.logfile),
    ...pick('logfile_maxbytes', o.logfile_maxbytes),
    ...pick('logfile_backups', o.logfile_backups),
    ...pick('loglevel', o.loglevel),
    ...pick('pidfile', o.pidfile),
    ...pick('identifier', o.identifier),
    ...pick('childlogdir', o.childlogdir),
    ...pick('nocleanup', o.nocleanup ? true : undefined),
    ...pick('minfds', o.minfds),
    ...pick('minprocs', o.minprocs),
    ...pick('strip_ansi', o.strip_ansi ? true : undefined),
  };
}
