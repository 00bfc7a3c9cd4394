import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLogLine, formatTimestamp, levelEnabled, parseLogLevel } from './log-levels.js';

test('timestamps are local time with comma and three-digit milliseconds', () => {
  const date = new Date(2026, 10, 4, 7, 5, 3, 9);
  assert.equal(formatTimestamp(date), '2026-11-04 07:05:03,009');
});

test('timestamps within one second, across seconds and back in time stay exact', () => {
  const at = (s: number, ms: number) => new Date(2026, 11, 31, 23, 59, s, ms);
  assert.equal(formatTimestamp(at(58, 999)), '2026-12-31 23:59:58,999');
  assert.equal(formatTimestamp(at(59, 0)), '2026-12-31 23:59:59,000');
  assert.equal(formatTimestamp(at(59, 5)), '2026-12-31 23:59:59,005');
  assert.equal(formatTimestamp(at(60, 1)), '2027-01-01 00:00:00,001');
  assert.equal(formatTimestamp(at(58, 10)), '2026-12-31 23:59:58,010');
  // Before 1970 the epoch milliseconds are negative (in every time zone on these dates): the second is rounded
  // down, not toward zero, and is formatted afresh rather than served from the cache.
  assert.equal(formatTimestamp(new Date(1970, 0, 1, 0, 0, 0, 0)), '1970-01-01 00:00:00,000');
  const before1970 = (ms: number) => new Date(1969, 11, 30, 23, 59, 59, ms);
  assert.equal(formatTimestamp(before1970(999)), '1969-12-30 23:59:59,999');
  assert.equal(formatTimestamp(before1970(1)), '1969-12-30 23:59:59,001');
  assert.equal(formatTimestamp(new Date(1969, 11, 30, 0, 0, 0, 0)), '1969-12-30 00:00:00,000');
});

test('a line is `asctime LEVL message` plus newline, multi-line messages as-is', () => {
  const date = new Date(2026, 10, 24, 22, 52, 11, 971);
  assert.equal(
    formatLogLine(date, 'info', "spawned: 'ga' with pid 8318"),
    "2026-11-24 22:52:11,971 INFO spawned: 'ga' with pid 8318\n",
  );
  assert.equal(
    formatLogLine(date, 'debug', "'a' stdout output:\nx\ny"),
    "2026-11-24 22:52:11,971 DEBG 'a' stdout output:\nx\ny\n",
  );
  assert.match(formatLogLine(date, 'critical', 'm'), / CRIT m\n$/);
  assert.match(formatLogLine(date, 'error', 'm'), / ERRO m\n$/);
  assert.match(formatLogLine(date, 'warn', 'm'), / WARN m\n$/);
  assert.match(formatLogLine(date, 'trace', 'm'), / TRAC m\n$/);
  assert.match(formatLogLine(date, 'blather', 'm'), / BLAT m\n$/);
});

test('levels pass a threshold at or below them', () => {
  assert.equal(levelEnabled('info', 'info'), true);
  assert.equal(levelEnabled('warn', 'info'), true);
  assert.equal(levelEnabled('debug', 'info'), false);
  assert.equal(levelEnabled('blather', 'trace'), false);
  assert.equal(levelEnabled('trace', 'blather'), true);
});

test('level names parse case-insensitively; unknown names do not', () => {
  assert.equal(parseLogLevel('DEBUG'), 'debug');
  assert.equal(parseLogLevel(' Warn '), 'warn');
  assert.equal(parseLogLevel('warning'), undefined);
  assert.equal(parseLogLevel('toString'), undefined);
});
