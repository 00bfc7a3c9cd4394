import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  readlinkSync,
  fstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { FifoStock, type PipeEnds } from './fifo-pipes.js';

function closeBoth(p: PipeEnds): void {
  closeSync(p.parent);
  closeSync(p.child);
}

test('FifoStock: an output pipe carries the child end to the daemon end; nothing is left named', () => {
  const stock = new FifoStock();
  try {
    const p = stock.output();
    assert.ok(p, 'a FIFO can be made here');
    assert.ok(fstatSync(p.child).isFIFO());
    assert.equal(fstatSync(p.child).nlink, 0, 'unlinked before use');
    writeSync(p.child, 'from the child');
    const buffer = Buffer.alloc(64);
    const n = readSync(p.parent, buffer);
    assert.equal(buffer.subarray(0, n).toString(), 'from the child');
    closeBoth(p);
  } finally {
    stock.dispose();
  }
});

test('FifoStock: an input pipe reaches the child, and a write fails with EPIPE once the child closed its end', () => {
  const stock = new FifoStock();
  try {
    const p = stock.input();
    assert.ok(p);
    writeSync(p.parent, 'to the child');
    const buffer = Buffer.alloc(64);
    const n = readSync(p.child, buffer);
    assert.equal(buffer.subarray(0, n).toString(), 'to the child');
    closeSync(p.child);
    // The read-write open used to set it up is gone: the daemon's end is the only one left.
    assert.throws(
      () => writeSync(p.parent, 'x'),
      (e: NodeJS.ErrnoException) => e.code === 'EPIPE',
    );
    closeSync(p.parent);
  } finally {
    stock.dispose();
  }
});

test('FifoStock: a stock folder removed behind its back (a /tmp cleaner) is made again', () => {
  const parent = mkdtempSync(join(tmpdir(), 'svd-fifo-test-'));
  const stock = new FifoStock(parent);
  try {
    const first = stock.output();
    assert.ok(first);
    closeBoth(first);
    const [folder, ...others] = readdirSync(parent);
    assert.ok(folder !== undefined && others.length === 0, 'one stock folder');
    rmSync(join(parent, folder), { recursive: true, force: true });
    const second = stock.output();
    assert.ok(second, 'a new folder, not an ENOENT');
    closeBoth(second);
    assert.equal(readdirSync(parent).length, 1);
  } finally {
    stock.dispose();
    rmSync(parent, { recursive: true, force: true });
  }
});

test('FifoStock: a folder made again and again keeps one exit handler, and what was left of the old one goes', () => {
  const parent = mkdtempSync(join(tmpdir(), 'svd-fifo-test-'));
  const before = process.listenerCount('exit');
  const stock = new FifoStock(parent);
  try {
    for (let round = 0; round < 12; round++) {
      const p = stock.output();
      assert.ok(p);
      closeBoth(p);
      // A cleaner that removes the FIFOs it finds and leaves the folder: the next open fails with ENOENT.
      const [folder] = readdirSync(parent);
      assert.ok(folder !== undefined);
      for (const name of readdirSync(join(parent, folder))) rmSync(join(parent, folder, name));
    }
    assert.equal(process.listenerCount('exit'), before + 1, 'one handler, however many folders');
    const p = stock.output();
    assert.ok(p);
    closeBoth(p);
    assert.equal(readdirSync(parent).length, 1, 'the emptied folders are removed when replaced');
  } finally {
    stock.dispose();
    rmSync(parent, { recursive: true, force: true });
  }
  assert.equal(process.listenerCount('exit'), before, 'dispose removes the handler');
});

