import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, MAX_STDIN_BACKLOG_BYTES } from './engine.js';
import type { EngineEvent, ProcessStateEvent } from './events.js';
import { processStatePayload } from './events.js';
import { isSvdError } from './errors.js';
import { ManualClock, UNTIMED_PACE } from '../../test/support/manual-clock.js';
import { FakeSpawner } from '../../test/support/fake-spawner.js';
import { groupSpec, programGroup, type ProcessOverrides } from '../../test/support/specs.js';

function setup(...programs: ProcessOverrides[]) {
  const clock = new ManualClock();
  const spawner = new FakeSpawner();
  const lines: string[] = [];
  const engine = new Engine({
    pace: UNTIMED_PACE,
    clock,
    spawner,
    logger: (level, message) => lines.push(`${level} ${message}`),
  });
  const events: EngineEvent[] = [];
  engine.subscribe((e) => events.push(e));
  for (const p of programs) engine.addGroup(programGroup(p));
  const states = (name: string) =>
    events
      .filter((e): e is ProcessStateEvent => e.type === 'process-state' && e.name === name)
      .map((e) => e.to);
  return { clock, spawner, engine, events, lines, states };
}

async function rejectsWith(p: Promise<unknown>, faultString: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => isSvdError(e) && e.faultString === faultString);
}

test('start all answers first for what is known at once (startsecs=0, a fault), then for what it waited on, as supervisor', async () => {
  const { clock, spawner, engine } = setup(
    { name: 'a-slow', startsecs: 1, autostart: false },
    { name: 'b-quick', startsecs: 0, autostart: false },
    { name: 'c-missing', autostart: false },
    { name: 'd-quick', startsecs: 0, autostart: false },
  );
  engine.run();
  spawner.checks.set('c-missing', { ok: false, fault: 'NO_FILE', message: "can't find command 'x'" });
  const all = engine.startAllProcesses();
  while (engine.getProcessInfo('a-slow').statename !== 'STARTING') await Promise.resolve();
  clock.advance(1001);
  assert.deepEqual(
    (await all).map((r) => `${r.name} ${r.status}`),
    ['b-quick 80', 'c-missing 20', 'd-quick 80', 'a-slow 80'],
  );
});

test('run() autostarts; STARTING -> RUNNING once startsecs has passed', () => {
  const { clock, engine, states, lines } = setup({ name: 'web' }, { name: 'off', autostart: false });
  engine.run();
  assert.equal(engine.getProcessInfo('web').statename, 'STARTING');
  assert.equal(engine.getProcessInfo('off').statename, 'STOPPED');
  clock.advance(1000);
  assert.equal(engine.getProcessInfo('web').statename, 'STARTING');
  clock.advance(1);
  assert.deepEqual(states('web'), ['STARTING', 'RUNNING']);
  assert.ok(lines.includes("info spawned: 'web' with pid 1000"));
  assert.ok(
    lines.includes(
      'info success: web entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)',
    ),
  );
  const info = engine.getProcessInfo('web');
  assert.equal(info.pid, 1000);
  assert.equal(info.description, 'pid 1000, uptime 0:00:01');
});

test('an unexpected exit from RUNNING restarts at once; an expected one does not', () => {
  const { clock, spawner, engine, states } = setup({ name: 'web' });
  engine.run();
  clock.advance(1001);
  spawner.last('web').exit(0);
  assert.equal(engine.getProcessInfo('web').statename, 'EXITED');
  assert.equal(spawner.spawnCount('web'), 1);
  engine.startProcess('web', false);
  clock.advance(1001);
  spawner.last('web').exit(2);
  assert.equal(spawner.spawnCount('web'), 2 + 1);
  assert.deepEqual(states('web').slice(-3), ['RUNNING', 'EXITED', 'STARTING']);
});

test('a run shorter than a second is restarted a second after its start, by the policy in force then', () => {
  const { clock, spawner, engine } = setup({ name: 'loop', startsecs: 0, autorestart: true });
  engine.run();
  clock.advance(300);
  spawner.last('loop').exit(0);
  assert.equal(engine.getProcessInfo('loop').statename, 'EXITED');
  clock.advance(699);
  assert.equal(spawner.spawnCount('loop'), 1, 'not before a second after the start');
  clock.advance(1);
  assert.equal(spawner.spawnCount('loop'), 2);
  assert.equal(engine.getProcessInfo('loop').statename, 'RUNNING');
  // An update while the restart waits: the policy it finds is the one that counts.
  spawner.last('loop').exit(0);
  const current = engine.groupSpecs()[0]?.processes[0];
  assert.ok(current);
  engine.updateProcessSpec({ ...current, autorestart: false });
  clock.advance(5000);
  assert.equal(spawner.spawnCount('loop'), 2);
  assert.equal(engine.getProcessInfo('loop').statename, 'EXITED');
});

