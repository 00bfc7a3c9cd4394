// Effect (reads /etc/passwd and /etc/group): look users up by name or uid, with their supplementary groups.
import { readFileSync } from 'node:fs';

/** One /etc/passwd user with its supplementary groups from /etc/group. */
export interface UserEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
  /** Supplementary group ids (groups listing the user), without the primary gid. */
  readonly groups: readonly number[];
}

function lines(path: string): string[][] {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => l.split(':'));
  } catch {
    return [];
  }
}

/** A user by name or numeric uid; undefined when unknown. */
export function lookupUser(
  user: string,
  files = { passwd: '/etc/passwd', group: '/etc/group' },
): UserEntry | undefined {
  const byUid = /^\d+$/.test(user);
  const row = lines(files.passwd).find((f) => (byUid ? f[2] === user : f[0] === user));
  if (!row) return undefined;
  const name = row[0] ?? user;
  const gid = Number(row[3]);
  const groups = lines(files.group)
    .filter((g) => (g[3] ?? '').split(',').includes(name) && Number(g[2]) !== gid)
    .map((g) => Number(g[2]));
  return { name, uid: Number(row[2]), gid, home: row[5] ?? '/', groups };
}
