import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialProc, type Effect, type Proc, type ProcEvent, type StepResult } from './proc.js';
import { step, TOO_QUICK, type MachineSpec } from './step.js';

const base: MachineSpec = {
  name: 'web',
  startsecs: 1,
  startretries: 3,
  autorestart: 'unexpected',
  exitcodes: [0],
  stopsignal: 'TERM',
  stopwaitsecs: 10,
  stopasgroup: false,
  killasgroup: false,
};

function ok(r: StepResult): { next: Proc; effects: readonly Effect[] } {
  if ('rejected' in r) assert.fail(`rejected: ${r.rejected}`);
  return r;
}

function proc(patch: Partial<Proc>): Proc {
  return { ...initialProc, incarnation: 1, laststart: 0, ...patch };
}

const running = proc({ state: 'RUNNING', pid: 42 });
const starting = proc({ state: 'STARTING', pid: 42, armed: ['startsecs'] });
const stopping = proc({ state: 'STOPPING', pid: 42, killing: true, armed: ['stopwait'] });
const backoff1 = proc({ state: 'BACKOFF', backoff: 1, spawnerr: TOO_QUICK, armed: ['backoff'] });

function notes(effects: readonly Effect[]): string[] {
  return effects.flatMap((e) => (e.type === 'notify' ? [`${e.from}->${e.to}`] : []));
}
function logs(effects: readonly Effect[]): string[] {
  return effects.flatMap((e) => (e.type === 'log' ? [`${e.level} ${e.message}`] : []));
}
function kinds(effects: readonly Effect[]): string[] {
  return effects.map((e) => {
    if (e.type === 'set-timer') return `set-timer ${e.timer} ${e.ms}`;
    if (e.type === 'cancel-timer') return `cancel-timer ${e.timer}`;
    if (e.type === 'kill') return `kill ${e.group ? -e.pid : e.pid} ${e.signal}`;
    if (e.type === 'kill-group') return `kill-group -${e.pgid} ${e.signal}`;
    if (e.type === 'spawn') return `spawn ${e.incarnation}`;
    return e.type;
  });
}

interface Row {
  readonly edge: string;
  readonly from: Proc;
  readonly event: ProcEvent;
  readonly spec?: Partial<MachineSpec>;
  readonly now?: number;
  readonly to: Proc['state'];
  readonly notes: string[];
  readonly check?: (next: Proc, effects: readonly Effect[]) => void;
}

