// Effect: everything that happens to one channel (stdout or stderr) of one process's output, in
// supervisor's order: capture-mode scan, strip_ansi, the log file, syslog, the main log at debug.
import type { Channel } from './auto-log-name.js';
import { createAnsiStripper, stripAnsi, type AnsiStripper } from './ansi-stripper.js';
import { createCaptureScanner, type CaptureScanner } from './capture-scanner.js';
import { childOutputMessage, commEventMessage, listenerOutputMessage } from './child-output-message.js';
import type { DaemonLog } from './daemon-log.js';
import { clearClosedLogFile, openLogFile, type LogFile } from './log-file.js';
import { toLogFileError, type LogFileError } from './log-file-error.js';
import type { LogWriter } from './log-writer.js';
import { createChildSyslogWriter, type ChildSyslogWriter } from './syslog-lines.js';
import type { SyslogSink } from './syslog-sink.js';

/** One channel's settings and where its output goes besides the file. */
export interface ChannelLogOptions {
  readonly processName: string;
  readonly channel: Channel;
  /** The log file (AUTO already resolved by autoLogPath), or null for NONE. */
  readonly logfile: string | null;
  readonly maxbytes: number;
  readonly backups: number;
  /** `[supervisord] strip_ansi`. */
  readonly stripAnsi: boolean;
  /** `<channel>_capture_maxbytes`; > 0 enables capture mode. */
  readonly captureMaxbytes: number;
  /** `<channel>_syslog=true`: the shared sink. */
  readonly syslog?: SyslogSink | null | undefined;
  /** Child output is copied into the main log when it is at debug or lower. */
  readonly mainLog?: DaemonLog | null | undefined;
  /**
   * Whether this is an event listener's stdout (asked at each write: the pool is known only after the logs are
   * made). If so, the main log gets each chunk as read, before strip_ansi, as a bytes repr (supervisor's
   * listener dispatcher), instead of the decoded text, and the file gets every byte: no capture mode, syslog or
   * PROCESS_LOG events, whatever the channel's settings say.
   */
  readonly listenerStdout?: (() => boolean) | undefined;
  /** A completed capture block: the data of a PROCESS_COMMUNICATION_<CHANNEL> event. */
  readonly onCapture?: ((data: Buffer) => void) | undefined;
  /**
   * Output as logged (after capture splitting and strip_ansi), and the bytes of a capture block as they come: the
   * data of a PROCESS_LOG_<CHANNEL> event.
   */
  readonly onLogged?: ((data: Buffer) => void) | undefined;
  readonly onError?: ((error: LogFileError) => void) | undefined;
  /** How the file's descriptor is closed once the log is (LogFileOptions.closeFd). */
  readonly closeFd?: ((fd: number) => void) | undefined;
  /** Where the file's big chunks are written (LogFileOptions.writer). */
  readonly writer?: LogWriter | null | undefined;
}

/**
 * One channel's log over the runs of its process. Like supervisor's dispatchers, the file is opened (and so
 * created) when a run starts and closed when its output ends: a process never started has no file.
 */
export interface ChannelLog {
  /** The log file's path, null for NONE. */
  readonly path: string | null;
  /** The log file while it is open (between open and close), for its size and error state. */
  readonly file: LogFile | null;
  /**
   * Opens the file in append mode, creating it, for a run of the process (a no-op when open or NONE).
   * Returns the failure (the spawn's `unknown error making dispatchers` case) instead of throwing.
   */
  open(): LogFileError | null;
  /** Goes to the file while it is open; capture, syslog, the main log and events get it either way. */
  write(chunk: Buffer): void;
  /** The child's output ended (pipe closed): send held-back bytes and partial syslog lines. */
  endOfOutput(): void;
  /** SIGUSR2: closes and reopens an open file; a closed one stays closed (supervisor has no handler then). */
  reopen(): LogFileError | null;
  /**
   * clearProcessLogs: empties the capture buffer and the file. An open file is deleted and reopened empty; a
   * closed one is emptied if it exists and never created (supervisor does nothing then: its issue #804).
   * Returns the failure (also reported through onError), null when the file was emptied or there is none.
   */
  clear(): LogFileError | null;
  /** Closes the file until the next open (the run ended, or the process is removed). */
  close(): void;
}

