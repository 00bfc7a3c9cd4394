import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../engine/engine.js';
import type { EventTypeName } from '../model/event-types.js';
import type { ProcessSpec } from '../model/config.js';
import { ManualClock, UNTIMED_PACE } from '../../test/support/manual-clock.js';
import { FakeSpawner, type FakeChild } from '../../test/support/fake-spawner.js';
import { groupSpec, programGroup, type ProcessOverrides } from '../../test/support/specs.js';
import { EventBus } from './event-bus.js';

function setup(
  events: EventTypeName[],
  listeners: readonly ProcessOverrides[] = [{ name: 'lis' }],
  bufferSize = 10,
) {
  const clock = new ManualClock(Date.UTC(2024, 0, 1, 0, 0, 1));
  const fake = new FakeSpawner();
  const lines: string[] = [];
  const logger = (level: string, message: string) => lines.push(`${level} ${message}`);
  const bus = new EventBus({ clock, logger });
  const engine = new Engine({ pace: UNTIMED_PACE, clock, spawner: bus.wrapSpawner(fake), logger });
  bus.attach(engine);
  const pool = groupSpec('lis', listeners, {
    kind: 'eventlistener',
    priority: -1,
    eventlistener: {
      events: events as [EventTypeName, ...EventTypeName[]],
      buffer_size: bufferSize,
      result_handler: 'supervisor.dispatchers:default_handler',
    },
  });
  /** Every event the listener got so far: header line `||` payload. */
  const received = (child: FakeChild) =>
    Buffer.concat(child.stdin)
      .toString()
      .split(/(?=ver:3\.0 )/)
      .filter((s) => s.length > 0)
      .map((s) => s.replace('\n', ' || '));
  /** Acts as childutils' listener loop: ready, then OK every event so far. */
  const answerAll = (child: FakeChild, already: number) => {
    for (let i = already; i < child.stdin.length; i++) child.output('stdout', 'RESULT 2\nOKREADY\n');
  };
  /** The pool added and the engine run; `lis` says `greeting` and is past its startsecs (1 s). */
  const startListener = (greeting: string) => {
    engine.addGroup(pool);
    engine.run();
    const lis = fake.last('lis');
    lis.output('stdout', greeting);
    clock.advance(1500);
    return lis;
  };
  return { clock, fake, bus, engine, pool, lines, received, answerAll, startListener };
}

test('the transcript of spec §6.4: buffered events reach the listener in creation order, serials from 0', () => {
  const t = setup(['PROCESS_STATE', 'REMOTE_COMMUNICATION', 'PROCESS_GROUP']);
  t.engine.addGroup(t.pool);
  t.engine.addGroup(programGroup({ name: 'p', startsecs: 0 }));
  t.engine.run();
  const lis = t.fake.last('lis');
  lis.output('stdout', 'READY\n');
  assert.equal(lis.stdin.length, 0, 'nothing is sent before the listener is RUNNING');
  t.clock.advance(1500);
  // One event per READY: answer until the buffer is drained.
  for (let sent = 0; sent < lis.stdin.length; sent++) lis.output('stdout', 'RESULT 2\nOKREADY\n');
  void t.engine.stopProcess('p');
  t.bus.emitRemoteCommunication('mytype', 'héllo\nworld');
  for (let sent = 6; sent < lis.stdin.length; sent++) lis.output('stdout', 'RESULT 2\nOKREADY\n');
  const p = t.fake.last('p').pid;
  const head = (serial: number, name: string, len: number) =>
    `ver:3.0 server:supervisor serial:${serial} pool:lis poolserial:${serial} eventname:${name} len:${len}`;
  assert.deepEqual(t.received(lis), [
    `${head(0, 'PROCESS_GROUP_ADDED', 14)} || groupname:lis\n`,
    `${head(1, 'PROCESS_GROUP_ADDED', 12)} || groupname:p\n`,
    `${head(2, 'PROCESS_STATE_STARTING', 56)} || processname:lis groupname:lis from_state:STOPPED tries:0`,
    `${head(3, 'PROCESS_STATE_STARTING', 52)} || processname:p groupname:p from_state:STOPPED tries:0`,
    `${head(4, 'PROCESS_STATE_RUNNING', 55 - 5 + String(p).length)} || processname:p groupname:p from_state:STARTING pid:${p}`,
    `${head(5, 'PROCESS_STATE_RUNNING', 59 - 5 + String(lis.pid).length)} || processname:lis groupname:lis from_state:STARTING pid:${lis.pid}`,
    `${head(6, 'PROCESS_STATE_STOPPING', 54 - 5 + String(p).length)} || processname:p groupname:p from_state:RUNNING pid:${p}`,
    `${head(7, 'PROCESS_STATE_STOPPED', 55 - 5 + String(p).length)} || processname:p groupname:p from_state:STOPPING pid:${p}`,
    `${head(8, 'REMOTE_COMMUNICATION', 23)} || type:mytype\nhéllo\nworld`,
  ]);
  assert.ok(t.lines.includes('debug event 0 sent to listener lis'));
  assert.ok(t.lines.includes('debug lis: event was processed'));
  assert.equal(t.bus.listenerState('lis', 'lis'), 'READY');
});

