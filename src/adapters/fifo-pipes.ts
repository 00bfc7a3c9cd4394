// Effect: real pipes for a child's standard streams. Node's spawn makes each 'pipe' a socketpair, and open(2)
// of /dev/stdout, /dev/stderr, /dev/stdin or /proc/self/fd/N refuses a socket with ENXIO, so a program told to
// log to /dev/stderr (nginx, php-fpm, apache in containers) could not start where supervisord's pipe serves it.
// Node cannot call pipe(2), but a FIFO opened at both ends and unlinked is a pipe in all but name, so a private
// folder holds a stock of FIFOs made by mkfifo(1) a batch at a time, and each stream of a spawn takes one.
import { execFile, spawnSync } from 'node:child_process';
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  lstatSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MKFIFO_PATHS = ['/usr/bin/mkfifo', '/bin/mkfifo'];
const FIRST_BATCH = 16;
const LARGEST_BATCH = 512;
const SHM = '/dev/shm';
/** How long after a failed folder make the stock tries again (a spawn meanwhile gets socketpairs at once). */
const FOLDER_RETRY_MS = 10_000;
/**
 * A FIFO in each folder that its daemon holds open for reading while it lives: an open for writing fails with
 * ENXIO once no reader is left, which tells another daemon the folder is orphaned whatever pid namespace made it.
 */
const LIVE_NAME = 'live';
/** A live FIFO younger than this may not be opened by its daemon yet: it counts as held. */
const LIVE_GRACE_MS = 10_000;

/** One stream: the daemon's end and the child's end, both descriptors of this process until the spawn. */
export interface PipeEnds {
  readonly parent: number;
  readonly child: number;
}

/**
 * The stock of unopened FIFOs. The folder is mkdtemp's (0700): no other user can reach a FIFO before it is
 * opened and unlinked. The FIFOs themselves are 0666 so that a child running as another user (user=) can
 * reopen its own /dev/stdout, which /proc allows only to that process (and root) anyway.
 */
export class FifoStock {
  /** undefined: not made yet; null: the last make failed, tried again from #retryAt on. */
  #dir: string | null | undefined;
  #retryAt = 0;
  #free: string[] = [];
  #made = 0;
  #batch = FIRST_BATCH;
  /** A mkfifo making the next batch is running. */
  #topping = false;
  /** The read end of the folder's live FIFO, held for the folder's life. */
  #liveFd: number | undefined;
  readonly #parent: string | undefined;
  readonly #retryMs: number;
  readonly #onStocked: ((made: number) => void) | undefined;
  readonly #onExit = (): void => this.dispose();

  /**
   * `parent`: where the stock's folder is made (default: /dev/shm or the temporary directory, at each make).
   * `folderRetryMs`: how long a failed make is left before the next try.
   * `onStocked`: told how many FIFOs each batch added, once it is in the stock (a batch made in the background
   * is there only once its mkfifo's exit has been seen).
   */
  constructor(
    parent?: string,
    options: { readonly folderRetryMs?: number; readonly onStocked?: (made: number) => void } = {},
  ) {
    this.#parent = parent;
    this.#retryMs = options.folderRetryMs ?? FOLDER_RETRY_MS;
    this.#onStocked = options.onStocked;
  }

  /** A pipe for the child to write (stdout, stderr), or null when no FIFO can be made here. */
  output(): PipeEnds | null {
    return this.#retried(() => this.#output());
  }

  /** A pipe for the child to read (stdin), or null when no FIFO can be made here. */
  input(): PipeEnds | null {
    return this.#retried(() => this.#input());
  }

