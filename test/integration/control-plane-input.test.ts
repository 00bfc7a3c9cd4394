// svd's daemon under bad input on its real servers: malformed XML, unknown methods, wrong argument types and
// counts, a 100 MB body, an entity bomb, requests without credentials, log tail path traversal. After each,
// the daemon still serves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { statSync } from 'node:fs';
import { run, sleeperDaemonPerFile, type ControlDaemon } from '../support/control-daemon.js';
import { svdBin } from '../support/paths.js';
import { httpRequest, postRpc, rawConnect, type Target } from '../support/http-probe.js';

let d: ControlDaemon;
let unix: Target;
let inet: Target;
const auth = { Authorization: `Basic ${Buffer.from('admin:s3cret').toString('base64')}` };
const call = (method: string, params = '') =>
  `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>${params}</params></methodCall>`;

sleeperDaemonPerFile({ inet: true, credentials: { username: 'admin', password: 's3cret' } }, (daemon) => {
  d = daemon;
  unix = { socketPath: d.socket };
  inet = { port: d.port };
});

async function stillServing(): Promise<void> {
  for (const target of [unix, inet]) {
    const res = await postRpc(target, call('supervisor.getState'), auth);
    assert.equal(res.status, 200);
    assert.match(res.body, /<string>RUNNING<\/string>/);
  }
}

test('both servers start with supervisor log lines; the unix socket is 0700', { timeout: 30_000 }, () => {
  const log = d.mainLog();
  assert.equal(log.match(/INFO RPC interface 'supervisor' initialized/g)?.length, 2);
  assert.doesNotMatch(log, /running without any HTTP authentication checking/);
  assert.equal(statSync(d.socket).mode & 0o777, 0o700);
});

test('every endpoint answers 401 without credentials, on both servers', { timeout: 30_000 }, async () => {
  for (const target of [unix, inet]) {
    for (const path of [
      '/RPC2',
      '/logtail/sleeper',
      '/logtail/sleeper/stderr',
      '/mainlogtail',
      '/',
      '/index.html',
      '/ok.html',
      '/nosuch',
    ]) {
      const res = await httpRequest(target, { path, method: path === '/RPC2' ? 'POST' : 'GET' });
      assert.equal(res.status, 401, path);
      assert.equal(res.headers['www-authenticate'], 'Basic realm="default"');
    }
    const wrong = { Authorization: `Basic ${Buffer.from('admin:nope').toString('base64')}` };
    assert.equal((await postRpc(target, call('supervisor.getState'), wrong)).status, 401);
  }
  await stillServing();
});

test(
  'malformed XML, an entity bomb and a missing method name are 400; GET /RPC2 is 400',
  { timeout: 30_000 },
  async () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
      '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><methodCall><methodName>&lol3;</methodName></methodCall>';
    for (const body of [
      '<methodCall><methodName>x',
      'not xml at all',
      bomb,
      '<methodCall></methodCall>',
      '\xff\xfe',
    ]) {
      assert.equal((await postRpc(unix, body, auth)).status, 400, body);
    }
    assert.equal((await httpRequest(unix, { path: '/RPC2', headers: auth })).status, 400);
    await stillServing();
  },
);

test(
  'a CONNECT is answered 400 with the error page, with or without credentials',
  { timeout: 30_000 },
  async () => {
    for (const target of [unix, inet]) {
      for (const authorization of ['', `Authorization: ${auth.Authorization}\r\n`]) {
        const raw = await rawConnect(target);
        raw.socket.write(`CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n${authorization}\r\n`);
        await raw.closed;
        // Node, left to itself, closes the connection without a word.
        assert.match(raw.received(), /^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*Connection: close\r\n/);
        assert.match(raw.received(), /<p>Error code 400\.\r\n/);
      }
    }
    await stillServing();
  },
);

