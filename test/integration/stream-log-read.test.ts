// A program logging to a pipe (a FIFO here; `/dev/stdout` in a container is one too): the pipe keeps nothing to
// read back. `tail` answers FAILED at once, as supervisord does, and neither `tail` nor `tail -f` waits on the
// FIFO once no process writes to it (a stopped program): a plain open(2) for reading blocks until a writer
// comes, which held a `tail` for good and a `tail -f` hung the whole daemon.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../support/cleanup.js';
import { alive, descendants, startControlDaemon, type ControlDaemon } from '../support/control-daemon.js';
import { supervisorMissing } from '../support/oracle.js';

const dirs: string[] = [];
const readers: number[] = [];
/** Every daemon a test started: one whose test timed out never reached its `finally`, and kept the file alive. */
const started: ControlDaemon[] = [];
after(async () => {
  const stops = await Promise.allSettled(started.map((d) => d.stop()));
  for (const fd of readers) closeSync(fd);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  for (const s of stops) if (s.status === 'rejected') throw s.reason;
});

async function startDaemonOn(kind: 'svd' | 'supervisord', fifo: string): Promise<ControlDaemon> {
  const daemon = await startControlDaemon(kind, { body: body(fifo) });
  started.push(daemon);
  return daemon;
}

/** A FIFO with a reader held open by this test, so a daemon can open it for writing. */
function fifoWithReader(): { path: string; reader: number } {
  const dir = mkdtempSync(join(tmpdir(), 'svd-fifo-log-'));
  dirs.push(dir);
  const path = join(dir, 'out.fifo');
  execFileSync('mkfifo', [path]);
  const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  readers.push(reader);
  return { path, reader };
}

function body(fifo: string): string {
  return `[program:piped]
command=/bin/sh -c 'echo hello; exec /bin/sleep 100000'
stdout_logfile=${fifo}
stdout_logfile_maxbytes=0
startsecs=0
`;
}

async function stopAll(daemon: ControlDaemon): Promise<void> {
  const children = descendants(daemon.pid);
  await daemon.stop();
  await eventually(() => alive(children).length === 0, 10_000, 'no process left');
}

async function hello(reader: number): Promise<void> {
  let text = '';
  await eventually(
    () => {
      const buffer = Buffer.alloc(100);
      try {
        text += buffer.subarray(0, readSync(reader, buffer)).toString();
      } catch {
        // EAGAIN: nothing yet
      }
      return text.includes('hello');
    },
    20_000,
    "the program's line in the FIFO",
  );
}

/** GET /logtail/piped on the daemon's socket: resolves with the status once the headers are in, then leaves. */
function logtailStatus(daemon: ControlDaemon): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: daemon.socket, path: '/logtail/piped', timeout: 10_000 }, (res) => {
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('timeout', () => req.destroy(new Error('/logtail sent no headers within 10 s')));
    req.on('error', reject);
    req.end();
  });
}

test(
  'tail of a running program that logs to a pipe: FAILED, as supervisord answers',
  { skip: supervisorMissing, timeout: 120_000 },
  async () => {
    for (const kind of ['supervisord', 'svd'] as const) {
      const { path, reader } = fifoWithReader();
      const daemon = await startDaemonOn(kind, path);
      try {
        await hello(reader);
        const out = await daemon.supervisorctl(['tail', 'piped']);
        assert.deepEqual(
          [out.stdout, out.code],
          ['piped: ERROR (unknown error reading log)\n', 1],
          `${kind}: ${out.stderr}`,
        );
      } finally {
        await stopAll(daemon);
      }
    }
  },
);

test(
  'tail and tail -f of a stopped program whose log is a FIFO answer at once; the daemon stays responsive',
  {
    timeout: 120_000,
  },
  async () => {
    const { path, reader } = fifoWithReader();
    const daemon = await startDaemonOn('svd', path);
    try {
      await hello(reader);
      assert.equal((await daemon.svdctl(['stop', 'piped'])).stdout, 'piped: stopped\n');
      // Now nothing holds the FIFO's write end: an open(2) for reading without O_NONBLOCK would wait for one.
      // Debian's supervisorctl too, when it is installed.
      for (const ctl of supervisorMissing ? (['svdctl'] as const) : (['svdctl', 'supervisorctl'] as const)) {
        const out = await daemon[ctl](['tail', 'piped']);
        assert.deepEqual([out.stdout, out.code], ['piped: ERROR (unknown error reading log)\n', 1], ctl);
      }
      // The follow has nothing to send; before the fix its open hung the daemon's event loop.
      assert.equal(await logtailStatus(daemon), 200);
      const status = await daemon.svdctl(['status']);
      assert.match(status.stdout, /^piped +STOPPED/);
    } finally {
      await stopAll(daemon);
    }
  },
);
