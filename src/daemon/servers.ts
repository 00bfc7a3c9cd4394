// The daemon's control plane: the [inet_http_server] and [unix_http_server] servers, each serving the
// supervisor.* XML-RPC namespace at /RPC2, the log tails and /ok.html (spec §2.6.2, §2.6.3, §4).
import { lookupUser } from '../adapters/user-db.js';
import { formatDiagnostic } from '../model/diagnostics.js';
import type { RpcInterfaceSpec } from '../model/config.js';
import {
  errorLine,
  startInetHttpServer,
  startUnixHttpServer,
  standardRoutes,
  type HttpLog,
  type HttpServerHandle,
  type LogChannel,
  type Route,
} from '../http/index.js';
import type { LogLevelName } from '../logs/index.js';
import { createDispatcher, type Dispatcher, type RpcNamespace } from '../rpc/dispatcher.js';
import { svdMethods } from '../rpc/svd-methods.js';
import { createSupervisorNamespace, type SupervisorHost } from '../rpc/supervisor-namespace.js';
import { LoadedConfig, type RereadOutcome } from '../rpc/supervisor-loaded-config.js';
import { webRoutes } from '../web/index.js';
import { DaemonConfigState, describeSource } from './config-source.js';
import { readLimit } from './rlimits.js';
import type { DaemonContext, DaemonOptions, ServerHook, StartedServer } from './options.js';

export interface ControlPlaneOptions {
  /**
   * Where reloadConfig (supervisorctl's reread, update, avail) reads the configuration; default: the file
   * the daemon was started from, with the command line's overrides.
   */
  readonly configState?: DaemonConfigState | undefined;
  /** More namespaces beside system.* and supervisor.* (the reconciler's svd.*), built once the engine exists. */
  readonly namespaces?: ((ctx: DaemonContext) => Readonly<Record<string, RpcNamespace>>) | undefined;
  /** The web page's routes, tried after /RPC2, the log tails and /ok.html (behind the same auth). */
  readonly web?: ((ctx: DaemonContext) => readonly Route[]) | undefined;
  /** Handed the dispatcher once it is built, e.g. to register a namespace later. */
  readonly onDispatcher?: ((dispatcher: Dispatcher) => void) | undefined;
}

/** The first error of a failed load, on one line: CANT_REREAD's detail. */
/**
 * Connections each server accepts at once: an eighth of the file descriptor limit (128 under the common 1,024),
 * between 16 and 4,096, so that idle or hostile clients leave the daemon the descriptors its children need.
 */
function connectionLimit(): number {
  let soft = 1024;
  try {
    soft = readLimit('nofile').soft;
  } catch {
    // /proc unreadable: keep the common default.
  }
  return Math.min(4096, Math.max(16, Math.floor(soft / 8)));
}

export function rereadMessage(diagnostics: readonly Parameters<typeof formatDiagnostic>[0][]): string {
  const first = diagnostics.find((d) => d.severity === 'error');
  return first ? formatDiagnostic(first).replace(/\s*\n\s*/g, ' ') : 'the configuration could not be read';
}

function rereadWith(state: DaemonConfigState): () => RereadOutcome {
  return () => {
    const result = state.load();
    return result.config
      ? { ok: true, config: result.config }
      : { ok: false, message: rereadMessage(result.diagnostics) };
  };
}

/** The SupervisorHost over a running daemon. */
export function supervisorHost(ctx: DaemonContext, configState: DaemonConfigState): SupervisorHost {
  return {
    engine: ctx.engine,
    mainLog: {
      logfile: () => ctx.config.supervisord.logfile,
      path: () => ctx.log.path,
      clear: () => ctx.log.clear(),
    },
    config: new LoadedConfig({ current: () => ctx.config, reread: rereadWith(configState) }),
    pid: process.pid,
    uidOf: (user) => lookupUser(user)?.uid ?? null,
    sendRemoteCommEvent: (type, data) => ctx.events.emitRemoteCommunication(type, data),
  };
}

/** The log file of `namespec`'s channel, looked up through the engine (never joined into a path). */
function processLogPath(ctx: DaemonContext, namespec: string, channel: LogChannel): string | null {
  try {
    const info = ctx.engine.getProcessInfo(namespec);
    const path = channel === 'stdout' ? info.stdout_logfile : info.stderr_logfile;
    return path === '' ? null : path;
  } catch {
    return null;
  }
}

