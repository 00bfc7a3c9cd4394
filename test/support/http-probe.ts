// Test-side HTTP probes: raw requests over unix sockets and loopback ports, free ports, Python clients.
import { spawn } from 'node:child_process';
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect, createServer, type Socket } from 'node:net';

export type Target = { readonly socketPath: string } | { readonly port: number };

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One request on a fresh connection; resolves with the whole response. */
export function httpRequest(
  target: Target,
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string | number>;
    body?: string | Buffer;
    timeoutMs?: number;
  } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        ...('socketPath' in target
          ? { socketPath: target.socketPath }
          : { host: '127.0.0.1', port: target.port }),
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(options.timeoutMs ?? 20_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** An XML-RPC request body: `method` with each of `values` (the inner XML of a <value>) as a parameter. */
export function methodCall(method: string, ...values: string[]): string {
  return (
    `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>` +
    values.map((v) => `<param><value>${v}</value></param>`).join('') +
    `</params></methodCall>`
  );
}

/** An XML-RPC POST of `xml` to /RPC2. */
export function postRpc(
  target: Target,
  xml: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return httpRequest(target, {
    method: 'POST',
    path: '/RPC2',
    headers: { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(xml), ...headers },
    body: xml,
  });
}

/** A loopback port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A raw connection that collects everything it receives. */
export interface RawConnection {
  readonly socket: Socket;
  received(): string;
  /** Resolves once the received text satisfies `check`, or rejects after `ms`. */
  waitFor(check: (text: string) => boolean, ms?: number): Promise<string>;
  readonly closed: Promise<void>;
}

export function rawConnect(target: Target): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket =
      'socketPath' in target ? connect({ path: target.socketPath }) : connect(target.port, '127.0.0.1');
    let text = '';
    const waiters = new Set<() => void>();
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      for (const w of [...waiters]) w();
    });
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('error', reject);
    socket.once('connect', () =>
      resolve({
        socket,
        received: () => text,
        closed,
        waitFor(check, ms = 15_000) {
          return new Promise((ok, fail) => {
            const timer = setTimeout(() => {
              waiters.delete(test);
              fail(new Error(`timed out waiting; received: ${JSON.stringify(text.slice(-300))}`));
            }, ms);
            const test = (): void => {
              if (!check(text)) return;
              clearTimeout(timer);
              waiters.delete(test);
              ok(text);
            };
            waiters.add(test);
            void closed.then(() => {
              if (!check(text)) {
                clearTimeout(timer);
                waiters.delete(test);
                fail(new Error(`connection closed; received: ${JSON.stringify(text.slice(-300))}`));
              }
            });
            test();
          });
        },
      }),
    );
  });
}

export const PYTHON = '/usr/bin/python3';

/**
 * Runs a Python script asynchronously (the server under test lives in this process, so the event
 * loop must keep running) and resolves with its stdout; rejects on a non-zero exit or after `ms`.
 */
export function runPython(script: string, args: readonly string[] = [], ms = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-c', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`python exited ${code ?? signal}: ${err}`));
    });
  });
}
