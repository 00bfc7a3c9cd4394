// The main log's lines about signals, under Debian's supervisord 4.2.5 and under svd, driven by the same
// supervisorctl commands: supervisor names a signal with its signame, so `signal 0` is `signal 0`, and signal 29
// is SIGPOLL (Node names it SIGIO) in the stop's `killing` line and in `terminated by`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../support/cleanup.js';
import { sideBySide, type ControlDaemon } from '../support/control-daemon.js';
import { supervisorMissing as skip } from '../support/oracle.js';
import { fixture } from '../support/real-engine.js';

const body = `
[program:p]
command=${fixture('sleep-forever')}
stopsignal=IO
[program:q]
command=${fixture('sleep-forever')}
autorestart=false
`;

const daemons = sideBySide(
  { body, supervisord: 'loglevel=debug' },
  {
    skip,
    ready: (d) =>
      eventually(
        () => d.mainLog().includes('success: p entered') && d.mainLog().includes('success: q entered'),
        20_000,
        `${d.kind}: p and q RUNNING`,
      ),
  },
);

/** The main log's lines about the signals sent to p and q and the exits they caused, pids masked. */
function signalLines(d: ControlDaemon): string[] {
  return d
    .mainLog()
    .split('\n')
    .map((l) => l.replace(/^\S+ \S+ /, '').replace(/pid \d+/g, 'pid N'))
    .filter((l) => /^(DEBG (sending|killing) [pq] |WARN (exited|stopped): [pq] )/.test(l));
}

test(
  "signal 0 and signal 29 are named as supervisord names them: 'signal 0' and SIGPOLL",
  { skip, timeout: 90_000 },
  async () => {
    const both = daemons();
    for (const args of [
      ['signal', '0', 'q'],
      ['signal', '29', 'q'],
      ['stop', 'p'],
    ]) {
      const [theirs, ours] = await Promise.all(both.map((d) => d.supervisorctl(args)));
      assert.deepEqual(ours, theirs, args.join(' '));
    }
    for (const d of both)
      await eventually(() => signalLines(d).length === 5, 10_000, `${d.kind}: five lines`);
    const [theirs, ours] = both.map(signalLines);
    assert.deepEqual(theirs, [
      'DEBG sending q (pid N) sig signal 0',
      'DEBG sending q (pid N) sig SIGPOLL',
      'WARN exited: q (terminated by SIGPOLL; not expected)',
      'DEBG killing p (pid N) with signal SIGPOLL',
      'WARN stopped: p (terminated by SIGPOLL)',
    ]);
    assert.deepEqual(ours, theirs);
  },
);
