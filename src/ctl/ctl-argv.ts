// Pure: supervisorctl's command line (spec §1.2), parsed as Python's getopt does: options first, the first
// other word starts the action (so `tail -f web` keeps its `-f`), long options by unique prefix.
import { urlparse } from '../client/python-url.js';
import { pythonRepr } from '../model/python-repr.js';

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
  // supervisorctl's own spelling, then the one its usage text (and svd's) shows.
  history_file: { key: 'historyFile', valued: true },
  'history-file': { key: 'historyFile', valued: true },
  file: { key: 'files', valued: true },
  interactive: { key: 'interactive', valued: false },
  help: { key: 'help', valued: false },
};

/**
 * supervisor's `url` option type: Python's urlparse must take the value (it refuses a bracketed host that is not
 * an IP address, for one) and find a scheme and a host or a path in it. Its message for a value it refuses, or null.
 */
export function urlTypeProblem(value: string): string | null {
  const parsed = urlparse(value);
  if (!parsed.ok) return parsed.message;
  const { scheme, netloc, path } = parsed.parts;
  return scheme !== '' && (netloc !== '' || path !== '') ? null : `value ${pythonRepr(value)} is not a URL`;
}

/** A long option by its name or a unique prefix of it, as getopt finds it; or getopt's message. */
function longOption(
  name: string,
): { ok: true; full: string; option: { key: Key; valued: boolean } } | { ok: false; message: string } {
  const matches = Object.keys(LONG).filter((l) => l.startsWith(name));
  // Two spellings of one option are one option, not an ambiguous prefix.
  const keys = new Set(matches.map((l) => LONG[l]?.key));
  const full = LONG[name] ? name : keys.size === 1 ? (matches[0] as string) : undefined;
  if (full === undefined)
    return {
      ok: false,
      message: keys.size > 1 ? `option --${name} not a unique prefix` : `option --${name} not recognized`,
    };
  return { ok: true, full, option: LONG[full] as { key: Key; valued: boolean } };
}

/**
 * How many of `argv`'s first words are supervisorctl's options as getopt reads them (`-c FILE`, `-cFILE`,
 * `-isURL`, `--serv URL`, `--configuration=FILE`): where a top-level `svd -c FILE status` has its command.
 * It stops at the first other word, at `--`, at what getopt would refuse and at -h, -? and --help, which
 * before any other option are svd's own help.
 */
export function leadingCtlOptionWords(argv: readonly string[]): number {
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i] as string;
    if (arg === '--' || !arg.startsWith('-') || arg === '-') return i;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const found = longOption(arg.slice(2, eq < 0 ? undefined : eq));
      if (!found.ok || found.option.key === 'help') return i;
      if (!found.option.valued) {
        if (eq >= 0) return i;
        i += 1;
      } else if (eq >= 0) i += 1;
      else if (i + 1 < argv.length) i += 2;
      else return i;
      continue;
    }
    let words = 1;
    for (let j = 1; j < arg.length; j++) {
      const option = SHORT[arg[j] as string];
      if (!option || option.key === 'help') return i;
      if (!option.valued) continue;
      if (j + 1 === arg.length) {
        if (i + 1 >= argv.length) return i;
        words = 2;
      }
      break;
    }
    i += words;
  }
  return i;
}

/** One option as getopt returns it: `-s`, or the long option's full name (`--serverurl` for `--serv`). */
interface GivenOption {
  readonly shown: string;
  readonly key: Key;
  readonly value: string | true;
}

/**
 * The options (until the first other word or `--`) and the action, read as getopt reads them: short ones
 * clustered or with their value attached, long ones by unique prefix; or getopt's message.
 */
function getopt(
  argv: readonly string[],
): { ok: true; options: GivenOption[]; action: readonly string[] } | { ok: false; message: string } {
  const options: GivenOption[] = [];
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
      const found = longOption(name);
      if (!found.ok) return found;
      const { full, option } = found;
      let value: string | true = true;
      if (option.valued) {
        if (eq >= 0) value = arg.slice(eq + 1);
        else if (i + 1 < argv.length) value = argv[++i] as string;
        else return { ok: false, message: `option --${full} requires argument` };
      } else if (eq >= 0) {
        return { ok: false, message: `option --${full} must not have an argument` };
      }
      options.push({ shown: `--${full}`, key: option.key, value });
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j] as string;
      const option = SHORT[letter];
      if (!option) return { ok: false, message: `option -${letter} not recognized` };
      if (!option.valued) {
        options.push({ shown: `-${letter}`, key: option.key, value: true });
        continue;
      }
      let value: string;
      if (j + 1 < arg.length) value = arg.slice(j + 1);
      else if (i + 1 < argv.length) value = argv[++i] as string;
      else return { ok: false, message: `option -${letter} requires argument` };
      options.push({ shown: `-${letter}`, key: option.key, value });
      break;
    }
  }
  return { ok: true, options, action: argv.slice(i) };
}

/** Why supervisor refuses `value` for the option shown as `shown`, or null when it takes it. */
function refusal(option: GivenOption): string | null {
  const { key, value, shown } = option;
  if (key !== 'serverurl' || typeof value !== 'string') return null;
  const problem = urlTypeProblem(value);
  return problem === null ? null : `invalid value for ${shown} ${pythonRepr(value)}: ${problem}`;
}

/**
 * supervisorctl's command line, in supervisor's order: getopt reads the whole line first (an unknown option
 * anywhere is the error, even after -h), then the options are taken in order: -h shows the help where it is
 * reached, and a bad -s value or an option given twice (-f excepted) before it is refused with supervisor's
 * message, naming the option as given (`--serverurl` for `--serv`).
 */
export function parseCtlArgv(argv: readonly string[]): CtlArgsResult {
  const read = getopt(argv);
  if (!read.ok) return read;
  const values: Partial<Record<Key, string | true>> = {};
  const files: string[] = [];
  let help = false;
  for (const option of read.options) {
    if (option.key === 'help') {
      help = true;
      break;
    }
    const refused = refusal(option);
    if (refused) return { ok: false, message: refused };
    if (option.key === 'files' && typeof option.value === 'string') files.push(option.value);
    else if (values[option.key] !== undefined)
      return { ok: false, message: `conflicting command line option '${option.shown}'` };
    else values[option.key] = option.value;
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
      help,
      action: read.action,
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
-r/--history_file FILE -- keep the shell's history in FILE
-f/--file PATH -- (svd) the daemon configured by this file or folder, as svd diff
     finds it: its unix socket, else its inet server (repeatable; not with -c)

An action is a command such as "status", "start web" or "tail -f web"; its exit
status is the program's. Without an action, a shell reads actions one per line
("help" lists them).
`;
