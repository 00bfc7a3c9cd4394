// The Spawner contract, run against the real NodeSpawner and the FakeSpawner so the fake cannot drift.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Child, Spawner } from '../../src/ports/spawner.js';
import { processSpec } from '../support/specs.js';

export interface ContractSubject {
  readonly spawner: Spawner;
  /**
   * Plays the contract's echo program for fakes: it reads one line N from stdin, prints it, exits with N.
   * Real spawners leave it undefined: the real program does it.
   */
  readonly echo?: ((child: Child, line: string) => void) | undefined;
  /** Plays the default action of SIGTERM for fakes (real kernels do it). */
  readonly cleanup: () => void;
}

/** A program that reads a line N, prints it, and exits with status N. */
export const ECHO_COMMAND = `/bin/sh -c 'read x; echo "out:$x"; exit "$x"'`;

interface Run {
  readonly output: string[];
  readonly exit: Promise<{ code: number | null; signal: string | null }>;
}

function start(subject: ContractSubject, command: string): { child: Child; run: Run } {
  const output: string[] = [];
  let resolveExit!: (v: { code: number | null; signal: string | null }) => void;
  const exit = new Promise<{ code: number | null; signal: string | null }>((r) => (resolveExit = r));
  const outcome = subject.spawner.spawn(processSpec({ name: 'contract', command }), {
    onOutput: (channel, chunk) => output.push(`${channel}:${chunk.toString()}`),
    onExit: (code, signal) => resolveExit({ code, signal }),
  });
  assert.ok(outcome.ok, 'spawn works');
  return { child: outcome.child, run: { output, exit } };
}

export function spawnerContract(name: string, make: () => ContractSubject): void {
  test(`${name}: a child gets a pid, its output comes before its exit status`, async (t) => {
    const subject = make();
    t.after(subject.cleanup);
    const { child, run } = start(subject, ECHO_COMMAND);
    assert.ok(child.pid > 0);
    assert.equal(child.writeStdin(Buffer.from('3\n')), true);
    subject.echo?.(child, '3');
    assert.deepEqual(await run.exit, { code: 3, signal: null });
    assert.deepEqual(run.output.join(''), 'stdout:out:3\n');
    assert.equal(child.writeStdin(Buffer.from('x')), false, 'stdin is closed after the exit');
    assert.deepEqual(child.signal('SIGTERM', { group: false }), { ok: false, gone: true, message: 'ESRCH' });
  });

  test(`${name}: SIGTERM ends a child by signal`, async (t) => {
    const subject = make();
    t.after(subject.cleanup);
    const { child, run } = start(subject, ECHO_COMMAND);
    assert.deepEqual(child.signal('SIGTERM', { group: true }), { ok: true });
    assert.deepEqual(await run.exit, { code: null, signal: 'SIGTERM' });
  });

  test(`${name}: the pre-flight check reports a missing command as NO_FILE`, (t) => {
    const subject = make();
    t.after(subject.cleanup);
    const check = subject.spawner.check(processSpec({ name: 'x', command: '/nonexistent/prog' }));
    assert.equal(check.ok, false);
    assert.equal(!check.ok && check.fault, 'NO_FILE');
  });
}
