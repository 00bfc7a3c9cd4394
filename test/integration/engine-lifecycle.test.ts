import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  rmSync,
  readFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  eventually,
  killAllSpawned,
  leftovers,
  rememberedGroups,
  zombieChildren,
} from '../support/cleanup.js';
import { fixture, realEngine } from '../support/real-engine.js';
import { programGroup } from '../support/specs.js';
import { isSvdError } from '../../src/engine/errors.js';

afterEach(() => killAllSpawned());

const state = (r: ReturnType<typeof realEngine>, name: string) => r.engine.getProcessInfo(name).statename;

test('STARTING -> RUNNING after startsecs, then a stop leaves no process behind', async () => {
  const r = realEngine();
  r.engine.addGroup(programGroup({ name: 'sleeper', command: fixture('sleep-forever'), startsecs: 1 }));
  r.engine.run();
  assert.equal(state(r, 'sleeper'), 'STARTING');
  await eventually(() => state(r, 'sleeper') === 'RUNNING', 10_000, 'RUNNING');
  const pid = r.engine.getProcessInfo('sleeper').pid;
  assert.ok(r.output('sleeper').includes('ready'));
  assert.equal(await r.engine.stopProcess('sleeper'), true);
  assert.equal(state(r, 'sleeper'), 'STOPPED');
  assert.ok(r.lines.includes('warn stopped: sleeper (terminated by SIGTERM)'));
  assert.deepEqual(leftovers([pid]), []);
});

test('quick exits go BACKOFF then FATAL; startProcess reports SPAWN_ERROR', async () => {
  const r = realEngine();
  r.engine.addGroup(
    programGroup({ name: 'crash', command: `${fixture('exit-after')} 0 0`, startsecs: 1, startretries: 1 }),
  );
  r.engine.run();
  await eventually(() => state(r, 'crash') === 'FATAL', 15_000, 'FATAL');
  assert.equal(r.lines.filter((l) => l.startsWith("info spawned: 'crash'")).length, 2);
  await assert.rejects(
    r.engine.startProcess('crash'),
    (e) => isSvdError(e) && e.faultString === 'SPAWN_ERROR: crash',
  );
  await eventually(() => state(r, 'crash') === 'FATAL', 15_000, 'FATAL again');
});

test('autorestart=unexpected restarts an unexpected exit at once; exitcodes make it expected', async () => {
  const r = realEngine();
  r.engine.addGroup(programGroup({ name: 'flappy', command: `${fixture('exit-after')} 50 3`, startsecs: 0 }));
  r.engine.addGroup(
    programGroup({ name: 'fine', command: `${fixture('exit-after')} 50 3`, startsecs: 0, exitcodes: [3] }),
  );
  r.engine.run();
  await eventually(
    () => r.lines.filter((l) => l.startsWith("info spawned: 'flappy'")).length >= 3,
    10_000,
    'restarts',
  );
  await eventually(() => state(r, 'fine') === 'EXITED', 10_000, 'EXITED');
  assert.ok(r.lines.includes('info exited: fine (exit status 3; expected)'));
  assert.equal(r.lines.filter((l) => l.startsWith("info spawned: 'fine'")).length, 1);
  await r.engine.stopAllProcesses();
});

test('a program that exits at once is restarted about once a second, not in a tight loop', async () => {
  const r = realEngine();
  r.engine.addGroup(programGroup({ name: 'loop', command: '/bin/true', startsecs: 0, autorestart: true }));
  // A run that lasted longer than the interval restarts at once.
  r.engine.addGroup(
    programGroup({
      name: 'slow',
      command: `${fixture('exit-after')} 2000 0`,
      startsecs: 0,
      autorestart: true,
    }),
  );
  const spawns = (name: string) => r.lines.filter((l) => l.startsWith(`info spawned: '${name}'`)).length;
  r.engine.run();
  await new Promise((res) => setTimeout(res, 2500));
  const loops = spawns('loop');
  // A shutdown, not stopAllProcesses: an EXITED process waiting for its restart would start again after it.
  r.engine.requestShutdown();
  await r.engine.stopAll();
  // Spawned at 0, 1 and 2 s; a tight loop spawns hundreds in that time.
  assert.ok(loops >= 2 && loops <= 4, `${loops} spawns of loop in 2.5 s`);
  assert.ok(r.lines.includes('info exited: slow (exit status 0; expected)'));
  assert.equal(spawns('slow'), 2);
});

