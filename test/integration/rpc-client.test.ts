// The client against real servers: svd's own on a unix socket and a loopback port, and bare Node
// servers that count connections or misbehave.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuthenticationError,
  BadServerUrlError,
  ConnectionRefusedError,
  HttpStatusError,
  NoSuchFileError,
  RemoteFault,
  createClient,
  isClientError,
  type XmlRpcClient,
} from '../../src/client/index.js';
import { BadNameError } from '../../src/engine/errors.js';
import {
  startInetHttpServer,
  startUnixHttpServer,
  standardRoutes,
  type HttpServerHandle,
} from '../../src/http/index.js';
import { createDispatcher } from '../../src/rpc/dispatcher.js';
import { encodeResponse } from '../../src/rpc/xmlrpc-codec.js';
import { freePort, runPython } from '../support/http-probe.js';

const dir = mkdtempSync(join(tmpdir(), 'svd-client-'));
const socketPath = join(dir, 'svd.sock');
const webLog = join(dir, 'web.log');
const servers: HttpServerHandle[] = [];
const clients: XmlRpcClient[] = [];
const bare: Server[] = [];
let port = 0;

function client(serverUrl: string, username?: string, password?: string): XmlRpcClient {
  const c = createClient({ serverUrl, username, password, timeoutMs: 20_000 });
  clients.push(c);
  return c;
}

before(async () => {
  const dispatcher = createDispatcher();
  dispatcher.register('supervisor', {
    getState: { help: '@return struct result', call: () => ({ statecode: 1, statename: 'RUNNING' }) },
    getProcessInfo: {
      help: '@param string name\n@return struct result',
      call: ([name]) => {
        throw new BadNameError(String(name));
      },
    },
    readLog: { help: '@return string result', call: () => "it's \x1b[31mred\x1b[0m <&>\n" },
    boom: {
      help: '@return string result',
      call: () => {
        throw new Error('boom');
      },
    },
  });
  const routes = standardRoutes({
    dispatcher,
    logtail: { resolve: (ns) => (ns === 'web' ? webLog : null) },
  });
  servers.push(
    await startUnixHttpServer(
      { file: socketPath, chmod: '0700', chown: null, username: null, password: null },
      { routes },
    ),
  );
  port = await freePort();
  servers.push(
    await startInetHttpServer(
      { port: `127.0.0.1:${port}`, username: 'user', password: 'secret' },
      { routes },
    ),
  );
});

after(async () => {
  for (const c of clients) c.close();
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all(bare.map((s) => new Promise((r) => s.close(r))));
  rmSync(dir, { recursive: true, force: true });
});

test(
  'calls return values; faults reject as RemoteFault with Python-like text',
  { timeout: 30_000 },
  async () => {
    const c = client(`unix://${socketPath}`);
    assert.deepEqual(await c.call('supervisor.getState'), { statecode: 1, statename: 'RUNNING' });
    assert.equal(await c.call('supervisor.readLog'), "it's \x1b[31mred\x1b[0m <&>\n");
    await assert.rejects(c.call('supervisor.getProcessInfo', ['nosuch']), (e) => {
      assert.ok(e instanceof RemoteFault && isClientError(e));
      assert.equal(e.faultCode, 10);
      assert.equal(e.faultString, 'BAD_NAME: nosuch');
      assert.equal(e.message, "<Fault 10: 'BAD_NAME: nosuch'>");
      return true;
    });
    await assert.rejects(c.call('supervisor.boom'), (e) => {
      assert.ok(e instanceof HttpStatusError);
      assert.equal(e.status, 500);
      assert.equal(e.message, 'ProtocolError for 127.0.0.1/RPC2: 500 Internal Server Error');
      return true;
    });
    assert.deepEqual(
      await c.call('supervisor.getState'),
      { statecode: 1, statename: 'RUNNING' },
      'usable after a 500',
    );
  },
);

test('Basic auth: 401 is AuthenticationError; setCredentials fixes it', { timeout: 30_000 }, async () => {
  const c = client(`http://127.0.0.1:${port}`);
  await assert.rejects(
    c.call('supervisor.getState'),
    (e) => e instanceof AuthenticationError && e.status === 401 && e.kind === 'unauthorized',
  );
  c.setCredentials('user', 'secret');
  assert.deepEqual(await c.call('supervisor.getState'), { statecode: 1, statename: 'RUNNING' });
  const wrong = client(`http://127.0.0.1:${port}`, 'user', 'wrong');
  await assert.rejects(wrong.call('supervisor.getState'), AuthenticationError);
});

test("connection failures are classified as supervisorctl's", { timeout: 30_000 }, async () => {
  const missing = join(dir, 'missing.sock');
  await assert.rejects(client(`unix://${missing}`).call('supervisor.getState'), (e) => {
    assert.ok(e instanceof NoSuchFileError);
    assert.equal(e.message, `unix://${missing} no such file`);
    return true;
  });
  const stale = join(dir, 'stale.sock');
  await runPython('import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', [stale]);
  await assert.rejects(client(`unix://${stale}`).call('supervisor.getState'), (e) => {
    assert.ok(e instanceof ConnectionRefusedError);
    assert.equal(e.message, `unix://${stale} refused connection`);
    return true;
  });
  const closedPort = await freePort();
  await assert.rejects(client(`http://127.0.0.1:${closedPort}`).call('supervisor.getState'), (e) => {
    assert.ok(e instanceof ConnectionRefusedError);
    assert.equal(e.message, `http://127.0.0.1:${closedPort} refused connection`);
    return true;
  });
  await assert.rejects(client('ftp://x').call('supervisor.getState'), BadServerUrlError);
});

function countingServer(keepAliveTimeout: number): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const body = encodeResponse(connections);
      res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = keepAliveTimeout;
  server.on('connection', () => connections++);
  bare.push(server);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : 0,
        connections: () => connections,
      });
    }),
  );
}

test('one kept-alive connection serves every call', { timeout: 30_000 }, async () => {
  const server = await countingServer(60_000);
  const c = client(`http://127.0.0.1:${server.port}`);
  for (let i = 0; i < 5; i++) assert.equal(await c.call('x.y'), 1);
  assert.equal(server.connections(), 1);
});

test(
  'a connection the server dropped while idle is replaced transparently',
  { timeout: 30_000 },
  async () => {
    const server = await countingServer(50);
    const c = client(`http://127.0.0.1:${server.port}`);
    assert.equal(await c.call('x.y'), 1);
    const deadline = Date.now() + 10_000;
    let answer: unknown = 1;
    // Each later call succeeds, on a new connection once the server has dropped the idle one.
    while (answer === 1 && Date.now() < deadline) answer = await c.call('x.y');
    assert.ok(typeof answer === 'number' && answer >= 2);
  },
);

test('stream() follows /logtail; a missing log is a 404 HttpStatusError', { timeout: 30_000 }, async () => {
  writeFileSync(webLog, 'first line\n');
  const c = client(`unix://${socketPath}`);
  const stream = await c.stream('/logtail/web/stdout');
  assert.equal(stream.headers['x-accel-buffering'], 'no');
  let text = '';
  let appended = false;
  for await (const chunk of stream) {
    text += chunk.toString();
    if (!appended && text.includes('first line')) {
      appendFileSync(webLog, 'second line\n');
      appended = true;
    }
    if (text.includes('second line')) break;
  }
  stream.close();
  assert.equal(text, 'first line\nsecond line\n');
  await assert.rejects(c.stream('/logtail/nosuch'), (e) => e instanceof HttpStatusError && e.status === 404);
});
