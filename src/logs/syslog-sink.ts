// Effect: best-effort syslog for `*_syslog=true` and `logfile=syslog` (spec §3.11).
// Node cannot open unix datagram sockets, so one long-lived logger(1) (util-linux) child writes the
// RFC 3164 datagrams to /dev/log; lines reach it over its stdin, one message per line.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { toLogFileError, type LogFileError } from './log-file-error.js';

/** How the sink reaches syslog; every field has a default. */
export interface SyslogSinkOptions {
  /** The syslog tag (ident). Default `supervisord`, what Python's syslog module sends for supervisor. */
  readonly tag?: string | undefined;
  /** The local syslog socket. Default `/dev/log`. */
  readonly socketPath?: string | undefined;
  /** The logger(1) executable. Default `logger` (from PATH). */
  readonly command?: string | undefined;
  /** Bytes waiting for logger before further lines are dropped. Default 1 MiB. */
  readonly maxQueuedBytes?: number | undefined;
}

/** The daemon's one way to syslog, shared by the main log and every `*_syslog` channel. */
export interface SyslogSink {
  /** Sends one message (user.info). Newlines inside `line` become spaces. Never blocks, never throws. */
  send(line: string | Buffer): void;
  /** False while the socket is missing or logger cannot run; lines sent meanwhile are dropped. */
  readonly available: boolean;
  readonly droppedLines: number;
  readonly lastError: LogFileError | null;
  /** Ends logger's input and waits (bounded) for it to exit. */
  close(): Promise<void>;
}

/** Minimum time between two logger starts, so a logger that keeps dying cannot cause a spawn storm. */
const RESPAWN_MS = 5000;
const CLOSE_WAIT_MS = 2000;

/**
 * A sink over one long-lived logger(1) child (started on the first message, restarted at most every 5 s).
 * Never throws: without /dev/log or logger, or past `maxQueuedBytes` waiting, lines are dropped and counted.
 */
export function createSyslogSink(options: SyslogSinkOptions = {}): SyslogSink {
  const tag = options.tag ?? 'supervisord';
  const socketPath = options.socketPath ?? '/dev/log';
  const command = options.command ?? 'logger';
  const maxQueued = options.maxQueuedBytes ?? 1024 * 1024;

  let child: ChildProcess | null = null;
  let lastSpawn = -Infinity;
  let closed = false;
  let available = true;
  let droppedLines = 0;
  let lastError: LogFileError | null = null;

  const start = (): ChildProcess | null => {
    const now = Date.now();
    if (now - lastSpawn < RESPAWN_MS) return null;
    lastSpawn = now;
    if (!existsSync(socketPath)) {
      available = false;
      return null;
    }
    // detached: its own process group, so a terminal's ^C to the daemon does not kill it first.
    const proc = spawn(command, ['--socket-errors=off', '-u', socketPath, '-t', tag, '-p', 'user.info'], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
    });
    proc.unref();
    proc.on('error', (error) => {
      available = false;
      lastError = toLogFileError('write', command, error);
      if (child === proc) child = null;
    });
    proc.on('exit', () => {
      if (child === proc) child = null;
    });
    proc.stdin?.on('error', () => {
      // EPIPE when logger died: its exit handler clears `child`, the next send restarts it.
    });
    available = true;
    return proc;
  };

  return {
    send(line) {
      if (closed) return;
      child ??= start();
      const stdin = child?.stdin;
      if (!stdin || stdin.destroyed || stdin.writableLength > maxQueued) {
        droppedLines++;
        return;
      }
      const text = Buffer.isBuffer(line) ? line : Buffer.from(line);
      stdin.write(Buffer.concat([newlinesToSpaces(text), NEWLINE]));
    },
    get available() {
      return available;
    },
    get droppedLines() {
      return droppedLines;
    },
    get lastError() {
      return lastError;
    },
    async close() {
      if (closed) return;
      closed = true;
      const proc = child;
      child = null;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          proc.kill('SIGKILL');
          resolve();
        }, CLOSE_WAIT_MS);
        proc.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        proc.stdin?.end();
      });
    },
  };
}

const NEWLINE = Buffer.from('\n');

function newlinesToSpaces(data: Buffer): Buffer {
  if (data.indexOf(0x0a) < 0) return data;
  const copy = Buffer.from(data);
  for (let i = copy.indexOf(0x0a); i >= 0; i = copy.indexOf(0x0a, i + 1)) copy[i] = 0x20;
  return copy;
}

/**
 * A sink whose logger(1) starts with the first line sent: the daemon log and every `*_syslog` channel share
 * one, and a daemon that never logs to syslog never runs logger.
 */
export function lazySyslogSink(options: SyslogSinkOptions = {}): SyslogSink {
  let inner: SyslogSink | null = null;
  return {
    send: (line) => (inner ??= createSyslogSink(options)).send(line),
    get available() {
      return inner?.available ?? true;
    },
    get droppedLines() {
      return inner?.droppedLines ?? 0;
    },
    get lastError() {
      return inner?.lastError ?? null;
    },
    close: async () => {
      await inner?.close();
    },
  };
}
