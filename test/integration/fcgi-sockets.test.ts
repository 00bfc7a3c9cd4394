// [fcgi-program:x] on real sockets: the daemon binds and listens, every process accepts on its fd 0.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine.js';
import { NodeSpawner } from '../../src/adapters/node-spawner.js';
import { systemClock } from '../../src/adapters/system-clock.js';
import { FcgiSockets, openListeningSocket } from '../../src/fcgi/index.js';
import { eventually, killAllSpawned, tracked } from '../support/cleanup.js';
import { fixture } from '../support/real-engine.js';
import { freePort } from '../support/http-probe.js';
import { groupSpec } from '../support/specs.js';
import { startEventDaemon, type EventDaemon } from '../support/event-daemon.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  // A daemon a failed test left running goes with its children, each in a group of its own.
  killAllSpawned();
  for (const c of cleanups.splice(0).reverse()) await c();
});

function daemon(body: (dir: string) => string): EventDaemon {
  return startEventDaemon(body, cleanups);
}

type Target = { port: number } | { path: string };

/** One request: sends `line`, resolves with the answer line (or the connection error's code). */
function ask(target: Target, line: string): Promise<string> {
  return new Promise((resolve) => {
    const c = 'port' in target ? net.connect(target.port, '127.0.0.1') : net.connect(target.path);
    let out = '';
    const timer = setTimeout(() => (c.destroy(), resolve('TIMEOUT')), 10_000);
    c.on('connect', () => c.write(`${line}\n`));
    c.on('data', (b: Buffer) => (out += b.toString()));
    c.on('error', (e: NodeJS.ErrnoException) => (clearTimeout(timer), resolve(e.code ?? 'ERROR')));
    c.on('close', () => (clearTimeout(timer), resolve(out.trim())));
  });
}

/** Asks until every answer came from a running child (the first ones may race the children's start). */
async function answers(target: Target, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(await ask(target, `hello ${i}`));
  return out;
}

test('tcp: numprocs=2 children accept on the shared socket as fd 0 (blocking), the daemon never accepts', async () => {
  const port = await freePort();
  const d = daemon(
    () =>
      `[fcgi-program:web]\nsocket=tcp://127.0.0.1:${port}\ncommand=${fixture('fcgi-answer')}\n` +
      `numprocs=2\nprocess_name=%(program_name)s_%(process_num)s\nstartsecs=0\n`,
  );
  await eventually(
    () => (d.mainLog().match(/success: web_\d entered RUNNING/g) ?? []).length === 2,
    20_000,
    'RUNNING',
  );
  const got = await answers({ port }, 20);
  for (const [i, a] of got.entries()) assert.match(a, new RegExp(`^\\d+ blocking hello ${i}$`));
  const pids = new Set(got.map((a) => Number(a.split(' ')[0])));
  const children = new Set(
    [...d.mainLog().matchAll(/spawned: 'web_\d' with pid (\d+)/g)].map((m) => Number(m[1])),
  );
  for (const pid of pids) assert.ok(children.has(pid), `answered by child ${pid}`);
  assert.match(d.mainLog(), new RegExp(`INFO Creating socket tcp://127\\.0\\.0\\.1:${port}`));
  assert.deepEqual(await d.stopAndListLeftovers(), []);
  assert.match(d.mainLog(), new RegExp(`INFO Closing socket tcp://127\\.0\\.0\\.1:${port}`));
  assert.equal(await ask({ port }, 'after'), 'ECONNREFUSED');
});

test('unix: the socket file gets socket_mode, serves the children, and is unlinked when the daemon exits', async () => {
  const d = daemon(
    (dir) =>
      `[fcgi-program:web]\nsocket=unix://${dir}/web.sock\nsocket_mode=0660\ncommand=${fixture('fcgi-answer')}\nstartsecs=0\n`,
  );
  const path = join(d.dir, 'web.sock');
  await eventually(() => d.mainLog().includes('success: web entered RUNNING'), 20_000, 'RUNNING');
  const st = statSync(path);
  assert.ok(st.isSocket());
  assert.equal(st.mode & 0o777, 0o660);
  assert.match(await ask({ path }, 'over unix'), /^\d+ blocking over unix$/);
  assert.deepEqual(await d.stopAndListLeftovers(), []);
  assert.equal(existsSync(path), false);
});

