// Pure: supervisord's command line (spec §1.1) into DaemonOptions, with its usage errors. The values are checked
// here, as supervisord's option parser checks them, so a bad one is refused in the foreground with exit 2 instead
// of failing in the detached copy.
import type { ConfigHost } from '../config/config-host.js';
import { coerceValue, parsePythonInt } from '../config/coerce.js';
import { pythonRepr } from '../model/python-repr.js';
import {
  absolutePath,
  expandUser,
  isExistingDirectory,
  missingParentDirectory,
} from '../config/path-checks.js';
import type { DaemonOptions } from './options.js';

/** What checking the values needs to know about the machine. */
export type ArgvHost = Pick<ConfigHost, 'cwd' | 'env' | 'isDirectory' | 'userExists'>;

/** What the command line asks for: a run with its options, the help, the version, or a usage error. */
export type ParsedArgv =
  | { readonly kind: 'run'; readonly options: DaemonOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'error'; readonly message: string };

const VALUED: Readonly<Record<string, keyof DaemonOptions>> = {
  '-c': 'configuration',
  '--configuration': 'configuration',
  '-u': 'user',
  '--user': 'user',
  '-m': 'umask',
  '--umask': 'umask',
  '-d': 'directory',
  '--directory': 'directory',
  '-l': 'logfile',
  '--logfile': 'logfile',
  '-y': 'logfile_maxbytes',
  '--logfile_maxbytes': 'logfile_maxbytes',
  '-z': 'logfile_backups',
  '--logfile_backups': 'logfile_backups',
  '-e': 'loglevel',
  '--loglevel': 'loglevel',
  '-j': 'pidfile',
  '--pidfile': 'pidfile',
  '-i': 'identifier',
  '--identifier': 'identifier',
  '-q': 'childlogdir',
  '--childlogdir': 'childlogdir',
  '-a': 'minfds',
  '--minfds': 'minfds',
  '--minprocs': 'minprocs',
};
const FLAGS: Readonly<Record<string, keyof DaemonOptions>> = {
  '-n': 'nodaemon',
  '--nodaemon': 'nodaemon',
  '-s': 'silent',
  '--silent': 'silent',
  '-k': 'nocleanup',
  '--nocleanup': 'nocleanup',
  '-t': 'strip_ansi',
  '--strip_ansi': 'strip_ansi',
};
const LEVELS = new Set(['critical', 'error', 'warn', 'info', 'debug', 'trace', 'blather']);

/**
 * supervisord's words for a -y value it cannot read: its byte_size lowercases the value, drops a kb/mb/gb
 * suffix and hands the rest to int(), so the message is int()'s, quoting what int() was given.
 */
function byteSizeProblem(text: string): string {
  const lower = text.toLowerCase();
  const digits = /(kb|mb|gb)$/.test(lower) ? lower.slice(0, -2) : lower;
  return `invalid literal for int() with base 10: ${pythonRepr(digits)}`;
}

/** The checked value of a valued option, or the reason it is refused in supervisord's words. */
function checkValue(
  key: keyof DaemonOptions,
  value: string,
  host: ArgvHost,
): { value: unknown; warning?: string } | { problem: string } {
  switch (key) {
    case 'minfds':
    case 'minprocs':
    case 'logfile_backups': {
      const n = parsePythonInt(value);
      if (n === null) return { problem: `invalid literal for int() with base 10: ${pythonRepr(value)}` };
      // supervisord takes a negative count and keeps no backups; read it as 0, as the config file does.
      if (key === 'logfile_backups' && n < 0)
        return {
          value: 0,
          warning: `logfile_backups=${n} (command line) is read as 0, which is what supervisor does with it in effect`,
        };
      return { value: n };
    }
    case 'logfile_maxbytes': {
      // The same reading as logfile_maxbytes= in the file (supervisor's byte_size: int() after the suffix, so
      // ' 1 KB', '+5MB', '1_000' and '-1' are taken).
      const n = coerceValue('bytesize', value);
      return n.ok ? { value: n.value } : { problem: byteSizeProblem(value) };
    }
    case 'loglevel':
      return LEVELS.has(value.toLowerCase())
        ? { value: value.toLowerCase() }
        : { problem: `bad logging level name ${pythonRepr(value)}` };
    case 'umask': {
      const octal = coerceValue('octal', value);
      return octal.ok
        ? { value: octal.value }
        : { problem: `${value} can not be converted to an octal type` };
    }
    case 'directory':
    case 'childlogdir':
      // -q relative: the working directory's at the start, where supervisord makes the AUTO logs (before it
      // changes into directory=).
      if (!isExistingDirectory(value, host)) return { problem: `${value} is not an existing directory` };
      return { value: key === 'childlogdir' ? absolutePath(value, host) : expandUser(value, host) };
    case 'logfile':
    case 'pidfile':
      if (key === 'logfile' && value === 'syslog') return { value };
      return missingParentDirectory(value, host) === null
        ? { value: absolutePath(value, host) }
        : { problem: `The directory named as part of the path ${value} does not exist` };
    default:
      return { value };
  }
}

/** supervisord's name_to_uid: its error for a user that does not exist, else null. */
function userProblem(user: string, host: ArgvHost): string | null {
  if (host.userExists(user)) return null;
  return /^\d+$/.test(user) ? `Invalid user id ${user}` : `Invalid user name ${user}`;
}