test('quick exits back off 1 s, 2 s, 3 s and go FATAL after startretries + 1 attempts', () => {
  const { clock, spawner, engine, events } = setup({ name: 'bad' });
  engine.run();
  for (let attempt = 1; attempt <= 4; attempt++) {
    assert.equal(spawner.spawnCount('bad'), attempt);
    spawner.last('bad').exit(1);
    if (attempt < 4) {
      assert.equal(engine.getProcessInfo('bad').statename, 'BACKOFF');
      clock.advance(attempt * 1000 - 1);
      assert.equal(spawner.spawnCount('bad'), attempt, 'no retry before the delay');
      clock.advance(1);
    }
  }
  const info = engine.getProcessInfo('bad');
  assert.equal(info.statename, 'FATAL');
  assert.equal(info.description, 'Exited too quickly (process log may have details)');
  clock.advance(60_000);
  assert.equal(spawner.spawnCount('bad'), 4, 'FATAL is never retried automatically');
  const payloads = events
    .filter((e): e is ProcessStateEvent => e.type === 'process-state')
    .map(processStatePayload)
    .slice(-3);
  assert.deepEqual(payloads, [
    'processname:bad groupname:bad from_state:BACKOFF tries:3',
    'processname:bad groupname:bad from_state:STARTING tries:4',
    'processname:bad groupname:bad from_state:BACKOFF',
  ]);
});

test('startProcess waits for RUNNING, or fails with SPAWN_ERROR when the process exits too quickly', async () => {
  const { clock, spawner, engine } = setup(
    { name: 'web', autostart: false },
    { name: 'bad', autostart: false },
  );
  engine.run();
  const started = engine.startProcess('web');
  clock.advance(1001);
  assert.equal(await started, true);
  const failing = engine.startProcess('bad');
  await Promise.resolve();
  spawner.last('bad').exit(0);
  await rejectsWith(failing, 'SPAWN_ERROR: bad');
  await rejectsWith(engine.startProcess('web'), 'ALREADY_STARTED: web');
  await rejectsWith(engine.startProcess('nope'), 'BAD_NAME: nope');
});

test('startProcess pre-flight: NO_FILE and NOT_EXECUTABLE leave the state alone; spawn errors are SPAWN_ERROR', async () => {
  const { spawner, engine } = setup(
    { name: 'a', autostart: false },
    { name: 'b', autostart: false },
    { name: 'c', autostart: false },
  );
  engine.run();
  spawner.checks.set('a', { ok: false, fault: 'NO_FILE', message: "can't find command 'nope'" });
  spawner.checks.set('b', {
    ok: false,
    fault: 'NOT_EXECUTABLE',
    message: "command at '/tmp' is a directory",
  });
  spawner.failures.set('c', "Too many processes in process table to spawn 'c'");
  await rejectsWith(engine.startProcess('a'), "NO_FILE: can't find command 'nope'");
  await rejectsWith(engine.startProcess('b'), "NOT_EXECUTABLE: command at '/tmp' is a directory");
  assert.equal(engine.getProcessInfo('a').statename, 'STOPPED');
  await rejectsWith(engine.startProcess('c'), 'SPAWN_ERROR: c');
  assert.equal(engine.getProcessInfo('c').statename, 'BACKOFF');
  assert.equal(engine.getProcessInfo('c').spawnerr, "Too many processes in process table to spawn 'c'");
});

