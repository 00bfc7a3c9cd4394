// The native spawner's reaper (native/svd_reaper.c) on real processes: exits are reaped on a thread of their own
// and reported on the spawning thread's loop, a reaped child is never signalled by its old pid, the loop lives
// exactly as long as a child is unreported, and a worker's children are reaped after the worker is gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  closeSoon,
  nativeSignal,
  nativeSignalSoon,
  nativeSpawn,
  nativeSpawnAvailable,
} from '../../src/adapters/native-spawn.js';
import { eventually, killAllSpawned, trackGroup } from '../support/cleanup.js';
import { repoRoot } from '../support/paths.js';

const skip = nativeSpawnAvailable() ? false : 'the native spawner is not built here (node native/build.mjs)';
const addon = join(repoRoot, 'native/svd_spawn.node');

test.after(() => killAllSpawned());

type OnExit = (code: number | null, signal: string | null) => void;

/** A child started by the addon with no descriptors, its group killed after the tests; its pid. */
function spawnNative(file: string, argv: string[], onExit: OnExit): number {
  const result = nativeSpawn({ file, argv, env: {}, cwd: undefined, fds: [-1, -1, -1] }, onExit);
  assert.ok('pid' in result, JSON.stringify(result));
  trackGroup(result.pid);
  return result.pid;
}

function spawnSleep(seconds: string, onExit: OnExit): number {
  return spawnNative('/bin/sleep', ['sleep', seconds], onExit);
}

/** The state letter of /proc/PID/stat, or null once the process is gone (reaped). */
function procState(pid: number): string | null {
  try {
    return /\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1] ?? null;
  } catch {
    return null;
  }
}

test(
  'a child reaped but not yet reported is not signalled: its pid may be another process already',
  { skip },
  () => {
    let reported = false;
    const pid = spawnSleep('0', () => (reported = true));
    // The loop is blocked here, so the exit cannot be reported; the reaper's thread reaps it all the same.
    const deadline = Date.now() + 10_000;
    while (procState(pid) !== null && Date.now() < deadline) {
      // Spin: nothing else may run on this thread meanwhile.
    }
    assert.equal(procState(pid), null, 'reaped while the loop was blocked');
    assert.equal(reported, false, 'not reported yet');
    assert.equal(nativeSignal(pid, 0, false), 'ESRCH');
  },
);

test('a running child is signalled, as is its process group', { skip }, async () => {
  let exit: { code: number | null; signal: string | null } | null = null;
  const pid = spawnSleep('30', (code, signal) => (exit = { code, signal }));
  assert.equal(nativeSignal(pid, 0, false), undefined);
  assert.equal(nativeSignal(pid, 0, true), undefined);
  assert.equal(nativeSignal(pid, 15, true), undefined);
  await eventually(() => exit !== null, 10_000, 'the exit');
  assert.deepEqual(exit, { code: null, signal: 'SIGTERM' });
  assert.equal(nativeSignal(pid, 15, false), 'ESRCH');
});

test('exits of many children at once are each reported once, with their own status', { skip }, async () => {
  const codes = new Map<number, number | null>();
  const pids: number[] = [];
  for (let i = 0; i < 300; i++) {
    const pid = spawnNative('/bin/sh', ['sh', '-c', `exit ${i % 200}`], (code) => {
      assert.equal(codes.has(i), false, `child ${i} reported twice`);
      codes.set(i, code);
    });
    pids.push(pid);
  }
  await eventually(() => codes.size === 300, 30_000, 'every exit');
  for (let i = 0; i < 300; i++) assert.equal(codes.get(i), i % 200);
  assert.deepEqual(
    pids.filter((pid) => procState(pid) !== null),
    [],
    'no zombie',
  );
});

test('the loop lives while a child is unreported, and ends after its exit', { skip }, () => {
  // Nothing else keeps this process's loop alive: the child's exit must still be reported, and the process
  // must end right after it (a handle left referenced would keep it until the timeout).
  const script = `
    const addon = require(${JSON.stringify(addon)});
    const pid = addon.spawn('/bin/sleep', ['sleep', '0.3'], [], null, [-1, -1, -1], (code, signal) =>
      console.log('exit', code, signal));
    console.log('spawned', pid > 0);
  `;
  const started = Date.now();
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(r.signal, null, `ended on its own: ${r.stderr}`);
  assert.equal(r.stdout, 'spawned true\nexit 0 0\n');
  assert.ok(Date.now() - started < 9_000);
});

