// Effect (reads /proc/self/fdinfo): the descriptors above 2 this process holds without close-on-exec. All
// that Node and libuv open is close-on-exec, so these are inherited: a shell's `exec 9>lock; flock 9`, a
// caller's pipe. supervisor closes such descriptors in each child; Node's spawn would pass them all on.
import { openSync, readdirSync, readFileSync } from 'node:fs';

const O_CLOEXEC = 0o2000000;
/** One /dev/null for the process's life: every spawner (one per daemon run) shares it. */
let devnull: number | undefined;

/** Open descriptors above 2 without close-on-exec, ascending; empty when /proc/self/fdinfo cannot be read. */
export function inheritedDescriptors(): number[] {
  let names: string[];
  try {
    names = readdirSync('/proc/self/fdinfo');
  } catch {
    return [];
  }
  const fds: number[] = [];
  for (const name of names) {
    const fd = Number(name);
    if (!Number.isInteger(fd) || fd <= 2) continue;
    try {
      const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1];
      if (flags !== undefined && (Number.parseInt(flags, 8) & O_CLOEXEC) === 0) fds.push(fd);
    } catch {
      // Closed meanwhile.
    }
  }
  return fds.sort((a, b) => a - b);
}

/**
 * Splits inherited descriptors into those a child's stdio entries can cover and those it cannot. libuv
 * moves every entry out of the way with F_DUPFD at or above the entry count, which fails with EINVAL once
 * the count reaches the open-files limit: with `ulimit -n 64` and an fd 251 left open by the caller,
 * covering it would make every spawn fail. Such a descriptor stays open in children, as under supervisord
 * (which closes only fds 3 to minfds).
 */
export function coverableDescriptors(
  fds: readonly number[],
  openFilesLimit: number,
): { covered: number[]; uncovered: number[] } {
  // Entries 0..fd make fd + 1 of them; one more descriptor must fit above them.
  const fits = (fd: number) => fd + 2 <= openFilesLimit;
  return { covered: fds.filter(fits), uncovered: fds.filter((fd) => !fits(fd)) };
}

/**
 * stdio entries from fd 3 on that put /dev/null over each of `fds` in a child, so it holds none of them (no
 * lock, no caller's pipe); empty when there is nothing to hide. Node can neither close a descriptor in the
 * child nor mark one close-on-exec, but it does dup2 an entry given as a number.
 */
export function stdioMasking(fds: readonly number[]): (number | 'ignore')[] {
  if (fds.length === 0) return [];
  devnull ??= openSync('/dev/null', 'r+');
  const hidden = new Set(fds);
  const entries: (number | 'ignore')[] = [];
  const cover = devnull;
  const last = Math.max(...fds);
  for (let fd = 3; fd <= last; fd++) entries.push(hidden.has(fd) ? cover : 'ignore');
  return entries;
}
