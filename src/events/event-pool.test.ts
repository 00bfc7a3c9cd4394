import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventPool, nextSerial } from './event-pool.js';

const event = (serial: number) => ({ type: 'TICK_5' as const, payload: `when:${serial}`, serial });

function pool(size: number) {
  const lines: string[] = [];
  const p = new EventPool('lis', ['TICK'], size, (level, m) => lines.push(`${level} ${m}`));
  return { p, lines };
}

test('pool serials count from 0 per pool; a subscription to TICK takes TICK_5 but not other types', () => {
  const { p } = pool(10);
  assert.equal(p.subscribes('TICK_5'), true);
  assert.equal(p.subscribes('PROCESS_STATE_RUNNING'), false);
  assert.deepEqual(
    [p.accept(event(7)), p.accept(event(9))].map((e) => [e.event.serial, e.poolSerial]),
    [
      [7, 0],
      [9, 1],
    ],
  );
});

test('a requeue on a full buffer drops the oldest entry first, then puts the requeued one at the head', () => {
  const { p, lines } = pool(2);
  p.accept(event(0));
  p.accept(event(1));
  const taken = p.shift()!;
  p.accept(event(2));
  p.requeue(taken);
  assert.deepEqual(
    p.entries().map((e) => e.event.serial),
    [0, 2],
  );
  assert.deepEqual(lines, [
    'debug rebuffering event 0 for pool lis (buf size=2, max=2)',
    'error pool lis event buffer overflowed, discarding event 1',
  ]);
});

test('serials wrap to 0 after the largest exact integer', () => {
  assert.equal(nextSerial(-1), 0);
  assert.equal(nextSerial(Number.MAX_SAFE_INTEGER), 0);
});
