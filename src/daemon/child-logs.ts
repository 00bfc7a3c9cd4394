// Glue: the engine's ChildLogFactory over src/logs channel logs (AUTO names, capture, strip_ansi, syslog).
import type { ProcessSpec, SupervisordSettings } from '../model/config.js';
import {
  autoLogPath,
  BackgroundAutoLog,
  createChannelLog,
  toLogFileError,
  type ChannelLog,
  type ChannelLogOptions,
  type DaemonLog,
  type LogFileError,
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
}

/**
 * AUTO files made at once in one turn of the event loop; beyond this many (a start-up, an update adding many
 * programs) they are made in the thread pool while the first processes spawn.
 */
const AUTO_CREATES_PER_TURN = 8;

/** The engine's view of a channel log (a class: no closures per process). */
class ChannelSink implements LogSink {
  #log: ChannelLog;
  readonly #options: ChannelLogOptions;
  /** An AUTO file still being made when the sink was created; null once the first open has settled it. */
  #background: BackgroundAutoLog | null;
  readonly #autoName: { readonly childlogdir: string; readonly identifier: string } | null;

  constructor(
    options: ChannelLogOptions,
    background: BackgroundAutoLog | null,
    autoName: { readonly childlogdir: string; readonly identifier: string } | null,
  ) {
    this.#options = options;
    this.#log = createChannelLog(options);
    this.#background = background;
    this.#autoName = autoName;
  }
  get path(): string {
    return this.#log.path ?? '';
  }
  open(): LogFailure | null {
    const background = this.#background;
    if (background !== null && this.#autoName !== null) {
      this.#background = null;
      if (!background.made) {
        // Needed before its create is seen done (or that create failed): a new AUTO file, made now.
        background.abandon();
        const { childlogdir, identifier } = this.#autoName;
        const o = this.#options;
        try {
          const logfile = autoLogPath(childlogdir, o.processName, o.channel, identifier);
          this.#log = createChannelLog({ ...o, logfile });
        } catch (error) {
          return toLogFileError('open', childlogdir, error);
        }
      }
    }
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

/** A channel's logfile: AUTO, NONE and syslog (deprecated spelling, no file) as written, else the path. */
function logfileOption(spec: ProcessSpec, channel: 'stdout' | 'stderr'): string | null {
  const value = channel === 'stdout' ? spec.stdout_logfile : spec.stderr_logfile;
  if (value === 'NONE' || value === 'syslog' || value === '') return null;
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
  const sd = ctx.supervisord;
  const autoName = { childlogdir: sd.childlogdir, identifier: sd.identifier };
  let autoCreatesThisTurn = 0;
  return (spec) => {
    const open = (channel: 'stdout' | 'stderr'): LogSink | null => {
      if (channel === 'stderr' && spec.redirect_stderr) return null;
      let path = logfileOption(spec, channel);
      let background: BackgroundAutoLog | null = null;
      if (path === 'AUTO') {
        if (autoCreatesThisTurn++ === 0) queueMicrotask(() => (autoCreatesThisTurn = 0));
        // The first ones are made at once: a childlogdir that cannot take a file fails where supervisor's does.
        if (autoCreatesThisTurn <= AUTO_CREATES_PER_TURN)
          path = autoLogPath(sd.childlogdir, spec.name, channel, sd.identifier);
        else {
          background = new BackgroundAutoLog(sd.childlogdir, spec.name, channel, sd.identifier);
          path = background.path;
        }
      }
      const syslogOn = channel === 'stdout' ? spec.stdout_syslog : spec.stderr_syslog;
      const options: ChannelLogOptions = {
        processName: spec.name,
        channel,
        logfile: path,
        maxbytes: channel === 'stdout' ? spec.stdout_logfile_maxbytes : spec.stderr_logfile_maxbytes,
        backups: channel === 'stdout' ? spec.stdout_logfile_backups : spec.stderr_logfile_backups,
        stripAnsi: sd.strip_ansi,
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
      };
      return new ChannelSink(options, background, background ? autoName : null);
    };
    return { stdout: open('stdout'), stderr: open('stderr') };
  };
}
