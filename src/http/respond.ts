// Effect helpers: answer a request with supervisor's error page or a small text body.
import type { ServerResponse } from 'node:http';
import { errorPage, reasonOf } from './error-page.js';

/** The request path without its query string or fragment. */
export function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const end = raw.search(/[?#]/);
  return end < 0 ? raw : raw.slice(0, end);
}

/**
 * Answers `status` with supervisor's HTML error page. `close` ends the connection afterwards (401,
 * and 413 whose unread body must not be parsed as the next request).
 */
export function sendError(
  res: ServerResponse,
  status: number,
  options: { readonly close?: boolean; readonly headers?: Readonly<Record<string, string>> } = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = errorPage(status);
  const headers: Record<string, string | number> = { ...options.headers };
  if (options.close) headers['Connection'] = 'close';
  headers['Content-Length'] = Buffer.byteLength(body);
  headers['Content-Type'] = 'text/html';
  res.writeHead(status, reasonOf(status), headers);
  res.end(body);
}

/** Answers `status` with `body` as `contentType`, with its Content-Length; `onSent` runs once written. */
export function sendText(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  onSent?: () => void,
): void {
  res.writeHead(status, reasonOf(status), {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body, onSent);
}

/**
 * Resolves once `res` takes writes again ('drain') or is gone ('close'): the backpressure wait of a response that
 * streams, which a client that went away must not leave pending.
 */
export function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** How long a stream whose client has stopped sending is kept, so that the tail it asked for is sent first. */
const HALF_CLOSED_STREAM_MS = 250;

/**
 * Drops a response that never ends by itself (a log tail, an event stream) shortly after its client has shut down
 * its sending side, as supervisord does: the client gets the tail it asked for, then the connection closes. A
 * half-closed client still gets every other answer whole (see answerHalfClosedClients in http-servers.ts); a
 * stream would otherwise hold its connection until its next write, long after such a client is gone.
 */
export function endStreamWithClient(res: ServerResponse): void {
  const socket = res.socket;
  if (!socket) return;
  let timer: NodeJS.Timeout | undefined;
  const drop = (): void => {
    timer = setTimeout(() => res.destroy(), HALF_CLOSED_STREAM_MS);
  };
  if (socket.readableEnded) drop();
  else socket.once('end', drop);
  res.once('close', () => {
    socket.off('end', drop);
    clearTimeout(timer);
  });
}
