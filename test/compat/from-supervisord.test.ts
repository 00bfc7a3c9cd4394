// A host that still runs Debian's supervisord, as one moving to svd finds it: `svd diff` and `svd apply` (the
// first thing one tries before switching) say in one line that supervisord has no svd.* methods and exit 1; svd's
// daemon started on the same configuration before supervisord is stopped names the daemon in its way. Nothing
// changes in supervisord's processes or its logs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
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

test(
  'svd daemon on the configuration of a running supervisord names it and leaves its AUTO logs',
  { skip, timeout: 90_000 },
  async () => {
    const d = daemon as ControlDaemon;
    const logs = readdirSync(d.dir).filter((n) => n.includes('---ctltest-'));
    assert.equal(logs.length, 2, logs.join(' '));
    const r = await run(process.execPath, [svdBin, 'daemon', '-n', '-c', d.conf]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.equal(
      r.stderr,
      `Error: another daemon is already running with pid ${d.pid} (pidfile ${d.dir}/sd.pid): ` +
        `/usr/bin/python3 /usr/bin/supervisord -c ${d.conf}\nFor help, use svd daemon -h\n`,
    );
    assert.deepEqual(
      readdirSync(d.dir).filter((n) => n.includes('---ctltest-')),
      logs,
    );
  },
);
