// Effect: an append-mode log file with supervisor's size-based rotation (spec §3.11), safe on pipes and ttys.
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { LogFileError, errnoCode, toLogFileError, type LogFileOp } from './log-file-error.js';
import type { LogWriter } from './log-writer.js';
import { rotationDue, rotationRenames } from './rotation-plan.js';

/** Where to write, supervisor's rotation settings, and who hears of errors. */
export interface LogFileOptions {
  readonly path: string;
  /** Rotate when the file reaches this many bytes; 0 never rotates. Ignored for non-regular targets. */
  readonly maxbytes: number;
  /** Rotated copies kept (`.1` … `.N`); 0 truncates in place on rotation. */
  readonly backups: number;
  /** Called when an error starts: not again for the same operation and code until that operation succeeds. */
  readonly onError?: ((error: LogFileError) => void) | undefined;
  /**
   * How the descriptor is closed once the log is (default: closeSync). The daemon hands it to the native
   * addon's thread: at a stop of 1,000 programs, 2,000 closes held up its one JavaScript thread.
   */
  readonly closeFd?: ((fd: number) => void) | undefined;
  /**
   * Where a regular file's big chunks are written, off this thread (default: here, as they come). The daemon
   * passes the native addon's: a child flooding its stdout then costs this thread the pipe's read, not the
   * file's write too.
   */
  readonly writer?: LogWriter | null | undefined;
}

/**
 * One append-mode log: rotated by size as supervisor's handlers do, never throwing (a failed write drops
 * its bytes and is reported through `onError`).
 */
export interface LogFile {
  readonly path: string;
  /**
   * True for a regular file; false for a pipe, tty, socket or device, and for a descriptor's name such as
   * /dev/stdout whatever it reaches: those are never rotated or unlinked.
   */
  readonly regular: boolean;
  /** Bytes in the current file as counted by this writer (0 for non-regular targets). */
  readonly size: number;
  /** The most recent error, until every failing operation has succeeded again. */
  readonly lastError: LogFileError | null;
  /** Bytes dropped because the target failed or stayed full. */
  readonly droppedBytes: number;
  /**
   * Appends the whole chunk, then rotates if due. Never throws. With a `writer`, a big chunk may be written after
   * write() returns: the caller must not change it afterwards (the daemon's chunks are fresh Buffers).
   */
  write(chunk: Buffer | string): void;
  /** Closes and reopens in append mode (SIGUSR2, external logrotate). Returns the failure instead of throwing. */
  reopen(): LogFileError | null;
  /**
   * Deletes the file and reopens it empty (clearProcessLogs, clearLog); rotated copies stay. A non-regular
   * target is never unlinked: only output still queued for it is dropped. Returns the failure, never throws.
   */
  clear(): LogFileError | null;
  close(): void;
}

// The standard streams can be sockets (systemd, docker), which open(2) refuses with ENXIO: write to our own fd.
const INHERITED_FDS: ReadonlyMap<string, number> = new Map([
  ['/dev/stdout', 1],
  ['/dev/stderr', 2],
  ['/dev/fd/1', 1],
  ['/dev/fd/2', 2],
  ['/proc/self/fd/1', 1],
  ['/proc/self/fd/2', 2],
]);

/**
 * A name of one of the process's own descriptors (/dev/stdout, /dev/fd/1, /proc/self/fd/2, ...): a symlink that
 * resolves, in each process, to whatever that descriptor is. When the daemon's stdout is a regular file (a
 * shell's `>> out.log`), rotating or clearing by this name would rename or unlink the system's /dev/stdout link
 * itself and leave a regular file in its place, for every process on the machine.
 */
const DESCRIPTOR_NAME = /^\/(dev\/(stdout|stderr|fd\/\d+)|proc\/self\/fd\/\d+)$/;

