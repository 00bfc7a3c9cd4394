import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  constants,
  existsSync,
  openSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Socket } from 'node:net';
import { openLogFile, type LogFile } from './log-file.js';
import { LogFileError } from './log-file-error.js';

let dir: string;
const opened: LogFile[] = [];
function open(path: string, maxbytes: number, backups: number, onError?: (e: LogFileError) => void): LogFile {
  const log = openLogFile({ path, maxbytes, backups, onError });
  opened.push(log);
  return log;
}
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'svd-logfile-'));
});
after(() => {
  for (const log of opened) log.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomChunk(rand: () => number, size: number): Buffer {
  const chunk = Buffer.alloc(size);
  for (let i = 0; i < size; i++) chunk[i] = Math.floor(rand() * 256);
  return chunk;
}

/** The current file and its backups, oldest first, concatenated. */
function concatenated(path: string, backups: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = backups; i >= 1; i--) if (existsSync(`${path}.${i}`)) parts.push(readFileSync(`${path}.${i}`));
  parts.push(readFileSync(path));
  return Buffer.concat(parts);
}

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A character device under our temp dir (root can mknod), so a rotation bug could never touch /dev. */
function charDevice(name: string, major: number, minor: number, fallback: string): string {
  const path = join(dir, name);
  try {
    execFileSync('mknod', [path, 'c', String(major), String(minor)], { stdio: 'ignore' });
    return path;
  } catch {
    return fallback;
  }
}

describe('openLogFile on a regular file', () => {
  test('appends to what is already there', () => {
    const path = join(dir, 'append.log');
    writeFileSync(path, 'old\n');
    const log = open(path, 0, 0);
    log.write('new\n');
    log.write(Buffer.from('more\n'));
    assert.equal(readFileSync(path, 'utf8'), 'old\nnew\nmore\n');
    assert.equal(log.size, 13);
    assert.equal(log.regular, true);
  });

  test('10,000 random chunks across rotations lose and reorder no byte', () => {
    const path = join(dir, 'rotate.log');
    const rand = prng(42);
    const maxbytes = 16 * 1024;
    const backups = 200;
    const log = open(path, maxbytes, backups);
    const written: Buffer[] = [];
    for (let i = 0; i < 10_000; i++) {
      const chunk = randomChunk(rand, 1 + Math.floor(rand() * 300));
      written.push(chunk);
      log.write(chunk);
    }
    const all = Buffer.concat(written);
    assert.ok(existsSync(`${path}.40`), 'expected dozens of rotations');
    assert.ok(!existsSync(`${path}.${backups}`), 'test needs more backups than rotations');
    assert.ok(concatenated(path, backups).equals(all));
    // A chunk that crosses the limit goes whole into the file being rotated.
    for (let i = 1; existsSync(`${path}.${i}`); i++) {
      const size = statSync(`${path}.${i}`).size;
      assert.ok(size >= maxbytes && size < maxbytes + 300, `backup .${i} has ${size} bytes`);
    }
    assert.equal(log.lastError, null);
  });

  test('keeps only `backups` copies, the oldest dropped', () => {
    const path = join(dir, 'two.log');
    const log = open(path, 10, 2);
    for (const line of ['aaaaaaaaaa', 'bbbbbbbbbb', 'cccccccccc', 'dd']) log.write(line);
    assert.equal(readFileSync(`${path}.2`, 'utf8'), 'bbbbbbbbbb');
    assert.equal(readFileSync(`${path}.1`, 'utf8'), 'cccccccccc');
    assert.equal(readFileSync(path, 'utf8'), 'dd');
    assert.ok(!existsSync(`${path}.3`));
  });

  test('backups=0 truncates in place', () => {
    const path = join(dir, 'zero.log');
    const log = open(path, 10, 0);
    log.write('0123456789abc');
    assert.equal(readFileSync(path, 'utf8'), '');
    log.write('xyz');
    assert.equal(readFileSync(path, 'utf8'), 'xyz');
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith('zero.log.')),
      [],
    );
  });

  test('maxbytes=0 never rotates', () => {
    const path = join(dir, 'never.log');
    const log = open(path, 0, 5);
    for (let i = 0; i < 100; i++) log.write('x'.repeat(100));
    assert.equal(statSync(path).size, 10_000);
    assert.ok(!existsSync(`${path}.1`));
  });

  test('a file already over maxbytes rotates after the first write', () => {
    const path = join(dir, 'big.log');
    writeFileSync(path, 'y'.repeat(50));
    const log = open(path, 20, 1);
    log.write('z');
    assert.equal(readFileSync(`${path}.1`, 'utf8'), `${'y'.repeat(50)}z`);
    assert.equal(readFileSync(path, 'utf8'), '');
  });

  test('an external copytruncate does not cause an early rotation', () => {
    const path = join(dir, 'copytruncate.log');
    const log = open(path, 100, 1);
    log.write('a'.repeat(90));
    truncateSync(path, 0);
    log.write('b'.repeat(20));
    assert.ok(!existsSync(`${path}.1`));
    assert.equal(readFileSync(path, 'utf8'), 'b'.repeat(20));
    assert.equal(log.size, 20);
  });

  test('reopen() follows an external rename (logrotate without copytruncate)', () => {
    const path = join(dir, 'logrotate.log');
    const log = open(path, 0, 0);
    log.write('before\n');
    renameSync(path, `${path}.old`);
    log.write('still old\n');
    log.reopen();
    log.write('after\n');
    assert.equal(readFileSync(`${path}.old`, 'utf8'), 'before\nstill old\n');
    assert.equal(readFileSync(path, 'utf8'), 'after\n');
  });

  test('clear() deletes the file and reopens it empty', () => {
    const path = join(dir, 'clear.log');
    const log = open(path, 1000, 1);
    log.write('secret\n');
    log.clear();
    assert.equal(readFileSync(path, 'utf8'), '');
    assert.equal(log.size, 0);
    log.write('fresh\n');
    assert.equal(readFileSync(path, 'utf8'), 'fresh\n');
  });

  test('a failed rotation keeps every byte and reports once', () => {
    const path = join(dir, 'blocked.log');
    mkdirSync(`${path}.1`);
    writeFileSync(join(`${path}.1`, 'occupant'), '');
    const errors: LogFileError[] = [];
    const log = open(path, 10, 1, (e) => errors.push(e));
    for (let i = 0; i < 5; i++) log.write('0123456789');
    assert.equal(readFileSync(path, 'utf8'), '0123456789'.repeat(5));
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.op, 'rotate');
    assert.ok(log.lastError instanceof LogFileError);
  });

  test('clear() reports a failure to reopen, and a later write recovers', () => {
    const sub = join(dir, 'vanishing');
    mkdirSync(sub);
    const path = join(sub, 'x.log');
    const errors: LogFileError[] = [];
    const log = open(path, 0, 0, (e) => errors.push(e));
    log.write('a');
    rmSync(sub, { recursive: true });
    const failure = log.clear();
    assert.equal(failure?.code, 'ENOENT');
    assert.equal(failure?.op, 'clear');
    log.write('lost');
    mkdirSync(sub);
    log.write('b');
    assert.equal(readFileSync(path, 'utf8'), 'b');
    assert.equal(log.lastError, null);
    assert.equal(log.droppedBytes, 4);
    assert.deepEqual(
      errors.map((e) => e.op),
      ['clear', 'reopen'],
    );
  });

  test('a missing directory fails at open with a typed error', () => {
    assert.throws(
      () => openLogFile({ path: join(dir, 'no', 'such', 'x.log'), maxbytes: 0, backups: 0 }),
      (e: unknown) => e instanceof LogFileError && e.code === 'ENOENT' && e.op === 'open',
    );
  });

  test('write after close is ignored', () => {
    const path = join(dir, 'closed.log');
    const log = openLogFile({ path, maxbytes: 0, backups: 0 });
    log.write('a');
    log.close();
    log.write('b');
    log.close();
    assert.equal(readFileSync(path, 'utf8'), 'a');
  });
});

