import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { get as httpGet } from 'node:http';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, killAllSpawned, allProcesses, trackGroup } from '../support/cleanup.js';
import { DAEMON_MAIN, startDaemon, tempConfig } from '../support/daemon-process.js';
import { fixture } from '../support/real-engine.js';
import { svdBin } from '../support/paths.js';
import { svdBinForNobody } from '../support/as-nobody.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  killAllSpawned();
  for (const c of cleanups.splice(0)) c();
});

function config(body: string, supervisord = '') {
  const c = tempConfig(body, supervisord);
  cleanups.push(c.cleanup);
  return c;
}

/** pids of every descendant of `root` (by ppid). */
function descendants(root: number): number[] {
  const all = allProcesses();
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const p of all) if (p.ppid === pid) (out.push(p.pid), walk(p.pid));
  };
  walk(root);
  return out;
}

/** A foreground daemon running `first` (priority 1) and `last` (priority 50), both RUNNING. */
async function startFirstAndLast(extraArgs: readonly string[] = []) {
  const c = config(
    `[program:first]\ncommand=${fixture('sleep-forever')}\npriority=1\nstartsecs=0\n` +
      `[program:last]\ncommand=${fixture('sleep-forever')}\npriority=50\nstartsecs=0\n`,
  );
  const d = startDaemon(['-n', '-c', c.conf, ...extraArgs]);
  await eventually(() => (d.stdout().match(/entered RUNNING state/g) ?? []).length === 2, 15_000, 'RUNNING');
  return { c, d };
}

test('foreground daemon: starts programs, SIGTERM stops them by priority and exits 0, pidfile removed', async () => {
  const { c, d } = await startFirstAndLast();
  const pid = Number(readFileSync(`${c.dir}/sd.pid`, 'utf8'));
  assert.equal(pid, d.child.pid);
  const kids = descendants(pid);
  assert.equal(kids.length, 2);
  d.child.kill('SIGTERM');
  assert.deepEqual(await d.exited, { code: 0, signal: null });
  const out = d.stdout();
  assert.ok(out.includes('WARN received SIGTERM indicating exit request'));
  assert.ok(
    out.indexOf('stopped: last') < out.indexOf('stopped: first'),
    'higher priority number stops first',
  );
  assert.equal(existsSync(`${c.dir}/sd.pid`), false);
  assert.deepEqual(
    allProcesses().filter((p) => kids.includes(p.pid)),
    [],
  );
});

test('who is left is named as soon as the shutdown signals are sent, not 3 s later; at blather with its state', async () => {
  const { d } = await startFirstAndLast(['-e', 'blather']);
  d.child.kill('SIGTERM');
  assert.deepEqual(await d.exited, { code: 0, signal: null });
  const out = d.stdout();
  const waiting = out.indexOf('INFO waiting for first, last to die');
  assert.ok(waiting > out.indexOf('received SIGTERM'), out);
  assert.ok(waiting < out.indexOf('stopped: last'), `reported before any exit: ${out}`);
  // supervisord follows each report with a BLAT line per process still alive (first waits for last).
  assert.match(
    out,
    /INFO waiting for first, last to die\n.* BLAT first state: RUNNING\n.* BLAT last state: STOPPING\n/,
  );
});

test("an exit signal sent twice at once is one request and one log line; a later one is logged again; SIGHUP is ignored in supervisor's words", async () => {
  const c = config(`[program:stubborn]\ncommand=${fixture('ignore-term')}\nstartsecs=0\nstopwaitsecs=2\n`);
  const d = startDaemon(['-n', '-c', c.conf]);
  await eventually(() => d.stdout().includes('entered RUNNING state'), 15_000, 'RUNNING');
  // As GNU timeout does when its time is up: the child, then the whole process group.
  d.child.kill('SIGTERM');
  d.child.kill('SIGTERM');
  await eventually(() => d.stdout().includes('waiting for stubborn to die'), 15_000, 'stopping');
  await new Promise((r) => setTimeout(r, 300));
  d.child.kill('SIGINT');
  d.child.kill('SIGHUP');
  assert.deepEqual(await d.exited, { code: 0, signal: null });
  const out = d.stdout();
  assert.equal(out.match(/received SIGTERM indicating exit request/g)?.length, 1, out);
  assert.equal(out.match(/received SIGINT indicating exit request/g)?.length, 1, out);
  assert.match(out, /WARN ignored SIGHUP indicating restart request \(shutdown in progress\)\n/);
});

test("who is left is named as supervisord names them: a [group:]'s processes in its programs= order", async () => {
  const c = config(
    `[program:zz]\ncommand=${fixture('ignore-term')}\nstartsecs=0\nstopwaitsecs=1\npriority=2\n` +
      `[program:aa]\ncommand=${fixture('ignore-term')}\nstartsecs=0\nstopwaitsecs=1\npriority=1\n` +
      `[group:g]\nprograms=zz,aa\n`,
  );
  const d = startDaemon(['-n', '-c', c.conf]);
  await eventually(() => (d.stdout().match(/entered RUNNING state/g) ?? []).length === 2, 15_000, 'RUNNING');
  d.child.kill('SIGTERM');
  assert.deepEqual(await d.exited, { code: 0, signal: null });
  assert.match(d.stdout(), /INFO waiting for zz, aa to die\n/);
});

