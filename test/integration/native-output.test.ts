// The native output reader (native/svd_output.c) on real pipes and real writers: every byte in order, one end,
// the descriptor closed after it, a close that silences it, and a flood that leaves the loop its other work.
// The spawner's own tests (log capture, the 200 MB burst) read children's output through it as well.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, readlinkSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { FifoStock, type PipeEnds } from '../../src/adapters/fifo-pipes.js';
import { nativeSpawnAvailable, readChildOutput } from '../../src/adapters/native-spawn.js';
import { eventually, killAllSpawned, trackGroup } from '../support/cleanup.js';
import { repoRoot } from '../support/paths.js';

const skip = nativeSpawnAvailable() ? false : 'the native spawner is not built here (node native/build.mjs)';
const stock = new FifoStock();

test.after(() => {
  stock.dispose();
  killAllSpawned();
});

function pipe(): PipeEnds {
  const ends = stock.output();
  assert.ok(ends, 'a FIFO pair');
  return ends;
}

function isOpen(fd: number): boolean {
  try {
    readlinkSync(`/proc/self/fd/${fd}`);
    return true;
  } catch {
    return false;
  }
}

/** A child writing `script`'s output into the pipe's write end, which this process then closes. */
function writer(ends: PipeEnds, script: string): void {
  const child = spawn(process.execPath, ['-e', script], {
    stdio: ['ignore', ends.child, 'ignore'],
    detached: true,
  });
  trackGroup(child.pid as number);
  closeSync(ends.child);
}

test(
  'every byte arrives in order, then one end, and the descriptor is closed after it',
  { skip },
  async () => {
    const ends = pipe();
    // 8 MiB of a counter, written in odd sizes so reads do not line up with writes.
    writer(
      ends,
      `const b = Buffer.alloc(8 << 20); for (let i = 0; i < b.length; i++) b[i] = (i * 7) & 255;
     let o = 0; const fs = require('node:fs');
     while (o < b.length) { const n = Math.min(12345, b.length - o); o += fs.writeSync(1, b, o, n); }`,
    );
    const hash = createHash('sha256');
    let bytes = 0;
    let ends_ = 0;
    let afterEnd = 0;
    readChildOutput(ends.parent, (chunk) => {
      if (ends_ > 0) afterEnd++;
      if (chunk === null) return void ends_++;
      bytes += chunk.length;
      hash.update(chunk);
    });
    await eventually(() => ends_ === 1, 30_000, 'the end');
    const expected = Buffer.alloc(8 << 20);
    for (let i = 0; i < expected.length; i++) expected[i] = (i * 7) & 255;
    assert.equal(bytes, expected.length);
    assert.equal(hash.digest('hex'), createHash('sha256').update(expected).digest('hex'));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(ends_, 1);
    assert.equal(afterEnd, 0, 'nothing after the end');
    await eventually(() => !isOpen(ends.parent), 5_000, 'the read end closed');
  },
);

test(
  'a chunk kept after its call keeps its bytes while later reads reuse the blocks of chunks let go',
  { skip },
  async () => {
    const ends = pipe();
    // 32 MiB in full 64 KiB writes (reads that fill a block become chunks without a copy) and short ones.
    writer(
      ends,
      `const fs = require('node:fs'); let k = 0;
     for (let i = 0; i < 512; i++) {
       const b = Buffer.alloc(i % 8 === 7 ? 1000 : 65536, (k++ * 31) & 255);
       let o = 0; while (o < b.length) o += fs.writeSync(1, b, o);
     }`,
    );
    const kept: { chunk: Buffer; digest: string }[] = [];
    let ended = false;
    let calls = 0;
    readChildOutput(ends.parent, (chunk) => {
      if (chunk === null) return void (ended = true);
      // Every other chunk is kept, the rest let go: their blocks go back to the pool once collected.
      if (calls++ % 2 === 0) kept.push({ chunk, digest: createHash('sha1').update(chunk).digest('hex') });
      // Garbage beside the chunks, so that collections come while the pipe is read.
      void new Array(2000).fill(calls).map(String);
    });
    await eventually(() => ended, 30_000, 'the end');
    assert.ok(kept.length > 100, `many chunks kept (${kept.length})`);
    const changed = kept.filter((k) => createHash('sha1').update(k.chunk).digest('hex') !== k.digest);
    assert.equal(changed.length, 0, `${changed.length} kept chunks changed after their call`);
  },
);