// One row per edge of spec §3.2.
const rows: Row[] = [
  {
    edge: 'STOPPED -> STARTING on start, with a new incarnation and a spawn',
    from: initialProc,
    event: { type: 'start' },
    now: 500,
    to: 'STARTING',
    notes: ['STOPPED->STARTING'],
    check: (n, e) => {
      assert.equal(n.incarnation, 1);
      assert.equal(n.laststart, 500);
      assert.deepEqual(kinds(e), ['notify', 'spawn 1']);
    },
  },
  {
    edge: 'EXITED -> STARTING on start',
    from: proc({ state: 'EXITED', exitstatus: 1, spawnerr: 'Bad exit code 1' }),
    event: { type: 'start' },
    to: 'STARTING',
    notes: ['EXITED->STARTING'],
    check: (n) => {
      assert.equal(n.spawnerr, null);
      assert.equal(n.exitstatus, null);
    },
  },
  {
    edge: 'FATAL -> STARTING only on start',
    from: proc({ state: 'FATAL', spawnerr: TOO_QUICK }),
    event: { type: 'start' },
    to: 'STARTING',
    notes: ['FATAL->STARTING'],
  },
  {
    edge: 'STARTING: spawned records the pid and arms startsecs strictly after the boundary',
    from: proc({ state: 'STARTING', incarnation: 3 }),
    event: { type: 'spawned', incarnation: 3, pid: 77 },
    to: 'STARTING',
    notes: [],
    check: (n, e) => {
      assert.equal(n.pid, 77);
      assert.deepEqual(logs(e), ["info spawned: 'web' with pid 77"]);
      assert.deepEqual(kinds(e), ['log', 'set-timer startsecs 1001']);
    },
  },
  {
    edge: 'STARTING -> RUNNING at once when startsecs=0',
    from: proc({ state: 'STARTING', backoff: 2 }),
    event: { type: 'spawned', incarnation: 1, pid: 77 },
    spec: { startsecs: 0 },
    to: 'RUNNING',
    notes: ['STARTING->RUNNING'],
    check: (n, e) => {
      assert.equal(n.backoff, 0);
      assert.ok(
        logs(e).includes(
          'info success: web entered RUNNING state, process has stayed up for > than 0 seconds (startsecs)',
        ),
      );
    },
  },
  {
    edge: 'STARTING -> RUNNING when the startsecs timer fires after startsecs',
    from: proc({ state: 'STARTING', pid: 42, backoff: 1, armed: ['startsecs'] }),
    event: { type: 'timer', timer: 'startsecs', incarnation: 1 },
    now: 1001,
    to: 'RUNNING',
    notes: ['STARTING->RUNNING'],
    check: (n, e) => {
      assert.equal(n.backoff, 0);
      assert.deepEqual(n.armed, []);
      assert.deepEqual(logs(e), [
        'info success: web entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)',
      ]);
    },
  },
  {
    edge: 'STARTING stays STARTING when the timer fires exactly at startsecs (strictly greater), re-armed',
    from: starting,
    event: { type: 'timer', timer: 'startsecs', incarnation: 1 },
    now: 1000,
    to: 'STARTING',
    notes: [],
    check: (_n, e) => assert.deepEqual(kinds(e), ['set-timer startsecs 1']),
  },
  {
    edge: 'STARTING -> BACKOFF when the child exits before startsecs, whatever the code',
    from: starting,
    event: { type: 'exited', pid: 42, code: 0, signal: null },
    now: 999,
    to: 'BACKOFF',
    notes: ['STARTING->BACKOFF'],
    check: (n, e) => {
      assert.equal(n.backoff, 1);
      assert.equal(n.pid, 0);
      assert.equal(n.exitstatus, null);
      assert.equal(n.spawnerr, 'Exited too quickly (process log may have details)');
      assert.deepEqual(logs(e), ['warn exited: web (exit status 0; not expected)']);
      assert.deepEqual(kinds(e).slice(-1), ['set-timer backoff 1000']);
      // The run that exited goes with the change: the engine records its stop time, as supervisor's laststop.
      assert.equal(e.find((x) => x.type === 'notify')?.pid, 42);
    },
  },
  {
    edge: 'STARTING -> BACKOFF when the spawn fails in the parent',
    from: proc({ state: 'STARTING' }),
    event: { type: 'spawn-failed', incarnation: 1, message: "can't find command 'nope'" },
    to: 'BACKOFF',
    notes: ['STARTING->BACKOFF'],
    check: (n, e) => {
      assert.equal(n.spawnerr, "can't find command 'nope'");
      assert.deepEqual(logs(e), ["info spawnerr: can't find command 'nope'"]);
      assert.equal(e.find((x) => x.type === 'notify')?.pid, 0, 'nothing ran, so no stop time');
    },
  },
  {
    edge: 'BACKOFF -> STARTING when the backoff timer fires and retries remain',
    from: backoff1,
    event: { type: 'timer', timer: 'backoff', incarnation: 1 },
    to: 'STARTING',
    notes: ['BACKOFF->STARTING'],
    check: (n, e) => {
      assert.equal(n.backoff, 1);
      const note = e.find((x) => x.type === 'notify');
      assert.equal(note?.type === 'notify' && note.tries, 1);
    },
  },
  {
    edge: 'BACKOFF -> FATAL when the last retry exits too quickly (startretries + 1 attempts)',
    from: proc({ state: 'STARTING', pid: 42, backoff: 3, armed: ['startsecs'] }),
    event: { type: 'exited', pid: 42, code: 1, signal: null },
    to: 'FATAL',
    notes: ['STARTING->BACKOFF', 'BACKOFF->FATAL'],
    check: (n, e) => {
      assert.equal(n.backoff, 0);
      assert.equal(n.spawnerr, TOO_QUICK);
      assert.ok(
        logs(e).includes('info gave up: web entered FATAL state, too many start retries too quickly'),
      );
      assert.ok(!kinds(e).some((k) => k.startsWith('set-timer')));
    },
  },
  {
    edge: 'BACKOFF -> STOPPED on stop, without a signal, keeping the backoff counter',
    from: proc({ state: 'BACKOFF', backoff: 2, armed: ['backoff'] }),
    event: { type: 'stop' },
    to: 'STOPPED',
    notes: ['BACKOFF->STOPPED'],
    check: (n, e) => {
      assert.equal(n.backoff, 2);
      assert.deepEqual(kinds(e), ['cancel-timer backoff', 'log', 'notify']);
    },
  },
  {
    edge: 'RUNNING -> EXITED expected, no restart with autorestart=unexpected',
    from: running,
    event: { type: 'exited', pid: 42, code: 0, signal: null },
    now: 5000,
    to: 'EXITED',
    notes: ['RUNNING->EXITED'],
    check: (n, e) => {
      assert.equal(n.exitstatus, 0);
      assert.equal(n.spawnerr, null);
      assert.deepEqual(logs(e), ['info exited: web (exit status 0; expected)']);
      assert.ok(!kinds(e).includes('autorestart'));
    },
  },
  {
    edge: 'RUNNING -> EXITED unexpected, restart asked with autorestart=unexpected',
    from: running,
    event: { type: 'exited', pid: 42, code: 3, signal: null },
    now: 5000,
    to: 'EXITED',
    notes: ['RUNNING->EXITED'],
    check: (n, e) => {
      assert.equal(n.spawnerr, 'Bad exit code 3');
      assert.deepEqual(logs(e), ['warn exited: web (exit status 3; not expected)']);
      assert.ok(kinds(e).includes('autorestart'));
      const note = e.find((x) => x.type === 'notify');
      assert.equal(note?.type === 'notify' && note.expected, false);
    },
  },
  {
    edge: 'RUNNING -> EXITED by a signal is never expected',
    from: running,
    event: { type: 'exited', pid: 42, code: null, signal: 'SIGHUP' },
    now: 5000,
    to: 'EXITED',
    notes: ['RUNNING->EXITED'],
    check: (n, e) => {
      assert.equal(n.exitstatus, -1);
      assert.deepEqual(logs(e), ['warn exited: web (terminated by SIGHUP; not expected)']);
    },
  },
  {
    edge: 'RUNNING -> EXITED restarts on an expected code with autorestart=true',
    from: running,
    event: { type: 'exited', pid: 42, code: 0, signal: null },
    spec: { autorestart: true },
    now: 5000,
    to: 'EXITED',
    notes: ['RUNNING->EXITED'],
    check: (_n, e) => assert.ok(kinds(e).includes('autorestart')),
  },
  {
    edge: 'RUNNING -> EXITED restarts no sooner than a second after the start of the run that exited',
    from: proc({ state: 'RUNNING', pid: 42, laststart: 1000 }),
    event: { type: 'exited', pid: 42, code: 0, signal: null },
    spec: { autorestart: true, startsecs: 0 },
    now: 1300,
    to: 'EXITED',
    notes: ['RUNNING->EXITED'],
    check: (_n, e) =>
      assert.deepEqual(
        e.find((x) => x.type === 'autorestart'),
        { type: 'autorestart', delayMs: 700, incarnation: 1 },
      ),
  },
  {
    edge: 'RUNNING -> EXITED restarts at once after a run longer than a second',
    from: running,
    event: { type: 'exited', pid: 42, code: 3, signal: null },
    now: 5000,
    to: 'EXITED',
    notes: ['RUNNING->EXITED'],
    check: (_n, e) =>
      assert.deepEqual(
        e.find((x) => x.type === 'autorestart'),
        { type: 'autorestart', delayMs: 0, incarnation: 1 },
      ),
  },
  {
    edge: 'RUNNING -> EXITED never restarts with autorestart=false',
    from: running,
    event: { type: 'exited', pid: 42, code: 9, signal: null },
    spec: { autorestart: false },
    now: 5000,
    to: 'EXITED',
    notes: ['RUNNING->EXITED'],
    check: (_n, e) => assert.ok(!kinds(e).includes('autorestart')),
  },
  {
    edge: 'STARTING -> RUNNING -> EXITED when the exit comes after startsecs but before the timer',
    from: starting,
    event: { type: 'exited', pid: 42, code: 0, signal: null },
    now: 1000,
    to: 'EXITED',
    notes: ['STARTING->RUNNING', 'RUNNING->EXITED'],
    check: (_n, e) => {
      assert.ok(!logs(e).some((l) => l.includes('success:')));
      // supervisord's finish() changes the state before clearing the pid: both events carry the pid.
      const pids = e.flatMap((x) => (x.type === 'notify' ? [x.pid] : []));
      assert.deepEqual(pids, [42, 42]);
    },
  },
  {
    edge: 'RUNNING -> STOPPING on stop: stopsignal to the pid, stopwait armed',
    from: running,
    event: { type: 'stop' },
    to: 'STOPPING',
    notes: ['RUNNING->STOPPING'],
    check: (n, e) => {
      assert.equal(n.killing, true);
      assert.deepEqual(kinds(e), ['log', 'notify', 'kill 42 SIGTERM', 'set-timer stopwait 10000']);
      assert.deepEqual(logs(e), ['debug killing web (pid 42) with signal SIGTERM']);
    },
  },
  {
    edge: 'STARTING -> STOPPING on stop, startsecs disarmed, stopasgroup signals the group',
    from: starting,
    event: { type: 'stop' },
    spec: { stopasgroup: true, killasgroup: true, stopsignal: 'INT' },
    to: 'STOPPING',
    notes: ['STARTING->STOPPING'],
    check: (_n, e) => {
      assert.deepEqual(kinds(e), [
        'log',
        'cancel-timer startsecs',
        'notify',
        'kill -42 SIGINT',
        'set-timer stopwait 10000',
      ]);
      assert.deepEqual(logs(e), ['debug killing web (pid 42) process group with signal SIGINT']);
    },
  },
  {
    edge: 'STOPPING -> STOPPED when the child is reaped, any status',
    from: stopping,
    event: { type: 'exited', pid: 42, code: null, signal: 'SIGTERM' },
    to: 'STOPPED',
    notes: ['STOPPING->STOPPED'],
    check: (n, e) => {
      assert.equal(n.pid, 0);
      assert.equal(n.killing, false);
      assert.deepEqual(logs(e), ['warn stopped: web (terminated by SIGTERM)']);
      const note = e.find((x) => x.type === 'notify');
      assert.equal(note?.type === 'notify' && note.pid, 42);
    },
  },
  {
    edge: 'STOPPING -> STOPPED with killasgroup: what is left of the group is SIGKILLed when the leader is reaped',
    from: stopping,
    event: { type: 'exited', pid: 42, code: 0, signal: null },
    spec: { killasgroup: true },
    to: 'STOPPED',
    notes: ['STOPPING->STOPPED'],
    check: (n, e) => {
      assert.equal(n.pid, 0);
      assert.deepEqual(kinds(e), ['log', 'kill-group -42 SIGKILL', 'cancel-timer stopwait', 'notify', 'log']);
      assert.deepEqual(logs(e), [
        "debug killing what is left of web's process group (pgid 42) with signal SIGKILL",
        'info stopped: web (exit status 0)',
      ]);
    },
  },
  {
    edge: 'STOPPING -> STOPPED without killasgroup: the group is left alone (supervisor)',
    from: stopping,
    event: { type: 'exited', pid: 42, code: 0, signal: null },
    to: 'STOPPED',
    notes: ['STOPPING->STOPPED'],
    check: (_n, e) => assert.deepEqual(kinds(e), ['cancel-timer stopwait', 'notify', 'log']),
  },
  {
    edge: 'RUNNING -> EXITED with killasgroup: an exit on its own kills nothing',
    from: running,
    event: { type: 'exited', pid: 42, code: 0, signal: null },
    spec: { killasgroup: true, stopasgroup: true },
    now: 5000,
    to: 'EXITED',
    notes: ['RUNNING->EXITED'],
    check: (_n, e) => assert.ok(!e.some((x) => x.type === 'kill-group' || x.type === 'kill')),
  },
  {
    edge: 'STOPPING -> STOPPING: SIGKILL after stopwaitsecs (to the group with killasgroup), re-armed',
    from: stopping,
    event: { type: 'timer', timer: 'stopwait', incarnation: 1 },
    spec: { killasgroup: true },
    to: 'STOPPING',
    notes: [],
    check: (_n, e) => {
      assert.deepEqual(kinds(e), ['log', 'log', 'kill -42 SIGKILL', 'set-timer stopwait 10000']);
      assert.equal(logs(e)[0], "warn killing 'web' (42) with SIGKILL");
    },
  },
  {
    edge: 'any -> UNKNOWN when a signal fails unexpectedly',
    from: stopping,
    event: { type: 'kill-failed', pid: 42, message: 'EPERM' },
    to: 'UNKNOWN',
    notes: ['STOPPING->UNKNOWN'],
    check: (n) => assert.equal(n.killing, false),
  },
  {
    edge: 'BACKOFF -> FATAL on give-up (daemon shutdown)',
    from: backoff1,
    event: { type: 'give-up' },
    to: 'FATAL',
    notes: ['BACKOFF->FATAL'],
    check: (n) => assert.equal(n.backoff, 0),
  },
];

