// A second daemon started on a running daemon's configuration, where the pidfile does not stop it (another -j,
// a pidfile removed by hand): it is refused for the address in use before it clears childlogdir, so the running
// daemon's AUTO logs stay where its processes write them. supervisord deletes them and makes empty ones first.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { eventually, killAllSpawned } from '../support/cleanup.js';
import { startDaemon, tempConfig } from '../support/daemon-process.js';
import { fixture } from '../support/real-engine.js';
import { svdBin } from '../support/paths.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  killAllSpawned();
  for (const c of cleanups.splice(0)) c();
});

const autoLogs = (dir: string) =>
  readdirSync(dir)
    .filter((n) => n.includes('---supervisor-'))
    .sort();

for (const server of ['unix', 'inet'] as const) {
  test(`a second daemon refused for the ${server} server in use leaves the running one's AUTO logs alone`, async () => {
    const port = 23000 + Math.floor(Math.random() * 1000);
    const c = tempConfig(
      `[program:talker]\ncommand=/bin/sh -c 'echo first words; exec ${fixture('sleep-forever')}'\nstartsecs=0\n`,
      server === 'unix'
        ? '[unix_http_server]\nfile=%(here)s/s.sock\n'
        : `[inet_http_server]\nport=localhost:${port}\n`,
    );
    cleanups.push(c.cleanup);
    const first = startDaemon(['daemon', '-n', '-c', c.conf], [], svdBin);
    await eventually(() => first.stdout().includes('success: talker entered RUNNING'), 15_000, 'RUNNING');
    const logs = autoLogs(c.dir);
    assert.equal(logs.length, 2, logs.join(' '));
    const stdoutLog = `${c.dir}/${logs.find((n) => n.startsWith('talker-stdout'))}`;
    await eventually(
      () => readFileSync(stdoutLog, 'utf8') === 'first words\nready\n',
      15_000,
      'output logged',
    );

    const second = startDaemon(['daemon', '-n', '-c', c.conf, '-j', `${c.dir}/other.pid`], [], svdBin);
    assert.deepEqual(await second.exited, { code: 2, signal: null });
    assert.match(
      second.stderr(),
      /^Error: Another program is already listening on a port that one of our HTTP servers is configured to use\. {2}Shut this program down first before starting supervisord\.\nFor help, use .* -h\n$/,
    );
    assert.deepEqual(autoLogs(c.dir), logs, 'the same AUTO logs, none deleted, none added');
    assert.equal(readFileSync(stdoutLog, 'utf8'), 'first words\nready\n');

    first.child.kill('SIGTERM');
    assert.deepEqual(await first.exited, { code: 0, signal: null });
  });
}
