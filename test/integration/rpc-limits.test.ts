// Limits on what one XML-RPC request can make svd's daemon build or hold, on a real daemon: a multicall's
// results, one log read. After each, the daemon still serves and its memory stays bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleeperDaemonPerFile, type ControlDaemon } from '../support/control-daemon.js';
import { postRpc, type Target } from '../support/http-probe.js';

let d: ControlDaemon;
let unix: Target;
const call = (method: string, params = '') =>
  `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>${params}</params></methodCall>`;
const param = (value: string) => `<param><value>${value}</value></param>`;

sleeperDaemonPerFile({ inet: true }, (daemon) => {
  d = daemon;
  unix = { socketPath: d.socket };
});

/** The daemon's peak resident memory so far, in MB (VmHWM). */
function peakRssMb(): number {
  const status = readFileSync(`/proc/${d.pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]) / 1024;
}

async function stillServing(): Promise<void> {
  const res = await postRpc(unix, call('supervisor.getProcessInfo', param('<string>sleeper</string>')));
  assert.equal(res.status, 200);
  assert.match(res.body, /<string>RUNNING<\/string>/);
}

test(
  '1,000 readLog(0, 0) of a 5 MB main log in one multicall: the daemon stops at the limit and lives',
  { timeout: 120_000 },
  async () => {
    const line = `${'filler '.repeat(14)}\n`;
    appendFileSync(join(d.dir, 'sd.log'), line.repeat(Math.ceil((5 * 1024 * 1024) / line.length)));
    const entry =
      '<value><struct><member><name>methodName</name><value>supervisor.readLog</value></member>' +
      '<member><name>params</name><value><array><data><value><int>0</int></value><value><int>0</int></value></data></array></value></member></struct></value>';
    const xml = call('system.multicall', param(`<array><data>${entry.repeat(1000)}</data></array>`));
    const res = await postRpc(unix, xml);
    assert.equal(res.status, 200);
    const count = (text: string) => res.body.split(text).length - 1;
    const dropped = count('its result was dropped');
    const notRun = count('this call was not run');
    // Every fault's faultString is a <string> too: what remains are the log's text, whole.
    const kept = count('<value><string>') - dropped - notRun;
    assert.equal(dropped, 1);
    assert.ok(kept >= 10 && kept < 13, `kept ${kept}`);
    assert.equal(kept + dropped + notRun, 1000);
    assert.match(
      res.body,
      /<int>30<\/int>[\s\S]*FAILED: system\.multicall results exceed 67108864 characters/,
    );
    await stillServing();
    // Without the limit the heap passed 4 GB and the daemon died; with it the peak is a few hundred MB.
    assert.ok(peakRssMb() < 1024, `peak RSS ${peakRssMb()} MB`);
  },
);

test(
  'sendProcessStdin to a child that never reads answers FAILED past 4 MiB queued; the daemon keeps nothing more',
  { timeout: 60_000 },
  async () => {
    const chars = 'z'.repeat(1_900_000);
    // Kept alive: the daemon answers as soon as it has the body, and with `Connection: close` it closes at once,
    // while Node's client still has a write of nothing to make after the body's last bytes; that write then fails
    // with EPIPE and the request with it (1 in 40 runs on a loaded machine).
    const send = () =>
      postRpc(unix, call('supervisor.sendProcessStdin', param('<string>sleeper</string>') + param(chars)), {
        Connection: 'keep-alive',
      });
    const answers: string[] = [];
    for (let i = 0; i < 10; i++) answers.push((await send()).body);
    const accepted = answers.filter((b) => b.includes('<boolean>1</boolean>')).length;
    const refused = answers.filter((b) =>
      /<int>30<\/int>[\s\S]*FAILED: sleeper: stdin holds \d+ bytes/.test(b),
    );
    // 64 KiB go into the pipe, two calls fill the 4 MiB queue; every later call is refused.
    assert.equal(accepted, 2);
    assert.equal(refused.length, 8);
    await stillServing();
  },
);
