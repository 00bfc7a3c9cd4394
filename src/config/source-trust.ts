// Effect (stats files): whether a file a client names for svd.plan or svd.apply could have been written by a user
// other than the daemon's own or root. The daemon runs what a configuration says, often as root: a client allowed
// to control processes (a deploy user given the socket by chown=, an inet password) must not become root by
// applying a file of its own.
import { lstatSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';

const STICKY = 0o1000;

/**
 * Why `path` (a file or a folder) could have been written by a user other than `uid` or root, or null. The path,
 * with its symlinks resolved, and every folder above it must belong to root or `uid` and be writable by no one
 * else; a folder above it may be writable by all when it has the sticky bit (/tmp), where no one else can rename
 * or remove what is not theirs. A path that does not exist is not judged here (the loader reports it).
 */
export function writableByOthers(path: string, uid: number): string | null {
  let current: string;
  try {
    current = realpathSync(path);
  } catch {
    return null;
  }
  for (let first = true; ; first = false) {
    let mode: number;
    let owner: number;
    try {
      ({ mode, uid: owner } = lstatSync(current));
    } catch (error) {
      return `${current} cannot be checked (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
    }
    if (owner !== 0 && owner !== uid) return `${current} belongs to uid ${owner}`;
    if ((mode & 0o022) !== 0 && (first || (mode & STICKY) === 0))
      return `${current} is writable by ${(mode & 0o002) !== 0 ? 'every user' : 'its group'}`;
    const parent = dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}

/** The refusal for a client-named source whose `path` other users could have written, or null. */
export function untrustedSourceProblem(paths: readonly string[], uid: number): string | null {
  for (const path of paths) {
    const why = writableByOthers(path, uid);
    if (why !== null)
      return (
        `${why.startsWith(`${path} `) ? '' : `${path}: `}${why}; a configuration a client names is read only ` +
        `from files and folders that no user but root and the daemon's own (uid ${uid}) can change`
      );
  }
  return null;
}
