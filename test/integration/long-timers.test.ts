// startsecs and stopwaitsecs beyond setTimeout's range (2^31 - 1 ms, ~24.8 days): the process waits as long as it
// was told. A single setTimeout fires such a delay after 1 ms: `startsecs=3000000` kept the daemon busy re-arming it
// (with a TimeoutOverflowWarning on stderr each time) and `stopwaitsecs=3000000` sent SIGKILL right after SIGTERM.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../support/cleanup.js';
import { alive, descendants, startControlDaemon, type ControlDaemon } from '../support/control-daemon.js';
import { methodCall, postRpc } from '../support/http-probe.js';
import { fixture } from '../support/real-engine.js';

let d: ControlDaemon;
let children: number[] = [];
const call = methodCall;

before(async () => {
  // `reference` is the yardstick: its one-second startsecs and stopwaitsecs are real waits that `patient`'s
  // would have ended long before, had they fired early.
  d = await startControlDaemon('svd', {
    body: [
      `[program:patient]\ncommand=${fixture('ignore-term')}\nstartsecs=3000000\nstopwaitsecs=3000000\n`,
      `[program:reference]\ncommand=${fixture('ignore-term')}\nstartsecs=1\nstopwaitsecs=1\n`,
    ].join('\n'),
  });
  await eventually(() => d.mainLog().includes('success: reference entered RUNNING'), 20_000, 'RUNNING');
  children = descendants(d.pid);
});

after(async () => {
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  await d?.stop();
  await eventually(() => alive(children).length === 0, 40_000, 'no process left');
});

test(
  'startsecs and stopwaitsecs of 3,000,000 s are waited, not fired after 1 ms',
  { timeout: 60_000 },
  async () => {
    const unix = { socketPath: d.socket };
    const status = async () => (await d.svdctl(['status', 'patient'])).stdout;
    assert.match(await status(), /^patient +STARTING/m);
    assert.doesNotMatch(d.mainLog(), /success: patient/);

    await postRpc(unix, call('supervisor.stopProcess', 'patient', '<boolean>0</boolean>'));
    // reference ignores SIGTERM too: its stop returns once its one-second stopwaitsecs has sent SIGKILL.
    assert.match((await d.svdctl(['stop', 'reference'])).stdout, /reference: stopped/);
    assert.match(d.mainLog(), /killing 'reference' \(\d+\) with SIGKILL/);
    assert.doesNotMatch(d.mainLog(), /killing 'patient'/);
    assert.match(await status(), /^patient +STOPPING/m);
  },
);
