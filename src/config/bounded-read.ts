// Effect: reads a config file that may be a pipe or a device (`-c <(generate)`, `-c /dev/stdin`), which has no
// size to check first: `-c /dev/zero` would otherwise be read until memory runs out.
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';

/** The largest config file svd reads. */
export const MAX_CONFIG_BYTES = 64 * 1024 * 1024;

/** A file over MAX_CONFIG_BYTES: `size` when its size is known before reading, else null (a pipe or device). */
export class ConfigTooLargeError extends Error {
  override readonly name = 'ConfigTooLargeError';
  constructor(size: number | null) {
    super(
      `config file is too large (${size === null ? `more than ${MAX_CONFIG_BYTES}` : size} bytes; the limit is ${MAX_CONFIG_BYTES})`,
    );
  }
}

/**
 * The bytes of `path`: a regular file checked by its size first, anything else read until its end or the
 * limit. Throws ConfigTooLargeError over the limit, and the system's errors (ENOENT, EACCES) as they come.
 */
export function readConfigBytes(path: string): Buffer {
  const stats = statSync(path);
  if (stats.isFile()) {
    if (stats.size > MAX_CONFIG_BYTES) throw new ConfigTooLargeError(stats.size);
    return readFileSync(path);
  }
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(1 << 20);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) return Buffer.concat(chunks, total);
      total += n;
      // Known to be over the limit: what was read so far is dropped at once, not joined.
      if (total > MAX_CONFIG_BYTES) throw new ConfigTooLargeError(null);
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}
