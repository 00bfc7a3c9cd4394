// Effect (reads /etc/passwd and /etc/group): the uid and gid of [unix_http_server] chown=user[:group].
import { readFileSync } from 'node:fs';

/** The uid and gid a unix socket file is chowned to. */
export interface SocketOwner {
  readonly uid: number;
  /** -1 leaves the group alone (chown=user without a group). */
  readonly gid: number;
}

function rows(path: string): string[][] {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.split(':'));
  } catch {
    return [];
  }
}

/** A name or a numeric id that exists in the database (supervisor's name_to_uid / name_to_gid). */
function idOf(table: string[][], name: string): number | undefined {
  const numeric = /^\d+$/.test(name);
  const row = table.find((r) => (numeric ? r[2] === name : r[0] === name));
  return row ? Number(row[2]) : undefined;
}

/** supervisor's colon_separated_user_group; undefined when a name or id does not exist. */
export function resolveSocketOwner(
  spec: string,
  files = { passwd: '/etc/passwd', group: '/etc/group' },
): SocketOwner | undefined {
  const colon = spec.indexOf(':');
  const user = colon < 0 ? spec : spec.slice(0, colon);
  const uid = idOf(rows(files.passwd), user);
  if (uid === undefined) return undefined;
  if (colon < 0) return { uid, gid: -1 };
  const gid = idOf(rows(files.group), spec.slice(colon + 1));
  return gid === undefined ? undefined : { uid, gid };
}
