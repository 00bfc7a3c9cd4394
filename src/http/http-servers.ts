// Effect: the [unix_http_server] and [inet_http_server] servers (spec §4.1, §2.6.2, §2.6.3).
import { lookup } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP, type Socket } from 'node:net';
import { hostname } from 'node:os';
import type { Duplex } from 'node:stream';
import type { InetHttpServerSettings, UnixHttpServerSettings } from '../model/config.js';
import { accessLogLine } from './access-log.js';
import { credentialsOf } from './basic-auth.js';
import { foreignHostRefusal, isLoopbackAddress, localHostNames } from './host-guard.js';
import { rawErrorResponse } from './error-page.js';
import { parseInetAddress } from '../model/inet-address.js';
import { createRequestListener, pendingRefusals, type HttpLog, type RouteTable } from './route.js';
import { HttpServerStartError, startErrorFrom } from './server-start-error.js';
import { resolveSocketOwner } from './socket-owner.js';
import { isSocketFileOf, listenOnUnixSocket, removeSocketFile } from './unix-socket.js';
import { listenServer } from './listen-server.js';

/** What one server serves and its connection limits. */
export interface HttpServerOptions {
  /** Tried in order; see standardRoutes() for supervisor's. */
  readonly routes: RouteTable;
  readonly log?: HttpLog | undefined;
  /** Told before a stale unix socket is unlinked. Default: supervisor's line on stderr. */
  readonly onStaleSocket?: ((file: string) => void) | undefined;
  /**
   * Slow-client limits: the headers of a request must arrive within `headersMs` and its body within
   * `requestMs` (defaults 60 s and 300 s). Neither applies to an idle keep-alive connection, which
   * is never cut, nor to the time a deferred response takes.
   */
  readonly timeouts?:
    { readonly headersMs?: number; readonly requestMs?: number; readonly checkEveryMs?: number } | undefined;
  /**
   * Open connections allowed at once. Beyond it a new connection is closed at once and idle ones are dropped to
   * make room, so that clients cannot take every file descriptor the daemon needs to spawn. Default: no limit.
   */
  readonly maxConnections?: number | undefined;
}

/** One listening server. */
export interface HttpServerHandle {
  /** The config section it serves. */
  readonly section: 'unix_http_server' | 'inet_http_server';
  /** `unix:///path` or `http://host:port` (the real port when 0 was asked for). */
  readonly url: string;
  /** Stops listening, drops every connection (idle ones and log tails) and removes the socket file. */
  close(): Promise<void>;
  /**
   * The unix server only: when its socket file is no longer there (a tmp cleaner, a careless `rm`), listens on
   * that path again; connections made before carry on. 'kept' when the file is still ours.
   */
  rebind?(): Promise<'kept' | 'rebound'>;
}

function createHttpServer(
  options: HttpServerOptions,
  credentials: ReturnType<typeof credentialsOf>,
  hostRefusal?: (host: string | undefined) => string | null,
): Server {
  const server = createServer(
    {
      // A client (supervisorctl's shell, a dashboard) may hold one connection for hours: Node's 5 s
      // idle cutoff would break it, so idle connections stay; TCP keepalive finds dead peers.
      keepAliveTimeout: 0,
      keepAlive: true,
      keepAliveInitialDelay: 60_000,
      headersTimeout: options.timeouts?.headersMs ?? 60_000,
      requestTimeout: options.timeouts?.requestMs ?? 300_000,
      // Node's own interval, made at listen, is stopped there (see checkConnectionsOnlyWhileOpen); so long
      // that even the empty timer list Node keeps for it never wakes the daemon.
      connectionsCheckingInterval: NEVER_MS,
      // supervisord serves an HTTP/1.1 request without a Host header (a client written by hand over the unix
      // socket); Node would answer 400. No route needs Host: without it an Origin can only be refused.
      requireHostHeader: false,
    },
    createRequestListener({ routes: options.routes, credentials, log: options.log, hostRefusal }),
  );
  server.keepAliveTimeout = 0;
  answerHalfClosedClients(server);
  server.once('listening', () =>
    checkConnectionsOnlyWhileOpen(server, options.timeouts?.checkEveryMs ?? CHECK_CONNECTIONS_MS),
  );
  // A bind that fails is the start-up's `Cannot open an HTTP server: ...` error (listen-server.ts), as supervisord
  // words it; logged here too, it was a second line naming the temporary socket file (`x.sock.PID`).
  server.on('error', (error) => {
    if (server.listening) options.log?.log('error', `HTTP server error: ${error.message}`);
  });
  server.on('connect', refuseTunnel);
  trackOpenResponses(server);
  if (options.log?.flush) logBeforeAnswering(server, options.log.flush.bind(options.log));
  if (options.log) logAccess(server, options.log);
  if (options.maxConnections !== undefined) limitConnections(server, options.maxConnections, options.log);
  return server;
}