for (const r of rows) {
  test(r.edge, () => {
    const { next, effects } = ok(step(r.from, r.event, { ...base, ...r.spec }, r.now ?? 0));
    assert.equal(next.state, r.to);
    assert.deepEqual(notes(effects), r.notes);
    r.check?.(next, effects);
  });
}

const rejections: [string, Proc, ProcEvent, string][] = [
  ['start in RUNNING is ALREADY_STARTED', running, { type: 'start' }, 'ALREADY_STARTED'],
  ['start in STARTING is ALREADY_STARTED', starting, { type: 'start' }, 'ALREADY_STARTED'],
  ['start in BACKOFF is ALREADY_STARTED', backoff1, { type: 'start' }, 'ALREADY_STARTED'],
  ['start in UNKNOWN is FAILED', proc({ state: 'UNKNOWN', pid: 3 }), { type: 'start' }, 'FAILED'],
  ['stop in STOPPED is NOT_RUNNING', initialProc, { type: 'stop' }, 'NOT_RUNNING'],
  ['stop in STOPPING is NOT_RUNNING', stopping, { type: 'stop' }, 'NOT_RUNNING'],
  ['stop in FATAL is NOT_RUNNING', proc({ state: 'FATAL' }), { type: 'stop' }, 'NOT_RUNNING'],
  ['signal in BACKOFF is NOT_RUNNING', backoff1, { type: 'signal', signal: 'HUP' }, 'NOT_RUNNING'],
];
for (const [name, from, event, fault] of rejections) {
  test(name, () => assert.deepEqual(step(from, event, base, 0), { rejected: fault }));
}

