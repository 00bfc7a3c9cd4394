// reread, update and shutdown: svd's daemon and svd ctl against Debian's supervisord and supervisorctl
// (spec §5.5, §10.1 items 29-30).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { programs, running, threeDaemons } from '../support/ctl-compare.js';
import { mask, startControlDaemon, type ControlDaemon } from '../support/control-daemon.js';
import { supervisorMissing as skip } from '../support/oracle.js';
import { fixture } from '../support/real-engine.js';

const trio = threeDaemons();
const edited = programs(' changed')
  .replace(/\[program:nolog\][^[]*/, '[program:newone]\ncommand=/bin/sleep 999\nstartsecs=0\n\n')
  .replace('priority=5', 'priority=6');

test(
  'reread and update as supervisorctl does them, then a broken config',
  { skip, timeout: 120_000 },
  async () => {
    for (const d of trio.daemons()) d.rewrite(edited);
    await trio.sameTranscript([
      'reread',
      'avail',
      'update nosuch sleeper',
      // svd ctl's update is the minimal one: grp's priority changes in place, nothing in it stops.
      [
        'update',
        {
          svdCtl:
            'nolog: stopped\nnolog: removed process group\ngrp: updated process group\nnewone: added process group\n',
        },
      ],
      'status',
      'reread',
      'update',
      'avail',
      'exit',
    ]);
    await trio.sameOneShot('update');
    for (const d of trio.daemons()) d.rewrite(`${edited}\n[program:bad]\n`);
    // supervisor's message names its parser's words; svd's names the file and line.
    await trio.sameOneShot('reread', { prefix: 'ERROR: CANT_REREAD: '.length });
    await trio.sameOneShot('update', {
      prefix: "error: <class 'xmlrpc.client.Fault'>, <Fault 92: ".length,
      svdCtl: { startsWith: 'ERROR: CANT_REREAD: ', code: 1 },
    });
  },
);

test(
  'update reports added groups by priority, then name, and removed ones in the order they were active',
  { skip, timeout: 120_000 },
  async () => {
    // Names and priorities in opposite orders: svd's plan lists groups by name, supervisorctl by priority.
    const extra = ['zz', 'mm', 'aa']
      .map(
        (g, i) => `[program:${g}]\ncommand=/bin/sleep 999\nstartsecs=0\nautostart=false\npriority=${i + 1}\n`,
      )
      .join('\n');
    for (const d of trio.daemons()) d.rewrite(`${edited}\n${extra}`);
    await trio.sameOneShot('update');
    for (const d of trio.daemons()) d.rewrite(edited);
    await trio.sameOneShot('update');
  },
);

test(
  'update reports removed groups in the order they became active; an updated group became active again',
  { skip, timeout: 120_000 },
  async () => {
    // supervisord keeps its groups in a dict: a group added later comes last whatever its priority, and update
    // re-adds a changed group, so it moves to the end. Removed groups are reported in that order.
    const prog = (name: string, priority: number, seconds = 999) =>
      `[program:${name}]\ncommand=/bin/sleep ${seconds}\nstartsecs=0\nautostart=false\npriority=${priority}\n`;
    const early = prog('early', 1);
    const mid = prog('mid', 2);
    const late = prog('late', 0);
    for (const d of trio.daemons()) d.rewrite(`${edited}\n${early}\n${mid}`);
    await trio.sameOneShot('update');
    for (const d of trio.daemons()) d.rewrite(`${edited}\n${early}\n${mid}\n${late}`);
    await trio.sameOneShot('update');
    for (const d of trio.daemons()) d.rewrite(`${edited}\n${prog('early', 1, 998)}\n${mid}\n${late}`);
    // Nothing of early runs, so svd ctl has nothing to report stopped.
    await trio.sameOneShot('update', {
      svdCtl: { startsWith: 'early: updated process group\n', code: 0 },
    });
    for (const d of trio.daemons()) d.rewrite(edited);
    await trio.sameOneShot('update');
  },
);

test(
  'update compares log paths as supervisord does: an AUTO is skipped only in the fresh read',
  { skip, timeout: 120_000 },
  async () => {
    const sleeperLog = (value: string) =>
      edited.replace(/(\[program:sleeper\]\ncommand=[^\n]*\n)/, `$1stdout_logfile=${value}\n`);
    // AUTO to NONE: supervisord compares the file name it gave the AUTO log with None.
    for (const d of trio.daemons()) d.rewrite(sleeperLog('NONE'));
    await trio.sameOneShot('update');
    // Back to AUTO: supervisord skips the AUTO and keeps the process as it is; svd ctl restarts it with an AUTO log.
    for (const d of trio.daemons()) d.rewrite(edited);
    await trio.sameOneShot('update', {
      svdCtl: { startsWith: 'sleeper: stopped\nsleeper: updated process group\n', code: 0 },
    });
  },
);

test(
  'update names an active group with no processes as no such group',
  { skip, timeout: 120_000 },
  async () => {
    // supervisorctl checks update's names against the groups of getAllProcessInfo and the added ones, so an
    // empty [group:x] is accepted while it is being added and refused once it is active.
    for (const d of trio.daemons()) d.rewrite(`${edited}\n[group:empty]\n`);
    await trio.sameOneShot('update empty');
    await trio.sameOneShot('update empty');
    // supervisorctl checks the names of a Python set, whose order changes from run to run.
    await trio.sameOneShot('update empty nosuch', { unordered: true });
    for (const d of trio.daemons()) d.rewrite(edited);
    await trio.sameOneShot('update');
  },
);

test('shutdown, then again once the daemon is gone', { skip, timeout: 120_000 }, async () => {
  await trio.sameOneShot('shutdown');
  const exits = await Promise.all(trio.daemons().map((d) => d.exited));
  assert.deepEqual(exits, [
    { code: 0, signal: null },
    { code: 0, signal: null },
    { code: 0, signal: null },
  ]);
  for (const line of ['shutdown', 'status', 'avail', 'reload']) await trio.sameOneShot(line);
});

test(
  'update of a group with nothing to do, during a shutdown: ERROR: already shutting down',
  { skip, timeout: 120_000 },
  async (t) => {
    // A program that ignores SIGTERM holds each daemon in its shutdown for stopwaitsecs: long enough for the
    // nine supervisorctl runs below on a loaded machine (with 6 s, supervisord had exited before the last ones,
    // which then read its closed socket as a broken pipe).
    const body = `${programs()}
[program:stubborn]
command=${fixture('ignore-term')}
startsecs=0
stopwaitsecs=20
`;
    const daemons: ControlDaemon[] = [];
    t.after(() => Promise.all(daemons.map((d) => d.stop())));
    for (const kind of ['supervisord', 'svd'] as const)
      daemons.push(await startControlDaemon(kind, { body }));
    const [real, svd] = daemons as [ControlDaemon, ControlDaemon];
    for (const d of daemons) {
      // sleeper, ga, gb and stubborn.
      await running(d, 4);
      assert.equal((await d.supervisorctl(['shutdown'])).stdout, 'Shut down\n');
    }
    for (const line of ['update sleeper', 'update', 'reread']) {
      const args = line.split(' ');
      const expected = await real.supervisorctl(args);
      for (const got of [await svd.supervisorctl(args), await svd.svdctl(args)]) {
        const view = (r: typeof got, d: ControlDaemon) => ({ out: mask(r.stdout, d.dir), code: r.code });
        assert.deepEqual(view(got, svd), view(expected, real), line);
      }
    }
  },
);
