// Server-sent events: the wire framing (pure) and one open stream on a response (effect).
import type { ServerResponse } from 'node:http';
import { drainedOrClosed, endStreamWithClient } from '../http/respond.js';

/** One SSE message: `event:` then the JSON of `data` on one `data:` line (JSON never holds a raw newline). */
export function sseMessage(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A reader that falls this far behind is dropped; EventSource reconnects and starts from a fresh snapshot. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const KEEPALIVE_MS = 20_000;

/** One open server-sent events response. */
export interface EventStream {
  /** Sends pre-framed text; returns false when the reader is gone or was dropped for falling behind. */
  send(frame: string): boolean;
  /** Resolves once the response can take more (backpressure for file followers). */
  drained(): Promise<void>;
  readonly closed: boolean;
  onClose(listener: () => void): void;
  close(): void;
}

/**
 * Answers 200 `text/event-stream` and keeps the response open: a comment every 20 s keeps proxies and
 * idle-cutting middleboxes from closing it; `retry` tells EventSource to come back after 2 s.
 */
export function openEventStream(res: ServerResponse): EventStream {
  res.writeHead(200, 'OK', {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Accel-Buffering': 'no',
    'X-Content-Type-Options': 'nosniff',
  });
  res.write('retry: 2000\n\n');
  const listeners: (() => void)[] = [];
  let closed = false;
  const keepalive = setInterval(() => send(': keepalive\n\n'), KEEPALIVE_MS);
  keepalive.unref();
  const finish = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(keepalive);
    for (const l of listeners.splice(0)) l();
  };
  res.on('close', finish);
  endStreamWithClient(res);
  function send(frame: string): boolean {
    if (closed || res.destroyed) return false;
    res.write(frame);
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      res.destroy();
      return false;
    }
    return true;
  }
  return {
    send,
    drained: () => (closed || !res.writableNeedDrain ? Promise.resolve() : drainedOrClosed(res)),
    get closed() {
      return closed;
    },
    onClose(listener) {
      if (closed) listener();
      else listeners.push(listener);
    },
    close() {
      res.end();
      finish();
    },
  };
}
