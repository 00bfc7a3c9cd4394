// Effect: the byte reads behind readLog, readProcess*Log and tailProcess*Log (spec §4.5).
import { open, stat } from 'node:fs/promises';
import { LogFileError, toLogFileError } from './log-file-error.js';
import { readWindow, tailWindow } from './tail-window.js';

export type ReadLogFault = 'BAD_ARGUMENTS' | 'NO_FILE' | 'FAILED';

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
 * a file that exists but cannot be read is FAILED; bad offsets are BAD_ARGUMENTS.
 */
export async function readLogSlice(path: string, offset: number, length: number): Promise<ReadLogResult> {
  if (!(await exists(path))) return { ok: false, fault: 'NO_FILE', detail: path };
  try {
    const file = await open(path, 'r');
    try {
      const { size } = await file.stat();
      const window = readWindow(size, offset, length);
      if (!window.ok) return { ok: false, fault: window.fault, detail: null };
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
 * that exists but cannot be read gives `['', offset, false]`, as supervisor's tailFile does.
 */
export async function tailLog(path: string, offset: number, length: number): Promise<TailResult> {
  if (!(await exists(path))) return ['', 0, false];
  try {
    const file = await open(path, 'r');
    try {
      const { size } = await file.stat();
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
