// PROCESS_LOG, PROCESS_COMMUNICATION (capture mode) and TICK events on a real daemon, to childutils listeners.
import { afterEach, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { eventually, killAllSpawned } from '../support/cleanup.js';
import {
  PYTHON,
  childutilsTest as test,
  listenerFixture,
  recorderSection,
  startEventDaemon,
  type EventDaemon,
} from '../support/event-daemon.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  // A daemon a failed test left running goes with its children, each in a group of its own.
  killAllSpawned();
  for (const c of cleanups.splice(0)) c();
});

function daemon(body: (dir: string) => string): EventDaemon {
  return startEventDaemon(body, cleanups);
}

test('PROCESS_LOG_STDOUT/STDERR and PROCESS_COMMUNICATION_STDOUT reach listeners with supervisor payloads', async () => {
  const d = daemon(
    (dir) =>
      recorderSection(dir, 'lis', 'PROCESS_LOG,PROCESS_COMMUNICATION') +
      `[program:talker]\ncommand=${PYTHON} ${listenerFixture('communicator.py')}\nstartsecs=0\n` +
      `stdout_events_enabled=true\nstderr_events_enabled=true\nstdout_capture_maxbytes=1MB\n` +
      `stdout_logfile=${dir}/talker.out\n`,
  );
  await eventually(
    () =>
      d.records('lis').some((e) => e.headers['eventname'] === 'PROCESS_COMMUNICATION_STDOUT') &&
      d.records('lis').some((e) => e.headers['eventname'] === 'PROCESS_LOG_STDERR'),
    20_000,
    'log and communication events',
  );
  const got = d.records('lis');
  const comm = got.find((e) => e.headers['eventname'] === 'PROCESS_COMMUNICATION_STDOUT')!;
  const pid = comm.body_headers['pid'];
  assert.match(pid ?? '', /^\d+$/);
  assert.equal(comm.payload, `processname:talker groupname:talker pid:${pid}\ncaptured <b>data</b>`);
  assert.deepEqual(comm.body_headers, { processname: 'talker', groupname: 'talker', pid });
  assert.equal(comm.data, 'captured <b>data</b>');

  const logs = got.filter((e) => e.headers['eventname'] === 'PROCESS_LOG_STDOUT');
  assert.equal(
    logs[0]!.payload,
    `processname:talker groupname:talker pid:${pid} channel:stdout\nplain line\n`,
  );
  // Captured data goes through the logging path too, so PROCESS_LOG carries it (without the tokens).
  assert.ok(logs.some((e) => e.data === 'captured <b>data</b>'));
  const stderr = got.find((e) => e.headers['eventname'] === 'PROCESS_LOG_STDERR')!;
  assert.equal(stderr.payload, `processname:talker groupname:talker pid:${pid} channel:stderr\nto stderr\n`);
  // The log file gets the plain output, not the captured block.
  assert.equal(readFileSync(`${d.dir}/talker.out`, 'utf8'), 'plain line\n');
  assert.deepEqual(await d.stopAndListLeftovers(), []);
});

test('a capture block reaches PROCESS_LOG and the main log as it comes, whole, beyond capture_maxbytes', async () => {
  // Three writes of 25 bytes inside one block, with stdout_capture_maxbytes=30: supervisor's capture buffer keeps
  // the last write for PROCESS_COMMUNICATION, but each write went through its logging path first (as supervisord
  // 4.2.5 sends them: three PROCESS_LOG_STDOUT events, three main log lines, then `emitted a comm event`).
  const pieces = ['0123456789ABCDEFGHIJKLMNO', 'abcdefghijklmnopqrstuvwxy', 'PQRSTUVWXYZpqrstuvwxyz.,;'];
  const script =
    `printf '<!--XSUPERVISOR:BEGIN-->${pieces[0]}'; sleep 0.3; printf '${pieces[1]}'; sleep 0.3; ` +
    `printf '${pieces[2]}<!--XSUPERVISOR:END-->'; sleep 0.3; echo after`;
  const d = daemon(
    (dir) =>
      recorderSection(dir, 'lis', 'PROCESS_LOG,PROCESS_COMMUNICATION') +
      `[program:talker]\ncommand=/bin/sh -c "${script}; exec sleep 100"\nstartsecs=0\n` +
      `stdout_events_enabled=true\nstdout_capture_maxbytes=30\nstdout_logfile=${dir}/talker.out\n`,
  );
  await eventually(
    () => d.records('lis').some((e) => e.data === 'after\n'),
    20_000,
    'the line after the block',
  );
  const got = d.records('lis');
  const logged = got.filter((e) => e.headers['eventname'] === 'PROCESS_LOG_STDOUT').map((e) => e.data);
  assert.deepEqual(logged, [...pieces, 'after\n']);
  const comm = got.filter((e) => e.headers['eventname'] === 'PROCESS_COMMUNICATION_STDOUT');
  assert.deepEqual(
    comm.map((e) => e.data),
    [pieces[2]],
  );
  assert.equal(readFileSync(`${d.dir}/talker.out`, 'utf8'), 'after\n');
  const main = d.mainLog();
  for (const piece of pieces) assert.ok(main.includes(` DEBG 'talker' stdout output:\n${piece}\n`), piece);
  assert.match(main, / DEBG 'talker' stdout emitted a comm event\n/);
  assert.deepEqual(await d.stopAndListLeftovers(), []);
});

