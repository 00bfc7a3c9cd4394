// Listeners that talk back over XML-RPC (childutils.getRPCInterface), and REMOTE_COMMUNICATION from
// supervisor.sendRemoteCommEvent, on a real supervisord with its control plane.
import { afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createClient, type XmlRpcClient } from '../../src/client/index.js';
import { eventually, killAllSpawned } from '../support/cleanup.js';
import { fixture } from '../support/real-engine.js';
import {
  PYTHON,
  childutilsTest as test,
  listenerFixture,
  recorderSection,
  startEventDaemon,
  type EventDaemon,
} from '../support/event-daemon.js';

const cleanups: (() => void)[] = [];
const clients: XmlRpcClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  // A daemon a failed test left running goes with its children, each in a group of its own.
  killAllSpawned();
  for (const c of cleanups.splice(0)) c();
});

function daemon(body: (dir: string) => string): EventDaemon {
  return startEventDaemon(body, cleanups, { rpc: true });
}

function client(d: EventDaemon): XmlRpcClient {
  const c = createClient({ serverUrl: d.serverUrl, timeoutMs: 20_000 });
  clients.push(c);
  return c;
}

const notes = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');
const spawns = (d: EventDaemon, name: string): number =>
  (d.mainLog().match(new RegExp(`spawned: '${name}' with pid`, 'g')) ?? []).length;

test('the whole transcript of spec §6.4, with stopProcess and sendRemoteCommEvent over XML-RPC', async () => {
  const d = daemon(
    (dir) =>
      recorderSection(dir, 'lis', 'PROCESS_STATE,REMOTE_COMMUNICATION,PROCESS_GROUP') +
      `[program:p]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n`,
  );
  await eventually(() => d.records('lis').length >= 6, 20_000, 'six events');
  const rpc = client(d);
  assert.equal(await rpc.call('supervisor.stopProcess', ['p']), true);
  assert.equal(await rpc.call('supervisor.sendRemoteCommEvent', ['mytype', 'héllo\nworld']), true);
  await eventually(() => d.records('lis').length >= 9, 20_000, 'nine events');
  const got = d.records('lis');
  const lis = got[0]!.pid;
  const p = got.find((e) => e.headers['eventname'] === 'PROCESS_STATE_RUNNING')?.body_headers['pid'];
  const expected: [string, string][] = [
    ['PROCESS_GROUP_ADDED', 'groupname:lis\n'],
    ['PROCESS_GROUP_ADDED', 'groupname:p\n'],
    ['PROCESS_STATE_STARTING', 'processname:lis groupname:lis from_state:STOPPED tries:0'],
    ['PROCESS_STATE_STARTING', 'processname:p groupname:p from_state:STOPPED tries:0'],
    ['PROCESS_STATE_RUNNING', `processname:p groupname:p from_state:STARTING pid:${p}`],
    ['PROCESS_STATE_RUNNING', `processname:lis groupname:lis from_state:STARTING pid:${lis}`],
    ['PROCESS_STATE_STOPPING', `processname:p groupname:p from_state:RUNNING pid:${p}`],
    ['PROCESS_STATE_STOPPED', `processname:p groupname:p from_state:STOPPING pid:${p}`],
    ['REMOTE_COMMUNICATION', 'type:mytype\nhéllo\nworld'],
  ];
  assert.deepEqual(
    got.map((e) => [e.header, e.payload]),
    expected.map(([name, payload], i) => [
      `ver:3.0 server:supervisor serial:${i} pool:lis poolserial:${i} eventname:${name} len:${[...payload].length}`,
      payload,
    ]),
  );
  // len counts characters: 23 for this 24-byte UTF-8 payload, and childutils read exactly the payload.
  assert.equal(got[8]!.headers['len'], '23');
  assert.deepEqual(await d.stopAndListLeftovers(), []);
});

test('a crashmail-style listener restarts a process that exited unexpectedly, over XML-RPC', async () => {
  const d = daemon(
    (dir) =>
      `[eventlistener:crashmail]\ncommand=${PYTHON} ${listenerFixture('crashmail.py')} ${dir}/notes\n` +
      `events=PROCESS_STATE_EXITED\n` +
      `[program:worker]\ncommand=${fixture('exit-after')} 1500 3\nstartsecs=1\nautorestart=false\nstopasgroup=true\n`,
  );
  await eventually(() => notes(`${d.dir}/notes`).includes('restarted worker:worker'), 30_000, 'a restart');
  await eventually(() => spawns(d, 'worker') >= 2, 20_000, 'a second spawn');
  assert.match(d.mainLog(), /WARN exited: worker \(exit status 3; not expected\)/);
  assert.deepEqual(await d.stopAndListLeftovers(), []);
});

