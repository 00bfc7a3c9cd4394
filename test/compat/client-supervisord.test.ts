// svd's client against Debian's supervisord 4.2.5, and its error texts against supervisorctl's.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuthenticationError,
  ConnectionRefusedError,
  NoSuchFileError,
  RemoteFault,
  createClient,
  type XmlRpcClient,
} from '../../src/client/index.js';
import { isStruct } from '../../src/rpc/xmlrpc-value.js';
import { eventually } from '../support/cleanup.js';
import { freePort, runPython } from '../support/http-probe.js';
import { supervisorMissing } from '../support/oracle.js';
import { svdBin } from '../support/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'svd-client-sd-'));
const socketPath = join(dir, 'sd.sock');
let port = 0;
let daemon: ChildProcess | undefined;
const clients: XmlRpcClient[] = [];

function client(serverUrl: string, username?: string, password?: string): XmlRpcClient {
  const c = createClient({ serverUrl, username, password, timeoutMs: 20_000 });
  clients.push(c);
  return c;
}

/** supervisorctl (or, with `svd: true`, svd ctl) against `serverUrl`: its output and exit status. */
function runCtl(
  serverUrl: string,
  args: string[],
  svd = false,
): Promise<{ out: string; code: number | null }> {
  return new Promise((resolve) => {
    const [cmd, argv] = svd
      ? [process.execPath, [svdBin, 'ctl', '-s', serverUrl, ...args]]
      : ['/usr/bin/supervisorctl', ['-s', serverUrl, ...args]];
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ out, code });
    });
  });
}

async function ctl(serverUrl: string, ...args: string[]): Promise<string> {
  return (await runCtl(serverUrl, args)).out;
}

before(async () => {
  if (supervisorMissing) return;
  port = await freePort();
  const conf = join(dir, 'supervisord.conf');
  writeFileSync(
    conf,
    [
      '[supervisord]',
      `logfile=${join(dir, 'sd.log')}`,
      `pidfile=${join(dir, 'sd.pid')}`,
      `childlogdir=${dir}`,
      'nodaemon=true',
      '[unix_http_server]',
      `file=${socketPath}`,
      '[inet_http_server]',
      `port=127.0.0.1:${port}`,
      'username=user',
      'password={SHA}82ab876d1387bfafe46cc1c8a2ef074eae50cb1d',
      '[rpcinterface:supervisor]',
      'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
      '[program:talker]',
      `command=/bin/sh -c 'echo hello from talker; exec sleep 600'`,
      `stdout_logfile=${join(dir, 'talker.log')}`,
      'startsecs=0',
      '',
    ].join('\n'),
  );
  daemon = spawn('/usr/bin/supervisord', ['-c', conf], { stdio: 'ignore' });
  await eventually(() => existsSync(socketPath), 15_000, 'supervisord socket');
});

after(async () => {
  for (const c of clients) c.close();
  if (daemon && daemon.exitCode === null) {
    const exited = new Promise((r) => daemon?.once('exit', r));
    daemon.kill('SIGTERM');
    const timer = setTimeout(() => daemon?.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(dir, { recursive: true, force: true });
});

test(
  'calls, faults and auth against the real supervisord',
  { skip: supervisorMissing, timeout: 60_000 },
  async () => {
    const c = client(`unix://${socketPath}`);
    assert.equal(await c.call('supervisor.getVersion'), '3.0');
    assert.deepEqual(await c.call('supervisor.getState'), { statecode: 1, statename: 'RUNNING' });
    // startsecs=0: RUNNING right after the spawn, which supervisord does on its first tick.
    let statename = '';
    for (const deadline = Date.now() + 15_000; statename !== 'RUNNING' && Date.now() < deadline;) {
      const info = await c.call('supervisor.getProcessInfo', ['talker']);
      statename = isStruct(info) ? String(info['statename']) : '';
    }
    assert.equal(statename, 'RUNNING');
    await assert.rejects(
      c.call('supervisor.getProcessInfo', ['nosuch']),
      (e) => e instanceof RemoteFault && e.faultCode === 10 && e.faultString === 'BAD_NAME: nosuch',
    );
    const multi = await c.call('system.multicall', [
      [{ methodName: 'supervisor.getAPIVersion' }, { methodName: 'x' }],
    ]);
    assert.deepEqual(multi, ['3.0', { faultCode: 1, faultString: 'UNKNOWN_METHOD' }]);

    await assert.rejects(client(`http://127.0.0.1:${port}`).call('supervisor.getState'), AuthenticationError);
    const authed = client(`http://127.0.0.1:${port}`, 'user', 'thepassword');
    assert.deepEqual(await authed.call('supervisor.getState'), { statecode: 1, statename: 'RUNNING' });
  },
);

test(
  "svd ctl status against supervisord: no JSON API there, so supervisorctl's calls, lines and exit statuses",
  { skip: supervisorMissing, timeout: 60_000 },
  async () => {
    // The client's JSON GET gets supervisord's 404 and leaves the connection fit for the next call.
    const c = client(`unix://${socketPath}`);
    assert.equal(await c.getJson('/api/processes'), null);
    assert.equal(await c.call('supervisor.getAPIVersion'), '3.0');
    const cases: [string, string[]][] = [
      [`unix://${socketPath}`, ['status']],
      [`unix://${socketPath}`, ['status', 'talker', 'nosuch']],
      [`http://127.0.0.1:${port}`, ['-u', 'user', '-p', 'thepassword', 'status']],
      [`http://127.0.0.1:${port}`, ['status']],
    ];
    for (const [url, args] of cases) {
      const [want, got] = await Promise.all([runCtl(url, args), runCtl(url, args, true)]);
      // Uptimes may tick between the two runs.
      const mask = (text: string) => text.replace(/uptime \d+:\d\d:\d\d/g, 'uptime T');
      assert.equal(mask(got.out), mask(want.out), `svd ctl ${args.join(' ')} against ${url}`);
      assert.equal(got.code, want.code, `exit status of svd ctl ${args.join(' ')}`);
    }
  },
);

test("stream() follows supervisord's /logtail", { skip: supervisorMissing, timeout: 60_000 }, async () => {
  const c = client(`http://127.0.0.1:${port}`, 'user', 'thepassword');
  const stream = await c.stream('/logtail/talker/stdout');
  let text = '';
  for await (const chunk of stream) {
    text += chunk.toString();
    if (text.includes('hello from talker')) break;
  }
  stream.close();
  assert.match(text, /hello from talker\n/);
});

test("connection error texts are supervisorctl's", { skip: supervisorMissing, timeout: 60_000 }, async () => {
  const missing = `unix://${join(dir, 'missing.sock')}`;
  const stalePath = join(dir, 'stale.sock');
  await runPython('import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', [stalePath]);
  const stale = `unix://${stalePath}`;
  const refused = `http://127.0.0.1:${await freePort()}`;
  for (const [url, kind] of [
    [missing, NoSuchFileError],
    [stale, ConnectionRefusedError],
    [refused, ConnectionRefusedError],
  ] as const) {
    const theirs = (await ctl(url, 'pid')).trim();
    await assert.rejects(client(url).call('supervisor.getVersion'), (e) => {
      assert.ok(e instanceof kind);
      assert.equal(e.message, theirs);
      return true;
    });
  }
});