/** supervisord's options as its getopt call declares them (`:` or `=`: takes a value), and svd's -f. */
const SHORT_OPTIONS = 'h?vc:nsu:m:d:l:y:z:e:j:i:q:a:ktf:';
const LONG_OPTIONS = [
  'help',
  'configuration=',
  'version',
  'nodaemon',
  'user=',
  'umask=',
  'directory=',
  'logfile=',
  'logfile_maxbytes=',
  'logfile_backups=',
  'loglevel=',
  'pidfile=',
  'identifier=',
  'childlogdir=',
  'minfds=',
  'minprocs=',
  'nocleanup',
  'strip_ansi',
  'profile_options=',
  'silent',
  'file=',
];

type Getopt = { readonly opts: [string, string][]; readonly rest: string[] } | { readonly error: string };

/**
 * Python's getopt.getopt, as supervisord reads its command line: short options may be clustered (`-nc FILE`,
 * `-cFILE`), a long option may be shortened to a unique prefix (`--conf=FILE`), and options end at `--` or at
 * the first argument that is not one. The options come back under their full names, with their words for errors.
 */
export function getopt(argv: readonly string[], shortopts: string, longopts: readonly string[]): Getopt {
  const opts: [string, string][] = [];
  let args = [...argv];
  while (args.length > 0 && (args[0] as string).startsWith('-') && args[0] !== '-') {
    const arg = args.shift() as string;
    if (arg === '--') break;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const typed = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      let value: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
      const candidates = longopts.filter((o) => o.startsWith(typed));
      if (candidates.length === 0) return { error: `option --${typed} not recognized` };
      let name: string;
      let takesValue: boolean;
      if (candidates.includes(typed)) [name, takesValue] = [typed, false];
      else if (candidates.includes(`${typed}=`)) [name, takesValue] = [typed, true];
      else if (candidates.length > 1) return { error: `option --${typed} not a unique prefix` };
      else {
        const only = candidates[0] as string;
        takesValue = only.endsWith('=');
        name = takesValue ? only.slice(0, -1) : only;
      }
      if (takesValue && value === undefined) {
        if (args.length === 0) return { error: `option --${name} requires argument` };
        value = args.shift() as string;
      } else if (!takesValue && value !== undefined) {
        return { error: `option --${name} must not have an argument` };
      }
      opts.push([`--${name}`, value ?? '']);
      continue;
    }
    let cluster = arg.slice(1);
    while (cluster !== '') {
      const letter = cluster[0] as string;
      cluster = cluster.slice(1);
      const at = letter === ':' ? -1 : shortopts.indexOf(letter);
      if (at < 0) return { error: `option -${letter} not recognized` };
      if (shortopts[at + 1] !== ':') {
        opts.push([`-${letter}`, '']);
        continue;
      }
      if (cluster === '') {
        if (args.length === 0) return { error: `option -${letter} requires argument` };
        cluster = args.shift() as string;
      }
      opts.push([`-${letter}`, cluster]);
      cluster = '';
    }
  }
  return { opts, rest: args };
}

/**
 * Parses supervisord's options as its getopt and realize() do: values checked as they come (a bad value
 * before a repeated option), -h or -v ending the reading, no positional arguments; -f (svd's) repeatable.
 * Never throws: a problem is `{kind: 'error'}` with supervisord's message.
 */
export function parseDaemonArgv(argv: readonly string[], host: ArgvHost): ParsedArgv {
  const out: Record<string, unknown> = {};
  const warnings: string[] = [];
  const seen = new Set<string>();
  const parsed = getopt(argv, SHORT_OPTIONS, LONG_OPTIONS);
  if ('error' in parsed) return { kind: 'error', message: parsed.error };
  if (parsed.rest.length > 0)
    return {
      kind: 'error',
      message: `positional arguments are not supported: [${parsed.rest.map(pythonRepr).join(', ')}]`,
    };
  // In order, as supervisord's realize() takes them: help or version ends the reading where it stands.
  for (const [opt, value] of parsed.opts) {
    if (opt === '-h' || opt === '-?' || opt === '--help') return { kind: 'help' };
    if (opt === '-v' || opt === '--version') return { kind: 'version' };
    if (opt === '-f' || opt === '--file') {
      // svd's -f PATH (repeatable): files or folders, as `svd apply -f` takes them; not a supervisord option.
      out.paths = [...((out.paths as string[] | undefined) ?? []), value];
      continue;
    }
    if (opt === '--profile_options') {
      // supervisord runs itself under Python's profiler; svd has none to run under.
      warnings.push(`--profile_options=${value} is ignored: svd is not a Python program to profile`);
      continue;
    }
    const flag = FLAGS[opt];
    const key = flag ?? VALUED[opt];
    if (key === undefined) return { kind: 'error', message: `option ${opt} not recognized` };
    // supervisord checks the value first, then whether the option was given before.
    const checked = flag ? { value: true } : checkValue(key, value, host);
    if ('problem' in checked)
      return { kind: 'error', message: `invalid value for ${opt} ${pythonRepr(value)}: ${checked.problem}` };
    if (seen.has(key)) return { kind: 'error', message: `conflicting command line option '${opt}'` };
    seen.add(key);
    out[key] = checked.value;
    if ('warning' in checked && checked.warning) warnings.push(checked.warning);
  }
  // supervisord checks the user after reading the config; a usage error all the same.
  const problem = typeof out.user === 'string' ? userProblem(out.user, host) : null;
  if (problem !== null) return { kind: 'error', message: problem };
  if (warnings.length > 0) out.warnings = warnings;
  return { kind: 'run', options: out as DaemonOptions };
}