/**
 * The daemon's log is written once per turn of the event loop, which may come after an answer reached its client:
 * `supervisorctl update && grep ... supervisord.log` found the update's lines with supervisord but not always with
 * svd. Each answer's end writes them first. Listening first, this runs before any route can answer.
 */
function logBeforeAnswering(server: Server, flush: () => void): void {
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    const end = res.end;
    res.end = ((...args: unknown[]) => {
      flush();
      return Reflect.apply(end, res, args) as ServerResponse;
    }) as typeof res.end;
  });
}

/**
 * A CONNECT (a proxy tunnel, which no route serves) is answered 400 with supervisor's page, as supervisord answers
 * it; Node, with no listener, would close the connection without a word. Node has let go of the socket by then,
 * its error listener included, so a peer's reset would otherwise be an uncaught error.
 */
function refuseTunnel(_request: IncomingMessage, socket: Duplex): void {
  socket.on('error', () => socket.destroy());
  socket.end(rawErrorResponse(400));
}

/**
 * A client that shuts down its sending side after its request (`printf ... | nc -U`, socat, a script that calls
 * shutdown(SHUT_WR)) still gets its answer, then the connection closes, as supervisord answers it. Node's default
 * drops the request at the client's FIN: a deferred call (stopProcess waiting for the stop) was carried out and
 * its answer never sent. Node reads this property at each FIN (it has no constructor option for it).
 */
function answerHalfClosedClients(server: Server): void {
  (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
}

/** How often open connections are checked against headersTimeout and requestTimeout (Node's default). */
const CHECK_CONNECTIONS_MS = 30_000;
/** The longest delay a Node timer takes (~24.8 days). */
const NEVER_MS = 2 ** 31 - 1;

/**
 * Node checks a server's connections against headersTimeout and requestTimeout on an interval, whether or not
 * it has any. On a VM each wake-up of an otherwise idle process costs milliseconds of CPU (measured in a bare
 * Node process, an empty interval or an idle HTTP server: 6-28 ms a wake-up), which was all an idle daemon
 * spent. Node's check runs here every `everyMs` only while the server has connections. This takes the check
 * from the interval Node keeps under a symbol it sets at listen (as Node 20 does); the test of a half-sent
 * request in test/integration/http-rpc.test.ts fails on a Node that keeps it otherwise.
 */
function checkConnectionsOnlyWhileOpen(server: Server, everyMs: number): void {
  const key = Object.getOwnPropertySymbols(server).find(
    (s) => s.description === 'http.server.connectionsCheckingInterval',
  );
  const nodeInterval = key ? (server as unknown as Record<symbol, unknown>)[key] : undefined;
  const check = (nodeInterval as { _onTimeout?: unknown } | undefined)?._onTimeout;
  if (typeof check !== 'function') return;
  clearInterval(nodeInterval as NodeJS.Timeout);
  let open = 0;
  let interval: NodeJS.Timeout | null = null;
  const stop = (): void => {
    if (interval) clearInterval(interval);
    interval = null;
  };
  server.on('connection', (socket: Socket) => {
    if (open++ === 0) interval = setInterval(check as () => void, everyMs).unref();
    socket.once('close', () => {
      if (--open === 0) stop();
    });
  });
  server.once('close', stop);
}

/**
 * Caps open connections. Over the cap Node closes the new connection; then every connection without a request in
 * progress is closed too (idle keep-alives, ones that never sent a byte, which Node's own closeIdleConnections
 * leaves, and 401s still reading a body), so a client that retries is served. Log tails and event streams are
 * requests in progress and stay.
 */
function limitConnections(server: Server, max: number, log: HttpLog | undefined): void {
  const sockets = new Set<Socket>();
  server.maxConnections = max;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  let warned = false;
  server.on('drop', () => {
    if (!warned) {
      warned = true;
      log?.log(
        'warn',
        `HTTP server at its limit of ${max} connections: refusing new ones and closing idle ones`,
      );
    }
    const working = [...(openResponses.get(server) ?? [])].filter((r) => !pendingRefusals.has(r));
    const busy = new Set<Socket | null>(working.map((r) => r.socket));
    for (const socket of sockets) if (!busy.has(socket)) socket.destroy();
  });
}

/** Responses not yet finished, by server: requests in progress, for the connection cap and for a close. */
const openResponses = new WeakMap<Server, Set<ServerResponse>>();

function trackOpenResponses(server: Server): void {
  const open = new Set<ServerResponse>();
  openResponses.set(server, open);
  server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    open.add(response);
    response.once('close', () => open.delete(response));
  });
}

