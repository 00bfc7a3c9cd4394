// SIGCHLD in the daemon: caught only at loglevel=debug, where supervisord's line about it is written. Otherwise
// the disposition stays at its default and the kernel drops the signal at each exit, which the daemon learns of
// from the child's pidfd (or libuv's own handler) all the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { eventually } from '../support/cleanup.js';
import { daemonsPerFile, type ControlDaemon } from '../support/control-daemon.js';
import { fixture } from '../support/real-engine.js';
import { nativeSpawnAvailable } from '../../src/adapters/native-spawn.js';

// Through the node:child_process fallback, libuv catches SIGCHLD itself while it has children.
const fallback = nativeSpawnAvailable() ? false : 'children are spawned through node:child_process here';

const body = `
[program:p]
command=${fixture('sleep-forever')}
startsecs=0
autorestart=false
`;

const daemons = daemonsPerFile(
  [
    ['svd', { body, supervisord: 'loglevel=info' }],
    ['svd', { body, supervisord: 'loglevel=debug' }],
  ],
  {
    ready: (d) => eventually(() => d.mainLog().includes('success: p entered'), 20_000, 'p RUNNING'),
  },
);

/** Whether the daemon has a handler for SIGCHLD (17): bit 16 of SigCgt in /proc/PID/status. */
function catchesSigchld(d: ControlDaemon): boolean {
  const mask = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${d.pid}/status`, 'utf8'))?.[1];
  assert.ok(mask, 'SigCgt in /proc/PID/status');
  return (BigInt(`0x${mask}`) & (1n << 16n)) !== 0n;
}

test(
  'at loglevel=info SIGCHLD is not caught, and an exit is still seen at once',
  { timeout: 60_000, skip: fallback },
  async () => {
    const [info] = daemons();
    assert.equal(catchesSigchld(info), false);
    const r = await info.svdctl(['stop', 'p']);
    assert.equal(r.stdout, 'p: stopped\n');
    assert.equal(catchesSigchld(info), false);
    assert.doesNotMatch(info.mainLog(), /received SIGCHLD/);
  },
);

test(
  "at loglevel=debug SIGCHLD is caught and each exit logs supervisord's line",
  { timeout: 60_000 },
  async () => {
    const [, debug] = daemons();
    assert.equal(catchesSigchld(debug), true);
    const r = await debug.svdctl(['stop', 'p']);
    assert.equal(r.stdout, 'p: stopped\n');
    await eventually(
      () => debug.mainLog().includes('DEBG received SIGCHLD indicating a child quit'),
      10_000,
      'the SIGCHLD line',
    );
  },
);
