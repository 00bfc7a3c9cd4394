// The page's pure helpers (src/web/assets/format.js, plain browser JavaScript), loaded as the module the page loads.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../support/paths.js';

interface Row {
  namespec: string;
  statename: string;
  description: string;
  exitstatus: number;
}
interface Format {
  formatUptime(s: number): string;
  shortUptime(s: number): string;
  allowedActions(state: string): Record<'start' | 'stop' | 'restart' | 'signal' | 'clear', boolean>;
  matchesFilter(p: Row, text: string, state: string): boolean;
  exitText(p: Row): string;
  outcomeText(action: string, answer: unknown): { text: string; error: boolean };
  describePlanProcess(p: Record<string, unknown>): string;
}

let f: Format;
before(async () => {
  f = (await import(pathToFileURL(join(repoRoot, 'src', 'web', 'assets', 'format.js')).href)) as Format;
});

test("uptimes read as supervisor's description and as a short column", () => {
  assert.equal(f.formatUptime(62), '0:01:02');
  assert.equal(f.formatUptime(86400 + 3 * 3600 + 4 * 60 + 5), '1 day, 3:04:05');
  assert.equal(f.formatUptime(2 * 86400), '2 days, 0:00:00');
  assert.deepEqual([5, 125, 3 * 3600 + 60, 2 * 86400 + 3600].map(f.shortUptime), [
    '5s',
    '2m 05s',
    '3h 1m',
    '2d 1h',
  ]);
});

test('actions allowed per state follow supervisor (start when stopped, stop while running, signal when alive)', () => {
  assert.deepEqual(f.allowedActions('RUNNING'), {
    start: false,
    stop: true,
    restart: true,
    signal: true,
    clear: true,
  });
  assert.deepEqual(f.allowedActions('FATAL'), {
    start: true,
    stop: false,
    restart: true,
    signal: false,
    clear: true,
  });
  assert.deepEqual(f.allowedActions('BACKOFF'), {
    start: false,
    stop: true,
    restart: true,
    signal: false,
    clear: true,
  });
  assert.equal(f.allowedActions('STOPPING').restart, false);
});

test('the filter matches namespec or description, and a state or the problem states', () => {
  const p = { namespec: 'web:web_01', statename: 'EXITED', description: 'Nov 24 10:52 PM', exitstatus: 3 };
  assert.equal(f.matchesFilter(p, 'WEB_0', ''), true);
  assert.equal(f.matchesFilter(p, 'nov 24', ''), true);
  assert.equal(f.matchesFilter(p, 'api', ''), false);
  assert.equal(f.matchesFilter(p, '', 'problem'), true);
  assert.equal(f.matchesFilter(p, '', 'RUNNING'), false);
  assert.equal(f.exitText(p), '3');
  assert.equal(f.exitText({ ...p, statename: 'RUNNING' }), '');
});

test('action outcomes: a word for one process, failures listed for a group', () => {
  assert.deepEqual(f.outcomeText('stop', { ok: true }), { text: 'stopped', error: false });
  assert.deepEqual(f.outcomeText('start', { results: [] }), { text: 'nothing to do', error: false });
  const results = [
    { fault: null, description: 'OK' },
    { fault: 'SPAWN_ERROR', description: 'SPAWN_ERROR: web:w1' },
  ];
  assert.deepEqual(f.outcomeText('start', { results }), {
    text: '1 ok, 1 failed: SPAWN_ERROR: web:w1',
    error: true,
  });
});

test('plan lines are worded as svd diff words them', () => {
  const p = { action: 'restart', reason: 'fields', state: 'RUNNING', pid: 12, runs_after: true };
  assert.equal(f.describePlanProcess(p), 'restart (RUNNING, pid 12)');
  assert.equal(f.describePlanProcess({ ...p, action: 'add', state: null, pid: 0 }), 'add, then start');
  assert.equal(f.describePlanProcess({ ...p, action: 'remove' }), 'stop (RUNNING, pid 12), then remove');
  assert.equal(
    f.describePlanProcess({
      ...p,
      action: 'update-in-place',
      reason: 'not-running',
      state: 'STOPPED',
      pid: 0,
    }),
    'update in place (STOPPED: not running, takes effect at its next start)',
  );
});
