// Pure: supervisorctl's command line (spec §1.2), parsed as Python's getopt does: options first, the first
// other word starts the action (so `tail -f web` keeps its `-f`), long options by unique prefix.

/** supervisorctl's options as given (undefined when absent), and the action's words. */
export interface CtlArgs {
  readonly configuration?: string | undefined;
  readonly serverurl?: string | undefined;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly historyFile?: string | undefined;
  /** svd's -f PATH (repeatable): the daemon is the one these files or folders configure, as for `svd diff`. */
  readonly files: readonly string[];
  readonly interactive: boolean;
  readonly help: boolean;
  /** The action and its arguments; empty for the shell. */
  readonly action: readonly string[];
}

/** The options, or getopt's (or supervisor's) message for a bad command line. */
export type CtlArgsResult =
  { readonly ok: true; readonly args: CtlArgs } | { readonly ok: false; readonly message: string };

type Key =
  'configuration' | 'serverurl' | 'username' | 'password' | 'historyFile' | 'files' | 'interactive' | 'help';

const SHORT: Readonly<Record<string, { key: Key; valued: boolean }>> = {
  c: { key: 'configuration', valued: true },
  s: { key: 'serverurl', valued: true },
  u: { key: 'username', valued: true },
  p: { key: 'password', valued: true },
  r: { key: 'historyFile', valued: true },
  f: { key: 'files', valued: true },
  i: { key: 'interactive', valued: false },
  h: { key: 'help', valued: false },
  '?': { key: 'help', valued: false },
};

const LONG: Readonly<Record<string, { key: Key; valued: boolean }>> = {
  configuration: { key: 'configuration', valued: true },
  serverurl: { key: 'serverurl', valued: true },
  username: { key: 'username', valued: true },
  password: { key: 'password', valued: true },
  'history-file': { key: 'historyFile', valued: true },
  file: { key: 'files', valued: true },
  interactive: { key: 'interactive', valued: false },
  help: { key: 'help', valued: false },
};

/** Python's urlsplit refuses a host with one bracket of an IPv6 address and not the other. */
function hasUnbalancedBracket(value: string): boolean {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(value.replace('unix://', 'http://').trim());
  const netloc = m?.[1] ?? '';
  return netloc.includes('[') !== netloc.includes(']');
}

/** supervisor's `url` type: after unix:// becomes http://, a scheme and a host or path. */
export function isUrl(value: string): boolean {
  const uri = value.replace('unix://', 'http://').trim();
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/.exec(uri);
  if (!m) return false;
  const rest = m[2] ?? '';
  if (rest.startsWith('//')) {
    const authority = rest.slice(2).split(/[/?#]/, 1)[0] ?? '';
    const path = rest.slice(2 + authority.length).split(/[?#]/, 1)[0] ?? '';
    return authority !== '' || path !== '';
  }
  return (rest.split(/[?#]/, 1)[0] ?? '') !== '';
}

function shortName(key: Key): string {
  const found = Object.entries(SHORT).find(([, o]) => o.key === key);
  return `-${found?.[0] ?? key}`;
}

/**
 * Parses as getopt does: options until the first other word (or `--`), short ones clustered or with their
 * value attached, long ones by unique prefix. An option given twice (-f excepted) and a -s value that is no
 * URL are refused with supervisor's messages.
 */
export function parseCtlArgv(argv: readonly string[]): CtlArgsResult {
  const values: Partial<Record<Key, string | true>> = {};
  const files: string[] = [];
  const seen = new Set<Key>();
  const set = (key: Key, value: string | true, shown: string): string | null => {
    if (key === 'serverurl' && typeof value === 'string' && hasUnbalancedBracket(value))
      return `invalid value for ${shown} '${value}': Invalid IPv6 URL`;
    if (key === 'serverurl' && typeof value === 'string' && !isUrl(value))
      return `invalid value for ${shown} '${value}': value '${value}' is not a URL`;
    if (key === 'files' && typeof value === 'string') {
      files.push(value);
      return null;
    }
    // supervisor refuses an option given twice (flags too), naming its short form.
    if (seen.has(key)) return `conflicting command line option '${shortName(key)}'`;
    seen.add(key);
    values[key] = value;
    return null;
  };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      i++;
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const matches = Object.keys(LONG).filter((l) => l.startsWith(name));
      const exact = LONG[name];
      if (!exact && matches.length !== 1)
        return {
          ok: false,
          message:
            matches.length > 1 ? `option --${name} not a unique prefix` : `option --${name} not recognized`,
        };
      const option = exact ?? (LONG[matches[0] as string] as { key: Key; valued: boolean });
      let value: string | true = true;
      if (option.valued) {
        if (eq >= 0) value = arg.slice(eq + 1);
        else if (i + 1 < argv.length) value = argv[++i] as string;
        else return { ok: false, message: `option --${name} requires argument` };
      } else if (eq >= 0) {
        return { ok: false, message: `option --${name} must not have an argument` };
      }
      const error = set(option.key, value, `--${name}`);
      if (error) return { ok: false, message: error };
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j] as string;
      const option = SHORT[letter];
      if (!option) return { ok: false, message: `option -${letter} not recognized` };
      if (!option.valued) {
        const error = set(option.key, true, `-${letter}`);
        if (error) return { ok: false, message: error };
        continue;
      }
      let value: string;
      if (j + 1 < arg.length) value = arg.slice(j + 1);
      else if (i + 1 < argv.length) value = argv[++i] as string;
      else return { ok: false, message: `option -${letter} requires argument` };
      const error = set(option.key, value, `-${letter}`);
      if (error) return { ok: false, message: error };
      break;
    }
  }
  const text = (k: Key): string | undefined => {
    const v = values[k];
    return typeof v === 'string' ? v : undefined;
  };
  return {
    ok: true,
    args: {
      configuration: text('configuration'),
      serverurl: text('serverurl'),
      username: text('username'),
      password: text('password'),
      historyFile: text('historyFile'),
      files,
      interactive: values.interactive === true,
      help: values.help === true,
      action: argv.slice(i),
    },
  };
}

/** The -h text; `%s` is the program name. */
export const CTL_USAGE = `%s -- control the processes of a running supervisord (or svd daemon).

Usage: %s [options] [action [arguments]]

Options:
-c/--configuration FILE -- read [supervisorctl] from FILE (default: searched like supervisord's)
-h/--help -- show this text and exit
-i/--interactive -- start the shell (only when no action is given)
-s/--serverurl URL -- the daemon: http://host:port or unix:///path/to.sock
     (default "http://localhost:9001")
-u/--username USER -- Basic-auth user
-p/--password PASSWORD -- Basic-auth password
-r/--history-file FILE -- keep the shell's history in FILE
-f/--file PATH -- (svd) the daemon configured by this file or folder, as svd diff
     finds it: its unix socket, else its inet server (repeatable; not with -c)

An action is a command such as "status", "start web" or "tail -f web"; its exit
status is the program's. Without an action, a shell reads actions one per line
("help" lists them).
`;
