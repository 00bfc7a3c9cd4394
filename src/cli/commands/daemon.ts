// `svd daemon` / `supervisord`: supervisord's command line (spec §1.1), then the daemon with its servers.
import { basename } from 'node:path';
import { currentHost } from '../../config/config-host.js';
import { parseDaemonArgv } from '../../daemon/parse-argv.js';
import { runDaemon } from '../../daemon/run-daemon.js';
import { controlPlaneHook } from '../../daemon/servers.js';
import { endQuietlyWhenOutputFails, processIo, type CliIo } from '../io.js';

function usage(program: string): string {
  return `${program} -- run programs as daemons and keep them running (supervisord-compatible).

Usage: ${program} [options]

Options (each overrides the same [supervisord] setting):
-c/--configuration FILE -- the configuration (searched in the usual places if not given)
-f/--file PATH -- (svd) a config file or folder instead of -c; repeatable
-n/--nodaemon -- stay in the foreground (nodaemon=true)
-s/--silent -- in the foreground, do not echo the log to stdout (silent=true)
-h/--help -- show this text and exit
-v/--version -- print the supervisor version this daemon is compatible with, and exit
-u/--user USER -- run as USER (a name or a uid)
-m/--umask UMASK -- umask when daemonized (octal, default 022)
-d/--directory DIR -- directory to change to when daemonized
-l/--logfile FILE -- the main log
-y/--logfile_maxbytes BYTES -- rotate the main log at this size (KB, MB, GB suffixes)
-z/--logfile_backups NUM -- rotated copies of the main log to keep
-e/--loglevel LEVEL -- critical, error, warn, info, debug, trace or blather
-j/--pidfile FILE -- where to write the daemon's pid
-i/--identifier STR -- this daemon's identifier (getIdentification)
-q/--childlogdir DIR -- folder of the AUTO child logs
-k/--nocleanup -- keep old AUTO child logs at startup
-a/--minfds NUM -- open files the daemon must be able to have
-t/--strip_ansi -- remove ANSI escape sequences from child output
--minprocs NUM -- processes the daemon's user must be able to have
`;
}

/** `supervisord` when run through that bin, else `svd daemon`. */
function programName(): string {
  const script = process.argv[1] ?? '';
  return basename(script).startsWith('supervisord') ? script : 'svd daemon';
}

/** Runs the daemon until it shuts down; resolves to its exit status. */
export async function runDaemonCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const program = programName();
  const parsed = parseDaemonArgv(argv, currentHost());
  // Until it runs, the daemon is a command like the others: its help written to /dev/full is one line.
  if (parsed.kind !== 'run' && io === processIo) endQuietlyWhenOutputFails();
  switch (parsed.kind) {
    case 'help':
      io.stdout.write(usage(program));
      return 0;
    case 'version':
      io.stdout.write('4.2.5\n');
      return 0;
    case 'error':
      io.stderr.write(`Error: ${parsed.message}\nFor help, use ${program} -h\n`);
      return 2;
    case 'run':
      return runDaemon({ ...parsed.options, program, servers: [controlPlaneHook(parsed.options)] });
  }
}
