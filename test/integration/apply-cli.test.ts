// svd diff, svd apply and svd ctl update as a user runs them against a real daemon: exit codes, the plan,
// and which PIDs change (only what must restart).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  run,
  startControlDaemon,
  alive,
  descendants,
  type ControlDaemon,
} from '../support/control-daemon.js';
import { eventually } from '../support/cleanup.js';
import { fixture } from '../support/real-engine.js';
import { nobodyArgs, svdBinForNobody } from '../support/as-nobody.js';
import { svdBin } from '../support/paths.js';
import { postRpc } from '../support/http-probe.js';
import type { Diagnostic } from '../../src/model/diagnostics.js';

const program = (name: string, extra = '') =>
  `[program:${name}]\ncommand=${fixture('sleep-forever')}${extra}\nstartsecs=0\nstopwaitsecs=2\n`;
const body = (webExtra = '', workerPolicy = '') =>
  `${program('web', webExtra)}\n${program('worker')}${workerPolicy}\n${program('idle')}`;

let d: ControlDaemon;
let children: number[] = [];
const svd = (...args: string[]) => run(process.execPath, [svdBin, ...args]);

async function pids(): Promise<Record<string, number>> {
  const r = await d.svdctl(['pid', 'all']);
  const status = await d.svdctl(['status']);
  const names = status.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(/\s+/)[0] as string);
  const values = r.stdout.split('\n').filter(Boolean).map(Number);
  return Object.fromEntries(names.map((n, i) => [n, values[i] ?? 0]));
}

before(async () => {
  d = await startControlDaemon('svd', { body: body() });
  await eventually(() => descendants(d.pid).length >= 3, 15_000, 'three children');
  children = descendants(d.pid);
});

/** Daemons of single tests, stopped here too: a test that timed out never reached its own `finally`. */
const others: ControlDaemon[] = [];

after(async () => {
  await Promise.allSettled(others.map((o) => o.stop()));
  await d.stop();
  await eventually(() => alive(children).length === 0, 10_000, 'no process left');
});

test(
  'diff exits 0 with nothing to do, 2 with changes, and changes nothing',
  { timeout: 60_000 },
  async () => {
    const same = await svd('diff', '-c', d.conf);
    assert.equal(same.code, 0, same.stdout + same.stderr);
    assert.match(same.stdout, /No changes/);
    d.rewrite(body(' changed', 'autorestart=true\n'));
    const before = await pids();
    const changed = await svd('diff', '-c', d.conf);
    assert.equal(changed.code, 2, changed.stderr);
    assert.match(changed.stdout, /~ web: restart/);
    assert.match(changed.stdout, /command: .* -> .*changed"\s+\(restart\)/);
    assert.match(changed.stdout, /~ worker: update in place/);
    assert.match(changed.stdout, /autorestart: "unexpected" -> true\s+\(in place\)/);
    assert.match(changed.stdout, /Plan: 0 to add, 1 to restart, 1 to update in place, 0 to remove\./);
    const json = await svd('diff', '--json', '-c', d.conf);
    assert.equal(json.code, 2);
    const parsed = JSON.parse(json.stdout) as { ok: boolean; plan: { changes: boolean } };
    assert.equal(parsed.ok, true);
    assert.equal(parsed.plan.changes, true);
    // --offline plans against nothing running, in the same shape.
    const offline = await svd('diff', '--offline', '--json', '-c', d.conf);
    assert.equal(offline.code, 2, offline.stderr);
    assert.deepEqual(Object.keys(JSON.parse(offline.stdout) as object).sort(), Object.keys(parsed).sort());
    assert.deepEqual(await pids(), before, 'diff changed nothing');
  },
);

test(
  'apply restarts exactly the changed process; a second apply does nothing',
  { timeout: 60_000 },
  async () => {
    const before = await pids();
    const applied = await svd('apply', '-c', d.conf);
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    assert.match(applied.stdout, /Apply complete/);
    const now = await pids();
    assert.notEqual(now.web, before.web, 'web restarted');
    assert.equal(now.worker, before.worker, 'worker kept its pid (in-place change)');
    assert.equal(now.idle, before.idle, 'idle kept its pid');
    // The main log tells what the apply did, as it does for a SIGHUP reload.
    await eventually(() => /apply: 4 steps done, 0 failed, 0 skipped/.test(d.mainLog()), 5000, 'the summary');
    assert.match(d.mainLog(), /INFO apply: stop web: done\n(.*\n)*.*INFO apply: start web: done\n/);
    const again = await svd('apply', '-c', d.conf);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /No changes/);
    await eventually(() => d.mainLog().includes('INFO apply: no changes'), 5000, 'the no-op line');
  },
);