test("a listener's stdout_capture_maxbytes does not apply to its stdout: its log keeps the tokens", async () => {
  // supervisord 4.2.5 reads a listener's stdout with its listener dispatcher, which has no capture mode.
  const block = '<!--XSUPERVISOR:BEGIN-->x<!--XSUPERVISOR:END-->';
  const d = daemon(
    (dir) =>
      recorderSection(dir, 'obs', 'PROCESS_COMMUNICATION') +
      `[eventlistener:lis]\ncommand=/bin/sh -c "printf 'READY\\n'; sleep 0.3; printf '${block}'; exec sleep 100"\n` +
      `events=TICK_3600\nstdout_capture_maxbytes=100\nstdout_logfile=${dir}/lis.out\n`,
  );
  await eventually(
    () => existsSync(`${d.dir}/lis.out`) && readFileSync(`${d.dir}/lis.out`, 'utf8') === `READY\n${block}`,
    20_000,
    'the block in the listener log',
  );
  await eventually(() => /lis: READY -> UNKNOWN/.test(d.mainLog()), 20_000, 'the protocol violation');
  assert.deepEqual(d.records('obs'), []);
  assert.doesNotMatch(d.mainLog(), /emitted a comm event/);
  assert.deepEqual(await d.stopAndListLeftovers(), []);
});

test('output starting with a byte order mark keeps it in PROCESS_LOG and the main log, as supervisord sends it', async () => {
  const d = daemon(
    (dir) =>
      recorderSection(dir, 'lis', 'PROCESS_LOG') +
      `[program:bom]\ncommand=/bin/sh -c "printf '\\357\\273\\277bom\\n'; exec sleep 100"\nstartsecs=0\n` +
      `stdout_events_enabled=true\nstdout_logfile=${dir}/bom.out\n`,
  );
  await eventually(() => d.records('lis').length >= 1, 20_000, 'the PROCESS_LOG event');
  const [event] = d.records('lis');
  assert.equal(event!.data, '\ufeffbom\n');
  assert.equal(event!.headers['len'], String([...event!.payload].length));
  assert.ok(d.mainLog().includes(" DEBG 'bom' stdout output:\n\ufeffbom\n"));
  assert.deepEqual(await d.stopAndListLeftovers(), []);
});

test("a listener's own stdout is the protocol: no PROCESS_LOG for it, and its stdout_logfile keeps the raw bytes", async () => {
  const d = daemon((dir) =>
    recorderSection(
      dir,
      'lis',
      'PROCESS_LOG,PROCESS_STATE_RUNNING',
      `stdout_events_enabled=true\nstdout_logfile=${dir}/lis.out`,
    ),
  );
  await eventually(() => d.records('lis').length >= 1, 20_000, 'the RUNNING event');
  await eventually(
    () => readFileSync(`${d.dir}/lis.out`, 'utf8').includes('RESULT 2\nOK'),
    20_000,
    'raw protocol bytes',
  );
  assert.ok(readFileSync(`${d.dir}/lis.out`, 'utf8').startsWith('READY\n'));
  assert.ok(d.records('lis').every((e) => !e.headers['eventname']?.startsWith('PROCESS_LOG')));
  assert.deepEqual(await d.stopAndListLeftovers(), []);
});

test('TICK_5 arrives at a 5-second boundary of the wall clock', async () => {
  const d = daemon((dir) => recorderSection(dir, 'ticker', 'TICK_5'));
  await eventually(() => d.records('ticker').length >= 1, 20_000, 'a TICK_5');
  const tick = d.records('ticker')[0]!;
  assert.equal(tick.headers['eventname'], 'TICK_5');
  const when = Number(tick.body_headers['when']);
  assert.equal(when % 5, 0);
  assert.ok(Math.abs(Date.now() / 1000 - when) < 60);
  assert.equal(tick.payload, `when:${when}`);
  assert.deepEqual(await d.stopAndListLeftovers(), []);
});

it('result_handler=supervisor_stdout:event_handler prints each line of PROCESS_LOG events on the daemon stdout', async () => {
  const d = daemon(
    (dir) =>
      `[eventlistener:stdout]\ncommand=${PYTHON} ${listenerFixture('stdout-echo.py')}\nbuffer_size=100\n` +
      `events=PROCESS_LOG\nresult_handler = supervisor_stdout:event_handler\n` +
      `[program:talker]\ncommand=/bin/sh -c "echo first; echo second; echo oops >&2; exec sleep 1000"\n` +
      `startsecs=0\nstdout_events_enabled=true\nstderr_events_enabled=true\nstdout_logfile=${dir}/talker.out\n`,
  );
  await eventually(
    () =>
      d.run.stdout().includes('talker stderr | oops\n') &&
      d.run.stdout().includes('talker stdout | second\n'),
    20_000,
    'prefixed lines on stdout',
  );
  const printed = d.run
    .stdout()
    .split('\n')
    .filter((l) => l.startsWith('talker '));
  assert.deepEqual(
    printed.filter((l) => l.includes('stdout |')),
    ['talker stdout | first', 'talker stdout | second'],
  );
  assert.deepEqual(
    printed.filter((l) => l.includes('stderr |')),
    ['talker stderr | oops'],
  );
  // The handler prints on the daemon's stdout at once; the main log is written at the end of that turn.
  await eventually(() => /stdout: event was processed/.test(d.mainLog()), 15_000, 'the processed event');
  assert.doesNotMatch(d.mainLog(), /event was rejected|caused an error/);
  assert.deepEqual(await d.stopAndListLeftovers(), []);
});
