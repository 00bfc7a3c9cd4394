// One run of supervisord on a loaded configuration: its log, engine, events, servers and signals, from
// "supervisord started" until a shutdown, or until supervisor.restart, after which runDaemon starts the next
// run on a fresh read, as supervisord builds a new Supervisor on fresh options.
import { dirname } from 'node:path';
import { coverableDescriptors, inheritedDescriptors } from '../adapters/inherited-fds.js';
import { closeSoon, nativeLogWriter, nativeSpawnAvailable } from '../adapters/native-spawn.js';
import { removeOrphanedFoldersAtStart } from '../adapters/fifo-pipes.js';
import { NodeSpawner } from '../adapters/node-spawner.js';
import { systemClock } from '../adapters/system-clock.js';
import { Engine } from '../engine/engine.js';
import { ReconcileLoop } from '../engine/reconcile-loop.js';
import { EventBus } from '../events/index.js';
import { FcgiSockets } from '../fcgi/index.js';
import { addressInUse } from '../http/address-in-use.js';
import { ADDRESS_IN_USE_MESSAGE } from '../http/server-start-error.js';
import {
  cleanupAutoLogs,
  createDaemonLog,
  ignoreStreamErrors,
  type DaemonLog,
  type SyslogSink,
} from '../logs/index.js';
import type { EffectiveConfig } from '../model/config.js';
import { inetServerUrl } from '../model/inet-address.js';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../model/diagnostics.js';
import { logApply, warnUnappliedSettings } from './apply-log.js';
import { channelLogFactory } from './child-logs.js';
import { describeSource, type ConfigSource } from '../config/config-source.js';
import type { DaemonConfigState } from './config-source.js';
import { reportStartup } from './detach.js';
import { pauseOptimizer, resumeOptimizer } from './optimizer-pause.js';
import { pauseOptimizerInBursts } from './burst-pause.js';
import type { DaemonContext, DaemonOptions, StartedServer } from './options.js';
import { removePidfile, writePidfile } from './pidfile.js';
import { readLimit } from './rlimits.js';
import { daemonSignalHandlers } from './signal-handlers.js';

/** SUPERVISOR_SERVER_URL for serverurl=AUTO: the unix socket first, else the inet server (spec §2.6.5). */
function autoServerUrl(config: EffectiveConfig): string | null {
  if (config.unix_http_server) return `unix://${config.unix_http_server.file}`;
  if (config.inet_http_server) return inetServerUrl(config.inet_http_server.port, 'localhost');
  return null;
}

/** A configuration that loaded without errors, with its warnings. */
export type LoadSuccess = { ok: true; config: EffectiveConfig; warnings: readonly Diagnostic[] };
/** A loaded configuration, or every error as one message (one formatted diagnostic per line). */
export type Loaded = LoadSuccess | { ok: false; message: string };

/** Loads the daemon's configuration source: the config and its warnings, or every error as one message. */
export function load(state: DaemonConfigState): Loaded {
  const result = state.load();
  if (!result.config || hasErrors(result.diagnostics)) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
    return {
      ok: false,
      message: errors.length > 0 ? errors.join('\n') : `could not load ${describeSource(state.source)}`,
    };
  }
  return {
    ok: true,
    config: result.config,
    warnings: result.diagnostics.filter((d) => d.severity !== 'error'),
  };
}

/** The files a source read beyond the ones it names: supervisor logs each as an "extra file". */
function includedFiles(source: ConfigSource, files: readonly string[]): string[] {
  const named = source.configFile !== undefined ? [source.configFile] : source.paths;
  return files.filter((f) => !named.some((n) => f === n || dirname(f) === n));
}

/** A main-log line: its level and text. */
export interface StartupLine {
  readonly level: 'info' | 'critical';
  readonly text: string;
}

