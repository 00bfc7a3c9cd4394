// What a user moving a Docker image from supervisord to svd relies on: the daemon's output on a pipe that
// `docker logs` reads, and its behaviour as the container's PID 1.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, killAllSpawned } from '../support/cleanup.js';
import { startDaemon, tempConfig } from '../support/daemon-process.js';
import { fixture } from '../support/real-engine.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  killAllSpawned();
  for (const c of cleanups.splice(0)) c();
});

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
