// Effect: the log endpoints. A log is named by a namespec and a channel (or is the main log) and looked up in
// the engine; no part of the request ever becomes part of a file path.
import type { ServerResponse } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import type { Engine } from '../engine/engine.js';
import { NoFileError } from '../engine/errors.js';
import { followLog, tailLog } from '../logs/index.js';
import type { LogChannel } from './api-request.js';
import { openEventStream, sseMessage, type EventStream } from './event-stream.js';

/** The engine method the log endpoints use. */
export type LogEngine = Pick<Engine, 'getProcessInfo'>;

/** Where the daemon's main log is; null when it has none (syslog, or no file). */
export type MainLogPath = () => string | null;

/** What GET /api/log/<namespec> and /api/mainlog answer (tailProcessStdoutLog's three values, named). */
export interface LogSlice {
  readonly text: string;
  /** Where the next read should start: the file's size now. */
  readonly offset: number;
  /** More than `length` bytes were appended since `offset`: `text` is the last `length` bytes. */
  readonly overflow: boolean;
}

/** How often a follow of a missing file (a process that never wrote) looks for it again. */
const MISSING_POLL_MS = 500;

/** The log file of a process channel or of the daemon; NO_FILE (or BAD_NAME from the engine) otherwise. */
export function logPath(
  engine: LogEngine,
  mainLog: MainLogPath,
  namespec: string | null,
  channel: LogChannel,
): string {
  if (namespec === null) {
    const path = mainLog();
    if (path === null) throw new NoFileError('the daemon has no log file');
    return path;
  }
  const info = engine.getProcessInfo(namespec);
  const path = channel === 'stdout' ? info.stdout_logfile : info.stderr_logfile;
  if (path === '') throw new NoFileError(`${namespec} has no ${channel} log`);
  return path;
}

/** tailProcessStdoutLog's window of `path` (offset, at most `length` bytes), as a named LogSlice. */
export async function readLog(path: string, offset: number, length: number): Promise<LogSlice> {
  const [text, next, overflow] = await tailLog(path, offset, length);
  return { text, offset: next, overflow };
}

/**
 * Streams the file as SSE: `file` (its path), then `log` events whose data is a JSON string of text (UTF-8
 * split safely across chunks; a truncation arrives as supervisor's `==> File truncated <==` line). A file
 * that does not exist yet is announced with `waiting` and followed once it appears.
 */
export function followLogAsEvents(res: ServerResponse, path: string, tail: number): EventStream {
  const stream = openEventStream(res);
  const decoder = new StringDecoder('utf8');
  const onData = (chunk: Buffer): Promise<void> | void => {
    const text = decoder.write(chunk);
    if (text !== '' && !stream.send(sseMessage('log', text))) return;
    return stream.drained();
  };
  let stop: (() => void) | null = null;
  const attempt = (): boolean => {
    try {
      stop = followLog(path, onData, { initialBytes: tail });
      stream.send(sseMessage('file', { path }));
      return true;
    } catch {
      return false;
    }
  };
  let timer: NodeJS.Timeout | null = null;
  if (!attempt()) {
    stream.send(sseMessage('waiting', { path }));
    timer = setInterval(() => {
      if (stream.closed || !attempt()) return;
      if (timer) clearInterval(timer);
      timer = null;
    }, MISSING_POLL_MS);
    timer.unref();
  }
  stream.onClose(() => {
    if (timer) clearInterval(timer);
    stop?.();
  });
  return stream;
}