/** What one run starts from and what it carries over from the run before. */
export interface DaemonRunInput {
  readonly options: DaemonOptions;
  readonly configState: DaemonConfigState;
  readonly loaded: LoadSuccess;
  /** Shared by every run: one logger(1) for the daemon's whole life. */
  readonly syslog: SyslogSink;
  /** Start-up lines logged once the log is open (the privilege drop, raised limits). */
  readonly infos: readonly string[];
  /** The detached copy's first run: it logs supervisord's `daemonizing the supervisord process` line. */
  readonly daemonizing: boolean;
  /** The first run of a detached copy with [supervisord] directory=: how its chdir went, logged after daemonizing. */
  readonly directoryLine?: StartupLine | null | undefined;
  /** The global event serial the previous run ended on (-1 for the first run). */
  readonly lastSerial: number;
  /** The optimizer pause this run's starts run under (optimizer-pause.ts). */
  readonly pause: number;
  /** An exit signal that arrived before this run had its handlers (between two runs), or null. */
  readonly takeEarlyExit: () => NodeJS.Signals | null;
  /** Prints a start-up error (and tells a waiting parent); returns the exit status, 2. */
  readonly usage: (message: string) => number;
  readonly stderr: NodeJS.WritableStream;
}

/** How a run ended: its exit status, the next run's configuration after a restart, what carries over. */
export interface DaemonRunEnd {
  readonly status: number;
  /** After supervisor.restart: the configuration the next run starts from. */
  readonly next?: LoadSuccess | undefined;
  readonly lastSerial: number;
  readonly pause: number;
}

