// For tests that run svd as nobody (root reads every file, so a permission test needs another user). A clone in
// a folder other users cannot enter (root's home, a `mktemp -d` folder) is out of nobody's reach; such a test
// then runs a copy of the build, made once per test file in a folder nobody can read.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, svdBin } from './paths.js';

/** The options of setpriv(1) that make a command run as nobody. */
export const nobodyArgs = ['--reuid=65534', '--regid=65534', '--clear-groups'];

/** True when nobody can read `path`: every folder above it open to others, the file readable. */
export function nobodyCanRead(path: string): boolean {
  return spawnSync('/usr/bin/setpriv', [...nobodyArgs, '/usr/bin/test', '-r', path]).status === 0;
}

/** The runtime packages the build loads: package.json's dependencies and theirs. */
function runtimePackages(): string[] {
  const found = new Set<string>();
  const visit = (packageJson: string) => {
    const deps = (JSON.parse(readFileSync(packageJson, 'utf8')) as { dependencies?: Record<string, string> })
      .dependencies;
    for (const name of Object.keys(deps ?? {})) {
      if (found.has(name)) continue;
      found.add(name);
      visit(join(repoRoot, 'node_modules', name, 'package.json'));
    }
  };
  visit(join(repoRoot, 'package.json'));
  return [...found];
}

let copied: string | undefined;

/** svd's bin as nobody can run it: svdBin itself when nobody can read it, else a copy (removed at exit). */
export function svdBinForNobody(): string {
  if (copied !== undefined) return copied;
  if (nobodyCanRead(svdBin)) return (copied = svdBin);
  const root = mkdtempSync(join(tmpdir(), 'svd-as-nobody-'));
  chmodSync(root, 0o755);
  process.on('exit', () => rmSync(root, { recursive: true, force: true }));
  cpSync(join(repoRoot, 'package.json'), join(root, 'package.json'));
  for (const part of ['src', 'schema']) {
    cpSync(join(repoRoot, 'dist', part), join(root, 'dist', part), { recursive: true });
  }
  // The native addon too, so that the copy spawns as the build does (without it: node:child_process and FIFOs).
  const addon = join(repoRoot, 'native', 'svd_spawn.node');
  if (existsSync(addon)) cpSync(addon, join(root, 'native', 'svd_spawn.node'));
  for (const name of runtimePackages()) {
    cpSync(join(repoRoot, 'node_modules', name), join(root, 'node_modules', name), {
      recursive: true,
      dereference: true,
    });
  }
  return (copied = join(root, 'dist', 'src', 'cli', 'bin', 'svd.js'));
}
