// Pure leaf module: the effective configuration, after includes, expansion, defaults and numprocs.
import type {
  EventListenerOptions,
  FcgiProgramOptions,
  InetHttpServerOptions,
  ProgramOptions,
  SupervisorctlOptions,
  SupervisordOptions,
  UnixHttpServerOptions,
} from '../generated/config-types.js';
import type { SourceLocation } from './diagnostics.js';

type Filled<T> = { readonly [K in keyof T]-?: Exclude<T[K], undefined> };

/** Every program option, with defaults filled and per-process expansions done. */
export type ProgramSettings = Filled<ProgramOptions>;
/** Names of the program options: the keys that the reconciler compares. */
export type ProgramField = keyof ProgramSettings;

/** [supervisord] with defaults; logfile and pidfile absolute; childlogdir the temp directory when unset. */
export type SupervisordSettings = Filled<SupervisordOptions>;
/** [supervisorctl] as supervisorctl reads it, with defaults (all defaults when there is no such section). */
export type SupervisorctlSettings = Filled<SupervisorctlOptions>;
/** [unix_http_server], defaults filled. */
export type UnixHttpServerSettings = Filled<UnixHttpServerOptions>;
/** [inet_http_server], defaults filled. */
export type InetHttpServerSettings = Filled<InetHttpServerOptions>;

/** The pool-level options of an [eventlistener:x]; its per-process options are in each ProcessSpec. */
export type EventListenerPoolSettings = Pick<
  Filled<EventListenerOptions>,
  'events' | 'buffer_size' | 'result_handler'
>;
/** The socket options an [fcgi-program:x] group shares among its processes. */
export type FcgiSocketSettings = Pick<
  Filled<FcgiProgramOptions>,
  'socket' | 'socket_backlog' | 'socket_owner' | 'socket_mode'
>;

/** The kind of section a group came from. */
export type GroupKind = 'program' | 'group' | 'eventlistener' | 'fcgi-program';

/** One process to run: the unit the engine manages and the reconciler diffs. */
export interface ProcessSpec extends ProgramSettings {
  /** Expanded process name (unique within its group). */
  readonly name: string;
  /** Name of the group that holds it. */
  readonly group: string;
  /** The section that defined it, without its prefix (program name). */
  readonly program: string;
  /** The value of %(process_num) for this process. */
  readonly process_num: number;
  readonly source: SourceLocation;
}

/**
 * One process group: a [group:x], or the implicit group of a [program:x], [eventlistener:x] or
 * [fcgi-program:x] of the same name. `eventlistener` and `fcgi` are set only for groups of those kinds.
 */
export interface GroupSpec {
  readonly name: string;
  readonly kind: GroupKind;
  readonly priority: number;
  /** In start order: programs= order for [group:x], each program's processes sorted by (priority, name). */
  readonly processes: readonly ProcessSpec[];
  readonly eventlistener?: EventListenerPoolSettings | undefined;
  readonly fcgi?: FcgiSocketSettings | undefined;
  readonly source: SourceLocation;
}

/**
 * An [rpcinterface:x] section naming supervisor's own factory (any other factory is dropped with a warning);
 * `options` are the section's other keys, as strings.
 */
export interface RpcInterfaceSpec {
  readonly name: string;
  readonly factory: string;
  readonly options: Readonly<Record<string, string>>;
}

/** The configuration the daemon runs: what `svd config` prints and what the reconciler plans against. */
/** The sections that say where the daemon listens and how a client reaches it. */
export type ControlSettings = Pick<
  EffectiveConfig,
  'unix_http_server' | 'inet_http_server' | 'supervisorctl'
>;

export interface EffectiveConfig {
  /** The file or folder the configuration was loaded from (absolute). */
  readonly source: string;
  /** Every file read, in read order (absolute). */
  readonly files: readonly string[];
  readonly supervisord: SupervisordSettings;
  readonly supervisorctl: SupervisorctlSettings;
  readonly unix_http_server: UnixHttpServerSettings | null;
  readonly inet_http_server: InetHttpServerSettings | null;
  readonly rpcinterfaces: readonly RpcInterfaceSpec[];
  /** Sorted by (priority, name). */
  readonly groups: readonly GroupSpec[];
}
