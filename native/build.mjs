// Builds native/svd_spawn.node with the node-gyp that npm ships, against Node's own headers (npm's nodedir).
// Optional by design: when it cannot be built (no compiler, no headers), svd spawns through node:child_process
// and says so here once; `svd daemon` works either way. SVD_NATIVE=require makes a failure an error (CI).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const sources = [
  'svd_spawn.c',
  'svd_output.c',
  'svd_output.h',
  'svd_reaper.c',
  'svd_reaper.h',
  'svd_logwrite.c',
  'svd_logwrite.h',
].map((f) => join(here, f));
const target = join(here, 'svd_spawn.node');
const required = process.env.SVD_NATIVE === 'require';

// Up to date when built after its source and its build settings were last changed.
const inputs = [...sources, join(here, 'binding.gyp')].map((f) => statSync(f).mtimeMs);
if (existsSync(target) && statSync(target).mtimeMs >= Math.max(...inputs)) process.exit(0);

/** npm's own node-gyp: the one npm runs for `npm_config_node_gyp`, else beside npm's install. */
function nodeGyp() {
  const candidates = [process.env.npm_config_node_gyp];
  const npm = spawnSync('npm', ['prefix', '-g'], { encoding: 'utf8' });
  if (npm.status === 0)
    candidates.push(join(npm.stdout.trim(), 'lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'));
  return candidates.find((c) => c && existsSync(c)) ?? null;
}

function fail(reason) {
  // An addon built from older source would still be loaded: the line below would not be true, and the JS side
  // may no longer match it.
  rmSync(target, { force: true });
  const line = `svd: the native spawner was not built (${reason}); children are spawned through node:child_process`;
  if (required) {
    console.error(line);
    process.exit(1);
  }
  console.warn(line);
  process.exit(0);
}

const gyp = nodeGyp();
if (gyp === null) fail("npm's node-gyp was not found");
const nodedir =
  process.env.npm_config_nodedir ?? (existsSync('/usr/include/node/node_api.h') ? '/usr' : undefined);
const args = [
  gyp,
  'rebuild',
  '--directory',
  here,
  '--loglevel',
  'error',
  ...(nodedir ? [`--nodedir=${nodedir}`] : []),
];
const built = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
if (built.status !== 0) {
  // The line that names the cause: the compiler's (`file.c:1:2: error: ...`) or node-gyp's own (`gyp ERR! stack
  // Error: not found: make`); its first ERR! line (`gyp ERR! build error`) only says which step failed.
  const lines = built.stderr.split('\n');
  const detail =
    lines.find((l) => /\berror:/.test(l)) ??
    lines.find((l) => /ERR! stack \w*Error: /.test(l))?.replace(/^.*ERR! stack /, '') ??
    lines.find((l) => /error/i.test(l)) ??
    `node-gyp exited ${built.status}`;
  fail(detail.trim());
}
mkdirSync(dirname(target), { recursive: true });
copyFileSync(join(here, 'build/Release/svd_spawn.node'), target);
