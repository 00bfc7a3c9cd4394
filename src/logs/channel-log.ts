// Effect: everything that happens to one channel (stdout or stderr) of one process's output, in
// supervisor's order: capture-mode scan, strip_ansi, the log file, syslog, the main log at debug.
import type { Channel } from './auto-log-name.js';
import { createAnsiStripper, stripAnsi } from './ansi-stripper.js';
import { createCaptureScanner, type CaptureScanner } from './capture-scanner.js';
import { childOutputMessage } from './child-output-message.js';
import type { DaemonLog } from './daemon-log.js';
import { openLogFile, type LogFile } from './log-file.js';
import type { LogFileError } from './log-file-error.js';
import { createChildSyslogWriter, type ChildSyslogWriter } from './syslog-lines.js';
import type { SyslogSink } from './syslog-sink.js';

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
  /** A completed capture block: the data of a PROCESS_COMMUNICATION_<CHANNEL> event. */
  readonly onCapture?: ((data: Buffer) => void) | undefined;
  /** Output as logged (after capture and strip_ansi): the data of a PROCESS_LOG_<CHANNEL> event. */
  readonly onLogged?: ((data: Buffer) => void) | undefined;
  readonly onError?: ((error: LogFileError) => void) | undefined;
}

export interface ChannelLog {
  /** The log file's path, null for NONE. */
  readonly path: string | null;
  /** The open log file, for its size and error state. */
  readonly file: LogFile | null;
  write(chunk: Buffer): void;
  /** The child's output ended (pipe closed): send held-back bytes and partial syslog lines. */
  endOfOutput(): void;
  /**
   * The log file's descriptor for the child to write to itself, when nothing here needs the bytes: a regular
   * file with maxbytes 0, no capture, strip_ansi, syslog, onLogged or debug copy. null otherwise.
   */
  directFd(): number | null;
  reopen(): LogFileError | null;
  /** clearProcessLogs: empties the file and the capture buffer. */
  clear(): LogFileError | null;
  close(): void;
}

/** Opens the channel's log file (throws a LogFileError, the spawnerr case, when it cannot be opened). */
export function createChannelLog(options: ChannelLogOptions): ChannelLog {
  const file =
    options.logfile === null
      ? null
      : openLogFile({
          path: options.logfile,
          maxbytes: options.maxbytes,
          backups: options.backups,
          onError: options.onError,
        });
  const scanner: CaptureScanner | null =
    options.captureMaxbytes > 0 ? createCaptureScanner(options.captureMaxbytes) : null;
  const stripper = options.stripAnsi ? createAnsiStripper() : null;
  const syslog = options.syslog ?? null;
  const toSyslog: ChildSyslogWriter | null = syslog
    ? createChildSyslogWriter(options.processName, (message) => syslog.send(message))
    : null;
  const mainLog = options.mainLog ?? null;

  const emit = (data: Buffer): void => {
    if (data.length === 0) return;
    file?.write(data);
    toSyslog?.write(data);
    if (mainLog?.enabled('debug'))
      mainLog.debug(childOutputMessage(options.processName, options.channel, data));
    options.onLogged?.(data);
  };
  const log = (raw: Buffer): void => emit(stripper ? stripper.push(raw) : raw);

  const deliver = (pieces: ReturnType<CaptureScanner['push']>): void => {
    for (const piece of pieces) {
      if (piece.kind === 'log') log(piece.data);
      else options.onCapture?.(options.stripAnsi ? stripAnsi(piece.data) : piece.data);
    }
  };

  return {
    path: options.logfile,
    file,
    write(chunk) {
      if (chunk.length === 0) return;
      if (scanner) deliver(scanner.push(chunk));
      else log(chunk);
    },
    endOfOutput() {
      if (scanner) deliver(scanner.flush());
      if (stripper) emit(stripper.flush());
      toSyslog?.flush();
    },
    directFd() {
      if (file === null || options.maxbytes > 0 || scanner || stripper || toSyslog || options.onLogged)
        return null;
      if (mainLog?.enabled('debug')) return null;
      return file.shareFd();
    },
    reopen: () => file?.reopen() ?? null,
    clear() {
      scanner?.clear();
      return file?.clear() ?? null;
    },
    close() {
      file?.close();
    },
  };
}
