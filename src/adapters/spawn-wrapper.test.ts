import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wrapperArgs, type WrapperInput } from './spawn-wrapper.js';

/** Runs the prelude for `w` as a real /bin/sh: its exit status and output. */
function run(w: WrapperInput): { status: number | null; stdout: string; stderr: string } {
  const args = wrapperArgs(w);
  assert.ok(args);
  const r = spawnSync(args[0] as string, args.slice(1), { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const NOT_SPAWNED = 'supervisor: child process was not spawned\n';

test("the prelude's exec failure: after the chdir, and when conditional only for a file the child may not execute", () => {
  const dir = mkdtempSync(join(tmpdir(), 'svd-wrapper-'));
  try {
    const runnable = join(dir, 'runnable');
    writeFileSync(runnable, '#!/bin/sh\necho ran "$@"\n');
    chmodSync(runnable, 0o755);
    const plain = join(dir, 'plain');
    writeFileSync(plain, '#!/bin/sh\necho ran\n');
    chmodSync(plain, 0o644);
    const base = { argv: ['x', 'arg'], directory: null, redirectStderr: false };
    const failure = "couldn't exec x: EACCES";

    // Conditional: a file the child may execute runs, with its arguments.
    assert.deepEqual(
      run({ ...base, file: runnable, execFailure: failure, execFailureUnlessExecutable: true }),
      { status: 0, stdout: 'ran arg\n', stderr: '' },
    );
    // Conditional, and the file may not be executed: supervisor's two lines, exit 127.
    assert.deepEqual(run({ ...base, file: plain, execFailure: failure, execFailureUnlessExecutable: true }), {
      status: 127,
      stdout: '',
      stderr: `supervisor: ${failure}\n${NOT_SPAWNED}`,
    });
    // Unconditional (the exec failed already): reported even for a runnable file.
    assert.equal(run({ ...base, file: runnable, execFailure: failure }).status, 127);
    // A chdir that fails comes first, as in supervisor's child.
    assert.deepEqual(
      run({ ...base, file: runnable, directory: join(dir, 'missing'), execFailure: failure }).stderr,
      `supervisor: couldn't chdir to ${join(dir, 'missing')}: ENOENT\n${NOT_SPAWNED}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