/** The channel's log; nothing is opened until `open()`. */
export function createChannelLog(options: ChannelLogOptions): ChannelLog {
  return new ChannelLogImpl(options);
}

// A class, not a closure per method: a daemon holds two of these per process, and thousands of processes.
class ChannelLogImpl implements ChannelLog {
  readonly path: string | null;
  file: LogFile | null = null;
  readonly #options: ChannelLogOptions;
  readonly #scanner: CaptureScanner | null;
  readonly #stripper: AnsiStripper | null;
  readonly #toSyslog: ChildSyslogWriter | null;

  constructor(options: ChannelLogOptions) {
    this.#options = options;
    this.path = options.logfile;
    this.#scanner = options.captureMaxbytes > 0 ? createCaptureScanner(options.captureMaxbytes) : null;
    this.#stripper = options.stripAnsi ? createAnsiStripper() : null;
    const syslog = options.syslog ?? null;
    this.#toSyslog = syslog
      ? createChildSyslogWriter(options.processName, (message) => syslog.send(message))
      : null;
  }

  open(): LogFileError | null {
    const o = this.#options;
    if (this.file !== null || o.logfile === null) return null;
    try {
      this.file = openLogFile({
        path: o.logfile,
        maxbytes: o.maxbytes,
        backups: o.backups,
        onError: o.onError,
        closeFd: o.closeFd,
        writer: o.writer,
      });
      return null;
    } catch (error) {
      return toLogFileError('open', o.logfile, error);
    }
  }

  write(chunk: Buffer): void {
    if (chunk.length === 0) return;
    const o = this.#options;
    if (o.listenerStdout?.() === true) {
      // The protocol channel: supervisor's listener dispatcher has no capture mode (its file keeps the bytes).
      if (o.mainLog?.enabled('debug')) o.mainLog.debug(listenerOutputMessage(o.processName, chunk));
      this.#log(chunk);
    } else if (this.#scanner) {
      this.#deliver(this.#scanner.push(chunk));
    } else {
      this.#log(chunk);
    }
  }

  endOfOutput(): void {
    if (this.#scanner) this.#deliver(this.#scanner.flush());
    if (this.#stripper) this.#emit(this.#stripper.flush());
    this.#toSyslog?.flush();
  }

  reopen(): LogFileError | null {
    return this.file?.reopen() ?? null;
  }

  clear(): LogFileError | null {
    this.#scanner?.clear();
    if (this.file) return this.file.clear();
    const failure = this.path === null ? null : clearClosedLogFile(this.path);
    // An open file's failure is reported by the file itself.
    if (failure) this.#options.onError?.(failure);
    return failure;
  }

  close(): void {
    this.file?.close();
    this.file = null;
  }

  #emit(data: Buffer): void {
    if (data.length === 0) return;
    const o = this.#options;
    this.file?.write(data);
    // A listener's stdout goes to its file alone (its reads reached the main log in write): supervisor's
    // listener dispatcher has no syslog handler and sends no PROCESS_LOG events.
    if (o.listenerStdout?.() === true) return;
    this.#toSyslog?.write(data);
    if (o.mainLog?.enabled('debug')) o.mainLog.debug(childOutputMessage(o.processName, o.channel, data));
    o.onLogged?.(data);
  }

  #log(raw: Buffer): void {
    this.#emit(this.#stripper ? this.#stripper.push(raw) : raw);
  }

  #deliver(pieces: ReturnType<CaptureScanner['push']>): void {
    const o = this.#options;
    for (const piece of pieces) {
      if (piece.kind === 'log') {
        this.#log(piece.data);
      } else if (piece.kind === 'captured') {
        // supervisor logs a block's bytes as they come through its capture logger: not to the file or syslog,
        // but to the main log at debug and to PROCESS_LOG events, whole, before capture_maxbytes drops any.
        const data = o.stripAnsi ? stripAnsi(piece.data) : piece.data;
        if (data.length === 0) continue;
        if (o.mainLog?.enabled('debug') && o.listenerStdout?.() !== true) {
          o.mainLog.debug(childOutputMessage(o.processName, o.channel, data));
        }
        o.onLogged?.(data);
      } else {
        o.onCapture?.(o.stripAnsi ? stripAnsi(piece.data) : piece.data);
        if (o.mainLog?.enabled('debug')) {
          o.mainLog.debug(commEventMessage(o.processName, o.channel));
        }
      }
    }
  }
}
