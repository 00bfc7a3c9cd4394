// `svd diff` and `svd apply` on a host that still runs Debian's supervisord (the first thing one tries before
// switching): supervisord has no svd.* methods, so both say that in one line and exit 1, and nothing changes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { run, startControlDaemon, type ControlDaemon } from '../support/control-daemon.js';
import { fixture } from '../support/real-engine.js';
import { supervisorMissing as skip } from '../support/oracle.js';
import { svdBin } from '../support/paths.js';

let daemon: ControlDaemon | null = null;

before(async () => {
  if (skip) return;
  daemon = await startControlDaemon('supervisord', {
    body: `[program:web]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n`,
  });
});

after(async () => {
  await daemon?.stop();
});

test(
  'svd diff and svd apply against supervisord say it is not svd, and change nothing',
  { skip, timeout: 90_000 },
  async () => {
    const d = daemon as ControlDaemon;
    const before = await d.supervisorctl(['status']);
    assert.match(before.stdout, /^web +RUNNING/);
    d.rewrite(`[program:web]\ncommand=${fixture('sleep-forever')} 2\nstartsecs=0\n`);
    for (const [command, method] of [
      ['diff', 'svd.plan'],
      ['apply', 'svd.apply'],
    ] as const) {
      const r = await run(process.execPath, [svdBin, command, '-c', d.conf]);
      assert.equal(r.code, 1, `${command}: ${r.stdout}${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.equal(
        r.stderr,
        `svd: unix://${d.socket}: the daemon there has no ${method} (is it supervisord?): svd diff and svd apply ` +
          "need svd's daemon; supervisorctl reread and update work with either\n",
      );
    }
    const after = await d.supervisorctl(['status']);
    assert.equal(after.stdout.replace(/uptime \S+/, ''), before.stdout.replace(/uptime \S+/, ''));
  },
);
