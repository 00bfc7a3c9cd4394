// Pure: capture mode (spec §6.6) — splits child output into bytes to log and captured
// <!--XSUPERVISOR:BEGIN--> … <!--XSUPERVISOR:END--> blocks, whatever the chunk boundaries.

const BEGIN_TOKEN = Buffer.from('<!--XSUPERVISOR:BEGIN-->');
const END_TOKEN = Buffer.from('<!--XSUPERVISOR:END-->');

/**
 * One piece of output, in stream order: `log` bytes go where normal output goes; `captured` bytes were
 * added to the open block as they came (supervisor copies them to the main log and PROCESS_LOG events,
 * whole, whatever capture_maxbytes later drops of them); `capture` is one completed block (the bytes
 * between the tokens, tokens excluded), the data of a PROCESS_COMMUNICATION_<CHANNEL> event.
 */
export type CapturePiece =
  | { readonly kind: 'log'; readonly data: Buffer }
  | { readonly kind: 'captured'; readonly data: Buffer }
  | { readonly kind: 'capture'; readonly data: Buffer };

/** capture mode's state for one channel across its chunks (see createCaptureScanner). */
export interface CaptureScanner {
  /** True between a BEGIN and its END. */
  readonly capturing: boolean;
  /** Scans one chunk; a suffix that could start the awaited token is held back for the next chunk. */
  push(chunk: Buffer): CapturePiece[];
  /**
   * End of output: held-back bytes that never became a token are logged when not capturing; an
   * unfinished block is discarded, as supervisor does when the pipe closes mid-capture.
   */
  flush(): CapturePiece[];
  /**
   * Empties the capture buffer (clearProcessLogs does): a block in progress continues, and its event
   * carries only what arrives after the clear, as in supervisor.
   */
  clear(): void;
}

/**
 * Creates a scanner whose capture buffer holds about `maxbytes` bytes, as supervisor's does: a piece
 * of output that would overflow it first drops its own length from the block's front, so a block's
 * event carries its recent pieces, and a single piece longer than `maxbytes` whole.
 */
export function createCaptureScanner(maxbytes: number): CaptureScanner {
  let capturing = false;
  let held: Buffer = Buffer.alloc(0);
  let block: Buffer[] = [];
  let blockBytes = 0;

  // supervisor's BoundIO: a write that would overflow drops as many bytes from the front as it
  // brings, then is kept whole, so one piece longer than maxbytes survives intact.
  const addToBlock = (data: Buffer, pieces: CapturePiece[]): void => {
    if (data.length === 0) return;
    pieces.push({ kind: 'captured', data });
    if (blockBytes + data.length > maxbytes) dropFromFront(data.length);
    block.push(data);
    blockBytes += data.length;
  };

  const dropFromFront = (count: number): void => {
    let left = count;
    while (left > 0 && block.length > 0) {
      const first = block[0]!;
      if (first.length <= left) {
        block.shift();
        blockBytes -= first.length;
        left -= first.length;
      } else {
        block[0] = first.subarray(left);
        blockBytes -= left;
        left = 0;
      }
    }
  };

  const takeBlock = (): Buffer => {
    const data = Buffer.concat(block, blockBytes);
    block = [];
    blockBytes = 0;
    return data;
  };

  return {
    get capturing() {
      return capturing;
    },

    push(chunk) {
      const pieces: CapturePiece[] = [];
      // Copy: held bytes and block parts outlive this call, and the caller may reuse its buffer.
      let data = Buffer.concat([held, chunk]);
      held = Buffer.alloc(0);
      for (;;) {
        const token = capturing ? END_TOKEN : BEGIN_TOKEN;
        const at = data.indexOf(token);
        if (at < 0) {
          const keep = partialTokenAtEnd(data, token);
          const body = data.subarray(0, data.length - keep);
          held = data.subarray(data.length - keep);
          if (capturing) addToBlock(body, pieces);
          else if (body.length > 0) pieces.push({ kind: 'log', data: body });
          return pieces;
        }
        const before = data.subarray(0, at);
        if (capturing) {
          addToBlock(before, pieces);
          pieces.push({ kind: 'capture', data: takeBlock() });
        } else if (before.length > 0) {
          pieces.push({ kind: 'log', data: before });
        }
        capturing = !capturing;
        data = data.subarray(at + token.length);
      }
    },

    flush() {
      const rest = held;
      held = Buffer.alloc(0);
      block = [];
      blockBytes = 0;
      const pieces: CapturePiece[] = !capturing && rest.length > 0 ? [{ kind: 'log', data: rest }] : [];
      capturing = false;
      return pieces;
    },

    clear() {
      block = [];
      blockBytes = 0;
    },
  };
}

/** Length of the longest proper prefix of `token` that `data` ends with. */
export function partialTokenAtEnd(data: Buffer, token: Buffer): number {
  for (let n = Math.min(token.length - 1, data.length); n > 0; n--) {
    if (data.subarray(data.length - n).equals(token.subarray(0, n))) return n;
  }
  return 0;
}