test('a subscription to a supertype receives its subtypes only; unwanted events use no serial', () => {
  const t = setup(['PROCESS_GROUP']);
  t.engine.addGroup(t.pool);
  t.engine.run();
  t.bus.emitRemoteCommunication('x', 'y');
  t.engine.addGroup(programGroup({ name: 'p', autostart: false }));
  const lis = t.fake.last('lis');
  lis.output('stdout', 'READY\n');
  t.clock.advance(1500);
  lis.output('stdout', 'RESULT 2\nOKREADY\n');
  const got = t.received(lis);
  assert.equal(got.length, 2);
  assert.match(got[0]!, /serial:0 .*eventname:PROCESS_GROUP_ADDED/);
  assert.match(got[1]!, /serial:1 .*eventname:PROCESS_GROUP_ADDED .*groupname:p/);
});

test('a full buffer drops its oldest event with supervisor error line', () => {
  const t = setup(['PROCESS_GROUP', 'REMOTE_COMMUNICATION'], undefined, 2);
  t.engine.addGroup(t.pool);
  for (const n of ['a', 'b', 'c']) t.bus.emitRemoteCommunication(n, '');
  assert.ok(t.lines.includes('error pool lis event buffer overflowed, discarding event 0'));
  assert.ok(t.lines.includes('error pool lis event buffer overflowed, discarding event 1'));
  assert.equal(t.bus.buffered('lis'), 2);
});

test('FAIL re-queues the event at the head: it comes back with the same serial and poolserial', () => {
  const t = setup(['REMOTE_COMMUNICATION']);
  t.engine.addGroup(t.pool);
  t.engine.run();
  t.bus.emitRemoteCommunication('one', '1');
  t.bus.emitRemoteCommunication('two', '2');
  const lis = t.fake.last('lis');
  lis.output('stdout', 'READY\n');
  t.clock.advance(1500);
  lis.output('stdout', 'RESULT 4\nFAILREADY\n');
  lis.output('stdout', 'RESULT 2\nOKREADY\n');
  const got = t.received(lis).map((s) => s.replace(/ len:\d+/, ''));
  assert.deepEqual(got, [
    'ver:3.0 server:supervisor serial:0 pool:lis poolserial:0 eventname:REMOTE_COMMUNICATION || type:one\n1',
    'ver:3.0 server:supervisor serial:0 pool:lis poolserial:0 eventname:REMOTE_COMMUNICATION || type:one\n1',
    'ver:3.0 server:supervisor serial:1 pool:lis poolserial:1 eventname:REMOTE_COMMUNICATION || type:two\n2',
  ]);
  assert.ok(t.lines.includes('warn lis: event was rejected'));
});

test('a listener that exits while BUSY: its event goes to the next listener of the pool, else to its successor', () => {
  const t = setup(
    ['REMOTE_COMMUNICATION'],
    [
      { name: 'lis_0', autorestart: true },
      { name: 'lis_1', autorestart: true },
    ],
  );
  t.engine.addGroup(t.pool);
  t.engine.run();
  const first = t.fake.last('lis_0');
  const second = t.fake.last('lis_1');
  first.output('stdout', 'READY\n');
  t.clock.advance(1500);
  t.bus.emitRemoteCommunication('job', 'x');
  assert.equal(first.stdin.length, 1);
  assert.equal(t.bus.listenerState('lis', 'lis_0'), 'BUSY');
  first.kill('SIGKILL');
  second.output('stdout', 'READY\n');
  assert.equal(second.stdin.length, 1, 'the re-queued event goes to the other READY listener');
  assert.equal(first.stdin[0]!.toString(), second.stdin[0]!.toString());
});

test('PROCESS_LOG and PROCESS_COMMUNICATION carry the pid of the child that wrote', () => {
  const t = setup(['PROCESS_LOG', 'PROCESS_COMMUNICATION']);
  t.engine.addGroup(t.pool);
  const spec: ProcessSpec = programGroup({ name: 'p', stdout_events_enabled: true }).processes[0]!;
  t.engine.addGroup(programGroup({ name: 'p', stdout_events_enabled: true }));
  t.engine.run();
  const p = t.fake.last('p');
  t.bus.onLogged(spec, 'stdout', Buffer.from('hello\n'));
  t.bus.onLogged({ ...spec, stderr_events_enabled: false }, 'stderr', Buffer.from('not sent\n'));
  // The channel log hands a block's bytes to onLogged as they come, then the whole block to onCapture.
  t.bus.onLogged(spec, 'stdout', Buffer.from('<comm/>'));
  t.bus.onCapture(spec, 'stdout', Buffer.from('<comm/>'));
  const lis = t.fake.last('lis');
  lis.output('stdout', 'READY\n');
  t.clock.advance(1500);
  t.answerAll(lis, 0);
  const bodies = t.received(lis).map((s) => s.replace(/^.*eventname:(\S+) len:\d+ \|\| /s, '$1 '));
  assert.deepEqual(bodies, [
    `PROCESS_LOG_STDOUT processname:p groupname:p pid:${p.pid} channel:stdout\nhello\n`,
    `PROCESS_LOG_STDOUT processname:p groupname:p pid:${p.pid} channel:stdout\n<comm/>`,
    `PROCESS_COMMUNICATION_STDOUT processname:p groupname:p pid:${p.pid}\n<comm/>`,
  ]);
});