/** Runs supervisord once on `input.loaded`; resolves when it shut down or was told to restart. */
export async function runOnce(input: DaemonRunInput): Promise<DaemonRunEnd> {
  const { options, configState, loaded, syslog, usage, stderr } = input;
  const config = () => configState.config;
  let { lastSerial, pause } = input;
  const end = (status: number, next?: LoadSuccess): DaemonRunEnd => ({ status, next, lastSerial, pause });
  const sd = loaded.config.supervisord;
  let log: DaemonLog;
  try {
    log = createDaemonLog({
      syslog,
      path: sd.logfile,
      maxbytes: sd.logfile_maxbytes,
      backups: sd.logfile_backups,
      level: sd.loglevel,
      echo: sd.nodaemon && !sd.silent ? (options.stdout ?? process.stdout) : undefined,
      // A write or rotation of the log file that starts failing (its folder removed, a full disk): one ERRO
      // record, seen on stdout in the foreground and in the file once it can be written again (supervisord
      // dies of it). The file reports a failure once, so this record cannot loop.
      onError: (e) => log.error(e.message),
    });
  } catch (e) {
    return end(usage(e instanceof Error ? e.message : String(e)));
  }
  if ((process.getuid?.() ?? 1) === 0 && sd.user === null) {
    log.critical(
      'Supervisor is running as root.  Privileges were not dropped because no user is specified in the config file.  If you intend to run as root, you can set user=root in the config file to avoid this message.',
    );
  }
  for (const file of includedFiles(configState.source, loaded.config.files))
    log.info(`Included extra file "${file}" during parsing`);
  // `svd validate` shows these too; a daemon started on the file must not keep them to itself.
  for (const warning of loaded.warnings) log.warn(formatDiagnostic(warning));
  for (const warning of options.warnings ?? []) log.warn(warning);
  for (const info of input.infos) log.info(info);

  const daemonLogger = (level: Parameters<DaemonLog['log']>[0], message: string) => log.log(level, message);
  const stdout = options.stdout ?? process.stdout;
  ignoreStreamErrors(stdout);
  const events = new EventBus({
    lastSerial,
    clock: systemClock,
    logger: daemonLogger,
    identifier: sd.identifier,
    echo: (text) => {
      if (!stdout.destroyed) stdout.write(text);
    },
  });
  const fcgi = new FcgiSockets({ logger: daemonLogger });
  const openFilesLimit = readLimit('nofile').soft;
  const fds = coverableDescriptors(inheritedDescriptors(), openFilesLimit);
  // The native spawner closes every descriptor from 3 in the child: only node:child_process leaves these open.
  if (!nativeSpawnAvailable())
    for (const fd of fds.uncovered)
      log.warn(
        `descriptor ${fd}, inherited by the daemon, is above what the open-files limit lets a child's stdio cover: children inherit it`,
      );
  removeOrphanedFoldersAtStart();
  const engine = new Engine({
    clock: systemClock,
    spawner: events.wrapSpawner(
      new NodeSpawner({
        supervisordEnvironment: sd.environment,
        serverUrl: autoServerUrl(config()),
        stdinFor: fcgi.stdinFor,
        hiddenFds: fds.covered,
        onPipeFallback: (message) => log.warn(message),
      }),
    ),
    childLogs: channelLogFactory({
      supervisord: sd,
      mainLog: log,
      syslog,
      onCapture: events.onCapture,
      onLogged: events.onLogged,
      isListener: events.isListener,
      closeFd: closeSoon,
      writer: nativeLogWriter(),
    }),
    logger: daemonLogger,
  });
  // Sockets and pools exist before a group's processes spawn and before its PROCESS_GROUP_ADDED is sent.
  const detachFcgi = fcgi.attach(engine);
  const detachEvents = events.attach(engine);
  const populate = (c: EffectiveConfig) => {
    const sd = c.supervisord;
    if (!sd.nocleanup) {
      const report = cleanupAutoLogs(sd.childlogdir, sd.identifier);
      if (report.dirError) log.warn('Could not clear childlog dir');
      for (const failure of report.failed) log.warn(`Failed to clean up '${failure.path}'`);
    }
    events.setIdentifier(sd.identifier);
    for (const g of c.groups) engine.addGroup(g);
  };
  // Before populate clears childlogdir: a daemon already serving this configuration keeps its AUTO logs.
  if ((options.servers ?? []).length > 0) {
    const c = config();
    const busy = await addressInUse({
      unixFile: c.unix_http_server?.file ?? null,
      inetPort: c.inet_http_server?.port ?? null,
    });
    if (busy) {
      events.close();
      fcgi.closeAll();
      await log.close();
      return end(usage(ADDRESS_IN_USE_MESSAGE));
    }
  }
  try {
    populate(config());
  } catch (e) {
    await log.close();
    return end(usage(e instanceof Error ? e.message : String(e)));
  }
  const servers: StartedServer[] = [];
  // A getter: a hook started once must see the config a full reload put in place.
  // Whatever an apply (SIGHUP, svd apply, the web page) put in place is the configuration the daemon runs.
  const reconcile = new ReconcileLoop<EffectiveConfig>(
    engine,
    (desired) => configState.adopt(configState.source, desired),
    (outcome) => {
      if (outcome.ok) warnUnappliedSettings(log, loaded.config, outcome.desired, 'apply');
      logApply(log, outcome, 'apply');
    },
  );
  const ctx = (): DaemonContext => ({
    engine,
    get config() {
      return configState.config;
    },
    startedWith: loaded.config,
    log,
    events,
    configState,
    reconcile,
  });
  for (const hook of options.servers ?? []) {
    try {
      servers.push(await hook(ctx()));
    } catch (e) {
      for (const s of servers) await s.close();
      events.close();
      fcgi.closeAll();
      await log.close();
      return end(usage(e instanceof Error ? e.message : String(e)));
    }
  }

  const signals = daemonSignalHandlers({
    log,
    engine,
    configState,
    servers,
    reconcile,
    startedWith: loaded.config,
  });
  for (const [sig, h] of signals) process.on(sig, h);
  const early = input.takeEarlyExit();
  if (early !== null) {
    log.warn(`received ${early} indicating exit request`);
    engine.requestShutdown();
  }
  // Signal handlers do not keep Node's event loop alive: with no server and no running child (every program
  // autostart=false, or all exited) the daemon would quietly exit 0. supervisord runs until told to stop.
  const keepAlive = setInterval(() => undefined, 0x7fffffff);

  // supervisord logs this as it forks, after its servers are up and before it writes the pidfile.
  if (input.daemonizing) log.info('daemonizing the supervisord process');
  if (input.directoryLine) log[input.directoryLine.level](input.directoryLine.text);
  const pidError = writePidfile(sd.pidfile);
  if (pidError) log.critical(pidError);
  log.info(`supervisord started with pid ${process.pid}`);
  reportStartup(null);

  const requests: ('shutdown' | 'restart')[] = [];
  let wake: (() => void) | null = null;
  engine.subscribe((e) => {
    if (e.type !== 'request') return;
    requests.push(e.request);
    wake?.();
  });
  const warm = () => Promise.all(servers.map((s) => s.warm?.())).then(() => undefined);
  if (mayRunOutOfDescriptors(config(), openFilesLimit)) await warm();
  runEngine(engine, pause, warm);
  const endBurstPauses = pauseOptimizerInBursts(engine);

  if (requests.length === 0) await new Promise<void>((r) => (wake = r));
  const request = requests.shift();
  endBurstPauses();
  pause = pauseOptimizer();
  await stopEverything(engine, log);
  for (const s of servers) await s.close();
  detachEvents();
  detachFcgi();
  events.close();
  fcgi.closeAll();
  releaseProcesses(engine, log);
  for (const [sig, h] of signals) process.off(sig, h);
  clearInterval(keepAlive);
  removePidfile(sd.pidfile);
  lastSerial = events.lastSerial;
  if (request === 'shutdown' || engine.state === 'SHUTDOWN') {
    await log.close();
    return end(0);
  }
  // supervisor's reload (supervisor.restart): everything again from a fresh read of the configuration,
  // [supervisord] and the servers included, as supervisord builds a new Supervisor on fresh options.
  const next = load(configState);
  if (!next.ok) {
    log.critical(next.message);
    stderr.write(`${next.message}\n`);
    await log.close();
    return end(2);
  }
  await log.close();
  configState.adopt(configState.source, next.config);
  return end(0, next);
}

