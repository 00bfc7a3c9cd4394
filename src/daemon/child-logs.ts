// Glue: the engine's ChildLogFactory over src/logs channel logs (AUTO names, capture, strip_ansi, syslog).
import type { ProcessSpec, SupervisordSettings } from '../model/config.js';
import {
  autoLogPath,
  createChannelLog,
  type ChannelLog,
  type DaemonLog,
  type LogFileError,
  type LogWriter,
  type SyslogSink,
} from '../logs/index.js';
import type { ChildLogFactory, LogFailure, LogSink } from '../ports/log-sink.js';

/** What every process's channel logs share: [supervisord], the main log, syslog and the event hooks. */
export interface ChildLogContext {
  readonly supervisord: SupervisordSettings;
  readonly mainLog: DaemonLog;
  readonly syslog?: SyslogSink | undefined;
  /** A completed capture block (PROCESS_COMMUNICATION_<CHANNEL>). */
  readonly onCapture?: ((spec: ProcessSpec, channel: 'stdout' | 'stderr', data: Buffer) => void) | undefined;
  /** Output as logged, after capture and strip_ansi (PROCESS_LOG_<CHANNEL>). */
  readonly onLogged?: ((spec: ProcessSpec, channel: 'stdout' | 'stderr', data: Buffer) => void) | undefined;
  /** Whether the process is an event listener's (known once its group is added, after its logs are made). */
  readonly isListener?: ((spec: ProcessSpec) => boolean) | undefined;
  /** How a log's descriptor is closed once the log is (default: closeSync). */
  readonly closeFd?: ((fd: number) => void) | undefined;
  /** Where regular log files' big chunks are written (default: on this thread, as they come). */
  readonly writer?: LogWriter | null | undefined;
}

/** The engine's view of a channel log (a class: no closures per process). */
class ChannelSink implements LogSink {
  readonly path: string;
  readonly #log: ChannelLog;
  constructor(log: ChannelLog) {
    this.#log = log;
    this.path = log.path ?? '';
  }
  open(): LogFailure | null {
    return this.#log.open();
  }
  write(chunk: Buffer): void {
    this.#log.write(chunk);
  }
  endOfOutput(): void {
    this.#log.endOfOutput();
  }
  reopen(): void {
    this.#log.reopen();
  }
  clear(): LogFailure | null {
    return this.#log.clear();
  }
  close(): void {
    this.#log.close();
  }
}

/** Resolves a channel's logfile: AUTO in childlogdir, NONE and syslog (deprecated spelling) as none. */
function logfile(spec: ProcessSpec, channel: 'stdout' | 'stderr', sd: SupervisordSettings): string | null {
  const value = channel === 'stdout' ? spec.stdout_logfile : spec.stderr_logfile;
  if (value === 'NONE' || value === 'syslog' || value === '') return null;
  if (value === 'AUTO') return autoLogPath(sd.childlogdir, spec.name, channel, sd.identifier);
  return value;
}

/**
 * The engine's ChildLogFactory: a channel log per channel (none for stderr with redirect_stderr), AUTO
 * named in childlogdir, NONE and `syslog` as no file, PROCESS_LOG hooks only where events are enabled.
 * Log file errors are written to the main log.
 */
export function channelLogFactory(ctx: ChildLogContext): ChildLogFactory {
  // One for every log: the daemon holds two logs per process.
  const onError = (e: LogFileError): void => ctx.mainLog.error(e.message);
  return (spec) => {
    const open = (channel: 'stdout' | 'stderr'): LogSink | null => {
      if (channel === 'stderr' && spec.redirect_stderr) return null;
      const path = logfile(spec, channel, ctx.supervisord);
      const syslogOn = channel === 'stdout' ? spec.stdout_syslog : spec.stderr_syslog;
      const log = createChannelLog({
        processName: spec.name,
        channel,
        logfile: path,
        maxbytes: channel === 'stdout' ? spec.stdout_logfile_maxbytes : spec.stderr_logfile_maxbytes,
        backups: channel === 'stdout' ? spec.stdout_logfile_backups : spec.stderr_logfile_backups,
        stripAnsi: ctx.supervisord.strip_ansi,
        captureMaxbytes: channel === 'stdout' ? spec.stdout_capture_maxbytes : spec.stderr_capture_maxbytes,
        syslog: syslogOn ? (ctx.syslog ?? null) : null,
        mainLog: ctx.mainLog,
        listenerStdout:
          channel === 'stdout' && ctx.isListener ? () => ctx.isListener?.(spec) === true : undefined,
        onCapture: ctx.onCapture ? (data) => ctx.onCapture?.(spec, channel, data) : undefined,
        // Only when PROCESS_LOG events are on for the channel: without them the child may write its file itself.
        onLogged:
          ctx.onLogged && (channel === 'stdout' ? spec.stdout_events_enabled : spec.stderr_events_enabled)
            ? (data) => ctx.onLogged?.(spec, channel, data)
            : undefined,
        onError,
        closeFd: ctx.closeFd,
        writer: ctx.writer,
      });
      return new ChannelSink(log);
    };
    return { stdout: open('stdout'), stderr: open('stderr') };
  };
}
