// The real daemon (runDaemon) with its HTTP servers carrying the web dashboard: `node web-daemon.js -n -c FILE`.
// The daemon's own entry (src/daemon/main.ts) does not start servers yet; this is the composition the browser
// tests and bench/web-1000.mjs run until it does (see the report: controlPlaneHook's `web` slot).
import { parseDaemonArgv } from '../../../src/daemon/parse-argv.js';
import { runDaemon } from '../../../src/daemon/run-daemon.js';
import type { DaemonContext, ServerHook } from '../../../src/daemon/options.js';
import {
  startInetHttpServer,
  startUnixHttpServer,
  standardRoutes,
  type HttpServerHandle,
} from '../../../src/http/index.js';
import { createDispatcher } from '../../../src/rpc/dispatcher.js';
import { fileConfigSource, webRoutes } from '../../../src/web/index.js';

/** The dashboard's routes for a running daemon, as the daemon's server wiring would build them. */
export function dashboardRoutes(ctx: DaemonContext) {
  return webRoutes({
    engine: ctx.engine,
    mainLogPath: () => ctx.log.path,
    configSource: fileConfigSource(ctx.config.source),
    log: ctx.log,
  });
}

const webServers: ServerHook = async (ctx) => {
  const routes = standardRoutes({
    dispatcher: createDispatcher(),
    log: ctx.log,
    mainLogtail: { resolve: () => ctx.log.path },
    web: dashboardRoutes(ctx),
  });
  const started: HttpServerHandle[] = [];
  const close = async () => {
    for (const s of started.splice(0)) await s.close();
  };
  try {
    if (ctx.config.inet_http_server) {
      const server = await startInetHttpServer(ctx.config.inet_http_server, { routes, log: ctx.log });
      ctx.log.info(`web dashboard at ${server.url}/`);
      started.push(server);
    }
    if (ctx.config.unix_http_server) {
      started.push(await startUnixHttpServer(ctx.config.unix_http_server, { routes, log: ctx.log }));
    }
  } catch (e) {
    await close();
    throw e;
  }
  return { close };
};

const parsed = parseDaemonArgv(process.argv.slice(2));
if (parsed.kind !== 'run') {
  process.stderr.write(`web-daemon: ${parsed.kind === 'error' ? parsed.message : 'usage: -n -c FILE'}\n`);
  process.exit(2);
}
runDaemon({ ...parsed.options, servers: [webServers] }).then(
  (status) => process.exit(status),
  (e: unknown) => {
    process.stderr.write(`web-daemon: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
