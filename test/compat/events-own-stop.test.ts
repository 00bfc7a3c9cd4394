// A listener being stopped, under Debian's supervisord 4.2.5 and under svd: supervisor sends events only to
// RUNNING listeners, so the listener gets none of its own STOPPING/STOPPED events; they wait in the pool's
// buffer for its next start. The listener ignores its stopsignal (WINCH) for stopwaitsecs, so it could still
// read and record an event while STOPPING.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { eventually } from '../support/cleanup.js';
import { sideBySide, type ControlDaemon } from '../support/control-daemon.js';
import { listenerFixture, PYTHON, readRecords } from '../support/event-daemon.js';
import { supervisorMissing as skip } from '../support/oracle.js';

const body = `
[eventlistener:lis]
command=${PYTHON} ${listenerFixture('recorder.py')} %(here)s/lis.jsonl
events=PROCESS_STATE
stopsignal=WINCH
stopwaitsecs=2
`;

const both = sideBySide(
  { body },
  {
    skip,
    ready: (d) => eventually(() => seen(d).length === 2, 20_000, `${d.kind}: lis RUNNING and told so`),
  },
);

/** Event name and the process it is about, for each recorded event. */
function seen(d: ControlDaemon): string[] {
  return readRecords(join(d.dir, 'lis.jsonl')).map(
    (e) => `${e.headers['eventname']} ${e.body_headers['processname']}`,
  );
}

test(
  'a stopped listener does not get the events of its own stop; its next start does',
  { skip, timeout: 90_000 },
  async () => {
    const daemons = both();
    const stops = await Promise.all(daemons.map((d) => d.supervisorctl(['stop', 'lis'])));
    for (const s of stops) assert.equal(s.stdout, 'lis: stopped\n');
    const [theirs, ours] = daemons.map(seen);
    assert.deepEqual(theirs, ['PROCESS_STATE_STARTING lis', 'PROCESS_STATE_RUNNING lis']);
    assert.deepEqual(ours, theirs);

    await Promise.all(daemons.map((d) => d.supervisorctl(['start', 'lis'])));
    for (const d of daemons)
      await eventually(() => seen(d).length === 6, 20_000, `${d.kind}: the buffered events`);
    const [later, ourLater] = daemons.map(seen);
    assert.deepEqual(later?.slice(2), [
      'PROCESS_STATE_STOPPING lis',
      'PROCESS_STATE_STOPPED lis',
      'PROCESS_STATE_STARTING lis',
      'PROCESS_STATE_RUNNING lis',
    ]);
    assert.deepEqual(ourLater, later);
  },
);
