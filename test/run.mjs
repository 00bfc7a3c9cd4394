// Runs the compiled test files with node's test runner and ends with a plain `N passed, N failed` line.
// Usage: node test/run.mjs [--fast] [FILTER...]   (--fast skips test/integration, test/compat and test/browser)
import { spawn } from 'node:child_process';
import { readdirSync, statSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const fast = args.includes('--fast');
const filters = args.filter((a) => !a.startsWith('--'));
const slowDirs = ['dist/test/integration', 'dist/test/compat', 'dist/test/browser'];

function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

let files = [...walk(join(root, 'dist/src'), []), ...walk(join(root, 'dist/test'), [])].map((f) =>
  relative(root, f),
);
if (fast) files = files.filter((f) => !slowDirs.some((d) => f.startsWith(d)));
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
files.sort();
// With no file named, `node --test` would look for tests itself (test/run.mjs among them) and run them all.
if (files.length === 0) {
  const which = filters.length
    ? ` matches ${filters.map((f) => JSON.stringify(f)).join(' or ')}`
    : ' (npm run build)';
  console.error(`no built test file${which}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const tapDir = mkdtempSync(join(tmpdir(), 'svd-test-'));
const tapFile = join(tapDir, 'report.tap');
const child = spawn(
  process.execPath,
  [
    '--test',
    '--test-concurrency=2',
    '--test-timeout=180000',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ],
  { cwd: root, stdio: 'inherit' },
);
child.on('exit', (code, signal) => {
  let pass = 0;
  let fail = 0;
  let skip = 0;
  try {
    const tap = readFileSync(tapFile, 'utf8');
    pass = Number(/^# pass (\d+)/m.exec(tap)?.[1] ?? 0);
    fail = Number(/^# fail (\d+)/m.exec(tap)?.[1] ?? 0);
    skip = Number(/^# skipped (\d+)/m.exec(tap)?.[1] ?? 0);
  } catch {
    fail = Math.max(fail, 1);
  }
  rmSync(tapDir, { recursive: true, force: true });
  const status = code ?? (signal ? 1 : 0);
  if (status !== 0 && fail === 0) fail = 1;
  console.log(`${pass} passed, ${fail} failed${skip ? `, ${skip} skipped` : ''}`);
  process.exit(status);
});