test('TICK timers are armed only while a pool subscribes, and fire at wall-clock boundaries', () => {
  const t = setup(['TICK_5']);
  assert.deepEqual(t.bus.tickPeriods, []);
  t.engine.addGroup(t.pool);
  assert.deepEqual(t.bus.tickPeriods, [5]);
  t.engine.run();
  const lis = t.fake.last('lis');
  lis.output('stdout', 'READY\n');
  t.clock.advance(1500);
  t.clock.advance(10_000);
  t.answerAll(lis, 0);
  const start = Date.UTC(2024, 0, 1, 0, 0, 1) / 1000;
  const bodies = t.received(lis).map((s) => s.replace(/^.* \|\| /, ''));
  assert.deepEqual(bodies, [`when:${start + 4}`, `when:${start + 9}`]);
  void t.engine.stopProcess('lis');
  t.clock.advance(100);
  t.engine.removeGroup('lis');
  assert.deepEqual(t.bus.tickPeriods, []);
  t.bus.close();
});

test('a lone listener killed while BUSY gets the same event again once its successor is RUNNING and READY', () => {
  const t = setup(['REMOTE_COMMUNICATION'], [{ name: 'lis', autorestart: true }]);
  const first = t.startListener('READY\n');
  t.bus.emitRemoteCommunication('job', 'x');
  first.kill('SIGKILL');
  const successor = t.fake.last('lis');
  assert.notEqual(successor.pid, first.pid);
  successor.output('stdout', 'READY\n');
  assert.equal(successor.stdin.length, 0, 'not before RUNNING');
  t.clock.advance(1500);
  assert.equal(successor.stdin.length, 1);
  assert.equal(successor.stdin[0]!.toString(), first.stdin[0]!.toString());
  assert.match(successor.stdin[0]!.toString(), /^ver:3\.0 server:supervisor serial:0 pool:lis poolserial:0 /);
});

test('a listener in UNKNOWN gets no events; the pool buffers them for a healthy listener', () => {
  const t = setup(['REMOTE_COMMUNICATION']);
  const lis = t.startListener('hello\n');
  t.bus.emitRemoteCommunication('job', 'x');
  assert.equal(t.bus.listenerState('lis', 'lis'), 'UNKNOWN');
  assert.equal(lis.stdin.length, 0);
  assert.equal(t.bus.buffered('lis'), 1);
  assert.ok(t.lines.some((l) => l.startsWith('warn lis: has entered the UNKNOWN state')));
});

test("a listener that is stopped gets none of its own stop's events: they wait for its successor", async () => {
  const t = setup(['PROCESS_STATE']);
  const first = t.startListener('READY\n');
  t.answerAll(first, 0);
  const before = first.stdin.length;
  const stopped = t.engine.stopProcess('lis');
  first.kill('SIGTERM');
  await stopped;
  assert.equal(first.stdin.length, before, 'nothing sent once the listener is leaving RUNNING');
  assert.equal(t.bus.buffered('lis'), 2);
  void t.engine.startProcess('lis', false);
  const successor = t.fake.last('lis');
  successor.output('stdout', 'READY\n');
  t.clock.advance(1500);
  t.answerAll(successor, 0);
  assert.deepEqual(
    t.received(successor).map((e) => e.replace(/^.* eventname:(\S+) .*? \|\| processname:lis .*$/, '$1')),
    ['PROCESS_STATE_STOPPING', 'PROCESS_STATE_STOPPED', 'PROCESS_STATE_STARTING', 'PROCESS_STATE_RUNNING'],
  );
});

test("the wrapped spawner passes on the child's onSignalFailed: a stop's queued signal that fails is heard", async () => {
  // Without it the spawner could not queue a stop's signal (it sends at once where it has nowhere to tell a
  // later failure), and a failure told later would reach no one: the process would stay STOPPING.
  const t = setup(['PROCESS_STATE']);
  t.engine.addGroup(programGroup({ name: 'web', startsecs: 0 }));
  t.engine.run();
  const web = t.fake.last('web');
  web.signalsFail = 'EPERM';
  const stopping = t.engine.stopProcess('web');
  await Promise.resolve();
  assert.equal(t.engine.getProcessInfo('web').statename, 'STOPPING');
  web.tellSignalFailures();
  await assert.rejects(stopping, /FAILED/);
  assert.equal(t.engine.getProcessInfo('web').statename, 'UNKNOWN');
});
