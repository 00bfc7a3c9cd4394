// A real svd daemon: a program's log files are created at its first spawn, not when it is added; a log that
// cannot be opened fails the spawn instead of the daemon.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, RemoteFault, type XmlRpcClient } from '../../src/client/index.js';
import { eventually } from '../support/cleanup.js';
import { alive, descendants, startControlDaemon, type ControlDaemon } from '../support/control-daemon.js';
import { httpRequest } from '../support/http-probe.js';
import { neverStartedPrograms, talker } from '../support/never-started.js';

const body = `${neverStartedPrograms}
[program:dirlog]
${talker}
autostart=false
startsecs=0
startretries=0
stdout_logfile=%(here)s
`;

let daemon: ControlDaemon | undefined;
let client: XmlRpcClient | undefined;
const children: number[] = [];

before(async () => {
  // Before the fix the daemon itself stopped at start: `open <dir>: EISDIR` for dirlog's log.
  daemon = await startControlDaemon('svd', { body });
  client = createClient({ serverUrl: `unix://${daemon.socket}`, timeoutMs: 20_000 });
});

after(async () => {
  client?.close();
  if (daemon) children.push(...descendants(daemon.pid));
  await daemon?.stop();
  await eventually(() => alive(children).length === 0, 10_000, 'no process left');
});

function d(): { daemon: ControlDaemon; client: XmlRpcClient } {
  if (!daemon || !client) throw new Error('the daemon did not start');
  return { daemon, client };
}

async function fault(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (e) {
    if (e instanceof RemoteFault) return `${e.faultCode} ${e.faultString}`;
    throw e;
  }
  return 'no fault';
}

test('a program never started has no log file: reads, tails, clear and SIGUSR2 create none', async () => {
  const { daemon, client } = d();
  const at = (f: string) => join(daemon.dir, f);
  const logs = () => readdirSync(daemon.dir).filter((f) => /\.(out|err)$|---ctltest-/.test(f));
  // AUTO names are made when the program is added (supervisor's mkstemp), so only those files exist.
  assert.deepEqual(
    logs()
      .map((f) => f.replace(/---ctltest-.*/, ''))
      .sort(),
    ['auto-stderr', 'auto-stdout', 'dirlog-stderr'],
  );

  assert.equal(
    await fault(client.call('supervisor.readProcessStdoutLog', ['explicit', 0, 0])),
    `20 NO_FILE: ${at('explicit.out')}`,
  );
  assert.equal(
    await fault(client.call('supervisor.readProcessStderrLog', ['explicit', -1600, 0])),
    `20 NO_FILE: ${at('explicit.err')}`,
  );
  assert.equal(
    await fault(client.call('supervisor.readProcessStdoutLog', ['redir', 0, 0])),
    `20 NO_FILE: ${at('redir.out')}`,
  );
  assert.equal(await fault(client.call('supervisor.readProcessStderrLog', ['redir', 0, 0])), '20 NO_FILE');
  assert.deepEqual(await client.call('supervisor.tailProcessStdoutLog', ['explicit', 0, 100]), [
    '',
    0,
    false,
  ]);
  assert.equal(await client.call('supervisor.readProcessStdoutLog', ['auto', 0, 0]), '');
  assert.equal(await client.call('supervisor.clearProcessLogs', ['explicit']), true);
  assert.equal((await client.call('supervisor.clearAllProcessLogs', [])) instanceof Array, true);

  const target = { socketPath: daemon.socket };
  assert.equal((await httpRequest(target, { path: '/logtail/explicit' })).status, 404);
  const window = await httpRequest(target, { path: '/api/log/explicit' });
  assert.equal(window.status, 200);
  assert.deepEqual(JSON.parse(window.body), { text: '', offset: 0, overflow: false });

  process.kill(daemon.pid, 'SIGUSR2');
  await eventually(() => daemon.mainLog().includes('received SIGUSR2'), 10_000, 'the reopen');
  assert.equal(existsSync(at('explicit.out')), false);
  assert.equal(existsSync(at('explicit.err')), false);
  assert.equal(existsSync(at('redir.out')), false);
});

test('the first start creates the files; after the stop they stay readable and are not reopened', async () => {
  const { daemon, client } = d();
  const at = (f: string) => join(daemon.dir, f);
  assert.equal(await client.call('supervisor.startProcess', ['explicit', true]), true);
  await eventually(
    () => existsSync(at('explicit.err')) && readFileSync(at('explicit.err'), 'utf8') === 'err\n',
    10_000,
    'the first output',
  );
  await eventually(() => readFileSync(at('explicit.out'), 'utf8') === 'out\n', 10_000, 'stdout');
  assert.equal(await client.call('supervisor.stopProcess', ['explicit', true]), true);
  assert.equal(await client.call('supervisor.readProcessStdoutLog', ['explicit', 0, 0]), 'out\n');
  const window = await httpRequest({ socketPath: daemon.socket }, { path: '/api/log/explicit' });
  assert.deepEqual(JSON.parse(window.body), { text: 'out\n', offset: 4, overflow: false });

  // A stopped process holds no log open: a rotation by mv + SIGUSR2 leaves the new name absent until it runs.
  renameSync(at('explicit.out'), at('explicit.out.1'));
  process.kill(daemon.pid, 'SIGUSR2');
  await eventually(
    () => (daemon.mainLog().match(/received SIGUSR2/g) ?? []).length >= 2,
    10_000,
    'the second reopen',
  );
  assert.equal(existsSync(at('explicit.out')), false);
  assert.equal(
    await fault(client.call('supervisor.readProcessStdoutLog', ['explicit', 0, 0])),
    `20 NO_FILE: ${at('explicit.out')}`,
  );

  // svd empties a stopped process's existing log (supervisor leaves it: its issue #804), and creates none.
  writeFileSync(at('explicit.err'), 'old\n');
  assert.equal(await client.call('supervisor.clearProcessLogs', ['explicit']), true);
  assert.equal(readFileSync(at('explicit.err'), 'utf8'), '');
  assert.equal(existsSync(at('explicit.out')), false);
});

test("a log that cannot be opened fails the spawn with supervisor's spawnerr", async () => {
  const { client } = d();
  assert.equal(
    await fault(client.call('supervisor.startProcess', ['dirlog', true])),
    '50 SPAWN_ERROR: dirlog',
  );
  const info = (await client.call('supervisor.getProcessInfo', ['dirlog'])) as Record<string, unknown>;
  assert.equal(info['statename'], 'FATAL');
  assert.equal(info['spawnerr'], "unknown error making dispatchers for 'dirlog': EISDIR");
  assert.equal(await fault(client.call('supervisor.readProcessStdoutLog', ['dirlog', 0, 0])), '30 FAILED');
});