/**
 * Whether the children could take every descriptor the open-files limit leaves the daemon (its own, the
 * routes' modules being read, a client or two need about 256). The routes are then loaded before the first
 * spawn: loaded later, with none to spare, every request would answer 500, and the daemon could not be told
 * to stop a program to free some.
 */
function mayRunOutOfDescriptors(config: EffectiveConfig, openFilesLimit: number): boolean {
  const logged = (file: string) => (file === 'NONE' || file === 'syslog' || file === '' ? 0 : 1);
  let held = 256;
  for (const g of config.groups)
    for (const p of g.processes)
      held += p.redirect_stderr
        ? 2 + logged(p.stdout_logfile)
        : 3 + logged(p.stdout_logfile) + logged(p.stderr_logfile);
  return held > openFilesLimit;
}

/**
 * The engine's main loop starts. A second after the starts have settled (the spawn events and first output of
 * a burst come in that second), or after 10 s at most, the servers are warmed and then V8 optimizes again. In
 * that order: modules loaded with the optimizer on have some of their code compiled on a background thread,
 * whose malloc arena keeps ~4 MB that every later fork copies.
 */
function runEngine(engine: Engine, pause: number, warm: () => Promise<void>): void {
  engine.run();
  const after = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
  // The cap (a program whose startsecs never ends) counts from the last spawn, not from the launch: a start of
  // thousands takes longer than 10 s, and optimizing its spawn path midway only costs memory.
  void engine.startsMade().then(() => {
    const done = engine.startsSettled().then(() => after(1000));
    return Promise.race([done, after(10_000)])
      .then(warm)
      .then(() => resumeOptimizer(pause));
  });
}

/**
 * Lets go of a finished run's processes, every one of them stopped by now: removing their groups closes their
 * log files, which a reload would otherwise keep open for good (deleted AUTO logs and their disk space too).
 */
function releaseProcesses(engine: Engine, log: DaemonLog): void {
  for (const group of engine.groupSpecs()) {
    try {
      engine.removeGroup(group.name);
    } catch (e) {
      log.warn(`could not release ${group.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/**
 * The shutdown step: stop everything, logging who is still alive at once when the first processes have been
 * signalled, then every 3 seconds (spec §3.10: supervisord's first report comes in the tick that sends the
 * signals, as its last report time starts at 0).
 */
async function stopEverything(engine: Engine, log: DaemonLog): Promise<void> {
  const report = () => {
    const left = engine.unstoppedProcessStates();
    if (left.length === 0) return;
    log.info(`waiting for ${left.map((p) => p.name).join(', ')} to die`);
    for (const p of left) log.blather(`${p.name} state: ${p.state}`);
  };
  let every: NodeJS.Timeout | undefined;
  try {
    await engine.stopAll(() => {
      report();
      every = setInterval(report, 3000);
    });
  } finally {
    clearInterval(every);
  }
}
