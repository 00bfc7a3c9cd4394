import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createCaptureScanner, partialTokenAtEnd, type CapturePiece } from './capture-scanner.js';

const BEGIN = '<!--XSUPERVISOR:BEGIN-->';
const END = '<!--XSUPERVISOR:END-->';

/**
 * Pieces as strings, adjacent log (or captured) pieces merged: chunking may split output anywhere. The captured
 * pieces (a block's bytes as they come) are left out unless asked for.
 */
function render(pieces: readonly CapturePiece[], withCaptured = false): string[] {
  const out: string[] = [];
  for (const p of pieces) {
    if (p.kind === 'captured' && !withCaptured) continue;
    const text = p.data.toString();
    const last = out.length - 1;
    if (p.kind !== 'capture' && last >= 0 && out[last]!.startsWith(`${p.kind}:`)) out[last] += text;
    else out.push(`${p.kind}:${text}`);
  }
  return out;
}

function feed(maxbytes: number, chunks: readonly string[], withCaptured = false): string[] {
  const scanner = createCaptureScanner(maxbytes);
  const pieces: CapturePiece[] = [];
  for (const c of chunks) pieces.push(...scanner.push(Buffer.from(c)));
  pieces.push(...scanner.flush());
  return render(pieces, withCaptured);
}

test('bytes before, between and after the tokens go to the log, the capture, the log', () => {
  assert.deepEqual(feed(100, [`before${BEGIN}payload${END}after`]), [
    'log:before',
    'capture:payload',
    'log:after',
  ]);
});

test('several blocks in one chunk, and an empty block', () => {
  assert.deepEqual(feed(100, [`a${BEGIN}1${END}b${BEGIN}2${END}${BEGIN}${END}c`]), [
    'log:a',
    'capture:1',
    'log:b',
    'capture:2',
    'capture:',
    'log:c',
  ]);
});

test('a token split across chunks is held back, not logged', () => {
  const scanner = createCaptureScanner(100);
  assert.deepEqual(render(scanner.push(Buffer.from('text<!--XSUPER'))), ['log:text']);
  assert.equal(scanner.capturing, false);
  assert.deepEqual(render(scanner.push(Buffer.from('VISOR:BEGIN-->data<!--XSUPERVISOR:E'))), []);
  assert.equal(scanner.capturing, true);
  assert.deepEqual(render(scanner.push(Buffer.from('ND-->tail'))), ['capture:data', 'log:tail']);
});

test('held-back bytes that never became a token are logged at the end', () => {
  assert.deepEqual(feed(100, ['x<!--XSUP']), ['log:x<!--XSUP']);
});

test('an unfinished block is discarded at the end', () => {
  assert.deepEqual(feed(100, [`a${BEGIN}never ended`]), ['log:a']);
});

test("an overflowing piece drops its own length from the front of the block, as supervisor's BoundIO", () => {
  // 'abc' (3) + 'defg' (4) > 5: drop 4 from 'abc' -> '' + 'defg'; + 'hi' > 5: drop 2 -> 'fg' + 'hi'.
  assert.deepEqual(feed(5, [BEGIN, 'abc', 'defg', 'hi', END]), ['capture:fghi']);
  assert.deepEqual(feed(5, [BEGIN, 'ab', 'cd', 'e', END]), ['capture:abcde'], 'no drop up to maxbytes');
});

test("a block's bytes come out as they arrive, whole, whatever capture_maxbytes drops from the block", () => {
  const scanner = createCaptureScanner(5);
  const pieces = (chunk: string) =>
    scanner.push(Buffer.from(chunk)).map((p) => `${p.kind}:${p.data.toString()}`);
  assert.deepEqual(pieces(`a${BEGIN}abc`), ['log:a', 'captured:abc']);
  assert.deepEqual(pieces('defg'), ['captured:defg']);
  assert.deepEqual(pieces(`hi${END}z`), ['captured:hi', 'capture:fghi', 'log:z']);
  assert.deepEqual(
    feed(100, [`${BEGIN}never ended`], true),
    ['captured:never ended'],
    'even when no END comes',
  );
});

test('a single piece longer than capture_maxbytes is kept whole', () => {
  assert.deepEqual(feed(3, [`${BEGIN}0123456789${END}`]), ['capture:0123456789']);
  assert.deepEqual(feed(10, [BEGIN, 'old', `${'x'.repeat(20)}${END}`]), [`capture:${'x'.repeat(20)}`]);
});

test('clear() empties the capture buffer but the block goes on', () => {
  const scanner = createCaptureScanner(100);
  scanner.push(Buffer.from(`${BEGIN}old`));
  scanner.clear();
  assert.deepEqual(render(scanner.push(Buffer.from(`new${END}`))), ['capture:new']);
});

test('partialTokenAtEnd finds the longest proper token prefix', () => {
  const token = Buffer.from(BEGIN);
  assert.equal(partialTokenAtEnd(Buffer.from('abc<!--'), token), 4);
  assert.equal(partialTokenAtEnd(Buffer.from('abc'), token), 0);
  assert.equal(partialTokenAtEnd(Buffer.from(BEGIN), token), 0, 'a whole token is not a partial one');
  assert.equal(partialTokenAtEnd(Buffer.from('<'), token), 1);
});

test('property: chunk boundaries never change the result', () => {
  const part = fc.oneof(
    fc.constantFrom(BEGIN, END, '<', '<!--', '<!--XSUPERVISOR:', '-->'),
    fc.string({ unit: fc.constantFrom('a', 'b', '<', '-', '\n'), maxLength: 10 }),
  );
  fc.assert(
    fc.property(fc.array(part, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 8 }), (parts, cuts) => {
      const input = parts.join('');
      const points = [...new Set(cuts.map((c) => c % (input.length + 1)))].sort((x, y) => x - y);
      const chunks: string[] = [];
      let from = 0;
      for (const p of [...points, input.length]) {
        chunks.push(input.slice(from, p));
        from = p;
      }
      assert.deepEqual(feed(1000, chunks, true), feed(1000, [input], true));
    }),
  );
});
