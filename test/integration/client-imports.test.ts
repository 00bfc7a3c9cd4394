// The client must start fast: importing it statically loads neither node:http nor saxes (~20 ms).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { repoRoot } from '../support/paths.js';

/** Every module reachable from `entry` through static import/export-from statements, bare `import 'x'` included. */
function staticGraph(entry: string): { files: string[]; packages: Set<string> } {
  const files: string[] = [];
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.includes(file)) continue;
    files.push(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/^\s*(?:import|export)\s+(?:[^;'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) queue.push(resolve(dirname(file), spec));
      else packages.add(spec);
    }
  }
  return { files, packages };
}

test('src/client loads no node:http and no saxes until the first call', () => {
  const { files, packages } = staticGraph(join(repoRoot, 'dist', 'src', 'client', 'index.js'));
  assert.ok(
    files.some((f) => f.endsWith('xmlrpc-client.js')),
    'the walk reached the client',
  );
  assert.ok(!packages.has('saxes'), [...packages].join(', '));
  assert.ok(!packages.has('node:http') && !packages.has('http'), [...packages].join(', '));
  // The lazily loaded codec must not bring saxes either.
  const codec = staticGraph(join(repoRoot, 'dist', 'src', 'rpc', 'client-codec.js'));
  assert.ok(!codec.packages.has('saxes'), [...codec.packages].join(', '));
});
