// Effect (stat): whether a user may execute a file, as the kernel decides for one of its unprivileged processes.
import { realpathSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** The ids a permission check uses: the uid, the primary gid and the supplementary groups. */
export interface Identity {
  readonly uid: number;
  readonly gid: number;
  readonly groups: readonly number[];
}

/** The class of `st` that applies to `who` (owner, else group, else other) grants `bit` (1 = x). */
function grants(st: { mode: number; uid: number; gid: number }, who: Identity, bit: number): boolean {
  if (st.uid === who.uid) return (st.mode & (bit << 6)) !== 0;
  if (st.gid === who.gid || who.groups.includes(st.gid)) return (st.mode & (bit << 3)) !== 0;
  return (st.mode & bit) !== 0;
}

/** Every folder above `path`, nearest first, up to `/`. */
function folders(path: string): string[] {
  const out: string[] = [];
  for (let d = dirname(path); ; d = dirname(d)) {
    out.push(d);
    if (dirname(d) === d) return out;
  }
}

/**
 * Whether `who` may execute `file`: search permission on every folder of its path (and of its real path, when
 * a link leads elsewhere), execute permission on the file, by mode bits (ACLs are not read: a no is only a
 * reason to ask the kernel as the user). setpriv keeps root's capabilities up to its exec, so without this
 * check a `user=` program runs files and crosses folders its user may not, where supervisor's child, already
 * the user, gets EACCES. True for root and when a stat fails (the exec then decides).
 */
export function mayExecute(file: string, who: Identity): boolean {
  if (who.uid === 0) return true;
  try {
    for (const path of new Set([file, realpathSync(file)])) {
      for (const d of folders(path)) if (!grants(statSync(d), who, 1)) return false;
    }
    return grants(statSync(file), who, 1);
  } catch {
    return true;
  }
}
