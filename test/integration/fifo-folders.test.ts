// The FIFO stock folders of daemons in other pid namespaces (containers sharing the host's /dev/shm): one
// killed with its namespace must not leave its folder for good, and a live one must be kept.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeOrphanedFolders } from '../../src/adapters/fifo-pipes.js';
import { eventually, killAllSpawned } from '../support/cleanup.js';
import { startDaemon, tempConfig } from '../support/daemon-process.js';
import { svdBin } from '../support/paths.js';
import { fixture } from '../support/real-engine.js';

const stockModule = new URL('../../src/adapters/fifo-pipes.js', import.meta.url).href;
const canUnshare = process.getuid?.() === 0 && existsSync('/usr/bin/unshare');
const started: ChildProcess[] = [];
const parent = mkdtempSync(join(tmpdir(), 'svd-fifo-ns-'));

after(() => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(parent, { recursive: true, force: true });
});

/** A process in a pid namespace of its own that makes a stock folder in `parent` and holds it; resolves ready. */
function holder(): Promise<ChildProcess> {
  const script = `import { FifoStock } from ${JSON.stringify(stockModule)};
    const stock = new FifoStock(${JSON.stringify(parent)});
    if (!stock.output()) process.exit(3);
    console.log('ready');
    setInterval(() => {}, 1000);`;
  // --kill-child: a SIGKILL of unshare kills the namespace's first process, and so the namespace.
  const child = spawn(
    'unshare',
    ['--pid', '--fork', '--kill-child', process.execPath, '--input-type=module', '-e', script],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  started.push(child);
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`holder exited ${code}`)));
  });
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

test(
  'a folder of a daemon killed with its pid namespace is removed; a live one of another namespace is kept',
  { skip: canUnshare ? false : 'needs root and unshare(1)', timeout: 30_000 },
  async () => {
    const doomed = await holder();
    const [doomedFolder] = readdirSync(parent);
    assert.ok(doomedFolder, 'the first holder made its folder');
    const survivor = await holder();
    const survivorFolder = readdirSync(parent).find((n) => n !== doomedFolder);
    assert.ok(survivorFolder, 'the second holder made its folder');

    removeOrphanedFolders(parent, { liveGraceMs: 0 });
    assert.deepEqual(readdirSync(parent).sort(), [doomedFolder, survivorFolder].sort(), 'both are alive');

    const gone = new Promise((r) => doomed.once('exit', r));
    doomed.kill('SIGKILL');
    await gone;
    // The namespace's process dies just after unshare: the folder goes once the kernel has closed its fds.
    const removed = await until(() => {
      removeOrphanedFolders(parent, { liveGraceMs: 0 });
      return !readdirSync(parent).includes(doomedFolder);
    }, 10_000);
    assert.ok(removed, `the killed namespace's folder ${doomedFolder} is removed`);
    assert.deepEqual(readdirSync(parent), [survivorFolder], "the live namespace's folder is kept");
    survivor.kill('SIGKILL');
  },
);

test(
  'a daemon that spawns through the native addon (no FIFO folder of its own) still removes a dead daemon’s folder at start',
  { skip: existsSync('/dev/shm') ? false : 'no /dev/shm', timeout: 30_000 },
  async () => {
    // A pid that was a process of this namespace and is one no longer.
    const gone = spawn('true');
    await new Promise((r) => gone.once('exit', r));
    const ns = /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1];
    const orphan = join('/dev/shm', `svd-pipes-${gone.pid}-${ns ? `ns${ns}-` : ''}Zz90Yy`);
    mkdirSync(orphan);
    writeFileSync(join(orphan, 'unused'), '');
    const c = tempConfig(`[program:sleeper]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n`);
    try {
      const d = startDaemon(['daemon', '-n', '-c', c.conf], [], svdBin);
      await eventually(
        () =>
          existsSync(`${c.dir}/sd.log`) &&
          readFileSync(`${c.dir}/sd.log`, 'utf8').includes('entered RUNNING'),
        15_000,
        'RUNNING',
      );
      assert.equal(existsSync(orphan), false, `${orphan} is removed at the daemon's start`);
      d.child.kill('SIGTERM');
      assert.deepEqual(await d.exited, { code: 0, signal: null });
    } finally {
      killAllSpawned();
      rmSync(orphan, { recursive: true, force: true });
      c.cleanup();
    }
  },
);