test('stop escalates to SIGKILL after stopwaitsecs, to the process group with stopasgroup', async () => {
  const { clock, spawner, engine, lines } = setup({ name: 'stubborn', stopasgroup: true, stopwaitsecs: 5 });
  spawner.ignoreByDefault.add('SIGTERM');
  engine.run();
  clock.advance(1001);
  const stopping = engine.stopProcess('stubborn');
  await Promise.resolve();
  assert.equal(engine.getProcessInfo('stubborn').statename, 'STOPPING');
  clock.advance(4999);
  assert.deepEqual(spawner.last('stubborn').signals, [{ signal: 'SIGTERM', group: true }]);
  clock.advance(1);
  assert.equal(await stopping, true);
  assert.deepEqual(spawner.last('stubborn').signals, [
    { signal: 'SIGTERM', group: true },
    { signal: 'SIGKILL', group: true },
  ]);
  assert.ok(lines.includes("warn killing 'stubborn' (1000) with SIGKILL"));
  assert.ok(lines.includes('warn stopped: stubborn (terminated by SIGKILL)'));
  // supervisor's stop_report while the stop is waited on: at once, then every 2 s (t = 0, 2 s, 4 s).
  assert.equal(lines.filter((l) => l === 'info waiting for stubborn to stop').length, 3);
  assert.equal(clock.pending, 0, 'no timer left armed');
});

test("stop reports of stops waited on at different times keep each process's own 2-second cadence", async () => {
  const { clock, spawner, engine, lines } = setup(
    { name: 'a', stopwaitsecs: 10 },
    { name: 'b', stopwaitsecs: 10 },
  );
  spawner.ignoreByDefault.add('SIGTERM');
  engine.run();
  clock.advance(1001);
  const reports: string[] = [];
  const seen = () => {
    for (const l of lines.splice(0))
      if (l.startsWith('info waiting for')) reports.push(`${clock.now()} ${l}`);
  };
  const t0 = clock.now();
  const a = engine.stopProcess('a');
  await Promise.resolve();
  seen();
  clock.advance(1000);
  const b = engine.stopProcess('b');
  await Promise.resolve();
  seen();
  for (let i = 0; i < 4; i++) (clock.advance(500), seen());
  // a leaves STOPPING at t0 + 3.5 s: no report of it after that, b's go on.
  spawner.last('a').exit(0);
  await a;
  for (let i = 0; i < 4; i++) (clock.advance(500), seen());
  assert.deepEqual(reports, [
    `${t0} info waiting for a to stop`,
    `${t0 + 1000} info waiting for b to stop`,
    `${t0 + 2000} info waiting for a to stop`,
    `${t0 + 3000} info waiting for b to stop`,
    `${t0 + 5000} info waiting for b to stop`,
  ]);
  spawner.last('b').exit(0);
  await b;
  assert.equal(clock.pending, 0, 'no timer left armed');
});

test('a stop signal that fails after it was queued makes the process UNKNOWN, as one that fails at once', async () => {
  const { clock, spawner, engine, lines } = setup({ name: 'web' }, { name: 'api' });
  engine.run();
  clock.advance(1001);
  spawner.last('web').signalsFail = 'EPERM';
  spawner.last('api').signalsFail = 'EPERM';
  const stopping = engine.stopProcess('web');
  await Promise.resolve();
  // Queued: the stop goes on as if sent, until the spawner says it failed.
  assert.equal(engine.getProcessInfo('web').statename, 'STOPPING');
  spawner.last('web').tellSignalFailures();
  await rejectsWith(stopping, 'FAILED: unknown problem killing web (1000)');
  assert.equal(engine.getProcessInfo('web').statename, 'UNKNOWN');
  assert.ok(lines.includes('critical unknown problem killing web (1000):EPERM'), lines.join('\n'));
  assert.equal(clock.pending, 0, 'no SIGKILL escalation left armed, as after a signal that failed at once');
  // signalProcess waits on the outcome: its signal is sent at once, and fails at once.
  await rejectsWith(engine.signalProcess('api', 'USR1'), 'FAILED: unknown problem sending sig api (1001)');
  assert.equal(engine.getProcessInfo('api').statename, 'UNKNOWN');
});

test('stop from STARTING cancels startsecs: the stale timer never promotes the next run', async () => {
  const { clock, spawner, engine, states } = setup({ name: 'web' });
  engine.run();
  await engine.stopProcess('web');
  assert.equal(spawner.last('web').signals[0]?.signal, 'SIGTERM');
  clock.advance(5000);
  assert.deepEqual(states('web'), ['STARTING', 'STOPPING', 'STOPPED']);
  await rejectsWith(engine.stopProcess('web'), 'NOT_RUNNING: web');
});

