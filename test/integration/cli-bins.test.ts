// The built bins are commands of their own: `npm ci && npm run build` leaves each one executable, so a tool
// given its path (Ansible's supervisorctl module refuses a supervisorctl_path it cannot execute) runs it as is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/paths.js';

const bins = (
  JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> }
).bin;

for (const [name, path] of Object.entries(bins)) {
  test(`${name} (${path}) runs by its path after a build`, () => {
    const file = join(repoRoot, path);
    assert.doesNotThrow(() => accessSync(file, constants.X_OK), `${path} is not executable`);
    // pidproxy answers -h with its usage and status 1, as supervisor's does; the others exit 0.
    // echo_supervisord_conf reads no arguments, as supervisor's: -h (or anything) prints the sample.
    const r = spawnSync(file, ['-h'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.error, undefined);
    assert.equal(r.status, name === 'pidproxy' ? 1 : 0, r.stderr);
    if (name === 'echo_supervisord_conf') assert.match(r.stdout, /^\[supervisord\]$/m);
    else assert.match(r.stdout + r.stderr, /usage/i);
  });
}

test('svd help NAME gives the help of daemon, ctl, pidproxy and each supervisorctl command, as they give it', () => {
  const svd = (...args: string[]) =>
    spawnSync(join(repoRoot, bins.svd as string), args, { encoding: 'utf8', timeout: 30_000 });
  for (const [topic, same] of [
    ['daemon', ['daemon', '--help']],
    ['ctl', ['ctl', '--help']],
    ['pidproxy', ['pidproxy', '--help']],
    ['status', ['ctl', 'help', 'status']],
    ['diff', ['diff', '--help']],
  ] as const) {
    const help = svd('help', topic);
    const expected = svd(...same);
    assert.equal(help.status, expected.status, topic);
    assert.equal(help.stdout + help.stderr, expected.stdout + expected.stderr, topic);
    assert.match(help.stdout + help.stderr, topic === 'status' ? /^status <name>/ : /usage/i, topic);
  }
});
