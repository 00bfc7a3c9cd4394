// Pure: strip_ansi (spec §2.6.1) — removes CSI escape sequences from child output, across chunk boundaries.

const ESC = 0x1b;
const LEFT_BRACKET = 0x5b;
/** A sequence longer than this is not a CSI sequence a terminal would accept: it is passed through. */
const MAX_SEQUENCE = 256;

/**
 * Removes `ESC [` parameters… final-byte sequences, chunk by chunk, holding back a sequence cut by a
 * chunk boundary until the next chunk shows how it ends.
 *
 * supervisor skips from `ESC [` to the next byte in `HfABCDRsuJKhlpm`. Sequences ending in one of those
 * are removed identically here; the sequence grammar is ECMA-48's instead (parameter and intermediate
 * bytes 0x20–0x3F, one final byte 0x40–0x7E), so a sequence with another final byte (`ESC[2G`, `ESC[1P`)
 * is removed alone rather than eating the text after it up to the next `H` or `m`, and a malformed
 * sequence (a newline or non-ASCII byte before the final byte) is kept as text instead of dropped.
 */
export interface AnsiStripper {
  /** The chunk without its escape sequences; may hold back a trailing partial sequence. */
  push(chunk: Buffer): Buffer;
  /** Bytes still held back (an unfinished sequence at end of output), passed through as text. */
  flush(): Buffer;
}

/** A stripper with nothing held back; one per channel, as sequences may span its chunks. */
export function createAnsiStripper(): AnsiStripper {
  let held: Buffer = Buffer.alloc(0);

  return {
    push(chunk) {
      const input = held.length > 0 ? Buffer.concat([held, chunk]) : chunk;
      const { output, rest } = stripComplete(input);
      held = Buffer.from(rest);
      return output;
    },
    flush() {
      const rest = held;
      held = Buffer.alloc(0);
      return rest;
    },
  };
}

/** Strips one complete buffer; an unfinished trailing sequence is kept as text. */
export function stripAnsi(data: Buffer): Buffer {
  const { output, rest } = stripComplete(data);
  return rest.length > 0 ? Buffer.concat([output, rest]) : output;
}

type Scan =
  | { readonly kind: 'sequence'; readonly end: number }
  | { readonly kind: 'text' }
  | { readonly kind: 'partial' };

/** Classifies the bytes at `start` (an ESC). */
function scanSequence(data: Buffer, start: number): Scan {
  if (start + 1 >= data.length) return { kind: 'partial' };
  if (data[start + 1] !== LEFT_BRACKET) return { kind: 'text' };
  const limit = Math.min(data.length, start + 2 + MAX_SEQUENCE);
  for (let i = start + 2; i < limit; i++) {
    const byte = data[i]!;
    if (byte >= 0x40 && byte <= 0x7e) return { kind: 'sequence', end: i + 1 };
    if (byte < 0x20 || byte > 0x3f) return { kind: 'text' };
  }
  return limit === data.length && limit < start + 2 + MAX_SEQUENCE ? { kind: 'partial' } : { kind: 'text' };
}

function stripComplete(data: Buffer): { output: Buffer; rest: Buffer } {
  let esc = data.indexOf(ESC);
  if (esc < 0) return { output: data, rest: Buffer.alloc(0) };
  const kept: Buffer[] = [];
  let from = 0;
  while (esc >= 0) {
    const scan = scanSequence(data, esc);
    if (scan.kind === 'partial') {
      kept.push(data.subarray(from, esc));
      return { output: Buffer.concat(kept), rest: data.subarray(esc) };
    }
    if (scan.kind === 'sequence') {
      kept.push(data.subarray(from, esc));
      from = scan.end;
      esc = data.indexOf(ESC, from);
    } else {
      esc = data.indexOf(ESC, esc + 1);
    }
  }
  kept.push(data.subarray(from));
  return { output: Buffer.concat(kept), rest: Buffer.alloc(0) };
}
