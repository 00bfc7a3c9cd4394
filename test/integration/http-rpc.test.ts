// XML-RPC over real servers: a temp unix socket and a loopback port, called by Python's clients
// (supervisor's own SupervisorTransport included) and by raw HTTP with bad input.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadNameError } from '../../src/engine/errors.js';
import {
  startInetHttpServer,
  startUnixHttpServer,
  standardRoutes,
  type HttpServerHandle,
} from '../../src/http/index.js';
import { createDispatcher } from '../../src/rpc/dispatcher.js';
import { encodeCall } from '../../src/rpc/xmlrpc-codec.js';
import { supervisorMissing } from '../support/oracle.js';
import { freePort, httpRequest, postRpc, rawConnect, runPython, type Target } from '../support/http-probe.js';

const dir = mkdtempSync(join(tmpdir(), 'svd-http-rpc-'));
const socketPath = join(dir, 'svd.sock');
const logLines: string[] = [];
const log = { log: (level: string, message: string) => logLines.push(`${level} ${message}`) };
const servers: HttpServerHandle[] = [];
let port = 0;
let unix: Target;
let inet: Target;
const recorded: string[] = [];
const auth = { Authorization: `Basic ${Buffer.from('user:thepassword').toString('base64')}` };

function dispatcher() {
  const d = createDispatcher({ onUnexpectedError: (e) => log.log('error', String(e)) });
  d.register('supervisor', {
    getState: { help: '@return struct result', call: () => ({ statecode: 1, statename: 'RUNNING' }) },
    getPID: { help: '@return int result', call: () => process.pid },
    getProcessInfo: {
      help: '@param string name\n@return struct result',
      call: ([name]) => {
        throw new BadNameError(String(name));
      },
    },
  });
  d.register('test', {
    echo: { help: '@param any value\n@return any result', call: ([v]) => v ?? null },
    slow: {
      help: '@param int ms\n@return string result',
      call: ([ms]) => new Promise((r) => setTimeout(() => r('done'), Number(ms))),
    },
    // Records when each call starts and ends: calls pipelined on one connection must not overlap.
    record: {
      help: '@param string tag\n@param int ms\n@return string result',
      call: async ([tag, ms]) => {
        recorded.push(`start ${String(tag)}`);
        await new Promise((r) => setTimeout(r, Number(ms)));
        recorded.push(`end ${String(tag)}`);
        return String(tag);
      },
    },
    boom: {
      help: '@return string result',
      call: () => {
        throw new TypeError('kaboom');
      },
    },
  });
  return d;
}

before(async () => {
  const d = dispatcher();
  const options = {
    routes: standardRoutes({ dispatcher: d, log }),
    log,
    timeouts: { headersMs: 1000, requestMs: 1000, checkEveryMs: 250 },
  };
  servers.push(
    await startUnixHttpServer(
      { file: socketPath, chmod: '0700', chown: null, username: null, password: null },
      options,
    ),
  );
  port = await freePort();
  servers.push(
    await startInetHttpServer(
      {
        port: `127.0.0.1:${port}`,
        username: 'user',
        password: '{SHA}82ab876d1387bfafe46cc1c8a2ef074eae50cb1d',
      },
      options,
    ),
  );
  unix = { socketPath };
  inet = { port };
});

after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

