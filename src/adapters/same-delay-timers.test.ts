import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { SameDelayTimers } from './same-delay-timers.js';

test('callbacks run once each, after the delay, in the order they were added', async () => {
  const timers = new SameDelayTimers(20);
  const ran: string[] = [];
  const t0 = performance.now();
  const at: number[] = [];
  timers.add(() => (ran.push('a'), at.push(performance.now() - t0)));
  timers.add(() => ran.push('b'));
  await sleep(10);
  timers.add(() => (ran.push('c'), at.push(performance.now() - t0)));
  assert.equal(timers.size, 3);
  await sleep(15);
  assert.deepEqual(ran, ['a', 'b'], 'c is not due yet');
  await sleep(30);
  assert.deepEqual(ran, ['a', 'b', 'c']);
  assert.equal(timers.size, 0);
  // Each waited its own delay: c was added 10 ms after a.
  assert.ok(at[0]! >= 19, `a after ${at[0]} ms`);
  assert.ok(at[1]! >= 29, `c after ${at[1]} ms`);
});

test('a callback that adds another leaves the rest on time, and the new one waits its delay', async () => {
  const timers = new SameDelayTimers(10);
  const ran: string[] = [];
  timers.add(() => {
    ran.push('a');
    timers.add(() => ran.push('a2'));
  });
  timers.add(() => ran.push('b'));
  await sleep(15);
  assert.deepEqual(ran, ['a', 'b']);
  assert.equal(timers.size, 1);
  await sleep(30);
  assert.deepEqual(ran, ['a', 'b', 'a2']);
  assert.equal(timers.size, 0);
});

test('after a long run of callbacks, those still waiting run in order, once each', async () => {
  let now = 0;
  const timers = new SameDelayTimers(1, () => now);
  const ran: number[] = [];
  for (let i = 0; i < 2000; i++) timers.add(() => ran.push(i));
  now = 5;
  for (let i = 2000; i < 2010; i++) timers.add(() => ran.push(i));
  now = 1;
  await sleep(20);
  assert.equal(ran.length, 2000, 'the first 2,000 were due');
  now = 10;
  await sleep(20);
  assert.deepEqual(
    ran,
    Array.from({ length: 2010 }, (_, i) => i),
  );
  assert.equal(timers.size, 0);
});

test('a cancelled callback never runs; when all are cancelled, nothing is left waiting', async () => {
  const timers = new SameDelayTimers(15);
  const ran: string[] = [];
  const cancelA = timers.add(() => ran.push('a'));
  timers.add(() => ran.push('b'));
  cancelA();
  cancelA();
  assert.equal(timers.size, 1);
  await sleep(40);
  assert.deepEqual(ran, ['b']);
  const cancels = [timers.add(() => ran.push('c')), timers.add(() => ran.push('d'))];
  cancels.forEach((cancel) => cancel());
  assert.equal(timers.size, 0);
  await sleep(40);
  assert.deepEqual(ran, ['b']);
});
