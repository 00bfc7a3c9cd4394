// What the daemon's servers serve: the supervisor.* and svd.* XML-RPC namespaces at /RPC2, the log tails,
// /ok.html and the web page (spec §4). Loaded on the first request or once the start has settled (servers.ts),
// so these 58 modules are not compiled, nor held in memory that every fork copies, before the first spawn.
import { lookupUser } from '../adapters/user-db.js';
import { formatDiagnostic } from '../model/diagnostics.js';
import { errorLine } from '../http/error-line.js';
import type { Route } from '../http/route.js';
import type { LogChannel } from '../http/logtail-path.js';
import { standardRoutes } from '../http/standard-routes.js';
import { createDispatcher } from '../rpc/dispatcher.js';
import { svdMethods } from '../rpc/svd-methods.js';
import { createSupervisorNamespace, type SupervisorHost } from '../rpc/supervisor-namespace.js';
import { LoadedConfig, type RereadOutcome } from '../rpc/supervisor-loaded-config.js';
import { webRoutes } from '../web/index.js';
import { describeSource } from '../config/config-source.js';
import type { DaemonConfigState } from './config-source.js';
import type { DaemonContext } from './options.js';
import type { ControlPlaneOptions } from './servers.js';

/** The first error of a failed load, on one line: CANT_REREAD's detail. */
function rereadMessage(diagnostics: readonly Parameters<typeof formatDiagnostic>[0][]): string {
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
function supervisorHost(ctx: DaemonContext, configState: DaemonConfigState): SupervisorHost {
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

/** The dispatcher with its namespaces, and the routes of one daemon's servers, in supervisor's order. */
export function controlRoutes(
  ctx: DaemonContext,
  configState: DaemonConfigState,
  options: ControlPlaneOptions = {},
): Route[] {
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
      activeGroups: () => ctx.engine.activeGroupNames(),
      running: () => ctx.engine.state === 'RUNNING',
      startedWith: () => ctx.startedWith,
    }),
  );
  for (const [name, namespace] of Object.entries(options.namespaces?.(ctx) ?? {}))
    dispatcher.register(name, namespace);
  options.onDispatcher?.(dispatcher);
  return standardRoutes({
    dispatcher,
    log,
    logtail: { resolve: (namespec, channel) => processLogPath(ctx, namespec, channel) },
    mainLogtail: { resolve: () => ctx.log.path },
    web: (options.web ?? dashboard(configState))(ctx),
  });
}
