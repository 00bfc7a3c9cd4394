// Effect: creating AUTO child log files and deleting stale ones at daemon start (spec §3.11).
import { randomInt } from 'node:crypto';
import { closeSync, constants, openSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { autoLogName, autoLogPattern, autoLogRandomPart, type Channel } from './auto-log-name.js';
import { LogFileError, errnoCode, toLogFileError } from './log-file-error.js';

const ATTEMPTS = 100;

/**
 * Creates an empty, new AUTO log file in `childlogdir` and returns its absolute path, like Python's
 * mkstemp (mode 0600, exclusive create, retried on a name clash). Throws a LogFileError when the
 * directory is missing or not writable.
 */
export function autoLogPath(
  childlogdir: string,
  processName: string,
  channel: Channel,
  identifier: string,
): string {
  let lastError: unknown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const path = join(
      childlogdir,
      autoLogName(processName, channel, identifier, autoLogRandomPart(randomInt)),
    );
    try {
      closeSync(openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600));
      return path;
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw toLogFileError('open', path, error);
      lastError = error;
    }
  }
  throw toLogFileError('open', childlogdir, lastError);
}

/** What cleanupAutoLogs did, for supervisor's warnings. */
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
