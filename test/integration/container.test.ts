// What a user moving a Docker image from supervisord to svd relies on: the daemon's output on a pipe that
// `docker logs` reads, and its behaviour as the container's PID 1.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { allProcesses, eventually, killAllSpawned, trackGroup } from '../support/cleanup.js';
import { DAEMON_MAIN, startDaemon, tempConfig } from '../support/daemon-process.js';
import { fixture } from '../support/real-engine.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  killAllSpawned();
  for (const c of cleanups.splice(0)) c();
});

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

function config(body: string, supervisord = '') {
  const c = tempConfig(body, supervisord);
  cleanups.push(c.cleanup);
  return c;
}

test('logfile=/dev/stdout under -n: each record reaches stdout once, not once as the file and once as the echo', async () => {
  const c = config(
    `[program:web]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n`,
    'logfile_maxbytes=0\n',
  );
  // -l overrides the temp config's logfile=, as `logfile=/dev/stdout` in the file would.
  const d = startDaemon(['-n', '-c', c.conf, '-l', '/dev/stdout']);
  await eventually(() => d.stdout().includes('entered RUNNING state'), 15_000, 'RUNNING');
  d.child.kill('SIGTERM');
  assert.deepEqual(await d.exited, { code: 0, signal: null });
  const out = d.stdout();
  for (const line of [
    'supervisord started with pid',
    "spawned: 'web'",
    'entered RUNNING state',
    'stopped: web',
  ])
    assert.equal(out.split(line).length - 1, 1, `${line} once in:\n${out}`);
});

test('stopped while the reader of its stdout pipe is behind, the daemon writes what the pipe could not take before it exits', async () => {
  // seq's 109 KB fill the 64 KB pipe; the reader (docker's log driver, here a shell) starts reading 2 s later.
  const c = config(
    `[program:flood]\ncommand=/bin/sh -c 'seq 1 20000; exec ${fixture('sleep-forever')}'\nstartsecs=0\n` +
      'stdout_logfile=/dev/stdout\nstdout_logfile_maxbytes=0\n',
  );
  const child = spawn(
    '/bin/sh',
    ['-c', `"${process.execPath}" "${DAEMON_MAIN}" -n -c "${c.conf}" | { sleep 2; cat; }`],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    },
  );
  if (child.pid) trackGroup(child.pid);
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  const closed = new Promise((r) => child.on('close', r));
  let pid = 0;
  await eventually(
    () => {
      try {
        pid = Number(readFileSync(`${c.dir}/sd.pid`, 'utf8'));
      } catch {
        return false;
      }
      // seq is done once the program has exec'd its sleep: every line is written or queued by the daemon.
      return allProcesses().some((p) => p.ppid === pid && cmdline(p.pid).startsWith('sleep\0'));
    },
    10_000,
    'flood done',
  );
  process.kill(pid, 'SIGTERM');
  await closed;
  const numbers = out.split('\n').filter((l) => /^\d+$/.test(l));
  assert.equal(numbers.length, 20000, `every line of the program in:\n${out.slice(-2000)}`);
  assert.equal(numbers.at(-1), '20000');
  assert.match(out, /WARN received SIGTERM indicating exit request\n/);
  assert.match(out, /WARN stopped: flood \(terminated by SIGTERM\)\n/);
});
