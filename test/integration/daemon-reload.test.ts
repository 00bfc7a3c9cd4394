// supervisorctl reload (supervisor.restart) on the full daemon: like supervisord it reads everything again,
// [supervisord] and the servers included, not only the programs.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { eventually, killAllSpawned } from '../support/cleanup.js';
import { run, startControlDaemon, type ControlDaemon } from '../support/control-daemon.js';
import { freePort } from '../support/http-probe.js';
import { svdBin } from '../support/paths.js';
import { supervisorMissing } from '../support/oracle.js';
import { fixture } from '../support/real-engine.js';

const daemons: ControlDaemon[] = [];
after(async () => {
  for (const d of daemons) await d.stop();
  killAllSpawned();
});

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function okPage(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/ok.html', timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

test('reload applies a changed loglevel and a new [inet_http_server]', { timeout: 60_000 }, async () => {
  const d = await startControlDaemon('svd', {
    body: `[program:sleeper]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n`,
    supervisord: 'loglevel=info',
  });
  daemons.push(d);
  await eventually(() => d.mainLog().includes('success: sleeper entered RUNNING'), 15_000, 'RUNNING');
  const port = await freePort();
  assert.equal(await okPage(port), 0, 'nothing listens on the new port yet');
  const text = readFileSync(d.conf, 'utf8').replace('loglevel=info', 'loglevel=warn');
  writeFileSync(d.conf, `${text}\n[inet_http_server]\nport=127.0.0.1:${port}\n`);
  const r = await d.svdctl(['reload']);
  assert.deepEqual([r.code, r.stdout], [0, 'Restarted supervisord\n']);
  await until(async () => (await okPage(port)) === 200, 'the new inet server to answer');
  await until(async () => /RUNNING/.test((await d.svdctl(['status', 'sleeper'])).stdout), 'sleeper RUNNING');
  // The old run's last line is sleeper's stop; the new run logs at warn, so no INFO (spawned:, success:).
  const log = d.mainLog();
  const newRun = log.slice(log.lastIndexOf('stopped: sleeper'));
  assert.match(newRun, /^stopped: sleeper/);
  assert.doesNotMatch(newRun.slice(newRun.indexOf('\n')), / INFO /);
  const again = await d.svdctl(['status', 'sleeper']);
  assert.equal(again.code, 0);
});

test(
  'repeated reloads leave no file descriptor behind (old runs release their log files)',
  { timeout: 90_000 },
  async () => {
    const d = await startControlDaemon('svd', {
      body:
        `[program:a]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n` +
        `[program:b]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\nstderr_logfile=%(here)s/b.err\n`,
    });
    daemons.push(d);
    const fds = () => readdirSync(`/proc/${d.pid}/fd`).length;
    const runs = () => d.mainLog().split('supervisord started with pid');
    // Watched in the main log, not with status: the daemon closes a client's connection a moment after the client
    // has exited, so a count right after a status call could include it. The reload's own connection is closed
    // before the next run starts (its servers' close waits for it), and a child's log files open at its spawn.
    const reload = async () => {
      const before = runs().length;
      const r = await d.svdctl(['reload']);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      await eventually(
        () => {
          const all = runs();
          const last = all[all.length - 1] ?? '';
          return (
            all.length > before && ['a', 'b'].every((p) => last.includes(`success: ${p} entered RUNNING`))
          );
        },
        15_000,
        'both RUNNING after the reload',
      );
    };
    // A count right after a run starts may include a descriptor about to close (a FIFO of the pipe stock being
    // made, a client's connection): the baseline is a count that held still for a moment, and the end is checked
    // until it drops to it. A leak of one descriptor a run never does.
    const settledFds = async (): Promise<number> => {
      let last = fds();
      for (let i = 0; i < 50; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const now = fds();
        if (now === last) return now;
        last = now;
      }
      return last;
    };
    await reload();
    const after1 = await settledFds();
    await reload();
    await reload();
    await reload();
    try {
      await eventually(() => fds() <= after1, 5_000, `at most ${after1} descriptors`);
    } catch {
      assert.equal(
        fds(),
        after1,
        `${readdirSync(`/proc/${d.pid}/fd`)
          .map((f) => readlinkSafe(`/proc/${d.pid}/fd/${f}`))
          .join('\n')}`,
      );
    }
  },
);

function readlinkSafe(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '?';
  }
}

