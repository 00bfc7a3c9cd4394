// Server lifecycle on real sockets (mode, live and stale unix sockets, busy ports) and /logtail streaming.
import { after, afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { connect } from 'node:net';
import {
  ADDRESS_IN_USE_MESSAGE,
  HttpServerStartError,
  startInetHttpServer,
  startUnixHttpServer,
  standardRoutes,
  type HttpServerHandle,
} from '../../src/http/index.js';
import { createDispatcher } from '../../src/rpc/dispatcher.js';
import { createClient } from '../../src/client/index.js';
import { freePort, httpRequest, methodCall, rawConnect, runPython } from '../support/http-probe.js';
import { supervisorMissing } from '../support/oracle.js';

const dir = mkdtempSync(join(tmpdir(), 'svd-http-sock-'));
let open: HttpServerHandle[] = [];
const noAuth = { chown: null, username: null, password: null };

let children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children) child.kill('SIGKILL');
  children = [];
  await Promise.all(open.map((s) => s.close()));
  open = [];
});
after(() => rmSync(dir, { recursive: true, force: true }));

const webLog = join(dir, 'web.log');
const mainLog = join(dir, 'main.log');

function routes() {
  const dispatcher = createDispatcher();
  dispatcher.register('supervisor', {
    getVersion: { help: '@return string version', call: () => '3.0' },
    getPID: { help: '@return int pid', call: () => 4242 },
  });
  return standardRoutes({
    dispatcher,
    logtail: {
      resolve: (namespec, channel) =>
        (namespec === 'web' || namespec === 'café') && channel === 'stdout' ? webLog : null,
    },
    mainLogtail: { resolve: () => mainLog },
  });
}

async function unixServer(
  file: string,
  extra: Partial<{ chmod: string; onStale: (f: string) => void }> = {},
) {
  const server = await startUnixHttpServer(
    { file, chmod: extra.chmod ?? '0700', ...noAuth },
    { routes: routes(), onStaleSocket: extra.onStale ?? (() => {}) },
  );
  open.push(server);
  return server;
}

test(
  'the socket gets chmod 0700 by default or the configured mode, and is removed at close',
  { timeout: 30_000 },
  async () => {
    const a = join(dir, 'a.sock');
    const server = await unixServer(a);
    assert.equal(server.url, `unix://${a}`);
    assert.equal(statSync(a).mode & 0o777, 0o700);
    assert.ok(statSync(a).isSocket());
    assert.ok(!existsSync(`${a}.${process.pid}`), 'the temporary name is gone');
    assert.equal((await httpRequest({ socketPath: a }, { path: '/ok.html' })).body, 'OK');
    await server.close();
    open = [];
    assert.ok(!existsSync(a));

    const b = join(dir, 'b.sock');
    await unixServer(b, { chmod: '0766' });
    assert.equal(statSync(b).mode & 0o777, 0o766);
  },
);

test(
  'a live socket refuses a second server; a stale one is unlinked and replaced',
  { timeout: 30_000 },
  async () => {
    const file = join(dir, 'live.sock');
    await unixServer(file);
    await assert.rejects(
      startUnixHttpServer({ file, chmod: '0700', ...noAuth }, { routes: routes() }),
      (e) => e instanceof HttpServerStartError && e.message === ADDRESS_IN_USE_MESSAGE,
    );
    assert.equal(
      (await httpRequest({ socketPath: file }, { path: '/ok.html' })).body,
      'OK',
      'first server untouched',
    );

    // Python binds and exits without unlinking: what a killed daemon leaves behind.
    const stale = join(dir, 'stale.sock');
    await runPython('import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', [stale]);
    assert.ok(statSync(stale).isSocket());
    const staleNotes: string[] = [];
    await unixServer(stale, { onStale: (f) => staleNotes.push(f) });
    assert.deepEqual(staleNotes, [stale]);
    assert.equal((await httpRequest({ socketPath: stale }, { path: '/ok.html' })).body, 'OK');
  },
);

test(
  "a socket path too long for sockaddr_un is refused in supervisord's words, and nothing is bound at a shortened path",
  { timeout: 30_000 },
  async () => {
    // Node would cut the path to 107 bytes and bind a socket there, inside `deep`'s parent.
    const deep = join(dir, 'd'.repeat(120));
    mkdirSync(deep);
    const before = readdirSync(dir).sort();
    await assert.rejects(
      startUnixHttpServer({ file: join(deep, 'sd.sock'), chmod: '0700', ...noAuth }, { routes: routes() }),
      (e) =>
        e instanceof HttpServerStartError &&
        e.message === 'Cannot open an HTTP server: socket.error reported AF_UNIX path too long',
    );
    assert.deepEqual(readdirSync(dir).sort(), before);
    assert.deepEqual(readdirSync(deep), []);
  },
);