test(
  'a writer in packet mode (O_DIRECT on its end: a read returns one write) loses nothing, live or at its end',
  { skip },
  async () => {
    for (const exits of [false, true]) {
      const ends = pipe();
      // Three 100-byte packets, then it idles (the rest must not wait for a next write) or exits.
      const script = [
        'import fcntl, os, time',
        'fcntl.fcntl(1, fcntl.F_SETFL, fcntl.fcntl(1, fcntl.F_GETFL) | os.O_DIRECT)',
        'for c in b"abc": os.write(1, bytes([c]) * 100)',
        exits ? '' : 'time.sleep(10)',
      ].join('\n');
      const child = spawn('/usr/bin/python3', ['-c', script], {
        stdio: ['ignore', ends.child, 'ignore'],
        detached: true,
      });
      trackGroup(child.pid as number);
      closeSync(ends.child);
      let text = '';
      let ended = false;
      const close = readChildOutput(ends.parent, (chunk) => {
        if (chunk === null) ended = true;
        else text += chunk.toString();
      });
      await eventually(
        () => text.length >= 300 && (ended || !exits),
        10_000,
        `all 300 bytes (${text.length})`,
      );
      assert.equal(text, 'a'.repeat(100) + 'b'.repeat(100) + 'c'.repeat(100));
      if (exits) assert.equal(ended, true);
      else {
        close();
        child.kill('SIGKILL');
      }
    }
  },
);

test(
  'a close before the end stops the calls and closes the descriptor; closing again is harmless',
  { skip },
  async () => {
    const ends = pipe();
    writer(ends, `setInterval(() => process.stdout.write('tick\\n'), 5); setTimeout(() => {}, 10_000);`);
    let calls = 0;
    const close = readChildOutput(ends.parent, () => calls++);
    await eventually(() => calls > 2, 10_000, 'some output');
    close();
    const atClose = calls;
    await eventually(() => !isOpen(ends.parent), 5_000, 'the read end closed');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(calls, atClose, 'no call after the close, not even the end');
    close();
  },
);

test('a close after the end, and a close from inside the callback, are harmless', { skip }, async () => {
  const a = pipe();
  writer(a, `process.stdout.write('x')`);
  let ended = false;
  const closeA = readChildOutput(a.parent, (chunk) => chunk === null && (ended = true));
  await eventually(() => ended, 10_000, 'the end');
  await new Promise((r) => setTimeout(r, 20));
  closeA();
  closeA();

  const b = pipe();
  writer(b, `setInterval(() => process.stdout.write('y'), 2); setTimeout(() => {}, 10_000);`);
  let calls = 0;
  const closeB: () => void = readChildOutput(b.parent, () => {
    calls++;
    closeB();
  });
  await eventually(() => calls > 0, 10_000, 'a chunk');
  await eventually(() => !isOpen(b.parent), 5_000, 'the read end closed');
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(calls, 1, 'the callback that closed it was the last');
});

test('a writer flooding its pipe leaves the event loop its other work', { skip }, async () => {
  const ends = pipe();
  writer(
    ends,
    `const b = Buffer.alloc(1 << 20, 97); const fs = require('node:fs');
     for (let i = 0; i < 64; i++) fs.writeSync(1, b);`,
  );
  let bytes = 0;
  let ended = false;
  let turns = 0;
  let turnsWhileReading = 0;
  const turn = () => {
    turns++;
    if (bytes > 0 && !ended) turnsWhileReading++;
    if (!ended) setImmediate(turn);
  };
  setImmediate(turn);
  readChildOutput(ends.parent, (chunk) => (chunk === null ? (ended = true) : (bytes += chunk.length)));
  await eventually(() => ended, 30_000, 'the end');
  assert.equal(bytes, 64 << 20);
  // At most 16 reads of 64 KiB per wake-up: 64 MiB take at least 64 turns of the loop.
  assert.ok(turnsWhileReading >= 32, `the loop turned ${turnsWhileReading} times during the flood`);
});

