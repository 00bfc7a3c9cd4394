// GET /logtail/<namespec>[/<channel>] and /mainlogtail: stream a log file as it grows (spec §4.7).
import { statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { followLog } from '../logs/follow-log.js';
import { parseLogtailPath, type LogChannel } from './logtail-path.js';
import type { Route } from './route.js';
import { drainedOrClosed, endStreamWithClient, sendError } from './respond.js';

/**
 * Follows `path`: calls `onData` with the last 1024 bytes, then with every appended chunk (a promise
 * returned by `onData` holds back further reads). Returns `stop`. Throws when the file cannot be
 * opened. `followLog` of src/logs is the default.
 */
export type LogFollower = (path: string, onData: (chunk: Buffer) => void | Promise<void>) => () => void;

/**
 * The log file of a process channel, or null when there is none: unknown namespec, no log
 * configured. `namespec` is whatever the client sent (`name` or `group:name`); it must only ever be
 * looked up, never joined into a path.
 */
export type LogResolver = (namespec: string, channel: LogChannel) => string | null;

/** How /logtail finds a process's log file, and how it follows it (default followLog). */
export interface LogtailRouteOptions {
  readonly resolve: LogResolver;
  readonly follow?: LogFollower | undefined;
}

/** How /mainlogtail finds the main log file, and how it follows it (default followLog). */
export interface MainLogtailRouteOptions {
  /** The main log file; null when there is none (syslog, or not configured). */
  readonly resolve: () => string | null;
  readonly follow?: LogFollower | undefined;
}

/** Streams `file` with chunked encoding until the client leaves or the server closes. 404 if it is missing. */
function stream(
  res: ServerResponse,
  file: string | null,
  follow: LogFollower,
  extraHeaders: Readonly<Record<string, string>>,
): void {
  if (file === null) return sendError(res, 404);
  let mtime: Date;
  try {
    mtime = statSync(file).mtime;
  } catch {
    // Not created yet (never started) is a temporary condition: 404, as supervisor.
    return sendError(res, 404);
  }
  const write = (chunk: Buffer): void | Promise<void> => {
    if (res.destroyed || res.write(chunk)) return;
    return drainedOrClosed(res);
  };
  let stop: () => void;
  try {
    stop = follow(file, write);
  } catch {
    return sendError(res, 404);
  }
  res.on('close', stop);
  endStreamWithClient(res);
  // No Content-Length: chunked on HTTP/1.1, streamed until close on HTTP/1.0.
  res.writeHead(200, 'OK', {
    'Last-Modified': mtime.toUTCString(),
    'Content-Type': 'text/plain;charset=utf-8',
    // A program's output is anyone's text: a browser must not guess it is a page and run what it holds.
    'X-Content-Type-Options': 'nosniff',
    ...extraHeaders,
  });
  res.flushHeaders();
}

/** Every path starting with /logtail (supervisor's match). Non-GET → 400; unknown → 404. */
export function logtailRoute(options: LogtailRouteOptions): Route {
  const follow = options.follow ?? followLog;
  return {
    name: 'logtail',
    match: (path) => path.startsWith('/logtail'),
    handle(req: IncomingMessage, res: ServerResponse, path: string) {
      if (req.method !== 'GET') return sendError(res, 400);
      const target = parseLogtailPath(path);
      if (!target) return sendError(res, 404);
      // Tell a reverse proxy (nginx) not to buffer the stream.
      stream(res, options.resolve(target.namespec, target.channel), follow, { 'X-Accel-Buffering': 'no' });
    },
  };
}

/** Every path starting with /mainlogtail. Non-GET → 400; no main log → 404. */
export function mainLogtailRoute(options: MainLogtailRouteOptions): Route {
  const follow = options.follow ?? followLog;
  return {
    name: 'mainlogtail',
    match: (path) => path.startsWith('/mainlogtail'),
    handle(req: IncomingMessage, res: ServerResponse) {
      if (req.method !== 'GET') return sendError(res, 400);
      stream(res, options.resolve(), follow, {});
    },
  };
}
