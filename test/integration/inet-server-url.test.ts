// SUPERVISOR_SERVER_URL and svd's own clients (`svd ctl -f`) for an [inet_http_server] without a unix socket: the
// URL is built from the parsed port= value, so a host in capitals is lower-cased as supervisor's inet_address
// leaves it, and an IPv6 address (which svd serves and supervisord cannot) is put in brackets.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { eventually, killAllSpawned } from '../support/cleanup.js';
import { startDaemon, tempConfig } from '../support/daemon-process.js';
import { fixture } from '../support/real-engine.js';
import { svdBin } from '../support/paths.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  killAllSpawned();
  for (const c of cleanups.splice(0)) c();
});

/** Whether this machine can listen on ::1 (a container may run without IPv6). */
function ipv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ host: '::1', port: 0 }, () => s.close(() => resolve(true)));
  });
}

async function urlAndStatus(host: string): Promise<{ url: string; status: string }> {
  const port = 23000 + Math.floor(Math.random() * 1000);
  const c = tempConfig(
    `[program:e]\ncommand=/bin/sh -c 'echo "$SUPERVISOR_SERVER_URL" > %(here)s/url; exec ${fixture('sleep-forever')}'\n` +
      'startsecs=0\n',
    `[inet_http_server]\nport=${host}:${port}\n`,
  );
  cleanups.push(c.cleanup);
  const d = startDaemon(['daemon', '-n', '-c', c.conf], [], svdBin);
  await eventually(
    () => existsSync(`${c.dir}/url`) && readFileSync(`${c.dir}/url`, 'utf8') !== '',
    15_000,
    'url',
  );
  const ctl = spawnSync(process.execPath, [svdBin, 'ctl', '-f', c.conf, 'status'], {
    encoding: 'utf8',
    timeout: 15_000,
  });
  d.child.kill('SIGTERM');
  await d.exited;
  return {
    url: readFileSync(`${c.dir}/url`, 'utf8').trim().replace(String(port), 'PORT'),
    status: ctl.stdout + ctl.stderr,
  };
}

test('port=LOCALHOST:N gives children http://localhost:N, as supervisord does', async () => {
  const { url, status } = await urlAndStatus('LOCALHOST');
  assert.equal(url, 'http://localhost:PORT');
  assert.match(status, /^e +RUNNING/m);
});

test('port=::1:N gives children http://[::1]:N, and svd ctl -f reaches it', async (t) => {
  if (!(await ipv6Loopback())) return t.skip('no IPv6 loopback here');
  const { url, status } = await urlAndStatus('::1');
  // It was http://::1:N, which no client reads (Python's urllib: "Port could not be cast to integer value").
  assert.equal(url, 'http://[::1]:PORT');
  assert.match(status, /^e +RUNNING/m);
});
