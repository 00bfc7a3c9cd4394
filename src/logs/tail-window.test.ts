import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readWindow, tailWindow } from './tail-window.js';

test('readWindow: offset/length rules of readLog', () => {
  assert.deepEqual(readWindow(10, 0, 0), { ok: true, start: 0, end: 10 });
  assert.deepEqual(readWindow(10, 3, 4), { ok: true, start: 3, end: 7 });
  assert.deepEqual(readWindow(10, 8, 100), { ok: true, start: 8, end: 10 });
  assert.deepEqual(readWindow(10, 100, 0), { ok: true, start: 10, end: 10 });
  assert.deepEqual(readWindow(10, -3, 0), { ok: true, start: 7, end: 10 });
  assert.deepEqual(readWindow(10, -100, 0), { ok: true, start: 0, end: 10 });
  assert.deepEqual(readWindow(10, -1, 1), { ok: false, fault: 'BAD_ARGUMENTS' });
  assert.deepEqual(readWindow(10, -1, -1), { ok: false, fault: 'BAD_ARGUMENTS' });
  assert.deepEqual(readWindow(10, 0, -1), { ok: false, fault: 'BAD_ARGUMENTS' });
});

test("tailWindow: supervisor's three examples on a 21-byte file", () => {
  assert.deepEqual(tailWindow(21, 0, 5), { start: 16, length: 5, nextOffset: 21, overflow: true });
  assert.deepEqual(tailWindow(21, 0, 1000), { start: 0, length: 1000, nextOffset: 21, overflow: false });
  assert.deepEqual(tailWindow(21, 100, 1000), { start: 21, length: 0, nextOffset: 21, overflow: false });
});

test('tailWindow: following a growing file', () => {
  // supervisorctl tail -f style: ask from the last offset
  assert.deepEqual(tailWindow(30, 21, 1600), { start: 0, length: 1600, nextOffset: 30, overflow: false });
  assert.deepEqual(tailWindow(30, 30, 1600), { start: 30, length: 0, nextOffset: 30, overflow: false });
  assert.deepEqual(tailWindow(5000, 0, 1600), {
    start: 3400,
    length: 1600,
    nextOffset: 5000,
    overflow: true,
  });
  assert.deepEqual(tailWindow(0, 0, 1600), { start: 0, length: 0, nextOffset: 0, overflow: false });
  assert.deepEqual(tailWindow(10, 0, 0), { start: 9, length: 0, nextOffset: 10, overflow: true });
});
