// The request pipeline shared by every server: Basic auth first, then the first route that matches.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { LogLevelName } from '../logs/log-levels.js';
import { checkAuthorization, type Credentials } from './basic-auth.js';
import { errorLine } from './error-line.js';
import { pathOf, sendError } from './respond.js';

/** Where the HTTP layer reports; the daemon's main log fits (DaemonLog has this method). */
export interface HttpLog {
  log(level: LogLevelName, message: string): void;
  /** Whether a line at `level` would be written (default: yes); what would not be written is not built. */
  enabled?(level: LogLevelName): boolean;
  /**
   * Writes what was logged so far. Called as each answer is sent, so that a client that reads the log after its
   * answer finds the lines of its request there (supervisord logs as it goes).
   */
  flush?(): void;
}

/**
 * One handler. Routes are tried in order and the first whose `match` accepts the path (query
 * removed, not decoded) handles the request; `handle` may be async. A throw or rejection is logged
 * and answered with 500 (or the connection is dropped if the response had begun).
 */
export interface Route {
  /** For log lines. */
  readonly name: string;
  match(path: string, req: IncomingMessage): boolean;
  handle(req: IncomingMessage, res: ServerResponse, path: string): void | Promise<void>;
}

/**
 * The routes, or a function that loads them: the daemon's route modules (XML-RPC, the web page) then load
 * when the first authenticated request comes (or when the daemon warms them), not before its first spawn.
 * A loader is called for each request until it resolves, so it must return the same promise every time.
 */
export type RouteTable = readonly Route[] | (() => Promise<readonly Route[]>);

/** The routes and the credentials every one of them requires. */
export interface PipelineOptions {
  readonly routes: RouteTable;
  /** When set, every route requires HTTP Basic with these credentials (supervisor wraps every handler). */
  readonly credentials: Credentials | null;
  readonly log?: HttpLog | undefined;
  /** When set, a request it gives a reason for is refused with 403 before anything else (see host-guard.ts). */
  readonly hostRefusal?: ((host: string | undefined) => string | null) | undefined;
}

/**
 * Responses to requests refused for their credentials whose 401 waits for the rest of the body. They are no
 * work in progress: a server at its connection limit closes them as it closes idle connections, or clients
 * without credentials, each trickling a body, could hold every connection and shut out the ones with them.
 */
export const pendingRefusals = new WeakSet<ServerResponse>();

/** Bodies up to this size are read before a refusal, so the client is not cut off while it still writes. */
const DRAINED_BODY_LIMIT = 1024 * 1024;

/**
 * Runs `respond` once the request body has been read, when it is small. Closing the connection on a client
 * that is still sending its body resets it, and the client sees a broken pipe instead of the answer.
 */
function afterSmallBody(req: IncomingMessage, respond: () => void): void {
  const length = Number(req.headers['content-length'] ?? 0);
  if (req.complete || !(length > 0 && length <= DRAINED_BODY_LIMIT)) return respond();
  let done = false;
  const once = () => {
    if (!done) ((done = true), respond());
  };
  req.once('end', once);
  req.once('error', once);
  req.resume();
}

/**
 * The request handler of one server: Basic authentication first (401 after draining a small body, 400 for
 * bad base64), then the first route that matches, else 404. A handler's exception, thrown or rejected, is
 * logged and answered 500.
 */
export function createRequestListener(options: PipelineOptions): RequestListener {
  const { credentials, log, hostRefusal } = options;
  const loadRoutes = typeof options.routes === 'function' ? options.routes : null;
  let routes: readonly Route[] | null = loadRoutes ? null : (options.routes as readonly Route[]);
  const fail = (route: string, res: ServerResponse, error: unknown): void => {
    log?.log('error', `HTTP handler '${route}' raised an unexpected exception: ${errorLine(error)}`);
    if (error instanceof Error && error.stack) log?.log('debug', error.stack);
    sendError(res, 500);
  };
  return (req, res) => {
    const refusal = hostRefusal?.(req.headers.host);
    if (refusal) {
      log?.log('warn', `HTTP ${refusal}`);
      return sendError(res, 403, { close: true });
    }
    const verdict = checkAuthorization(req.headers.authorization, credentials);
    if (verdict === 'bad-request') return sendError(res, 400);
    if (verdict === 'unauthorized') {
      const refuse = () =>
        sendError(res, 401, { close: true, headers: { 'WWW-Authenticate': 'Basic realm="default"' } });
      pendingRefusals.add(res);
      return afterSmallBody(req, refuse);
    }
    if (routes) return serve(routes, req, res);
    loadRoutes!().then(
      (loaded) => serve((routes = loaded), req, res),
      (error: unknown) => fail('routes', res, error),
    );
  };

  function serve(table: readonly Route[], req: IncomingMessage, res: ServerResponse): void {
    const path = pathOf(req.url);
    const route = table.find((r) => r.match(path, req));
    if (!route) return sendError(res, 404);
    try {
      const pending = route.handle(req, res, path);
      if (pending) pending.catch((error: unknown) => fail(route.name, res, error));
    } catch (error) {
      fail(route.name, res, error);
    }
  }
}
