// An apply racing a client on real processes: a start that lands between the plan's stop of a process and its
// spec swap (or removal), while the apply still waits on a slow stop of a later priority.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { formatDiagnostic } from '../../src/model/diagnostics.js';
import { isEmptyPlan } from '../../src/plan/plan-types.js';
import { planReconcile } from '../../src/plan/plan.js';
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

const config = (version: string, withGone: boolean) =>
  `[program:fast]\ncommand=${sleeper}\nenvironment=VERSION=${version}\nstartsecs=0\npriority=999\n` +
  `[program:slow]\ncommand=${stubborn} ${version}\nstartsecs=0\nstopwaitsecs=2\npriority=1\n` +
  (withGone ? `[program:gone]\ncommand=${sleeper} gone\nstartsecs=0\npriority=500\n` : '');

test(
  'a client starting processes while an apply waits on a slow stop: the new command runs, the removed one goes',
  { timeout: 60_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svd-reconcile-race-'));
    dirs.push(dir);
    const r = realEngine();
    engines.push(r);
    const { engine } = r;
    engine.run();
    const file = join(dir, 'svd.conf');
    const load = (conf: string) => {
      writeFileSync(file, conf);
      const loaded = loadConfig({ paths: [file] });
      assert.ok(loaded.config, loaded.diagnostics.map(formatDiagnostic).join('\n'));
      return loaded.config;
    };
    const state = (n: string) => engine.getProcessInfo(n).statename;
    const first = await executePlan(planReconcile(load(config('v1', true)), readActualState(engine)), engine);
    assert.ok(first.ok);
    await eventually(() => ['fast', 'slow', 'gone'].every((n) => state(n) === 'RUNNING'), 10_000, 'running');

    const desired = load(config('v2', false));
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
    const env = readFileSync(`/proc/${engine.getProcessInfo('fast').pid}/environ`, 'utf8').split('\0');
    assert.ok(env.includes('VERSION=v2'), `fast runs with ${env.filter((e) => e.startsWith('VERSION'))}`);
    assert.ok(isEmptyPlan(planReconcile(desired, readActualState(engine))));

    const spawned = rememberedGroups();
    await engine.stopAll();
    await eventually(() => leftovers(spawned).length === 0, 10_000, 'no leftover processes');
    await eventually(() => zombieChildren().length === 0, 10_000, 'no zombies');
  },
);