describe('openLogFile on non-seekable targets', () => {
  test('a character device is never rotated whatever maxbytes says', () => {
    const path = charDevice('null-device', 1, 3, '/dev/null');
    const log = open(path, 1, 3);
    for (let i = 0; i < 50; i++) log.write('data that would rotate a regular file\n');
    assert.equal(log.regular, false);
    assert.equal(log.lastError, null);
    assert.ok(!existsSync(`${path}.1`));
    log.clear();
    assert.ok(existsSync(path), 'clear() must not unlink a device');
  });

  test('a write error (ENOSPC on a full device) is recorded, reported once, never thrown', () => {
    const path = charDevice('full-device', 1, 7, '/dev/full');
    const errors: LogFileError[] = [];
    const log = open(path, 1, 1, (e) => errors.push(e));
    log.write('one\n');
    log.write('two\n');
    assert.equal(log.lastError?.code, 'ENOSPC');
    assert.equal(errors.length, 1);
    assert.equal(log.droppedBytes, 8);
  });

  test('a FIFO without a reader fails at open instead of hanging', () => {
    const path = join(dir, 'lonely.fifo');
    execFileSync('mkfifo', [path]);
    assert.throws(
      () => openLogFile({ path, maxbytes: 10, backups: 1 }),
      (e: unknown) => e instanceof LogFileError && e.code === 'ENXIO',
    );
  });

  test('a FIFO whose reader went away reports EPIPE and does not throw', () => {
    const path = join(dir, 'abandoned.fifo');
    execFileSync('mkfifo', [path]);
    const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const log = open(path, 10, 1);
    closeSync(readFd);
    log.write('nobody listens\n');
    assert.equal(log.lastError?.code, 'EPIPE');
    assert.equal(log.droppedBytes, 15);
  });

  test('two logs on one FIFO (docker logs): a line of one is never cut by the other, even past a full pipe', async () => {
    const path = join(dir, 'shared.fifo');
    execFileSync('mkfifo', [path]);
    let text = '';
    const reader = new Socket({
      fd: openSync(path, constants.O_RDONLY | constants.O_NONBLOCK),
      readable: true,
      writable: false,
    });
    reader.on('data', (chunk: Buffer) => (text += chunk.toString()));
    try {
      const a = open(path, 0, 0);
      const b = open(path, 0, 0);
      a.write('a: GET /ind');
      b.write('b: job 1 done\nb: job 2 st');
      b.write('arted\n');
      a.write('ex 200\n');
      // Chunks that end anywhere; the reader lives in this process, so these synchronous writes fill the pipe.
      const lines = (tag: string) =>
        Array.from({ length: 4000 }, (_, i) => `${tag}: line ${i} ${'.'.repeat(i % 50)}\n`);
      const as = lines('a').join('');
      const bs = lines('b').join('');
      for (let i = 0; i < as.length; i += 1000) {
        a.write(as.slice(i, i + 1000));
        b.write(bs.slice(i, i + 1000));
      }
      const lastOf = (tag: string) => `${tag}: line 3999 ${'.'.repeat(3999 % 50)}\n`;
      await until(
        'every line through the pipe',
        () => text.includes(lastOf('a')) && text.includes(lastOf('b')),
      );
      a.write('a: no newline yet');
      await until('the unfinished line, after a while', () => text.endsWith('\na: no newline yet'));
      const got = text.split('\n');
      got.pop();
      const expected = new Set([
        'a: GET /index 200',
        'b: job 1 done',
        'b: job 2 started',
        ...as.split('\n'),
        ...bs.split('\n'),
      ]);
      expected.delete('');
      assert.deepEqual(
        got.filter((l) => !expected.has(l)),
        [],
        'no line cut into another',
      );
      assert.deepEqual(
        got.filter((l) => l.startsWith('a: line')),
        as.split('\n').slice(0, -1),
        'each in order',
      );
      assert.deepEqual(
        got.filter((l) => l.startsWith('b: line')),
        bs.split('\n').slice(0, -1),
      );
      a.close();
      b.close();
    } finally {
      reader.destroy();
    }
  });

  test('a FIFO receives every byte, in order, past a full pipe, and is never rotated', async () => {
    const path = join(dir, 'pipe.fifo');
    execFileSync('mkfifo', [path]);
    const received: Buffer[] = [];
    let receivedBytes = 0;
    // The reader lives in this process, so the synchronous writes below outpace it and fill the pipe.
    const reader = new Socket({
      fd: openSync(path, constants.O_RDONLY | constants.O_NONBLOCK),
      readable: true,
      writable: false,
    });
    reader.on('data', (chunk) => {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      received.push(buf);
      receivedBytes += buf.length;
    });
    try {
      const log = open(path, 10, 3);
      const rand = prng(7);
      const written: Buffer[] = [];
      for (let i = 0; i < 100; i++) {
        const chunk = randomChunk(rand, 4096);
        written.push(chunk);
        log.write(chunk);
      }
      const all = Buffer.concat(written);
      await until('every byte through the pipe', () => receivedBytes >= all.length);
      assert.ok(Buffer.concat(received).equals(all));
      assert.equal(log.regular, false);
      assert.equal(log.lastError, null);
      assert.equal(log.droppedBytes, 0);
      assert.ok(!existsSync(`${path}.1`));
      log.close();
    } finally {
      reader.destroy();
    }
  });
});

test('closeFd gets the descriptor once, at the final close, and rotation closes its own at once', () => {
  const handed: number[] = [];
  const path = join(dir, 'handed.log');
  const log = openLogFile({ path, maxbytes: 10, backups: 1, closeFd: (fd) => handed.push(fd) });
  log.write('0123456789abc\n'); // past maxbytes: the next write rotates, closing the old descriptor itself
  log.write('more\n');
  assert.equal(handed.length, 0);
  log.close();
  assert.equal(handed.length, 1);
  const fd = handed[0] ?? -1;
  // Not closed by the log: its number is the closer's until it closes it.
  assert.match(readlinkSync(`/proc/self/fd/${fd}`), /handed\.log$/);
  closeSync(fd);
  log.close();
  assert.equal(handed.length, 1, 'a second close hands nothing');
});
