import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChannelLog, type ChannelLog } from './channel-log.js';
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

const BEGIN = '<!--XSUPERVISOR:BEGIN-->';
const END = '<!--XSUPERVISOR:END-->';

test("capture, strip_ansi, file, syslog, main log and events, in supervisor's order", () => {
  const path = join(dir, 'web.out');
  const mainPath = join(dir, 'main.log');
  const mainLog = createDaemonLog({
    path: mainPath,
    maxbytes: 0,
    backups: 0,
    level: 'debug',
    now: () => new Date(0),
  });
  const { sink, sent } = fakeSyslog();
  const captured: string[] = [];
  const logged: string[] = [];
  const channel = createChannelLog({
    processName: 'web',
    channel: 'stdout',
    logfile: path,
    maxbytes: 0,
    backups: 0,
    stripAnsi: true,
    captureMaxbytes: 1000,
    syslog: sink,
    mainLog,
    onCapture: (d) => captured.push(d.toString()),
    onLogged: (d) => logged.push(d.toString()),
  });
  open.push(channel, mainLog);
  channel.write(Buffer.from(`\x1b[32mready\x1b[0m\n${BEGIN}\x1b[1mpay`));
  channel.write(Buffer.from(`load${END}after\n<!--XSUP`));
  channel.endOfOutput();

  assert.equal(readFileSync(path, 'utf8'), 'ready\nafter\n<!--XSUP');
  assert.deepEqual(captured, ['payload']);
  assert.deepEqual(logged, ['ready\n', 'after\n', '<!--XSUP']);
  assert.deepEqual(sent, ['web ready', 'web after', 'web <!--XSUP']);
  const main = readFileSync(mainPath, 'utf8');
  assert.match(main, / DEBG 'web' stdout output:\nready\n\n/);
  assert.match(main, / DEBG 'web' stdout output:\nafter\n\n/);
});

test('NONE still captures; no file is opened', () => {
  const captured: string[] = [];
  const channel = createChannelLog({
    processName: 'p',
    channel: 'stderr',
    logfile: null,
    maxbytes: 0,
    backups: 0,
    stripAnsi: false,
    captureMaxbytes: 10,
    onCapture: (d) => captured.push(d.toString()),
  });
  open.push(channel);
  channel.write(Buffer.from(`${BEGIN}x${END}`));
  assert.deepEqual(captured, ['x']);
  assert.equal(channel.path, null);
  assert.equal(channel.clear(), null);
});

test('without capture or strip_ansi, bytes reach the file untouched', () => {
  const path = join(dir, 'raw.out');
  const channel = createChannelLog({
    processName: 'raw',
    channel: 'stdout',
    logfile: path,
    maxbytes: 0,
    backups: 0,
    stripAnsi: false,
    captureMaxbytes: 0,
  });
  open.push(channel);
  const bytes = Buffer.from([0x1b, 0x5b, 0x33, 0x31, 0x6d, 0xff, 0x00, 0x0a]);
  channel.write(bytes);
  channel.write(Buffer.from(BEGIN));
  assert.ok(readFileSync(path).equals(Buffer.concat([bytes, Buffer.from(BEGIN)])));
});
