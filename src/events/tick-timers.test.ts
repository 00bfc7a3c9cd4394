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

test("a boundary in the daemon's first second is no TICK (supervisord's first tick records it); later arming is not delayed", () => {
  const clock = new ManualClock(Date.UTC(2024, 0, 1, 0, 0, 59, 500));
  const fired: string[] = [];
  const ticks = new TickTimers(clock, (period, when) => fired.push(`${period}@${when % 3600}`));
  const minutes = () => fired.filter((f) => f.startsWith('60@'));
  ticks.set(new Set([5, 60]));
  clock.advance(5500);
  assert.deepEqual(fired, ['5@65'], 'the 00:01:00 boundary, 0.5 s after start, fired nothing');
  clock.advance(55_000);
  assert.deepEqual(minutes(), ['60@120']);
  ticks.set(new Set([5]));
  clock.advance(59_500);
  ticks.set(new Set([5, 60]));
  clock.advance(500);
  assert.deepEqual(minutes(), ['60@120', '60@180'], 'armed again 0.5 s before a boundary: it fires');
  ticks.stop();
});

test('a wall clock set forward gives TICK_60 and TICK_3600 within seconds, not at the old boundary', () => {
  const clock = new ManualClock(Date.UTC(2024, 0, 1, 0, 10, 2));
  const fired: string[] = [];
  const ticks = new TickTimers(clock, (period, when) => fired.push(`${period}@${when % 86400}`));
  ticks.set(new Set([60, 3600]));
  clock.advance(2000);
  clock.stepWall(55 * 60_000);
  clock.advance(5000);
  assert.deepEqual(fired, ['60@3900', '3600@3600'], 'the wall clock reads 01:05:09');
  clock.stepWall(-55 * 60_000);
  clock.advance(5000);
  assert.deepEqual(
    fired.slice(2),
    ['60@600', '3600@0'],
    'set back, as supervisord: TICKs with the earlier slices',
  );
  ticks.stop();
});
