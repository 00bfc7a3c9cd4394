// Effect: supervisord's main activity log (spec §3.11): a rotating file or syslog, optionally echoed to stdout.
import type { Writable } from 'node:stream';
import { existsSync, fstatSync, statSync } from 'node:fs';
import { levelEnabled, formatLogLine, type LogLevelName } from './log-levels.js';
import { openLogFile, type LogFile } from './log-file.js';
import { rotationDue } from './rotation-plan.js';
import type { LogFileError } from './log-file-error.js';
import { createSyslogSink, type SyslogSink } from './syslog-sink.js';
import { daemonSyslogMessages } from './syslog-lines.js';

/** The main log's [supervisord] settings and where else its records go. */
export interface DaemonLogOptions {
  /** The `logfile=` value: a path, `syslog`, or null for no log file (echo only). */
  readonly path: string | null;
  readonly maxbytes: number;
  readonly backups: number;
  readonly level: LogLevelName;
  /** Foreground mode without `silent`: every record is also written here (usually process.stdout). */
  readonly echo?: Writable | undefined;
  /** For `logfile=syslog`; created on demand when absent. */
  readonly syslog?: SyslogSink | undefined;
  /** Clock for timestamps; tests pass a fixed one. */
  readonly now?: (() => Date) | undefined;
  /** Errors writing the file after it opened (ENOSPC, rotation failure), reported once per episode. */
  readonly onError?: ((error: LogFileError) => void) | undefined;
}

/** clearLog's outcome: NO_FILE when no log file exists, FAILED (with the OS error) when clearing failed. */
export type ClearLogResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly fault: 'NO_FILE' | 'FAILED'; readonly error?: LogFileError | undefined };

/**
 * supervisord's main log: records at or above `level`, each `<asctime> <LEVL> <message>`, to the file (or
 * syslog) and the echo stream. File and echo get them once per turn of the event loop, or at `flush`.
 */
export interface DaemonLog {
  /**
   * The log file's path; null for syslog or no file (readLog and clearLog then answer NO_FILE). Reading it
   * writes the pending records first, so whoever reads the file next sees every record logged so far.
   */
  readonly path: string | null;
  readonly level: LogLevelName;
  setLevel(level: LogLevelName): void;
  /** Whether a record at `level` would be written (child output goes to the main log only at debug). */
  enabled(level: LogLevelName): boolean;
  critical(message: string): void;
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
  trace(message: string): void;
  blather(message: string): void;
  log(level: LogLevelName, message: string): void;
  /** Writes the pending records now (they are otherwise written at the end of the event loop's turn). */
  flush(): void;
  /** SIGUSR2: close and reopen the file in append mode. */
  reopen(): LogFileError | null;
  /** clearLog: logs `reopening log file`, deletes the file and reopens it empty. */
  clear(): ClearLogResult;
  close(): Promise<void>;
}

const guarded = new WeakSet<Writable>();

/** Lines held for one write at most: enough to make a write per line rare, few enough to die young. */
const BATCH_LINES = 64;

/** A closed stdout (EPIPE) must not bring the daemon down: the echo is a courtesy. Once per stream, across reloads. */
export function ignoreStreamErrors(stream: Writable): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on('error', () => {});
}

/**
 * Whether the log file `path` is what `stream` writes to: `logfile=/dev/stdout` (or the file the daemon's
 * stdout is redirected to) under `-n`. supervisord then writes every record twice to it, once as the file and
 * once as the echo; in a container each line of `docker logs` came out twice.
 */
function sameFile(path: string, stream: Writable | undefined): boolean {
  const fd = (stream as { fd?: unknown } | undefined)?.fd;
  if (typeof fd !== 'number') return false;
  try {
    const a = statSync(path);
    const b = fstatSync(fd);
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false;
  }
}