test('a process in BACKOFF is not retried during a shutdown: it waits, then goes FATAL when its group is stopped', async () => {
  // `slow` (priority 900) is stopped first and holds the shutdown for stopwaitsecs; `failing` (priority 1) would
  // be retried 1 s after its first failed start, within that time.
  const c = config(
    `[program:slow]\ncommand=${fixture('ignore-term')}\nstartsecs=0\nstopwaitsecs=2\npriority=900\n` +
      `[program:failing]\ncommand=${fixture('exit-after')} 0 1\nstartsecs=1\nstartretries=9\npriority=1\n`,
  );
  const d = startDaemon(['-n', '-c', c.conf]);
  await eventually(
    () => d.stdout().includes('success: slow entered RUNNING') && d.stdout().includes('exited: failing'),
    15_000,
    'slow RUNNING, failing in BACKOFF',
  );
  d.child.kill('SIGTERM');
  assert.deepEqual(await d.exited, { code: 0, signal: null });
  const out = d.stdout();
  const shutdown = out.slice(out.indexOf('received SIGTERM'));
  assert.doesNotMatch(shutdown, /spawned: 'failing'/, out);
  assert.equal(out.match(/spawned: 'failing'/g)?.length, 1, out);
  assert.ok(shutdown.indexOf('stopped: slow') > 0, out);
});

test("SIGUSR1 is logged and ignored: it neither ends the daemon (supervisord's fate) nor opens Node's inspector", async () => {
  const { d } = await startFirstAndLast();
  d.child.kill('SIGUSR1');
  await eventually(() => d.stdout().includes('WARN received SIGUSR1: ignored'), 15_000, 'SIGUSR1 logged');
  d.child.kill('SIGTERM');
  assert.deepEqual(await d.exited, { code: 0, signal: null });
  assert.doesNotMatch(d.stderr(), /Debugger listening/);
  assert.match(d.stdout(), /stopped: first/, 'the children were stopped, not orphaned');
});

test('a config error prints one line with file:line on stderr and exits 2', async () => {
  const c = config('[program:bad]\ncommand=/bin/true\nstartsecs=abc\n');
  const d = startDaemon(['-n', '-c', c.conf]);
  assert.deepEqual(await d.exited, { code: 2, signal: null });
  assert.match(d.stderr(), new RegExp(`^${c.conf}:\\d+:\\d+: error: .*startsecs`, 'm'));
});

test('at start the log names each included file and every config warning with its file:line', async () => {
  const c = config('', `[include]\nfiles=extra/*.conf\n`);
  mkdirSync(`${c.dir}/extra`);
  writeFileSync(
    `${c.dir}/extra/a.conf`,
    '[program:a]\ncommand=/bin/true\nautostart=false\nautostrat=false\n',
  );
  const d = startDaemon(['-n', '-c', c.conf]);
  await eventually(() => d.stdout().includes('supervisord started with pid'), 15_000, 'started');
  const out = d.stdout();
  assert.ok(out.includes(`INFO Included extra file "${c.dir}/extra/a.conf" during parsing`), out);
  assert.match(out, new RegExp(`WARN ${c.dir}/extra/a\\.conf:4:\\d+: warning: unknown option 'autostrat'`));
  assert.ok(!out.includes(`Included extra file "${c.conf}"`), 'the main file is not an extra one');
  d.child.kill('SIGTERM');
  assert.deepEqual(await d.exited, { code: 0, signal: null });
});

test('with no server and nothing running the daemon stays up until it is told to stop', async () => {
  const c = config('[program:idle]\ncommand=/bin/true\nautostart=false\n');
  const d = startDaemon(['-n', '-c', c.conf]);
  await eventually(() => d.stdout().includes('supervisord started with pid'), 15_000, 'started');
  const early = await Promise.race([d.exited, new Promise((r) => setTimeout(() => r('alive'), 1_000))]);
  assert.equal(early, 'alive', `the daemon exited on its own: ${d.stdout()}`);
  d.child.kill('SIGTERM');
  assert.deepEqual(await d.exited, { code: 0, signal: null });
  assert.ok(d.stdout().includes('received SIGTERM indicating exit request'));
});

test("at start the previous run's AUTO logs are deleted, the new ones stay, what cannot be deleted is a warning; -k keeps them", async () => {
  const c = config('[program:web]\ncommand=/bin/true\nautostart=false\n');
  const stale = ['web-stdout---supervisor-old11111.log', 'web-stderr---supervisor-old22222.log.3'];
  const foreign = ['web-stdout---other-abcdefgh.log', 'notes.txt'];
  for (const name of [...stale, ...foreign]) writeFileSync(`${c.dir}/${name}`, 'old\n');
  const undeletable = `${c.dir}/web-stdout---supervisor-folder.log`;
  mkdirSync(undeletable);
  const autoLogs = () =>
    readdirSync(c.dir).filter(
      (n) => n.startsWith('web-std') && n.includes('---supervisor-') && `${c.dir}/${n}` !== undeletable,
    );
  const runOnce = async (args: string[]) => {
    const d = startDaemon([...args, '-n', '-c', c.conf]);
    await eventually(() => d.stdout().includes('supervisord started with pid'), 15_000, 'started');
    d.child.kill('SIGTERM');
    assert.deepEqual(await d.exited, { code: 0, signal: null });
    return d.stdout();
  };
  assert.ok(!(await runOnce(['-k'])).includes('Failed to clean up'));
  const afterKeep = autoLogs();
  for (const name of stale) assert.ok(afterKeep.includes(name), `-k deleted ${name}`);
  assert.equal(
    afterKeep.length,
    stale.length + 2,
    `one new stdout and one new stderr log: ${afterKeep.join(' ')}`,
  );
  assert.ok((await runOnce([])).includes(`WARN Failed to clean up '${undeletable}'`));
  const after = autoLogs();
  assert.equal(after.length, 2, `only this run's two logs: ${after.join(' ')}`);
  for (const name of afterKeep) assert.ok(!after.includes(name), `${name} was not deleted`);
  for (const name of foreign)
    assert.ok(existsSync(`${c.dir}/${name}`), `${name} is not an AUTO log of this daemon`);
});
test('logrotate by move then SIGUSR2: with maxbytes=0 the child log goes on in a new file, no line lost', async () => {
  const c = config(
    `[program:ticker]\ncommand=/bin/sh -c 'i=0; while :; do echo tick$i; i=$((i+1)); sleep 0.02; done'\n` +
      'startsecs=0\nstdout_logfile=%(here)s/app.log\nstdout_logfile_maxbytes=0\n',
  );
  const log = `${c.dir}/app.log`;
  const d = startDaemon(['-n', '-c', c.conf]);
  const lines = (path: string) =>
    existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : [];
  await eventually(() => lines(log).length >= 5, 15_000, 'ticks in app.log');
  renameSync(log, `${log}.1`);
  d.child.kill('SIGUSR2');
  await eventually(() => lines(log).length >= 5, 15_000, 'ticks in the new app.log after SIGUSR2');
  const moved = lines(`${log}.1`).length;
  await eventually(() => lines(log).length >= 10, 15_000, 'more ticks');
  assert.equal(lines(`${log}.1`).length, moved, 'the moved file no longer grows');
  d.child.kill('SIGTERM');
  assert.deepEqual(await d.exited, { code: 0, signal: null });
  const all = [...lines(`${log}.1`), ...lines(log)];
  assert.deepEqual(
    all,
    all.map((_, i) => `tick${i}`),
    'every tick, in order, across the two files',
  );
});