test('start in STOPPING warns that the process is already running and changes nothing, as supervisor', () => {
  const { next, effects } = ok(step(stopping, { type: 'start' }, base, 0));
  assert.deepEqual(next, stopping);
  assert.deepEqual(effects, [{ type: 'log', level: 'warn', message: "process 'web' already running" }]);
});

test('signal in RUNNING sends to the pid only and keeps the state', () => {
  const { next, effects } = ok(
    step(running, { type: 'signal', signal: 'HUP' }, { ...base, stopasgroup: true }, 0),
  );
  assert.equal(next.state, 'RUNNING');
  assert.deepEqual(kinds(effects), ['log', 'kill 42 SIGHUP']);
});

test("the log names a signal as supervisor's signame does: `signal 0`, SIGPOLL for IO", () => {
  // supervisord 4.2.5: `signal 0 p` logs `sending p (pid N) sig signal 0`; stopsignal=IO logs SIGPOLL.
  const sent = ok(step(running, { type: 'signal', signal: '0' }, base, 0));
  assert.deepEqual(logs(sent.effects), ['debug sending web (pid 42) sig signal 0']);
  assert.deepEqual(kinds(sent.effects), ['log', 'kill 42 SIG0']);
  const stopping = ok(step(running, { type: 'stop' }, { ...base, stopsignal: 'IO' }, 0));
  assert.deepEqual(logs(stopping.effects), ['debug killing web (pid 42) with signal SIGPOLL']);
  // Node names signal 29 SIGIO in a child's exit; supervisord logs `terminated by SIGPOLL`.
  const stopped = ok(step(stopping.next, { type: 'exited', pid: 42, code: null, signal: 'SIGIO' }, base, 10));
  assert.deepEqual(logs(stopped.effects), ['warn stopped: web (terminated by SIGPOLL)']);
});

