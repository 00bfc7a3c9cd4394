// Effect: before the daemon exits, output still queued for a slow reader of its stdout or stderr (docker's log
// driver, a `| tee`) gets a bounded time to be written.
import type { Writable } from 'node:stream';
import { lingeringWrites } from './log-file.js';

/** How long a stopped daemon waits for its output to be read before it exits anyway. */
export const EXIT_SETTLE_MS = 3000;

function drained(stream: Writable): Promise<void> {
  if (stream.destroyed || stream.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('drain', () => resolve());
    stream.once('close', () => resolve());
    stream.once('error', () => resolve());
  });
}

/**
 * Resolves when the streams hold nothing unwritten and every closed child log has written what a full pipe
 * held, or after `ms`, whichever comes first. A process exit drops what Node still queues for a pipe: the
 * daemon's last records (`received SIGTERM`, `stopped: web`) when the reader was behind.
 */
export async function settleOutput(
  ms: number,
  streams: readonly Writable[] = [process.stdout, process.stderr],
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([Promise.all([...streams.map(drained), lingeringWrites()]), deadline]);
  clearTimeout(timer);
}
