import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_TIMEOUT_MS, setLongTimer, type TimerFunctions } from './system-clock.js';

/** Records every setTimeout; `fire()` runs the latest one, as if its delay had passed. */
function recordingTimers() {
  const delays: number[] = [];
  const cleared: unknown[] = [];
  let latest: (() => void) | null = null;
  const timers: TimerFunctions = {
    setTimeout(fn, ms) {
      delays.push(ms);
      latest = fn;
      return delays.length;
    },
    clearTimeout: (handle) => void cleared.push(handle),
  };
  const fire = () => latest?.();
  return { timers, delays, cleared, fire };
}

test('a delay within setTimeout range is one timer', () => {
  const t = recordingTimers();
  let fired = 0;
  setLongTimer(5000, () => fired++, t.timers);
  assert.deepEqual(t.delays, [5000]);
  t.fire();
  assert.equal(fired, 1);
});

test('a delay beyond 2^31-1 ms (stopwaitsecs=3000000) is waited in steps, never fired early', () => {
  const t = recordingTimers();
  let fired = 0;
  const ms = 3_000_000_000;
  setLongTimer(ms, () => fired++, t.timers);
  assert.deepEqual(t.delays, [MAX_TIMEOUT_MS]);
  t.fire();
  assert.equal(fired, 0, 'the first step only re-arms');
  assert.deepEqual(t.delays, [MAX_TIMEOUT_MS, ms - MAX_TIMEOUT_MS]);
  t.fire();
  assert.equal(fired, 1);
});

test('cancelling clears the step in progress, once', () => {
  const t = recordingTimers();
  const cancel = setLongTimer(3 * MAX_TIMEOUT_MS, () => assert.fail('cancelled timer fired'), t.timers);
  t.fire();
  cancel();
  cancel();
  assert.deepEqual(t.cleared, [2]);
});

test("the system clock's timers run once after their delay, and not once cancelled", async () => {
  const { systemClock } = await import('./system-clock.js');
  const ran: string[] = [];
  const t0 = performance.now();
  let firstAt = 0;
  systemClock.setTimer(20, () => {
    firstAt = performance.now() - t0;
    ran.push('20');
  });
  const cancel = systemClock.setTimer(20, () => ran.push('20, cancelled'));
  systemClock.setTimer(10.5, () => ran.push('10.5'));
  systemClock.setTimer(5, () => ran.push('5'));
  cancel();
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.deepEqual(ran, ['5', '10.5', '20']);
  assert.ok(firstAt >= 19, `ran after ${firstAt} ms`);
});
