// Where a child's streams come from: pipe(2) through the native addon; else FIFOs when they can be made, and a
// word to the daemon when they cannot, since a child on socketpairs fails to open /dev/stdout and nothing else
// would say why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FifoStock } from '../../src/adapters/fifo-pipes.js';
import { NodeSpawner } from '../../src/adapters/node-spawner.js';
import { nativeSpawnAvailable } from '../../src/adapters/native-spawn.js';
import { processSpec } from '../support/specs.js';

/** Spawns `command` and resolves with what it wrote to stdout once it has exited. */
function run(spawner: NodeSpawner, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const outcome = spawner.spawn(processSpec({ name: 'pipes', command }), {
      onOutput: (channel, chunk) => {
        if (channel === 'stdout') out += chunk.toString();
      },
      onExit: () => resolve(out),
    });
    if (!outcome.ok) reject(new Error(outcome.message));
  });
}

const probe = `/bin/sh -c "if [ -p /dev/stdout ]; then echo pipe; else echo other; fi"`;

test('a spawn that cannot have FIFOs falls back to socketpairs and says so once, until FIFOs work again', async () => {
  const said: string[] = [];
  const broken = new FifoStock('/nonexistent-svd-fifo-parent', { folderRetryMs: 1e9 });
  const spawner = new NodeSpawner({ pipes: broken, native: false, onPipeFallback: (m) => said.push(m) });
  assert.equal(await run(spawner, probe), 'other\n', 'a socketpair is no pipe');
  assert.equal(await run(spawner, probe), 'other\n');
  assert.equal(said.length, 1, said.join('\n'));
  assert.match(said[0] ?? '', /socketpairs.*\/dev\/stdout.*ENXIO/);
});

test('a spawn with FIFOs says nothing', async () => {
  const said: string[] = [];
  const stock = new FifoStock();
  try {
    const spawner = new NodeSpawner({ pipes: stock, native: false, onPipeFallback: (m) => said.push(m) });
    assert.equal(await run(spawner, probe), 'pipe\n');
    assert.deepEqual(said, []);
  } finally {
    stock.dispose();
  }
});

test(
  "the native spawner gives a child anonymous pipes, as supervisord does, and no FIFO's path",
  { skip: nativeSpawnAvailable() ? false : 'the native spawner is not built here' },
  async () => {
    const said: string[] = [];
    const stock = new FifoStock('/nonexistent-svd-fifo-parent', { folderRetryMs: 1e9 });
    const spawner = new NodeSpawner({ pipes: stock, onPipeFallback: (m) => said.push(m) });
    const out = await run(spawner, '/bin/sh -c "readlink /proc/self/fd/0 /proc/self/fd/1 /proc/self/fd/2"');
    assert.match(out, /^pipe:\[\d+\]\npipe:\[\d+\]\npipe:\[\d+\]\n$/);
    assert.equal(new Set(out.trim().split('\n')).size, 3, 'three pipes');
    assert.deepEqual(said, [], 'no FIFO was wanted');
  },
);