test('a descriptor that cannot be read is refused with a clear error', { skip }, () => {
  assert.throws(() => readChildOutput(987_654, () => {}), /readOutput: this descriptor cannot be watched/);
});

test(
  "a worker thread that ends while output flows into its reader closes the reader's descriptor",
  { skip },
  () => {
    const addon = join(repoRoot, 'native/svd_spawn.node');
    // The worker's teardown hook must close the reader (without it Node aborts as the worker's loop closes with
    // the poll open), also when the pipe is readable throughout and reads meet an environment that is ending.
    const script = `
    const { Worker } = require('node:worker_threads');
    const fs = require('node:fs');
    const inWorker = \`
      const addon = require(${JSON.stringify(addon)});
      const { parentPort, workerData } = require('node:worker_threads');
      let calls = 0;
      addon.readOutput(workerData.fd, () => ++calls === 3 && parentPort.postMessage('reading'));
    \`;
    const dir = fs.mkdtempSync(require('node:os').tmpdir() + '/svd-output-worker-');
    require('node:child_process').execFileSync('mkfifo', [dir + '/f']);
    const fd = fs.openSync(dir + '/f', fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const w = fs.openSync(dir + '/f', fs.constants.O_WRONLY);
    fs.rmSync(dir, { recursive: true });
    const yes = require('node:child_process').spawn('yes', [], { stdio: ['ignore', w, 'ignore'] });
    const worker = new Worker(inWorker, { eval: true, workerData: { fd } });
    worker.on('message', () => worker.terminate());
    worker.on('exit', () => {
      let open = true;
      try { fs.readlinkSync('/proc/self/fd/' + fd); } catch { open = false; }
      console.log(open ? 'reader still open' : 'reader closed');
      yes.kill();
      fs.closeSync(w);
    });
  `;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(r.signal, null, `no abort: ${r.stderr}`);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^reader closed$/m);
  },
);

test(
  "a throw in onOutput is the process's uncaught exception, as from a Socket's 'data' listener, and reading goes on",
  { skip },
  () => {
    const addon = join(repoRoot, 'native/svd_spawn.node');
    // With an uncaughtException handler the reader keeps going: the later chunks and the one end come, and the
    // descriptor is closed once. Without one the process ends with the error, as it did before the addon read.
    const script = (handled: boolean) => `
    const addon = require(${JSON.stringify(addon)});
    const fs = require('node:fs');
    const dir = fs.mkdtempSync(require('node:os').tmpdir() + '/svd-output-throw-');
    require('node:child_process').execFileSync('mkfifo', [dir + '/f']);
    const fd = fs.openSync(dir + '/f', fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const w = fs.openSync(dir + '/f', fs.constants.O_WRONLY);
    fs.rmSync(dir, { recursive: true });
    ${handled ? "process.on('uncaughtException', (e) => console.log('caught ' + e.message));" : ''}
    let text = '';
    addon.readOutput(fd, (chunk) => {
      if (chunk === null) {
        let open = true;
        setTimeout(() => {
          try { fs.readlinkSync('/proc/self/fd/' + fd); } catch { open = false; }
          console.log('end ' + text + (open ? ' open' : ' closed'));
        }, 50);
        throw new Error('at the end');
      }
      text += chunk;
      throw new Error('after ' + chunk);
    });
    let i = 0;
    const next = () => (i < 3 ? (fs.writeSync(w, String(i++)), setTimeout(next, 30)) : fs.closeSync(w));
    next();
  `;
    const handled = spawnSync(process.execPath, ['-e', script(true)], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(handled.status, 0, handled.stderr);
    assert.equal(
      handled.stdout,
      'caught after 0\ncaught after 1\ncaught after 2\ncaught at the end\nend 012 closed\n',
    );
    const unhandled = spawnSync(process.execPath, ['-e', script(false)], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    assert.equal(unhandled.status, 1);
    assert.match(unhandled.stderr, /Error: after 0/);
  },
);
