// Child log files come into being at a process's first spawn, as supervisor's dispatchers open them: tail,
// clear, SIGUSR2, update and reload around programs that never ran, against Debian's supervisord and
// supervisorctl (svd's daemon driven by supervisorctl and by svd ctl).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, RemoteFault, type XmlRpcClient } from '../../src/client/index.js';
import { eventually } from '../support/cleanup.js';
import { daemonsPerFile, mask, type ControlDaemon, type RunResult } from '../support/control-daemon.js';
import { supervisorMissing as skip } from '../support/oracle.js';
import { fixture } from '../support/real-engine.js';
import { neverStartedPrograms, talker } from '../support/never-started.js';

const body = `${neverStartedPrograms}
[program:none]
${talker}
autostart=false
startsecs=0
stdout_logfile=NONE
stderr_logfile=NONE

[program:badcmd]
command=/nonexist/prog
autostart=false
stdout_logfile=%(here)s/badcmd.out

[program:dirlog]
command=${fixture('sleep-forever')}
autostart=false
startsecs=0
startretries=0
stdout_logfile=%(here)s
`;

const added = `${body}
[program:added]
command=${fixture('sleep-forever')}
autostart=false
stdout_logfile=%(here)s/added.out
`;

/** supervisord, svd for supervisorctl, svd for svd ctl. */
const daemons = daemonsPerFile(
  [
    ['supervisord', { body }],
    ['svd', { body }],
    ['svd', { body }],
  ],
  { skip },
);

const view = (run: RunResult, d: ControlDaemon) => ({
  out: mask(run.stdout, d.dir),
  err: mask(run.stderr, d.dir),
  code: run.code,
});

/** One supervisorctl (or svd ctl) command against each daemon: output and exit status as supervisord's. */
async function same(line: string, expected?: string): Promise<void> {
  const [sd, svd, svdForCtl] = daemons();
  const args = line.split(' ');
  const [a, b, c] = await Promise.all([
    sd.supervisorctl(args),
    svd.supervisorctl(args),
    svdForCtl.svdctl(args),
  ]);
  const want = view(a, sd);
  if (expected !== undefined) assert.equal(want.out, expected, `supervisord: ${line}`);
  assert.deepEqual(view(b, svd), want, `supervisorctl ${line} against svd`);
  assert.deepEqual(view(c, svdForCtl), want, `svd ctl ${line}`);
}

/** The files in a daemon's directory (its childlogdir), AUTO names masked. */
function files(d: ControlDaemon): string[] {
  return readdirSync(d.dir)
    .filter((f) => f.endsWith('.log') || f.endsWith('.out') || f.endsWith('.err'))
    .map((f) => mask(f))
    .filter((f) => f !== 'sd.log')
    .sort();
}

function sameFiles(): void {
  const [sd, ...svds] = daemons();
  for (const d of svds) assert.deepEqual(files(d), files(sd), `files of ${d.dir}`);
}

const NO_FILE = 20;

/** The answer to one XML-RPC call, a fault as its code and masked string. */
async function answer(client: XmlRpcClient, d: ControlDaemon, method: string, params: (string | number)[]) {
  try {
    return { ok: await client.call(method, params) };
  } catch (e) {
    if (!(e instanceof RemoteFault)) throw e;
    return { fault: e.faultCode, text: mask(e.faultString, d.dir) };
  }
}

