// A child whose log is a plain file that never rotates writes that file itself (LogSink.directFd): every byte
// lands, none passes through the daemon, redirect_stderr shares the file, and clearProcessLogs empties the
// file the running child keeps writing. Real processes, real files.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine.js';
import { NodeSpawner } from '../../src/adapters/node-spawner.js';
import { systemClock } from '../../src/adapters/system-clock.js';
import { channelLogFactory } from '../../src/daemon/child-logs.js';
import { createDaemonLog, type DaemonLog } from '../../src/logs/index.js';
import type { SupervisordSettings } from '../../src/model/config.js';
import { eventually, killAllSpawned, leftovers, tracked } from '../support/cleanup.js';
import { fixture } from '../support/real-engine.js';
import { programGroup, type ProcessOverrides } from '../support/specs.js';

let dir: string;
let mainLog: DaemonLog;
const engines: Engine[] = [];
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'svd-direct-'));
  mainLog = createDaemonLog({ path: join(dir, 'main.log'), maxbytes: 0, backups: 0, level: 'info' });
});
afterEach(async () => {
  for (const e of engines.splice(0)) await e.stopAll();
  killAllSpawned();
});
after(async () => {
  await mainLog.close();
  rmSync(dir, { recursive: true, force: true });
});

const MB = 1024 * 1024;

/** An engine over the real spawner and the daemon's channel logs; counts output that reached the daemon. */
function start(o: ProcessOverrides): { engine: Engine; passedThrough: () => number } {
  const sd = { childlogdir: dir, identifier: 'supervisor', strip_ansi: false } as SupervisordSettings;
  const engine = new Engine({
    clock: systemClock,
    spawner: tracked(new NodeSpawner()),
    childLogs: channelLogFactory({ supervisord: sd, mainLog }),
  });
  engines.push(engine);
  let bytes = 0;
  engine.subscribe((e) => {
    if (e.type === 'process-output') bytes += e.data.length;
  });
  engine.addGroup(programGroup({ startsecs: 0, autorestart: false, ...o }));
  engine.run();
  return { engine, passedThrough: () => bytes };
}

const size = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return -1;
  }
};

test('a never-rotated log file is written by the child itself: every byte lands, none passes the daemon', async () => {
  const out = join(dir, 'flood.out');
  const err = join(dir, 'flood.err');
  const { engine, passedThrough } = start({
    name: 'flood',
    command: `${fixture('flood-stdout')} ${MB}`,
    stdout_logfile: out,
    stdout_logfile_maxbytes: 0,
    stderr_logfile: err,
    stderr_logfile_maxbytes: 0,
  });
  await eventually(() => engine.getProcessInfo('flood').statename === 'EXITED', 20_000, 'EXITED');
  assert.equal(size(out), MB);
  assert.equal(readFileSync(err, 'utf8'), 'done\n');
  assert.equal(passedThrough(), 0);
});

test('with rotation configured the bytes still pass through the daemon', async () => {
  const out = join(dir, 'rotated.out');
  const { engine, passedThrough } = start({
    name: 'rotated',
    command: `${fixture('flood-stdout')} ${MB}`,
    stdout_logfile: out,
    stdout_logfile_maxbytes: 10 * MB,
  });
  await eventually(() => engine.getProcessInfo('rotated').statename === 'EXITED', 20_000, 'EXITED');
  assert.equal(size(out), MB);
  // stdout's megabyte and stderr's `done` line (stderr has no file, so a pipe).
  assert.equal(passedThrough(), MB + 'done\n'.length);
});

test('redirect_stderr with a direct file: both streams in the one file, in order', async () => {
  const out = join(dir, 'both.out');
  const { engine } = start({
    name: 'both',
    command: `${fixture('flood-stdout')} 1000`,
    redirect_stderr: true,
    stdout_logfile: out,
    stdout_logfile_maxbytes: 0,
  });
  await eventually(() => engine.getProcessInfo('both').statename === 'EXITED', 20_000, 'EXITED');
  assert.equal(readFileSync(out, 'utf8'), `${'x'.repeat(1000)}done\n`);
});

test('clearProcessLogs empties the file a running direct child keeps writing', async () => {
  const out = join(dir, 'talker.out');
  const { engine } = start({
    name: 'talker',
    command: `/bin/sh -c 'trap "echo again" USR1; echo first; while :; do sleep 0.05; done'`,
    stdout_logfile: out,
    stdout_logfile_maxbytes: 0,
    stopasgroup: true,
  });
  await eventually(() => size(out) === 'first\n'.length, 20_000, 'first line');
  const pid = engine.getProcessInfo('talker').pid;
  engine.clearProcessLogs('talker');
  assert.equal(size(out), 0);
  await engine.signalProcess('talker', 'USR1');
  await eventually(() => size(out) > 0, 20_000, 'a line after clear');
  assert.equal(readFileSync(out, 'utf8'), 'again\n');
  assert.equal(await engine.stopProcess('talker'), true);
  // The shell's sleep, orphaned by the group kill, is reaped by init.
  await eventually(() => leftovers([pid]).length === 0, 20_000, 'the group gone');
});