test(
  'signals that arrive between two runs of a reload do not end the daemon',
  { timeout: 60_000 },
  async () => {
    const d = await startControlDaemon('svd', {
      body: `[program:a]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n`,
    });
    daemons.push(d);
    let exited = false;
    void d.exited.then(() => (exited = true));
    // SIGUSR2 (reopen logs) ends a process whose handlers are gone: sent throughout, it lands between runs too.
    const spam = setInterval(() => {
      try {
        process.kill(d.pid, 'SIGUSR2');
      } catch {
        // Gone: the assertion below says so.
      }
    }, 2);
    try {
      for (let i = 0; i < 3 && !exited; i++) {
        await d.svdctl(['reload']);
        await until(
          async () => exited || /^a +RUNNING/m.test((await d.svdctl(['status'])).stdout),
          'a RUNNING',
        );
      }
    } finally {
      clearInterval(spam);
    }
    assert.equal(exited, false, 'the daemon is still running');
    assert.match((await d.svdctl(['status'])).stdout, /^a +RUNNING/m);
  },
);

test(
  "with nothing to stop, shutdown and reload still answer before the servers close (Debian's supervisorctl)",
  { skip: supervisorMissing, timeout: 90_000 },
  async () => {
    for (let i = 0; i < 3; i++) {
      const d = await startControlDaemon('svd', { body: '' });
      daemons.push(d);
      const reload = await d.supervisorctl(['reload']);
      assert.deepEqual([reload.code, reload.stdout], [0, 'Restarted supervisord\n'], reload.stderr);
      await until(async () => (await d.supervisorctl(['status'])).code === 0, 'serving again');
      const shutdown = await d.supervisorctl(['shutdown']);
      assert.deepEqual([shutdown.code, shutdown.stdout], [0, 'Shut down\n'], shutdown.stderr);
      assert.deepEqual(await d.exited, { code: 0, signal: null });
    }
  },
);

test(
  'update, svd apply and SIGHUP each say that a changed [supervisord] waits for a full restart',
  { timeout: 60_000 },
  async () => {
    const d = await startControlDaemon('svd', {
      body: `[program:sleeper]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n`,
      supervisord: 'loglevel=info',
    });
    daemons.push(d);
    await eventually(() => d.mainLog().includes('success: sleeper entered RUNNING'), 15_000, 'RUNNING');
    writeFileSync(d.conf, readFileSync(d.conf, 'utf8').replace('loglevel=info', 'loglevel=debug'));
    const waits = (cause: string) =>
      new RegExp(`WARN ${cause}: \\[supervisord\\] changed; that takes effect at a full restart`, 'g');
    const logged = (cause: string) => d.mainLog().match(waits(cause))?.length ?? 0;
    // supervisorctl's update prints nothing for it, and neither does svd ctl's: the daemon's log says it, and
    // has said it by the time the answer arrives (a script greps the log right after the command).
    assert.deepEqual(await d.svdctl(['update']), { stdout: '', stderr: '', code: 0 });
    assert.ok(d.mainLog().includes('apply: no changes'), "update's apply in the log");
    assert.equal(logged('apply'), 1);
    // The apply took the new configuration as the daemon's own, yet its loglevel is still not in effect.
    const applied = await run(process.execPath, [svdBin, 'apply', '-c', d.conf]);
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal(logged('apply'), 2);
    process.kill(d.pid, 'SIGHUP');
    await eventually(() => d.mainLog().includes('reload: no changes'), 15_000, 'the reload');
    assert.equal(logged('reload'), 1);
  },
);