test('group operations return per-process results; running processes are skipped by startAll', async () => {
  const clock = new ManualClock();
  const spawner = new FakeSpawner();
  const engine = new Engine({ pace: UNTIMED_PACE, clock, spawner });
  engine.addGroup(
    groupSpec(
      'grp',
      [
        { name: 'ga', startsecs: 0 },
        { name: 'gb', startsecs: 0 },
      ],
      { priority: 5 },
    ),
  );
  engine.addGroup(programGroup({ name: 'solo', startsecs: 0, autostart: false }));
  engine.run();
  spawner.checks.set('solo', { ok: false, fault: 'NO_FILE', message: "can't find command 'x'" });
  assert.deepEqual(await engine.startAllProcesses(), [
    { name: 'solo', group: 'solo', status: 20, description: "NO_FILE: can't find command 'x'" },
  ]);
  assert.deepEqual(await engine.stopProcess('grp:*'), [
    { name: 'ga', group: 'grp', status: 80, description: 'OK' },
    { name: 'gb', group: 'grp', status: 80, description: 'OK' },
  ]);
  assert.deepEqual(await engine.signalProcessGroup('grp', 'HUP'), []);
  await assert.rejects(engine.startProcessGroup('nope'), /BAD_NAME: nope/);
  await rejectsWith(engine.signalProcess('grp:ga', 'BOGUS'), 'BAD_SIGNAL: BOGUS');
  assert.deepEqual(
    engine.getAllProcessInfo().map((i) => `${i.group}:${i.name}`),
    ['grp:ga', 'grp:gb', 'solo:solo'],
  );
});

test('group results come in issue order, not in the order the stops complete', async () => {
  const clock = new ManualClock();
  const spawner = new FakeSpawner();
  const engine = new Engine({ pace: UNTIMED_PACE, clock, spawner });
  engine.addGroup(
    groupSpec('grp', [
      { name: 'ga', startsecs: 0, stopwaitsecs: 5 },
      { name: 'gb', startsecs: 0 },
    ]),
  );
  engine.run();
  spawner.last('ga').ignores.add('SIGTERM');
  const stopping = engine.stopProcessGroup('grp');
  await Promise.resolve();
  clock.advance(5000); // gb stopped at once; ga only now, by SIGKILL
  assert.deepEqual(
    (await stopping).map((r) => r.name),
    ['ga', 'gb'],
  );
});

test('signalProcess sends to the pid only and keeps the state; a deadly signal leads to EXITED and restart', async () => {
  const { clock, spawner, engine } = setup({ name: 'web', stopasgroup: true });
  engine.run();
  clock.advance(1001);
  spawner.last('web').ignores.add('SIGUSR1');
  assert.equal(await engine.signalProcess('web', 'USR1'), true);
  assert.deepEqual(spawner.last('web').signals, [{ signal: 'SIGUSR1', group: false }]);
  assert.equal(engine.getProcessInfo('web').statename, 'RUNNING');
  await engine.signalProcess('web', '1');
  assert.equal(spawner.spawnCount('web'), 2);
  assert.equal(engine.getProcessInfo('web').statename, 'STARTING');
});

test('sendProcessStdin writes to a live child; NOT_RUNNING when stopped; NO_FILE when stdin is closed', () => {
  const { spawner, engine } = setup({ name: 'cat' });
  engine.run();
  assert.equal(engine.sendProcessStdin('cat', 'héllo'), true);
  assert.equal(spawner.last('cat').stdin[0]?.toString(), 'héllo');
  spawner.last('cat').stdinClosed = true;
  assert.throws(() => engine.sendProcessStdin('cat', 'x'), /NO_FILE: cat/);
  spawner.last('cat').exit(1);
  assert.throws(() => engine.sendProcessStdin('cat', 'x'), /NOT_RUNNING: cat/);
});

test('sendProcessStdin answers FAILED once what the child has not read would pass the backlog limit', () => {
  const { spawner, engine } = setup({ name: 'cat' });
  engine.run();
  const child = spawner.last('cat');
  child.readsStdin = false;
  const chunk = 'x'.repeat(1024 * 1024);
  for (let i = 0; i < 4; i++) assert.equal(engine.sendProcessStdin('cat', chunk), true);
  assert.equal(child.stdinBacklog(), MAX_STDIN_BACKLOG_BYTES);
  assert.throws(
    () => engine.sendProcessStdin('cat', 'y'),
    /FAILED: cat: stdin holds 4194304 bytes the process has not read; 1 more would pass the limit of 4194304$/,
  );
  assert.equal(child.stdin.length, 4, 'the refused bytes are not queued');
  child.backlog = 0;
  assert.equal(engine.sendProcessStdin('cat', 'y'), true, 'once the child reads, writes go through again');
});

