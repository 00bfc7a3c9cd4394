// What a child writes, byte for byte in its logs, under svd and under Debian's supervisord: a few MiB of every
// byte value (NULs among them) in writes that do not line up with reads, a single byte, a burst written right
// before an _exit, and lines alternating between stdout and stderr, in two logs and through one pipe
// (redirect_stderr). svd reads the pipes natively (native/svd_output.c), or through a Socket with
// SVD_SPAWNER=node: both must log what supervisord logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../support/cleanup.js';
import { sideBySide, type ControlDaemon } from '../support/control-daemon.js';
import { supervisorMissing as skip } from '../support/oracle.js';
import { fixturesDir } from '../support/paths.js';

const writeBytes = join(fixturesDir, 'bin', 'write-bytes');
const programs: Record<string, string> = {
  pattern: `${writeBytes} pattern 3000000`,
  tiny: `/bin/sh -c 'printf x'`,
  nuls: `/bin/sh -c 'printf "a\\000b\\000\\000c\\n\\000"'`,
  burst: `${writeBytes} burst 100000`,
  separate: `${writeBytes} interleave 300`,
  merged: `${writeBytes} interleave 300\nredirect_stderr=true`,
};
const body = Object.entries(programs)
  .map(([name, command]) => `[program:${name}]\ncommand=${command}\nstartsecs=0\nautorestart=false\n`)
  .join('');

const daemons = sideBySide({ body }, { skip });

/** A program's AUTO log as bytes, empty until it exists. */
function log(d: ControlDaemon, program: string, stream: 'stdout' | 'stderr'): Buffer {
  const name = readdirSync(d.dir).find((f) => f.startsWith(`${program}-${stream}---`) && f.endsWith('.log'));
  return name ? readFileSync(join(d.dir, name)) : Buffer.alloc(0);
}

async function logsOf(d: ControlDaemon): Promise<Record<string, Buffer>> {
  const names = Object.keys(programs);
  const exited = () => names.every((n) => d.mainLog().includes(`exited: ${n} (exit status 0; expected)`));
  await eventually(exited, 20_000, `${d.kind}: every program to exit`);
  const logs: Record<string, Buffer> = {};
  for (const n of names) for (const s of ['stdout', 'stderr'] as const) logs[`${n} ${s}`] = log(d, n, s);
  return logs;
}

test('every byte a child writes reaches its log as under supervisord', { skip }, async () => {
  const [real, svd] = daemons();
  const [theirs, ours] = await Promise.all([logsOf(real), logsOf(svd)]);
  for (const key of Object.keys(theirs))
    assert.ok(
      ours[key]?.equals(theirs[key] as Buffer),
      `${key}: ${ours[key]?.length} bytes, not ${theirs[key]?.length}`,
    );
  assert.equal(theirs['pattern stdout']?.length, 3000000);
  assert.equal(theirs['nuls stdout']?.toString('hex'), '6100620000630a00');
  assert.equal(theirs['burst stdout']?.length, 100000);
  assert.equal(theirs['merged stdout']?.toString().split('\n').slice(0, 3).join('|'), 'out 0|err 0|out 1');
});