test("the main log's folder removed: one ERRO line on stdout for the failing rotation, then the log resumes", async () => {
  // supervisord 4.2.5 dies of this (ValueError: I/O operation on closed file, from its rotation).
  const c = config('');
  const logs = `${c.dir}/logs`;
  mkdirSync(logs);
  writeFileSync(
    c.conf,
    `[supervisord]\nlogfile=${logs}/main.log\nlogfile_maxbytes=1000\nlogfile_backups=1\nloglevel=debug\n` +
      `pidfile=${c.dir}/sd.pid\nchildlogdir=${c.dir}\n` +
      `[program:ticker]\ncommand=/bin/sh -c 'while :; do echo tick; sleep 0.02; done'\nstartsecs=0\n`,
  );
  const d = startDaemon(['-n', '-c', c.conf]);
  await eventually(() => existsSync(`${logs}/main.log.1`), 15_000, 'a first rotation');
  rmSync(logs, { recursive: true });
  await eventually(() => /ERRO rotate .*main\.log: ENOENT/.test(d.stdout()), 15_000, 'the ERRO line');
  mkdirSync(logs);
  await eventually(
    () => existsSync(`${logs}/main.log`) && readFileSync(`${logs}/main.log`, 'utf8').includes('tick'),
    15_000,
    'the log written again',
  );
  assert.equal(d.stdout().match(/ERRO rotate /g)?.length, 1, 'one line for the failure, not one per record');
  d.child.kill('SIGTERM');
  assert.deepEqual(await d.exited, { code: 0, signal: null });
});

