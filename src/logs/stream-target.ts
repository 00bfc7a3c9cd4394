// Which log targets keep nothing to read back: a pipe (a FIFO, or /dev/stdout under docker), a socket, a terminal.
import { constants, type Stats } from 'node:fs';
import { isatty } from 'node:tty';

/**
 * open(2) flags for reading a log. O_NONBLOCK because a log can be a FIFO: opened for reading while no
 * process holds its write end (a stopped program's log), a plain open blocks until one does, which hangs the
 * daemon's thread for good. O_NOCTTY, as for writing (log-file.ts). On a regular file neither changes anything.
 */
export const LOG_READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

/**
 * What `fd` is when it is a stream, whose bytes are consumed by its reader and cannot be read by position
 * (supervisor's seek on it fails, so its reads answer FAILED); null for a file or a device that can be read
 * so (a regular file, /dev/null).
 */
export function streamKind(stats: Stats, fd: number): 'a pipe' | 'a socket' | 'a terminal' | null {
  if (stats.isFIFO()) return 'a pipe';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() && isatty(fd)) return 'a terminal';
  return null;
}