/** The web dashboard (src/web, docs/api.md); its config view plans against the daemon's config source. */
function dashboard(configState: DaemonConfigState): (ctx: DaemonContext) => Route[] {
  const configSource = {
    get description() {
      return describeSource(configState.source);
    },
    load: () => configState.load(),
  };
  return (ctx) =>
    webRoutes({
      engine: ctx.engine,
      mainLogPath: () => ctx.log.path,
      configSource,
      reconcileLoop: ctx.reconcile,
      log: ctx.log,
    });
}

/**
 * Starts one server and logs supervisor's `RPC interface 'NAME' initialized` once it listens, one line per
 * [rpcinterface:NAME] section (none without one, though svd serves supervisor.* regardless), before what the
 * server logged while starting (its CRIT line for a server without credentials), as supervisord does.
 */
async function announced<T>(
  log: DaemonContext['log'],
  rpcinterfaces: readonly RpcInterfaceSpec[],
  start: (serverLog: HttpLog) => Promise<T>,
): Promise<T> {
  const held: [LogLevelName, string][] = [];
  let holding = true;
  const serverLog: HttpLog = {
    log: (level, message) => (holding ? held.push([level, message]) : log.log(level, message)),
  };
  try {
    const server = await start(serverLog);
    for (const r of rpcinterfaces) log.info(`RPC interface '${r.name}' initialized`);
    return server;
  } finally {
    holding = false;
    for (const [level, message] of held) log.log(level, message);
  }
}

/** Builds the dispatcher and routes, then starts the configured servers: inet first, then unix, as supervisor. */
export async function startControlPlane(
  ctx: DaemonContext,
  configState: DaemonConfigState,
  options: ControlPlaneOptions = {},
): Promise<StartedServer> {
  const log = ctx.log;
  const dispatcher = createDispatcher({
    onUnexpectedError: (error, method) => {
      log.error(`XML-RPC method ${method} raised an unexpected exception: ${errorLine(error)}`);
      if (error instanceof Error && error.stack) log.debug(error.stack);
    },
  });
  dispatcher.register('supervisor', createSupervisorNamespace(supervisorHost(ctx, configState)));
  dispatcher.register(
    'svd',
    svdMethods({
      loop: ctx.reconcile,
      source: () => configState.source,
      load: (source) => configState.load(source),
      adopt: (source, config) => configState.adopt(source, config),
    }),
  );
  for (const [name, namespace] of Object.entries(options.namespaces?.(ctx) ?? {}))
    dispatcher.register(name, namespace);
  options.onDispatcher?.(dispatcher);

  const routes = standardRoutes({
    dispatcher,
    log,
    logtail: { resolve: (namespec, channel) => processLogPath(ctx, namespec, channel) },
    mainLogtail: { resolve: () => ctx.log.path },
    web: (options.web ?? dashboard(configState))(ctx),
  });
  const config = ctx.config;
  const maxConnections = connectionLimit();
  const started: HttpServerHandle[] = [];
  const closeAll = async () => {
    for (const s of started.splice(0).reverse()) await s.close();
  };
  try {
    if (config.inet_http_server) {
      const settings = config.inet_http_server;
      started.push(
        await announced(log, config.rpcinterfaces, (serverLog) =>
          startInetHttpServer(settings, { routes, log: serverLog, maxConnections }),
        ),
      );
    }
    if (config.unix_http_server) {
      const settings = config.unix_http_server;
      started.push(
        await announced(log, config.rpcinterfaces, (serverLog) =>
          startUnixHttpServer(settings, { routes, log: serverLog, maxConnections }),
        ),
      );
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  return { close: closeAll };
}

/**
 * The daemon's server hook (DaemonOptions.servers): starts the control plane from the config. A server that
 * cannot start throws, which the daemon reports as its startup usage error (exit 2).
 */
export function controlPlaneHook(
  daemonOptions: DaemonOptions,
  options: ControlPlaneOptions = {},
): ServerHook {
  return (ctx) => startControlPlane(ctx, options.configState ?? ctx.configState, options);
}
