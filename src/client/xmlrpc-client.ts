// Effect: an XML-RPC client over http:// or unix://, one kept-alive connection, Basic auth, and a
// streaming GET for /logtail. node:http and the codec load on first use, so importing this is cheap.
import type { Agent, ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import type { XmlRpcValue } from '../rpc/xmlrpc-value.js';
import {
  AuthenticationError,
  BadResponseError,
  BadServerUrlError,
  ConnectionRefusedError,
  HttpStatusError,
  NoSuchFileError,
  RemoteFault,
  TransportError,
  type SocketStage,
} from './client-errors.js';
import { parseServerUrl, type ServerUrl } from './server-url.js';
import { unixSocketPathTooLong } from '../model/unix-socket-path.js';
import { wirePath } from './wire-path.js';

/** Where the daemon is and how to log in; no timeout by default. */
export interface ClientOptions {
  /** `http://host[:port]` or `unix:///path`. */
  readonly serverUrl: string;
  /** Sent as Basic auth when both are set (cleartext, as supervisorctl). */
  readonly username?: string | null | undefined;
  readonly password?: string | null | undefined;
  /** Limit for one call, in ms. Default none: start/stop with wait may take as long as the program does. */
  readonly timeoutMs?: number | undefined;
}

/** A streaming GET response: iterate it for the bytes as they come; `close` ends it. */
export interface HttpStream extends AsyncIterable<Buffer> {
  readonly headers: IncomingMessage['headers'];
  close(): void;
}

/** A connection to one daemon, supervisord's or svd's, as supervisorctl makes it. */
export interface XmlRpcClient {
  readonly serverUrl: string;
  /**
   * Calls `methodName` with `params`. Rejects with a ClientError: RemoteFault for a fault,
   * ConnectionRefusedError / NoSuchFileError / AuthenticationError / HttpStatusError / TransportError.
   */
  call(methodName: string, params?: readonly XmlRpcValue[]): Promise<XmlRpcValue>;
  /**
   * GETs `path` of svd's JSON API on the kept-alive connection: the parsed body of a `200` JSON answer, else
   * null (supervisord has no such API). Rejects with a ClientError only when the server cannot be reached.
   */
  getJson(path: string): Promise<unknown>;
  /** GETs `path` (e.g. `/logtail/web/stdout`) on its own connection and streams the body. */
  stream(path: string): Promise<HttpStream>;
  /** New credentials for later calls (supervisorctl's shell asks for them after a 401). */
  setCredentials(username: string | null, password: string | null): void;
  /** Drops the kept-alive connection. The client stays usable. */
  close(): void;
}

type Http = typeof import('node:http');
type Codec = typeof import('../rpc/client-codec.js');

let modules: Promise<{ http: Http; codec: Codec }> | undefined;
function load(): Promise<{ http: Http; codec: Codec }> {
  modules ??= Promise.all([import('node:http'), import('../rpc/client-codec.js')]).then(([http, codec]) => ({
    http,
    codec,
  }));
  return modules;
}
/** node:http alone: a JSON GET needs no XML codec. */
function loadHttp(): Promise<Http> {
  return modules?.then((m) => m.http) ?? import('node:http');
}

/**
 * Python's socket refuses a unix path too long for sockaddr_un before it connects; Node would connect to the path
 * cut short, another socket or none.
 */
function socketPathTooLong(url: ServerUrl): TransportError | null {
  if (url.kind !== 'unix' || !unixSocketPathTooLong(url.socketPath)) return null;
  return new TransportError('AF_UNIX path too long', 'AF_UNIX', 'unix-connect');
}

function errnoOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

/** Where a socket error of Node's happened, by the system call it names. */
function stageOf(error: unknown, unix: boolean): SocketStage {
  const syscall = (error as { syscall?: unknown } | null)?.syscall;
  if (syscall === 'connect') return unix ? 'unix-connect' : 'inet-connect';
  if (syscall === 'getaddrinfo') return 'resolve';
  return 'exchange';
}

/**
 * A client for `options.serverUrl`; nothing is connected until the first call. A URL that does not parse
 * makes every call reject with BadServerUrlError; a unix path too long for sockaddr_un rejects with
 * TransportError `AF_UNIX path too long` before any connect.
 */
export function createClient(options: ClientOptions): XmlRpcClient {
  const parsed = parseServerUrl(options.serverUrl);
  const serverUrl = options.serverUrl;
  let username = options.username ?? null;
  let password = options.password ?? null;
  let agent: Agent | undefined;

  const target = (url: ServerUrl): RequestOptions =>
    url.kind === 'unix'
      ? // The Host header supervisorctl sends; an IPv4 literal also spares Node's IPv6 check (~15 ms cold).
        { socketPath: url.socketPath, host: '127.0.0.1' }
      : { host: url.host, port: url.port };

  const headers = (extra: Record<string, string | number>): Record<string, string | number> => {
    const all: Record<string, string | number> = { ...extra };
    if (username !== null && password !== null) {
      all['Authorization'] = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    }
    return all;
  };

  /** supervisorctl's classification of socket errors (spec §5.1), with where each happened. */
  const classify = (error: unknown): Error => {
    const code = errnoOf(error);
    const stage = stageOf(error, parsed.ok && parsed.value.kind === 'unix');
    if (code === 'ECONNREFUSED') return new ConnectionRefusedError(serverUrl, stage, { cause: error });
    if (code === 'ENOENT' && parsed.ok && parsed.value.kind === 'unix')
      return new NoSuchFileError(serverUrl, stage, { cause: error });
    const message = error instanceof Error ? error.message : String(error);
    return new TransportError(`${serverUrl}: ${message}`, code, stage, { cause: error });
  };

  const statusError = (res: IncomingMessage, path: string): HttpStatusError => {
    const status = res.statusCode ?? 0;
    const reason = res.statusMessage ?? '';
    return status === 401
      ? new AuthenticationError(status, reason, path)
      : new HttpStatusError(status, reason, path);
  };

  /**
   * One request on the kept-alive connection, its whole answer read as text; `retry` is false once a stale
   * kept-alive connection has been replaced.
   */
  const send = (
    http: Http,
    request: { method: 'POST' | 'GET'; path: string; headers: Record<string, string | number>; body: string },
    retry: boolean,
  ): Promise<{ res: IncomingMessage; text: string }> =>
    new Promise((resolve, reject) => {
      if (!parsed.ok) return reject(new BadServerUrlError(parsed.problem, parsed.message));
      const tooLong = socketPathTooLong(parsed.value);
      if (tooLong) return reject(tooLong);
      agent ??= new http.Agent({ keepAlive: true, maxSockets: 1 });
      let settled = false;
      const req: ClientRequest = http.request(
        {
          ...target(parsed.value),
          agent,
          method: request.method,
          path: request.path,
          headers: headers(request.headers),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            settled = true;
            resolve({ res, text: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', (error) => {
            settled = true;
            reject(classify(error));
          });
        },
      );
      if (options.timeoutMs !== undefined) {
        req.setTimeout(options.timeoutMs, () => {
          const error = Object.assign(new Error(`no answer within ${options.timeoutMs} ms`), {
            code: 'ETIMEDOUT',
          });
          req.destroy(error);
        });
      }
      req.on('error', (error) => {
        if (settled) return;
        settled = true;
        // The server closed a kept-alive connection while it was idle: try once on a new one.
        const code = errnoOf(error);
        if (retry && req.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE')) {
          send(http, request, false).then(resolve, reject);
        } else {
          reject(classify(error));
        }
      });
      req.end(request.body);
    });

  const post = (http: Http, body: string): Promise<{ res: IncomingMessage; text: string }> =>
    send(
      http,
      {
        method: 'POST',
        path: '/RPC2',
        headers: {
          'Content-Type': 'text/xml',
          Accept: 'text/xml',
          'Content-Length': Buffer.byteLength(body),
        },
        body,
      },
      true,
    );

  const close = (): void => {
    agent?.destroy();
    agent = undefined;
  };

  return {
    serverUrl,
    async call(methodName, params = []) {
      const { http, codec } = await load();
      const { res, text } = await post(http, codec.encodeCall(methodName, params));
      if (res.statusCode !== 200) {
        // supervisor closes after an error answer; so does Python's transport.
        close();
        throw statusError(res, '/RPC2');
      }
      let outcome;
      try {
        outcome = codec.decodeResponseLite(text);
      } catch (error) {
        throw new BadResponseError(`unreadable XML-RPC response: ${(error as Error).message}`, {
          cause: error,
        });
      }
      if (!outcome.ok) throw new RemoteFault(outcome.fault.faultCode, outcome.fault.faultString);
      return outcome.value;
    },
    async getJson(path) {
      const http = await loadHttp();
      const { res, text } = await send(
        http,
        { method: 'GET', path, headers: { Accept: 'application/json' }, body: '' },
        true,
      );
      if (res.statusCode !== 200 || !/^application\/json\b/.test(res.headers['content-type'] ?? '')) {
        // supervisord may close after its 404: the next call starts on a fresh connection.
        close();
        return null;
      }
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return null;
      }
    },
    async stream(path) {
      const { http } = await load();
      if (!parsed.ok) throw new BadServerUrlError(parsed.problem, parsed.message);
      const url = parsed.value;
      const tooLong = socketPathTooLong(url);
      if (tooLong) throw tooLong;
      // A kept-alive connection of its own: for `Connection: close`, supervisord sends a tail 64 KB at a time.
      const streamAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      return new Promise<HttpStream>((resolve, reject) => {
        const req = http.request(
          { ...target(url), agent: streamAgent, method: 'GET', path: wirePath(path), headers: headers({}) },
          (res) => {
            if (res.statusCode !== 200) {
              res.resume();
              streamAgent.destroy();
              reject(statusError(res, path));
              return;
            }
            resolve({
              headers: res.headers,
              close: () => {
                req.destroy();
                streamAgent.destroy();
              },
              async *[Symbol.asyncIterator]() {
                try {
                  for await (const chunk of res) yield chunk as Buffer;
                } catch (error) {
                  // Closing the stream on purpose aborts it: that is its end, not a failure.
                  if (!req.destroyed || errnoOf(error) !== 'ECONNRESET') throw classify(error);
                }
              },
            });
          },
        );
        req.on('error', (error) => {
          streamAgent.destroy();
          reject(classify(error));
        });
        req.end();
      });
    },
    setCredentials(user, pass) {
      username = user;
      password = pass;
      close();
    },
    close,
  };
}
