// native/build.mjs where the addon cannot be built: one line, exit 0 (the daemon then spawns through
// node:child_process), exit 1 with SVD_NATIVE=require, and no addon left from older source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/paths.js';

/** A copy of native/ with a stale addon (older than its source), and a PATH holding node alone (no npm). */
function unbuildable(): { dir: string; native: string; env: NodeJS.ProcessEnv; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'svd-native-build-'));
  const native = join(dir, 'native');
  mkdirSync(native);
  for (const f of readdirSync(join(repoRoot, 'native')).filter((f) => /\.(mjs|gyp|c|h)$/.test(f)))
    copyFileSync(join(repoRoot, 'native', f), join(native, f));
  writeFileSync(join(native, 'svd_spawn.node'), 'built from older source');
  const past = new Date(Date.now() - 3_600_000);
  utimesSync(join(native, 'svd_spawn.node'), past, past);
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  const env: NodeJS.ProcessEnv = { PATH: bin, HOME: dir };
  return { dir, native, env, done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('an addon that cannot be built: one line, exit 0, and the stale addon is not left to be loaded', () => {
  const u = unbuildable();
  try {
    const r = spawnSync(process.execPath, [join(u.native, 'build.mjs')], {
      env: u.env,
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /^svd: the native spawner was not built \(.+\); children are spawned through node:child_process\n$/,
    );
    assert.equal(existsSync(join(u.native, 'svd_spawn.node')), false, 'the stale addon is removed');
  } finally {
    u.done();
  }
});

test('SVD_NATIVE=require makes an addon that cannot be built an error', () => {
  const u = unbuildable();
  try {
    const r = spawnSync(process.execPath, [join(u.native, 'build.mjs')], {
      env: { ...u.env, SVD_NATIVE: 'require' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^svd: the native spawner was not built/);
  } finally {
    u.done();
  }
});