test('shutdown stops groups by descending priority, one priority level at a time, BACKOFF gives up', async () => {
  const clock = new ManualClock();
  const spawner = new FakeSpawner();
  const engine = new Engine({ pace: UNTIMED_PACE, clock, spawner });
  engine.addGroup(programGroup({ name: 'low', priority: 1 }));
  engine.addGroup(programGroup({ name: 'high1', priority: 10, stopwaitsecs: 3 }));
  engine.addGroup(programGroup({ name: 'high2', priority: 10 }));
  engine.addGroup(programGroup({ name: 'flaky', priority: 10, autostart: false }));
  engine.run();
  clock.advance(1001);
  void engine.startProcess('flaky', false);
  spawner.last('flaky').exit(0);
  assert.equal(engine.getProcessInfo('flaky').statename, 'BACKOFF');
  spawner.last('high1').ignores.add('SIGTERM');
  const events: string[] = [];
  engine.subscribe((e) => {
    if (e.type === 'process-state') events.push(`${e.name}:${e.to}`);
    if (e.type === 'supervisor-state') events.push(e.state);
  });
  engine.requestShutdown();
  await assert.rejects(engine.startProcess('low'), /SHUTDOWN_STATE/);
  const done = engine.stopAll();
  await Promise.resolve();
  await Promise.resolve();
  assert.equal(
    engine
      .unstoppedProcessStates()
      .map((p) => p.name)
      .sort()
      .join(','),
    'high1,low',
  );
  clock.advance(3000);
  await done;
  assert.deepEqual(events.slice(0, 1), ['STOPPING']);
  assert.ok(events.indexOf('high2:STOPPED') < events.indexOf('low:STOPPING'));
  assert.ok(events.indexOf('high1:STOPPED') < events.indexOf('low:STOPPING'));
  assert.ok(
    events.indexOf('high2:STOPPING') < events.indexOf('high1:STOPPED'),
    'one priority level in parallel',
  );
  assert.equal(spawner.live().length, 0);
  assert.ok(events.includes('flaky:FATAL'), 'BACKOFF gives up at shutdown');
  clock.advance(10_000);
  assert.equal(spawner.spawnCount('flaky'), 1, 'no retry while shutting down');
});

test('reconciler: add/remove groups and processes, update a spec in place without a restart', async () => {
  const { clock, spawner, engine, events } = setup({ name: 'web' });
  engine.run();
  clock.advance(1001);
  assert.throws(() => engine.addGroup(programGroup({ name: 'web' })), /ALREADY_ADDED: web/);
  assert.throws(() => engine.removeGroup('web'), /STILL_RUNNING: web/);
  const current = engine.groupSpecs()[0]?.processes[0];
  assert.ok(current);
  engine.updateProcessSpec({ ...current, autorestart: false });
  assert.equal(spawner.spawnCount('web'), 1);
  spawner.last('web').exit(3);
  assert.equal(
    engine.getProcessInfo('web').statename,
    'EXITED',
    'the new policy applies to the live process',
  );
  engine.removeGroup('web');
  assert.throws(() => engine.getProcessInfo('web'), /BAD_NAME/);
  engine.addGroup(groupSpec('pool', [{ name: 'pool_0' }]));
  engine.addProcess({ ...engine.groupSpecs()[0]!.processes[0]!, name: 'pool_1' });
  assert.equal(spawner.spawnCount('pool_1'), 1, 'an added process autostarts while running');
  assert.throws(() => engine.removeProcess('pool', 'pool_1'), /STILL_RUNNING/);
  await engine.stopProcess('pool:pool_1');
  engine.removeProcess('pool', 'pool_1');
  assert.deepEqual(
    engine.snapshot().map((s) => `${s.spec.group}:${s.spec.name}:${s.info.statename}`),
    ['pool:pool_0:STARTING'],
  );
  assert.deepEqual(
    events
      .filter((e) => e.type === 'group-added' || e.type === 'group-removed')
      .map((e) => `${e.type} ${'group' in e ? e.group : ''}`),
    ['group-added web', 'group-removed web', 'group-added pool'],
  );
});

