// The facts about the machine that loading a config needs, as a value, so the loader stays testable.
import { statSync, readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';

export interface ConfigHost {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly hostname: string;
  readonly tmpdir: string;
  /** A user name or numeric uid that exists in the password database. */
  userExists(user: string): boolean;
  groupExists(group: string): boolean;
  isDirectory(path: string): boolean;
}

function databaseHas(file: string, entry: string): boolean {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  if (entry === '') return false;
  const numeric = /^\d+$/.test(entry);
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (numeric ? fields[2] === entry : fields[0] === entry) return true;
  }
  return false;
}

/** The host svd runs on. Users and groups come from /etc/passwd and /etc/group. */
export function currentHost(): ConfigHost {
  return {
    cwd: process.cwd(),
    env: process.env,
    hostname: hostname(),
    tmpdir: tmpdir(),
    userExists: (user) => databaseHas('/etc/passwd', user),
    groupExists: (group) => databaseHas('/etc/group', group),
    isDirectory: (path) => {
      try {
        return statSync(path).isDirectory();
      } catch {
        return false;
      }
    },
  };
}
