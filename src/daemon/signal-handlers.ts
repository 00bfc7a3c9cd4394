// The daemon's signals as supervisord reads them: exit requests, SIGHUP's reload (svd's minimal update), log
// reopening, and the ones it only logs.
import { describeSource } from '../config/config-source.js';
import type { Engine } from '../engine/engine.js';
import { isSvdError } from '../engine/errors.js';
import type { ReconcileLoop } from '../engine/reconcile-loop.js';
import type { DaemonLog } from '../logs/index.js';
import type { EffectiveConfig } from '../model/config.js';
import { logApply, warnUnappliedSettings } from './apply-log.js';
import type { DaemonConfigState } from './config-source.js';
import type { StartedServer } from './options.js';

/** How long a repeat of the exit signal just handled counts as the same request (supervisord queues it once). */
const SIGNAL_REPEAT_MS = 100;

/** What one run's handlers act on. */
export interface SignalContext {
  readonly log: DaemonLog;
  readonly engine: Engine;
  readonly configState: DaemonConfigState;
  /** The run's servers, as they are when a signal comes (a SIGHUP rebinds a removed socket file). */
  readonly servers: readonly StartedServer[];
  readonly reconcile: ReconcileLoop<EffectiveConfig>;
  /** The configuration the run started from: what a reload compares [supervisord] and the servers with. */
  readonly startedWith: EffectiveConfig;
}

/** The handlers of one run, by signal; the run installs them with process.on and takes them off when it ends. */
export function daemonSignalHandlers(ctx: SignalContext): [NodeJS.Signals, () => void][] {
  const { log, engine, configState, servers, reconcile } = ctx;
  // supervisord queues a signal once until its next tick (up to ~1 s later) handles it, so the same exit signal
  // sent twice at once is one request and one log line: GNU timeout, for one, signals its child and then its
  // whole process group. svd acts at once; a repeat within SIGNAL_REPEAT_MS of the first is that same request.
  // Only the exit signals: a second SIGHUP right after the first one's apply is a new request.
  const repeated = new Set<NodeJS.Signals>();
  // Only where the line is written: a listener keeps a handler installed, and every child's exit then
  // interrupts the daemon with a signal (a stop of 1,000 took ~900 deliveries, each a wake-up of the loop and
  // a call into JavaScript). Without one, SIGCHLD is at its default and the kernel drops it at the exit; the
  // exits are seen by their pidfds (or by libuv's own handler, for a node:child_process child).
  const childQuit: [NodeJS.Signals, () => void][] = log.enabled('debug')
    ? [['SIGCHLD', () => log.debug('received SIGCHLD indicating a child quit')]]
    : [];
  return [
    ...(['SIGTERM', 'SIGINT', 'SIGQUIT'] as const).map((sig): [NodeJS.Signals, () => void] => [
      sig,
      () => {
        if (repeated.has(sig)) return;
        repeated.add(sig);
        setTimeout(() => repeated.delete(sig), SIGNAL_REPEAT_MS).unref();
        log.warn(`received ${sig} indicating exit request`);
        engine.requestShutdown();
      },
    ]),
    [
      'SIGHUP',
      () => {
        if (engine.state === 'SHUTDOWN') {
          // supervisord's very line: a log watcher may look for it.
          log.warn('ignored SIGHUP indicating restart request (shutdown in progress)');
          return;
        }
        if (engine.state !== 'RUNNING') {
          log.warn('ignored SIGHUP indicating reload request (restart in progress)');
          return;
        }
        // svd's SIGHUP is the minimal update (supervisor's full restart stays on supervisor.restart).
        log.warn(`received SIGHUP indicating reload request: applying ${describeSource(configState.source)}`);
        // supervisord's restart makes its socket again: a SIGHUP is how one gets back a socket file removed.
        for (const s of servers) void s.rebind?.();
        const sourceNow = configState.source;
        reconcile.requestReload(
          () => {
            const r = configState.load(sourceNow);
            if (r.config) warnUnappliedSettings(log, ctx.startedWith, r.config, 'reload');
            return { desired: r.config, diagnostics: r.diagnostics };
          },
          (outcome) => logApply(log, outcome, 'reload'),
          (error) => {
            // A shutdown or restart that began while this reload waited for the apply before it: nothing
            // failed, the running set is being stopped anyway (supervisord drops a SIGHUP overtaken so too).
            if (isSvdError(error) && error.fault === 'SHUTDOWN_STATE') {
              const what = engine.state === 'SHUTDOWN' ? 'shutdown' : 'restart';
              log.warn(`ignored SIGHUP indicating reload request (${what} in progress)`);
              return;
            }
            log.error(`reload failed: ${error instanceof Error ? error.message : String(error)}`);
          },
        );
      },
    ],
    [
      'SIGUSR2',
      () => {
        log.info('received SIGUSR2 indicating log reopen request');
        log.info('supervisord logreopen');
        log.reopen();
        engine.reopenLogs();
      },
    ],
    ...childQuit,
    // supervisord has no handler for SIGUSR1 and dies of it, leaving its children; Node's default would open
    // its inspector on 127.0.0.1:9229, a debugger any local user could attach to. Neither: it is logged.
    ['SIGUSR1', () => log.warn('received SIGUSR1: ignored (SIGUSR2 reopens the logs)')],
  ];
}
