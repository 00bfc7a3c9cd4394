// The import rules README's "Architecture" states: only the composition root (src/daemon) and the CLI above it
// import src/daemon, and only the composition root and the fcgi sockets' owner lookup import src/adapters. The
// clients (supervisorctl, svd ctl/diff/apply) read supervisor's fault codes from src/model, not the engine's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

/** Every (importing module, imported module) pair across top-level folders of src/, with the importing file. */
function crossImports(): { file: string; from: string; to: string }[] {
  const moduleOf = (path: string) => relative(SRC, path).split('/')[0] ?? '';
  const pairs: { file: string; from: string; to: string }[] = [];
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
      const to = moduleOf(resolve(dirname(file), m[1] ?? ''));
      const from = moduleOf(file);
      if (to !== from) pairs.push({ file: relative(SRC, file), from, to });
    }
  }
  return pairs;
}

test('only src/daemon and src/cli import src/daemon', () => {
  const offenders = crossImports()
    .filter((p) => p.to === 'daemon' && p.from !== 'cli')
    .map((p) => p.file);
  assert.deepEqual(offenders, []);
});

test('only src/daemon and the fcgi sockets import src/adapters', () => {
  const offenders = crossImports()
    .filter((p) => p.to === 'adapters' && p.from !== 'daemon' && p.file !== 'fcgi/fcgi-sockets.ts')
    .map((p) => p.file);
  assert.deepEqual(offenders, []);
});

test('the clients (src/ctl, src/client, src/cli) import nothing from src/engine', () => {
  const offenders = crossImports()
    .filter((p) => p.to === 'engine' && ['ctl', 'client', 'cli'].includes(p.from))
    .map((p) => p.file);
  assert.deepEqual(offenders, []);
});
