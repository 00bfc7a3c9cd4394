// startProcess on a process that is still STOPPING (it ignores SIGTERM): as supervisor, nothing is spawned, the main
// log warns that it is already running, and the call answers ABNORMAL_TERMINATION (true without wait).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../support/cleanup.js';
import {
  alive,
  childLog,
  descendants,
  startControlDaemon,
  type ControlDaemon,
} from '../support/control-daemon.js';
import { methodCall, postRpc } from '../support/http-probe.js';
import { fixture } from '../support/real-engine.js';

let d: ControlDaemon;
let children: number[] = [];
const call = methodCall;

// stopwaitsecs outlasts the test's few calls, and the shutdown in after() waits it out within stop()'s 30 s.
before(async () => {
  d = await startControlDaemon('svd', {
    body:
      `[program:stubborn]\ncommand=${fixture('ignore-term')}\nstartsecs=0\nstopwaitsecs=10\n` +
      `[program:quick]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\nstopwaitsecs=10\nautostart=false\n`,
  });
  await eventually(() => d.mainLog().includes('success: stubborn entered RUNNING'), 20_000, 'RUNNING');
  // Its line says it ignores SIGTERM by now: RUNNING (startsecs=0) comes before the shell sets its trap.
  await eventually(() => childLog(d, 'stubborn').includes('ready'), 20_000, 'stubborn ready');
  children = descendants(d.pid);
});

after(async () => {
  await d?.stop();
  await eventually(() => alive(children).length === 0, 20_000, 'no process left');
});

test(
  'start while STOPPING: ABNORMAL_TERMINATION with wait, true without, and the same pid',
  { timeout: 60_000 },
  async () => {
    const unix = { socketPath: d.socket };
    const pid = (await postRpc(unix, call('supervisor.getProcessInfo', 'stubborn'))).body.match(
      /<name>pid<\/name>\s*<value><int>(\d+)</,
    )?.[1];
    assert.ok(pid);
    await postRpc(unix, call('supervisor.stopProcess', 'stubborn', '<boolean>0</boolean>'));
    const waited = await postRpc(unix, call('supervisor.startProcess', 'stubborn'));
    assert.match(waited.body, /<int>40<\/int>[\s\S]*ABNORMAL_TERMINATION: stubborn/);
    const unwaited = await postRpc(unix, call('supervisor.startProcess', 'stubborn', '<boolean>0</boolean>'));
    assert.match(unwaited.body, /<boolean>1<\/boolean>/);
    // The main log is written at the end of the daemon's turn, which may come after the reply was read.
    await eventually(
      () => /WARN process 'stubborn' already running/.test(d.mainLog()),
      15_000,
      'the warning',
    );
    const info = (await postRpc(unix, call('supervisor.getProcessInfo', 'stubborn'))).body;
    assert.match(info, /<string>STOPPING<\/string>/);
    assert.match(info, new RegExp(`<name>pid</name>\\s*<value><int>${pid}<`));
  },
);

test(
  'a stop within milliseconds of a spawn ends at once: the SIGTERM is not lost before the exec',
  { timeout: 60_000 },
  async () => {
    // supervisord 4.2.5 loses it (its forked child still has supervisord's Python handler until the exec): 9 stops
    // in 10 wait stopwaitsecs and end in SIGKILL. Each start and stop here go in one multicall.
    const unix = { socketPath: d.socket };
    const member = (method: string, params: string) =>
      `<value><struct><member><name>methodName</name><value><string>${method}</string></value></member>` +
      `<member><name>params</name><value><array><data>${params}</data></array></value></member></struct></value>`;
    const pair = call(
      'system.multicall',
      `<array><data>${member('supervisor.startProcess', '<value>quick</value><value><boolean>0</boolean></value>')}` +
        `${member('supervisor.stopProcess', '<value>quick</value>')}</data></array>`,
    );
    const started = Date.now();
    for (let i = 0; i < 5; i++) {
      const reply = (await postRpc(unix, pair)).body;
      assert.doesNotMatch(reply, /faultCode/, reply);
    }
    assert.ok(Date.now() - started < 5_000, `5 start-stop pairs took ${Date.now() - started} ms`);
    // The main log is written at the end of the daemon's turn, which may come after the last reply was read.
    await eventually(
      () => (d.mainLog().match(/stopped: quick \(terminated by SIGTERM\)/g) ?? []).length === 5,
      15_000,
      'five stops by SIGTERM',
    );
    assert.doesNotMatch(d.mainLog(), /killing 'quick' .* with SIGKILL/);
  },
);
