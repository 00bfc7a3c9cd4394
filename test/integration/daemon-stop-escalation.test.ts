// A stop's SIGKILL after stopwaitsecs, sent from a timer's callback, reaches a child that ignores SIGTERM at
// once, whatever the loglevel. The native spawner queues a stop's signals for its thread and hands them over
// once a turn of the loop: that once came after the loop's next wait for I/O, so at loglevel=error (no log
// line to flush at the end of the turn, which woke the loop at other levels) the SIGKILL waited for whatever
// woke the loop next, the SIGKILL's own re-armed stopwaitsecs timer at the latest: twice stopwaitsecs in all. The
// test harness's daemons wait for an INFO line: this one is started here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, trackGroup } from '../support/cleanup.js';
import { repoRoot } from '../support/paths.js';
import { fixture } from '../support/real-engine.js';
import { methodCall, postRpc } from '../support/http-probe.js';

const svd = join(repoRoot, 'dist/src/cli/bin/svd.js');

test(
  'at loglevel=error a stop not waited on still ends in SIGKILL after stopwaitsecs, with nothing else to wake the loop',
  { timeout: 60_000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'svd-escalation-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const conf = join(dir, 'svd.conf');
    writeFileSync(
      conf,
      [
        '[supervisord]',
        `logfile=${dir}/main.log`,
        `pidfile=${dir}/sd.pid`,
        `childlogdir=${dir}`,
        'loglevel=error',
        '[unix_http_server]',
        `file=${dir}/sd.sock`,
        '[rpcinterface:supervisor]',
        'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
        '[supervisorctl]',
        `serverurl=unix://${dir}/sd.sock`,
        '[program:stubborn]',
        `command=${fixture('ignore-term')}`,
        'startsecs=0',
        'stopwaitsecs=3',
        'autorestart=false',
        '',
      ].join('\n'),
    );
    const daemon = spawn(process.execPath, [svd, 'daemon', '-n', '-c', conf], {
      stdio: 'ignore',
      detached: true,
    });
    trackGroup(daemon.pid!);
    const exited = new Promise((resolve) => daemon.on('exit', resolve));
    const ctl = (...args: string[]) =>
      new Promise<string>((resolve) => {
        const c = spawn(process.execPath, [svd, 'ctl', '-c', conf, ...args], {
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        let out = '';
        c.stdout.on('data', (b: Buffer) => (out += b.toString()));
        c.on('close', () => resolve(out));
      });
    try {
      await eventually(() => existsSync(join(dir, 'sd.sock')), 20_000, 'the socket');
      for (const deadline = Date.now() + 20_000; !(await ctl('status', 'stubborn')).includes('RUNNING');)
        assert.ok(Date.now() < deadline, 'stubborn RUNNING');
      const pid = Number((await ctl('pid', 'stubborn')).trim());
      assert.ok(pid > 0);
      // Not waited on: the RPC answers at once, and no report timer of the stop wakes the daemon's loop.
      const sent = Date.now();
      const stop = await postRpc(
        { socketPath: join(dir, 'sd.sock') },
        methodCall('supervisor.stopProcess', 'stubborn', '<boolean>0</boolean>'),
      );
      assert.match(stop.body, /<boolean>1<\/boolean>/);
      await eventually(() => !existsSync(`/proc/${pid}`), 20_000, 'the SIGKILL');
      const ms = Date.now() - sent;
      // stopwaitsecs=3: ~3 s; the SIGKILL left waiting for the loop's next wake-up came ~6 s after the stop.
      assert.ok(ms < 4_500, `the SIGKILL came ${ms} ms after the stop`);
      assert.match(await ctl('status', 'stubborn'), /STOPPED/);
    } finally {
      daemon.kill('SIGTERM');
      await exited;
    }
  },
);