test('a process that ignores SIGTERM gets SIGKILL after stopwaitsecs', async () => {
  const r = realEngine();
  r.engine.addGroup(
    programGroup({ name: 'stubborn', command: fixture('ignore-term'), startsecs: 0, stopwaitsecs: 1 }),
  );
  r.engine.run();
  await eventually(() => r.output('stubborn').includes('ready'), 10_000, 'ready');
  assert.equal(await r.engine.stopProcess('stubborn'), true);
  assert.ok(r.lines.some((l) => l.startsWith("warn killing 'stubborn'") && l.endsWith('with SIGKILL')));
  assert.ok(r.lines.includes('warn stopped: stubborn (terminated by SIGKILL)'));
});

test('stopasgroup kills the grandchildren too; without it they survive as orphans', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'svd-gc-'));
  try {
    const r = realEngine();
    const grouped = join(dir, 'grouped.pid');
    const plain = join(dir, 'plain.pid');
    r.engine.addGroup(
      programGroup({
        name: 'grouped',
        command: `${fixture('fork-grandchild')} ${grouped}`,
        startsecs: 0,
        stopasgroup: true,
      }),
    );
    r.engine.addGroup(
      programGroup({ name: 'plain', command: `${fixture('fork-grandchild')} ${plain}`, startsecs: 0 }),
    );
    r.engine.run();
    await eventually(
      () => r.output('grouped').includes('ready') && r.output('plain').includes('ready'),
      10_000,
      'ready',
    );
    const groupedGc = Number(readFileSync(grouped, 'utf8'));
    const plainGc = Number(readFileSync(plain, 'utf8'));
    await r.engine.stopAllProcesses();
    await eventually(
      () => leftovers([r.engine.getProcessInfo('grouped').pid || groupedGc]).length === 0,
      5000,
      'gone',
    );
    const alive = (pid: number) =>
      leftovers(rememberedGroups()).some((p) => p.pid === pid && p.state !== 'Z');
    await eventually(() => !alive(groupedGc), 5000, 'grouped grandchild killed');
    assert.ok(alive(plainGc), 'the grandchild of a plain stop survives (supervisor does the same)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('killasgroup: a leader that exits on stopsignal leaves no process of its group, on stop and at shutdown', async () => {
  const r = realEngine();
  // The leader (sh) dies of SIGTERM at once; its two sleeps ignore nothing but never get the SIGTERM.
  const tree = (name: string) =>
    programGroup({
      name,
      command: "sh -c 'sleep 1001 & sleep 1001 & wait'",
      startsecs: 0,
      killasgroup: true,
      stopwaitsecs: 1,
    });
  r.engine.addGroup(tree('stopped'));
  r.engine.addGroup(tree('atexit'));
  r.engine.run();
  const pid = (name: string) => r.engine.getProcessInfo(name).pid;
  const live = (pgid: number) => leftovers([pgid]).filter((p) => p.state !== 'Z');
  await eventually(
    () =>
      pid('stopped') > 0 &&
      pid('atexit') > 0 &&
      live(pid('stopped')).length === 3 &&
      live(pid('atexit')).length === 3,
    10_000,
    'both trees up (sh and two sleeps each)',
  );
  const stoppedPgid = pid('stopped');
  const atexitPgid = pid('atexit');
  assert.equal(await r.engine.stopProcess('stopped'), true);
  assert.ok(r.lines.includes('warn stopped: stopped (terminated by SIGTERM)'), 'the leader died of SIGTERM');
  await eventually(() => live(stoppedPgid).length === 0, 5000, 'no process of the stopped group left');
  r.engine.requestShutdown();
  await r.engine.stopAll();
  await eventually(() => live(atexitPgid).length === 0, 5000, 'no process of the group left after shutdown');
});

