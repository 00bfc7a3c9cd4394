// The native spawner (native/svd_spawn.c) on real processes: what a child starts with, how a spawn fails, how
// an exit is reported. The Spawner contract and the rest of the suite run it through NodeSpawner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  constants,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { nativeSpawn, nativeSpawnAvailable, type ExitListener } from '../../src/adapters/native-spawn.js';
import { eventually, trackGroup, killAllSpawned } from '../support/cleanup.js';
import { repoRoot } from '../support/paths.js';

const skip = nativeSpawnAvailable() ? false : 'the native spawner is not built here (node native/build.mjs)';

test.after(() => killAllSpawned());

test(
  'the native spawner is loaded where CI requires it (SVD_NATIVE=require)',
  {
    skip: process.env['SVD_NATIVE'] === 'require' ? false : 'only where SVD_NATIVE=require',
  },
  () => {
    assert.equal(nativeSpawnAvailable(), true);
  },
);

/** Runs `argv` with its stdout in a file; resolves with that output and the exit once the child is reaped. */
async function run(
  argv: string[],
  options: { cwd?: string; stdoutFlags?: number } = {},
): Promise<{ out: string; code: number | null; signal: string | null; pid: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'svd-native-'));
  const outPath = join(dir, 'out');
  const out = openSync(outPath, options.stdoutFlags ?? constants.O_WRONLY | constants.O_CREAT, 0o600);
  try {
    let onExit!: ExitListener;
    const exited = new Promise<{ code: number | null; signal: string | null }>(
      (resolve) => (onExit = (code, signal) => resolve({ code, signal })),
    );
    const result = nativeSpawn(
      {
        file: argv[0] as string,
        argv,
        env: { PATH: '/usr/bin:/bin' },
        cwd: options.cwd,
        fds: [-1, out, out],
      },
      onExit,
    );
    assert.ok('pid' in result, `spawned: ${JSON.stringify(result)}`);
    trackGroup(result.pid);
    const { code, signal } = await exited;
    return { out: readFileSync(outPath, 'utf8'), code, signal, pid: result.pid };
  } finally {
    closeSync(out);
    rmSync(dir, { recursive: true, force: true });
  }
}

test(
  "a child leads a new process group in the daemon's session, with no signal ignored or blocked, and is reaped",
  { skip },
  async () => {
    // Node ignores SIGPIPE in the daemon; a child must not inherit that (a `yes | head` pipeline would spin).
    const r = await run([
      '/bin/sh',
      '-c',
      'grep -E "^(SigIgn|SigBlk)" /proc/self/status; echo "$$ $(cut -d" " -f5,6 /proc/$$/stat)"',
    ]);
    assert.match(r.out, /^SigBlk:\s+0+$/m);
    // dash itself ignores nothing; the grep child inherits what sh was given.
    assert.match(r.out, /^SigIgn:\s+0+$/m);
    const [pid, pgrp, sid] = (r.out.trim().split('\n').at(-1) ?? '').split(' ');
    assert.ok(pid !== undefined && pid === pgrp, `the child leads its own process group: ${r.out}`);
    // As supervisor's setpgrp(): the daemon's session (and so its terminal, if it has one).
    const own = readFileSync('/proc/self/stat', 'utf8');
    assert.equal(
      sid,
      own.slice(own.lastIndexOf(')') + 2).split(' ')[3],
      `the child stays in the session: ${r.out}`,
    );
    assert.deepEqual([r.code, r.signal], [0, null]);
    assert.equal(existsSync(`/proc/${r.pid}`), false, 'no zombie left');
  },
);

test('a signal that ends a child is named as node:child_process names it', { skip }, async () => {
  const r = await run(['/bin/sh', '-c', 'kill -ABRT $$']);
  assert.deepEqual([r.code, r.signal], [null, 'SIGABRT']);
});

