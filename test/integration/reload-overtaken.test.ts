// A SIGHUP that waits behind an apply (slow stop) and is overtaken by a shutdown: dropped with a warning, as
// supervisord drops it, not reported as a failed reload.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, killAllSpawned } from '../support/cleanup.js';
import { startControlDaemon, type ControlDaemon } from '../support/control-daemon.js';
import { fixture } from '../support/real-engine.js';

const daemons: ControlDaemon[] = [];
after(async () => {
  for (const d of daemons) await d.stop();
  killAllSpawned();
});

const slow = (version: string) =>
  `[program:slow]\ncommand=${fixture('ignore-term')} ${version}\nstartsecs=0\nstopwaitsecs=2\n`;

test(
  'a SIGHUP queued behind an apply, then SIGTERM: the reload is dropped with a warning',
  { timeout: 60_000 },
  async () => {
    const d = await startControlDaemon('svd', { body: slow('v1') });
    daemons.push(d);
    await eventually(() => d.mainLog().includes('success: slow entered RUNNING'), 15_000, 'RUNNING');
    d.rewrite(slow('v2'));
    const update = d.svdctl(['update']);
    await eventually(() => d.mainLog().includes('waiting for slow to stop'), 15_000, 'the apply waits');
    d.rewrite(slow('v3'));
    process.kill(d.pid, 'SIGHUP');
    await eventually(() => d.mainLog().includes('received SIGHUP'), 15_000, 'the SIGHUP');
    process.kill(d.pid, 'SIGTERM');
    assert.deepEqual(await d.exited, { code: 0, signal: null });
    await update;
    const log = d.mainLog();
    assert.match(log, /WARN ignored SIGHUP indicating reload request \(shutdown in progress\)/);
    assert.doesNotMatch(log, / ERRO /);
  },
);
