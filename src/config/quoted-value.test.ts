import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quotedExcerpt, quotedValue } from './quoted-value.js';

test('a short value is quoted whole; a password never', () => {
  assert.equal(quotedExcerpt('command', '/bin/echo 100%', 13), "'/bin/echo 100%'");
  assert.equal(quotedExcerpt('password', 'p%ss', 1), '<hidden password>');
  assert.equal(quotedValue('password', 'p%ss'), '<hidden password>');
});

test('a long value is quoted around the fault: 80 characters at most, cut with ... and the fault in view', () => {
  // No window of it repeats, so where the excerpt comes from is known. No `'` in it.
  const text = Array.from({ length: 100 }, (_, i) => String(i).padStart(3, '0')).join('');
  for (const at of [0, 10, 56, 57, 58, 100, 200, 220, 221, 250, 299]) {
    const quoted = quotedExcerpt('command', text, at);
    const inner = quoted.slice(1, -1);
    assert.ok(inner.length <= 80, `${at}: ${inner.length}`);
    const shown = inner.replace(/^\.\.\./, '').replace(/\.\.\.$/, '');
    const start = text.indexOf(shown);
    assert.ok(start >= 0 && start <= at && at < start + shown.length, `${at}: ${quoted}`);
    // Some text after the fault stays in view, unless the value ends first.
    assert.ok(start + shown.length >= Math.min(text.length, at + 20), `${at}: ${quoted}`);
  }
});