test('a daemon that is not there is named once, with a hint', { timeout: 60_000 }, async () => {
  const url = `unix://${d.conf}-missing.sock`;
  const r = await svd('diff', '-s', url, '-c', d.conf);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `svd: ${url} no such file (is the daemon running? use -s URL to name it)\n`);
});

test(
  'wrong credentials are named as such, and a password in -s is not repeated',
  { timeout: 60_000 },
  async () => {
    const locked = await startControlDaemon('svd', {
      body: program('one'),
      inet: true,
      credentials: { username: 'ops', password: 'right' },
    });
    others.push(locked);
    const url = `http://ops:wrong-secret@127.0.0.1:${locked.port}`;
    const r = await svd('diff', '-c', locked.conf, '-s', url, '-u', 'ops', '-p', 'wrong-secret');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /401 Unauthorized \(wrong or missing credentials: .*-u and -p\)\n$/);
    assert.doesNotMatch(r.stderr, /is the daemon running/);
    assert.doesNotMatch(r.stderr, /wrong-secret/);
    await locked.stop();
  },
);

test(
  'svd status finds the daemon through -f as svd diff does, and takes -c or -f after the command',
  { timeout: 60_000 },
  async () => {
    for (const argv of [
      ['-f', d.conf, 'status'],
      ['status', '-f', d.conf],
      ['status', '-c', d.conf],
    ]) {
      const r = await svd(...argv);
      assert.deepEqual(
        r.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split(/\s+/).slice(0, 2).join(' '))
          .sort(),
        ['idle RUNNING', 'web RUNNING', 'worker RUNNING'],
        `${argv.join(' ')}: ${r.stdout}${r.stderr}`,
      );
      assert.equal(r.code, 0);
    }
  },
);