test('FifoStock: the FIFOs of a batch that mkfifo made only in part are used', async () => {
  const parent = mkdtempSync(join(tmpdir(), 'svd-fifo-test-'));
  const stocked: number[] = [];
  const stock = new FifoStock(parent, { onStocked: (made) => stocked.push(made) });
  try {
    const taken: PipeEnds[] = [];
    const take = (): PipeEnds | null => {
      const p = stock.output();
      if (p) taken.push(p);
      return p;
    };
    assert.ok(take(), 'the first batch (FIFOs 0 to 15)');
    const [folder] = readdirSync(parent);
    assert.ok(folder !== undefined);
    // Names the next batches will use, taken already: mkfifo fails on each (EEXIST) as on a full tmpfs, and
    // goes on. Only FIFO 47, the last of the second batch (16 to 47), can be made.
    for (let n = 16; n < 400; n++) if (n !== 47) writeFileSync(join(parent, folder, String(n)), '');
    // The rest of the first batch; the second is made in the background meanwhile.
    for (let i = 1; i < 16; i++) assert.ok(take(), `FIFO ${i} of the first batch`);
    // The second batch's mkfifo runs in the background: its FIFOs are in the stock once its exit was seen, which
    // on a busy machine may be long after it made FIFO 47.
    for (const deadline = Date.now() + 30_000; stocked.length < 2;) {
      if (Date.now() > deadline) throw new Error('the second batch never reached the stock');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.deepEqual(stocked, [16, 1], 'the whole first batch, then the one FIFO the second could make');
    const last = take();
    assert.ok(last, 'the FIFO the failed batch did make');
    assert.ok(fstatSync(last.child).isFIFO());
    for (const p of taken) closeBoth(p);
  } finally {
    stock.dispose();
    rmSync(parent, { recursive: true, force: true });
  }
});

test('FifoStock: a folder that could not be made is tried again after the retry delay, not never', () => {
  const base = mkdtempSync(join(tmpdir(), 'svd-fifo-test-'));
  // Not there yet: every make fails until it is created.
  const parent = join(base, 'later');
  const patient = new FifoStock(parent, { folderRetryMs: 60_000 });
  const eager = new FifoStock(parent, { folderRetryMs: 0 });
  try {
    assert.equal(patient.output(), null, 'no folder: socketpairs');
    assert.equal(eager.output(), null, 'no folder: socketpairs');
    mkdirSync(parent);
    assert.equal(patient.output(), null, 'within the delay the make is not tried again');
    const p = eager.output();
    assert.ok(p, 'after the delay the folder is made and FIFOs are used again');
    assert.ok(fstatSync(p.child).isFIFO());
    closeBoth(p);
  } finally {
    patient.dispose();
    eager.dispose();
    rmSync(base, { recursive: true, force: true });
  }
});

test("FifoStock: a folder left by a daemon that was killed is removed; a live daemon's and other names are kept", () => {
  const parent = mkdtempSync(join(tmpdir(), 'svd-fifo-test-'));
  // A pid that was alive a moment ago and is no longer.
  const gone = spawnSync('/bin/true').pid;
  assert.ok(gone);
  const stock = new FifoStock(parent);
  try {
    for (const name of [`svd-pipes-${gone}-dead`, `svd-pipes-${process.pid}-self`, 'svd-pipes-other']) {
      mkdirSync(join(parent, name));
      writeFileSync(join(parent, name, '0'), '');
    }
    const p = stock.output();
    assert.ok(p);
    closeBoth(p);
    const left = readdirSync(parent).sort();
    assert.equal(left.length, 3, left.join(' '));
    assert.ok(!left.includes(`svd-pipes-${gone}-dead`), "the dead daemon's folder is removed");
    assert.ok(left.includes(`svd-pipes-${process.pid}-self`) && left.includes('svd-pipes-other'));
    assert.ok(
      left.some((n) => n.startsWith(`svd-pipes-${process.pid}-`) && n !== `svd-pipes-${process.pid}-self`),
    );
  } finally {
    stock.dispose();
    rmSync(parent, { recursive: true, force: true });
  }
});

test("FifoStock: a dead pid's folder is removed only when it names this pid namespace (or none)", () => {
  const parent = mkdtempSync(join(tmpdir(), 'svd-fifo-test-'));
  const ns = /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1];
  assert.ok(ns, 'this process has a pid namespace');
  const gone = spawnSync('/bin/true').pid;
  assert.ok(gone);
  // Not ours, though its pid is no process here: a daemon in a container sharing this /dev/shm.
  const neighbour = `svd-pipes-${gone}-ns${Number(ns) + 1}-Ab12Cd`;
  const deadHere = `svd-pipes-${gone}-ns${ns}-Ef34Gh`;
  const stock = new FifoStock(parent);
  try {
    for (const name of [neighbour, deadHere]) mkdirSync(join(parent, name));
    const p = stock.output();
    assert.ok(p);
    closeBoth(p);
    const left = readdirSync(parent);
    assert.ok(left.includes(neighbour), "another namespace's folder is left");
    assert.ok(!left.includes(deadHere), 'a folder of a dead daemon of this namespace is removed');
    const own = left.find((n) => n !== neighbour);
    assert.ok(
      own?.startsWith(`svd-pipes-${process.pid}-ns${ns}-`),
      `the stock's own folder names both: ${own}`,
    );
  } finally {
    stock.dispose();
    rmSync(parent, { recursive: true, force: true });
  }
});
