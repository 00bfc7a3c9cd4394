// Event listeners on a real daemon: supervisor's wire protocol with Python listeners using supervisor.childutils.
import { afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, killAllSpawned } from '../support/cleanup.js';
import { fixture } from '../support/real-engine.js';
import {
  childutilsTest as test,
  recorderSection,
  startEventDaemon,
  type EventDaemon,
} from '../support/event-daemon.js';

const cleanups: (() => void)[] = [];
afterEach(async () => {
  // A daemon a failed test left running goes with its children, each in a group of its own.
  killAllSpawned();
  for (const c of cleanups.splice(0)) c();
});

function daemon(body: (dir: string) => string): EventDaemon {
  return startEventDaemon(body, cleanups);
}

/** Stops the daemon and checks that it left no process behind. */
async function stopClean(d: EventDaemon): Promise<void> {
  assert.deepEqual(await d.stopAndListLeftovers(), []);
  assert.equal(d.run.child.exitCode, 0);
}

test('the transcript of spec §6.4: headers and payloads in creation order, own STARTING/RUNNING included', async () => {
  const d = daemon(
    (dir) =>
      recorderSection(dir, 'lis', 'PROCESS_STATE,PROCESS_GROUP') +
      `[program:p]\ncommand=${fixture('exit-after')} 3000 0\nstartsecs=0\nautorestart=false\n`,
  );
  await eventually(() => d.records('lis').length >= 7, 20_000, 'seven events');
  const got = d.records('lis');
  const lisPid = got[0]!.pid;
  const pPid = got.find((e) => e.headers['eventname'] === 'PROCESS_STATE_RUNNING')?.body_headers['pid'];
  assert.ok(pPid);
  const head = (serial: number, name: string, payload: string) =>
    `ver:3.0 server:supervisor serial:${serial} pool:lis poolserial:${serial} eventname:${name} len:${[...payload].length}`;
  const expected: [string, string][] = [
    ['PROCESS_GROUP_ADDED', 'groupname:lis\n'],
    ['PROCESS_GROUP_ADDED', 'groupname:p\n'],
    ['PROCESS_STATE_STARTING', 'processname:lis groupname:lis from_state:STOPPED tries:0'],
    ['PROCESS_STATE_STARTING', 'processname:p groupname:p from_state:STOPPED tries:0'],
    ['PROCESS_STATE_RUNNING', `processname:p groupname:p from_state:STARTING pid:${pPid}`],
    ['PROCESS_STATE_RUNNING', `processname:lis groupname:lis from_state:STARTING pid:${lisPid}`],
    ['PROCESS_STATE_EXITED', `processname:p groupname:p from_state:RUNNING expected:1 pid:${pPid}`],
  ];
  assert.deepEqual(
    got.slice(0, 7).map((e) => [e.header, e.payload]),
    expected.map(([name, payload], i) => [head(i, name, payload), payload]),
  );
  assert.match(d.mainLog(), /DEBG event 0 sent to listener lis/);
  assert.match(d.mainLog(), /DEBG lis: ACKNOWLEDGED -> READY/);
  await stopClean(d);
});

test("at loglevel=debug a listener's stdout reads are logged as supervisor's bytes repr, other output as text", async () => {
  const d = daemon(
    (dir) =>
      recorderSection(dir, 'lis', 'PROCESS_STATE_EXITED') +
      `[program:p]\ncommand=/bin/echo hello\nstartsecs=0\nautorestart=false\n`,
  );
  await eventually(() => d.records('lis').length >= 1, 20_000, 'the exit event');
  // childutils writes READY, then RESULT 2 and OK in one write followed by the next READY: each read is one line.
  await eventually(
    () => /DEBG 'lis' stdout output:\nb'RESULT 2\\nOK/.test(d.mainLog()),
    20_000,
    'the result',
  );
  const main = d.mainLog();
  assert.match(main, /DEBG 'lis' stdout output:\nb'READY\\n'\n/);
  assert.doesNotMatch(main, /DEBG 'lis' stdout output:\nREADY\n/);
  assert.match(main, /DEBG 'p' stdout output:\nhello\n\n/);
  await stopClean(d);
});

test('supertypes: a PROCESS_STATE pool gets every state event, a PROCESS_STATE_EXITED pool only exits; one serial', async () => {
  const d = daemon(
    (dir) =>
      recorderSection(dir, 'all', 'PROCESS_STATE') +
      recorderSection(dir, 'exits', 'PROCESS_STATE_EXITED') +
      `[program:p]\ncommand=${fixture('exit-after')} 1500 3\nstartsecs=0\nautorestart=false\n`,
  );
  await eventually(
    () => d.records('exits').length >= 1 && d.records('all').some((e) => e.payload.includes('expected:0')),
    20_000,
    'the exit in both pools',
  );
  const exits = d.records('exits');
  assert.ok(exits.every((e) => e.headers['eventname'] === 'PROCESS_STATE_EXITED'));
  const inAll = d.records('all').find((e) => e.headers['eventname'] === 'PROCESS_STATE_EXITED');
  assert.equal(exits[0]!.headers['serial'], inAll?.headers['serial'], 'the same global serial in both pools');
  assert.equal(exits[0]!.headers['poolserial'], '0', 'its first event in the exits pool');
  assert.deepEqual([...new Set(d.records('all').map((e) => e.headers['eventname']))].sort(), [
    'PROCESS_STATE_EXITED',
    'PROCESS_STATE_RUNNING',
    'PROCESS_STATE_STARTING',
  ]);
  assert.equal(exits[0]!.body_headers['expected'], '0');
  await stopClean(d);
});

