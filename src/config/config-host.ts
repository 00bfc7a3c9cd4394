// The facts about the machine that loading a config needs, as a value, so the loader stays testable.
import { accessSync, constants, statSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';

/** What the loader asks of the machine: working directory, environment, host name, users, groups, folders. */
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

/**
 * The folder Python's tempfile.gettempdir() picks, which supervisor uses as the default childlogdir: the first
 * of $TMPDIR, $TEMP, $TMP, /tmp, /var/tmp, /usr/tmp and the working directory that is a folder it can write
 * in. Node's os.tmpdir() reads $TMP before $TEMP and does not check, so the two could log to different places.
 */
export function pythonTempDir(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  usable: (dir: string) => boolean,
): string {
  const named = ['TMPDIR', 'TEMP', 'TMP'].map((k) => env[k]).filter((v): v is string => !!v);
  const candidates = [...named, '/tmp', '/var/tmp', '/usr/tmp', cwd].map((d) => resolve(cwd, d));
  return candidates.find(usable) ?? resolve(cwd);
}

function writableDirectory(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** The host svd runs on. Users and groups come from /etc/passwd and /etc/group. */
export function currentHost(): ConfigHost {
  return {
    cwd: process.cwd(),
    env: process.env,
    hostname: hostname(),
    // Only a config without childlogdir needs it: looked up then, not for every load.
    get tmpdir() {
      return pythonTempDir(process.env, process.cwd(), writableDirectory);
    },
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
