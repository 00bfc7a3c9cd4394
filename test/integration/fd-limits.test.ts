// A daemon under a low open-files limit (`ulimit -n 128`) with more programs than its descriptors can hold.
// supervisord spawns what fits, the rest go FATAL with 'too many open files to spawn', and it still answers.
// svd spawned nothing at all when it had inherited a descriptor above the limit (every spawn failed with
// EINVAL), and once its children had taken every descriptor it could not load what answers requests, so
// every request failed with HTTP 500 and no program could be stopped to free some.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nativeSpawnAvailable } from '../../src/adapters/native-spawn.js';
import { eventually } from '../support/cleanup.js';
import { startControlDaemon, type ControlDaemon } from '../support/control-daemon.js';
import { svdBin } from '../support/paths.js';
import { fixture } from '../support/real-engine.js';
import { prlimitWorks, underFileLimit } from '../support/prlimit.js';

// Node reads a command's modules in parallel: svd needs ~66 descriptors just to load (README), so the limit
// leaves it room for that, and 40 programs of 5 descriptors each still run out of them.
const LIMIT = 128;
const INHERITED = 200;
const LAST = 'p39';

const skip = prlimitWorks(LIMIT) ? false : 'prlimit(1) cannot lower the open-files limit here';

let d: ControlDaemon | undefined;

before(async () => {
  if (skip) return;
  d = await startControlDaemon('svd', {
    launcher: underFileLimit(LIMIT),
    inheritedFd: INHERITED,
    supervisord: 'minfds=16',
    body: [
      '[program:p]',
      `command=${fixture('sleep-forever')}`,
      'numprocs=40',
      'process_name=%(program_name)s%(process_num)02d',
      'startsecs=0',
      'startretries=0',
    ].join('\n'),
  });
  await eventually(
    () => (d?.mainLog().match(/gave up: p\d+ entered FATAL/g) ?? []).length > 0,
    20_000,
    'a FATAL',
  );
});

after(async () => {
  await d?.stop();
});

test(
  'an inherited descriptor above the open-files limit does not stop every spawn',
  { skip, timeout: 60_000 },
  () => {
    const log = d?.mainLog() ?? '';
    const warning = new RegExp(`descriptor ${INHERITED}, inherited by the daemon, is above`);
    assert.doesNotMatch(log, /EINVAL/);
    assert.match(log, /success: p00 entered RUNNING/);
    const pid = Number(/spawned: 'p00' with pid (\d+)/.exec(log)?.[1]);
    const held = readdirSync(`/proc/${pid}/fd`).includes(String(INHERITED));
    // The native spawner closes it in every child, as supervisord does; node:child_process cannot, and says so.
    if (nativeSpawnAvailable()) {
      assert.equal(held, false, 'p00 holds the inherited descriptor');
      assert.doesNotMatch(log, warning);
    } else {
      assert.equal(held, true);
      assert.match(log, warning);
    }
  },
);

test(
  'with its descriptors used up by children the daemon still answers, and a stop frees room for a start',
  { skip, timeout: 60_000 },
  async () => {
    assert.ok(d);
    const status = await d.svdctl(['status']);
    assert.equal(status.code, 3, status.stdout + status.stderr);
    assert.match(status.stdout, /^p:p00 +RUNNING/m);
    assert.match(status.stdout, new RegExp(`^p:${LAST} +FATAL +too many open files to spawn '${LAST}'`, 'm'));

    const stopped = await d.svdctl(['stop', 'p:p00', 'p:p01']);
    assert.match(stopped.stdout, /p:p01: stopped/);
    const started = await d.svdctl(['start', `p:${LAST}`]);
    assert.match(started.stdout, new RegExp(`p:${LAST}: started`));
    assert.doesNotMatch(d.mainLog(), /ERRO/);
  },
);

test(
  'a limit too low for svd to load its own modules is one line and exit 2, as a minfds refusal, not a stack trace',
  { skip, timeout: 30_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'svd-fd-load-'));
    try {
      const conf = join(dir, 'supervisord.conf');
      writeFileSync(conf, `[supervisord]\nlogfile=${join(dir, 'd.log')}\npidfile=${join(dir, 'd.pid')}\n`);
      // Node reads a command's modules in parallel: 32 descriptors are too few for the daemon's. Were they
      // enough on some machine, the daemon's minfds check (1024 by default) refuses the start the same way.
      const r = spawnSync(
        'prlimit',
        ['--nofile=32:32', '--', process.execPath, svdBin, 'daemon', '-n', '-c', conf],
        {
          encoding: 'utf8',
          timeout: 20_000,
        },
      );
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(
        r.stderr,
        /^svd: too many open files \(EMFILE\) while loading svd's modules: the open-files limit is 32; raise it|minimum number of file descriptors/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