test("a worker's child that outlives the worker is still reaped: no zombie is left", { skip }, () => {
  const script = `
    const { Worker } = require('node:worker_threads');
    const fs = require('node:fs');
    const inWorker = \`
      const addon = require(${JSON.stringify(addon)});
      const { parentPort } = require('node:worker_threads');
      parentPort.postMessage(addon.spawn('/bin/sleep', ['sleep', '0.3'], [], null, [-1, -1, -1], () => {}));
    \`;
    const worker = new Worker(inWorker, { eval: true });
    worker.on('message', (pid) => {
      worker.terminate().then(() => setTimeout(() => {
        let state = 'gone';
        try { state = /\\) (\\S)/.exec(fs.readFileSync('/proc/' + pid + '/stat', 'utf8'))[1]; } catch {}
        console.log('child', state);
      }, 1500));
    });
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 15_000 });
  assert.equal(r.signal, null, `no abort: ${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'child gone\n');
});

test(
  'a throw in an exit listener goes the uncaught-exception way, as in a child_process listener',
  { skip },
  () => {
    const script = `
    const addon = require(${JSON.stringify(addon)});
    process.on('uncaughtException', (e) => { console.log('uncaught', e.message); });
    addon.spawn('/bin/true', ['true'], [], null, [-1, -1, -1], () => { throw new Error('from the listener'); });
  `;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'uncaught from the listener\n');
  },
);

test(
  'closeSoon closes on the addon thread: every descriptor is gone soon after, each number held till then',
  { skip },
  async () => {
    const fds = Array.from({ length: 200 }, () => openSync('/dev/null', 'r'));
    for (const fd of fds) closeSoon(fd);
    const open = () => fds.filter((fd) => existsSync(`/proc/self/fd/${fd}`));
    await eventually(() => open().length === 0, 10_000, 'all closed');
    // The numbers are free again: the next opens reuse them.
    const again = openSync('/dev/null', 'r');
    assert.ok(fds.includes(again) || again < Math.min(...fds), `reused ${again}`);
    closeSync(again);
  },
);

test(
  'a signal sent soon goes out at the end of the turn, from the addon thread; ESRCH at once once the child exited',
  { skip },
  async () => {
    let exit: { code: number | null; signal: string | null } | null = null;
    const pid = spawnSleep('30', (code, signal) => (exit = { code, signal }));
    const failures: string[] = [];
    assert.equal(
      nativeSignalSoon(pid, 15, false, (e) => failures.push(e)),
      undefined,
    );
    assert.notEqual(procState(pid), null, 'not sent before the turn ends');
    await eventually(() => exit !== null, 10_000, 'the exit');
    assert.deepEqual(exit, { code: null, signal: 'SIGTERM' });
    assert.equal(
      nativeSignalSoon(pid, 15, false, (e) => failures.push(e)),
      'ESRCH',
    );
    assert.deepEqual(failures, []);
  },
);

// Installs a seccomp filter under which pidfd_send_signal(2) fails with EPERM, then execs the rest.
const DENY_PIDFD_SIGNAL = [
  'import ctypes, errno, os, struct, sys',
  'libc = ctypes.CDLL(None, use_errno=True)',
  'op = lambda code, k, jt=0, jf=0: struct.pack("HBBI", code, jt, jf, k)',
  'ALLOW = 0x7FFF0000',
  'prog = b"".join([op(0x20, 4), op(0x15, 0xC000003E, 1, 0), op(0x06, ALLOW), op(0x20, 0),',
  '  op(0x15, 424, 0, 1), op(0x06, 0x00050000 | errno.EPERM), op(0x06, ALLOW)])',
  'buf = ctypes.create_string_buffer(prog)',
  'class Prog(ctypes.Structure): _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]',
  'p = Prog(len(prog) // 8, ctypes.cast(buf, ctypes.c_void_p))',
  'assert libc.prctl(38, 1, 0, 0, 0) == 0 and libc.prctl(22, 2, ctypes.byref(p), 0, 0) == 0',
  'os.execv(sys.argv[1], sys.argv[1:])',
].join('\n');

test(
  "a signal that fails on the addon's thread is told to its onFailed later; one sent now fails at once",
  {
    skip:
      skip ||
      (process.arch !== 'x64' ? 'the filter is written for x86-64' : false) ||
      (existsSync('/usr/bin/python3') ? false : 'no python3 to install the filter'),
  },
  () => {
    const module = JSON.stringify(join(repoRoot, 'dist/src/adapters/native-spawn.js'));
    const script = `
      import { nativeSignal, nativeSignalSoon, nativeSpawn } from ${module};
      const r = nativeSpawn({ file: '/bin/sleep', argv: ['sleep', '5'], env: {}, cwd: '/', fds: [-1, -1, -1] },
        (code, signal) => { console.log('exit', code, signal); });
      console.log('now', nativeSignal(r.pid, 15, false));
      console.log('soon', nativeSignalSoon(r.pid, 15, false, (e) => {
        console.log('failed', e);
        console.log('group', nativeSignal(r.pid, 9, true));
      }));
    `;
    const r = spawnSync(
      '/usr/bin/python3',
      ['-c', DENY_PIDFD_SIGNAL, process.execPath, '--input-type=module', '-e', script],
      { encoding: 'utf8', timeout: 15_000 },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'now EPERM\nsoon undefined\nfailed EPERM\ngroup undefined\nexit null SIGKILL\n');
  },
);

