// Effect: creating AUTO child log files and deleting stale ones at daemon start (spec §3.11).
import { randomInt } from 'node:crypto';
import {
  close,
  closeSync,
  constants,
  fchmod,
  open,
  openSync,
  readdirSync,
  unlink,
  unlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { autoLogName, autoLogPattern, autoLogRandomPart, type Channel } from './auto-log-name.js';
import { LogFileError, errnoCode, toLogFileError } from './log-file-error.js';

const ATTEMPTS = 100;
const EXCLUSIVE_CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
const ignore = (): void => undefined;

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
      closeSync(openSync(path, EXCLUSIVE_CREATE, 0o600));
      return path;
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw toLogFileError('open', path, error);
      lastError = error;
    }
  }
  throw toLogFileError('open', childlogdir, lastError);
}

/**
 * An AUTO log file being created in Node's thread pool, as autoLogPath creates one (same name, mode and
 * exclusive create), so that a burst of new processes does not spend the main thread on each file before the
 * first spawn: a create costs ~0.1 ms on a journaling file system, two per process.
 */
export class BackgroundAutoLog {
  readonly path: string;
  #state: 'pending' | 'made' | 'failed' | 'abandoned' = 'pending';
  #done = false;
  #onDone: (() => void)[] | null = null;

  constructor(childlogdir: string, processName: string, channel: Channel, identifier: string) {
    this.path = join(
      childlogdir,
      autoLogName(processName, channel, identifier, autoLogRandomPart(randomInt)),
    );
    open(this.path, EXCLUSIVE_CREATE, 0o600, (error, fd) => {
      if (error) {
        if (this.#state === 'pending') this.#state = 'failed';
        return this.#finish();
      }
      // The umask is the process's: a spawn on the main thread may have a program's umask= set for its fork
      // while this open runs. fchmod sets the mode whatever mask the open met.
      fchmod(fd, 0o600, (chmodError) => {
        close(fd, ignore);
        if (chmodError && this.#state === 'pending') this.#state = 'failed';
        if (this.#state !== 'abandoned' && this.#state !== 'failed') {
          this.#state = 'made';
          return this.#finish();
        }
        unlink(this.path, () => this.#finish());
      });
    });
  }

  /** Resolves once the create is done (and the file of an abandoned one deleted). */
  settled(): Promise<void> {
    if (this.#done) return Promise.resolve();
    return new Promise((resolve) => (this.#onDone ??= []).push(resolve));
  }

  #finish(): void {
    this.#done = true;
    for (const resolve of this.#onDone ?? []) resolve();
    this.#onDone = null;
  }

  /** The file exists: the create succeeded and its result has been seen. */
  get made(): boolean {
    return this.#state === 'made';
  }

  /**
   * The log goes elsewhere (its file was needed before this create was done, or the create failed): a file
   * this create still makes is deleted, since nothing will write to it.
   */
  abandon(): void {
    if (this.#state === 'pending') this.#state = 'abandoned';
  }
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
