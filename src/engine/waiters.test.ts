import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Waiters } from './process-commands.js';
import type { ManagedProcess } from './managed-process.js';

// Waiters only compare process identity: stand-ins are enough.
const a = { name: 'a' } as unknown as ManagedProcess;
const b = { name: 'b' } as unknown as ManagedProcess;

test("a waiter on one process is checked after a job that changed that process, not after others' jobs", async () => {
  const waiters = new Waiters();
  let checks = 0;
  let ready = false;
  const done = waiters.waitFor(() => {
    checks++;
    return ready ? 'stopped' : undefined;
  }, a);
  assert.equal(checks, 1);
  waiters.touched(b);
  waiters.check();
  assert.equal(checks, 1);
  ready = true;
  waiters.check();
  assert.equal(checks, 1);
  waiters.touched(a);
  waiters.check();
  assert.equal(checks, 2);
  assert.equal(await done, 'stopped');
  // Resolved: no longer checked.
  waiters.touched(a);
  waiters.check();
  assert.equal(checks, 2);
});

test('a waiter on no process is checked after every job; a throwing check rejects', async () => {
  const waiters = new Waiters();
  let checks = 0;
  let n = 0;
  const general = waiters.waitFor(() => {
    checks++;
    return ++n === 3 ? n : undefined;
  });
  const failing = waiters.waitFor(() => {
    if (n >= 2) throw new Error('abnormal termination');
    return undefined;
  }, a);
  waiters.check();
  waiters.touched(a);
  waiters.check();
  assert.equal(checks, 3);
  assert.equal(await general, 3);
  await assert.rejects(failing, /abnormal termination/);
});

test('several waiters on one process: each ends on its own, the others stay until theirs holds', async () => {
  const waiters = new Waiters();
  let stage = 0;
  const ended: string[] = [];
  const first = waiters.waitFor(() => (stage >= 1 ? 'first' : undefined), a);
  waiters.waitThen(
    () => (stage >= 2 ? true : undefined),
    a,
    (fault) => ended.push(`second ${String(fault)}`),
  );
  const third = waiters.waitFor(() => (stage >= 1 ? 'third' : undefined), a);
  stage = 1;
  waiters.touched(a);
  waiters.check();
  assert.deepEqual(await Promise.all([first, third]), ['first', 'third']);
  assert.deepEqual(ended, []);
  stage = 2;
  waiters.touched(a);
  waiters.check();
  assert.deepEqual(ended, ['second null']);
  // All ended: a is no longer watched, so touching it queues nothing.
  waiters.touched(a);
  waiters.check();
  assert.deepEqual(ended, ['second null']);
});

test('waitThen reports a throwing check as its fault, once', () => {
  const waiters = new Waiters();
  const faults: unknown[] = [];
  waiters.waitThen(
    () => {
      throw new Error('abnormal termination');
    },
    b,
    (fault) => faults.push(fault),
  );
  waiters.touched(b);
  waiters.check();
  assert.equal(faults.length, 1);
  assert.match(String(faults[0]), /abnormal termination/);
});