test(
  'a signal or a close queued from a timer or a setImmediate goes out before the loop waits again',
  { skip },
  () => {
    // Nothing else wakes this loop for 5 s: a queue handed over only after the next wake-up would leave the
    // child running (and the descriptor open) until then.
    const script = `
    const addon = require(${JSON.stringify(addon)});
    const fs = require('node:fs');
    const started = Date.now();
    const far = setTimeout(() => console.log('woken by the far timer'), 5000);
    const spawn = (then) => addon.spawn('/bin/sleep', ['sleep', '8'], [], null, [-1, -1, -1], (code, signal) => {
      console.log('exit', signal, Date.now() - started < 2500);
      then();
    });
    const fromTimer = spawn(() => {
      const fromImmediate = spawn(() => {
        const fd = fs.openSync('/dev/null', 'r');
        setTimeout(() => {
          addon.closeLater(fd);
          setTimeout(() => {
            console.log('closed', !fs.existsSync('/proc/self/fd/' + fd));
            clearTimeout(far);
          }, 300);
        }, 10);
      });
      setImmediate(() => setImmediate(() => addon.signalSoon(fromImmediate, 15, false)));
    });
    setTimeout(() => addon.signalSoon(fromTimer, 15, false), 50);
  `;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'exit 15 true\nexit 15 true\nclosed true\n');
  },
);

test(
  'a burst of signals queued soon starts going out, and exits are reaped, before the queuing turn ends',
  { skip },
  async () => {
    const exits = new Map<number, string | null>();
    const pids: number[] = [];
    for (let i = 0; i < 200; i++) {
      const pid = spawnSleep('30', (_code, signal) => {
        assert.equal(exits.has(pid), false, `child ${pid} reported twice`);
        exits.set(pid, signal);
      });
      pids.push(pid);
    }
    // One turn: every signal is queued, then the turn goes on (as a stop of all goes on logging and arming
    // timers). The reaper's thread is woken every few dozen queued signals, so some children are reaped by now.
    for (const pid of pids)
      assert.equal(
        nativeSignalSoon(pid, 15, false, (errno) => assert.fail(`signal to ${pid}: ${errno}`)),
        undefined,
      );
    const deadline = Date.now() + 10_000;
    while (pids.every((pid) => procState(pid) !== null) && Date.now() < deadline) {
      // Spin: the loop's turn must not end, or the queue would be handed over at its end anyway.
    }
    assert.ok(
      pids.some((pid) => procState(pid) === null),
      'a child was signalled and reaped within the turn',
    );
    assert.equal(exits.size, 0, 'nothing is reported during the turn');
    await eventually(() => exits.size === pids.length, 30_000, 'every exit');
    assert.deepEqual(
      pids.filter((pid) => exits.get(pid) !== 'SIGTERM'),
      [],
      'each ended by its SIGTERM',
    );
    assert.deepEqual(
      pids.filter((pid) => procState(pid) !== null),
      [],
      'no zombie',
    );
  },
);

test(
  'a child that exits on its own while a signal to it waits in the queue is reported once, with its status',
  { skip },
  async () => {
    // It exits after a moment: some rounds see it exit while its signal waits behind the others.
    for (const delay of ['0', '0.002', '0.005', '0.01', '0.02', '0.04']) {
      const sleepers: number[] = [];
      let sleepersDone = 0;
      for (let i = 0; i < 300; i++) sleepers.push(spawnSleep('30', () => sleepersDone++));
      const exits: { code: number | null; signal: string | null }[] = [];
      const quick = spawnNative('/bin/sh', ['sh', '-c', `sleep ${delay}; exit 3`], (code, signal) =>
        exits.push({ code, signal }),
      );
      // The quick child's signal goes behind 300 others: the thread may see its exit between two batches of them.
      const fail = (errno: string) => assert.fail(`a signal failed: ${errno}`);
      for (const pid of sleepers) nativeSignalSoon(pid, 15, false, fail);
      // ESRCH when it was reaped already.
      const queued = nativeSignalSoon(quick, 15, false, fail);
      assert.ok(queued === undefined || queued === 'ESRCH', queued);
      await eventually(() => exits.length > 0 && sleepersDone === sleepers.length, 30_000, 'every exit');
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(exits.length, 1, 'reported once');
      // Its own exit status, or the signal when it came first.
      assert.ok(
        (exits[0]?.code === 3 && exits[0].signal === null) || exits[0]?.signal === 'SIGTERM',
        JSON.stringify(exits),
      );
      assert.equal(procState(quick), null, 'no zombie');
    }
  },
);