/**
 * supervisor's access line, at TRAC, for each response written whole (a log tail cut by its client is none).
 * Bytes are the socket's during the response, headers included.
 */
function logAccess(server: Server, log: HttpLog): void {
  // Before the routes' listener, which may answer at once: the count must start before the answer.
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    // At the default level no access line is written: a request then pays for none (the level may change at a
    // reload, so it is asked each time).
    if (log.enabled?.('trace') === false) return;
    const socket = request.socket;
    const before = socket.bytesWritten;
    response.once('finish', () => {
      const line = accessLogLine({
        // On the unix socket there is no peer address: medusa shows `localhost:0`.
        host: socket.remoteAddress ?? 'localhost',
        port: socket.remotePort ?? 0,
        when: new Date(),
        requestLine: `${request.method ?? ''} ${request.url ?? ''} HTTP/${request.httpVersion}`,
        status: response.statusCode,
        bytes: socket.bytesWritten - before,
      });
      log.log('trace', line);
    });
  });
}

/** How long a closing server waits for responses still being written (log tails and streams never end). */
const CLOSE_GRACE_MS = 300;

/**
 * Stops listening and drops every connection. Idle ones go at once; a response still being written gets up
 * to CLOSE_GRACE_MS to finish first: supervisor.shutdown's own `true` is one of them, and with nothing to stop
 * the daemon closes its servers before that answer has left (supervisorctl then reports a dropped connection).
 */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    const open = openResponses.get(server) ?? new Set<ServerResponse>();
    const dropAll = () => server.closeAllConnections();
    if (open.size === 0) return dropAll();
    const timer = setTimeout(dropAll, CLOSE_GRACE_MS);
    const check = () => {
      if (open.size > 0) return;
      clearTimeout(timer);
      dropAll();
    };
    for (const response of open) response.once('close', () => setImmediate(check));
  });
}

function warnIfOpen(section: string, credentials: unknown, log: HttpLog | undefined): void {
  if (!credentials)
    log?.log('critical', `Server '${section}' running without any HTTP authentication checking`);
}

/** Parses `chmod=` (octal text such as 0700, 700 or 0o700). */
function socketMode(text: string): number {
  const digits = text.trim().replace(/^0o/i, '');
  if (!/^[0-7]+$/.test(digits))
    throw new HttpServerStartError('unix_http_server', `${text} can not be converted to an octal type`);
  return Number.parseInt(digits, 8);
}