const PY_UNIX = `
import json, sys, xmlrpc.client
from supervisor.xmlrpc import SupervisorTransport
t = SupervisorTransport(None, None, 'unix://' + sys.argv[1])
p = xmlrpc.client.ServerProxy('http://127.0.0.1', transport=t)
out = {}
out['state'] = p.supervisor.getState()
out['echo'] = p.test.echo({'s': 'héllo <&> 日本', 'n': [1, -2147483648, 2.5, True, False, [], {}], 'nested': {'a': {'b': []}}})
def fault(f):
    try:
        f()
        return None
    except xmlrpc.client.Fault as e:
        return [e.faultCode, e.faultString]
    except xmlrpc.client.ProtocolError as e:
        return ['http', e.errcode]
out['unknown'] = fault(lambda: p.supervisor.nosuch())
out['hidden'] = fault(lambda: p.supervisor._private())
out['args'] = fault(lambda: p.supervisor.getState(1))
out['badname'] = fault(lambda: p.supervisor.getProcessInfo('nosuch'))
out['boom'] = fault(lambda: p.test.boom())
out['slow'] = p.test.slow(1500)
out['multicall'] = p.system.multicall([
    {'methodName': 'supervisor.getPID'},
    {'methodName': 'supervisor.nosuch'},
    {'methodName': 'supervisor.getProcessInfo', 'params': ['nosuch']},
    {'methodName': 'system.multicall', 'params': [[]]},
    {'params': []}])
out['signature'] = p.system.methodSignature('system.methodSignature')
out['after'] = p.supervisor.getState()
print(json.dumps(out))
`;

test(
  "Python's ServerProxy with supervisor's SupervisorTransport talks to the unix socket",
  { skip: supervisorMissing, timeout: 60_000 },
  async () => {
    const out = JSON.parse(await runPython(PY_UNIX, [socketPath])) as Record<string, unknown>;
    assert.deepEqual(out['state'], { statecode: 1, statename: 'RUNNING' });
    assert.deepEqual(out['echo'], {
      s: 'héllo <&> 日本',
      n: [1, -2147483648, 2.5, true, false, [], {}],
      nested: { a: { b: [] } },
    });
    assert.deepEqual(out['unknown'], [1, 'UNKNOWN_METHOD']);
    assert.deepEqual(out['hidden'], [1, 'UNKNOWN_METHOD']);
    assert.deepEqual(out['args'], [2, 'INCORRECT_PARAMETERS']);
    assert.deepEqual(out['badname'], [10, 'BAD_NAME: nosuch']);
    assert.deepEqual(out['boom'], ['http', 500]);
    // The deferred answer outlives requestTimeout (1 s here): that limit covers receiving only.
    assert.equal(out['slow'], 'done');
    assert.deepEqual(out['multicall'], [
      process.pid,
      { faultCode: 1, faultString: 'UNKNOWN_METHOD' },
      { faultCode: 10, faultString: 'BAD_NAME: nosuch' },
      { faultCode: 2, faultString: 'INCORRECT_PARAMETERS: Recursive system.multicall forbidden' },
      { faultCode: 2, faultString: 'INCORRECT_PARAMETERS: No methodName' },
    ]);
    assert.deepEqual(out['signature'], ['array', 'string']);
    assert.deepEqual(out['after'], { statecode: 1, statename: 'RUNNING' });
    // A bug is one error line; its stack is logged at debug only.
    const boom = logLines.filter((l) => l.startsWith('error Handling XML-RPC request'));
    assert.equal(boom.length, 1);
    assert.match(boom[0] ?? '', /raised an unexpected exception: TypeError: kaboom$/);
    assert.doesNotMatch(boom[0] ?? '', /\n/);
    assert.ok(logLines.some((l) => l.startsWith('debug TypeError: kaboom\n    at ')));
  },
);

const PY_INET = `
import json, sys, xmlrpc.client
from supervisor.xmlrpc import SupervisorTransport
url = 'http://127.0.0.1:' + sys.argv[1]
out = {}
def call(proxy):
    try:
        return proxy.supervisor.getState()['statename']
    except xmlrpc.client.ProtocolError as e:
        return e.errcode
out['none'] = call(xmlrpc.client.ServerProxy(url + '/RPC2'))
out['wrong'] = call(xmlrpc.client.ServerProxy('http://user:nope@127.0.0.1:' + sys.argv[1] + '/RPC2'))
out['sha'] = call(xmlrpc.client.ServerProxy('http://user:thepassword@127.0.0.1:' + sys.argv[1] + '/RPC2'))
out['transport'] = call(xmlrpc.client.ServerProxy('http://127.0.0.1', transport=SupervisorTransport('user', 'thepassword', url)))
print(json.dumps(out))
`;

