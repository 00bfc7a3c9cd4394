// Passwords stay out of the daemon's log (readable by every local user by default) and out of what the API and
// XML-RPC report about a configuration, including when a password cannot be expanded.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { eventually, killAllSpawned } from '../support/cleanup.js';
import { startDaemon, tempConfig } from '../support/daemon-process.js';
import { fixture } from '../support/real-engine.js';
import { svdBin } from '../support/paths.js';
import { freePort, httpRequest, methodCall, postRpc } from '../support/http-probe.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  killAllSpawned();
  for (const c of cleanups.splice(0)) c();
});

test(
  'a password that cannot be expanded is never quoted: not in the log at start or at a reload, not in /api/plan or CANT_REREAD',
  { timeout: 60_000 },
  async () => {
    const port = await freePort();
    const inet = (password: string) =>
      `[inet_http_server]\nport=127.0.0.1:${port}\nusername=admin\npassword=${password}\n`;
    const rest =
      `[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n` +
      // supervisord never reads [supervisorctl]; svd warns about it at every start and reload.
      `[supervisorctl]\npassword=ctl%pw\n` +
      `[program:sleeper]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n`;
    const c = tempConfig(inet('s3cret') + rest);
    cleanups.push(c.cleanup);
    const log = () => (existsSync(`${c.dir}/sd.log`) ? readFileSync(`${c.dir}/sd.log`, 'utf8') : '');
    const d = startDaemon(['daemon', '-n', '-c', c.conf], [], svdBin);
    await eventually(() => log().includes('entered RUNNING state'), 15_000, 'RUNNING');
    await eventually(() => log().includes("RPC interface 'supervisor' initialized"), 15_000, 'serving');
    // Before: `warning: password: 'ctl%pw' is badly formatted: unsupported format character 'p' ...`.
    assert.match(log(), /sd\.conf:\d+:\d+: warning: password: <hidden password> is badly formatted/);
    assert.doesNotMatch(log(), /ctl%pw/);

    writeFileSync(c.conf, readFileSync(c.conf, 'utf8').replace('password=s3cret', 'password=n3w%(nope)s'));
    d.child.kill('SIGHUP');
    await eventually(() => log().includes('reload: the configuration is invalid'), 15_000, 'reload refused');
    assert.match(log(), /error: password: %\(nope\) cannot be expanded in <hidden password>/);
    const auth = { Authorization: `Basic ${Buffer.from('admin:s3cret').toString('base64')}` };
    const plan = await httpRequest({ port }, { path: '/api/plan', headers: auth });
    assert.equal(plan.status, 200);
    assert.match(plan.body, /<hidden password>/);
    const reread = await postRpc({ port }, methodCall('supervisor.reloadConfig'), auth);
    assert.match(reread.body, /CANT_REREAD/);
    for (const text of [log(), d.stdout(), d.stderr(), plan.body, reread.body]) {
      assert.doesNotMatch(text, /ctl%pw|n3w|s3cret/);
    }
    d.child.kill('SIGTERM');
    assert.deepEqual(await d.exited, { code: 0, signal: null });
  },
);