test(
  'a regular file or a folder at the socket path is refused and left in place, not unlinked as stale',
  { timeout: 30_000 },
  async () => {
    const file = join(dir, 'precious.txt');
    writeFileSync(file, 'keep me');
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    for (const path of [file, folder]) {
      const notes: string[] = [];
      await assert.rejects(
        startUnixHttpServer(
          { file: path, chmod: '0700', ...noAuth },
          { routes: routes(), onStaleSocket: (f) => notes.push(f) },
        ),
        (e) =>
          e instanceof HttpServerStartError &&
          e.message === `${path} exists and is not a socket; not removing it`,
      );
      assert.deepEqual(notes, []);
    }
    assert.equal(readFileSync(file, 'utf8'), 'keep me');
    assert.ok(statSync(folder).isDirectory());
  },
);

test(
  'at its connection limit a server drops the new connection and closes idle ones, so the next client is served',
  { timeout: 30_000 },
  async () => {
    const file = join(dir, 'limited.sock');
    const logs: string[] = [];
    const server = await startUnixHttpServer(
      { file, chmod: '0700', ...noAuth },
      { routes: routes(), maxConnections: 4, log: { log: (level, m) => logs.push(`${level} ${m}`) } },
    );
    open.push(server);
    const idle = await Promise.all([1, 2, 3, 4].map(() => rawConnect({ socketPath: file })));
    // The fifth is over the limit: dropped, and the four idle ones are closed to make room.
    await assert.rejects(httpRequest({ socketPath: file }, { path: '/ok.html' }));
    await Promise.all(idle.map((c) => c.closed));
    assert.equal((await httpRequest({ socketPath: file }, { path: '/ok.html' })).body, 'OK');
    assert.deepEqual(
      logs.filter((l) => l.includes('limit')),
      ['warn HTTP server at its limit of 4 connections: refusing new ones and closing idle ones'],
    );
  },
);

test(
  'at its connection limit a server also closes requests refused for their credentials that still send a body',
  { timeout: 30_000 },
  async () => {
    const file = join(dir, 'limited-auth.sock');
    const server = await startUnixHttpServer(
      { file, chmod: '0700', chown: null, username: 'u', password: 'p' },
      { routes: routes(), maxConnections: 4 },
    );
    open.push(server);
    const wrong = Buffer.from('u:wrong').toString('base64');
    // Clients without the password, each holding its connection with a body that never comes; the 100 Continue
    // says the server has the request (and holds its 401 until the body is read).
    const refused = await Promise.all(
      [1, 2, 3, 4].map(async () => {
        const conn = await rawConnect({ socketPath: file });
        conn.socket.write(
          `POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic ${wrong}\r\nExpect: 100-continue\r\n` +
            `Content-Type: text/xml\r\nContent-Length: 100000\r\n\r\nx`,
        );
        await conn.waitFor((t) => t.includes('100 Continue'));
        return conn;
      }),
    );
    const good = { Authorization: `Basic ${Buffer.from('u:p').toString('base64')}` };
    // The fifth is over the limit: dropped, and the refusals are closed to make room (they held it for the
    // request timeout, 300 s, shutting out every client with the password).
    await assert.rejects(httpRequest({ socketPath: file }, { path: '/ok.html', headers: good }));
    await Promise.all(refused.map((c) => c.closed));
    const res = await httpRequest({ socketPath: file }, { path: '/ok.html', headers: good });
    assert.equal(res.status, 200);
    assert.equal(res.body, 'OK');
  },
);

