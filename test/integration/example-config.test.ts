// The README's main job, as a new user runs it: the daemon on conf.example.d/ (its own fixed paths and port),
// every example program in the state the README shows, the web page on 127.0.0.1:9001, and a clean stop.
import { test, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, killAllSpawned } from '../support/cleanup.js';
import { alive, descendants } from '../support/control-daemon.js';
import { startDaemon } from '../support/daemon-process.js';
import { httpRequest } from '../support/http-probe.js';
import { repoRoot, svdBin } from '../support/paths.js';

const conf = join(repoRoot, 'conf.example.d', 'supervisord.conf');
const socket = '/tmp/svd-example.sock';

afterEach(() => killAllSpawned());

// The example's AUTO child logs go to /tmp (childlogdir=/tmp, identifier svd-example); the next daemon on the
// example would clear them, a test run leaves none behind. Only when this test started the daemon.
let startedExample = false;
after(() => {
  if (!startedExample) return;
  for (const name of readdirSync('/tmp'))
    if (/---svd-example-\S+\.log(\.\d+)?$/.test(name)) rmSync(join('/tmp', name), { force: true });
});

/** Whether something already answers where the example daemon binds (a developer's `npm start`). */
async function exampleAlreadyRunning(): Promise<boolean> {
  for (const target of [{ port: 9001 }, { socketPath: socket }]) {
    try {
      await httpRequest(target, { timeoutMs: 1000 });
      return true;
    } catch {
      // Nothing there.
    }
  }
  return false;
}

/** Each program's state from `svd ctl status` (lines of name, state, then pid and uptime or a date). */
function states(): Map<string, string> {
  const r = spawnSync(process.execPath, [svdBin, 'ctl', '-c', conf, 'status'], { encoding: 'utf8' });
  const found = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const m = /^(\S+)\s+(STOPPED|STARTING|RUNNING|BACKOFF|STOPPING|EXITED|FATAL|UNKNOWN)\b/.exec(line);
    if (m) found.set(m[1] as string, m[2] as string);
  }
  return found;
}

/** The example's fixed files that exist and this user cannot write (left by a run as another user, root's). */
function othersFiles(): string[] {
  return ['/tmp/svd-example.log', '/tmp/svd-example.pid'].filter((path) => {
    try {
      accessSync(path, constants.W_OK);
      return false;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code !== 'ENOENT';
    }
  });
}

test('the example config runs every program, serves the page on 127.0.0.1:9001 and stops cleanly', async (t) => {
  if (await exampleAlreadyRunning()) {
    t.skip('an svd daemon on conf.example.d is already running here (port 9001 or /tmp/svd-example.sock)');
    return;
  }
  const blocked = othersFiles();
  if (blocked.length > 0) {
    t.skip(
      `the example's ${blocked.join(' and ')} ${blocked.length === 1 ? 'belongs' : 'belong'} to another user here: this one cannot write them`,
    );
    return;
  }
  startedExample = true;
  const d = startDaemon(['daemon', '-c', conf], [], svdBin);
  let exited = false;
  void d.exited.then(() => (exited = true));
  let seen = new Map<string, string>();
  await eventually(
    () => {
      if (exited) return true;
      seen = states();
      return seen.size > 0 && [...seen.values()].every((s) => s === 'RUNNING' || s === 'EXITED');
    },
    30_000,
    'every example program RUNNING or EXITED',
  );
  assert.equal(exited, false, `the daemon exited: ${d.stderr()}`);
  assert.equal(seen.get('migrate'), 'EXITED', `the one-shot program ran and exited: ${[...seen]}`);
  const running = [...seen].filter(([, s]) => s === 'RUNNING').map(([n]) => n);
  assert.ok(running.length >= 4, `the long-running programs: ${[...seen]}`);

  const page = await httpRequest({ port: 9001 }, { path: '/' });
  assert.equal(page.status, 200);
  assert.match(page.body, /<html/i);
  const app = await httpRequest({ port: 18000 }, { path: '/' });
  assert.equal(app.status, 200, 'the example web app answers');

  const children = descendants(d.child.pid as number);
  assert.ok(children.length >= running.length, 'the programs are the daemon’s children');
  d.child.kill('SIGTERM');
  assert.deepEqual(await d.exited, { code: 0, signal: null });
  // A shell's `sleep` killed with its group is re-parented to PID 1 as a zombie for as long as init takes to
  // reap it.
  await eventually(
    () => alive(children).length === 0,
    5_000,
    `no example program left running: ${alive(children).join(' ')}`,
  );
});
