// The daemon's ends of children's output pipes are closed once each child is done, whichever way they are read
// (the native reader, a Socket): chatty children killed mid-output, some leaving a grandchild that holds the
// pipe (the drain timer's close), some with stderr redirected, and the descriptor count is back where it was.
import { test } from 'node:test';
import { readdirSync } from 'node:fs';
import { FifoStock } from '../../src/adapters/fifo-pipes.js';
import { NodeSpawner } from '../../src/adapters/node-spawner.js';
import { nativeSpawnAvailable } from '../../src/adapters/native-spawn.js';
import { eventually, killAllSpawned, tracked } from '../support/cleanup.js';
import { processSpec } from '../support/specs.js';

const COMMANDS = [
  `/bin/sh -c 'seq 1 20000; seq 1 5000 >&2; exec sleep 10'`,
  `/bin/sh -c '(exec sleep 30) & seq 1 20000; exec sleep 10'`,
  `/bin/sh -c 'while :; do echo out; echo err >&2; done'`,
];

const descriptors = () => readdirSync('/proc/self/fd').length;

for (const native of [true, false]) {
  const name = native ? 'the native reader' : 'a Socket';
  const skip = native && !nativeSpawnAvailable() ? 'the native spawner is not built here' : false;
  test(
    `${name}: 90 children killed mid-output leave no descriptor open`,
    { skip, timeout: 120_000 },
    async (t) => {
      const stock = new FifoStock();
      t.after(() => {
        killAllSpawned();
        stock.dispose();
      });
      const spawner = tracked(new NodeSpawner({ pipes: stock, native, drainMs: 50 }));
      const run = (i: number) =>
        new Promise<void>((resolve, reject) => {
          let bytes = 0;
          let pid = 0;
          const spec = processSpec({
            name: `c${i}`,
            command: COMMANDS[i % 3] as string,
            redirect_stderr: i % 4 === 0,
          });
          // Killed a few milliseconds into its output, wherever it is: counted from its first chunk, since on a
          // loaded machine the last of 30 children may not have run at all 20 ms after its spawn.
          const outcome = spawner.spawn(spec, {
            onOutput: (_channel, chunk) => {
              if (bytes === 0) setTimeout(() => process.kill(pid, 'SIGKILL'), (i % 7) * 5);
              bytes += chunk.length;
            },
            onExit: () => resolve(),
          });
          if (!outcome.ok) return reject(new Error(outcome.message));
          pid = outcome.child.pid;
        });
      // The first spawn opens what stays for the process's life: the stock's live FIFO, the addon's slots, libuv's
      // spare descriptor.
      await run(1);
      await Promise.all([0, 1, 2].map(run));
      const before = descriptors();
      for (let round = 0; round < 3; round++) {
        await Promise.all(Array.from({ length: 30 }, (_, i) => run(i)));
      }
      await eventually(
        () => descriptors() <= before,
        5_000,
        `back to ${before} descriptors (${descriptors()})`,
      );
    },
  );
}
