// The reconciler end to end on real processes: config files -> loadConfig -> planReconcile -> executePlan.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { formatDiagnostic } from '../../src/model/diagnostics.js';
import { isEmptyPlan } from '../../src/plan/plan-types.js';
import { planReconcile, type PlanOptions } from '../../src/plan/plan.js';
import { executePlan, readActualState } from '../../src/engine/execute-plan.js';
import {
  eventually,
  killAllSpawned,
  leftovers,
  rememberedGroups,
  zombieChildren,
} from '../support/cleanup.js';
import { fixture, realEngine, type RealEngine } from '../support/real-engine.js';

const dirs: string[] = [];
const engines: RealEngine[] = [];

afterEach(async () => {
  // Stop what a failed test left running, bounded, then kill whatever is still there.
  await Promise.race([
    Promise.all(engines.map((r) => r.engine.stopAll())),
    new Promise((resolve) => setTimeout(resolve, 5000).unref()),
  ]);
  killAllSpawned();
  engines.length = 0;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const sleeper = fixture('sleep-forever');
const stubborn = fixture('ignore-term');

/** A running engine and a config file the test rewrites; `apply` loads, plans, executes and checks the report. */
function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'svd-reconcile-'));
  dirs.push(dir);
  const r = realEngine();
  engines.push(r);
  r.engine.run();
  const file = join(dir, 'svd.conf');
  const load = (conf: string) => {
    writeFileSync(file, conf);
    const loaded = loadConfig({ paths: [file] });
    assert.ok(loaded.config, loaded.diagnostics.map(formatDiagnostic).join('\n'));
    return loaded.config;
  };
  const apply = async (conf: string, options?: PlanOptions) => {
    const plan = planReconcile(load(conf), readActualState(r.engine), options);
    const report = await executePlan(plan, r.engine);
    assert.ok(report.ok, JSON.stringify(report.results.filter((x) => x.outcome.status !== 'done')));
    return { plan, report };
  };
  const info = (namespec: string) => r.engine.getProcessInfo(namespec);
  const pids = () => new Map(r.engine.getAllProcessInfo().map((p) => [`${p.group}:${p.name}`, p.pid]));
  const finish = async () => {
    const spawned = rememberedGroups();
    await r.engine.stopAll();
    await eventually(() => leftovers(spawned).length === 0, 10_000, 'no leftover processes');
    await eventually(() => zombieChildren().length === 0, 10_000, 'no zombies');
  };
  return { r, load, apply, info, pids, finish };
}

const program = (name: string, extra = '') =>
  `[program:${name}]\ncommand=${sleeper} ${name}\nstartsecs=0\nstopwaitsecs=5\n${extra}\n`;

const timeout = { timeout: 60_000 };

test(
  'an unchanged process keeps its pid through an apply; a command change gives exactly that process a new pid',
  timeout,
  async () => {
    const { apply, info, pids, finish } = setup();
    await apply(program('a') + program('b') + program('c'));
    const before = pids();
    assert.ok([...before.values()].every((pid) => pid > 0));
    const { plan } = await apply(
      program('a') + `[program:b]\ncommand=${sleeper} b v2\nstartsecs=0\n` + program('c'),
    );
    assert.deepEqual(
      plan.groups.map((g) => `${g.name} ${g.processes.map((p) => p.action).join()}`),
      ['a unchanged', 'b restart', 'c unchanged'],
    );
    assert.equal(info('a').pid, before.get('a:a'));
    assert.equal(info('c').pid, before.get('c:c'));
    assert.notEqual(info('b').pid, before.get('b:b'));
    assert.equal(info('b').statename, 'RUNNING');
    assert.deepEqual(leftovers([before.get('b:b') ?? 0]), [], 'the old b is gone');
    await finish();
  },
);

test('a policy change applies in place and keeps the pid', timeout, async () => {
  const { apply, info, r, finish } = setup();
  await apply(program('svc'));
  const pid = info('svc').pid;
  const { plan, report } = await apply(
    program('svc', 'autorestart=true\nstartretries=9\nstopwaitsecs=2\nexitcodes=0,3\npriority=5'),
  );
  assert.equal(plan.groups[0]?.processes[0]?.action, 'update-in-place');
  // A [program:x] group takes the program's priority, so the group's priority changes in place too.
  assert.deepEqual(
    report.results.map((x) => x.step.op),
    ['set-group-priority', 'update-process'],
  );
  assert.equal(info('svc').pid, pid);
  const spec = r.engine.snapshot().find((s) => s.spec.name === 'svc')?.spec;
  assert.equal(spec?.autorestart, true);
  assert.equal(spec?.startretries, 9);
  await finish();
});

