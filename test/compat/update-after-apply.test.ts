// After svd's own minimal update (SIGHUP, `svd apply`, `svd ctl update`), supervisorctl's reread, avail and
// update against svd answer as they do against supervisord after its `update` of the same change (spec §5.5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allStarted, mask, run, startControlDaemon, type ControlDaemon } from '../support/control-daemon.js';
import { supervisorMissing as skip } from '../support/oracle.js';
import { svdBin } from '../support/paths.js';
import { fixture } from '../support/real-engine.js';

const prog = (name: string, extra = '') =>
  `[program:${name}]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n${extra}\n`;

/** Polls supervisorctl status until `check` holds for its text. */
async function statusUntil(d: ControlDaemon, check: (status: string) => boolean): Promise<void> {
  let last = '';
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    last = (await d.supervisorctl(['status'])).stdout;
    if (check(last) && !last.includes('STARTING')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${d.kind}: status never as expected:\n${last}`);
}

const view = (r: { stdout: string; stderr: string; code: number | null }, d: ControlDaemon) => ({
  out: mask(r.stdout + r.stderr, d.dir),
  code: r.code,
});

test(
  'a group that grew in the middle (programs=, numprocs) is no change to reread once svd applied it',
  { skip, timeout: 120_000 },
  async (t) => {
    const before = `[group:g]\nprograms=a,c\n${prog('a')}${prog('c')}`;
    const [real, svd] = await allStarted([
      startControlDaemon('supervisord', { body: before }),
      startControlDaemon('svd', { body: before }),
    ]);
    t.after(() => Promise.all([real.stop(), svd.stop()]));
    for (const d of [real, svd]) await statusUntil(d, (s) => (s.match(/ RUNNING /g) ?? []).length === 2);

    // b goes before a in programs=, and a becomes two processes: the configuration lists g's processes as
    // b, a_0, a_1, c, which supervisord's update adopts whole.
    const after = `[group:g]\nprograms=b,a,c\n${prog('a', 'numprocs=2\nprocess_name=a_%(process_num)d')}${prog('b')}${prog('c')}`;
    for (const [i, how] of (['sighup', 'apply', 'ctl'] as const).entries()) {
      const body = i === 1 ? before : after;
      for (const d of [real, svd]) d.rewrite(body);
      assert.equal((await real.supervisorctl(['update'])).code, 0);
      if (how === 'sighup') process.kill(svd.pid, 'SIGHUP');
      else if (how === 'apply')
        assert.equal((await run(process.execPath, [svdBin, 'apply', '-c', svd.conf])).code, 0, how);
      else assert.equal((await svd.svdctl(['update'])).code, 0, how);
      const count = i === 1 ? 2 : 4;
      for (const d of [real, svd])
        await statusUntil(d, (s) => (s.match(/ RUNNING /g) ?? []).length === count);
      for (const line of ['reread', 'avail', 'update']) {
        const expected = view(await real.supervisorctl([line]), real);
        assert.deepEqual(view(await svd.supervisorctl([line]), svd), expected, `${how}: ${line}`);
      }
    }
  },
);
