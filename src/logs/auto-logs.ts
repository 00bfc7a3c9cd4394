// Effect: creating AUTO child log files and deleting stale ones at daemon start (spec §3.11).
import { randomInt } from 'node:crypto';
import { accessSync, close, constants, open, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { autoLogName, autoLogPattern, autoLogRandomPart, type Channel } from './auto-log-name.js';
import { LogFileError, errnoCode, toLogFileError } from './log-file-error.js';

const ATTEMPTS = 100;

/** The mode of an AUTO log, as Python's mkstemp creates it. */
export const AUTO_LOG_MODE = 0o600;

/** AUTO log files still being created, by path. */
const creating = new Map<string, Promise<void>>();

/**
 * Names a new AUTO log in `childlogdir` (a name no file has) and creates it empty with mode 0600, as
 * supervisor's mkstemp does when a group is added. The creation runs off the main thread: at a start of 1,000
 * programs, creating 2,000 files one after the other held up the first spawn by 0.1 to 0.5 s, while each
 * spawn leaves a core idle as it waits for the child's exec. A spawn that comes first creates the file
 * itself (the log opens it with O_CREAT and this mode, and never through a symlink); `whenCreated` waits for
 * it. Throws a LogFileError when the directory is missing or not writable.
 */
export function autoLogPath(
  childlogdir: string,
  processName: string,
  channel: Channel,
  identifier: string,
): string {
  try {
    accessSync(childlogdir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw toLogFileError('open', childlogdir, error);
  }
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const path = join(
      childlogdir,
      autoLogName(processName, channel, identifier, autoLogRandomPart(randomInt)),
    );
    // No lstat for a clash: beside 2,000 creations it waits on the folder's lock. O_EXCL has the last word.
    if (creating.has(path)) continue;
    creating.set(path, createExclusively(path));
    return path;
  }
  throw toLogFileError('open', childlogdir, Object.assign(new Error('no free name'), { code: 'EEXIST' }));
}

/** Settles once `path`, if it is an AUTO log being created, exists (or its creation failed). */
export function whenCreated(path: string): Promise<void> | undefined {
  return creating.get(path);
}

/**
 * O_EXCL, as mkstemp: never through a file or symlink put there meanwhile. EEXIST is the spawn's own open
 * having come first; any other failure shows again when the log is opened, and is reported then.
 */
function createExclusively(path: string): Promise<void> {
  return new Promise((resolve) => {
    open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, AUTO_LOG_MODE, (error, fd) => {
      creating.delete(path);
      if (error) resolve();
      else close(fd, () => resolve());
    });
  });
}

export interface CleanupReport {
  readonly removed: readonly string[];
  /** Files that matched but could not be deleted: supervisor warns `Failed to clean up '<path>'`. */
  readonly failed: readonly LogFileError[];
  /** The directory could not be listed: supervisor warns `Could not clear childlog dir`. */
  readonly dirError: LogFileError | null;
}

/**
 * Deletes every file in `childlogdir` whose name is an AUTO log of `identifier` or a rotated copy of
 * one, as supervisord does at start and reload unless `nocleanup`. Never throws.
 */
export function cleanupAutoLogs(childlogdir: string, identifier: string): CleanupReport {
  let names: string[];
  try {
    names = readdirSync(childlogdir);
  } catch (error) {
    return { removed: [], failed: [], dirError: toLogFileError('cleanup', childlogdir, error) };
  }
  const pattern = autoLogPattern(identifier);
  const removed: string[] = [];
  const failed: LogFileError[] = [];
  for (const name of names) {
    if (!pattern.test(name)) continue;
    const path = join(childlogdir, name);
    try {
      unlinkSync(path);
      removed.push(path);
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') failed.push(toLogFileError('cleanup', path, error));
    }
  }
  return { removed, failed, dirError: null };
}