test(
  'the loopback server requires Basic auth; a {SHA} password works',
  { skip: supervisorMissing, timeout: 60_000 },
  async () => {
    const out = JSON.parse(await runPython(PY_INET, [String(port)])) as Record<string, unknown>;
    assert.deepEqual(out, { none: 401, wrong: 401, sha: 'RUNNING', transport: 'RUNNING' });
  },
);

test(
  '401 carries WWW-Authenticate, Connection: close and the HTML page, on every route',
  { timeout: 30_000 },
  async () => {
    for (const path of ['/RPC2', '/ok.html', '/logtail/web', '/nosuch']) {
      const res = await httpRequest(inet, { path });
      assert.equal(res.status, 401, path);
      assert.equal(res.headers['www-authenticate'], 'Basic realm="default"');
      assert.equal(res.headers['connection'], 'close');
      assert.equal(res.headers['content-type'], 'text/html');
      assert.match(res.body, /<p>Error code 401\.\r\n<p>Message: Unauthorized\./);
    }
    assert.equal(
      (await httpRequest(inet, { path: '/ok.html', headers: { Authorization: 'Basic abc' } })).status,
      400,
    );
    assert.equal((await httpRequest(inet, { path: '/ok.html', headers: auth })).body, 'OK');
    // No credentials configured: whatever supervisorctl sends is accepted.
    assert.equal(
      (await httpRequest(unix, { path: '/ok.html', headers: { Authorization: 'Basic Og==' } })).body,
      'OK',
    );
  },
);

test("getState's answer: 200 text/xml, Content-Length 279, a Date header", { timeout: 30_000 }, async () => {
  const res = await postRpc(unix, encodeCall('supervisor.getState', []));
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'text/xml');
  assert.equal(res.headers['content-length'], '279');
  assert.ok(res.headers['date']);
  assert.match(res.body, /<name>statename<\/name>\n<value><string>RUNNING<\/string>/);
});

test(
  'bad requests: GET 400, no length 411, garbage 400, DOCTYPE 400, unknown path 404',
  { timeout: 30_000 },
  async () => {
    const get = await httpRequest(unix, { path: '/RPC2' });
    assert.equal(get.status, 400);
    assert.match(get.body, /Error code 400\./);
    const chunked = await httpRequest(unix, {
      method: 'POST',
      path: '/RPC2',
      headers: { 'Transfer-Encoding': 'chunked' },
      body: encodeCall('supervisor.getState', []),
    });
    assert.equal(chunked.status, 411);
    assert.equal((await postRpc(unix, 'garbage')).status, 400);
    assert.equal((await postRpc(unix, '<methodCall><params/></methodCall>')).status, 400);
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
      Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join(
        '',
      ) +
      ']><methodCall><methodName>test.echo</methodName><params><param><value>&lol9;</value></param></params></methodCall>';
    assert.equal((await postRpc(unix, bomb)).status, 400);
    const external =
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
      '<methodCall><methodName>test.echo</methodName><params><param><value>&xxe;</value></param></params></methodCall>';
    const refused = await postRpc(unix, external);
    assert.equal(refused.status, 400);
    assert.doesNotMatch(refused.body, /root:/);
    assert.equal((await httpRequest(unix, { path: '/nosuch' })).status, 404);
    const fault = await postRpc(unix, encodeCall('nosuch.method', []));
    assert.equal(fault.status, 200);
    assert.match(fault.body, /<name>faultString<\/name>\n<value><string>UNKNOWN_METHOD<\/string>/);
  },
);

