// Effect: the byte reads behind readLog, readProcess*Log and tailProcess*Log (spec §4.5).
import { open, stat } from 'node:fs/promises';
import { LogFileError, toLogFileError } from './log-file-error.js';
import { settleLogWrites } from './log-file.js';
import { LOG_READ_FLAGS, streamKind } from './stream-target.js';
import { readWindow, tailWindow } from './tail-window.js';

/** The faults a log read can end in, as readLog and tailProcess*Log raise them. */
export type ReadLogFault = 'BAD_ARGUMENTS' | 'NO_FILE' | 'FAILED';

/** The text read (UTF-8, malformed bytes replaced), or the fault with its faultString detail. */
export type ReadLogResult =
  | { readonly ok: true; readonly text: string }
  | {
      readonly ok: false;
      readonly fault: ReadLogFault;
      /** What supervisor puts after `FAULT: ` in the faultString: the path for NO_FILE, else null. */
      readonly detail: string | null;
      /** The OS error behind FAILED. */
      readonly error?: LogFileError | undefined;
    };

/**
 * The most bytes one read returns: 64 MiB, above the default logfile_maxbytes (50 MB), so readLog(0, 0) of
 * a log rotated by default still returns the whole file as in supervisor. A larger window would be built
 * three times over (the bytes, the string, the XML answer) and could exhaust the daemon's heap; supervisor
 * has no limit.
 */
export const MAX_LOG_READ_BYTES = 64 * 1024 * 1024;

/** `[text, nextOffset, overflow]`, the wire shape of tailProcessStdoutLog. */
export type TailResult = [text: string, nextOffset: number, overflow: boolean];

/**
 * Bytes decode as UTF-8 with U+FFFD for invalid or cut sequences. supervisor decodes strictly and
 * answers HTTP 500 when a window starts or ends inside a multi-byte character (spec §4.5): a deliberate
 * improvement, so `supervisorctl tail` works on CJK and binary logs.
 */
function decode(bytes: Buffer): string {
  return bytes.toString('utf8');
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * readLog's rules (see readWindow). A missing file is NO_FILE (checked first, as supervisor does);
 * a file that exists but cannot be read is FAILED, and so is a pipe, socket or terminal (`/dev/stdout` in a
 * container), which keeps nothing to read back (supervisor's seek there fails); bad offsets are BAD_ARGUMENTS.
 * A window larger than `maxBytes` is FAILED, with a detail that says how to read it in slices.
 */
export async function readLogSlice(
  path: string,
  offset: number,
  length: number,
  maxBytes = MAX_LOG_READ_BYTES,
): Promise<ReadLogResult> {
  settleLogWrites();
  if (!(await exists(path))) return { ok: false, fault: 'NO_FILE', detail: path };
  try {
    const file = await open(path, LOG_READ_FLAGS);
    try {
      const stats = await file.stat();
      const stream = streamKind(stats, file.fd);
      if (stream !== null) {
        const detail = `${path} is ${stream}: what is written there is not kept, so there is nothing to read back`;
        return { ok: false, fault: 'FAILED', detail };
      }
      const window = readWindow(stats.size, offset, length);
      if (!window.ok) return { ok: false, fault: window.fault, detail: null };
      const wanted = window.end - window.start;
      if (wanted > maxBytes) {
        const detail = `reading ${wanted} bytes at once is refused (limit ${maxBytes}); read in slices with offset and length`;
        return { ok: false, fault: 'FAILED', detail };
      }
      const bytes = Buffer.alloc(window.end - window.start);
      const { bytesRead } = await file.read(bytes, 0, bytes.length, window.start);
      return { ok: true, text: decode(bytes.subarray(0, bytesRead)) };
    } finally {
      await file.close();
    }
  } catch (error) {
    return { ok: false, fault: 'FAILED', detail: null, error: toLogFileError('read', path, error) };
  }
}

/**
 * tailProcessStdoutLog's algorithm (see tailWindow). A missing file gives `['', 0, false]`; a file
 * that exists but cannot be read, or a pipe, socket or terminal, gives `['', offset, false]`, as supervisor's
 * tailFile does. A `length`
 * above `maxBytes` is taken as `maxBytes`: the caller gets the last `maxBytes` bytes, as a tail would.
 */
export async function tailLog(
  path: string,
  offset: number,
  length: number,
  maxBytes = MAX_LOG_READ_BYTES,
): Promise<TailResult> {
  length = Math.min(length, maxBytes);
  settleLogWrites();
  if (!(await exists(path))) return ['', 0, false];
  try {
    const file = await open(path, LOG_READ_FLAGS);
    try {
      const stats = await file.stat();
      if (streamKind(stats, file.fd) !== null) return ['', offset, false];
      const size = stats.size;
      const window = tailWindow(size, offset, length);
      const wanted = Math.max(0, Math.min(window.length, size - window.start));
      if (wanted === 0) return ['', window.nextOffset, window.overflow];
      const bytes = Buffer.alloc(wanted);
      const { bytesRead } = await file.read(bytes, 0, wanted, window.start);
      return [decode(bytes.subarray(0, bytesRead)), window.nextOffset, window.overflow];
    } finally {
      await file.close();
    }
  } catch {
    return ['', offset, false];
  }
}