test('numprocs 2 -> 3 starts only the third instance; 3 -> 2 stops only it', timeout, async () => {
  const { apply, pids, info, finish } = setup();
  const pool = (n: number) =>
    `[program:w]\ncommand=${sleeper} w\nstartsecs=0\nnumprocs=${n}\nprocess_name=%(program_name)s_%(process_num)02d\n`;
  await apply(pool(2));
  const two = pids();
  const { report } = await apply(pool(3));
  assert.deepEqual(
    report.results
      .filter((x) => x.step.op === 'start' || x.step.op === 'stop')
      .map((x) => `${x.step.op} ${x.target}`),
    ['start w:w_02'],
  );
  assert.equal(info('w:w_00').pid, two.get('w:w_00'));
  assert.equal(info('w:w_01').pid, two.get('w:w_01'));
  assert.equal(info('w:w_02').statename, 'RUNNING');
  const third = info('w:w_02').pid;
  await apply(pool(2));
  assert.equal(info('w:w_00').pid, two.get('w:w_00'));
  assert.equal(info('w:w_01').pid, two.get('w:w_01'));
  assert.throws(() => info('w:w_02'), /BAD_NAME/);
  assert.deepEqual(leftovers([third]), []);
  await finish();
});

test(
  'a process stopped by hand stays stopped through an apply, even with autostart=true',
  timeout,
  async () => {
    const { apply, r, info, finish } = setup();
    await apply(program('manual') + program('other'));
    await r.engine.stopProcess('manual');
    const { plan } = await apply(program('manual', 'stopwaitsecs=7') + program('other', 'environment=X="1"'));
    const byName = new Map(plan.groups.flatMap((g) => g.processes).map((p) => [p.namespec, p]));
    assert.equal(byName.get('manual')?.action, 'update-in-place');
    assert.equal(byName.get('other')?.action, 'restart');
    assert.equal(info('manual').statename, 'STOPPED');
    assert.equal(info('other').statename, 'RUNNING');
    // A restart-class change to the stopped process swaps its spec and still leaves it stopped.
    await apply(
      `[program:manual]\ncommand=${sleeper} manual v2\nstartsecs=0\n` + program('other', 'environment=X="1"'),
    );
    assert.equal(info('manual').statename, 'STOPPED');
    await r.engine.startProcess('manual');
    assert.equal(
      r.engine.snapshot().find((s) => s.spec.name === 'manual')?.spec.command,
      `${sleeper} manual v2`,
    );
    await finish();
  },
);

const stack = (appCommand: string) =>
  `[group:stack]\nprograms=db,app,worker\npriority=10\n` +
  program('db', 'priority=1') +
  `[program:app]\ncommand=${appCommand}\nstartsecs=0\npriority=2\n` +
  program('worker', 'priority=3');

test('a change to one [group:x] member restarts only that member', timeout, async () => {
  const { apply, pids, info, finish } = setup();
  await apply(stack(`${sleeper} app`));
  const before = pids();
  await apply(stack(`${sleeper} app v2`));
  assert.equal(info('stack:db').pid, before.get('stack:db'));
  assert.equal(info('stack:worker').pid, before.get('stack:worker'));
  assert.notEqual(info('stack:app').pid, before.get('stack:app'));
  assert.equal(info('stack:app').statename, 'RUNNING');
  await finish();
});

test("restartGroups restarts the whole changed group, as supervisor's update does", timeout, async () => {
  const { apply, pids, info, r, finish } = setup();
  await apply(stack(`${sleeper} app`) + program('bystander'));
  const before = pids();
  const events: string[] = [];
  r.engine.subscribe((e) => {
    if (e.type === 'process-state' && (e.to === 'STOPPED' || e.to === 'STARTING'))
      events.push(`${e.name} ${e.to}`);
  });
  await apply(stack(`${sleeper} app v2`) + program('bystander'), { restartGroups: new Set(['stack']) });
  for (const name of ['stack:db', 'stack:app', 'stack:worker']) {
    assert.notEqual(info(name).pid, before.get(name), `${name} restarted`);
    assert.equal(info(name).statename, 'RUNNING');
  }
  assert.equal(info('bystander').pid, before.get('bystander:bystander'), 'other groups are untouched');
  assert.deepEqual(events, [
    'worker STOPPED',
    'app STOPPED',
    'db STOPPED',
    'db STARTING',
    'app STARTING',
    'worker STARTING',
  ]);
  await finish();
});

