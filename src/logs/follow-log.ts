// Effect: follows a growing log file for the /logtail and /mainlogtail endpoints (spec §4.7).
import { closeSync, fstatSync, openSync, readSync, statSync, watch, type FSWatcher } from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { toLogFileError } from './log-file-error.js';
import { settleLogWrites } from './log-file.js';
import { LOG_READ_FLAGS, streamKind } from './stream-target.js';

/** What a follower sends when the file shrank: it then goes on from the file's new start. */
export const TRUNCATED_MARKER = '==> File truncated <==\n';

/** How followLog reads; every field has supervisor's default. */
export interface FollowOptions {
  /** How much of the existing file to send first (the whole file if smaller). Default 1024, as supervisor. */
  readonly initialBytes?: number;
  /** Fallback poll while fs.watch is quiet or unavailable, in ms. Default 1000. */
  readonly pollMs?: number;
  /** Poll while the file is missing (between a rotation's rename and the new file), in ms. Default 100. */
  readonly missingPollMs?: number;
}

/**
 * Receives each piece of the followed file in order. Return a promise to apply backpressure
 * (for instance one that resolves on the response's 'drain'): nothing more is read until it settles.
 */
export type FollowListener = (chunk: Buffer) => void | Promise<void>;

const READ_SIZE = 64 * 1024;
/** Bytes sent in one go before giving the event loop a turn. */
const BURST = 1024 * 1024;

/**
 * Sends the last `initialBytes` of `path`, then every appended chunk as it appears. A shrinking file
 * sends TRUNCATED_MARKER and continues from its start; a new inode at `path` (rotation, clear) is
 * reopened and sent from its start, after what the old file got since the last read (a rotation renames
 * the file right after the write that filled it); a deleted file is kept open until a new one appears.
 * A pipe, socket or terminal (`/dev/stdout` in a container, a FIFO) has nothing to read back: nothing is sent
 * and no descriptor is held, so a FIFO's writer still sees its real reader go.
 * Returns `stop`, which releases the fd, the watcher and the timer; no call to `onData` follows it.
 * Throws a LogFileError (op `open`) when the file cannot be opened.
 */
export function followLog(path: string, onData: FollowListener, options: FollowOptions = {}): () => void {
  const initialBytes = options.initialBytes ?? 1024;
  const pollMs = options.pollMs ?? 1000;
  const missingPollMs = options.missingPollMs ?? 100;

  let fd: number;
  let ino: number;
  let pos: number;
  // The first bytes sent are the file's end as the process wrote it, not as the log writer has got to it.
  settleLogWrites();
  try {
    fd = openSync(path, LOG_READ_FLAGS);
  } catch (error) {
    throw toLogFileError('open', path, error);
  }
  try {
    const st = fstatSync(fd);
    if (streamKind(st, fd) !== null) {
      closeSync(fd);
      return () => {};
    }
    ino = st.ino;
    pos = Math.max(0, st.size - initialBytes);
  } catch (error) {
    closeSync(fd);
    throw toLogFileError('open', path, error);
  }

  let stopped = false;
  let running = false;
  let rerun = false;
  let missing = false;
  let watcher: FSWatcher | null = null;
  let timer: NodeJS.Timeout | null = null;

  const unwatch = (): void => {
    watcher?.close();
    watcher = null;
  };
  const rewatch = (): void => {
    unwatch();
    try {
      watcher = watch(path, { persistent: false }, () => schedule());
      watcher.on('error', unwatch);
    } catch {
      watcher = null; // polling alone still works
    }
  };

  const arm = (): void => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(schedule, missing || !watcher ? missingPollMs : pollMs);
    timer.unref();
  };

  /** The file now at `path` when it is another than ours, else null; leaves the old fd alone meanwhile. */
  const renamedTo = (): number | null => {
    let current: number;
    try {
      current = statSync(path).ino;
    } catch {
      missing = true;
      return null;
    }
    missing = false;
    if (current === ino) return null;
    try {
      return openSync(path, LOG_READ_FLAGS);
    } catch {
      missing = true;
      return null;
    }
  };

  /** Sends what the open file holds beyond `pos`; a shrunk file first sends TRUNCATED_MARKER. */
  const sendRest = async (): Promise<void> => {
    const size = fstatSync(fd).size;
    if (size < pos) {
      pos = 0;
      await onData(Buffer.from(TRUNCATED_MARKER));
    }
    let burst = 0;
    while (!stopped && pos < size) {
      const buffer = Buffer.alloc(Math.min(READ_SIZE, size - pos));
      const n = readSync(fd, buffer, 0, buffer.length, pos);
      if (n === 0) break;
      pos += n;
      await onData(buffer.subarray(0, n));
      burst += n;
      if (burst >= BURST) {
        burst = 0;
        await yieldToLoop();
      }
    }
  };

  const step = async (): Promise<void> => {
    const next = renamedTo();
    if (next !== null) {
      try {
        // The old file's last lines first: they were written before the rename that made the new file.
        await sendRest();
      } catch (error) {
        closeSync(next);
        throw error;
      }
      // stop() came during the send and closed the old fd
      if (stopped) return void closeSync(next);
      closeSync(fd);
      fd = next;
      ino = fstatSync(fd).ino;
      pos = 0;
      rewatch();
    }
    await sendRest();
  };

  const run = async (): Promise<void> => {
    running = true;
    try {
      do {
        rerun = false;
        if (!stopped) await step();
      } while (rerun && !stopped);
    } catch {
      // A read error or a listener failure ends nothing: the next poll tries again.
    } finally {
      running = false;
      arm();
    }
  };

  function schedule(): void {
    if (stopped) return;
    if (running) rerun = true;
    else void run();
  }

  rewatch();
  // First delivery after followLog returns, so the caller holds `stop` before any data arrives.
  timer = setTimeout(schedule, 0);
  timer.unref();

  return () => {
    if (stopped) return;
    stopped = true;
    if (timer) clearTimeout(timer);
    timer = null;
    unwatch();
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  };
}
