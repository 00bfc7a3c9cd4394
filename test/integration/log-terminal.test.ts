// A terminal named as a log file (stdout_logfile=/dev/pts/N): a detached daemon leads a session of its own with
// no controlling terminal, and opening a terminal for reading without O_NOCTTY (a tail of that log) makes it the
// daemon's controlling terminal, whose hangup then sends the daemon SIGHUP (a reload). Linux gives no
// controlling terminal to a write-only open, so writing the log alone never did.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { eventually } from '../support/cleanup.js';
import { svdBin } from '../support/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'svd-log-tty-'));
let terminal: ChildProcess | undefined;
let daemonPid = 0;

// Holds a pseudo-terminal's master end open (draining it) and prints the terminal's path.
const PTY_HOLDER = [
  'import os, sys, select',
  'm, s = os.openpty()',
  'print(os.ttyname(s), flush=True)',
  'os.close(s)',
  'while True:',
  '    r, _, _ = select.select([m, 0], [], [])',
  '    if 0 in r and not os.read(0, 1): break',
  '    if m in r:',
  '        try: os.read(m, 4096)',
  '        except OSError: pass',
].join('\n');

function statFields(pid: number): string[] {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

after(async () => {
  if (daemonPid && alive(daemonPid)) {
    process.kill(daemonPid, 'SIGTERM');
    await eventually(() => !alive(daemonPid), 20_000, 'the daemon gone').catch(() => {
      process.kill(daemonPid, 'SIGKILL');
    });
  }
  terminal?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const python = spawnSync('/usr/bin/python3', ['-c', 'import pty'], { stdio: 'ignore' }).status === 0;

test(
  "a terminal as a child's log does not become the detached daemon's controlling terminal",
  { skip: python ? false : 'no python3 to hold a pseudo-terminal', timeout: 60_000 },
  async () => {
    terminal = spawn('/usr/bin/python3', ['-c', PTY_HOLDER], { stdio: ['pipe', 'pipe', 'inherit'] });
    const tty = await new Promise<string>((resolve, reject) => {
      createInterface({ input: terminal?.stdout as NodeJS.ReadableStream }).once('line', resolve);
      terminal?.once('exit', () => reject(new Error('the terminal holder exited')));
    });
    assert.match(tty, /^\/dev\/pts\/\d+$/);
    const pidfile = join(dir, 'd.pid');
    const log = join(dir, 'd.log');
    writeFileSync(
      join(dir, 'supervisord.conf'),
      [
        '[supervisord]',
        `logfile=${log}`,
        `pidfile=${pidfile}`,
        `childlogdir=${dir}`,
        '[unix_http_server]',
        `file=${join(dir, 's.sock')}`,
        '[program:talker]',
        "command=/bin/sh -c 'echo hello; exec sleep 100000'",
        `stdout_logfile=${tty}`,
        'startsecs=0',
        '',
      ].join('\n'),
    );
    // Without -n: the daemon detaches (setsid), as supervisord does.
    const start = spawnSync(process.execPath, [svdBin, 'daemon', '-c', join(dir, 'supervisord.conf')], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(start.status, 0, start.stderr);
    await eventually(() => existsSync(pidfile), 10_000, 'the pidfile');
    daemonPid = Number(readFileSync(pidfile, 'utf8').trim());
    await eventually(
      () => existsSync(log) && /success: talker entered RUNNING/.test(readFileSync(log, 'utf8')),
      15_000,
      'talker RUNNING',
    );
    // The daemon opens the log to read it back: a terminal keeps nothing to read (FAILED), and is closed again.
    const tail = spawnSync(
      process.execPath,
      [svdBin, 'ctl', '-s', `unix://${join(dir, 's.sock')}`, 'tail', 'talker'],
      {
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    assert.equal(tail.status, 1, tail.stdout + tail.stderr);
    const [, , , sid, ttyNr] = statFields(daemonPid);
    assert.equal(Number(sid), daemonPid, 'the detached daemon leads its own session');
    assert.equal(Number(ttyNr), 0, `the daemon took ${tty} as its controlling terminal`);
  },
);