test(
  'a request with wrong credentials gets its 401 after its body is read, so a client still writing is not reset',
  { timeout: 30_000 },
  async () => {
    const file = join(dir, 'auth.sock');
    const server = await startUnixHttpServer(
      { file, chmod: '0700', chown: null, username: 'u', password: 'p' },
      { routes: routes() },
    );
    open.push(server);
    const body = 'x'.repeat(200_000);
    const conn = await rawConnect({ socketPath: file });
    const wrong = Buffer.from('u:wrong').toString('base64');
    conn.socket.write(
      `POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic ${wrong}\r\n` +
        `Content-Type: text/xml\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 1000)}`,
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(conn.received(), '', 'no answer while the body is still coming');
    conn.socket.write(body.slice(1000));
    const answer = await conn.waitFor((t) => t.includes('\r\n\r\n'));
    assert.match(answer, /^HTTP\/1\.1 401 /);
    await conn.closed;
  },
);

test('closing does not remove a socket file that is no longer ours', { timeout: 30_000 }, async () => {
  const file = join(dir, 'moved.sock');
  const server = await unixServer(file);
  renameSync(file, `${file}.old`);
  writeFileSync(file, 'someone else');
  await server.close();
  open = [];
  assert.ok(existsSync(file));
});

test(
  'inet: a busy port and a bad port value fail with supervisor messages',
  { timeout: 30_000 },
  async () => {
    const port = await freePort();
    const first = await startInetHttpServer(
      { port: `127.0.0.1:${port}`, username: null, password: null },
      { routes: routes() },
    );
    open.push(first);
    assert.equal(first.url, `http://127.0.0.1:${port}`);
    await assert.rejects(
      startInetHttpServer(
        { port: `localhost:${port}`, username: null, password: null },
        { routes: routes() },
      ),
      (e) => e instanceof HttpServerStartError && e.message === ADDRESS_IN_USE_MESSAGE,
    );
    await assert.rejects(
      startInetHttpServer({ port: '127.0.0.1:0', username: null, password: null }, { routes: routes() }),
      (e) => e instanceof HttpServerStartError && e.message === '0 is below lower bound (1)',
    );
    const logs: string[] = [];
    const open2 = await startInetHttpServer(
      { port: `127.0.0.1:${await freePort()}`, username: null, password: null },
      { routes: routes(), log: { log: (level, m) => logs.push(`${level} ${m}`) } },
    );
    open.push(open2);
    assert.deepEqual(logs, [
      "critical Server 'inet_http_server' running without any HTTP authentication checking",
    ]);
  },
);

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

test(
  'a port without a host (`*:port`, `:port`, `port`) listens on every IPv4 interface, as supervisor, not on IPv6',
  { timeout: 30_000 },
  async () => {
    for (const form of ['*:%d', ':%d', '%d']) {
      const port = await freePort();
      const server = await startInetHttpServer(
        { port: form.replace('%d', String(port)), username: 'u', password: 'p' },
        { routes: routes() },
      );
      open.push(server);
      assert.equal(server.url, `http://localhost:${port}`);
      assert.equal(await accepts('127.0.0.1', port), true, `${form}: IPv4`);
      assert.equal(await accepts('::1', port), false, `${form}: IPv6`);
    }
  },
);

test(
  '/logtail streams the last 1024 bytes then every append, chunked, with its headers',
  { timeout: 30_000 },
  async () => {
    const file = join(dir, 'tail.sock');
    await unixServer(file);
    writeFileSync(webLog, `${'x'.repeat(2000)}\nLAST-LINE\n`);
    const conn = await rawConnect({ socketPath: file });
    conn.socket.write('GET /logtail/web HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const head = await conn.waitFor((t) => t.includes('LAST-LINE'));
    assert.match(head, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(head, /\r\nTransfer-Encoding: chunked\r\n/i);
    assert.match(head, /\r\nX-Accel-Buffering: no\r\n/i);
    assert.match(head, /\r\nContent-Type: text\/plain;charset=utf-8\r\n/i);
    assert.match(head, /\r\nX-Content-Type-Options: nosniff\r\n/i);
    assert.match(head, /\r\nLast-Modified: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT\r\n/i);
    const body = head.slice(head.indexOf('\r\n\r\n') + 4);
    // 1024 bytes of the file: 1013 x's, then the two lines.
    assert.ok(body.includes(`${'x'.repeat(1013)}\nLAST-LINE\n`) && !body.includes('x'.repeat(1014)));
    appendFileSync(webLog, 'APPENDED\n');
    await conn.waitFor((t) => t.includes('APPENDED'));
    conn.socket.destroy();
  },
);

test(
  '/logtail: unknown names, bad channels and traversal are 404; POST is 400; /mainlogtail streams',
  { timeout: 30_000 },
  async () => {
    const file = join(dir, 'tail2.sock');
    await unixServer(file);
    const target = { socketPath: file };
    for (const path of [
      '/logtail/nosuch',
      '/logtail/web/stderr',
      '/logtail/web/stdin',
      '/logtail/../../etc/passwd',
      '/logtail/..%2F..%2Fetc%2Fpasswd',
      '/logtail',
    ]) {
      const res = await httpRequest(target, { path });
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(res.body, /root:/);
    }
    assert.equal((await httpRequest(target, { method: 'POST', path: '/logtail/web', body: '' })).status, 400);
    // A configured log that does not exist yet is a 404 too.
    assert.equal((await httpRequest(target, { path: '/mainlogtail' })).status, 404);
    writeFileSync(mainLog, 'main log line\n');
    const conn = await rawConnect(target);
    conn.socket.write('GET /mainlogtail HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const text = await conn.waitFor((t) => t.includes('main log line'));
    assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
    assert.doesNotMatch(text, /X-Accel-Buffering/i);
    conn.socket.destroy();
  },
);

test('closing a server ends open log tails', { timeout: 30_000 }, async () => {
  const file = join(dir, 'tail3.sock');
  const server = await unixServer(file);
  writeFileSync(webLog, 'hello\n');
  const conn = await rawConnect({ socketPath: file });
  conn.socket.write('GET /logtail/web HTTP/1.1\r\nHost: localhost\r\n\r\n');
  await conn.waitFor((t) => t.includes('hello'));
  await server.close();
  open = [];
  await conn.closed;
  assert.ok(!existsSync(file));
});

test(
  'the real supervisorctl calls through the socket and follows /logtail',
  { skip: supervisorMissing, timeout: 30_000 },
  async () => {
    const file = join(dir, 'ctl.sock');
    await unixServer(file);
    writeFileSync(webLog, 'from the log\n');
    const pid = await new Promise<string>((resolve, reject) => {
      const child = spawn('/usr/bin/supervisorctl', ['-s', `unix://${file}`, 'pid'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${out}`))));
    });
    assert.equal(pid, '4242\n');

    const tail = spawn('/usr/bin/supervisorctl', ['-s', `unix://${file}`, 'tail', '-f', 'web'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(tail);
    let out = '';
    const seen = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (out.includes(text)) resolve();
        };
        tail.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          check();
        });
        tail.on('close', () => reject(new Error(`supervisorctl ended: ${out}`)));
        check();
      });
    await seen('from the log');
    appendFileSync(webLog, 'appended later\n');
    await seen('appended later');
    assert.match(out, /==> Press Ctrl-C to exit <==/);
  },
);

test("svd's client follows the log of a name that is not ASCII", { timeout: 30_000 }, async () => {
  const file = join(dir, 'accent.sock');
  await unixServer(file);
  writeFileSync(webLog, 'café log line\n');
  // Sent as written, é went out as the Latin-1 byte E9: svd's server answered 400, supervisord dropped the connection.
  const client = createClient({ serverUrl: `unix://${file}` });
  const stream = await client.stream('/logtail/café/stdout');
  let text = '';
  for await (const chunk of stream) {
    text += chunk.toString('utf8');
    if (text.includes('café log line')) break;
  }
  stream.close();
  client.close();
  assert.equal(text, 'café log line\n');
});

const isRoot = process.getuid?.() === 0;

test('chown=user:group sets the socket owner; an unknown user is refused', { timeout: 30_000 }, async (t) => {
  await assert.rejects(
    startUnixHttpServer(
      { file: join(dir, 'bad.sock'), chmod: '0700', chown: 'no-such-user-x', username: null, password: null },
      { routes: routes() },
    ),
    (e) => e instanceof HttpServerStartError && e.message === 'Invalid sockchown value no-such-user-x',
  );
  if (!isRoot) return t.skip('chown to another user needs root');
  const file = join(dir, 'owned.sock');
  const server = await startUnixHttpServer(
    { file, chmod: '0770', chown: '65534:65534', username: null, password: null },
    { routes: routes() },
  );
  open.push(server);
  const st = statSync(file);
  assert.deepEqual([st.uid, st.gid, st.mode & 0o777], [65534, 65534, 0o770]);
});

test('routes given as a loader load on the first request, once; a failed load answers 500 and is tried again', async () => {
  let loads = 0;
  let failNext = true;
  const logs: string[] = [];
  let loading: Promise<ReturnType<typeof routes>> | null = null;
  const loader = () =>
    (loading ??= new Promise<void>((resolve) => setTimeout(resolve, 20))
      .then(() => {
        loads++;
        if (failNext) {
          failNext = false;
          throw new Error('route modules missing');
        }
        return routes();
      })
      .catch((error: unknown) => {
        loading = null;
        throw error;
      }));
  const server = await startUnixHttpServer(
    { file: join(dir, 'lazy.sock'), chmod: '0700', ...noAuth },
    { routes: loader, log: { log: (level, m) => logs.push(`${level} ${m}`) } },
  );
  open.push(server);
  const target = { socketPath: join(dir, 'lazy.sock') };
  assert.equal(loads, 0);
  const failed = await httpRequest(target, { path: '/ok.html' });
  assert.equal(failed.status, 500);
  assert.ok(
    logs.some((l) => l.startsWith('error ') && l.includes('route modules missing')),
    logs.join('\n'),
  );
  // Three at once share one load.
  const answers = await Promise.all([1, 2, 3].map(() => httpRequest(target, { path: '/ok.html' })));
  assert.deepEqual(
    answers.map((a) => a.status),
    [200, 200, 200],
  );
  assert.equal(loads, 2);
  assert.equal((await httpRequest(target, { path: '/nothing-here' })).status, 404);
  assert.equal(loads, 2);
});

test(
  "what a request logged is written before its answer leaves (a client's next read of the log finds it)",
  { timeout: 30_000 },
  async () => {
    const order: string[] = [];
    let pending: string[] = [];
    const log = {
      log: (_level: string, message: string) => {
        if (message.startsWith('did ')) pending.push(message);
      },
      flush: () => {
        order.push(...pending.map((m) => `written: ${m}`));
        pending = [];
      },
    };
    const route = {
      name: 'act',
      match: (path: string) => path === '/act',
      handle: (_req: unknown, res: import('node:http').ServerResponse) => {
        log.log('info', 'did the thing');
        res.end('done');
        order.push('answered');
      },
    };
    const file = join(dir, 'flush.sock');
    open.push(await startUnixHttpServer({ file, chmod: '0700', ...noAuth }, { routes: [route], log }));
    assert.equal((await httpRequest({ socketPath: file }, { path: '/act' })).body, 'done');
    assert.deepEqual(order, ['written: did the thing', 'answered']);
  },
);

test(
  'an inet server on loopback without credentials refuses a request for a foreign Host (DNS rebinding); with credentials, or on every interface, it serves it',
  { timeout: 30_000 },
  async () => {
    const rpc = (port: number, host: string, auth?: string) =>
      httpRequest(
        { port },
        {
          method: 'POST',
          path: '/RPC2',
          headers: {
            Host: host,
            'Content-Type': 'text/xml',
            ...(auth ? { Authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {}),
          },
          body: methodCall('supervisor.getPID'),
        },
      );
    const lines: string[] = [];
    const log = { log: (_level: string, message: string) => void lines.push(message) };

    const loopbackPort = await freePort();
    open.push(
      await startInetHttpServer(
        { port: `127.0.0.1:${loopbackPort}`, username: null, password: null },
        { routes: routes(), log },
      ),
    );
    const refused = await rpc(loopbackPort, `rebound.example:${loopbackPort}`);
    assert.equal(refused.status, 403);
    assert.ok(
      lines.some((l) => l.includes('rebound.example') && l.includes('set username and password')),
      lines.join('\n'),
    );
    for (const host of [
      `127.0.0.1:${loopbackPort}`,
      `localhost:${loopbackPort}`,
      `${hostname()}:${loopbackPort}`,
    ]) {
      const served = await rpc(loopbackPort, host);
      assert.equal(served.status, 200, host);
      assert.match(served.body, /<int>4242<\/int>/, host);
    }

    const guardedPort = await freePort();
    open.push(
      await startInetHttpServer(
        { port: `127.0.0.1:${guardedPort}`, username: 'u', password: 'p' },
        { routes: routes() },
      ),
    );
    assert.equal((await rpc(guardedPort, `rebound.example:${guardedPort}`, 'u:p')).status, 200);
    assert.equal((await rpc(guardedPort, `rebound.example:${guardedPort}`)).status, 401);

    const everywherePort = await freePort();
    open.push(
      await startInetHttpServer(
        { port: `*:${everywherePort}`, username: null, password: null },
        { routes: routes() },
      ),
    );
    assert.equal((await rpc(everywherePort, `rebound.example:${everywherePort}`)).status, 200);
  },
);