test('restartProcess stops then starts one process and waits for RUNNING', async () => {
  const { clock, spawner, engine } = setup({ name: 'web' });
  engine.run();
  clock.advance(1001);
  const restarted = engine.restartProcess('web');
  for (let i = 0; i < 5; i++) await Promise.resolve();
  clock.advance(1001);
  await restarted;
  assert.equal(spawner.spawnCount('web'), 2);
  assert.equal(engine.getProcessInfo('web').statename, 'RUNNING');
});

test('output chunks are written to the logs and published with the pid', () => {
  const written: string[] = [];
  const clock = new ManualClock();
  const spawner = new FakeSpawner();
  const sink = (path: string) => ({
    path,
    write: (b: Buffer) => void written.push(`${path}:${b}`),
    reopen() {},
    close() {},
  });
  const engine = new Engine({
    pace: UNTIMED_PACE,
    clock,
    spawner,
    childLogs: (s) => ({ stdout: sink(`/l/${s.name}.out`), stderr: sink(`/l/${s.name}.err`) }),
  });
  const chunks: string[] = [];
  engine.subscribe((e) => e.type === 'process-output' && chunks.push(`${e.channel}:${e.pid}:${e.data}`));
  engine.addGroup(programGroup({ name: 'web' }));
  engine.run();
  spawner.last('web').output('stdout', 'hi\n');
  spawner.last('web').output('stderr', 'oops\n');
  assert.deepEqual(written, ['/l/web.out:hi\n', '/l/web.err:oops\n']);
  assert.deepEqual(chunks, ['stdout:1000:hi\n', 'stderr:1000:oops\n']);
  assert.equal(engine.getProcessInfo('web').stdout_logfile, '/l/web.out');
});

test('startsSettled resolves once no autostarted process is STARTING', async () => {
  const { clock, spawner, engine } = setup(
    { name: 'quick', startsecs: 0 },
    { name: 'slow', startsecs: 2 },
    { name: 'crashy', startsecs: 1 },
    { name: 'off', autostart: false },
  );
  const flushed = () => new Promise((r) => setImmediate(r));
  engine.run();
  let settled = false;
  const done = engine.startsSettled().then(() => (settled = true));
  await flushed();
  assert.equal(settled, false, 'slow and crashy are STARTING');
  spawner.last('crashy').exit(1);
  assert.equal(engine.getProcessInfo('crashy').statename, 'BACKOFF');
  clock.advance(1999);
  await flushed();
  assert.equal(settled, false, 'slow is STARTING until 2 s');
  assert.equal(engine.getProcessInfo('crashy').statename, 'STARTING', 'crashy retried after 1 s');
  clock.advance(1001);
  await done;
  assert.deepEqual(
    ['quick', 'slow', 'crashy', 'off'].map((n) => engine.getProcessInfo(n).statename),
    ['RUNNING', 'RUNNING', 'RUNNING', 'STOPPED'],
  );
});

test('stop with killasgroup: when the leader exits on stopsignal, what is left of its group is SIGKILLed', async () => {
  const { clock, spawner, engine, lines } = setup(
    { name: 'tree', killasgroup: true, stopwaitsecs: 1 },
    { name: 'plain', stopwaitsecs: 1 },
  );
  engine.run();
  clock.advance(1001);
  spawner.last('tree').groupSurvivors = 2;
  spawner.last('plain').groupSurvivors = 2;
  assert.equal(await engine.stopProcess('tree'), true);
  assert.deepEqual(spawner.last('tree').signals, [
    { signal: 'SIGTERM', group: false },
    { signal: 'SIGKILL', group: true },
  ]);
  assert.equal(spawner.last('tree').groupSurvivors, 0);
  assert.ok(
    lines.includes("debug killing what is left of tree's process group (pgid 1000) with signal SIGKILL"),
  );
  // Without killasgroup, supervisor's behaviour: the leader alone is signalled, the rest is not touched.
  assert.equal(await engine.stopProcess('plain'), true);
  assert.deepEqual(spawner.last('plain').signals, [{ signal: 'SIGTERM', group: false }]);
  assert.equal(spawner.last('plain').groupSurvivors, 2);
  assert.equal(clock.pending, 0, 'no timer left armed');
});

