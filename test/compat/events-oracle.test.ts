// The same listener config under Debian's supervisord 4.2.5 and under svd: the events a childutils listener
// receives must match header for header and payload for payload (pids aside).
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

async function withSupervisord(): Promise<RecordedEvent[]> {
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
  try {
    await eventually(() => readRecords(join(dir, 'lis.jsonl')).length >= 8, 20_000, 'supervisord: 8 events');
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  return readRecords(join(dir, 'lis.jsonl')).slice(0, 8);
}

async function withSvd(): Promise<RecordedEvent[]> {
  const d = startEventDaemon(body, cleanups, { supervisord: '' });
  try {
    await eventually(() => d.records('lis').length >= 8, 20_000, 'svd: 8 events');
  } finally {
    await d.stop();
  }
  return d.records('lis').slice(0, 8);
}

test(
  'a listener sees the same events from svd as from supervisord 4.2.5',
  { skip: supervisorMissing },
  async () => {
    const [theirs, ours] = await Promise.all([withSupervisord(), withSvd()]);
    assert.deepEqual(normalized(ours), normalized(theirs));
    assert.equal(theirs.length, 8);
  },
);