test('a socket that cannot be created: the error is logged and every spawn fails with it as spawnerr', async () => {
  const blocker = net.createServer();
  const port = await new Promise<number>((r) =>
    blocker.listen(0, '127.0.0.1', () => r((blocker.address() as net.AddressInfo).port)),
  );
  cleanups.push(() => new Promise<void>((r) => blocker.close(() => r())));
  const d = daemon(
    () =>
      `[fcgi-program:web]\nsocket=tcp://127.0.0.1:${port}\ncommand=${fixture('fcgi-answer')}\nstartsecs=0\nstartretries=1\n`,
  );
  await eventually(() => d.mainLog().includes('gave up: web entered FATAL state'), 20_000, 'FATAL');
  const message = `Could not create FastCGI socket tcp://127.0.0.1:${port}: [Errno 98] Address already in use`;
  assert.ok(d.mainLog().includes(`ERRO ${message}`));
  assert.ok(d.mainLog().includes(`spawnerr: ${message}`));
  assert.deepEqual(await d.stopAndListLeftovers(), []);
});

test('a unix socket in a missing directory fails with ENOENT, as supervisor says, not the EACCES libuv reports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'svd-fcgi-nodir-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'missing', 'web.sock');
  const outcome = openListeningSocket({ kind: 'unix', path, url: `unix://${path}` }, { backlog: 16 });
  assert.deepEqual(outcome, { ok: false, message: '[Errno 2] No such file or directory' });
});

test('a unix socket path too long for sockaddr_un fails as Python fails it; nothing is bound at a shortened path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'svd-fcgi-long-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const deep = join(dir, 'd'.repeat(120));
  mkdirSync(deep);
  const path = join(deep, 'web.sock');
  const outcome = openListeningSocket({ kind: 'unix', path, url: `unix://${path}` }, { backlog: 16 });
  assert.deepEqual(outcome, { ok: false, message: 'AF_UNIX path too long' });
  assert.deepEqual(readdirSync(dir), ['d'.repeat(120)]);
  assert.deepEqual(readdirSync(deep), []);
});

test('the socket stays open across a child restart and closes (file unlinked) when the group is removed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'svd-fcgi-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'app.sock');
  const logs: string[] = [];
  const sockets = new FcgiSockets({ logger: (level, m) => logs.push(`${level} ${m}`) });
  const engine = new Engine({
    clock: systemClock,
    spawner: tracked(new NodeSpawner({ stdinFor: sockets.stdinFor })),
    logger: (level, m) => logs.push(`${level} ${m}`),
  });
  sockets.attach(engine);
  cleanups.push(() => sockets.closeAll());
  engine.addGroup(
    groupSpec('app', [{ name: 'app', command: fixture('fcgi-answer'), startsecs: 0, autorestart: true }], {
      kind: 'fcgi-program',
      fcgi: { socket: `unix://${path}`, socket_backlog: null, socket_owner: null, socket_mode: '0700' },
    }),
  );
  engine.run();
  await eventually(() => engine.getProcessInfo('app').statename === 'RUNNING', 10_000, 'RUNNING');
  assert.equal(statSync(path).mode & 0o777, 0o700);
  const first = engine.getProcessInfo('app').pid;
  assert.match(await ask({ path }, 'one'), new RegExp(`^${first} blocking one$`));
  process.kill(first, 'SIGKILL');
  await eventually(
    () => {
      const info = engine.getProcessInfo('app');
      return info.statename === 'RUNNING' && info.pid !== first;
    },
    10_000,
    'the successor',
  );
  const second = engine.getProcessInfo('app').pid;
  assert.match(await ask({ path }, 'two'), new RegExp(`^${second} blocking two$`));
  assert.throws(() => engine.sendProcessStdin('app', 'x'), /NO_FILE/);
  await engine.stopProcess('app');
  engine.removeGroup('app');
  assert.equal(existsSync(path), false);
  assert.ok(logs.includes(`info Closing socket unix://${path}`));
});
