// The shared-table spawn of native/svd_spawn.c where its set-up is refused: slots it cannot reserve, and a
// close_range that a seccomp filter denies. Each case runs in a Node process of its own (a low descriptor
// limit, a filter), since the addon's slots and its choice of way last for the process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { arch } from 'node:os';
import { join } from 'node:path';
import { nativeSpawnAvailable } from '../../src/adapters/native-spawn.js';
import { repoRoot } from '../support/paths.js';

const skip = !nativeSpawnAvailable()
  ? 'the native spawner is not built here (node native/build.mjs)'
  : process.env['SVD_SPAWN_POSIX'] !== undefined
    ? 'SVD_SPAWN_POSIX=1 spawns through posix_spawn, without the shared table'
    : false;
const module = JSON.stringify(join(repoRoot, 'dist/src/adapters/native-spawn.js'));

/** Runs an ES module script with node; its stdout lines. */
function node(script: string, prefix: string[] = []): string[] {
  const argv = [...prefix, process.execPath, '--input-type=module', '-e', script];
  const r = spawnSync(argv[0] as string, argv.slice(1), { encoding: 'utf8', timeout: 15_000 });
  assert.equal(r.status, 0, `${r.stderr}\n${r.stdout}`);
  return r.stdout.trim().split('\n');
}

test(
  'a first spawn that cannot reserve its slots (EMFILE) fails alone: the next one, with room again, runs',
  { skip },
  () => {
    // Room for /dev/null twice and one slot of three: the reservation stops half way.
    const script = `
      import { nativeSpawn } from ${module};
      import { openSync, closeSync } from 'node:fs';
      const held = [];
      try { for (;;) held.push(openSync('/dev/null', 'r')); } catch {}
      for (let i = 0; i < 3; i++) closeSync(held.pop());
      const run = () => JSON.stringify(Object.keys(nativeSpawn(
        { file: '/bin/true', argv: ['true'], env: {}, cwd: '/', fds: [-1, -1, -1] }, () => {})));
      console.log(JSON.stringify(nativeSpawn(
        { file: '/bin/true', argv: ['true'], env: {}, cwd: '/', fds: [-1, -1, -1] }, () => {})));
      for (let i = 0; i < 20; i++) closeSync(held.pop());
      console.log(run());
      console.log(run());
    `;
    const lines = node(script, ['/bin/sh', '-c', 'ulimit -n 64 && exec "$@"', 'sh']);
    assert.deepEqual(lines, ['{"errno":"EMFILE"}', '["pid"]', '["pid"]']);
  },
);

// Installs a seccomp filter under which close_range(2) fails with the errno named, then execs the rest.
const FILTER = [
  'import ctypes, errno, os, struct, sys',
  'libc = ctypes.CDLL(None, use_errno=True)',
  'op = lambda code, k, jt=0, jf=0: struct.pack("HBBI", code, jt, jf, k)',
  'ALLOW = 0x7FFF0000',
  'prog = b"".join([op(0x20, 4), op(0x15, 0xC000003E, 1, 0), op(0x06, ALLOW), op(0x20, 0),',
  '  op(0x15, 436, 0, 1), op(0x06, 0x00050000 | getattr(errno, sys.argv[1])), op(0x06, ALLOW)])',
  'buf = ctypes.create_string_buffer(prog)',
  'class Prog(ctypes.Structure): _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]',
  'p = Prog(len(prog) // 8, ctypes.cast(buf, ctypes.c_void_p))',
  'assert libc.prctl(38, 1, 0, 0, 0) == 0 and libc.prctl(22, 2, ctypes.byref(p), 0, 0) == 0',
  'os.execv(sys.argv[2], sys.argv[2:])',
].join('\n');

for (const errno of ['EPERM', 'ENOSYS']) {
  test(
    `where a seccomp filter fails close_range with ${errno}, children start through posix_spawn instead`,
    {
      skip:
        skip ||
        (arch() !== 'x64' ? 'the filter is written for x86-64' : false) ||
        (existsSync('/usr/bin/python3') ? false : 'no python3 to install the filter'),
    },
    () => {
      // Older Docker and systemd profiles answer EPERM for a system call they do not know; a kernel before 5.9
      // answers ENOSYS. Either way every spawn must still run, with only its three streams.
      const script = `
        import { nativeSpawn } from ${module};
        const run = () => new Promise((resolve) => {
          const r = nativeSpawn({ file: '/bin/sh', argv: ['sh', '-c', 'ls /proc/$$/fd'],
            env: {}, cwd: '/', fds: [-1, 1, 2] }, (code) => resolve(code));
          if (!('pid' in r)) { console.log(JSON.stringify(r)); resolve(null); }
        });
        console.log('exit', await run());
        console.log('exit', await run());
      `;
      const lines = node(script, ['/usr/bin/python3', '-c', FILTER, errno]);
      assert.deepEqual(lines, ['0', '1', '2', 'exit 0', '0', '1', '2', 'exit 0']);
    },
  );
}

test(
  'worker threads and the main thread spawning at once each give every child its own streams',
  { skip },
  () => {
    // The addon is loaded once per process: its three slots are shared by every thread's spawns.
    const addon = JSON.stringify(join(repoRoot, 'native/svd_spawn.node'));
    const script = `
      const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');
      const fs = require('node:fs');
      const addon = require(${addon});
      const dir = isMainThread ? fs.mkdtempSync(require('node:os').tmpdir() + '/svd-threads-') : workerData.dir;
      const tag = isMainThread ? 'main' : 'worker' + workerData.n;
      function go(done) {
        let pending = 0, wrong = 0;
        for (let i = 0; i < 150; i++) {
          const path = dir + '/' + tag + '-' + i;
          const fd = fs.openSync(path, 'w');
          pending++;
          const pid = addon.spawn('/bin/sh', ['sh', '-c', 'echo ' + tag + '-' + i + ' >&2'], [], null,
            [-1, -1, fd], (code) => {
              if (code !== 0 || fs.readFileSync(path, 'utf8') !== tag + '-' + i + '\\n') wrong++;
              if (--pending === 0) done(wrong);
            });
          fs.closeSync(fd);
          if (pid < 0) throw new Error('spawn: ' + pid);
        }
      }
      if (isMainThread) {
        let left = 4, wrong = 0;
        const end = (n) => {
          wrong += n;
          if (--left > 0) return;
          console.log('wrong', wrong);
          fs.rmSync(dir, { recursive: true });
        };
        for (let n = 0; n < 3; n++) new Worker(process.argv[1], { eval: true, workerData: { dir, n } }).on('message', end);
        go(end);
      } else go((n) => parentPort.postMessage(n));
    `;
    const r = spawnSync(process.execPath, ['-e', script, script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'wrong 0');
  },
);
