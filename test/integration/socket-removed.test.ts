// The unix socket's file removed under a running daemon (a tmp cleaner sweeping /tmp, a stray rm): no client can
// reach it. supervisord's SIGHUP restarts its servers and so makes the file again; svd's SIGHUP is the minimal
// reload, which left the daemon unreachable until it was killed. Now a SIGHUP listens on the path again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, unlinkSync } from 'node:fs';
import { eventually } from '../support/cleanup.js';
import { startControlDaemon, type ControlDaemon } from '../support/control-daemon.js';
import { fixture } from '../support/real-engine.js';

let d: ControlDaemon;

before(async () => {
  d = await startControlDaemon('svd', {
    body: `[program:a]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n`,
  });
});

after(async () => {
  await d?.stop();
});

test(
  'a SIGHUP makes a removed socket file again, and the daemon answers there',
  { timeout: 60_000 },
  async () => {
    unlinkSync(d.socket);
    const lost = await d.svdctl(['status']);
    assert.match(lost.stdout + lost.stderr, /no such file/);

    process.kill(d.pid, 'SIGHUP');
    await eventually(() => existsSync(d.socket), 10_000, 'the socket file again');
    const back = await d.svdctl(['status']);
    assert.match(back.stdout, /^a +RUNNING/m);
    assert.match(d.mainLog(), /sd\.sock: the socket file had been removed; listening there again/);

    // A second SIGHUP finds the file its own: nothing is bound twice, nothing logged.
    process.kill(d.pid, 'SIGHUP');
    await eventually(
      () => (d.mainLog().match(/reload: no changes/g) ?? []).length === 2,
      10_000,
      'the second reload',
    );
    assert.equal((d.mainLog().match(/listening there again/g) ?? []).length, 1);
    assert.match((await d.svdctl(['status'])).stdout, /^a +RUNNING/m);
  },
);
