// A daemon near its open-files limit: the native spawner gives the children spawned there no pidfd (it keeps
// the last sixteenth of the limit, at least 64, for pipes, logs and clients), so 50 programs of 3 descriptors
// each all run under a limit of 256 where a pidfd each would not leave that room. Those children are managed
// as the others: a crash is seen and replaced, a stop stops them, and none is left behind or a zombie.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readlinkSync } from 'node:fs';
import { nativeSpawnAvailable } from '../../src/adapters/native-spawn.js';
import { allProcesses, eventually } from '../support/cleanup.js';
import { startControlDaemon, type ControlDaemon } from '../support/control-daemon.js';
import { fixture } from '../support/real-engine.js';
import { prlimitWorks, underFileLimit } from '../support/prlimit.js';

const LIMIT = 256;
const PROGRAMS = 50;

const skip = !nativeSpawnAvailable()
  ? 'children have no pidfds without the native spawner'
  : !prlimitWorks(LIMIT)
    ? 'prlimit(1) cannot lower the open-files limit here'
    : false;

let d: ControlDaemon | undefined;

/** The daemon's pidfds: descriptors on anon_inode:[pidfd]. */
function pidfds(pid: number): number {
  let n = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) === 'anon_inode:[pidfd]') n++;
    } catch {
      // Closed while listing.
    }
  }
  return n;
}

/** name -> pid of every RUNNING program, from `svd ctl status`. */
async function running(): Promise<Map<string, number>> {
  const r = await d!.svdctl(['status']);
  const out = new Map<string, number>();
  for (const m of r.stdout.matchAll(/^(\S+) +RUNNING +pid (\d+),/gm)) out.set(m[1]!, Number(m[2]));
  return out;
}

before(async () => {
  if (skip) return;
  d = await startControlDaemon('svd', {
    launcher: underFileLimit(LIMIT),
    supervisord: 'minfds=16',
    body: [
      '[program:p]',
      `command=${fixture('sleep-forever')}`,
      `numprocs=${PROGRAMS}`,
      'process_name=%(program_name)s%(process_num)02d',
      'startsecs=0',
      'autorestart=true',
      'stdout_logfile=NONE',
      'stderr_logfile=NONE',
    ].join('\n'),
  });
});

after(async () => {
  await d?.stop();
});

test('every program runs, some of them without a pidfd', { skip, timeout: 60_000 }, async () => {
  let now = new Map<string, number>();
  const deadline = Date.now() + 30_000;
  while ((now = await running()).size < PROGRAMS && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(now.size, PROGRAMS, d!.mainLog());
  const held = pidfds(d!.pid);
  assert.ok(held > 0 && held < PROGRAMS, `${held} pidfds for ${PROGRAMS} children`);
  assert.doesNotMatch(d!.mainLog(), /spawnerr|too many open files/);
});

test(
  'a crash of a child without a pidfd is seen and the child replaced',
  { skip, timeout: 60_000 },
  async () => {
    // The last spawned are those without one.
    const before = await running();
    const victims = ['p:p49', 'p:p48', 'p:p47'].map((name) => [name, before.get(name)!] as const);
    for (const [, pid] of victims) process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 30_000;
    let after = before;
    while (Date.now() < deadline) {
      after = await running();
      if (victims.every(([name, pid]) => after.has(name) && after.get(name) !== pid)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const [name, pid] of victims)
      assert.notEqual(after.get(name) ?? pid, pid, `${name} was not replaced`);
    assert.match(d!.mainLog(), /exited: p49 \(terminated by SIGKILL; not expected\)/);
  },
);

test(
  'stop all stops every child, and none is left running or a zombie',
  { skip, timeout: 60_000 },
  async () => {
    const before = await running();
    const r = await d!.svdctl(['stop', 'all']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal((r.stdout.match(/: stopped$/gm) ?? []).length, PROGRAMS, r.stdout);
    const pids = new Set(before.values());
    await eventually(
      () => allProcesses().every((p) => !pids.has(p.pid)),
      10_000,
      'the stopped children gone',
    );
    assert.deepEqual(
      allProcesses().filter((p) => p.ppid === d!.pid && p.state === 'Z'),
      [],
    );
    assert.equal(pidfds(d!.pid), 0, 'pidfds left open after every child was reported');
  },
);
