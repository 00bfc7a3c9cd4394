// The composition root of supervisord: find and load the configuration, detach or run behind tini, drop
// privileges, raise limits, then run it (daemon-run.ts) again after every supervisor.restart.
import { closeSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { getSystemErrorMap } from 'node:util';
import { lookupUser } from '../adapters/user-db.js';
import { defaultConfigCandidates, findDefaultConfig } from '../config/load.js';
import { lazySyslogSink, pythonRepr } from '../logs/index.js';
import type { SupervisordSettings } from '../model/config.js';
import { findTini, needsTini, runBehindTini } from './behind-tini.js';
import { absoluteSource, type ConfigSource } from '../config/config-source.js';
import { DaemonConfigState } from './config-source.js';
import { load, runOnce, type LoadSuccess, type StartupLine } from './daemon-run.js';
import { detach, isDetachedCopy, reportStartup } from './detach.js';
import { keepYoungGenerationSmall } from './heap-tuning.js';
import { pauseOptimizer } from './optimizer-pause.js';
import type { DaemonOptions } from './options.js';
import { commandLineOf, livePidFrom } from './pidfile.js';
import { raiseRlimits } from './rlimits.js';

/**
 * What a start-up error prints, as supervisord's usage() prints it: `Error: <message>` and the help hint.
 * A config diagnostic (`file:line:col: error: ...`) is printed as it is: svd's own form (README).
 */
export function usageText(message: string, program: string): string {
  if (message.includes(': error: ')) return `${message}\n`;
  return `Error: ${message}\nFor help, use ${program} -h\n`;
}

/**
 * supervisord opens its own log before it daemonizes, and only then sets umask=: the log is created with the
 * umask the daemon was started with (umask=077 still leaves supervisord.log 0644 for a log shipper). Create it
 * now, as the user the daemon runs as; a file that exists keeps its mode. Only a regular file: opening a FIFO
 * would block, and syslog is no file.
 */
function createMainLog(path: string): void {
  if (path === 'syslog') return;
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats === undefined || stats.isFile()) closeSync(openSync(path, 'a'));
  } catch {
    // Opening the log for real reports the problem, in its words.
  }
}

/**
 * Changes into `directory` as supervisord does when it daemonizes: after the privilege drop, so the folder can be
 * one the daemon's user may not enter. A failure is supervisord's CRIT `can't chdir into '/x': [Errno 13]
 * Permission denied: '/x'`, and the daemon runs on in the folder it was started in.
 */
function changeDirectory(directory: string): StartupLine {
  try {
    process.chdir(directory);
    return { level: 'info', text: `set current directory: ${pythonRepr(directory)}` };
  } catch (e) {
    const errno = (e as NodeJS.ErrnoException).errno;
    const entry = typeof errno === 'number' ? getSystemErrorMap().get(errno) : undefined;
    const reason = entry
      ? `[Errno ${Math.abs(errno as number)}] ${entry[1].charAt(0).toUpperCase()}${entry[1].slice(1)}`
      : String((e as Error).message ?? e);
    return {
      level: 'critical',
      text: `can't chdir into ${pythonRepr(directory)}: ${reason}: ${pythonRepr(directory)}`,
    };
  }
}

/** supervisord's warning (a Python UserWarning on stderr) when root starts it without -c. */
const ROOT_SEARCHING_WARNING =
  'Supervisord is running as root and it is searching for its configuration file in default locations (including its current working directory); you probably want to specify a "-c" argument specifying an absolute path to a configuration file for improved security.';

/** Where the daemon's script lives: the default config search starts beside it, as supervisord's does. */
function binDir(): string {
  return dirname(process.argv[1] ?? '.');
}

/** The source the daemon starts from: -f PATHs, else -c FILE, else supervisor's search path. */
function initialSource(options: DaemonOptions): ConfigSource | null {
  if (options.paths?.length) return absoluteSource({ paths: options.paths }, process.cwd());
  const file = options.configuration ?? findDefaultConfig(process.cwd(), binDir());
  return file === null ? null : { configFile: resolve(file) };
}

function selfCommand(options: DaemonOptions): { command: string; args: readonly string[] } {
  return options.self ?? { command: process.execPath, args: [...process.execArgv, ...process.argv.slice(1)] };
}

/** Drops to `user=` (spec §2.6.1); the error text when that is impossible. */
function dropPrivileges(sd: SupervisordSettings): { error: string | null; info: string | null } {
  if (sd.user === null) return { error: null, info: null };
  const entry = lookupUser(sd.user);
  if (!entry) return { error: `Invalid user name ${sd.user}`, info: null };
  const me = process.getuid?.() ?? 0;
  // supervisord's drop_privileges does nothing for the uid it already has, and it still logs the success.
  if (entry.uid === me) return { error: null, info: `Set uid to user ${entry.uid} succeeded` };
  if (me !== 0) return { error: "Can't drop privilege as nonroot user", info: null };
  process.setgroups?.([entry.gid, ...entry.groups]);
  process.setgid?.(entry.gid);
  process.setuid?.(entry.uid);
  return { error: null, info: `Set uid to user ${entry.uid} succeeded` };
}

