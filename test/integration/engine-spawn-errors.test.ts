import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { allProcesses, killAllSpawned } from '../support/cleanup.js';
import { fixture, realEngine } from '../support/real-engine.js';
import { programGroup } from '../support/specs.js';
import { isSvdError } from '../../src/engine/errors.js';

const mark = `SVD_TEST_EMFILE=${process.pid}`;

/** Processes carrying this test's mark: libuv may fork a child and still fail the spawn with EMFILE, leaving
 * a child Node never gives a pid for (found while writing this test), so they are found by environment. */
function marked(): number[] {
  return allProcesses()
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p.pid}/environ`, 'utf8').split('\0').includes(mark);
      } catch {
        return false;
      }
    })
    .map((p) => p.pid);
}

afterEach(() => {
  killAllSpawned();
  for (const pid of marked()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
});

test("out of file descriptors, spawnerr says so in supervisor's words, not 'unknown error during fork'", async () => {
  const r = realEngine();
  r.engine.addGroup(
    programGroup({
      name: 'p2',
      command: fixture('sleep-forever'),
      autostart: false,
      startretries: 0,
      environment: { SVD_TEST_EMFILE: String(process.pid) },
    }),
  );
  r.engine.run();
  // A fresh turn of the event loop: the start below is the turn's first, so it runs at once (see StartPacer).
  await new Promise((resolve) => setImmediate(resolve));
  // Every descriptor this process may open is taken, synchronously: the spawn inside startProcess (run at once
  // on an idle engine) fails with EMFILE, and the descriptors are closed before the event loop turns again.
  const fds: number[] = [];
  let started: Promise<unknown>;
  try {
    for (;;) fds.push(openSync('/dev/null', 'r'));
  } catch (e) {
    assert.equal((e as NodeJS.ErrnoException).code, 'EMFILE');
  } finally {
    started = r.engine.startProcess('p2').catch((e: unknown) => e);
    for (const fd of fds) closeSync(fd);
  }
  const error = await started;
  assert.ok(isSvdError(error) && error.faultString === 'SPAWN_ERROR: p2', String(error));
  assert.equal(r.engine.getProcessInfo('p2').spawnerr, "too many open files to spawn 'p2'");
  assert.ok(r.lines.includes("info spawnerr: too many open files to spawn 'p2'"), r.lines.join('\n'));
});
