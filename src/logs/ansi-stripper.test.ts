import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createAnsiStripper, stripAnsi } from './ansi-stripper.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');
const s = (buf: Buffer): string => buf.toString('latin1');

test('removes colour, cursor and erase sequences and keeps the text', () => {
  assert.equal(
    s(stripAnsi(b('\x1b[31mred\x1b[0m plain \x1b[1;32mbold green\x1b[m'))),
    'red plain bold green',
  );
  assert.equal(s(stripAnsi(b('a\x1b[2Jb\x1b[Kc\x1b[10;5Hd\x1b[?25le'))), 'abcde');
  assert.equal(s(stripAnsi(b('\x1b[38;2;255;128;0mrgb'))), 'rgb');
});

test('an ESC not followed by [ is text', () => {
  assert.equal(s(stripAnsi(b('a\x1bb\x1b\x1b[0mc'))), 'a\x1bb\x1bc');
});

test("a final byte outside supervisor's list ends the sequence instead of eating the text after it", () => {
  // supervisor would skip from ESC[ to the H of "Hello"
  assert.equal(s(stripAnsi(b('\x1b[2GHello'))), 'Hello');
  // The whole ECMA-48 range: final bytes @ (0x40) to ~ (0x7e), intermediate bytes from the space (0x20) on.
  assert.equal(s(stripAnsi(b('\x1b[2@a\x1b[3~b\x1b[1 qc\x1b[?1;2$pd'))), 'abcd');
});

test('a malformed sequence is kept as text', () => {
  assert.equal(s(stripAnsi(b('\x1b[12\nnext'))), '\x1b[12\nnext');
  const long = `\x1b[${'1;'.repeat(200)}m`;
  assert.equal(s(stripAnsi(b(`${long}x`))), `${long}x`);
});

test('a sequence cut by a chunk boundary is held back, then removed', () => {
  const stripper = createAnsiStripper();
  assert.equal(s(stripper.push(b('one \x1b'))), 'one ');
  assert.equal(s(stripper.push(b('[3'))), '');
  assert.equal(s(stripper.push(b('1mtwo'))), 'two');
  assert.equal(s(stripper.push(b(' \x1b[1'))), ' ');
  assert.equal(s(stripper.flush()), '\x1b[1', 'an unfinished sequence at the end is output, not lost');
});

/** Text without ESC, interleaved with sequences that supervisor also strips. */
const textPart = fc.string({ unit: fc.constantFrom(...'ab m[1;H\n\u00e9'.split('')), maxLength: 12 });
const sequence = fc
  .tuple(
    fc.array(fc.constantFrom(...'0123456789;?'.split('')), { maxLength: 8 }),
    fc.constantFrom(...'HfABCDRsuJKhlpm'.split('')),
  )
  .map(([params, final]) => `\x1b[${params.join('')}${final}`);

test('property: output is the text parts, whatever the sequences and chunk boundaries', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(textPart, sequence)),
      fc.array(fc.nat(), { maxLength: 6 }),
      (parts, cuts) => {
        const input = b(parts.map(([t, q]) => t + q).join(''));
        const expected = parts.map(([t]) => t).join('');
        assert.equal(s(stripAnsi(input)), expected);
        const points = [...new Set(cuts.map((c) => c % (input.length + 1)))].sort((x, y) => x - y);
        const stripper = createAnsiStripper();
        const out: Buffer[] = [];
        let from = 0;
        for (const p of [...points, input.length]) {
          out.push(stripper.push(input.subarray(from, p)));
          from = p;
        }
        out.push(stripper.flush());
        assert.equal(s(Buffer.concat(out)), expected);
      },
    ),
  );
});
