import { NodeSpawner } from '../../src/adapters/node-spawner.js';
import { FakeSpawner } from '../support/fake-spawner.js';
import { spawnerContract } from '../contract/spawner.contract.js';
import { killAllSpawned, tracked } from '../support/cleanup.js';

spawnerContract('NodeSpawner', () => {
  const spawner = tracked(new NodeSpawner());
  return { spawner, cleanup: () => killAllSpawned() };
});

// Where the native spawner is loaded, the suite otherwise runs only it: node:child_process is the fallback.
spawnerContract('NodeSpawner through node:child_process', () => {
  const spawner = tracked(new NodeSpawner({ native: false }));
  return { spawner, cleanup: () => killAllSpawned() };
});

spawnerContract('FakeSpawner', () => {
  const spawner = new FakeSpawner();
  spawner.checks.set('x', { ok: false, fault: 'NO_FILE', message: "can't find command '/nonexistent/prog'" });
  return {
    spawner,
    echo: (child, line) => {
      const fake = spawner.children.find((c) => c.pid === child.pid);
      fake?.output('stdout', `out:${line}\n`);
      fake?.exit(Number(line));
    },
    cleanup: () => {},
  };
});
