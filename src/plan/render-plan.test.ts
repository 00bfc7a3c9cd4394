import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GroupSpec } from '../model/config.js';
import type { ProcessStateName } from '../model/states.js';
import { repoRoot } from '../../test/support/paths.js';
import { groupSpec, programGroup } from '../../test/support/specs.js';
import { planReconcile, type PlanOptions } from './plan.js';
import { actualGroupOf, type ActualState } from './reconcile-state.js';
import { planToJson, renderPlan, summaryLine } from './render-plan.js';

// SVD_UPDATE_GOLDEN=1 node test/run.mjs render-plan rewrites the files instead of comparing.
const goldenDir = join(repoRoot, 'test', 'golden', 'plan');
const update = process.env.SVD_UPDATE_GOLDEN === '1';

function golden(file: string, actual: string): void {
  const path = join(goldenDir, file);
  if (update || !existsSync(path)) {
    assert.ok(update, `golden file ${path} is missing (run with SVD_UPDATE_GOLDEN=1 to create it)`);
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  assert.equal(actual, readFileSync(path, 'utf8'), `${file} differs (SVD_UPDATE_GOLDEN=1 rewrites it)`);
}

function running(groups: readonly GroupSpec[], states: Record<string, ProcessStateName> = {}): ActualState {
  let pid = 4100;
  return {
    groups: groups.map((g) =>
      actualGroupOf(g, (p) => {
        const state = states[`${p.group}:${p.name}`] ?? 'RUNNING';
        return { state, pid: state === 'RUNNING' || state === 'STOPPING' ? pid++ : 0 };
      }),
    ),
  };
}

const web = (n: number) =>
  groupSpec(
    'web',
    Array.from({ length: n }, (_, i) => ({
      name: `web_0${i}`,
      command: `/srv/web --port 80${i}`,
      numprocs: n,
      process_num: i,
      process_name: '%(program_name)s_%(process_num)02d',
    })),
  );

const scenarios: Record<string, { desired: GroupSpec[]; actual: ActualState; options?: PlanOptions }> = {
  mixed: {
    desired: [
      web(3),
      programGroup({ name: 'api', command: '/srv/api --v2', startsecs: 5, environment: { MODE: 'prod' } }),
      programGroup({ name: 'batch', command: '/srv/batch --new' }),
      programGroup({ name: 'cache', autorestart: true }),
      groupSpec('jobs', [{ name: 'nightly' }, { name: 'manual', autostart: false }]),
      programGroup({ name: 'quiet' }),
      programGroup({ name: 'zen' }),
    ],
    actual: running(
      [
        web(2),
        programGroup({ name: 'api', command: '/srv/api', environment: {} }),
        programGroup({ name: 'batch', command: '/srv/batch' }),
        programGroup({ name: 'cache' }),
        groupSpec('old', [{ name: 'exiter' }, { name: 'done' }]),
        programGroup({ name: 'quiet' }),
        programGroup({ name: 'zen' }),
      ],
      { 'batch:batch': 'STOPPED', 'old:done': 'EXITED', 'quiet:quiet': 'STOPPED' },
    ),
  },
  'whole-group': {
    desired: [
      groupSpec('stack', [{ name: 'db' }, { name: 'app', command: '/srv/app --new' }], {
        kind: 'group',
        priority: 10,
      }),
      groupSpec('ev', [{ name: 'listener' }], {
        kind: 'eventlistener',
        priority: -1,
        eventlistener: {
          events: ['TICK_60'],
          buffer_size: 10,
          result_handler: 'supervisor.dispatchers:default_handler',
        },
      }),
    ],
    actual: running([
      groupSpec('stack', [{ name: 'db' }, { name: 'app', command: '/srv/app' }], {
        kind: 'group',
        priority: 20,
      }),
      groupSpec('ev', [{ name: 'listener' }], {
        kind: 'eventlistener',
        priority: -1,
        eventlistener: {
          events: ['TICK_5'],
          buffer_size: 10,
          result_handler: 'supervisor.dispatchers:default_handler',
        },
      }),
    ]),
    options: { restartGroups: new Set(['stack']) },
  },
  'no-changes': {
    desired: [web(2), programGroup({ name: 'api' })],
    actual: running([web(2), programGroup({ name: 'api' })], { 'api:api': 'STOPPED' }),
  },
};

for (const [name, s] of Object.entries(scenarios)) {
  test(`golden: the ${name} plan, as text and as JSON`, () => {
    const plan = planReconcile({ groups: s.desired }, s.actual, s.options);
    golden(`${name}.txt`, renderPlan(plan));
    golden(`${name}.json`, `${JSON.stringify(planToJson(plan), null, 2)}\n`);
  });
}

test('the summary line counts processes, and group settings changed in place', () => {
  const plan = planReconcile({ groups: scenarios.mixed!.desired }, scenarios.mixed!.actual);
  assert.equal(summaryLine(plan), 'Plan: 3 to add, 1 to restart, 4 to update in place, 2 to remove.');
  const none = planReconcile(
    { groups: [programGroup({ name: 'a' })] },
    running([programGroup({ name: 'a' })]),
  );
  assert.equal(summaryLine(none), 'No changes. The running processes match the configuration.');
  const priority = planReconcile(
    { groups: [groupSpec('g', [{ name: 'x' }], { priority: 1 })] },
    running([groupSpec('g', [{ name: 'x' }], { priority: 2 })]),
  );
  assert.equal(summaryLine(priority), 'Plan: 0 to add, 0 to restart, 1 to update in place, 0 to remove.');
});

test('namespecs are written as supervisor writes them', () => {
  const text = renderPlan(
    planReconcile({ groups: [web(1), programGroup({ name: 'solo' })] }, { groups: [] }),
  );
  assert.match(text, /^ {4}\+ web:web_00: add, then start$/m);
  assert.match(text, /^ {4}\+ solo: add, then start$/m);
});