test(
  'an HTTP/1.1 request without a Host header is served, as supervisord serves it',
  { timeout: 30_000 },
  async () => {
    const body = call('supervisor.getState');
    for (const target of [unix, inet]) {
      const raw = await rawConnect(target);
      raw.socket.write(
        `POST /RPC2 HTTP/1.1\r\nAuthorization: ${auth.Authorization}\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
      // Node's default answers 400.
      await raw.waitFor((text) => text.includes('</methodResponse>') || text.startsWith('HTTP/1.1 4'));
      assert.match(raw.received(), /^HTTP\/1\.1 200 OK\r\n[\s\S]*<string>RUNNING<\/string>/);
      raw.socket.destroy();
    }
  },
);

test(
  'a client that shuts down its sending side after its requests gets every answer; a stream is closed',
  { timeout: 30_000 },
  async () => {
    const sleeper =
      '<param><value><string>sleeper</string></value></param><param><value><boolean>1</boolean></value></param>';
    const post = (body: string): string =>
      `POST /RPC2 HTTP/1.1\r\nAuthorization: ${auth.Authorization}\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    for (const target of [unix, inet]) {
      // Two pipelined requests, the first a deferred one, then the client's FIN, as `printf ... | nc -U` sends them.
      // The start waits for the stop's answer: pipelined requests run at once, and a start while STOPPING fails.
      for (const method of ['supervisor.stopProcess', 'supervisor.startProcess']) {
        const raw = await rawConnect(target);
        raw.socket.end(post(call(method, sleeper)) + post(call('supervisor.getState')));
        await raw.closed;
        // Node's default dropped the requests at the FIN: the stop was carried out and never answered.
        const text = raw.received();
        assert.equal(text.match(/^HTTP\/1\.1 200 OK\r\n/gm)?.length, 2, text);
        assert.match(text, /<boolean>1<\/boolean>[\s\S]*<string>RUNNING<\/string>/, text);
      }
    }
    // A log tail or an event stream never ends by itself: it is closed after the client's FIN, as in supervisord.
    for (const path of ['/logtail/sleeper', '/mainlogtail', '/api/events']) {
      const raw = await rawConnect(unix);
      raw.socket.end(`GET ${path} HTTP/1.1\r\nAuthorization: ${auth.Authorization}\r\n\r\n`);
      await raw.closed;
      assert.match(raw.received(), /^HTTP\/1\.1 200 OK\r\n/, path);
    }
    await stillServing();
  },
);

test('unknown methods and wrong counts are faults', { timeout: 30_000 }, async () => {
  const unknown = await postRpc(unix, call('supervisor.nosuch'), auth);
  assert.equal(unknown.status, 200);
  assert.match(unknown.body, /<int>1<\/int>[\s\S]*UNKNOWN_METHOD/);
  const count = await postRpc(
    unix,
    call('supervisor.getState', '<param><value><int>1</int></value></param>'),
    auth,
  );
  assert.match(count.body, /<int>2<\/int>[\s\S]*INCORRECT_PARAMETERS/);
  const stdin = await postRpc(
    unix,
    call(
      'supervisor.sendProcessStdin',
      '<param><value>sleeper</value></param><param><value><int>5</int></value></param>',
    ),
    auth,
  );
  assert.match(stdin.body, /INCORRECT_PARAMETERS: 5/);
  await stillServing();
});

test(
  'wrong-typed arguments are INCORRECT_PARAMETERS faults naming method and argument, with no stack trace in the log',
  { timeout: 30_000 },
  async () => {
    const int = (n: number) => `<param><value><int>${n}</int></value></param>`;
    const str = (s: string) => `<param><value><string>${s}</string></value></param>`;
    const huge = 'y'.repeat(100_000);
    const emptyArray = '<param><value><array><data/></array></value></param>';
    const cases: [method: string, params: string, detail: string][] = [
      // A group is looked up in a dict: a list cannot be (supervisor's TypeError); a number names no group (below).
      ['supervisor.removeProcessGroup', emptyArray, "argument 'name' must be a string, got array of 0"],
      ['supervisor.getProcessInfo', int(0), "argument 'name' must be a string, got int 0"],
      ['supervisor.startProcess', int(0), "argument 'name' must be a string, got int 0"],
      ['supervisor.startProcessGroup', emptyArray, "argument 'name' must be a string, got array of 0"],
      [
        'supervisor.signalProcess',
        str('sleeper') + '<param><value><array><data/></array></value></param>',
        "argument 'signal' must be a string, got array of 0",
      ],
      ['supervisor.readLog', str('x') + int(0), "argument 'offset' must be an integer, got string 'x'"],
      // Python's str() of the double, not JavaScript's ('Infinity.0' before).
      [
        'supervisor.readLog',
        '<param><value><double>-inf</double></value></param>' + int(0),
        "argument 'offset' must be an integer, got double -inf",
      ],
      [
        'supervisor.readMainLog',
        int(0) + str(huge),
        `argument 'length' must be an integer, got string '${'y'.repeat(200)}...'`,
      ],
      [
        'supervisor.readProcessStdoutLog',
        int(0) + int(0) + int(0),
        "argument 'name' must be a string, got int 0",
      ],
      [
        'supervisor.readProcessStderrLog',
        str('sleeper') + int(0) + str('z'),
        "argument 'length' must be an integer, got string 'z'",
      ],
      [
        'supervisor.tailProcessStdoutLog',
        int(0) + int(0) + int(0),
        "argument 'name' must be a string, got int 0",
      ],
      [
        'supervisor.tailProcessStderrLog',
        str('sleeper') + str('q') + int(0),
        "argument 'offset' must be an integer, got string 'q'",
      ],
      ['supervisor.sendProcessStdin', int(0) + str('x'), "argument 'name' must be a string, got int 0"],
    ];
    const before = d.mainLog().length;
    for (const [method, params, detail] of cases) {
      const res = await postRpc(unix, call(method, params), auth);
      assert.equal(res.status, 200, method);
      assert.match(res.body, /<name>faultCode<\/name>\n<value><int>2<\/int>/, method);
      assert.ok(res.body.includes(`INCORRECT_PARAMETERS: ${method}: ${detail}`), `${method}: ${res.body}`);
    }
    for (const method of ['supervisor.addProcessGroup', 'supervisor.startProcessGroup']) {
      const res = await postRpc(unix, call(method, int(0)), auth);
      assert.match(res.body, /<name>faultCode<\/name>\n<value><int>10<\/int>[\s\S]*BAD_NAME: 0</, method);
    }
    const multicall = await postRpc(
      unix,
      call(
        'system.multicall',
        '<param><value><array><data><value><int>5</int></value></data></array></value></param>',
      ),
      auth,
    );
    assert.equal(multicall.status, 200);
    assert.ok(multicall.body.includes('INCORRECT_PARAMETERS: system.multicall: entry 0 must be a struct'));
    const logged = d.mainLog().slice(before);
    assert.doesNotMatch(logged, /CRIT|ERRO|TypeError|\n\s+at /);
    assert.ok(!logged.includes(huge));
    await stillServing();
  },
);

test('a 100 MB body is refused with 413 without being read into memory', { timeout: 120_000 }, async () => {
  const size = 100 * 1024 * 1024;
  const status = await new Promise<string>((resolve, reject) => {
    const socket = connect({ path: d.socket });
    let answer = '';
    socket.on('data', (b: Buffer) => {
      answer += b.toString('latin1');
      if (answer.includes('\r\n')) {
        resolve(answer.split('\r\n')[0] ?? '');
        socket.destroy();
      }
    });
    socket.on('error', (e) => (answer ? resolve(answer.split('\r\n')[0] ?? '') : reject(e)));
    socket.write(
      `POST /RPC2 HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth.Authorization}\r\nContent-Type: text/xml\r\nContent-Length: ${size}\r\n\r\n`,
    );
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    let sent = 0;
    const pump = (): void => {
      while (sent < size && !socket.destroyed) {
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
    };
    pump();
  });
  assert.match(status, /^HTTP\/1\.1 413/);
  await stillServing();
});

test('log tails resolve names through the engine: no path traversal', { timeout: 30_000 }, async () => {
  for (const path of [
    '/logtail/../../etc/passwd',
    '/logtail/..%2F..%2F..%2Fetc%2Fpasswd',
    '/logtail/sleeper/../../../../etc/passwd',
    '/logtail/%2Fetc%2Fpasswd',
    '/logtail/nosuch',
    '/logtail/sleeper/nochannel',
  ]) {
    const res = await httpRequest(unix, { path, headers: auth });
    assert.equal(res.status, 404, path);
    assert.doesNotMatch(res.body, /root:/);
  }
  await stillServing();
});

test(
  "a second daemon on the same socket and port exits 2 with supervisor's message",
  { timeout: 60_000 },
  async () => {
    const r = await run(process.execPath, [
      svdBin,
      'daemon',
      '-n',
      '-c',
      d.conf,
      '-j',
      `${d.dir}/other.pid`,
      '-l',
      `${d.dir}/other.log`,
    ]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /Another program is already listening on a port that one of our HTTP servers is configured to use/,
    );
    await stillServing();
  },
);
