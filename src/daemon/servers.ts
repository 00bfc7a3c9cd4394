// The daemon's control plane: the [inet_http_server] and [unix_http_server] servers, each serving the
// supervisor.* XML-RPC namespace at /RPC2, the log tails and /ok.html (spec §2.6.2, §2.6.3, §4). What they
// serve is built in control-routes.ts, loaded on the first request or when the daemon warms its servers.
import type { RpcInterfaceSpec } from '../model/config.js';
import { errorLine } from '../http/error-line.js';
import { startInetHttpServer, startUnixHttpServer, type HttpServerHandle } from '../http/http-servers.js';
import type { HttpLog, Route } from '../http/route.js';
import type { LogLevelName } from '../logs/index.js';
import type { Dispatcher, RpcNamespace } from '../rpc/dispatcher.js';
import type { DaemonConfigState } from './config-source.js';
import { readLimit } from './rlimits.js';
import type { DaemonContext, DaemonOptions, ServerHook, StartedServer } from './options.js';

/** What the control plane serves beyond supervisor's own, and where reloadConfig reads from. */
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
    enabled: (level) => log.enabled(level),
    flush: () => log.flush(),
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

/**
 * Starts the configured servers: inet first, then unix, as supervisor. What they serve (control-routes.ts)
 * loads on their first request, or when the daemon calls `warm` once its start has settled.
 */
async function startControlPlane(
  ctx: DaemonContext,
  configState: DaemonConfigState,
  options: ControlPlaneOptions = {},
): Promise<StartedServer> {
  const log = ctx.log;
  let loading: Promise<readonly Route[]> | null = null;
  const routes = (): Promise<readonly Route[]> =>
    (loading ??= import('./control-routes.js')
      .then((m) => m.controlRoutes(ctx, configState, options))
      .catch((error: unknown) => {
        loading = null;
        throw error;
      }));
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
  return {
    close: closeAll,
    rebind: async () => {
      for (const s of started) {
        if (!s.rebind) continue;
        try {
          if ((await s.rebind()) === 'rebound')
            log.warn(`${s.url}: the socket file had been removed; listening there again`);
        } catch (error) {
          log.error(
            `${s.url}: the socket file had been removed and could not be made again: ${errorLine(error)}`,
          );
        }
      }
    },
    warm: () =>
      routes().then(
        () => undefined,
        (error: unknown) => log.error(`could not load the servers' routes: ${errorLine(error)}`),
      ),
  };
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
