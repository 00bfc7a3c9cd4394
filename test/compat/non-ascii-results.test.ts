// Non-ASCII names in waited-on results, through Debian's supervisorctl: supervisord 4.2.5 sends such replies with a
// Content-Length in characters and the client fails on the cut reply (README, differences); svd's are whole.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../support/cleanup.js';
import { alive, descendants, startControlDaemon, type ControlDaemon } from '../support/control-daemon.js';
import { supervisorMissing as skip } from '../support/oracle.js';
import { fixture } from '../support/real-engine.js';

let d: ControlDaemon | undefined;
const children: number[] = [];

before(async () => {
  if (skip) return;
  d = await startControlDaemon('svd', {
    body: `[program:é]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\nautostart=false\n`,
  });
});

after(async () => {
  await d?.stop();
  await eventually(() => alive(children).length === 0, 10_000, 'no process left');
});

test(
  'start all, stop all and a group start name a program é in full',
  { skip, timeout: 60_000 },
  async () => {
    if (!d) throw new Error('the daemon did not start');
    assert.deepEqual(await d.supervisorctl(['start', 'all']), {
      stdout: 'é: started\n',
      stderr: '',
      code: 0,
    });
    children.push(...descendants(d.pid));
    assert.deepEqual(await d.supervisorctl(['stop', 'all']), { stdout: 'é: stopped\n', stderr: '', code: 0 });
    assert.deepEqual(await d.supervisorctl(['start', 'é:*']), {
      stdout: 'é: started\n',
      stderr: '',
      code: 0,
    });
  },
);