test('an exit on its own with killasgroup kills nothing; the daemon shutdown kills what is left', async () => {
  const { clock, spawner, engine } = setup(
    { name: 'solo', killasgroup: true, autorestart: false },
    { name: 'tree', killasgroup: true },
  );
  engine.run();
  clock.advance(1001);
  const solo = spawner.last('solo');
  solo.groupSurvivors = 1;
  solo.exit(0);
  assert.equal(engine.getProcessInfo('solo').statename, 'EXITED');
  assert.deepEqual(solo.signals, []);
  assert.equal(solo.groupSurvivors, 1);
  spawner.last('tree').groupSurvivors = 1;
  engine.requestShutdown();
  await engine.stopAll();
  assert.deepEqual(spawner.last('tree').signals, [
    { signal: 'SIGTERM', group: false },
    { signal: 'SIGKILL', group: true },
  ]);
});

/** An engine whose start bursts yield to a hand-driven event loop: `turn()` runs what was deferred. */
function pacedSetup(...programs: ProcessOverrides[]) {
  const clock = new ManualClock();
  const spawner = new FakeSpawner();
  const deferred: (() => void)[] = [];
  const lines: string[] = [];
  const engine = new Engine({
    clock,
    spawner,
    logger: (level, message) => lines.push(`${level} ${message}`),
    defer: (fn) => deferred.push(fn),
    pace: { maxPerTurn: 2, budgetMs: 1e9 },
  });
  for (const p of programs) engine.addGroup(programGroup(p));
  const turn = () => {
    for (const fn of deferred.splice(0)) fn();
  };
  const spawned = () => spawner.children.map((c) => c.spec.name);
  return { clock, spawner, engine, turn, spawned, lines };
}

test('a start burst spawns in batches, one per turn of the event loop, in ascending priority order', () => {
  const { engine, turn, spawned } = pacedSetup(
    { name: 'e', priority: 50 },
    { name: 'd', priority: 40 },
    { name: 'c', priority: 30 },
    { name: 'b', priority: 20 },
    { name: 'a', priority: 10 },
  );
  engine.run();
  assert.deepEqual(spawned(), ['a', 'b'], 'the first batch runs at once');
  assert.equal(engine.getProcessInfo('c').statename, 'STOPPED', 'not yet started');
  turn();
  assert.deepEqual(spawned(), ['a', 'b', 'c', 'd']);
  turn();
  assert.deepEqual(spawned(), ['a', 'b', 'c', 'd', 'e']);
  turn();
  assert.deepEqual(spawned(), ['a', 'b', 'c', 'd', 'e']);
});

test('startsMade resolves once the last paced start has been made, before any process is RUNNING', async () => {
  const { engine, turn, spawned } = pacedSetup({ name: 'a' }, { name: 'b' }, { name: 'c' });
  engine.run();
  let made = false;
  const done = engine.startsMade().then(() => (made = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(made, false, 'c waits for the next turn');
  turn();
  assert.deepEqual(spawned(), ['a', 'b', 'c']);
  await done;
  assert.equal(engine.getProcessInfo('c').statename, 'STARTING');
});

test('a shutdown requested during a start burst stops what started and never spawns the rest', async () => {
  const { engine, turn, spawned, spawner } = pacedSetup(
    { name: 'a' },
    { name: 'b' },
    { name: 'c' },
    { name: 'd' },
    { name: 'e' },
  );
  engine.run();
  const startAll = engine.startAllProcesses(false);
  assert.deepEqual(spawned(), ['a', 'b']);
  engine.requestShutdown();
  await engine.stopAll();
  for (let i = 0; i < 5; i++) turn();
  assert.deepEqual(spawned(), ['a', 'b'], 'nothing spawned after the shutdown request');
  assert.ok(spawner.children.every((c) => c.exited));
  for (const name of ['c', 'd', 'e'])
    assert.equal(
      engine
        .unstoppedProcessStates()
        .map((p) => p.name)
        .includes(name),
      false,
    );
  // A start all issued before the shutdown gets SHUTDOWN_STATE for every process it had not reached.
  const results = await startAll;
  assert.deepEqual(
    results.map((r) => `${r.name} ${r.status}`),
    ['a 6', 'b 6', 'c 6', 'd 6', 'e 6'],
  );
});

test('starts requested one by one between bursts run at once; an apply-style add without autostart starts nothing', () => {
  const { engine, spawned } = pacedSetup({ name: 'a' });
  engine.run();
  assert.deepEqual(spawned(), ['a']);
  engine.addGroup(programGroup({ name: 'b' }), { autostart: false });
  engine.addGroup(programGroup({ name: 'c' }));
  assert.deepEqual(spawned(), ['a', 'c']);
  assert.equal(engine.getProcessInfo('b').statename, 'STOPPED');
});