test('stdout_syslog and stderr_syslog send the child lines to syslog, tagged supervisord', async () => {
  const c = config(
    `[program:sl]\ncommand=/bin/sh -c 'echo out-line1; echo err-line >&2; exec sleep 100'\n` +
      'startsecs=0\nstdout_syslog=true\nstderr_syslog=true\nstdout_logfile=NONE\n',
  );
  const socket = `${c.dir}/log.sock`;
  const receiver = spawn(
    '/usr/bin/python3',
    [
      '-c',
      'import socket,sys\ns=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\ns.bind(sys.argv[1])\n' +
        'print("ready",flush=True)\nwhile True:\n  print(s.recv(65536).decode(),flush=True)\n',
      socket,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  cleanups.push(() => receiver.kill('SIGKILL'));
  let received = '';
  receiver.stdout.on('data', (b: Buffer) => (received += b.toString()));
  await eventually(() => received.startsWith('ready'), 10_000, 'receiver ready');
  process.env['SVD_SYSLOG_SOCKET'] = socket;
  let d;
  try {
    d = startDaemon(['-n', '-c', c.conf]);
  } finally {
    delete process.env['SVD_SYSLOG_SOCKET'];
  }
  await eventually(
    () => /supervisord: sl err-line/.test(received),
    15_000,
    `both lines in syslog: ${received}`,
  );
  assert.match(received, /^<14>.*supervisord: sl out-line1$/m);
  assert.match(received, /^<14>.*supervisord: sl err-line$/m);
  d.child.kill('SIGTERM');
  assert.deepEqual(await d.exited, { code: 0, signal: null });
});

test('SIGHUP says when [supervisord] changed: that waits for a full restart', async () => {
  const c = config(`[program:a]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n`, 'loglevel=info');
  const d = startDaemon(['-n', '-c', c.conf]);
  await eventually(() => d.stdout().includes('success: a entered RUNNING'), 15_000, 'RUNNING');
  writeFileSync(c.conf, readFileSync(c.conf, 'utf8').replace('loglevel=info', 'loglevel=warn'));
  d.child.kill('SIGHUP');
  await eventually(() => d.stdout().includes('reload: no changes'), 15_000, 'the reload');
  assert.match(d.stdout(), /WARN reload: \[supervisord\] changed; that takes effect at a full restart/);
  d.child.kill('SIGTERM');
  assert.deepEqual(await d.exited, { code: 0, signal: null });
});

test('descriptors the daemon inherited do not reach its children (supervisor closes them there)', async () => {
  const c = config(
    `[program:fds]\ncommand=/bin/sh -c 'for f in 9 40; do readlink /proc/self/fd/$f || echo "$f closed"; done; exec sleep 100'\n` +
      'startsecs=0\nstdout_logfile=%(here)s/fds.log\n',
  );
  const lock = openSync(`${c.dir}/lock`, 'w');
  const stdio: ('ignore' | 'pipe' | number)[] = ['ignore', 'pipe', 'pipe'];
  for (let fd = 3; fd <= 40; fd++) stdio.push(fd === 9 || fd === 40 ? lock : 'ignore');
  const child = spawn(process.execPath, [DAEMON_MAIN, '-n', '-c', c.conf], { stdio, detached: true });
  closeSync(lock);
  if (child.pid) trackGroup(child.pid);
  const exited = new Promise((r) => child.on('exit', r));
  child.stdout?.resume();
  child.stderr?.resume();
  const log = `${c.dir}/fds.log`;
  await eventually(
    () => existsSync(log) && readFileSync(log, 'utf8').split('\n').length > 2,
    15_000,
    'fds.log',
  );
  const text = readFileSync(log, 'utf8');
  assert.doesNotMatch(text, /lock/, `the child holds the daemon's inherited file: ${text}`);
  child.kill('SIGTERM');
  await exited;
});

test('without -n the daemon detaches, the foreground exits 0, and a second daemon is refused with the usage hint', async () => {
  const c = config(`[program:sleeper]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n`);
  const d = startDaemon(['-c', c.conf]);
  assert.deepEqual(await d.exited, { code: 0, signal: null });
  const pid = Number(readFileSync(`${c.dir}/sd.pid`, 'utf8'));
  trackGroup(pid);
  assert.notEqual(pid, d.child.pid);
  // supervisord's usage(): the error, then `For help, use PROG -h`, in the foreground and through the detach; the
  // daemon in the way is named by its command line.
  const refused = new RegExp(
    `^Error: another daemon is already running with pid ${pid} \\(pidfile ${c.dir}/sd\\.pid\\): .*main\\.js -c ${c.conf}\nFor help, use .* -h\n$`,
  );
  const second = startDaemon(['-n', '-c', c.conf]);
  assert.deepEqual(await second.exited, { code: 2, signal: null });
  assert.match(second.stderr(), refused);
  const detached = startDaemon(['-c', c.conf]);
  assert.deepEqual(await detached.exited, { code: 2, signal: null });
  assert.match(detached.stderr(), refused);
  process.kill(pid, 'SIGTERM');
  await eventually(() => !existsSync(`${c.dir}/sd.pid`), 15_000, 'pidfile removed');
  await eventually(() => !allProcesses().some((p) => p.pid === pid), 15_000, 'daemon gone');
});

test('a pidfile naming a live process that is not a daemon (a pid reused after a reboot) does not block the start', async () => {
  const c = config(`[program:sleeper]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n`);
  const unrelated = spawn('sleep', ['60'], { stdio: 'ignore' });
  try {
    writeFileSync(`${c.dir}/sd.pid`, `${unrelated.pid}\n`);
    const d = startDaemon(['-n', '-c', c.conf]);
    await eventually(
      () => readFileSync(`${c.dir}/sd.pid`, 'utf8').trim() === String(d.child.pid),
      15_000,
      'our pidfile',
    );
    d.child.kill('SIGTERM');
    assert.deepEqual(await d.exited, { code: 0, signal: null });
    assert.equal(unrelated.exitCode, null, 'the unrelated process is left alone');
  } finally {
    unrelated.kill('SIGKILL');
  }
});

test("a stale pidfile naming the daemon's own parent (the tini or PID-1 svd of a container) does not block the start", async () => {
  const c = config(`[program:sleeper]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n`);
  // The parent writes its own pid, then runs the daemon as its child: what a container's PID 1 left in a pidfile
  // on a volume looks like to the next start behind it. Its command line names svd (the temp dir's name).
  const parent = ['/bin/sh', '-c', `echo $$ > ${c.dir}/sd.pid; "$@"; : svd`, 'sh'];
  const d = startDaemon(['-n', '-c', c.conf], parent);
  const shPid = d.child.pid as number;
  await eventually(
    () => existsSync(`${c.dir}/sd.pid`) && readFileSync(`${c.dir}/sd.pid`, 'utf8').trim() !== String(shPid),
    15_000,
    "the daemon's own pidfile",
  );
  const daemonPid = Number(readFileSync(`${c.dir}/sd.pid`, 'utf8'));
  assert.equal(
    allProcesses().find((p) => p.pid === daemonPid)?.ppid,
    shPid,
    `the daemon runs under the parent: ${d.stderr()}`,
  );
  process.kill(daemonPid, 'SIGTERM');
  assert.deepEqual(await d.exited, { code: 0, signal: null });
  assert.doesNotMatch(d.stderr(), /already running/);
});

test("a relative childlogdir is the starting directory's, also when the daemon detaches into directory=", async () => {
  const c = config('');
  mkdirSync(`${c.dir}/cl`);
  mkdirSync(`${c.dir}/wd`);
  const conf = `${c.dir}/rel.conf`;
  writeFileSync(
    conf,
    `[supervisord]\nlogfile=${c.dir}/rel.log\npidfile=${c.dir}/rel.pid\ndirectory=${c.dir}/wd\nchildlogdir=cl\n` +
      `[program:sleeper]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n`,
  );
  const d = startDaemon(['-c', conf], ['env', '-C', c.dir]);
  assert.deepEqual(await d.exited, { code: 0, signal: null }, d.stderr());
  const pid = Number(readFileSync(`${c.dir}/rel.pid`, 'utf8'));
  trackGroup(pid);
  await eventually(
    () => readdirSync(`${c.dir}/cl`).some((f) => f.startsWith('sleeper-stdout---')),
    15_000,
    'the AUTO log in cl/',
  );
  assert.deepEqual(readdirSync(`${c.dir}/wd`), [], 'nothing made under directory=');
  process.kill(pid, 'SIGTERM');
  await eventually(() => !allProcesses().some((p) => p.pid === pid), 15_000, 'daemon gone');
});

test('SIGHUP applies the minimal update: unchanged keeps its pid, a changed command restarts, bad config changes nothing', async () => {
  const body = (cmd: string) =>
    `[program:keep]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n` +
    `[program:edit]\ncommand=${fixture('sleep-forever')} ${cmd}\nstartsecs=0\n`;
  const c = config(body('one'));
  const d = startDaemon(['-n', '-c', c.conf]);
  await eventually(() => (d.stdout().match(/entered RUNNING state/g) ?? []).length === 2, 15_000, 'running');
  const pidOf = (name: string) =>
    Number(new RegExp(`spawned: '${name}' with pid (\\d+)`).exec(d.stdout())?.[1] ?? 0);
  const keep = pidOf('keep');
  const edit = pidOf('edit');
  const original = readFileSync(c.conf, 'utf8');
  writeFileSync(c.conf, original.replace(body('one'), body('two')));
  d.child.kill('SIGHUP');
  await eventually(
    () => d.stdout().includes('reload: 3 steps done, 0 failed, 0 skipped'),
    15_000,
    'reloaded',
  );
  assert.ok(d.stdout().includes('WARN received SIGHUP indicating reload request'));
  assert.equal((d.stdout().match(/spawned: 'keep'/g) ?? []).length, 1, 'keep was not restarted');
  assert.ok(
    allProcesses().some((p) => p.pid === keep && p.state !== 'Z'),
    'keep has its pid',
  );
  assert.equal((d.stdout().match(/spawned: 'edit'/g) ?? []).length, 2, 'edit was restarted');
  assert.ok(!allProcesses().some((p) => p.pid === edit && p.state !== 'Z'), 'the old edit is gone');
  writeFileSync(c.conf, original.replace(body('one'), body('two') + 'startsecs=abc\n'));
  d.child.kill('SIGHUP');
  await eventually(() => d.stdout().includes('the running processes are unchanged'), 15_000, 'refused');
  assert.match(d.stdout(), /ERRO .*:\d+:\d+: error: invalid value 'abc' for startsecs/);
  assert.equal((d.stdout().match(/spawned: /g) ?? []).length, 3, 'nothing was spawned');
  d.child.kill('SIGTERM');
  assert.deepEqual(await d.exited, { code: 0, signal: null });
});

test('SIGHUP with an include that matches a FIFO logs the error and changes nothing; the daemon keeps serving', async () => {
  const c = config(
    `[program:a]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n[include]\nfiles=conf.d/*.conf\n`,
  );
  mkdirSync(`${c.dir}/conf.d`);
  const d = startDaemon(['-n', '-c', c.conf]);
  await eventually(() => d.stdout().includes('success: a entered RUNNING'), 15_000, 'RUNNING');
  // Reading a FIFO blocks until something writes to it: the daemon would hang for good.
  const fifo = `${c.dir}/conf.d/fifo.conf`;
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
  d.child.kill('SIGHUP');
  await eventually(() => d.stdout().includes('the running processes are unchanged'), 15_000, 'refused');
  assert.match(
    d.stdout(),
    /ERRO .*sd\.conf:10:1: error: could not read config file .*fifo\.conf: it is a FIFO/,
  );
  rmSync(fifo);
  writeFileSync(`${c.dir}/conf.d/b.conf`, `[program:b]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n`);
  d.child.kill('SIGHUP');
  await eventually(() => d.stdout().includes('success: b entered RUNNING'), 15_000, 'b RUNNING');
  assert.equal((d.stdout().match(/spawned: 'a'/g) ?? []).length, 1, 'a was not restarted');
  d.child.kill('SIGTERM');
  assert.deepEqual(await d.exited, { code: 0, signal: null });
});

test(
  'as PID 1 the daemon runs behind tini, which reaps orphaned grandchildren',
  {
    skip:
      process.getuid?.() !== 0
        ? 'needs root (unshare --pid makes the PID namespace)'
        : !existsSync('/usr/bin/tini') && 'tini is not installed',
  },
  async () => {
    const c = config(`[program:orphans]\ncommand=/bin/sh -c '(sleep 2 &); exec sleep 100000'\nstartsecs=0\n`);
    const d = startDaemon(['-n', '-c', c.conf], ['unshare', '--pid', '--fork', '--mount-proc']);
    await eventually(() => d.stdout().includes('entered RUNNING state'), 15_000, 'RUNNING');
    const root = d.child.pid ?? 0;
    const comm = (pid: number) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      } catch {
        return '';
      }
    };
    assert.ok(
      descendants(root).some((pid) => comm(pid).includes('tini')),
      'tini runs in the namespace',
    );
    // The orphan (sleep 2, re-parented when its shell exits) must vanish entirely: a zombie would stay listed.
    let orphan = 0;
    await eventually(
      () => (orphan = descendants(root).find((pid) => comm(pid).startsWith('sleep 2')) ?? 0) !== 0,
      15_000,
      'orphan seen',
    );
    await eventually(() => !allProcesses().some((p) => p.pid === orphan), 15_000, 'orphan reaped');
    const tree = new Set(descendants(root));
    assert.ok(!allProcesses().some((p) => tree.has(p.pid) && p.state === 'Z'), 'no zombie in the tree');
    // unshare does not pass signals on: stop the namespace's init (our PID 1 node), which forwards to tini.
    const init = allProcesses().find((p) => p.ppid === root);
    assert.ok(init);
    process.kill(init.pid, 'SIGTERM');
    assert.deepEqual(await d.exited, { code: 0, signal: null });
    assert.ok(d.stdout().includes('WARN received SIGTERM indicating exit request'));
  },
);

