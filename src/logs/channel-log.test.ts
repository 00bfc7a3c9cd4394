import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChannelLog, type ChannelLog, type ChannelLogOptions } from './channel-log.js';
import { createDaemonLog, type DaemonLog } from './daemon-log.js';
import type { SyslogSink } from './syslog-sink.js';

let dir: string;
const open: Array<ChannelLog | DaemonLog> = [];
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'svd-channel-'));
});
after(async () => {
  for (const o of open) await o.close();
  rmSync(dir, { recursive: true, force: true });
});

function fakeSyslog(): { sink: SyslogSink; sent: string[] } {
  const sent: string[] = [];
  const sink: SyslogSink = {
    send: (line) => void sent.push(line.toString()),
    available: true,
    droppedLines: 0,
    lastError: null,
    close: async () => {},
  };
  return { sink, sent };
}

/** A main log at debug whose clock stands at the epoch, so its lines can be compared whole. */
function debugMainLog(path: string): DaemonLog {
  return createDaemonLog({ path, maxbytes: 0, backups: 0, level: 'debug', now: () => new Date(0) });
}

/** A channel log closed after the tests: stdout, no rotation, capture or strip_ansi unless `options` says. */
function channelLog(options: Partial<ChannelLogOptions> & Pick<ChannelLogOptions, 'logfile'>): ChannelLog {
  const channel = createChannelLog({
    processName: 'p',
    channel: 'stdout',
    maxbytes: 0,
    backups: 0,
    stripAnsi: false,
    captureMaxbytes: 0,
    ...options,
  });
  open.push(channel);
  return channel;
}

const BEGIN = '<!--XSUPERVISOR:BEGIN-->';
const END = '<!--XSUPERVISOR:END-->';

test("capture, strip_ansi, file, syslog, main log and events, in supervisor's order", () => {
  const path = join(dir, 'web.out');
  const mainPath = join(dir, 'main.log');
  const mainLog = debugMainLog(mainPath);
  const { sink, sent } = fakeSyslog();
  const captured: string[] = [];
  const logged: string[] = [];
  const channel = channelLog({
    processName: 'web',
    logfile: path,
    stripAnsi: true,
    captureMaxbytes: 1000,
    syslog: sink,
    mainLog,
    onCapture: (d) => captured.push(d.toString()),
    onLogged: (d) => logged.push(d.toString()),
  });
  open.push(mainLog);
  assert.equal(channel.open(), null);
  channel.write(Buffer.from(`\x1b[32mready\x1b[0m\n${BEGIN}\x1b[1mpay`));
  channel.write(Buffer.from(`load${END}after\n<!--XSUP`));
  channel.endOfOutput();

  assert.equal(readFileSync(path, 'utf8'), 'ready\nafter\n<!--XSUP');
  assert.deepEqual(captured, ['payload']);
  // The block's bytes reach the events (and the main log) as they come, stripped, but not the file or syslog.
  assert.deepEqual(logged, ['ready\n', 'pay', 'load', 'after\n', '<!--XSUP']);
  assert.deepEqual(sent, ['web ready', 'web after', 'web <!--XSUP']);
  mainLog.flush();
  const main = readFileSync(mainPath, 'utf8');
  assert.match(main, / DEBG 'web' stdout output:\nready\n\n/);
  assert.match(main, / DEBG 'web' stdout output:\npay\n.* DEBG 'web' stdout output:\nload\n/s);
  assert.match(main, / DEBG 'web' stdout emitted a comm event\n/);
  assert.match(main, / DEBG 'web' stdout output:\nafter\n\n/);
});

test("an event listener's stdout goes to the main log as read, raw, in a bytes repr; its file is stripped", () => {
  const path = join(dir, 'lis.out');
  const mainPath = join(dir, 'lis-main.log');
  const mainLog = debugMainLog(mainPath);
  const channel = channelLog({
    processName: 'lis',
    logfile: path,
    stripAnsi: true,
    mainLog,
    listenerStdout: () => true,
  });
  open.push(mainLog);
  assert.equal(channel.open(), null);
  channel.write(Buffer.from('READY\n'));
  channel.write(Buffer.from('\x1b[1mRESULT 2\nOK'));
  mainLog.flush();
  assert.equal(
    readFileSync(mainPath, 'utf8'),
    "1970-01-01 00:00:00,000 DEBG 'lis' stdout output:\nb'READY\\n'\n" +
      "1970-01-01 00:00:00,000 DEBG 'lis' stdout output:\nb'\\x1b[1mRESULT 2\\nOK'\n",
  );
  assert.equal(readFileSync(path, 'utf8'), 'READY\nRESULT 2\nOK');
});