/** Whether `a` and `b` are one regular file (the same inode); false when either cannot be read. */
function sameRegularFile(a: number, b: number): boolean {
  try {
    const x = fstatSync(a);
    const y = fstatSync(b);
    return x.isFile() && x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/** Whether `path` is a file this writer may rotate or unlink: a regular file not reached by a descriptor's name. */
function rotatable(path: string, isFile: boolean): boolean {
  return isFile && !DESCRIPTOR_NAME.test(path);
}

// O_NONBLOCK: a FIFO without a reader fails at once (ENXIO) instead of hanging the daemon in open(2),
// and a full pipe or tty returns EAGAIN instead of stalling every other process's output. O_NOCTTY: a
// terminal named as a log never becomes a detached daemon's controlling terminal (Linux gives none to a
// write-only open anyway; reading one back is where it mattered, stream-target.ts).
const APPEND =
  constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_NONBLOCK | constants.O_NOCTTY;
const TRUNCATE = APPEND | constants.O_TRUNC;
/** Output held for a full non-regular target before new chunks are dropped. */
const QUEUE_LIMIT = 4 * 1024 * 1024;
const RETRY_MS = 20;
/** PIPE_BUF on Linux: a write of at most this many bytes to a pipe is never interleaved with another. */
const ATOMIC = 4096;
/** How long an unfinished line waits for its end before it is written as it is (a prompt, a progress bar). */
const PARTIAL_MS = 100;
/** How long a closed log keeps writing what a full pipe held before dropping it. */
const LINGER_MS = 10_000;
/** Closed logs still writing what a full pipe held; each resolves once written or given up. */
const lingering = new Set<Promise<void>>();

/** The files with writes queued on a LogWriter, by token: who hears of a queued write's outcome. */
const queuedFiles = new Map<number, RotatingLogFile>();
const hookedWriters = new Set<LogWriter>();
let lastToken = 0;

function hook(writer: LogWriter): void {
  if (hookedWriters.has(writer)) return;
  hookedWriters.add(writer);
  writer.onWritten((token, code, dropped) => queuedFiles.get(token)?.written(code, dropped));
}

/**
 * Returns once every write queued on a LogWriter is in its file: for a read of a log (readProcessStdoutLog, a
 * tail) that must see what the process wrote before it.
 */
export function settleLogWrites(): void {
  for (const writer of hookedWriters) writer.wait(-1);
}

/** Resolves once every closed log has written (or given up) what a full pipe held at its close. */
export function lingeringWrites(): Promise<void> {
  return Promise.all([...lingering]).then(() => undefined);
}

/**
 * Opens `path` for appending (creating it), detecting once whether it is a regular file.
 * Throws a LogFileError (op `open`) when the file cannot be opened; every later failure is
 * recorded in `lastError` and reported through `onError` instead of thrown.
 */
export function openLogFile(options: LogFileOptions): LogFile {
  return new RotatingLogFile(options);
}

/**
 * clearProcessLogs on a log file no process has open: a regular file is deleted and created again empty, as
 * an open one is; a missing file stays missing and a non-regular target (a pipe, a tty) is left alone.
 * Returns the failure instead of throwing.
 */
export function clearClosedLogFile(path: string): LogFileError | null {
  try {
    if (!rotatable(path, statSync(path).isFile())) return null;
  } catch (error) {
    return errnoCode(error) === 'ENOENT' ? null : toLogFileError('clear', path, error);
  }
  try {
    unlinkSync(path);
    closeSync(openSync(path, APPEND, 0o666));
    return null;
  } catch (error) {
    return toLogFileError('clear', path, error);
  }
}

class RotatingLogFile implements LogFile {
  readonly path: string;
  readonly regular: boolean;
  size = 0;
  lastError: LogFileError | null = null;
  droppedBytes = 0;
  readonly #maxbytes: number;
  readonly #backups: number;
  readonly #onError: ((error: LogFileError) => void) | undefined;
  readonly #closeLast: (fd: number) => void;
  #fd = -1;
  /** False when the fd is the daemon's own stdout/stderr, which we must never close. */
  #owned = true;
  #closed = false;
  #queue: Buffer[] = [];
  /** A non-regular target's unfinished last line, held until its end comes (see #wholeLines). */
  #partial: Buffer | null = null;
  #partialTimer: NodeJS.Timeout | null = null;
  #queuedBytes = 0;
  #retry: NodeJS.Timeout | null = null;
  /** Ops currently failing, with their errno code: an error is reported when it starts, not on every write. */
  // Created on the first failure: a daemon holds two log files per process, and most never fail.
  #failing: Map<LogFileOp, string> | null = null;
  /** Set for a regular file when the options name a writer. */
  readonly #writer: LogWriter | null = null;
  /** This file's last write queued on #writer (0: none yet), and its name there. */
  #lastQueued = 0;
  readonly #token = ++lastToken;

  constructor(options: LogFileOptions) {
    this.path = options.path;
    this.#maxbytes = options.maxbytes;
    this.#backups = options.backups;
    this.#onError = options.onError;
    this.#closeLast = options.closeFd ?? closeSync;
    const inherited = INHERITED_FDS.get(this.path);
    try {
      this.#fd = openSync(this.path, APPEND, 0o666);
    } catch (error) {
      if (inherited === undefined || errnoCode(error) !== 'ENXIO')
        throw toLogFileError('open', this.path, error);
      this.#fd = inherited;
      this.#owned = false;
    }
    if (this.#owned && inherited !== undefined && sameRegularFile(this.#fd, inherited)) {
      // The daemon's stdout is a regular file (`svd daemon -n > out.log`, systemd's StandardOutput=file:).
      // Opened anew, the name is a second file position: the daemon's own lines, written at its stdout's
      // position, overwrote what the programs appended (supervisord loses those lines so). One position.
      closeSync(this.#fd);
      this.#fd = inherited;
      this.#owned = false;
    }
    try {
      const stat = fstatSync(this.#fd);
      this.regular = rotatable(this.path, stat.isFile());
      if (this.regular) {
        this.size = stat.size;
        this.#writer = options.writer ?? null;
        if (this.#writer) hook(this.#writer);
      }
    } catch (error) {
      this.#closeFd();
      throw toLogFileError('open', this.path, error);
    }
  }

  write(chunk: Buffer | string): void {
    if (this.#closed) return;
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (data.length === 0) return;
    this.#emit(this.regular ? data : this.#wholeLines(data));
  }

  /**
   * For a pipe, terminal or socket, which several programs share (`docker logs`): the whole lines of what came
   * so far. An unfinished last line waits for its end, PARTIAL_MS at most: a child's output is read in chunks
   * that end anywhere, and written as they came, a line of one program was cut by another's (supervisord's
   * `web: GET /indexworker: job 12 done` in `docker logs`).
   */
  #wholeLines(data: Buffer): Buffer {
    if (this.#partial) {
      data = Buffer.concat([this.#partial, data]);
      this.#partial = null;
    }
    const end = data.lastIndexOf(0x0a) + 1;
    if (end === data.length || data.length - end >= ATOMIC) {
      if (this.#partialTimer) clearTimeout(this.#partialTimer);
      this.#partialTimer = null;
      return data;
    }
    // A copy: the caller may reuse its buffer once write() returns.
    this.#partial = Buffer.from(data.subarray(end));
    this.#partialTimer ??= setTimeout(() => {
      this.#partialTimer = null;
      this.#flushPartial();
    }, PARTIAL_MS).unref();
    return data.subarray(0, end);
  }

  #flushPartial(): void {
    if (this.#partialTimer) clearTimeout(this.#partialTimer);
    this.#partialTimer = null;
    const rest = this.#partial;
    this.#partial = null;
    if (rest && !this.#closed) this.#emit(rest);
  }

  #emit(data: Buffer): void {
    if (data.length === 0) return;
    if (this.#fd < 0 && !this.#open('reopen', APPEND)) {
      this.droppedBytes += data.length;
      return;
    }
    if (this.#queue.length > 0) {
      this.#enqueue(data);
      return;
    }
    const written = this.#writer && this.#handOver(data) ? data.length : this.#writeAll(data);
    if (this.regular) {
      this.size += written;
      if (rotationDue(this.size, this.#maxbytes)) this.#rotate();
    }
  }

  /** Queues `data` on the writer; false when it is to be written here, now. */
  #handOver(data: Buffer): boolean {
    const writer = this.#writer!;
    const seq = writer.write(
      this.#fd,
      data,
      this.#lastQueued,
      this.#token,
      this.#failing?.has('write') === true,
    );
    if (seq === 0) return false;
    if (this.#lastQueued === 0) queuedFiles.set(this.#token, this);
    this.#lastQueued = seq;
    return true;
  }

  /** From the writer: a queued write failed (`code`, `dropped` bytes lost), or was written whole (null). */
  written(code: string | null, dropped: number): void {
    if (code === null) {
      this.#ok('write');
      return;
    }
    this.droppedBytes += dropped;
    this.size = Math.max(0, this.size - dropped);
    this.#fail('write', Object.assign(new Error(`${code}: write`), { code }));
  }

  /** Waits until what this file queued on the writer is in it: before its size is read, it moves, or it closes. */
  #settle(): void {
    if (this.#lastQueued > 0) this.#writer!.wait(this.#lastQueued);
  }

  reopen(): LogFileError | null {
    if (this.#closed || !this.#owned) return null;
    this.#settle();
    this.#closeFd();
    return this.#open('reopen', APPEND) ? null : this.lastError;
  }

  clear(): LogFileError | null {
    if (this.#closed) return null;
    this.#dropQueue();
    if (!this.regular) return null;
    this.#settle();
    this.#closeFd();
    let failure: LogFileError | null = null;
    try {
      unlinkSync(this.path);
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') failure = this.#fail('clear', error);
    }
    if (!this.#open('clear', APPEND)) return this.lastError;
    return failure;
  }

  close(): void {
    if (this.#closed) return;
    this.#flushPartial();
    if (this.#queue.length > 0) this.#drain();
    this.#closed = true;
    // A process's output is in its file by the time its end is told (its exit, a tail after it). The wait tells
    // the outcomes of its writes before it returns: a failure of the last is counted while the token is known.
    this.#settle();
    queuedFiles.delete(this.#token);
    // Output a full pipe still holds (a program's last lines, its stop) is written as the pipe drains, for a
    // while: dropped at once, a container's last lines before `docker stop` went missing from `docker logs`.
    if (this.#queue.length > 0 && this.#fd >= 0) this.#linger();
    else {
      this.#dropQueue();
      this.#closeFd(true);
    }
  }

  /** After close: keeps draining the queue (the retry timer runs on) until it is empty or LINGER_MS pass. */
  #linger(): void {
    const deadline = performance.now() + LINGER_MS;
    const done = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (this.#queue.length > 0 && performance.now() < deadline) return;
        clearInterval(poll);
        this.#dropQueue();
        this.#closeFd(true);
        lingering.delete(done);
        resolve();
      }, RETRY_MS).unref();
    });
    lingering.add(done);
  }

  /**
   * Writes until done, a full non-regular target (rest queued) or an error (rest dropped). To a pipe, whole
   * lines of at most ATOMIC bytes at a time: such a write is all or nothing, so when the pipe fills, what is
   * queued starts at a line, and no other program's output lands inside one of this program's lines.
   */
  #writeAll(data: Buffer): number {
    let offset = 0;
    while (offset < data.length) {
      let end = data.length;
      if (!this.regular && end - offset > ATOMIC) {
        const newline = data.lastIndexOf(0x0a, offset + ATOMIC - 1);
        end = newline >= offset ? newline + 1 : offset + ATOMIC;
      }
      try {
        offset += writeSync(this.#fd, data, offset, end - offset);
      } catch (error) {
        const code = errnoCode(error);
        if (code === 'EINTR') continue;
        if (code === 'EAGAIN' && !this.regular) this.#enqueue(data.subarray(offset));
        else {
          this.droppedBytes += data.length - offset;
          this.#fail('write', error);
        }
        return offset;
      }
    }
    this.#ok('write');
    return offset;
  }

  #rotate(): void {
    this.#settle();
    // A copytruncate by an external logrotate shrinks the file under us: trust the file, not our counter.
    try {
      const actual = fstatSync(this.#fd).size;
      if (!rotationDue(actual, this.#maxbytes)) {
        this.size = actual;
        return;
      }
    } catch {
      // fall through: rotating is still the right answer when fstat fails
    }
    this.#closeFd();
    let renamed = true;
    for (const { from, to } of rotationRenames(this.path, this.#backups)) {
      try {
        renameSync(from, to);
      } catch (error) {
        if (errnoCode(error) === 'ENOENT') continue;
        renamed = false;
        this.#fail('rotate', error);
        break;
      }
    }
    // If the current file could not be moved aside, truncating it would lose its bytes: append instead,
    // and count from zero so the next attempt comes after another maxbytes rather than on every write.
    if (!this.#open('rotate', renamed ? TRUNCATE : APPEND)) return;
    if (renamed) this.#ok('rotate');
    else this.size = 0;
  }

  /** Opens the path into #fd; on failure records the error and leaves #fd at -1. */
  #open(op: LogFileOp, flags: number): boolean {
    if (!this.#owned) return true;
    try {
      this.#fd = openSync(this.path, flags, 0o666);
      this.size = this.regular ? fstatSync(this.#fd).size : 0;
      // The file is open again, so earlier open failures are over; a rotation failure lasts until one succeeds.
      this.#ok('reopen');
      this.#ok('clear');
      return true;
    } catch (error) {
      this.#closeFd();
      this.#fail(op, error);
      return false;
    }
  }

  /** `last`: the log is closed for good, and the descriptor goes to `closeFd`. */
  #closeFd(last = false): void {
    if (this.#fd >= 0 && this.#owned) {
      try {
        (last ? this.#closeLast : closeSync)(this.#fd);
      } catch {
        // the fd is gone either way
      }
    }
    if (this.#owned) this.#fd = -1;
  }

  #enqueue(data: Buffer): void {
    if (this.#queuedBytes + data.length > QUEUE_LIMIT) {
      this.droppedBytes += data.length;
      this.#fail('write', Object.assign(new Error('target stayed full, output dropped'), { code: 'EAGAIN' }));
      return;
    }
    // Copy: the caller may reuse its buffer once write() returns.
    this.#queue.push(Buffer.from(data));
    this.#queuedBytes += data.length;
    this.#retry ??= setTimeout(() => {
      this.#retry = null;
      this.#drain();
    }, RETRY_MS).unref();
  }

  #drain(): void {
    const pending = this.#queue;
    this.#queue = [];
    this.#queuedBytes = 0;
    if (this.#fd < 0) {
      for (const chunk of pending) this.droppedBytes += chunk.length;
      return;
    }
    for (let i = 0; i < pending.length; i++) {
      const chunk = pending[i]!;
      this.#writeAll(chunk);
      if (this.#queue.length > 0) {
        // Still full: keep the rest behind what #writeAll just queued, in order.
        for (const rest of pending.slice(i + 1)) this.#enqueue(rest);
        return;
      }
    }
  }

  #dropQueue(): void {
    // Every close comes here, two per exit in a stop of all: no new array and no iterator for an empty queue.
    const queue = this.#queue;
    if (queue.length > 0) {
      for (let i = 0; i < queue.length; i++) this.droppedBytes += queue[i]!.length;
      this.#queue = [];
    }
    this.#queuedBytes = 0;
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
  }

  #fail(op: LogFileOp, error: unknown): LogFileError {
    const failure = toLogFileError(op, this.path, error);
    this.lastError = failure;
    this.#failing ??= new Map();
    if (this.#failing.get(op) === failure.code) return failure;
    this.#failing.set(op, failure.code);
    this.#onError?.(failure);
    return failure;
  }

  #ok(op: LogFileOp): void {
    if (!this.#failing?.delete(op)) return;
    if (this.#failing.size === 0) this.lastError = null;
  }
}
