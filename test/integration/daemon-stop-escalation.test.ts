// A stop's SIGKILL after stopwaitsecs, sent from a timer's callback, reaches a child that ignores SIGTERM at
// once, whatever the loglevel. The native spawner queues a stop's signals for its thread and hands them over
// once a turn of the loop: that once came after the loop's next wait for I/O, so at loglevel=error (no log
// line to flush at the end of the turn, which woke the loop at other levels) the SIGKILL waited for the next
// timer, ~1 s later. The test harness's daemons wait for an INFO line: this one is started here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, trackGroup } from '../support/cleanup.js';
import { repoRoot } from '../support/paths.js';
import { fixture } from '../support/real-engine.js';

const svd = join(repoRoot, 'dist/src/cli/bin/svd.js');

test(
  'at loglevel=error a stop that ends in SIGKILL takes stopwaitsecs, not until the loop wakes for another reason',
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
        'stopwaitsecs=1',
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
      const started = Date.now();
      assert.equal(await ctl('stop', 'stubborn'), 'stubborn: stopped\n');
      const ms = Date.now() - started;
      // stopwaitsecs=1 plus the ctl's own start; the next timer (the waiting report) is 2 s after the stop.
      assert.ok(ms < 1_800, `${ms} ms`);
    } finally {
      daemon.kill('SIGTERM');
      await exited;
    }
  },
);