test('a SIGTERM during a mass start is acted on between spawns: the rest is never spawned, nothing is left', async () => {
  const n = 200;
  let body = '';
  for (let i = 0; i < n; i++) body += `[program:m${i}]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n`;
  const c = config(body);
  const d = startDaemon(['-n', '-c', c.conf]);
  await eventually(() => d.stdout().includes("spawned: 'm"), 30_000, 'the first spawn');
  d.child.kill('SIGTERM');
  assert.deepEqual(await d.exited, { code: 0, signal: null });
  const out = d.stdout();
  const term = out.indexOf('received SIGTERM indicating exit request');
  assert.ok(term > 0, out);
  const spawnedBefore = out.slice(0, term).match(/spawned: 'm/g)?.length ?? 0;
  const spawnedAll = out.match(/spawned: 'm/g)?.length ?? 0;
  // Without pacing, every spawn ran in one turn of the event loop and the signal waited for all of them.
  assert.ok(spawnedBefore < n, `the signal was handled before the last spawn (${spawnedBefore} of ${n})`);
  assert.equal(spawnedAll, spawnedBefore, 'no spawn after the shutdown request');
  assert.equal(descendants(d.child.pid ?? 0).length, 0);
});

test('without -n, a bad -m, -d, -j, -q, -l or -u is refused in the foreground with exit 2, before anything starts', async () => {
  const c = config(`[program:sleeper]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n`);
  const cases: [string[], string][] = [
    [['-m', '999'], "Error: invalid value for -m '999': 999 can not be converted to an octal type"],
    [
      ['-d', `${c.dir}/none`],
      `Error: invalid value for -d '${c.dir}/none': ${c.dir}/none is not an existing directory`,
    ],
    [
      ['-j', `${c.dir}/none/x.pid`],
      `Error: invalid value for -j '${c.dir}/none/x.pid': The directory named as part of the path ${c.dir}/none/x.pid does not exist`,
    ],
    [
      ['-q', `${c.dir}/none`],
      `Error: invalid value for -q '${c.dir}/none': ${c.dir}/none is not an existing directory`,
    ],
    [
      ['-l', `${c.dir}/none/x.log`],
      `Error: invalid value for -l '${c.dir}/none/x.log': The directory named as part of the path ${c.dir}/none/x.log does not exist`,
    ],
    [['-u', 'svd-no-such-user'], 'Error: Invalid user name svd-no-such-user'],
  ];
  for (const [args, line] of cases) {
    const d = startDaemon(['-c', c.conf, ...args]);
    assert.deepEqual(await d.exited, { code: 2, signal: null }, args.join(' '));
    assert.match(
      d.stderr(),
      new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\nFor help, use .* -h\n$`),
    );
  }
  assert.equal(existsSync(`${c.dir}/sd.log`), false, 'no daemon got as far as its log');
  assert.equal(existsSync(`${c.dir}/sd.pid`), false);
});

test('-u naming the user the daemon already runs as logs "Set uid to user N succeeded", as supervisord does', async () => {
  const c = config('[program:idle]\ncommand=/bin/true\nautostart=false\n');
  const uid = process.getuid?.() ?? 0;
  const d = startDaemon(['-n', '-c', c.conf, '-u', String(uid)]);
  await eventually(() => d.stdout().includes('supervisord started with pid'), 15_000, 'started');
  assert.match(d.stdout(), new RegExp(`INFO Set uid to user ${uid} succeeded\n`));
  assert.doesNotMatch(d.stdout(), /Supervisor is running as root/);
  d.child.kill('SIGTERM');
  assert.deepEqual(await d.exited, { code: 0, signal: null });
});

test('at loglevel trace each HTTP response is logged as supervisord logs it: host:port - - [date] "request" status bytes', async () => {
  const c = config('', `[unix_http_server]\nfile=%(here)s/s.sock\n`);
  const d = startDaemon(['daemon', '-n', '-c', c.conf, '-e', 'trace'], [], svdBin);
  await eventually(() => d.stdout().includes('supervisord started with pid'), 15_000, 'started');
  const body = await new Promise<string>((resolve, reject) => {
    const req = httpGet({ socketPath: `${c.dir}/s.sock`, path: '/ok.html' }, (res) => {
      let text = '';
      res.on('data', (b: Buffer) => (text += b.toString()));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
  });
  assert.ok(body.includes('OK'));
  await eventually(() => d.stdout().includes('"GET /ok.html HTTP/1.1"'), 15_000, 'access line');
  assert.match(
    d.stdout(),
    /TRAC localhost:0 - - \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] "GET \/ok.html HTTP\/1.1" 200 [1-9]\d*\n/,
  );
  d.child.kill('SIGTERM');
  assert.deepEqual(await d.exited, { code: 0, signal: null });
});

test('`-nc FILE` (clustered short options, as Dockerfiles write `supervisord -nc /etc/supervisord.conf`) runs in the foreground', async () => {
  const c = config('[program:idle]\ncommand=/bin/true\nautostart=false\n');
  const d = startDaemon(['-nc', c.conf]);
  await eventually(() => d.stdout().includes('supervisord started with pid'), 15_000, 'started');
  assert.equal(Number(readFileSync(`${c.dir}/sd.pid`, 'utf8')), d.child.pid, 'not detached');
  d.child.kill('SIGTERM');
  assert.deepEqual(await d.exited, { code: 0, signal: null });
});

test(
  'root without -c is warned, as supervisord warns, that the config is searched for in the working directory',
  { skip: process.getuid?.() !== 0 && 'needs root' },
  () => {
    const c = config('');
    // Found in the working directory, and refused there (startsecs=abc): the daemon stops before anything runs.
    writeFileSync(
      `${c.dir}/supervisord.conf`,
      `[supervisord]\nlogfile=${c.dir}/sd.log\n[program:x]\ncommand=/bin/true\nstartsecs=abc\n`,
    );
    const r = spawnSync(process.execPath, [DAEMON_MAIN, '-n'], {
      cwd: c.dir,
      encoding: 'utf8',
      timeout: 15_000,
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(
      r.stderr,
      /^UserWarning: Supervisord is running as root and it is searching for its configuration file in default locations/,
    );
    assert.match(r.stderr, new RegExp(`${c.dir}/supervisord.conf:\\d+:\\d+: error: .*startsecs`));
  },
);

test('-z -1 is taken as supervisord takes it: read as 0, with a warning in the log', async () => {
  const c = config('[program:idle]\ncommand=/bin/true\nautostart=false\n');
  const d = startDaemon(['-n', '-c', c.conf, '-z', '-1']);
  await eventually(() => d.stdout().includes('supervisord started with pid'), 15_000, 'started');
  assert.match(d.stdout(), /WARN logfile_backups=-1 \(command line\) is read as 0/);
  d.child.kill('SIGTERM');
  assert.deepEqual(await d.exited, { code: 0, signal: null });
});

test('each server logs "RPC interface NAME initialized" once per [rpcinterface:NAME] section, none without one', async () => {
  const unix = (c: { dir: string }) => `[unix_http_server]\nfile=${c.dir}/s.sock\n`;
  const factory = 'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n';
  const bare = config('');
  const named = config('');
  writeFileSync(bare.conf, `${readFileSync(bare.conf, 'utf8')}${unix(bare)}`);
  writeFileSync(
    named.conf,
    `${readFileSync(named.conf, 'utf8')}${unix(named)}[rpcinterface:foo]\n${factory}`,
  );
  for (const [c, expected] of [
    [bare, []],
    [named, ["INFO RPC interface 'foo' initialized"]],
  ] as const) {
    const d = startDaemon(['daemon', '-n', '-c', c.conf], [], svdBin);
    await eventually(() => d.stdout().includes('supervisord started with pid'), 15_000, 'started');
    assert.deepEqual(d.stdout().match(/INFO RPC interface .*/g) ?? [], expected, d.stdout());
    d.child.kill('SIGTERM');
    assert.deepEqual(await d.exited, { code: 0, signal: null });
  }
});

/**
 * The environment a program of a daemon started with `args` (prefixed by `prefix`) sees, as KEY=value lines.
 * A detached daemon is stopped through its pidfile; a foreground one (whose pidfile may hold a pid of another
 * pid namespace) through its process group.
 */
async function childEnvironment(args: readonly string[], prefix: readonly string[] = []): Promise<string[]> {
  const c = config(
    `[program:env]\ncommand=${fixture('print-env')}\nstartsecs=0\nautorestart=false\n` +
      `stdout_logfile=%(here)s/env.out\n`,
  );
  const d = startDaemon(['daemon', '-c', c.conf, ...args], prefix, svdBin);
  await eventually(
    () => existsSync(`${c.dir}/env.out`) && readFileSync(`${c.dir}/env.out`, 'utf8').includes('ID_IS='),
    15_000,
    'env dumped',
  );
  if (args.includes('-n')) {
    process.kill(-(d.child.pid as number), 'SIGTERM');
    await d.exited;
  } else {
    assert.deepEqual(await d.exited, { code: 0, signal: null });
    const pid = Number(readFileSync(`${c.dir}/sd.pid`, 'utf8'));
    trackGroup(pid);
    process.kill(pid, 'SIGTERM');
    await eventually(() => !existsSync(`${c.dir}/sd.pid`), 15_000, 'pidfile removed');
  }
  return readFileSync(`${c.dir}/env.out`, 'utf8').split('\n');
}

/** SVD_* variables in a child's environment that the test's own environment did not hand down (CI sets some). */
function daemonMarkers(env: readonly string[]): string[] {
  return env.filter((l) => l.startsWith('SVD_') && !((l.split('=')[0] as string) in process.env));
}

test("a detached daemon's children do not inherit its SVD_DETACHED marker; -m applies", async () => {
  const env = await childEnvironment(['-m', '027']);
  assert.deepEqual(daemonMarkers(env), []);
  assert.ok(env.includes('UMASK_IS=0027'), env.join('\n'));
  assert.ok(env.includes('SUPERVISOR_ENABLED=1'));
});

test('a detached daemon logs "daemonizing the supervisord process"; its own log is made before umask= applies, child logs after', async () => {
  const c = config(
    `[program:out]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\nstdout_logfile=%(here)s/out.log\n`,
    'umask=077\n',
  );
  const startUmask = process.umask(0o022); // the umask the daemon is started with
  const d = startDaemon(['-c', c.conf]);
  process.umask(startUmask);
  assert.deepEqual(await d.exited, { code: 0, signal: null });
  const pid = Number(readFileSync(`${c.dir}/sd.pid`, 'utf8'));
  trackGroup(pid);
  await eventually(() => existsSync(`${c.dir}/out.log`), 15_000, 'child log opened');
  // supervisord opens its log, then daemonizes (umask), then spawns: a log shipper can still read its log.
  assert.equal(statSync(`${c.dir}/sd.log`).mode & 0o777, 0o644);
  assert.equal(statSync(`${c.dir}/out.log`).mode & 0o777, 0o600);
  process.kill(pid, 'SIGTERM');
  await eventually(() => !existsSync(`${c.dir}/sd.pid`), 15_000, 'pidfile removed');
  const log = readFileSync(`${c.dir}/sd.log`, 'utf8');
  assert.match(log, /INFO daemonizing the supervisord process\n.* INFO supervisord started with pid \d+\n/);
});

test("a unix socket that cannot be bound stops the start with supervisord's one error line and no other", async () => {
  // /proc/sys takes no new files (EACCES, for root too). The listen error was logged a second time as
  // `ERRO HTTP server error: listen EACCES: permission denied /proc/sys/svd-test.sock.PID`.
  const c = config('', '[unix_http_server]\nfile=/proc/sys/svd-test.sock\n');
  const d = startDaemon(['daemon', '-n', '-c', c.conf], [], svdBin);
  assert.deepEqual(await d.exited, { code: 2, signal: null });
  assert.match(
    d.stderr(),
    /^Error: Cannot open an HTTP server: socket\.error reported errno\.E[A-Z]+ \(\d+\)\nFor help, use .* -h\n$/,
  );
  assert.doesNotMatch(d.stdout(), /ERRO/);
});

/** Starts `-c conf` detached with `main`, waits for its program's cwd in `pwd.out`, stops it: the cwd and its log. */
async function detachedCwd(
  c: { dir: string; conf: string },
  main = svdBin,
): Promise<{ cwd: string; log: string }> {
  const d = startDaemon(['daemon', '-c', c.conf], [], main);
  assert.deepEqual(await d.exited, { code: 0, signal: null }, d.stdout() + d.stderr());
  const pid = Number(readFileSync(`${c.dir}/sd.pid`, 'utf8'));
  trackGroup(pid);
  await eventually(() => existsSync(`${c.dir}/pwd.out`), 15_000, 'the program ran');
  process.kill(pid, 'SIGTERM');
  await eventually(() => !existsSync(`${c.dir}/sd.pid`), 15_000, 'pidfile removed');
  return {
    cwd: readFileSync(`${c.dir}/pwd.out`, 'utf8').trim(),
    log: readFileSync(`${c.dir}/sd.log`, 'utf8'),
  };
}

const pwdProgram =
  "[program:pwd]\ncommand=/bin/sh -c 'pwd > %(here)s/pwd.out; exec sleep 100'\nstartsecs=0\n";

test('a detached daemon changes into directory= and logs "set current directory", as supervisord does', async () => {
  const c = config(pwdProgram);
  mkdirSync(`${c.dir}/wd`);
  writeFileSync(
    c.conf,
    readFileSync(c.conf, 'utf8').replace('[supervisord]\n', `[supervisord]\ndirectory=${c.dir}/wd\n`),
  );
  const { cwd, log } = await detachedCwd(c);
  assert.equal(cwd, `${c.dir}/wd`);
  assert.match(
    log,
    new RegExp(`INFO daemonizing the supervisord process\n.* INFO set current directory: '${c.dir}/wd'\n`),
  );
});

test(
  "a directory= the daemon's user cannot enter is supervisord's CRIT line, and the daemon runs on where it started",
  { skip: process.getuid?.() !== 0 || !existsSync('/usr/bin/setpriv') ? 'needs root and setpriv' : false },
  async () => {
    // supervisord changes directory after dropping to user=: a folder only root may enter fails with EACCES.
    // svd threw there, and the detached daemon died before its first log line.
    const c = config(pwdProgram);
    chmodSync(c.dir, 0o777);
    mkdirSync(`${c.dir}/wd`, { mode: 0o700 });
    writeFileSync(
      c.conf,
      readFileSync(c.conf, 'utf8').replace(
        '[supervisord]\n',
        `[supervisord]\ndirectory=${c.dir}/wd\nuser=nobody\n`,
      ),
    );
    const { cwd, log } = await detachedCwd(c, svdBinForNobody());
    assert.notEqual(cwd, `${c.dir}/wd`);
    const wd = `'${c.dir}/wd'`;
    assert.match(log, new RegExp(`CRIT can't chdir into ${wd}: \\[Errno 13\\] Permission denied: ${wd}\n`));
    assert.match(log, /INFO supervisord started with pid \d+\n/);
  },
);

test(
  'as PID 1 behind tini, children do not inherit the SVD_UNDER_TINI marker',
  {
    skip:
      process.getuid?.() !== 0 || !existsSync('/usr/bin/unshare') || !existsSync('/usr/bin/tini')
        ? 'needs root, unshare and tini'
        : false,
  },
  async () => {
    const env = await childEnvironment(['-n'], ['/usr/bin/unshare', '-fp', '--mount-proc']);
    assert.deepEqual(daemonMarkers(env), []);
    assert.ok(env.includes('SUPERVISOR_ENABLED=1'));
  },
);

test('with no config file anywhere, the error lists the search path as supervisord does: the working directory relative', (t) => {
  const probe = spawnSync('unshare', ['-m', 'true'], { timeout: 10_000 });
  if (probe.status !== 0) return t.skip('unshare -m is not available (needs root)');
  if (existsSync('/etc/supervisord.conf')) return t.skip('/etc/supervisord.conf exists here');
  const empty = mkdtempSync(join(tmpdir(), 'svd-noconf-'));
  cleanups.push(() => rmSync(empty, { recursive: true, force: true }));
  // A mount namespace of its own hides a system /etc/supervisor/supervisord.conf from the daemon alone.
  const run = (daemon: string) =>
    spawnSync(
      'unshare',
      [
        '-m',
        'sh',
        '-c',
        // Where the mount fails, the daemon must not run on the system's configuration.
        `if [ -d /etc/supervisor ]; then mount --bind "$0" /etc/supervisor || exit 99; fi; exec ${daemon} -n`,
        empty,
      ],
      { cwd: empty, encoding: 'utf8', timeout: 20_000 },
    );
  const svd = run(`"${process.execPath}" "${svdBin}" daemon`);
  if (svd.status === 99) return t.skip('/etc/supervisor could not be hidden in a mount namespace');
  assert.equal(svd.status, 2, svd.stderr);
  const paths = /No config file found at default paths \((.*)\); use the -c option/.exec(svd.stderr)?.[1];
  assert.ok(paths, svd.stderr);
  const list = paths.split(', ');
  assert.deepEqual(list.slice(2), [
    'supervisord.conf',
    'etc/supervisord.conf',
    '/etc/supervisord.conf',
    '/etc/supervisor/supervisord.conf',
  ]);
  if (!existsSync('/usr/bin/supervisord')) return;
  const supervisord = run('/usr/bin/supervisord');
  const theirs = /default paths \((.*)\); use/.exec(supervisord.stderr)?.[1];
  // The first two are beside each one's binary.
  assert.deepEqual(theirs?.split(', ').slice(2), list.slice(2), supervisord.stderr);
});
