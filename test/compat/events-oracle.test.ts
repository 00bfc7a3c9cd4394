// The same listener config under Debian's supervisord 4.2.5 and under svd: the events a childutils listener
// receives must match header for header and payload for payload (pids aside).
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, killAllSpawned, trackGroup } from '../support/cleanup.js';
import { fixture } from '../support/real-engine.js';
import { supervisorMissing } from '../support/oracle.js';
import {
  recorderSection,
  readRecords,
  startEventDaemon,
  type RecordedEvent,
} from '../support/event-daemon.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  killAllSpawned();
  for (const c of cleanups.splice(0)) c();
});

const body = (dir: string) =>
  recorderSection(dir, 'lis', 'PROCESS_STATE,PROCESS_GROUP,SUPERVISOR_STATE_CHANGE') +
  `[program:p]\ncommand=${fixture('exit-after')} 3000 0\nstartsecs=0\nautorestart=false\n`;

/** Header and payload with pids replaced, after checking that len is the payload's length in characters. */
function normalized(events: readonly RecordedEvent[]): string[] {
  return events.map((e) => {
    assert.equal(Number(e.headers['len']), [...e.payload].length);
    const header = e.header.replace(/ len:\d+$/, '');
    return `${header} || ${e.payload.replace(/pid:\d+/g, 'pid:N')}`;
  });
}

interface Run {
  readonly events: RecordedEvent[];
  /** A file of the run's directory, '' when it is missing. */
  file(name: string): string;
}

const fileIn = (dir: string) => (name: string) =>
  existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '';

async function withSupervisord(body: (dir: string) => string, count: number, pool = 'lis'): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'svd-events-oracle-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const conf = join(dir, 'supervisord.conf');
  writeFileSync(
    conf,
    `[supervisord]\nlogfile=${dir}/sd.log\npidfile=${dir}/sd.pid\nchildlogdir=${dir}\nnodaemon=true\n${body(dir)}`,
  );
  const child = spawn('/usr/bin/supervisord', ['-n', '-c', conf], { stdio: 'ignore', detached: true });
  if (child.pid) trackGroup(child.pid);
  const exited = new Promise((r) => child.on('exit', r));
  const file = join(dir, `${pool}.jsonl`);
  try {
    await eventually(() => readRecords(file).length >= count, 20_000, `supervisord: ${count} events`);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  return { events: readRecords(file).slice(0, count), file: fileIn(dir) };
}

async function withSvd(body: (dir: string) => string, count: number, pool = 'lis'): Promise<Run> {
  const d = startEventDaemon(body, cleanups, { supervisord: '' });
  try {
    await eventually(() => d.records(pool).length >= count, 20_000, `svd: ${count} events`);
  } finally {
    await d.stop();
  }
  return { events: d.records(pool).slice(0, count), file: fileIn(d.dir) };
}

test(
  'a listener sees the same events from svd as from supervisord 4.2.5',
  { skip: supervisorMissing },
  async () => {
    const [theirs, ours] = await Promise.all([withSupervisord(body, 8), withSvd(body, 8)]);
    assert.deepEqual(normalized(ours.events), normalized(theirs.events));
    assert.equal(theirs.events.length, 8);
  },
);

// Output events of one program, each write longer than a capture token (shorter ones supervisord holds back: see
// README), and a listener's stdout with stdout_capture_maxbytes set.
const BEGIN = '<!--XSUPERVISOR:BEGIN-->';
const END = '<!--XSUPERVISOR:END-->';
const writes = [
  "printf '\\357\\273\\277a line that starts with a byte order mark\\n'",
  `printf '${BEGIN}0123456789ABCDEFGHIJKLMNO'`,
  "printf 'abcdefghijklmnopqrstuvwxy'",
  `printf 'PQRSTUVWXYZpqrstuvwxyz.,;${END}'`,
  "printf 'not UTF-8: \\377\\376 and the rest of the line\\n'",
];
const outputBody = (dir: string) =>
  recorderSection(dir, 'lis', 'PROCESS_LOG,PROCESS_COMMUNICATION', 'buffer_size=50') +
  `[program:talker]\ncommand=/bin/sh -c "sleep 0.5; ${writes.join('; sleep 0.3; ')}; exec sleep 100"\n` +
  `startsecs=0\nstdout_events_enabled=true\nstdout_capture_maxbytes=30\nstdout_logfile=${dir}/talker.out\n` +
  `[eventlistener:tokens]\ncommand=/bin/sh -c "printf 'READY\\n'; sleep 0.3; printf '${BEGIN}x${END}'; exec sleep 100"\n` +
  `events=TICK_3600\nstdout_capture_maxbytes=100\nstdout_logfile=${dir}/tokens.out\n`;

test(
  'PROCESS_LOG and PROCESS_COMMUNICATION of a capture block, a byte order mark and bytes that are not UTF-8, as supervisord 4.2.5 sends them',
  { skip: supervisorMissing },
  async () => {
    const [theirs, ours] = await Promise.all([withSupervisord(outputBody, 6), withSvd(outputBody, 6)]);
    assert.deepEqual(normalized(ours.events), normalized(theirs.events));
    assert.equal(ours.file('talker.out'), theirs.file('talker.out'));
    assert.equal(ours.file('tokens.out'), theirs.file('tokens.out'));
    assert.equal(theirs.file('tokens.out'), `READY\n${BEGIN}x${END}`);
  },
);