test('user, directory, umask and environment reach the child', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'svd-env-'));
  chmodSync(dir, 0o755);
  // As root the child runs as nobody, who may not reach the project (a clone in root's home): run a copy.
  const printEnv = join(dir, 'print-env');
  copyFileSync(fixture('print-env'), printEnv);
  try {
    const r = realEngine({
      supervisordEnvironment: { FROM_DAEMON: 'd', BOTH: 'daemon' },
      serverUrl: 'unix:///tmp/x.sock',
    });
    r.engine.addGroup(
      programGroup({
        name: 'env',
        command: printEnv,
        startsecs: 0,
        autorestart: false,
        directory: dir,
        umask: '027',
        environment: { BOTH: 'program', SPACED: 'a b' },
        ...(process.getuid?.() === 0 ? { user: 'nobody' } : {}),
      }),
    );
    r.engine.run();
    await eventually(() => state(r, 'env') === 'EXITED', 10_000, 'EXITED');
    const out = r.output('env');
    assert.match(out, new RegExp(`^PWD_IS=${dir}$`, 'm'));
    assert.match(out, /^UMASK_IS=0027$/m);
    assert.match(out, /^SUPERVISOR_ENABLED=1$/m);
    assert.match(out, /^SUPERVISOR_PROCESS_NAME=env$/m);
    assert.match(out, /^SUPERVISOR_GROUP_NAME=env$/m);
    assert.match(out, /^SUPERVISOR_SERVER_URL=unix:\/\/\/tmp\/x.sock$/m);
    assert.match(out, /^FROM_DAEMON=d$/m);
    assert.match(out, /^BOTH=program$/m);
    assert.match(out, /^SPACED=a b$/m);
    if (process.getuid?.() === 0) {
      assert.match(out, /^ID_IS=65534:65534:65534$/m);
      assert.match(out, /^USER=nobody$/m);
      assert.match(out, /^Groups: 65534$/m, "initgroups: nobody's primary group is its supplementary list");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('directory= and umask= leave the child the command itself, argv[0] as written, and the daemon its umask', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'svd-argv-'));
  const daemonUmask = () => /^Umask:\s*(\d+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  const before = daemonUmask();
  try {
    const r = realEngine();
    r.engine.addGroup(
      programGroup({ name: 'plain', command: 'sleep 1000', startsecs: 0, directory: dir, umask: '077' }),
    );
    r.engine.run();
    await eventually(() => state(r, 'plain') === 'RUNNING', 10_000, 'RUNNING');
    const pid = r.engine.getProcessInfo('plain').pid;
    // As supervisor's execve: no /bin/sh prelude in between, so ps shows the command as the config wrote it.
    // (The spawn returns once the exec has begun; the kernel sets the new argv up a moment later.)
    await eventually(
      () => readFileSync(`/proc/${pid}/cmdline`, 'utf8') === 'sleep\u00001000\u0000',
      5000,
      'argv[0] as written once exec()ed',
    );
    assert.equal(readlinkSync(`/proc/${pid}/cwd`), dir);
    assert.match(readFileSync(`/proc/${pid}/status`, 'utf8'), /^Umask:\s*0077$/m);
    assert.equal(daemonUmask(), before);
    assert.equal(await r.engine.stopProcess('plain'), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(
  'user= alone leaves argv[0] as written (bash says `bash: line 1:`, ps shows the command as configured)',
  { skip: process.getuid?.() === 0 ? false : 'needs root to switch to nobody' },
  async () => {
    const r = realEngine();
    r.engine.addGroup(programGroup({ name: 'asuser', command: 'sleep 1000', startsecs: 0, user: 'nobody' }));
    r.engine.run();
    await eventually(() => state(r, 'asuser') === 'RUNNING', 10_000, 'RUNNING');
    const pid = r.engine.getProcessInfo('asuser').pid;
    // supervisor's child, already nobody, execs `sleep` found on PATH with argv[0] as written; setpriv given
    // the resolved /usr/bin/sleep made that the argv[0] (and bash's messages `/usr/bin/bash: line 1: ...`).
    await eventually(
      () => readFileSync(`/proc/${pid}/cmdline`, 'utf8') === 'sleep\u00001000\u0000',
      5000,
      'argv[0] as written once setpriv has exec()ed',
    );
    assert.match(readFileSync(`/proc/${pid}/status`, 'utf8'), /^Uid:\s+65534\s/m);
    assert.equal(await r.engine.stopProcess('asuser'), true);
  },
);

test("directory= leaves PWD and OLDPWD as the environment gives them, as supervisor's chdir does", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'svd-pwd-'));
  try {
    const r = realEngine();
    r.engine.addGroup(
      programGroup({
        name: 'pwd',
        command: '/usr/bin/env',
        startsecs: 0,
        autorestart: false,
        directory: dir,
        environment: { PWD: '/from/the/environment' },
      }),
    );
    r.engine.run();
    await eventually(() => state(r, 'pwd') === 'EXITED', 10_000, 'EXITED');
    const out = r.output('pwd');
    // The wrapper's `cd` would have set PWD to the directory and OLDPWD to the daemon's.
    assert.match(out, /^PWD=\/from\/the\/environment$/m);
    const oldpwd = process.env['OLDPWD'];
    if (oldpwd === undefined) assert.doesNotMatch(out, /^OLDPWD=/m);
    else assert.match(out, new RegExp(`^OLDPWD=${oldpwd}$`, 'm'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sendProcessStdin to a child that closed its stdin is NO_FILE from the first call, as in supervisor', async () => {
  const r = realEngine();
  r.engine.addGroup(
    programGroup({
      name: 'deaf',
      command: "/bin/sh -c 'exec 0<&-; echo closed; exec sleep 1000'",
      startsecs: 0,
    }),
  );
  r.engine.run();
  await eventually(() => r.output('deaf').includes('closed'), 10_000, 'stdin closed');
  for (let i = 0; i < 2; i++) {
    assert.throws(
      () => r.engine.sendProcessStdin('deaf', 'x\n'),
      /^NoFileError: NO_FILE: deaf$|NO_FILE: deaf/,
    );
  }
  assert.equal(state(r, 'deaf'), 'RUNNING');
  assert.equal(await r.engine.stopProcess('deaf'), true);
});

test('spawn errors: NO_FILE and NOT_EXECUTABLE before spawning; a bad directory exits 127 with supervisor lines', async () => {
  const r = realEngine();
  r.engine.addGroup(programGroup({ name: 'missing', command: 'no-such-program-svd', autostart: false }));
  r.engine.addGroup(programGroup({ name: 'dir', command: '/tmp', autostart: false }));
  r.engine.addGroup(programGroup({ name: 'quote', command: "echo 'oops", autostart: false }));
  r.engine.addGroup(
    programGroup({
      name: 'nodir',
      command: fixture('sleep-forever'),
      directory: '/nonexistent-svd',
      startretries: 0,
    }),
  );
  r.engine.run();
  await assert.rejects(r.engine.startProcess('missing'), /NO_FILE: can't find command 'no-such-program-svd'/);
  await assert.rejects(r.engine.startProcess('dir'), /NOT_EXECUTABLE: command at '\/tmp' is a directory/);
  await assert.rejects(
    r.engine.startProcess('quote'),
    /NOT_EXECUTABLE: can't parse command "echo 'oops": No closing quotation/,
  );
  await eventually(() => state(r, 'nodir') === 'FATAL', 10_000, 'FATAL');
  assert.equal(
    r.output('nodir', 'stderr'),
    "supervisor: couldn't chdir to /nonexistent-svd: ENOENT\nsupervisor: child process was not spawned\n",
  );
  assert.equal(
    r.engine.getProcessInfo('nodir').spawnerr,
    'Exited too quickly (process log may have details)',
  );
});

test('redirect_stderr sends stderr into the stdout stream', async () => {
  const r = realEngine();
  r.engine.addGroup(
    programGroup({
      name: 'both',
      command: `/bin/sh -c 'echo out; echo err >&2'`,
      startsecs: 0,
      autorestart: false,
      redirect_stderr: true,
    }),
  );
  r.engine.run();
  await eventually(() => state(r, 'both') === 'EXITED', 10_000, 'EXITED');
  assert.equal(r.output('both'), 'out\nerr\n');
  assert.equal(r.output('both', 'stderr'), '');
});

test('a child flooding stdout never blocks the engine', async () => {
  const r = realEngine({}, false);
  r.engine.addGroup(
    programGroup({
      name: 'flood',
      command: `${fixture('flood-stdout')} 209715200`,
      startsecs: 0,
      autorestart: false,
    }),
  );
  r.engine.run();
  let servedWhileFlooding = 0;
  await eventually(
    () => {
      const info = r.engine.getProcessInfo('flood');
      if (info.statename === 'RUNNING' && r.bytes('flood') > 0) servedWhileFlooding++;
      return info.statename === 'EXITED';
    },
    120_000,
    'flood done',
  );
  assert.ok(servedWhileFlooding > 1, 'status was served while the child was writing');
  assert.equal(r.bytes('flood'), 209715200);
  assert.equal(r.bytes('flood', 'stderr'), 5);
});

test('1,000 restarts leak no file descriptor, no process and no zombie', async () => {
  const r = realEngine({}, false);
  // Started by hand: automatic restarts are paced to one a second (as supervisor's tick paces them).
  r.engine.addGroup(
    programGroup({ name: 'loop', command: '/bin/true', startsecs: 0, autorestart: false, autostart: false }),
  );
  const fds = () => readdirSync('/proc/self/fd').length;
  const exited = () => state(r, 'loop') === 'EXITED';
  const cycle = async () => {
    await r.engine.startProcess('loop', false);
    await eventually(exited, 10_000, 'EXITED');
  };
  r.engine.run();
  // A few cycles first: node opens some descriptors once, on its first spawn.
  for (let i = 0; i < 5; i++) await cycle();
  const before = fds();
  for (let i = 0; i < 1000; i++) await cycle();
  await eventually(() => fds() === before, 10_000, `fd count back to ${before}`);
  assert.equal(r.lines.filter((l) => l.startsWith("info spawned: 'loop'")).length, 1005);
  assert.deepEqual(leftovers(), []);
  assert.deepEqual(zombieChildren(), []);
});