test(
  'a removed group is stopped and removed; an added one starts, and a second apply has nothing to do',
  timeout,
  async () => {
    const { apply, pids, info, r, finish } = setup();
    await apply(program('old') + program('keep'));
    const before = pids();
    const { report } = await apply(program('keep') + program('new'));
    assert.deepEqual(
      report.results.map((x) => `${x.step.op} ${x.target}`),
      ['stop old', 'remove-group old:*', 'add-group new:*', 'start new'],
    );
    assert.throws(() => info('old'), /BAD_NAME/);
    assert.deepEqual(leftovers([before.get('old:old') ?? 0]), []);
    assert.equal(info('keep').pid, before.get('keep:keep'));
    assert.equal(info('new').statename, 'RUNNING');
    const again = await apply(program('keep') + program('new'));
    assert.deepEqual(again.plan.steps, []);
    assert.equal(r.engine.getAllProcessInfo().length, 2);
    await finish();
  },
);

test('fix the command of a FATAL program and apply: it starts with the new command', timeout, async () => {
  const { apply, info, finish } = setup();
  await apply('[program:typo]\ncommand=/nonexistent/bin/svd-typo\nstartsecs=0\nstartretries=0\n');
  await eventually(() => info('typo').statename === 'FATAL', 10_000, 'FATAL after the spawn error');
  assert.match(info('typo').spawnerr, /can't find command|ENOENT/);
  const { plan } = await apply(`[program:typo]\ncommand=${sleeper} fixed\nstartsecs=0\nstartretries=0\n`);
  assert.equal(plan.groups[0]?.processes[0]?.reason, 'was-down');
  await eventually(() => info('typo').statename === 'RUNNING', 10_000, 'RUNNING with the fixed command');
  assert.ok(info('typo').pid > 0);
  await finish();
});

test('a start with a long startsecs does not hold up the apply or the next priority', timeout, async () => {
  const { apply, info, finish } = setup();
  await apply(
    `[program:slow]\ncommand=${sleeper} slow\nstartsecs=30\npriority=1\n` +
      `[program:next]\ncommand=${sleeper} next\nstartsecs=0\npriority=2\n`,
  );
  // The apply returned while slow still serves its 30 s: next was started all the same.
  assert.equal(info('slow').statename, 'STARTING');
  await eventually(() => info('next').statename === 'RUNNING', 10_000, 'next RUNNING');
  await finish();
});

// An apply racing a client: a start that lands between the plan's stop of a process and its spec swap (or
// removal), while the apply still waits on a slow stop of a later priority.
const racing = (version: string, withGone: boolean) =>
  `[program:fast]\ncommand=${sleeper}\nenvironment=VERSION=${version}\nstartsecs=0\npriority=999\n` +
  `[program:slow]\ncommand=${stubborn} ${version}\nstartsecs=0\nstopwaitsecs=2\npriority=1\n` +
  (withGone ? `[program:gone]\ncommand=${sleeper} gone\nstartsecs=0\npriority=500\n` : '');

test(
  'a client starting processes while an apply waits on a slow stop: the new command runs, the removed one goes',
  timeout,
  async () => {
    const { r, load, apply, info, finish } = setup();
    const { engine } = r;
    const state = (n: string) => info(n).statename;
    await apply(racing('v1', true));
    await eventually(() => ['fast', 'slow', 'gone'].every((n) => state(n) === 'RUNNING'), 10_000, 'running');

    const desired = load(racing('v2', false));
    const applying = executePlan(planReconcile(desired, readActualState(engine)), engine);
    await eventually(() => state('fast') === 'STOPPED' && state('slow') === 'STOPPING', 10_000, 'stop wave');
    await engine.startProcess('fast', false);
    await engine.startProcess('gone', false);
    const report = await applying;

    assert.ok(report.ok, JSON.stringify(report.results.filter((x) => x.outcome.status !== 'done')));
    assert.deepEqual(
      engine.groupSpecs().map((g) => g.name),
      ['slow', 'fast'],
    );
    await eventually(() => state('fast') === 'RUNNING', 10_000, 'fast running');
    // The spawn returns once the exec has begun; the kernel sets the new environment up a moment later.
    const environ = () => readFileSync(`/proc/${info('fast').pid}/environ`, 'utf8').split('\0');
    await eventually(() => environ().some((e) => e.startsWith('VERSION=')), 5000, 'environment set up');
    const env = environ();
    assert.ok(env.includes('VERSION=v2'), `fast runs with ${env.filter((e) => e.startsWith('VERSION'))}`);
    assert.ok(isEmptyPlan(planReconcile(desired, readActualState(engine))));
    await finish();
  },
);
