// Pure: which bytes readLog and tailProcessStdoutLog return (spec §4.5), as offset arithmetic on a file size.

/** A byte range [start, end) of the file, or the BAD_ARGUMENTS fault. */
export type ReadWindow =
  | { readonly ok: true; readonly start: number; readonly end: number }
  | { readonly ok: false; readonly fault: 'BAD_ARGUMENTS' };

/**
 * readLog / readProcess*Log: `offset < 0, length = 0` → the last |offset| bytes; `offset >= 0,
 * length = 0` → offset to end of file; `offset >= 0, length > 0` → that slice (clipped to the file);
 * a negative offset with a non-zero length, or a negative length, is BAD_ARGUMENTS.
 */
export function readWindow(size: number, offset: number, length: number): ReadWindow {
  if (offset < 0) {
    if (length !== 0) return { ok: false, fault: 'BAD_ARGUMENTS' };
    return { ok: true, start: Math.max(0, size + offset), end: size };
  }
  if (length < 0) return { ok: false, fault: 'BAD_ARGUMENTS' };
  const start = Math.min(offset, size);
  const end = length === 0 ? size : Math.min(size, offset + length);
  return { ok: true, start, end };
}

/** The bytes tailProcess*Log returns, as an offset and a length into the file. */
export interface TailWindow {
  readonly start: number;
  readonly length: number;
  /** Always the file size: where the next call should start. */
  readonly nextOffset: number;
  /** The file grew past offset + length since the caller's last read. */
  readonly overflow: boolean;
}

/**
 * tailProcess*Log, step by step as supervisor's tailFile: past offset+length the window jumps to the
 * end (overflow); a window reaching past the end is pulled back to end at the file's last byte; an
 * offset beyond the file gives nothing.
 */
export function tailWindow(size: number, offset: number, length: number): TailWindow {
  let overflow = false;
  if (size > offset + length) {
    overflow = true;
    offset = size - 1;
  }
  if (offset + length > size) {
    if (offset > size - 1) length = 0;
    offset = size - length;
  }
  if (offset < 0) offset = 0;
  if (length < 0) length = 0;
  return { start: offset, length, nextOffset: size, overflow };
}
