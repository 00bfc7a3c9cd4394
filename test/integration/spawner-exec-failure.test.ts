// An exec that fails where supervisor's forked child would have run the exec (the environment too large, the
// file being written): the child reports it in supervisor's words on its stderr and exits 127, whichever way
// NodeSpawner starts children. node:child_process throws these errnos instead of returning a child.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeSpawner } from '../../src/adapters/node-spawner.js';
import { killAllSpawned, tracked } from '../support/cleanup.js';
import { processSpec } from '../support/specs.js';

test.after(() => killAllSpawned());

const asRoot = process.getuid?.() === 0;

for (const [way, native, user] of [
  ['natively', true, null],
  ['through node:child_process', false, null],
  ['natively, user=nobody through setpriv', true, 'nobody'],
] as const) {
  test(
    `an environment too large for the exec: "couldn't exec ...: E2BIG", exit 127 (${way})`,
    {
      skip: user !== null && !asRoot ? 'needs root (user=nobody)' : false,
    },
    async () => {
      const spawner = tracked(new NodeSpawner({ native }));
      const stderr: Buffer[] = [];
      let exited!: (v: { code: number | null; signal: string | null }) => void;
      const exit = new Promise<{ code: number | null; signal: string | null }>((r) => (exited = r));
      // One value beyond the kernel's 128 KiB for a string of the environment.
      const outcome = spawner.spawn(
        processSpec({ name: 'big', command: '/bin/true', user, environment: { BIG: 'x'.repeat(140_000) } }),
        {
          onOutput: (channel, chunk) => {
            if (channel === 'stderr') stderr.push(chunk);
          },
          onExit: (code, signal) => exited({ code, signal }),
        },
      );
      assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
      assert.deepEqual(await exit, { code: 127, signal: null });
      assert.equal(
        Buffer.concat(stderr).toString(),
        "supervisor: couldn't exec /bin/true: E2BIG\nsupervisor: child process was not spawned\n",
      );
    },
  );
}