test("a raw control character in a request (ESC, as Python's client writes it) is read, not refused", async () => {
  // supervisord answers 400 (`XML-RPC request data ... is invalid: unmarshallable`): XML forbids the character.
  const res = await postRpc(unix, encodeCall('test.echo', ['\x1b[31mred\x1b[0m']));
  assert.equal(res.status, 200);
  assert.match(res.body, /<value><string>\x1b\[31mred\x1b\[0m<\/string><\/value>/);
});

test('calls pipelined on one connection are made one after another, in the order sent', async () => {
  // supervisord answers the first and refuses the rest (400, or a closed connection); svd served them side by
  // side, so a start sent right behind a stop of the same program found it still stopping.
  for (const target of [unix, inet]) {
    recorded.length = 0;
    const conn = await rawConnect(target);
    const headers = 'socketPath' in target ? '' : `Authorization: ${auth.Authorization}\r\n`;
    const request = (body: string) =>
      `POST /RPC2 HTTP/1.1\r\nHost: localhost\r\n${headers}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    conn.socket.write(
      request(encodeCall('test.record', ['first', 150])) +
        request(encodeCall('test.record', ['second', 0])) +
        request(encodeCall('test.record', ['third', 0])),
    );
    const text = await conn.waitFor((t) => t.split('</methodResponse>').length === 4);
    conn.socket.destroy();
    assert.deepEqual(recorded, [
      'start first',
      'end first',
      'start second',
      'end second',
      'start third',
      'end third',
    ]);
    const answers = [...text.matchAll(/<string>(\w+)<\/string>/g)].map((m) => m[1]);
    assert.deepEqual(answers, ['first', 'second', 'third']);
  }
});

test('a 100 MB body is refused with 413 and the server keeps serving', { timeout: 60_000 }, async () => {
  const conn = await rawConnect(unix);
  const size = 100 * 1024 * 1024;
  conn.socket.write(
    `POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: ${size}\r\n\r\n`,
  );
  await conn.waitFor((t) => t.includes('\r\n\r\n'));
  assert.match(conn.received(), /^HTTP\/1\.1 413 Request Entity Too Large\r\n/);
  // The body is sent anyway (as Python's client does) and discarded; the connection stays usable.
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  for (let sent = 0; sent < size; sent += chunk.length) {
    if (!conn.socket.write(chunk)) await new Promise((r) => conn.socket.once('drain', r));
  }
  const call = encodeCall('supervisor.getState', []);
  conn.socket.write(
    `POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${Buffer.byteLength(call)}\r\n\r\n${call}`,
  );
  await conn.waitFor((t) => t.includes('</methodResponse>'));
  conn.socket.destroy();
  assert.equal((await postRpc(unix, encodeCall('supervisor.getState', []))).status, 200);
});

test(
  'a client that sends half its headers is answered 408 and cut off once headersTimeout passes',
  { timeout: 60_000 },
  async () => {
    // Node's check of headersTimeout runs only while a connection is open (an idle server has no timer at all).
    for (const target of [unix, inet]) {
      const conn = await rawConnect(target);
      const started = performance.now();
      conn.socket.write('POST /RPC2 HTTP/1.1\r\nHost: localhost\r\n');
      await conn.closed;
      const waited = performance.now() - started;
      assert.match(conn.received(), /^HTTP\/1\.1 408 /);
      assert.ok(waited >= 900, `cut off after ${waited.toFixed(0)} ms, before headersTimeout`);
    }
  },
);

test('an idle keep-alive connection is still served after more than 6 s', { timeout: 60_000 }, async () => {
  const conn = await rawConnect(unix);
  const call = encodeCall('supervisor.getPID', []);
  const request = `POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${Buffer.byteLength(call)}\r\n\r\n${call}`;
  const responses = (t: string): number => t.split('</methodResponse>').length - 1;
  conn.socket.write(request);
  await conn.waitFor((t) => responses(t) === 1);
  // Idle longer than Node's default 5 s keep-alive timeout and than the 1 s header/request limits.
  await new Promise((r) => setTimeout(r, 6500));
  conn.socket.write(request);
  await conn.waitFor((t) => responses(t) === 2);
  assert.equal(conn.socket.destroyed, false);
  conn.socket.destroy();
});