test(
  'a program that never ran has no log file: tail, clear, SIGUSR2, start, stop',
  { skip, timeout: 120_000 },
  async () => {
    const noLog = (name: string) => `${name}: ERROR (no log file)\n`;
    for (const [line, out] of [
      ['tail explicit', noLog('explicit')],
      ['tail explicit stderr', noLog('explicit')],
      ['tail redir', noLog('redir')],
      ['tail redir stderr', noLog('redir')],
      ['tail none', noLog('none')],
      ['tail auto', '\n'],
      ['tail badcmd', noLog('badcmd')],
      ['tail dirlog', 'dirlog: ERROR (unknown error reading log)\n'],
    ] as const)
      await same(line, out);

    const clients = daemons().map((d) =>
      createClient({ serverUrl: `unix://${d.socket}`, timeoutMs: 20_000 }),
    );
    try {
      const calls: Array<[string, (string | number)[]]> = [
        ['supervisor.readProcessStdoutLog', ['explicit', 0, 0]],
        ['supervisor.readProcessStderrLog', ['explicit', -100, 0]],
        ['supervisor.tailProcessStdoutLog', ['explicit', 0, 100]],
        ['supervisor.tailProcessStderrLog', ['explicit', 0, 100]],
        ['supervisor.readProcessStdoutLog', ['redir', 0, 0]],
        ['supervisor.readProcessStderrLog', ['redir', 0, 0]],
        ['supervisor.readProcessStdoutLog', ['auto', 0, 0]],
        ['supervisor.clearProcessLogs', ['explicit']],
        ['supervisor.readProcessStdoutLog', ['explicit', 0, 0]],
      ];
      for (const [method, params] of calls) {
        const answers = await Promise.all(
          clients.map((c, i) => answer(c, daemons()[i] as ControlDaemon, method, params)),
        );
        for (const a of answers.slice(1)) assert.deepEqual(a, answers[0], `${method}(${params.join(', ')})`);
      }
      assert.deepEqual(
        await answer(clients[0]!, daemons()[0], 'supervisor.readProcessStdoutLog', ['explicit', 0, 0]),
        {
          fault: NO_FILE,
          text: 'NO_FILE: <DIR>/explicit.out',
        },
      );
    } finally {
      for (const c of clients) c.close();
    }

    await same('clear explicit', 'explicit: cleared\n');
    await same('clear all');
    await same('tail explicit', noLog('explicit'));
    for (const d of daemons()) process.kill(d.pid, 'SIGUSR2');
    for (const d of daemons())
      await eventually(() => d.mainLog().includes('received SIGUSR2'), 10_000, 'the reopen');
    await same('tail explicit', noLog('explicit'));
    sameFiles();
    assert.equal(existsSync(join(daemons()[1].dir, 'explicit.out')), false);

    await same('start explicit redir badcmd dirlog');
    for (const d of daemons())
      await eventually(
        () =>
          ['explicit.out', 'explicit.err', 'redir.out'].every((f) => {
            const p = join(d.dir, f);
            return existsSync(p) && readFileSync(p, 'utf8').length > 0;
          }) && readFileSync(join(d.dir, 'redir.out'), 'utf8').length >= 'out\nerr\n'.length,
        10_000,
        'the first output',
      );
    await same('status');
    await same('tail explicit', 'out\n\n');
    await same('tail explicit stderr', 'err\n\n');
    await same('tail redir stderr', noLog('redir'));
    await same('tail badcmd', noLog('badcmd'));
    sameFiles();
    await same('stop explicit', 'explicit: stopped\n');
    await same('tail explicit', 'out\n\n');
  },
);

test(
  'update adds a program with its log not yet created; reload keeps it so',
  { skip, timeout: 120_000 },
  async () => {
    for (const d of daemons()) d.rewrite(added);
    await same('update', 'added: added process group\n');
    await same('tail added', 'added: ERROR (no log file)\n');
    sameFiles();
    await same('reload', 'Restarted supervisord\n');
    for (const d of daemons())
      await eventually(
        () => (d.mainLog().match(/supervisord started with pid/g) ?? []).length >= 2,
        30_000,
        'reload',
      );
    await Promise.all(
      daemons().map(async (d) => {
        const deadline = Date.now() + 30_000;
        while ((await d.supervisorctl(['status', 'added'])).code !== 3) {
          if (Date.now() > deadline) throw new Error(`${d.kind} did not serve again after reload`);
          await new Promise((r) => setTimeout(r, 100));
        }
      }),
    );
    await same('tail added', 'added: ERROR (no log file)\n');
    await same('tail explicit', 'out\n\n');
    sameFiles();
  },
);
