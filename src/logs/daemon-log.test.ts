import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createDaemonLog, type DaemonLog } from './daemon-log.js';
import type { SyslogSink } from './syslog-sink.js';

let dir: string;
const logs: DaemonLog[] = [];
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'svd-daemonlog-'));
});
after(async () => {
  for (const log of logs) await log.close();
  rmSync(dir, { recursive: true, force: true });
});

const fixed = (): Date => new Date(2026, 10, 24, 22, 52, 11, 971);
const STAMP = '2026-11-24 22:52:11,971';

function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

function open(options: Partial<Parameters<typeof createDaemonLog>[0]> & { path: string | null }): DaemonLog {
  const log = createDaemonLog({ maxbytes: 0, backups: 0, level: 'info', now: fixed, ...options });
  logs.push(log);
  return log;
}

test('records below the level are dropped; the rest are formatted lines, echoed when asked', async () => {
  const path = join(dir, 'supervisord.log');
  const echo = collector();
  const log = open({ path, echo: echo.stream });
  log.info("spawned: 'ga' with pid 8318");
  log.debug('not at info');
  log.warn('careful');
  log.log('critical', 'Supervisor is running as root.');
  log.blather('no');
  // Written when the current turn of the event loop ends: nothing yet, then everything.
  assert.equal(readFileSync(path, 'utf8'), '');
  await new Promise((r) => setImmediate(r));
  const expected =
    `${STAMP} INFO spawned: 'ga' with pid 8318\n` +
    `${STAMP} WARN careful\n` +
    `${STAMP} CRIT Supervisor is running as root.\n`;
  assert.equal(readFileSync(path, 'utf8'), expected);
  assert.equal(echo.text(), expected);
  assert.equal(log.enabled('debug'), false);
  log.setLevel('blather');
  assert.equal(log.enabled('debug'), true);
  log.blather('now yes');
  log.flush();
  assert.ok(readFileSync(path, 'utf8').endsWith(`${STAMP} BLAT now yes\n`));
});

test('the main log rotates like child logs', () => {
  const path = join(dir, 'rotating.log');
  const log = open({ path, maxbytes: 100, backups: 2 });
  for (let i = 0; i < 10; i++) log.info(`message number ${i}`);
  log.flush();
  assert.ok(existsSync(`${path}.1`));
  assert.ok(existsSync(`${path}.2`));
  assert.ok(!existsSync(`${path}.3`));
  assert.ok(readFileSync(path, 'utf8').endsWith('message number 9\n'));
});

test('the records of one turn are one write to the file and one to the echo, rotating where one by one would', async () => {
  const path = join(dir, 'batched.log');
  const writes: string[] = [];
  const echo = new Writable({
    write(chunk: Buffer, _encoding, done) {
      writes.push(chunk.toString());
      done();
    },
  });
  const log = open({ path, echo, maxbytes: 1000, backups: 1 });
  // 40 bytes a record: the 25th brings the file to 1000 bytes, so it rotates there and 5 records follow.
  // Two jobs of one turn (a microtask boundary between them, as between two child exits): still one write.
  for (let i = 0; i < 15; i++) log.info(`record ${String(i).padStart(3, '0')}`);
  await Promise.resolve();
  for (let i = 15; i < 30; i++) log.info(`record ${String(i).padStart(3, '0')}`);
  assert.equal(writes.length, 0, 'nothing is written before the turn ends');
  await new Promise((r) => setImmediate(r));
  assert.equal(writes.length, 1);
  assert.equal(writes[0]!.split('\n').length - 1, 30);
  const rotated = readFileSync(`${path}.1`, 'utf8');
  assert.equal(rotated.split('\n').length - 1, 25);
  assert.ok(rotated.endsWith('record 024\n'));
  assert.equal(readFileSync(path, 'utf8').split('\n').length - 1, 5);
});

test('reading path writes the pending records first, so a reader of the file sees them all', () => {
  const path = join(dir, 'read-after-log.log');
  const log = open({ path });
  log.info('just logged');
  assert.equal(log.path, path);
  assert.match(readFileSync(path, 'utf8'), /INFO just logged\n$/);
});

test('reopen() follows an external rename; clear() empties the file', () => {
  const path = join(dir, 'reopen.log');
  const echo = collector();
  const log = open({ path, echo: echo.stream });
  log.info('one');
  renameSync(path, `${path}.old`);
  assert.equal(log.reopen(), null);
  log.info('two');
  log.flush();
  assert.equal(readFileSync(path, 'utf8'), `${STAMP} INFO two\n`);
  assert.deepEqual(log.clear(), { ok: true });
  assert.equal(readFileSync(path, 'utf8'), '');
  assert.ok(echo.text().endsWith(`${STAMP} INFO reopening log file\n`));
  unlinkSync(path);
  assert.deepEqual(log.clear(), { ok: false, fault: 'NO_FILE' });
});

test('logfile=syslog sends one message per line and has no file', async () => {
  const sent: string[] = [];
  const sink: SyslogSink = {
    send: (line) => void sent.push(line.toString()),
    available: true,
    droppedLines: 0,
    lastError: null,
    close: async () => {},
  };
  const log = open({ path: 'syslog', syslog: sink });
  log.info('first\nsecond');
  assert.deepEqual(sent, [`${STAMP} INFO first`, `${STAMP} INFO second`]);
  assert.equal(log.path, null);
  assert.deepEqual(log.clear(), { ok: false, fault: 'NO_FILE' });
  assert.equal(log.reopen(), null);
});

test('no log file: echo only', () => {
  const echo = collector();
  const log = open({ path: null, echo: echo.stream });
  log.error('boom');
  log.flush();
  assert.equal(echo.text(), `${STAMP} ERRO boom\n`);
  assert.equal(log.path, null);
});