test('a memmon-style listener restarts a process over its RSS limit on TICK_5 with stopProcess/startProcess', async () => {
  const d = daemon(
    (dir) =>
      `[eventlistener:memmon]\ncommand=${PYTHON} ${listenerFixture('memmon.py')} ${dir}/notes 40000\n` +
      `events=TICK_5\n` +
      `[program:hog]\ncommand=${PYTHON} ${listenerFixture('memory-hog.py')} 80\nstartsecs=0\n` +
      `[program:small]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n`,
  );
  await eventually(() => notes(`${d.dir}/notes`).includes('restarted hog:hog'), 30_000, 'a restart of hog');
  await eventually(() => spawns(d, 'hog') >= 2, 20_000, 'hog spawned again');
  const rss = Number(/rss (\d+) KiB/.exec(notes(`${d.dir}/notes`))?.[1]);
  assert.ok(rss > 40000, `hog was over the limit (${rss} KiB)`);
  assert.ok(!notes(`${d.dir}/notes`).includes('small'), 'the small process was left alone');
  assert.equal(spawns(d, 'small'), 1);
  assert.deepEqual(await d.stopAndListLeftovers(), []);
});

test('a listener starts autostart=false programs in order from its handler, waiting for a start or not', async () => {
  // The pattern of the dependency-ordering listeners (supervisord-dependent-startup, ordered-startup-supervisord):
  // options of their own in the program sections, a start at the listener's launch, then each next start from
  // inside the handler of the previous program's RUNNING event; startProcess(name, True) there returns only once
  // that program is RUNNING, while the daemon goes on serving the listener's other calls.
  const program = (name: string) =>
    `[program:${name}]\ncommand=${fixture('sleep-forever')}\nautostart=false\nstartsecs=1\nstartinorder=true\n`;
  const d = daemon(
    (dir) =>
      `[eventlistener:order]\ncommand=${PYTHON} ${listenerFixture('start-in-order.py')} ${dir}/notes db cache app worker\n` +
      `events=PROCESS_STATE\n` +
      ['db', 'cache', 'app', 'worker'].map(program).join(''),
  );
  await eventually(() => notes(`${d.dir}/notes`).includes('started worker'), 30_000, 'the last start');
  assert.deepEqual(notes(`${d.dir}/notes`).trim().split('\n'), [
    'started db',
    'started cache after db (wait=True, then RUNNING)',
    'started app after cache (wait=False, then STARTING)',
    'started worker after app (wait=True, then RUNNING)',
  ]);
  const log = d.mainLog();
  const at = (line: string) => {
    const i = log.indexOf(line);
    assert.ok(i >= 0, `${line} in the main log`);
    return i;
  };
  for (const [before, after] of [
    ['db', 'cache'],
    ['cache', 'app'],
    ['app', 'worker'],
  ] as const) {
    assert.ok(
      at(`success: ${before} entered RUNNING state`) < at(`spawned: '${after}' with pid`),
      `${after} after ${before}`,
    );
  }
  assert.match(log, /unknown option 'startinorder' in \[program:db\] is ignored/);
  assert.deepEqual(await d.stopAndListLeftovers(), []);
});

test('a shell one-liner listener ends the daemon on PROCESS_STATE_FATAL with SIGQUIT to its parent', async () => {
  // The listener of many container images, `printf 'READY\n' && while read line; do kill -SIGQUIT $PPID; done`
  // (under bash: dash's kill takes QUIT, not SIGQUIT). Its parent must be the daemon itself, which then stops
  // everything and exits 0, as supervisord does.
  const d = daemon(
    () =>
      `[eventlistener:quit]\ncommand=bash -c "printf 'READY\\n' && while read line; do kill -SIGQUIT $PPID; done < /dev/stdin"\n` +
      `events=PROCESS_STATE_FATAL\n` +
      `[program:broken]\ncommand=${fixture('exit-after')} 0 1\nstartsecs=1\nstartretries=0\n` +
      `[program:bystander]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n`,
  );
  const exit = await Promise.race([
    d.run.exited,
    new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000).unref()),
  ]);
  assert.deepEqual(exit, { code: 0, signal: null });
  const log = d.mainLog();
  assert.match(log, /gave up: broken entered FATAL state/);
  assert.match(log, /WARN received SIGQUIT indicating exit request/);
  assert.match(log, /stopped: bystander \(terminated by SIGTERM\)/);
  assert.ok(
    log.indexOf('gave up: broken') < log.indexOf('received SIGQUIT'),
    'the quit came after the FATAL',
  );
});
