// /RPC2 refuses a request whose Origin names another site, as /api does: a page elsewhere must not drive
// the daemon with the browser's cached Basic credentials. Clients that send no Origin are unaffected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sleeperDaemonPerFile, type ControlDaemon } from '../support/control-daemon.js';
import { postRpc, type Target } from '../support/http-probe.js';
import { supervisorMissing } from '../support/oracle.js';

let d: ControlDaemon;
let inet: Target;
const auth = { Authorization: `Basic ${Buffer.from('u:p').toString('base64')}` };
const stop =
  '<?xml version="1.0"?><methodCall><methodName>supervisor.stopProcess</methodName>' +
  '<params><param><value><string>sleeper</string></value></param></params></methodCall>';
const getState =
  '<?xml version="1.0"?><methodCall><methodName>supervisor.getState</methodName><params/></methodCall>';

sleeperDaemonPerFile({ inet: true, credentials: { username: 'u', password: 'p' } }, (daemon) => {
  d = daemon;
  inet = { port: d.port };
});

test('a foreign Origin is refused with 403 before the call runs', { timeout: 30_000 }, async () => {
  for (const origin of ['https://evil.example', `http://127.0.0.1:${d.port + 1}`, 'null']) {
    const res = await postRpc(inet, stop, { ...auth, Origin: origin, 'Content-Type': 'text/plain' });
    assert.equal(res.status, 403, origin);
    assert.match(res.body, /Error code 403\./);
    assert.equal(res.headers.connection, 'close');
  }
  assert.match(d.mainLog(), /WARN XML-RPC cross-origin request refused \(Origin https:\/\/evil\.example\)/);
  const state = await d.svdctl(['status', 'sleeper']);
  assert.match(state.stdout, /sleeper\s+RUNNING/, 'the stop never ran');
});

test('no Origin (libraries, curl) or this server as Origin is served', { timeout: 30_000 }, async () => {
  const plain = await postRpc(inet, getState, auth);
  assert.equal(plain.status, 200);
  assert.match(plain.body, /RUNNING/);
  const same = await postRpc(inet, getState, { ...auth, Origin: `http://127.0.0.1:${d.port}` });
  assert.equal(same.status, 200);
});

test(
  "Debian's supervisorctl, which sends no Origin, is served",
  { skip: supervisorMissing, timeout: 30_000 },
  async () => {
    const ctl = await d.supervisorctl(['status']);
    assert.match(ctl.stdout, /sleeper\s+RUNNING/);
  },
);
