import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeSpawner } from '../../src/adapters/node-spawner.js';
import { processSpec } from '../support/specs.js';

const dir = mkdtempSync(join(tmpdir(), 'svd-resolve-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a command is searched on PATH once per turn of the event loop, and again in the next', async () => {
  const spawner = new NodeSpawner({ baseEnv: { PATH: dir } });
  const spec = processSpec({ name: 'probe', command: 'svd-probe --flag' });
  const missing = spawner.check(spec);
  assert.equal(missing.ok, false);
  const file = join(dir, 'svd-probe');
  writeFileSync(file, '#!/bin/sh\nexit 0\n');
  chmodSync(file, 0o755);
  assert.deepEqual(spawner.check(spec), missing, 'the same turn reuses its answer');
  await new Promise((r) => setImmediate(r));
  const found = spawner.check(spec);
  assert.ok(found.ok, 'the next turn finds the new binary');
  assert.equal(found.file, file);
  assert.deepEqual(found.argv, ['svd-probe', '--flag']);
  rmSync(file);
  await new Promise((r) => setImmediate(r));
  assert.equal(spawner.check(spec).ok, false, 'and sees it removed');
});
