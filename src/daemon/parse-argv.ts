// Pure: supervisord's command line (spec §1.1) into DaemonOptions, with its usage errors.
import type { DaemonOptions } from './options.js';

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
const INTEGERS = new Set(['minfds', 'minprocs', 'logfile_backups']);
const LEVELS = new Set(['critical', 'error', 'warn', 'info', 'debug', 'trace', 'blather']);

function byteSize(text: string): number | null {
  const m = /^(\d+)(KB|MB|GB)?$/i.exec(text.trim());
  if (!m) return null;
  const mult = { KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[(m[2] ?? '').toUpperCase() as 'KB'] ?? 1;
  return Number(m[1]) * mult;
}

export function parseDaemonArgv(argv: readonly string[]): ParsedArgv {
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i] as string;
    let inline: string | undefined;
    if (arg.startsWith('--') && arg.includes('=')) {
      inline = arg.slice(arg.indexOf('=') + 1);
      arg = arg.slice(0, arg.indexOf('='));
    } else if (/^-[a-zA-Z]./.test(arg) && (VALUED[arg.slice(0, 2)] || arg.startsWith('-f'))) {
      inline = arg.slice(2);
      arg = arg.slice(0, 2);
    }
    if (arg === '-h' || arg === '-?' || arg === '--help') return { kind: 'help' };
    if (arg === '-f' || arg === '--file') {
      // svd's -f PATH (repeatable): files or folders, as `svd apply -f` takes them; not a supervisord option.
      const value = inline ?? argv[++i];
      if (value === undefined) return { kind: 'error', message: `option ${arg} requires argument` };
      out.paths = [...((out.paths as string[] | undefined) ?? []), value];
      continue;
    }
    if (arg === '-v' || arg === '--version') return { kind: 'version' };
    const flag = FLAGS[arg];
    const valued = VALUED[arg];
    const key = flag ?? valued;
    if (key === undefined) {
      if (!arg.startsWith('-'))
        return {
          kind: 'error',
          message: `positional arguments are not supported: ['${argv.slice(i).join("', '")}']`,
        };
      return { kind: 'error', message: `option ${arg} not recognized` };
    }
    if (seen.has(key)) return { kind: 'error', message: `conflicting command line option '${arg}'` };
    seen.add(key);
    if (flag) {
      out[flag] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) return { kind: 'error', message: `option ${arg} requires argument` };
    if (INTEGERS.has(key)) {
      if (!/^\d+$/.test(value))
        return { kind: 'error', message: `invalid value for ${arg} '${value}': not an integer: '${value}'` };
      out[key] = Number(value);
    } else if (key === 'logfile_maxbytes') {
      const n = byteSize(value);
      if (n === null)
        return { kind: 'error', message: `invalid value for ${arg} '${value}': not a byte size` };
      out[key] = n;
    } else if (key === 'loglevel') {
      if (!LEVELS.has(value.toLowerCase()))
        return {
          kind: 'error',
          message: `invalid value for ${arg} '${value}': bad logging level name '${value}'`,
        };
      out[key] = value.toLowerCase();
    } else {
      out[key] = value;
    }
  }
  return { kind: 'run', options: out as DaemonOptions };
}
