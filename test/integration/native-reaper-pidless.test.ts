// Children watched without a pidfd (native/svd_reaper.c): near the open-files limit the spawner leaves the
// last sixteenth of it (at least 64) to the daemon's pipes, logs and clients, so a child spawned there has no
// pidfd, and its exit is learnt from SIGCHLD on the spawning loop. Each script here runs under a limit of 200
// with descriptors opened up to 140, above the 136 that keep their pidfds, so every child it spawns is one of
// those: its exit is reported once with its status, signals reach it by pid until it is reaped, and none is
// left a zombie.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { nativeSpawnAvailable } from '../../src/adapters/native-spawn.js';
import { repoRoot } from '../support/paths.js';
import { prlimitWorks, underFileLimit } from '../support/prlimit.js';

const addon = join(repoRoot, 'native/svd_spawn.node');
const LIMIT = 200;

const skip = !nativeSpawnAvailable()
  ? 'the native spawner is not built here (node native/build.mjs)'
  : !prlimitWorks(LIMIT)
    ? 'prlimit(1) cannot lower the open-files limit here'
    : false;

/**
 * Runs `body` (CommonJS, with `addon`, `spawn(file, argv, onExit)` -> pid, `openFds()`, `zombies()` and `done(x)`
 * in scope) under the low limit, and returns what it passed to done().
 */
function runPidless(body: string): Record<string, unknown> {
  const script = `
    const fs = require('node:fs');
    const addon = require(${JSON.stringify(addon)});
    const openFds = () => fs.readdirSync('/proc/self/fd').length;
    const zombies = () => {
      const out = [];
      for (const p of fs.readdirSync('/proc').filter((n) => /^\\d+$/.test(n))) {
        try {
          const stat = fs.readFileSync('/proc/' + p + '/stat', 'utf8');
          const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          if (state === 'Z' && Number(ppid) === process.pid) out.push(Number(p));
        } catch {}
      }
      return out;
    };
    const filler = [];
    while (filler.length < 300) {
      const fd = fs.openSync('/dev/null', 'r');
      filler.push(fd);
      if (fd >= 140) break;
    }
    const spawn = (file, argv, onExit) => {
      const pid = addon.spawn(file, argv, [], null, [-1, -1, -1], onExit);
      if (pid < 0) throw new Error('spawn failed: ' + pid);
      return pid;
    };
    const done = (x) => { process.stdout.write(JSON.stringify(x)); process.exit(0); };
    setTimeout(() => { process.stdout.write(JSON.stringify({ timedOut: true })); process.exit(1); }, 15000).unref();
    ${body}
  `;
  const [prlimit, ...limitArgs] = underFileLimit(LIMIT);
  const r = spawnSync(prlimit!, [...limitArgs, process.execPath, '-e', script], {
    encoding: 'utf8',
    timeout: 25_000,
    killSignal: 'SIGKILL',
  });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

test(
  'a child spawned near the limit takes no descriptor, and its exit status is reported once',
  { skip },
  () => {
    const out = runPidless(`
    // The first spawn opens what every later one shares (the reaper's epoll set, the spawner's reserved slots).
    spawn('/bin/true', ['true'], () => {
      const before = openFds();
      const reports = [];
      spawn('/bin/sh', ['sh', '-c', 'sleep 0.3; exit 7'], (code, signal) => {
        reports.push([code, signal]);
        setTimeout(() => done({ held, reports, zombies: zombies() }), 300);
      });
      const held = openFds() - before;
    });
  `);
    assert.equal(out.held, 0, 'descriptors the running child held in the parent');
    assert.deepEqual(out.reports, [[7, 0]]);
    assert.deepEqual(out.zombies, []);
  },
);

test('fifty children that exit together are each reported once, and none is left a zombie', { skip }, () => {
  const out = runPidless(`
    const codes = new Map();
    const pids = [];
    for (let i = 0; i < 50; i++) {
      const pid = spawn('/bin/sh', ['sh', '-c', 'sleep 0.2; exit ' + (i % 5)], (code, signal) => {
        codes.set(pid, (codes.get(pid) ?? []).concat([[code, signal]]));
        if (codes.size === 50) setTimeout(() => done({
          once: [...codes.values()].every((r) => r.length === 1),
          right: pids.every((p, j) => codes.get(p)[0][0] === j % 5 && codes.get(p)[0][1] === 0),
          zombies: zombies(),
        }), 300);
      });
      pids.push(pid);
    }
  `);
  assert.equal(out.once, true, 'every exit reported exactly once');
  assert.equal(out.right, true, "every child's own exit code");
  assert.deepEqual(out.zombies, []);
});

test('signals reach such a child by pid until it is reaped, then ESRCH', { skip }, () => {
  const out = runPidless(`
    const results = {};
    const term = spawn('/bin/sleep', ['sleep', '30'], (code, signal) => {
      results.term = [code, signal];
      results.afterTerm = addon.signal(term, 0, false);
      const killed = spawn('/bin/sleep', ['sleep', '30'], (code, signal) => {
        results.soon = [code, signal];
        results.afterSoon = addon.signal(killed, 0, false);
        setTimeout(() => done({ ...results, zombies: zombies() }), 100);
      });
      results.queued = addon.signalSoon(killed, 9, false);
    });
    results.alive = addon.signal(term, 0, false);
    results.sent = addon.signal(term, 15, false);
  `);
  assert.equal(out.alive, 0);
  assert.equal(out.sent, 0);
  assert.deepEqual(out.term, [-1, 15]);
  assert.ok((out.afterTerm as number) < 0, 'a reported child is not signalled again');
  assert.equal(out.queued, 0);
  assert.deepEqual(out.soon, [-1, 9]);
  assert.ok((out.afterSoon as number) < 0);
  assert.deepEqual(out.zombies, []);
});

test('a child that exits at once, before the loop turns, is still reported', { skip }, () => {
  const out = runPidless(`
    const reports = [];
    for (let i = 0; i < 5; i++) spawn('/bin/true', ['true'], (code, signal) => {
      reports.push([code, signal]);
      if (reports.length === 5) setTimeout(() => done({ reports, zombies: zombies() }), 100);
    });
    const until = Date.now() + 300;
    while (Date.now() < until) {}
  `);
  assert.deepEqual(out.reports, [
    [0, 0],
    [0, 0],
    [0, 0],
    [0, 0],
    [0, 0],
  ]);
  assert.deepEqual(out.zombies, []);
});
