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