test("an exit by a signal without a name, or one that dumped core, is worded as supervisor's decode_wait_status", () => {
  // supervisord 4.2.5: `terminated by signal 40`, `terminated by SIGSEGV (core dumped)`.
  const rt = ok(step(running, { type: 'exited', pid: 42, code: null, signal: '40' }, base, 10_000));
  assert.deepEqual(logs(rt.effects), ['warn exited: web (terminated by signal 40; not expected)']);
  const core = ok(
    step(running, { type: 'exited', pid: 42, code: null, signal: 'SIGSEGV', coreDumped: true }, base, 10_000),
  );
  assert.deepEqual(logs(core.effects), [
    'warn exited: web (terminated by SIGSEGV (core dumped); not expected)',
  ]);
});

test('a stale exit (another pid) and a stale timer (earlier incarnation) are ignored', () => {
  assert.deepEqual(step(running, { type: 'exited', pid: 41, code: 0, signal: null }, base, 0), {
    next: running,
    effects: [],
  });
  const t = proc({ state: 'STARTING', pid: 42, incarnation: 2, armed: ['startsecs'] });
  assert.deepEqual(step(t, { type: 'timer', timer: 'startsecs', incarnation: 1 }, base, 5000), {
    next: t,
    effects: [],
  });
  assert.deepEqual(step(running, { type: 'spawned', incarnation: 1, pid: 9 }, base, 0), {
    next: running,
    effects: [],
  });
});

test('a start after a stop from BACKOFF reports the kept counter as tries (verified quirk)', () => {
  const stopped = ok(
    step(proc({ state: 'BACKOFF', backoff: 2, armed: ['backoff'] }), { type: 'stop' }, base, 0),
  ).next;
  const { effects } = ok(step(stopped, { type: 'start' }, base, 0));
  const note = effects.find((x) => x.type === 'notify');
  assert.equal(note?.type === 'notify' && note.tries, 2);
});