test('a buffer_size=2 pool loses its oldest events before the listener is up, with supervisor error line', async () => {
  const programs = ['a', 'b', 'c', 'd']
    .map((n) => `[program:${n}]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n`)
    .join('');
  const d = daemon(
    (dir) => recorderSection(dir, 'lis', 'PROCESS_STATE_RUNNING', 'buffer_size=2\nstartsecs=1') + programs,
  );
  await eventually(() => d.records('lis').length >= 2, 20_000, 'two events');
  assert.match(d.mainLog(), /ERRO pool lis event buffer overflowed, discarding event 0\n/);
  const serials = d.records('lis').map((e) => Number(e.headers['serial']));
  assert.ok(serials[0]! >= 2, `oldest events were discarded: got ${serials.join(',')}`);
  // The survivors are the newest two, in order: the listener's own RUNNING is the last event.
  assert.equal(d.records('lis')[1]!.body_headers['processname'], 'lis');
  await stopClean(d);
});

test('FAIL: the event is rejected and delivered again with the same serial and poolserial', async () => {
  const d = daemon(
    (dir) =>
      recorderSection(dir, 'lis', 'PROCESS_STATE_RUNNING', '', 'fail-once') +
      `[program:p]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n`,
  );
  await eventually(() => d.records('lis').length >= 4, 20_000, 'two events, twice each');
  const got = d.records('lis').slice(0, 4);
  assert.equal(got[0]!.header, got[1]!.header);
  assert.equal(got[2]!.header, got[3]!.header);
  assert.notEqual(got[0]!.headers['serial'], got[2]!.headers['serial']);
  // The event may go out again in the turn that logged the rejection, before that turn writes the main log.
  await eventually(() => /WARN lis: event was rejected/.test(d.mainLog()), 15_000, 'the rejection');
  await stopClean(d);
});

test('a listener killed while BUSY: its successor gets the same event (same serial and poolserial)', async () => {
  const d = daemon(
    (dir) =>
      recorderSection(dir, 'lis', 'PROCESS_STATE_RUNNING', 'autorestart=true', `hang-first ${dir}/hung`) +
      `[program:p]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n`,
  );
  await eventually(() => d.records('lis').length >= 1, 20_000, 'the first event');
  const first = d.records('lis')[0]!;
  process.kill(first.pid, 'SIGKILL');
  await eventually(() => d.records('lis').some((e) => e.pid !== first.pid), 20_000, 'the successor');
  const again = d.records('lis').find((e) => e.pid !== first.pid)!;
  assert.equal(again.header, first.header);
  assert.equal(again.payload, first.payload);
  await stopClean(d);
});

test('a listener announcing a result over 16 MiB goes UNKNOWN at once; its successor gets the same event', async () => {
  const d = daemon(
    (dir) =>
      recorderSection(
        dir,
        'lis',
        'PROCESS_STATE_RUNNING',
        'autorestart=true',
        `endless-first ${dir}/endless`,
      ) + `[program:p]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n`,
  );
  await eventually(() => d.records('lis').length >= 1, 20_000, 'the first event');
  // supervisor would collect the 999999999999 bytes (and the daemon's memory with them) for as long as they come.
  await eventually(
    () => /WARN lis: result of 999999999999 bytes refused \(limit 16777216\)\n/.test(d.mainLog()),
    20_000,
    'the refusal',
  );
  assert.match(d.mainLog(), /WARN lis: has entered the UNKNOWN state/);
  const first = d.records('lis')[0]!;
  process.kill(first.pid, 'SIGKILL');
  await eventually(() => d.records('lis').some((e) => e.pid !== first.pid), 20_000, 'the successor');
  const again = d.records('lis').find((e) => e.pid !== first.pid)!;
  assert.equal(again.header, first.header);
  await stopClean(d);
});

test('SIGHUP that rebuilds a pool: the new pool counts poolserial from 0 again, the global serial carries on', async () => {
  const d = daemon((dir) => recorderSection(dir, 'lis', 'PROCESS_GROUP'));
  await eventually(() => d.records('lis').length >= 1, 20_000, 'the first event');
  const before = d.records('lis');
  // svd's SIGHUP is the minimal update: a pool is rebuilt when its own settings change.
  const conf = join(d.dir, 'sd.conf');
  writeFileSync(
    conf,
    readFileSync(conf, 'utf8').replace('events=PROCESS_GROUP', 'events=PROCESS_GROUP\nbuffer_size=11'),
  );
  d.run.child.kill('SIGHUP');
  await eventually(() => d.records('lis').some((e) => e.pid !== before[0]!.pid), 20_000, 'the new listener');
  const after = d.records('lis').filter((e) => e.pid !== before[0]!.pid);
  assert.equal(after[0]!.headers['poolserial'], '0');
  assert.equal(after[0]!.payload, 'groupname:lis\n');
  assert.ok(Number(after[0]!.headers['serial']) > Number(before.at(-1)!.headers['serial']));
  await stopClean(d);
});