/** Opens the main log. Throws a LogFileError when the log file cannot be opened (supervisord cannot start). */
export function createDaemonLog(options: DaemonLogOptions): DaemonLog {
  // One Date, set at each record and read only while it is formatted: a new Date per record was ~0.2 MB of a
  // stop of all 1,000 (its 2,000 lines).
  const clock = new Date();
  const now = options.now ?? (() => (clock.setTime(Date.now()), clock));
  const toSyslog = options.path === 'syslog';
  const path = toSyslog ? null : options.path;
  const file: LogFile | null =
    path === null
      ? null
      : openLogFile({ path, maxbytes: options.maxbytes, backups: options.backups, onError: options.onError });
  let syslog: SyslogSink | null = toSyslog ? (options.syslog ?? createSyslogSink()) : null;
  const echo = path !== null && sameFile(path, options.echo) ? undefined : options.echo;
  if (echo) ignoreStreamErrors(echo);
  let threshold = options.level;

  // Records are written once per turn of the event loop, not one write(2) each: a stop of 1,000 processes
  // logs 2,000 lines, and writing them one by one (to the file and to stdout) took a third of its time. A
  // microtask would flush after every callback, and each child's exit is a callback of its own, so the flush
  // waits for the turn's check phase (setImmediate). Whoever reads the file calls flush() first (the
  // readers go through `path`), and the exit hook writes the lines of a job that ends the process.
  let pending: string[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending.length === 0) return;
    const lines = pending;
    pending = [];
    if (echo && !echo.destroyed) echo.write(lines.length === 1 ? lines[0]! : lines.join(''));
    if (file) writeLines(file, lines, options.maxbytes);
  };
  process.on('exit', flush);

  const log = (level: LogLevelName, message: string): void => {
    if (!levelEnabled(level, threshold)) return;
    const date = now();
    if (echo || file) {
      // A batch is written once it is large, not only at the end of the turn: a stop of 1,000 processes logs
      // 1,000 lines in its first turn, and lines held that long outlived every scavenge of the turn, so V8
      // copied them twice and promoted them (~0.5 MB of the stop's ~5 MB of survivors).
      if (pending.push(formatLogLine(date, level, message)) >= BATCH_LINES) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    }
    if (syslog) for (const m of daemonSyslogMessages(date, level, message)) syslog.send(m);
  };

  return {
    get path() {
      flush();
      return path;
    },
    get level() {
      return threshold;
    },
    setLevel(level) {
      threshold = level;
    },
    enabled: (level) => levelEnabled(level, threshold),
    critical: (m) => log('critical', m),
    error: (m) => log('error', m),
    warn: (m) => log('warn', m),
    info: (m) => log('info', m),
    debug: (m) => log('debug', m),
    trace: (m) => log('trace', m),
    blather: (m) => log('blather', m),
    log,
    flush,
    reopen() {
      flush();
      return file?.reopen() ?? null;
    },
    clear() {
      if (!file || !existsSync(file.path)) return { ok: false, fault: 'NO_FILE' };
      log('info', 'reopening log file');
      flush();
      const error = file.clear();
      return error ? { ok: false, fault: 'FAILED', error } : { ok: true };
    },
    async close() {
      flush();
      process.removeListener('exit', flush);
      file?.close();
      const sink = syslog;
      syslog = null;
      // A sink passed in belongs to the caller.
      if (sink && !options.syslog) await sink.close();
    },
  };
}

/**
 * Appends a turn's records, rotating where writing them one at a time would have: after the record that
 * brings the file to maxbytes, as supervisor's handler does.
 */
function writeLines(file: LogFile, lines: readonly string[], maxbytes: number): void {
  if (!file.regular || maxbytes <= 0) {
    file.write(lines.length === 1 ? lines[0]! : lines.join(''));
    return;
  }
  let group = '';
  let size = file.size;
  for (const line of lines) {
    group += line;
    size += Buffer.byteLength(line);
    if (rotationDue(size, maxbytes)) {
      file.write(group);
      group = '';
      size = file.size;
    }
  }
  if (group !== '') file.write(group);
}
