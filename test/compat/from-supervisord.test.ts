// A host that still runs Debian's supervisord, as one moving to svd finds it: `svd diff` and `svd apply` (the
// first thing one tries before switching) say in one line that supervisord has no svd.* methods and exit 1; svd's
// daemon started on the same configuration before supervisord is stopped names the daemon in its way. Nothing
// changes in supervisord's processes or its logs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../support/cleanup.js';
import { descendants, run, startControlDaemon, type ControlDaemon } from '../support/control-daemon.js';
import { fixture } from '../support/real-engine.js';
import { supervisorMissing as skip } from '../support/oracle.js';
import { svdBin } from '../support/paths.js';

let daemon: ControlDaemon | null = null;

const autoLogs = (dir: string) =>
  readdirSync(dir)
    .filter((n) => n.includes('---supervisor-'))
    .sort();

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

test(
  "svd started where supervisord stopped deletes supervisord's AUTO logs and nothing else, and appends to the named logs",
  { skip, timeout: 90_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svd-from-supervisord-'));
    // This test's daemons only: killAllSpawned would also kill the file's other daemon, started in before()
    // (its children, in groups of their own, were then left running).
    const mine: number[] = [];
    try {
      const conf = join(dir, 'supervisord.conf');
      writeFileSync(
        conf,
        `[supervisord]\nlogfile=%(here)s/sd.log\npidfile=%(here)s/sd.pid\nchildlogdir=%(here)s\n` +
          `[unix_http_server]\nfile=%(here)s/sd.sock\n[supervisorctl]\nserverurl=unix://%(here)s/sd.sock\n` +
          `[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n` +
          `[program:auto]\ncommand=/bin/sh -c 'echo auto; exec ${fixture('sleep-forever')}'\nstartsecs=0\n` +
          `[program:named]\ncommand=/bin/sh -c 'echo named; exec ${fixture('sleep-forever')}'\nstartsecs=0\n` +
          `stdout_logfile=%(here)s/named.log\n`,
      );
      const ctl = (bin: string, args: string[]) =>
        bin === 'svd'
          ? run(process.execPath, [svdBin, 'ctl', '-c', conf, ...args])
          : run(bin, ['-c', conf, ...args]);
      const daemon = (command: string[]) => {
        const child = spawn(command[0] as string, command.slice(1), { stdio: 'ignore', detached: true });
        if (child.pid) mine.push(child.pid);
        return new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      };
      const named = () =>
        existsSync(join(dir, 'named.log')) ? readFileSync(join(dir, 'named.log'), 'utf8') : '';

      const theirs = daemon(['/usr/bin/supervisord', '-n', '-c', conf]);
      await eventually(() => named() === 'named\nready\n', 20_000, 'supervisord started');
      await eventually(() => autoLogs(dir).length === 3, 20_000, 'three AUTO logs');
      const left = autoLogs(dir);
      assert.equal((await ctl('/usr/bin/supervisorctl', ['shutdown'])).stdout, 'Shut down\n');
      assert.equal(await theirs, 0);
      // Names near an AUTO log's (another identifier, none, a named log's backup): supervisord keeps them too.
      const others = ['named.log.1', 'app---other-x.log', 'auto-stdout.log', 'notes.txt'];
      for (const name of others) writeFileSync(join(dir, name), 'keep\n');

      const ours = daemon([process.execPath, svdBin, 'daemon', '-n', '-c', conf]);
      await eventually(() => named() === 'named\nready\nnamed\nready\n', 20_000, 'svd started, appending');
      const now = autoLogs(dir);
      assert.equal(now.length, 3, now.join(' '));
      assert.deepEqual(
        now.filter((n) => left.includes(n)),
        [],
        "supervisord's AUTO logs are gone",
      );
      for (const name of others) assert.equal(readFileSync(join(dir, name), 'utf8'), 'keep\n', name);
      assert.equal((await ctl('svd', ['shutdown'])).stdout, 'Shut down\n');
      assert.equal(await ours, 0);
    } finally {
      for (const pid of mine) {
        for (const group of [pid, ...descendants(pid)]) {
          try {
            process.kill(-group, 'SIGKILL');
          } catch {
            // Gone already, or not a group leader.
          }
        }
      }
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
