// A test-side server-sent-events reader over node:http: collects events and waits for one that matches.
import { request, type ClientRequest } from 'node:http';

export interface SseEvent {
  readonly event: string;
  readonly data: string;
}

export interface SseReader {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly events: readonly SseEvent[];
  /** Resolves with the first event (already received or coming) that satisfies `check`; rejects after `ms`. */
  waitFor(check: (e: SseEvent) => boolean, what: string, ms?: number): Promise<SseEvent>;
  close(): void;
}

/** Opens `path` and resolves once the response headers arrived (any status; the body is read as SSE). */
export function openSse(port: number, path: string, headers: Record<string, string>): Promise<SseReader> {
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = [];
    const waiters = new Set<() => void>();
    let req: ClientRequest | null = null;
    req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0) events.push({ event, data: data.join('\n') });
        }
        for (const w of [...waiters]) w();
      });
      res.on('error', () => undefined);
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        waitFor(check, what, ms = 15_000) {
          return new Promise((ok, fail) => {
            const timer = setTimeout(() => {
              waiters.delete(test);
              fail(new Error(`timed out waiting for ${what}; got ${events.map((e) => e.event).join(',')}`));
            }, ms);
            const test = (): void => {
              const found = events.find(check);
              if (!found) return;
              clearTimeout(timer);
              waiters.delete(test);
              ok(found);
            };
            waiters.add(test);
            test();
          });
        },
        close: () => req?.destroy(),
      });
    });
    req.setTimeout(60_000, () => req?.destroy());
    req.on('error', reject);
    req.end();
  });
}