/**
 * Runs supervisord until it is shut down; resolves with the process exit status (0, or 2 for a startup usage
 * error, printed on stderr). Never calls process.exit itself.
 */
export async function runDaemon(options: DaemonOptions = {}): Promise<number> {
  keepYoungGenerationSmall();
  let pause = pauseOptimizer();
  const stderr = options.stderr ?? process.stderr;
  const usage = (message: string) => {
    const text = usageText(message, options.program ?? 'svd daemon');
    stderr.write(text);
    reportStartup(text);
    return 2;
  };
  if (needsTini()) {
    const tini = findTini();
    if (tini) return runBehindTini(tini, selfCommand(options));
    stderr.write('svd: running as PID 1 without tini: orphaned grandchildren will not be reaped\n');
  }
  if (!options.configuration && !options.paths?.length && process.getuid?.() === 0)
    stderr.write(`UserWarning: ${ROOT_SEARCHING_WARNING}\n`);
  const source = initialSource(options);
  if (source === null)
    return usage(
      // The working directory's candidates as supervisord names them: relative.
      `No config file found at default paths (${defaultConfigCandidates('', binDir()).join(', ')}); use the -c option to specify a config file at a different path`,
    );
  const configState = new DaemonConfigState(source, options);
  const loaded = load(configState);
  if (!loaded.ok) return usage(loaded.message);
  configState.adopt(source, loaded.config);
  const sd = loaded.config.supervisord;

  if (!sd.nodaemon && !isDetachedCopy()) return detach(selfCommand(options), stderr);

  const livePid = livePidFrom(sd.pidfile);
  if (livePid !== null) {
    // Named by its command line: on a host moving from supervisord it is as likely the old daemon as an svd.
    const command = commandLineOf(livePid);
    return usage(
      `another daemon is already running with pid ${livePid} (pidfile ${sd.pidfile})${command ? `: ${command}` : ''}`,
    );
  }
  const drop = dropPrivileges(sd);
  if (drop.error) return usage(drop.error);
  const limits = raiseRlimits(sd.minfds, sd.minprocs);
  if (limits.error) return usage(limits.error);
  let directoryLine: StartupLine | null = null;
  if (isDetachedCopy()) {
    createMainLog(sd.logfile);
    process.umask(Number.parseInt(sd.umask, 8));
    if (sd.directory !== null) directoryLine = changeDirectory(sd.directory);
  }

  // One syslog connection for the daemon log and every *_syslog channel, started by the first line sent.
  // SVD_SYSLOG_SOCKET names another socket than /dev/log (a chroot's, or a test's receiver).
  const syslog = lazySyslogSink({ socketPath: process.env['SVD_SYSLOG_SOCKET'] || undefined });
  const infos = [...(drop.info ? [drop.info] : []), ...limits.infos];
  let lastSerial = -1;
  // Between two runs (a reload) no run has handlers: an exit signal is kept for the next run, and HUP or USR2
  // must not end the daemon by Node's default action.
  let earlyExit: NodeJS.Signals | null = null;
  const held: [NodeJS.Signals, () => void][] = [
    ...(['SIGTERM', 'SIGINT', 'SIGQUIT'] as const).map((sig): [NodeJS.Signals, () => void] => [
      sig,
      () => (earlyExit ??= sig),
    ]),
    ['SIGHUP', () => undefined],
    ['SIGUSR2', () => undefined],
    // Any listener keeps Node from opening its inspector on SIGUSR1 (daemon-run.ts logs it while a run is on).
    ['SIGUSR1', () => undefined],
  ];
  for (const [sig, h] of held) process.on(sig, h);
  const takeEarlyExit = () => {
    const sig = earlyExit;
    earlyExit = null;
    return sig;
  };
  let current: LoadSuccess = loaded;
  for (let firstRun = true; ; firstRun = false) {
    const end = await runOnce({
      options,
      configState,
      loaded: current,
      syslog,
      infos,
      lastSerial,
      daemonizing: isDetachedCopy() && firstRun,
      directoryLine: firstRun ? directoryLine : null,
      pause,
      takeEarlyExit,
      usage,
      stderr,
    });
    lastSerial = end.lastSerial;
    pause = end.pause;
    if (end.next === undefined) {
      for (const [sig, h] of held) process.off(sig, h);
      await syslog.close();
      return end.status;
    }
    current = end.next;
  }
}
