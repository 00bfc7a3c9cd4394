import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../test/support/manual-clock.js';
import { TickTimers, msUntilNextSlice, timeslice } from './tick-timers.js';

test('timeslice rounds epoch seconds down to the period, as supervisor does', () => {
  assert.equal(timeslice(5, 1700000003.9), 1700000000);
  assert.equal(timeslice(60, 1700000059), 1700000040);
  assert.equal(msUntilNextSlice(5, 1700000003_250), 1750);
});

test('armed periods fire once per boundary crossing, none before the first boundary after arming', () => {
  const clock = new ManualClock(Date.UTC(2024, 0, 1, 0, 0, 58, 500));
  const fired: string[] = [];
  const ticks = new TickTimers(clock, (period, when) => fired.push(`${period}@${when % 3600}`));
  ticks.set(new Set([5, 60]));
  clock.advance(1000);
  assert.deepEqual(fired, []);
  clock.advance(500);
  assert.deepEqual(fired, ['5@60', '60@60']);
  clock.advance(10_000);
  assert.deepEqual(fired, ['5@60', '60@60', '5@65', '5@70']);
  ticks.set(new Set([60]));
  clock.advance(60_000);
  assert.deepEqual(fired.slice(4), ['60@120']);
  ticks.stop();
  assert.equal(clock.pending, 0);
});