  /**
   * A stock folder removed under a long-running daemon (systemd-tmpfiles ages /tmp) is made afresh once; an
   * open that fails otherwise (EMFILE) is the spawn's error.
   */
  #retried(open: () => PipeEnds | null): PipeEnds | null {
    try {
      return open();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      // What is left of it (a cleaner that removed only the FIFOs it found old) is ours: removed now, not at
      // exit, so that only the current folder needs the exit handler.
      this.dispose();
      return open();
    }
  }

  #output(): PipeEnds | null {
    const path = this.#take();
    if (path === null) return null;
    let parent: number | undefined;
    try {
      // The read end first, non-blocking, so the blocking open of the write end finds a reader and returns.
      parent = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      const child = openSync(path, constants.O_WRONLY);
      return { parent, child };
    } catch (e) {
      if (parent !== undefined) closeSync(parent);
      throw e;
    } finally {
      unlinkQuietly(path);
    }
  }

  #input(): PipeEnds | null {
    const path = this.#take();
    if (path === null) return null;
    const opened: number[] = [];
    try {
      // A read-write open never waits; while it is held, the child's blocking read end and the daemon's
      // write end both open at once. It is closed again, so the daemon's writes fail with EPIPE once the
      // child has closed its end, as they do on supervisord's pipe.
      const holder = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
      opened.push(holder);
      const child = openSync(path, constants.O_RDONLY);
      opened.push(child);
      const parent = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
      closeSync(holder);
      return { parent, child };
    } catch (e) {
      for (const fd of opened) closeQuietly(fd);
      throw e;
    } finally {
      unlinkQuietly(path);
    }
  }

  #take(): string | null {
    if (this.#free.length === 0) this.#refillNow();
    const path = this.#free.pop() ?? null;
    // The next batch is made by a mkfifo running beside the daemon (on another core) while this one lasts, so
    // a large start rarely waits for one.
    if (path !== null && this.#free.length < this.#batch / 4) this.#refillSoon();
    return path;
  }

  /**
   * The names of the next batch, counted as made; null without a folder. `live` is the live FIFO's name when the
   * folder is new, made by the same mkfifo run as the batch (one run less at start).
   */
  #nextNames(): { dir: string; names: string[]; live?: string } | null {
    let live: string | undefined;
    // A folder that could not be made (no /dev/shm, a TMPDIR not there yet, no inode left) is tried again
    // later: one failure at boot must not leave every child of the daemon's life on socketpairs.
    if (this.#dir === null && performance.now() >= this.#retryAt) this.#dir = undefined;
    if (this.#dir === undefined) {
      this.#dir = makeFolder(this.#parent ?? defaultParent());
      if (this.#dir === null) this.#retryAt = performance.now() + this.#retryMs;
      // Unused FIFOs must not outlive the daemon (after a SIGKILL, the next daemon removes the folder). One
      // handler for the stock's life, not one a folder: a folder made again and again (a cleaner, another
      // daemon) would pile up handlers, and Node warns of a leak from the 11th on.
      else {
        process.on('exit', this.#onExit);
        live = join(this.#dir, LIVE_NAME);
      }
    }
    if (this.#dir === null) return null;
    const names: string[] = [];
    for (let i = 0; i < this.#batch; i++) names.push(join(this.#dir, String(this.#made + i)));
    this.#made += names.length;
    // A large start (1,000 programs) needs few mkfifo runs; a daemon with three programs makes 16.
    this.#batch = Math.min(LARGEST_BATCH, this.#batch * 2);
    return live === undefined ? { dir: this.#dir, names } : { dir: this.#dir, names, live };
  }

  #refillNow(): void {
    const next = this.#nextNames();
    const mkfifo = findMkfifo();
    if (next === null || mkfifo === undefined) return;
    const made = spawnSync(mkfifo, mkfifoArgs(next), { stdio: 'ignore' });
    this.#holdLive(next.live);
    this.#stock(next.names, made.status === 0);
  }

  #refillSoon(): void {
    if (this.#topping) return;
    const next = this.#nextNames();
    const mkfifo = findMkfifo();
    if (next === null || mkfifo === undefined) return;
    this.#topping = true;
    const done = (error: unknown): void => {
      this.#topping = false;
      // Made for a folder since disposed or replaced: that folder is gone, or going with the process.
      if (this.#dir !== next.dir) return;
      this.#holdLive(next.live);
      this.#stock(next.names, !error);
    };
    try {
      execFile(mkfifo, mkfifoArgs(next), done);
    } catch (e) {
      // Node throws at once for some spawn errors (ENOMEM): the next take makes its batch in sync.
      done(e);
    }
  }

  /**
   * Adds a batch to the stock. mkfifo goes on past a name it cannot make, so a batch that failed (a full disk, a
   * tmpfs out of inodes) may be made in part: what was made is used, and the next batch is a small one again,
   * or a folder with room for 100 FIFOs refused every batch of 512 and no spawn had a FIFO any more. With
   * nothing made (no FIFO allowed there, a mkfifo that cannot run) the spawner falls back to socketpairs.
   */
  #stock(names: readonly string[], allMade: boolean): void {
    const made = allMade ? names : names.filter(isFifo);
    if (!allMade) this.#batch = FIRST_BATCH;
    this.#free.unshift(...[...made].reverse());
    this.#onStocked?.(made.length);
  }

  /** Opens the live FIFO's read end, if it was made; without it the folder is judged by its pid alone. */
  #holdLive(path: string | undefined): void {
    if (path === undefined || !isFifo(path)) return;
    try {
      this.#liveFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch {
      // Out of descriptors: the folder is judged by its pid, as an older daemon's is.
    }
  }

  /** Removes the folder and the FIFOs not used; the stock makes a new folder if used again. */
  dispose(): void {
    process.off('exit', this.#onExit);
    if (this.#liveFd !== undefined) closeQuietly(this.#liveFd);
    this.#liveFd = undefined;
    try {
      if (this.#dir) rmSync(this.#dir, { recursive: true, force: true });
    } catch {
      // Not ours to remove any more (EACCES): at exit, or before a spawn, that is no reason to fail.
    }
    this.#dir = undefined;
    this.#free = [];
  }
}

function findMkfifo(): string | undefined {
  return MKFIFO_PATHS.find((p) => existsSync(p));
}

function mkfifoArgs(next: { readonly names: readonly string[]; readonly live?: string }): string[] {
  return ['-m', '666', '--', ...next.names, ...(next.live === undefined ? [] : [next.live])];
}

/**
 * /dev/shm when it is a folder the daemon can write (tmpfs: a FIFO made there costs a third of one on a disk's
 * /tmp), else the temporary directory.
 */
function defaultParent(): string {
  try {
    if (statSync(SHM).isDirectory()) {
      accessSync(SHM, constants.W_OK | constants.X_OK);
      return SHM;
    }
  } catch {
    // No /dev/shm here, or not ours to write.
  }
  return tmpdir();
}

/**
 * The stock folder's name: the pid lets a later daemon tell a folder whose owner was killed (SIGKILL), and the
 * pid namespace says whose pids they are. Two containers of one pod share /dev/shm but not their pids: each
 * daemon took the other's pid for a dead one and removed a live folder.
 */
const FOLDER_PREFIX = 'svd-pipes-';
const folderOwner = (name: string): { pid: number; ns: string | null } | null => {
  // mkdtemp's suffix has no '-': a name without 'nsN-' is an older daemon's.
  const m = new RegExp(`^${FOLDER_PREFIX}(\\d+)-(?:ns(\\d+)-)?`).exec(name);
  return m ? { pid: Number(m[1]), ns: m[2] ?? null } : null;
};

let ownNamespace: string | null | undefined;
/** The inode of this process's pid namespace, or null where /proc does not say (not mounted). */
function pidNamespace(): string | null {
  if (ownNamespace === undefined) {
    try {
      ownNamespace = /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] ?? null;
    } catch {
      ownNamespace = null;
    }
  }
  return ownNamespace;
}

/**
 * Whether a folder's daemon holds its live FIFO: 'gone' when no reader is left, 'unknown' when the folder has
 * none (an older daemon's, or one being made) or it cannot be opened.
 */
function liveness(folder: string, graceMs: number): 'held' | 'gone' | 'unknown' {
  const path = join(folder, LIVE_NAME);
  try {
    const st = lstatSync(path);
    if (!st.isFIFO()) return 'unknown';
    if (Date.now() - st.ctimeMs < graceMs) return 'held';
    closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
    return 'held';
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENXIO' ? 'gone' : 'unknown';
  }
}

/**
 * Removes the stock folders of daemons that are gone without their exit handler (SIGKILL, a crash, a container
 * killed with its pid namespace): each holds only unopened FIFOs, but they would pile up in /dev/shm. A folder
 * whose live FIFO has no reader is removed; one without a live FIFO is removed when its pid is dead in this pid
 * namespace. A folder not ours is left. `liveGraceMs` is for tests.
 */
export function removeOrphanedFolders(parent: string, options: { readonly liveGraceMs?: number } = {}): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  const uid = process.getuid?.();
  const ns = pidNamespace();
  for (const name of names) {
    const owner = folderOwner(name);
    if (owner === null || (owner.pid === process.pid && owner.ns === ns)) continue;
    const path = join(parent, name);
    try {
      const st = lstatSync(path);
      if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
      const live = liveness(path, options.liveGraceMs ?? LIVE_GRACE_MS);
      if (live === 'held') continue;
      // Without a live FIFO, another namespace's pid cannot be looked up from here: its folder is left to its
      // own daemons. A name without a namespace (an older daemon's) is judged by its pid alone.
      if (live === 'unknown' && ((owner.ns !== null && owner.ns !== ns) || isAlive(owner.pid))) continue;
      rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed meanwhile, or not ours to remove.
    }
  }
}

/**
 * The sweep a daemon does once at start, in the folder its FIFOs would go to: a daemon that spawns through the
 * native addon makes no FIFO folder, so without this a folder left by a killed fallback daemon (or one run as
 * another spawner) would stay until some later daemon needed FIFOs.
 */
export function removeOrphanedFoldersAtStart(): void {
  removeOrphanedFolders(defaultParent());
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: alive, another user's.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function makeFolder(parent: string): string | null {
  removeOrphanedFolders(parent);
  try {
    const ns = pidNamespace();
    return mkdtempSync(join(parent, `${FOLDER_PREFIX}${process.pid}-${ns === null ? '' : `ns${ns}-`}`));
  } catch {
    return null;
  }
}

function isFifo(path: string): boolean {
  try {
    return lstatSync(path).isFIFO();
  } catch {
    return false;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone, or its folder was removed: nothing to clean.
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Closed already.
  }
}
