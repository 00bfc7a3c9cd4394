// The daemon's control plane: the [inet_http_server] and [unix_http_server] servers, each serving the
// supervisor.* XML-RPC namespace at /RPC2, the log tails and /ok.html (spec §2.6.2, §2.6.3, §4).
import { lookupUser } from '../adapters/user-db.js';
import { formatDiagnostic } from '../model/diagnostics.js';
import {
  startInetHttpServer,
  startUnixHttpServer,
  standardRoutes,
  type HttpServerHandle,
  type LogChannel,
  type Route,
} from '../http/index.js';
import { createDispatcher, type Dispatcher, type RpcNamespace } from '../rpc/dispatcher.js';
import { createSupervisorNamespace, type SupervisorHost } from '../rpc/supervisor-namespace.js';
import { LoadedConfig, type RereadOutcome } from '../rpc/supervisor-loaded-config.js';
import { webRoutes } from '../web/index.js';
import { DaemonConfigState, describeSource } from './config-source.js';
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
    webRoutes({ engine: ctx.engine, mainLogPath: () => ctx.log.path, configSource, log: ctx.log });
}

/** Builds the dispatcher and routes, then starts the configured servers: inet first, then unix, as supervisor. */
export async function startControlPlane(
  ctx: DaemonContext,
  configState: DaemonConfigState,
  options: ControlPlaneOptions = {},
): Promise<StartedServer> {
  const log = ctx.log;
  const dispatcher = createDispatcher({
    onUnexpectedError: (error, method) =>
      log.critical(`XML-RPC method ${method} raised an unexpected exception: ${String(error)}`),
  });
  dispatcher.register('supervisor', createSupervisorNamespace(supervisorHost(ctx, configState)));
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
  const started: HttpServerHandle[] = [];
  const closeAll = async () => {
    for (const s of started.splice(0).reverse()) await s.close();
  };
  try {
    if (config.inet_http_server) {
      log.info("RPC interface 'supervisor' initialized");
      started.push(await startInetHttpServer(config.inet_http_server, { routes, log }));
    }
    if (config.unix_http_server) {
      log.info("RPC interface 'supervisor' initialized");
      started.push(await startUnixHttpServer(config.unix_http_server, { routes, log }));
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
  return (ctx) =>
    startControlPlane(
      ctx,
      options.configState ?? new DaemonConfigState({ configFile: ctx.config.source }, daemonOptions),
      options,
    );
}