test(
  'the child gets its standard streams blocking, a directory, and no other descriptor',
  { skip },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svd-native-cwd-'));
    try {
      const r = await run(['/bin/sh', '-c', 'pwd; grep ^flags /proc/self/fdinfo/1; ls /proc/self/fd'], {
        cwd: dir,
        stdoutFlags: constants.O_WRONLY | constants.O_CREAT | constants.O_NONBLOCK,
      });
      const [pwd, flags, ...fds] = r.out.trim().split('\n');
      assert.equal(pwd, dir);
      assert.equal(
        Number.parseInt(flags?.split(/\s+/)[1] ?? '', 8) & constants.O_NONBLOCK,
        0,
        'stdout is blocking',
      );
      // ls's own descriptor for the listing is 3.
      assert.deepEqual(fds, ['0', '1', '2', '3']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

for (const [way, env] of [
  ['sharing the descriptor table until it unshares it', {}],
  ["through glibc's posix_spawn (kernels before 5.9)", { SVD_SPAWN_POSIX: '1' }],
] as const) {
  test(
    `a child started ${way}: only its streams, signals at their defaults, a failed exec's errno`,
    { skip },
    () => {
      // node:child_process leaves an extra stdio entry open in the child without close-on-exec: fd 5 here.
      const script = `
      import { nativeSpawn } from ${JSON.stringify(join(repoRoot, 'dist/src/adapters/native-spawn.js'))};
      const run = (file, argv) => nativeSpawn({ file, argv, env: {}, cwd: '/', fds: [-1, 1, 2] }, () => {});
      run('/bin/sh', ['sh', '-c', 'ls /proc/$$/fd; pwd; grep -E "^Sig(Blk|Ign)" /proc/self/status']);
      console.log(JSON.stringify(run('/nonexistent', ['x'])));
    `;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        stdio: ['ignore', 'pipe', 'pipe', 'ignore', 'ignore', 'pipe'],
        encoding: 'utf8',
        timeout: 10_000,
        env: { ...process.env, ...env },
      });
      assert.equal(r.status, 0, r.stderr);
      const lines = r.stdout.trim().split('\n').sort();
      assert.deepEqual(lines, [
        '/',
        '0',
        '1',
        '2',
        'SigBlk:\t0000000000000000',
        'SigIgn:\t0000000000000000',
        '{"errno":"ENOENT"}',
      ]);
    },
  );
}

test(
  'a spawn that fails returns the errno and leaves no child: missing, not executable, no #! line',
  { skip },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'svd-native-fail-'));
    try {
      const plain = join(dir, 'plain');
      writeFileSync(plain, 'echo hi\n');
      const script = join(dir, 'script');
      writeFileSync(script, 'echo hi\n');
      chmodSync(script, 0o755);
      const spawnOf = (file: string) =>
        nativeSpawn({ file, argv: [file], env: {}, cwd: undefined, fds: [-1, -1, -1] }, () => {
          assert.fail('no exit for a failed spawn');
        });
      assert.deepEqual(spawnOf(join(dir, 'missing')), { errno: 'ENOENT' });
      assert.deepEqual(spawnOf(plain), { errno: 'EACCES' });
      // As supervisor's execve: a script without a #! line is not run by /bin/sh (execvp would).
      assert.deepEqual(spawnOf(script), { errno: 'ENOEXEC' });
      // A descriptor beyond the table is refused when the file actions are recorded: no child with the daemon's
      // own fd 0 in its place.
      assert.deepEqual(
        nativeSpawn(
          { file: '/bin/true', argv: ['true'], env: {}, cwd: undefined, fds: [1 << 30, -1, -1] },
          () => {
            assert.fail('no exit for a failed spawn');
          },
        ),
        { errno: 'EBADF' },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('a throw in an exit listener reaches the process as an uncaught exception', { skip }, () => {
  const script = `
    import { nativeSpawn } from ${JSON.stringify(join(repoRoot, 'dist/src/adapters/native-spawn.js'))};
    process.on('uncaughtException', (e) => { console.log('caught:', e.message); process.exitCode = 3; });
    nativeSpawn({ file: '/bin/true', argv: ['true'], env: {}, cwd: undefined, fds: [-1, -1, -1] }, () => {
      throw new Error('from the listener');
    });
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  assert.equal(r.stdout.trim(), 'caught: from the listener');
  assert.equal(r.status, 3);
});

test('1,000 children exit and are reaped with their own status each', { skip }, async () => {
  const statuses: number[] = [];
  const pids: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const result = nativeSpawn(
      { file: '/bin/sh', argv: ['sh', '-c', `exit ${i % 256}`], env: {}, cwd: undefined, fds: [-1, -1, -1] },
      (code) => statuses.push(code ?? -1),
    );
    assert.ok('pid' in result);
    trackGroup(result.pid);
    pids.push(result.pid);
  }
  await eventually(() => statuses.length === 1000, 30_000, 'every exit reported');
  assert.deepEqual(
    statuses.sort((a, b) => a - b),
    Array.from({ length: 1000 }, (_, i) => i % 256).sort((a, b) => a - b),
  );
  assert.equal(pids.filter((pid) => existsSync(`/proc/${pid}`)).length, 0, 'no zombie left');
});

test('a worker thread that ends while its child runs leaves the process running', { skip }, () => {
  // Node closes a worker's event loop when the worker ends and aborts the whole process if a handle is still
  // open on it: each running child's pidfd watch must be closed as the worker's environment goes.
  const addon = join(repoRoot, 'native/svd_spawn.node');
  const script = `
    const { Worker } = require('node:worker_threads');
    const inWorker = \`
      const addon = require(${JSON.stringify(addon)});
      const { parentPort } = require('node:worker_threads');
      parentPort.postMessage(addon.spawn('/bin/sleep', ['sleep', '2'], [], null, [-1, -1, -1], () => {}));
    \`;
    const worker = new Worker(inWorker, { eval: true });
    worker.on('message', (pid) => {
      console.log('pid', pid);
      worker.terminate().then(() => setTimeout(() => console.log('still running'), 100));
    });
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
  const pid = Number(/^pid (\d+)$/m.exec(r.stdout)?.[1]);
  if (pid > 0) trackGroup(pid);
  assert.equal(r.signal, null, `no abort: ${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^still running$/m);
});

/** A process's state letter (/proc/PID/stat), or null once it is gone. */
function processState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}

// Seizes a process with ptrace (no stop) and never waits for it: its exit stays the tracer's until the tracer ends.
const TRACER = [
  'import ctypes, sys, time',
  'libc = ctypes.CDLL(None, use_errno=True)',
  'ok = libc.ptrace(0x4206, int(sys.argv[1]), None, None) == 0', // PTRACE_SEIZE
  'print("seized" if ok else "refused: errno %d" % ctypes.get_errno(), flush=True)',
  'time.sleep(float(sys.argv[2]))',
].join('\n');

test('a traced child whose exit the tracer holds does not spin the event loop', { skip }, async (t) => {
  let exited = false;
  const result = nativeSpawn(
    // Long enough for the tracer (a Python start, slow on a loaded machine) to seize it before it exits.
    { file: '/bin/sleep', argv: ['sleep', '1'], env: {}, cwd: undefined, fds: [-1, -1, -1] },
    () => (exited = true),
  );
  assert.ok('pid' in result);
  trackGroup(result.pid);
  const tracer = spawn('/usr/bin/python3', ['-c', TRACER, String(result.pid), '4'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  t.after(() => tracer.kill('SIGKILL'));
  const said = await new Promise<string>((resolve) => {
    tracer.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
    tracer.once('exit', () => resolve('no tracer'));
  });
  if (said !== 'seized') {
    t.skip(`ptrace is not allowed here (${said})`);
    await eventually(() => exited, 10_000, 'the exit');
    return;
  }
  // The pidfd is readable from the exit on, the exit cannot be reaped until the tracer goes (~3 s later).
  await eventually(() => processState(result.pid) === 'Z', 10_000, 'the exit, held by the tracer');
  const before = process.cpuUsage();
  await new Promise((r) => setTimeout(r, 1000));
  const used = process.cpuUsage(before);
  assert.ok(used.user + used.system < 300_000, `the loop spun: ${used.user + used.system} µs of CPU in 1 s`);
  assert.equal(exited, false, 'not reported while the tracer holds it');
  await eventually(() => exited, 10_000, 'the exit once the tracer is gone');
  assert.equal(existsSync(`/proc/${result.pid}`), false, 'reaped');
});

test('an exit listener that is not a function is refused before anything is started', { skip }, () => {
  const addon = createRequire(import.meta.url)(join(repoRoot, 'native/svd_spawn.node')) as {
    spawn(...args: unknown[]): number;
  };
  const dir = mkdtempSync(join(tmpdir(), 'svd-native-listener-'));
  try {
    const marker = join(dir, 'ran');
    assert.throws(
      () => addon.spawn('/bin/touch', ['touch', marker], [], null, [-1, -1, -1], 'not a function'),
      TypeError,
    );
    // posix_spawn returns after the exec: a child started would have run touch by the time it had returned.
    spawnSync('/bin/sleep', ['0.2']);
    assert.equal(existsSync(marker), false, 'no child was started');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