test("an event listener's stdout has no capture mode, syslog or PROCESS_LOG: its file keeps every byte", () => {
  const path = join(dir, 'lis-capture.out');
  const { sink, sent } = fakeSyslog();
  const captured: string[] = [];
  const logged: string[] = [];
  const channel = channelLog({
    processName: 'lis',
    logfile: path,
    captureMaxbytes: 100,
    syslog: sink,
    listenerStdout: () => true,
    onCapture: (d) => captured.push(d.toString()),
    onLogged: (d) => logged.push(d.toString()),
  });
  assert.equal(channel.open(), null);
  channel.write(Buffer.from(`READY\n${BEGIN}x${END}`));
  channel.endOfOutput();
  assert.equal(readFileSync(path, 'utf8'), `READY\n${BEGIN}x${END}`);
  assert.deepEqual([captured, logged, sent], [[], [], []]);
});

test('NONE still captures; no file is opened', () => {
  const captured: string[] = [];
  const channel = channelLog({
    processName: 'p',
    channel: 'stderr',
    logfile: null,
    captureMaxbytes: 10,
    onCapture: (d) => captured.push(d.toString()),
  });
  channel.write(Buffer.from(`${BEGIN}x${END}`));
  assert.deepEqual(captured, ['x']);
  assert.equal(channel.path, null);
  assert.equal(channel.clear(), null);
});

test('without capture or strip_ansi, bytes reach the file untouched', () => {
  const path = join(dir, 'raw.out');
  const channel = plain(path);
  assert.equal(channel.open(), null);
  const bytes = Buffer.from([0x1b, 0x5b, 0x33, 0x31, 0x6d, 0xff, 0x00, 0x0a]);
  channel.write(bytes);
  channel.write(Buffer.from(BEGIN));
  assert.ok(readFileSync(path).equals(Buffer.concat([bytes, Buffer.from(BEGIN)])));
});

function plain(path: string): ChannelLog {
  return channelLog({ processName: 'lazy', logfile: path });
}

test('the file is created by open (at spawn), not before; reopen and clear of a closed log create nothing', () => {
  const path = join(dir, 'lazy.out');
  const channel = plain(path);
  assert.equal(channel.reopen(), null);
  assert.equal(channel.clear(), null);
  channel.write(Buffer.from('dropped: no run\n'));
  assert.equal(existsSync(path), false);
  assert.equal(channel.file, null);

  assert.equal(channel.open(), null);
  assert.equal(readFileSync(path, 'utf8'), '');
  channel.write(Buffer.from('run 1\n'));
  channel.close();
  assert.equal(channel.file, null);
  channel.write(Buffer.from('after the run\n'));
  assert.equal(channel.open(), null);
  channel.write(Buffer.from('run 2\n'));
  channel.close();
  assert.equal(readFileSync(path, 'utf8'), 'run 1\nrun 2\n');
});

test('clear of a closed log empties an existing file (supervisor leaves it: its issue #804)', () => {
  const path = join(dir, 'stopped.out');
  writeFileSync(path, 'old output\n');
  const channel = plain(path);
  assert.equal(channel.clear(), null);
  assert.equal(readFileSync(path, 'utf8'), '');
});

test('open returns the failure instead of throwing, and the log stays closed', () => {
  const path = join(dir, 'a-directory');
  mkdirSync(path);
  const channel = plain(path);
  const failure = channel.open();
  assert.equal(failure?.code, 'EISDIR');
  assert.equal(failure?.op, 'open');
  assert.equal(channel.file, null);
  assert.equal(channel.clear(), null, 'a directory is not a log file to empty');
  assert.ok(existsSync(path));
});