test(
  'a folder with no config file in it is refused, not applied as no programs',
  { timeout: 60_000 },
  async () => {
    const before = await pids();
    const empty = join(d.dir, 'empty.d');
    mkdirSync(empty, { recursive: true });
    const server = ['-s', `unix://${d.socket}`];
    for (const args of [['apply', ...server], ['diff', ...server], ['validate']]) {
      const command = args.join(' ');
      const r = await svd(...args, '-f', empty);
      assert.equal(r.code, 1, `${command}: ${r.stdout}${r.stderr}`);
      assert.match(
        r.stdout + r.stderr,
        /empty\.d: error: no config file in .*empty\.d \(no \*\.conf/,
        command,
      );
    }
    assert.deepEqual(await pids(), before);
  },
);

test(
  'a configuration without a control server is refused: after a reload the daemon could not be reached',
  { timeout: 60_000 },
  async () => {
    const before = await pids();
    const programs = join(d.dir, 'programs.d');
    mkdirSync(programs, { recursive: true });
    writeFileSync(join(programs, 'extra.ini'), program('extra'));
    const server = ['-s', `unix://${d.socket}`];
    for (const command of ['apply', 'diff']) {
      const r = await svd(command, ...server, '-f', programs);
      assert.equal(r.code, 1, `${command}: ${r.stdout}${r.stderr}`);
      assert.match(
        r.stdout + r.stderr,
        /extra\.ini: error: no \[unix_http_server\] or \[inet_http_server\] in this configuration/,
        command,
      );
    }
    assert.deepEqual(await pids(), before);
    // The daemon's source is still its own: a reread through it finds nothing to do.
    const update = await d.svdctl(['update']);
    assert.equal(update.code, 0, update.stdout + update.stderr);
    assert.equal(update.stdout.trim(), '');
  },
);

test(
  'a conf.d folder of program files alone, without -s, is refused before any connection, with what to give instead',
  { timeout: 60_000 },
  async () => {
    const before = await pids();
    const confd = join(d.dir, 'conf.d');
    mkdirSync(confd, { recursive: true });
    writeFileSync(join(confd, 'worker.conf'), program('queue'));
    const why =
      /-f \S*conf\.d has no \[unix_http_server\] or \[inet_http_server\], so it names no daemon, .* give the main file that has \[supervisord\] and the servers and includes these files \(-c \S+\)/;
    for (const command of ['apply', 'diff']) {
      const r = await svd(command, '-f', confd);
      assert.equal(r.code, 1, `${command}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, why, command);
      assert.doesNotMatch(r.stderr, /refused connection|localhost:9001/, command);
      const j = await svd(command, '--json', '-f', confd);
      assert.equal(j.code, 1, j.stderr);
      const answer = JSON.parse(j.stdout) as { ok: boolean; source: string; error: string };
      assert.equal(answer.ok, false);
      assert.equal(answer.source, `-f ${confd}`);
      assert.match(answer.error, why);
    }
    // --offline reaches no daemon: it still plans the folder.
    const offline = await svd('diff', '--offline', '-f', confd);
    assert.equal(offline.code, 2, offline.stdout + offline.stderr);
    assert.deepEqual(await pids(), before);
  },
);

test(
  'a configuration whose [supervisord] differs from the running one is planned with a warning that it waits for a reload',
  { timeout: 60_000 },
  async () => {
    const fragment = join(d.dir, 'fragment.d');
    mkdirSync(fragment, { recursive: true });
    // The programs as they run, and the socket to reach the daemon, but no [supervisord]: its defaults differ.
    writeFileSync(join(fragment, 'all.ini'), `[unix_http_server]\nfile=${d.socket}\n${body()}`);
    const r = await svd('diff', '-f', fragment);
    assert.ok(r.code === 0 || r.code === 2, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /all\.ini: warning: \[supervisord\](, \[unix_http_server\])? differs? from what the daemon runs with: an apply changes programs and groups only/,
    );
  },
);

test('an invalid config changes nothing and names the line', { timeout: 60_000 }, async () => {
  const before = await pids();
  d.rewrite(body() + 'startsecs=abc\n');
  const r = await svd('apply', '-c', d.conf);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /supervisord\.conf:\d+:1: error: invalid value 'abc' for startsecs/);
  // With --json, the refusal is JSON too, in the shape of the daemon's own refusal: a tool reads one shape.
  for (const args of [['apply'], ['diff'], ['diff', '--offline']]) {
    const j = await svd(...args, '--json', '-c', d.conf);
    assert.equal(j.code, 1, `${args.join(' ')}: ${j.stderr}`);
    const answer = JSON.parse(j.stdout) as { ok: boolean; source: string; diagnostics: Diagnostic[] };
    assert.equal(answer.ok, false);
    assert.equal(answer.source, `-c ${d.conf}`);
    const error = answer.diagnostics.find((x) => x.severity === 'error');
    assert.equal(error?.option, 'startsecs');
    assert.equal(error?.file, d.conf);
  }
  assert.deepEqual(await pids(), before);
});

test(
  'a hand-stopped process stays stopped through svd ctl update; only the edited one restarts',
  { timeout: 60_000 },
  async () => {
    d.rewrite(body(' changed'));
    assert.equal((await d.svdctl(['stop', 'idle'])).code, 0);
    const before = await pids();
    d.rewrite(body(' again', 'autorestart=true\n'));
    const r = await d.svdctl(['update']);
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.stdout, 'web: stopped\nweb: updated process group\n');
    const now = await pids();
    assert.notEqual(now.web, before.web);
    assert.equal(now.worker, before.worker);
    assert.equal(now.idle, 0, 'idle is still stopped');
  },
);

test(
  'svd.plan reads only folders and configuration files: a client cannot make the daemon quote /etc/passwd',
  { timeout: 30_000 },
  async () => {
    const plan = (source: string) =>
      postRpc(
        { socketPath: d.socket },
        `<?xml version="1.0"?><methodCall><methodName>svd.plan</methodName><params><param><value><struct>` +
          `<member><name>configFile</name><value><string>${source}</string></value></member>` +
          `</struct></value></param></params></methodCall>`,
      );
    const refused = await plan('/etc/passwd');
    assert.match(
      refused.body,
      /<int>3<\/int>[\s\S]*BAD_ARGUMENTS: \/etc\/passwd is not a folder or a \*\.conf/,
    );
    assert.doesNotMatch(refused.body, /root:/);
    // A FIFO named like a config file would block the daemon until something wrote to it.
    const fifo = `${d.dir}/pipe.conf`;
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
    assert.match((await plan(fifo)).body, /BAD_ARGUMENTS: \S+pipe\.conf is not a folder or a \*\.conf/);
    const planned = await plan(d.conf);
    assert.match(planned.body, /&quot;ok&quot;:true|"ok":true/);
  },
);

test(
  'apply --restart-group with a name that is no group is an error: exit 1, one line, nothing applied',
  { timeout: 60_000 },
  async () => {
    d.rewrite(body(' once more'));
    const before = await pids();
    const r = await svd('apply', '-c', d.conf, '--restart-group', 'nosuch');
    assert.deepEqual(
      { code: r.code, stdout: r.stdout, stderr: r.stderr },
      { code: 1, stdout: '', stderr: "svd: --restart-group: no group named 'nosuch' in the configuration\n" },
    );
    const typo = await svd('diff', '-c', d.conf, '--restart-group', 'web', 'wroker');
    assert.equal(typo.code, 1);
    assert.equal(
      typo.stderr,
      "svd: --restart-group: no group named 'wroker' in the configuration (did you mean 'worker'?)\n",
    );
    for (const command of ['apply', 'diff']) {
      const j = await svd(command, '--json', '-c', d.conf, '--restart-group', 'nosuch');
      assert.equal(j.code, 1);
      assert.deepEqual(JSON.parse(j.stdout), {
        ok: false,
        source: `-c ${d.conf}`,
        error: "--restart-group: no group named 'nosuch' in the configuration",
      });
    }
    assert.deepEqual(await pids(), before, 'nothing applied');
    assert.equal((await svd('diff', '-c', d.conf)).code, 2, 'the change is still pending');
    const known = await svd('apply', '-c', d.conf, '--restart-group', 'web');
    assert.equal(known.code, 0, known.stdout + known.stderr);
  },
);

test(
  'a %(ENV_X)s the shell lacks is expanded by the daemon, with its own environment, not refused here',
  { timeout: 60_000 },
  async () => {
    process.env['SVD_TEST_XVAL'] = 'two';
    let e: ControlDaemon;
    try {
      e = await startControlDaemon('svd', {
        body: `${program('envy')}environment=X="%(ENV_SVD_TEST_XVAL)s"\n`,
      });
      others.push(e);
    } finally {
      delete process.env['SVD_TEST_XVAL'];
    }
    try {
      await eventually(() => descendants(e.pid).length >= 1, 15_000, 'envy');
      const diff = await run(process.execPath, [svdBin, 'diff', '-c', e.conf], undefined, { ...process.env });
      assert.equal(diff.code, 0, diff.stdout + diff.stderr);
      assert.match(diff.stdout, /No changes/);
      assert.match(diff.stderr, /ENV_SVD_TEST_XVAL not set here: the daemon expands it/);
      const offline = await run(process.execPath, [svdBin, 'diff', '--offline', '-c', e.conf]);
      assert.equal(offline.code, 1, 'offline, nothing else can expand it');
      assert.match(offline.stdout, /%\(ENV_SVD_TEST_XVAL\) cannot be expanded/);
    } finally {
      await e.stop();
    }
  },
);

test(
  "the daemon's config as `svd config --format ini` writes it changes nothing when applied",
  { timeout: 60_000 },
  async () => {
    // The converted file names each program's process by the name its template gave (`web`, not
    // %(program_name)s): that is no change, and an EXITED one-shot is not started again for it.
    const converted = await svd('config', '--format', 'ini', '-c', d.conf);
    assert.equal(converted.code, 0, converted.stderr);
    assert.match(converted.stdout, /^process_name ?= ?web$/m);
    const path = join(d.dir, 'converted.conf');
    writeFileSync(path, converted.stdout);
    const before = await pids();
    const diff = await svd('diff', '-c', path);
    assert.equal(diff.code, 0, diff.stdout + diff.stderr);
    const apply = await svd('apply', '-c', path);
    assert.equal(apply.code, 0, apply.stdout + apply.stderr);
    assert.deepEqual(await pids(), before);
    await svd('apply', '-c', d.conf);
  },
);

test(
  "a user the socket's mode keeps out is told so, not asked whether the daemon runs",
  { skip: process.getuid?.() !== 0 || !existsSync('/usr/bin/setpriv') ? 'needs root and setpriv' : false },
  async () => {
    // The folder open to nobody, the socket not (chmod=0700, Debian's stock value): as a deploy user meets it.
    chmodSync(d.dir, 0o755);
    const r = await run('/usr/bin/setpriv', [
      ...nobodyArgs,
      process.execPath,
      svdBinForNobody(),
      'diff',
      '-c',
      d.conf,
    ]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(
      r.stderr,
      `svd: unix://${d.socket}: connect EACCES ${d.socket} (permission denied by the socket's mode: run it as the socket's owner, often root)\n`,
    );
  },
);