/**
 * Serves `settings.file`. Throws HttpServerStartError with supervisor's message when a live server
 * holds the socket, the chown is refused or the bind fails.
 */
export async function startUnixHttpServer(
  settings: UnixHttpServerSettings,
  options: HttpServerOptions,
): Promise<HttpServerHandle> {
  const section = 'unix_http_server';
  const credentials = credentialsOf(settings);
  let owner = null;
  if (settings.chown) {
    owner = resolveSocketOwner(settings.chown) ?? null;
    if (!owner) throw new HttpServerStartError(section, `Invalid sockchown value ${settings.chown}`);
  }
  const listen = async (): Promise<{ server: Server; ino: number }> => {
    const server = createHttpServer(options, credentials);
    const ino = await listenOnUnixSocket(server, {
      file: settings.file,
      mode: socketMode(settings.chmod),
      owner,
      onStale: options.onStaleSocket,
    });
    return { server, ino };
  };
  let current = await listen();
  // Servers whose socket file went away: no longer listening, their open connections still served.
  const retired: Server[] = [];
  warnIfOpen(section, credentials, options.log);
  return {
    section,
    url: `unix://${settings.file}`,
    async close() {
      await Promise.all([current.server, ...retired].map(closeServer));
      removeSocketFile(settings.file, current.ino);
    },
    async rebind() {
      if (isSocketFileOf(settings.file, current.ino)) return 'kept';
      const next = await listen();
      current.server.close();
      retired.push(current.server);
      current = next;
      return 'rebound';
    },
  };
}

/**
 * A server on loopback without credentials refuses requests for other host names (DNS rebinding, see
 * host-guard.ts); one with credentials or on another interface needs no such guard. The local names are read
 * once, at the server's start.
 */
function rebindingGuard(
  boundAddress: string,
  credentials: ReturnType<typeof credentialsOf>,
): ((host: string | undefined) => string | null) | undefined {
  if (credentials || !isLoopbackAddress(boundAddress)) return undefined;
  let etcHosts = '';
  try {
    etcHosts = readFileSync('/etc/hosts', 'utf8');
  } catch {
    // No /etc/hosts: IP addresses, localhost and the machine's name still pass.
  }
  const names = localHostNames(hostname(), etcHosts);
  return (host) => foreignHostRefusal(host, names);
}

/** supervisor binds an AF_INET socket: a host name means its IPv4 address. */
async function bindAddress(section: string, host: string): Promise<string> {
  // Every interface means every IPv4 interface, as in supervisor: Node's default (::) would add IPv6.
  if (host === '') return '0.0.0.0';
  if (isIP(host)) return host;
  try {
    return (await lookup(host, { family: 4 })).address;
  } catch (error) {
    throw startErrorFrom(section, error);
  }
}

/**
 * Serves `settings.port` (`host:port`; a port alone, `:port` or `*:port` listens on every
 * interface). Throws HttpServerStartError with supervisor's message on a bad value or a failed bind.
 */
export async function startInetHttpServer(
  settings: InetHttpServerSettings,
  options: HttpServerOptions,
): Promise<HttpServerHandle> {
  const section = 'inet_http_server';
  const parsed = parseInetAddress(settings.port);
  if (!parsed.ok) throw new HttpServerStartError(section, parsed.message);
  const credentials = credentialsOf(settings);
  const host = await bindAddress(section, parsed.address.host);
  const server = createHttpServer(options, credentials, rebindingGuard(host, credentials));
  try {
    await listenServer(server, { host, port: parsed.address.port, backlog: 1024 });
  } catch (error) {
    throw startErrorFrom(section, error);
  }
  warnIfOpen(section, credentials, options.log);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : parsed.address.port;
  const shownHost = parsed.address.host === '' ? 'localhost' : host;
  const urlHost = shownHost.includes(':') ? `[${shownHost}]` : shownHost;
  return {
    section,
    url: `http://${urlHost}:${port}`,
    close: () => closeServer(server),
  };
}
