// The live supervisor: active groups, one serial event queue, the RPC-facing commands and the reconciler's methods.
import type { GroupSpec, ProcessSpec } from '../model/config.js';
import {
  RUNNING_STATES,
  SIGNALLABLE_STATES,
  STOPPED_STATES,
  type ProcessStateName,
  type SupervisorStateName,
} from '../model/states.js';
import type { Clock } from '../ports/clock.js';
import type { Spawner } from '../ports/spawner.js';
import { noChildLogs, silentLogger, type ChildLogFactory, type DaemonLogger } from '../ports/log-sink.js';
import {
  AlreadyAddedError,
  BadNameError,
  FailedError,
  NoFileError,
  NotRunningError,
  ShutdownStateError,
  StillRunningError,
} from './errors.js';
import { FAULT_CODES } from '../model/faults.js';
import type { EngineEvent, EngineListener } from './events.js';
import { ManagedProcess, type ProcessHost } from './managed-process.js';
import { processInfo, type ProcessInfo } from './process-info.js';
import { ProcessTable, makeNamespec, type ActiveGroup } from './process-table.js';
import { SerialQueue } from './serial-queue.js';
import { DEFAULT_PACE, StartPacer } from './start-pacer.js';
import {
  Waiters,
  allfunc,
  promised,
  signalOne,
  startOne,
  stopOne,
  type ProcessResult,
  type WaitingReport,
} from './process-commands.js';

export type { ProcessResult } from './process-commands.js';

/** The engine's ports and pacing; only `clock` and `spawner` are required. */
export interface EngineOptions {
  readonly clock: Clock;
  readonly spawner: Spawner;
  /** Opens each process's stdout/stderr logs when it is added; default: no logs. */
  readonly childLogs?: ChildLogFactory | undefined;
  /** The daemon's main log; default: discard. */
  readonly logger?: DaemonLogger | undefined;
  /** Runs a function on a later turn of the event loop, where a burst of starts yields; default setImmediate. */
  readonly defer?: ((fn: () => void) => void) | undefined;
  /**
   * How many starts, or how many milliseconds of them, run in one turn (default DEFAULT_PACE), timed by `now`
   * (default performance.now: the event loop is blocked in real time, whatever the engine's Clock says).
   */
  readonly pace?:
    { readonly maxPerTurn?: number; readonly budgetMs?: number; readonly now?: () => number } | undefined;
}

/** Whether a group or process added while the main loop runs starts its autostart processes (default true). */
export interface AddOptions {
  readonly autostart?: boolean;
}

/** What the reconciler reads: the applied spec and the live state of one process. */
export interface ProcessSnapshot {
  readonly spec: ProcessSpec;
  readonly info: ProcessInfo;
}

/** The spec fields that shape a process's logs: a change reopens them (see updateProcessSpec). */
const logFields = [
  'redirect_stderr',
  'stdout_logfile',
  'stdout_logfile_maxbytes',
  'stdout_logfile_backups',
  'stdout_capture_maxbytes',
  'stdout_syslog',
  'stderr_logfile',
  'stderr_logfile_maxbytes',
  'stderr_logfile_backups',
  'stderr_capture_maxbytes',
  'stderr_syslog',
  // A channel's PROCESS_LOG hook is bound when its log is made, so these rebuild the logs too.
  'stdout_events_enabled',
  'stderr_events_enabled',
] as const satisfies readonly (keyof ProcessSpec)[];

const WAITING_REPORT_MS = 2000;

/**
 * The most bytes sendProcessStdin leaves queued for one child that does not read its stdin: 4 MiB, twice
 * the largest request body (2 MB), so one call into an empty queue always fits. supervisor buffers without
 * limit: 300 calls of 1.9 MB to a child that never reads would hold ~600 MB in the daemon. Past the limit the
 * call answers FAILED and nothing of it is queued.
 */
export const MAX_STDIN_BACKLOG_BYTES = 4 * 1024 * 1024;

/**
 * The live supervisor: the active groups, supervisor's mood, and the commands of its RPC interface. Process
 * commands, child events and timers run as jobs of one serial queue, so no two interleave; starts are paced
 * (a burst yields to the event loop between batches). The RPC-facing commands throw SvdError subclasses with
 * supervisor's faults, SHUTDOWN_STATE once a shutdown or restart began; the group and spec changes the
 * reconciler makes are synchronous.
 */
export class Engine {
  readonly #table = new ProcessTable();
  readonly #clock: Clock;
  readonly #spawner: Spawner;
  readonly #childLogs: ChildLogFactory;
  readonly #log: DaemonLogger;
  readonly #listeners = new Set<EngineListener>();
  readonly #waiters = new Waiters();
  readonly #queue: SerialQueue;
  /** Every start goes through it: a burst yields to the event loop between small batches of spawns. */
  readonly #pacer: StartPacer;
  readonly #host: ProcessHost;
  /** Bumped when the daemon starts stopping or runs again: a start queued before then is dropped. */
  #epoch = 0;
  #mood: SupervisorStateName = 'RUNNING';
  /** The main loop runs: autostart and autorestart happen only then. */
  #running = false;
  /** How many processes are STARTING, kept from the state events (a scan would cost O(N) per job). */
  #starting = 0;

  /**
   * supervisor's stop_report: INFO `waiting for NAME to stop` when a stop is waited on, then every 2 s. The
   * processes still to report, each with when its next report is due, share one timer: a stop of all 1,000
   * would otherwise arm and cancel 1,000 of them.
   */
  readonly #waitingReport: WaitingReport = (p) => {
    if (p.proc.state !== 'STOPPING') return () => {};
    this.#log('info', `waiting for ${p.name} to stop`);
    this.#stopReportsDue.set(p, this.#clock.now() + WAITING_REPORT_MS);
    this.#cancelStopReports ??= this.#clock.setTimer(WAITING_REPORT_MS, this.#stopReports);
    return () => {
      this.#stopReportsDue.delete(p);
      if (this.#stopReportsDue.size > 0) return;
      this.#cancelStopReports?.();
      this.#cancelStopReports = null;
    };
  };
  readonly #stopReportsDue = new Map<ManagedProcess, number>();
  #cancelStopReports: (() => void) | null = null;
  readonly #stopReports = (): void => {
    this.#cancelStopReports = null;
    const now = this.#clock.now();
    let next = Infinity;
    for (let [p, due] of this.#stopReportsDue) {
      if (p.proc.state !== 'STOPPING') {
        this.#stopReportsDue.delete(p);
        continue;
      }
      if (due <= now) {
        this.#log('info', `waiting for ${p.name} to stop`);
        due = now + WAITING_REPORT_MS;
        this.#stopReportsDue.set(p, due);
      }
      next = Math.min(next, due);
    }
    if (next !== Infinity) this.#cancelStopReports = this.#clock.setTimer(next - now, this.#stopReports);
  };

  constructor(options: EngineOptions) {
    this.#clock = options.clock;
    this.#spawner = options.spawner;
    this.#childLogs = options.childLogs ?? noChildLogs;
    this.#log = options.logger ?? silentLogger;
    this.#queue = new SerialQueue(
      () => this.#waiters.check(),
      (e) =>
        this.#log('critical', `internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
    );
    this.#pacer = new StartPacer({
      now: options.pace?.now ?? (() => performance.now()),
      defer: options.defer ?? ((fn) => void setImmediate(fn)),
      maxPerTurn: options.pace?.maxPerTurn ?? DEFAULT_PACE.maxPerTurn,
      budgetMs: options.pace?.budgetMs ?? DEFAULT_PACE.budgetMs,
    });
    this.#host = {
      clock: this.#clock,
      spawner: this.#spawner,
      log: (level, message) => this.#log(level, message),
      emit: (event) => this.#emit(event),
      touched: (p) => this.#waiters.touched(p),
      enqueue: (job) => this.#queue.push(job),
      enqueueStart: (job) => this.#pacer.submit(() => this.#queue.push(job)),
      mayAutoStart: () => this.#running && this.#mood === 'RUNNING',
    };
  }

  // ---- daemon lifecycle ----

  /** supervisor's mood: RUNNING, RESTARTING or SHUTDOWN. */
  get state(): SupervisorStateName {
    return this.#mood;
  }

  /**
   * The main loop starts: SUPERVISOR_STATE_CHANGE_RUNNING, then autostart of every never-started process, by
   * ascending group priority (a group's processes in its order), paced: a shutdown or reload requested meanwhile
   * drops the starts not yet made.
   */
  run(): void {
    this.#mood = 'RUNNING';
    this.#running = true;
    this.#epoch++;
    this.#emit({ type: 'supervisor-state', state: 'RUNNING' });
    for (const group of this.#table.groupsByPriority()) this.#autostart(group);
  }

  /** Resolves once no start waits for its turn: every start asked for so far has been made. */
  async startsMade(): Promise<void> {
    await this.#queue.run(() => undefined);
    await this.#waiters.waitFor(() => (this.#pacer.idle ? true : undefined));
  }

  /**
   * Resolves once the autostarts queued so far are done and no process is STARTING: a start burst is
   * over (each process is RUNNING, BACKOFF, EXITED or FATAL).
   */
  async startsSettled(): Promise<void> {
    await this.#queue.run(() => undefined);
    await this.#waiters.waitFor(() => (this.#pacer.idle && this.#starting === 0 ? true : undefined));
  }

  /** supervisor.shutdown / SIGTERM: mood SHUTDOWN, then the daemon is told (a `request` event). */
  requestShutdown(): void {
    this.#enterStopping('SHUTDOWN');
    this.#emit({ type: 'request', request: 'shutdown' });
  }

  /** supervisor.restart / SIGHUP: mood RESTARTING (ignored while shutting down), then a `request` event. */
  requestRestart(): boolean {
    if (this.#mood === 'SHUTDOWN') return false;
    this.#enterStopping('RESTARTING');
    this.#emit({ type: 'request', request: 'restart' });
    return true;
  }

  /**
   * Stops everything for a shutdown or reload: groups by descending priority, all groups of one priority in
   * parallel, the next priority once every process of the current one is stopped. BACKOFF processes go FATAL.
   * `signalled` runs once, when the first priority's processes have been told to stop.
   */
  async stopAll(signalled?: () => void): Promise<void> {
    const byPriority = new Map<number, ActiveGroup[]>();
    for (const g of this.#table.groupsByPriority().reverse()) {
      const same = byPriority.get(g.spec.priority);
      if (same) same.push(g);
      else byPriority.set(g.spec.priority, [g]);
    }
    for (const groups of byPriority.values()) {
      const procs = groups.flatMap((g) => ProcessTable.processesByPriority(g).reverse());
      await this.#queue.run(() => {
        for (const p of procs) {
          if (p.proc.state === 'RUNNING' || p.proc.state === 'STARTING') p.apply({ type: 'stop' });
          else if (p.proc.state === 'BACKOFF') p.apply({ type: 'give-up' });
        }
      });
      signalled?.();
      signalled = undefined;
      // A cursor over the stopped ones: checked after every exit, a scan from the start would be O(N) each
      // time. Nothing restarts during a stop of all; the full scan at the end makes sure of it.
      let stoppedUpTo = 0;
      await this.#waiters.waitFor(() => {
        while (stoppedUpTo < procs.length && STOPPED_STATES.has(procs[stoppedUpTo]!.proc.state))
          stoppedUpTo++;
        if (stoppedUpTo < procs.length) return undefined;
        if (procs.every((p) => STOPPED_STATES.has(p.proc.state))) return true;
        stoppedUpTo = 0;
        return undefined;
      });
    }
  }

  /**
   * Processes not yet in a stopped state, with their states (`waiting for a, b to die`, BLAT `a state: ...`):
   * groups by priority, a group's processes in its own order (a [group:]'s `programs=`), as supervisord lists them.
   */
  unstoppedProcessStates(): { readonly name: string; readonly state: ProcessStateName }[] {
    return this.#table
      .groupsByPriority()
      .flatMap((g) => [...g.processes.values()])
      .filter((p) => !STOPPED_STATES.has(p.proc.state))
      .map((p) => ({ name: p.name, state: p.proc.state }));
  }

  /** Every event: process states, output chunks, groups, daemon state, requests. Returns the unsubscribe. */
  subscribe(listener: EngineListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Reopens every child log (SIGUSR2). */
  reopenLogs(): void {
    for (const p of this.#table.allByPriority()) {
      p.logs.stdout?.reopen();
      if (p.logs.stderr !== p.logs.stdout) p.logs.stderr?.reopen();
    }
  }

  // ---- queries (RPC) ----

  getProcessInfo(namespec: string): ProcessInfo {
    this.#assertRunning();
    return this.#info(this.#process(namespec));
  }

  getAllProcessInfo(): ProcessInfo[] {
    this.#assertRunning();
    return this.#table.allLexical().map((p) => this.#info(p));
  }

  /** Resolves a namespec as the RPC layer needs: BAD_NAME when unknown; process null for `group:*`. */
  resolve(namespec: string): { group: string; process: string | null } {
    const r = this.#table.resolve(namespec);
    if (!r) throw new BadNameError(namespec);
    return { group: r.group.spec.name, process: r.process?.name ?? null };
  }

  // ---- commands (RPC, spec §4.5/§4.6) ----

  /** startProcess; a group namespec (`g:*`) starts the group and returns its results. */
  async startProcess(namespec: string, wait = true): Promise<true | ProcessResult[]> {
    this.#assertRunning();
    const r = this.#table.resolve(namespec);
    if (!r) throw new BadNameError(namespec);
    if (!r.process) return this.startProcessGroup(r.group.spec.name, wait);
    const p = r.process;
    return this.#startRun(() => promised(startOne(p, wait, this.#spawner, this.#waiters.waitThen, namespec)));
  }

  /**
   * The reconciler's start, as an autostart: no command check and no wait for RUNNING, so a bad command goes
   * BACKOFF then FATAL with its spawnerr, and a later start is not held up by this one's startsecs, as in
   * supervisor's update. Resolves once the start was made; a process that runs already is left alone.
   */
  async requestStart(namespec: string): Promise<void> {
    this.#assertRunning();
    const p = this.#process(namespec);
    await this.#startRun(() => {
      if (!RUNNING_STATES.has(p.proc.state) && p.proc.state !== 'UNKNOWN') p.apply({ type: 'start' });
    });
  }

  async startProcessGroup(name: string, wait = true): Promise<ProcessResult[]> {
    this.#assertRunning();
    const group = this.#group(name);
    return allfunc(
      this.#queue,
      () => ProcessTable.processesByPriority(group),
      (p) => !RUNNING_STATES.has(p.proc.state),
      (p) => startOne(p, wait, this.#spawner, this.#waiters.waitThen),
      (job) => this.#startRun(job),
    );
  }

  async startAllProcesses(wait = true): Promise<ProcessResult[]> {
    this.#assertRunning();
    return allfunc(
      this.#queue,
      () => this.#table.allByPriority(),
      (p) => !RUNNING_STATES.has(p.proc.state),
      (p) => startOne(p, wait, this.#spawner, this.#waiters.waitThen),
      (job) => this.#startRun(job),
    );
  }

  async stopProcess(namespec: string, wait = true): Promise<true | ProcessResult[]> {
    this.#assertRunning();
    const r = this.#table.resolve(namespec);
    if (!r) throw new BadNameError(namespec);
    if (!r.process) return this.stopProcessGroup(r.group.spec.name, wait);
    const p = r.process;
    return this.#queue
      .run(() => promised(stopOne(p, wait, this.#waiters.waitThen, this.#waitingReport, namespec)))
      .then((x) => x);
  }

  async stopProcessGroup(name: string, wait = true): Promise<ProcessResult[]> {
    this.#assertRunning();
    const group = this.#group(name);
    return allfunc(
      this.#queue,
      () => ProcessTable.processesByPriority(group),
      (p) => RUNNING_STATES.has(p.proc.state),
      (p) => stopOne(p, wait, this.#waiters.waitThen, this.#waitingReport),
    );
  }

  async stopAllProcesses(wait = true): Promise<ProcessResult[]> {
    this.#assertRunning();
    return allfunc(
      this.#queue,
      () => this.#table.allByPriority(),
      (p) => RUNNING_STATES.has(p.proc.state),
      (p) => stopOne(p, wait, this.#waiters.waitThen, this.#waitingReport),
    );
  }

  /** signalProcess: a name or number as text; BAD_SIGNAL is checked after the name. */
  async signalProcess(namespec: string, signal: string): Promise<true | ProcessResult[]> {
    this.#assertRunning();
    const r = this.#table.resolve(namespec);
    if (!r) throw new BadNameError(namespec);
    if (!r.process) return this.signalProcessGroup(r.group.spec.name, signal);
    const p = r.process;
    return this.#queue.run(() => signalOne(p, signal, namespec));
  }

  async signalProcessGroup(name: string, signal: string): Promise<ProcessResult[]> {
    this.#assertRunning();
    const group = this.#group(name);
    return allfunc(
      this.#queue,
      () => ProcessTable.processesByPriority(group),
      (p) => SIGNALLABLE_STATES.has(p.proc.state),
      (p) => signalOne(p, signal),
    );
  }

  async signalAllProcesses(signal: string): Promise<ProcessResult[]> {
    this.#assertRunning();
    return allfunc(
      this.#queue,
      () => this.#table.allByPriority(),
      (p) => SIGNALLABLE_STATES.has(p.proc.state),
      (p) => signalOne(p, signal),
    );
  }

  /**
   * sendProcessStdin: NOT_RUNNING without a live, non-stopping child; NO_FILE when its stdin is closed;
   * FAILED when the bytes would take what the child has not read yet past MAX_STDIN_BACKLOG_BYTES.
   */
  sendProcessStdin(namespec: string, chars: string | Buffer): true {
    this.#assertRunning();
    const p = this.#process(namespec);
    const child = p.child;
    if (!child || p.proc.pid === 0 || p.proc.killing) throw new NotRunningError(namespec);
    const data = typeof chars === 'string' ? Buffer.from(chars, 'utf8') : chars;
    const backlog = child.stdinBacklog();
    if (backlog + data.length > MAX_STDIN_BACKLOG_BYTES) {
      throw new FailedError(
        `${namespec}: stdin holds ${backlog} bytes the process has not read; ` +
          `${data.length} more would pass the limit of ${MAX_STDIN_BACKLOG_BYTES}`,
      );
    }
    if (!child.writeStdin(data)) throw new NoFileError(namespec);
    return true;
  }

  /**
   * clearProcessLogs: empties both logs of one process (BAD_NAME for unknown names and group specs); FAILED
   * naming `namespec` when a log could not be emptied (its file could not be deleted), as supervisor.
   */
  clearProcessLogs(namespec: string): true {
    this.#assertRunning();
    if (!clearLogs(this.#process(namespec))) throw new FailedError(namespec);
    return true;
  }

  /** clearAllProcessLogs: one result per process, in priority order; FAILED for a log not emptied. */
  clearAllProcessLogs(): ProcessResult[] {
    this.#assertRunning();
    return this.#table.allByPriority().map((p) =>
      clearLogs(p)
        ? { name: p.name, group: p.group, status: FAULT_CODES.SUCCESS, description: 'OK' }
        : {
            name: p.name,
            group: p.group,
            status: FAULT_CODES.FAILED,
            description: `FAILED: ${makeNamespec(p.group, p.name)}`,
          },
    );
  }

  // ---- reconciler ----

  /**
   * Activates a group (PROCESS_GROUP_ADDED); its autostart processes start if the main loop runs, unless
   * `options.autostart` is false (the reconciler's plan says what starts).
   */
  addGroup(spec: GroupSpec, options: AddOptions = {}): void {
    if (this.#table.groups.has(spec.name)) throw new AlreadyAddedError(spec.name);
    const group: ActiveGroup = { spec, processes: new Map() };
    for (const ps of spec.processes) group.processes.set(ps.name, this.#newProcess(ps));
    this.#table.groups.set(spec.name, group);
    this.#emit({ type: 'group-added', group: spec.name, spec });
    if (this.#running && this.#mood === 'RUNNING' && options.autostart !== false) this.#autostart(group);
  }

  /** Removes a group whose processes are all stopped (PROCESS_GROUP_REMOVED); STILL_RUNNING otherwise. */
  removeGroup(name: string): void {
    const group = this.#group(name);
    if ([...group.processes.values()].some((p) => !STOPPED_STATES.has(p.proc.state))) {
      throw new StillRunningError(name);
    }
    for (const p of group.processes.values()) p.remove();
    this.#table.groups.delete(name);
    this.#emit({ type: 'group-removed', group: name });
  }

  /** Adds one process to an active group (a numprocs increase); it autostarts like a new group's would. */
  addProcess(spec: ProcessSpec, options: AddOptions = {}): void {
    const group = this.#group(spec.group);
    if (group.processes.has(spec.name)) throw new AlreadyAddedError(makeNamespec(spec.group, spec.name));
    const p = this.#newProcess(spec);
    group.processes.set(spec.name, p);
    group.spec = { ...group.spec, processes: [...group.spec.processes, spec] };
    if (this.#running && this.#mood === 'RUNNING' && options.autostart !== false)
      this.#autostartOne(group, p);
  }

  /** Removes one stopped process from its group; STILL_RUNNING otherwise. */
  removeProcess(group: string, name: string): void {
    const g = this.#group(group);
    const p = g.processes.get(name);
    if (!p) throw new BadNameError(makeNamespec(group, name));
    if (!STOPPED_STATES.has(p.proc.state)) throw new StillRunningError(makeNamespec(group, name));
    p.remove();
    g.processes.delete(name);
    g.spec = { ...g.spec, processes: g.spec.processes.filter((s) => s.name !== name) };
  }

  /**
   * Replaces a process's spec without touching the running child: policy fields (autorestart, startsecs,
   * stopwaitsecs, …) apply from the next event on. Fields that need a restart are the caller's business.
   */
  updateProcessSpec(spec: ProcessSpec): void {
    const g = this.#group(spec.group);
    const p = g.processes.get(spec.name);
    if (!p) throw new BadNameError(makeNamespec(spec.group, spec.name));
    const previous = p.spec;
    p.spec = spec;
    g.spec = { ...g.spec, processes: g.spec.processes.map((s) => (s.name === spec.name ? spec : s)) };
    if (logFields.some((f) => previous[f] !== spec[f])) {
      // An AUTO log that stays AUTO keeps its file, so a new rotation size does not start a new log.
      const keep = (channel: 'stdout' | 'stderr', sink: { path: string } | null) =>
        spec[`${channel}_logfile`] === 'AUTO' && previous[`${channel}_logfile`] === 'AUTO' && sink
          ? { [`${channel}_logfile`]: sink.path }
          : {};
      p.replaceLogs(
        this.#childLogs({ ...spec, ...keep('stdout', p.logs.stdout), ...keep('stderr', p.logs.stderr) }),
      );
    }
  }

  /** Changes a group's priority (order of later starts and stops) in place. */
  setGroupPriority(name: string, priority: number): void {
    const g = this.#group(name);
    g.spec = { ...g.spec, priority };
  }

  /** Stops the process if it runs (waiting for it), then starts it and waits like startProcess. */
  async restartProcess(namespec: string): Promise<void> {
    const p = this.#process(namespec);
    if (RUNNING_STATES.has(p.proc.state))
      await this.#queue.run(() => promised(stopOne(p, true, this.#waiters.waitThen, this.#waitingReport)));
    await this.#startRun(() => promised(startOne(p, true, this.#spawner, this.#waiters.waitThen)));
  }

  /**
   * The active groups' names in the order they became active, as supervisord's dict of groups keeps them: a
   * group added later comes last whatever its priority. supervisorctl reports removed groups in this order.
   */
  activeGroupNames(): string[] {
    return [...this.#table.groups.keys()];
  }

  /**
   * Makes the named groups the most recently activated, in the order given, as supervisor's update leaves a
   * group it removed and added again. Among groups of one priority, they now start and stop last.
   */
  reactivateGroups(names: readonly string[]): void {
    const groups = this.#table.groups;
    for (const name of names) {
      const group = groups.get(name);
      if (!group) continue;
      groups.delete(name);
      groups.set(name, group);
    }
  }

  /**
   * Puts an active group's processes in the order `desired` lists them, as supervisor's update leaves a group
   * it added again: reloadConfig compares process lists element by element, and processes of one priority
   * start and stop in this order. Processes `desired` lacks keep their order, after the others; a group that
   * is not active is ignored. Allocates nothing when the order is already the same.
   */
  arrangeGroup(desired: GroupSpec): void {
    const g = this.#table.groups.get(desired.name);
    if (!g) return;
    const specs = g.spec.processes;
    const want = desired.processes;
    let i = 0;
    while (i < specs.length && specs[i]?.name === want[i]?.name) i++;
    if (i === specs.length) return;
    const rank = new Map(want.map((p, at) => [p.name, at]));
    const at = (n: string) => rank.get(n) ?? want.length;
    g.spec = { ...g.spec, processes: [...specs].sort((a, b) => at(a.name) - at(b.name)) };
    const live = [...g.processes.entries()].sort(([a], [b]) => at(a) - at(b));
    g.processes.clear();
    for (const [n, p] of live) g.processes.set(n, p);
  }

  /** The applied specs of every active group, in priority order. */
  groupSpecs(): GroupSpec[] {
    return this.#table.groupsByPriority().map((g) => g.spec);
  }

  snapshot(): ProcessSnapshot[] {
    return this.#table.allByPriority().map((p) => ({ spec: p.spec, info: this.#info(p) }));
  }

  // ---- internals ----

  /** Queues the autostart of a group's never-started processes, in the group's order. */
  #autostart(group: ActiveGroup): void {
    for (const p of group.processes.values()) this.#autostartOne(group, p);
  }

  #autostartOne(group: ActiveGroup, p: ManagedProcess): void {
    const epoch = this.#epoch;
    this.#pacer.submit(() =>
      this.#queue.push(() => {
        if (epoch !== this.#epoch || this.#table.groups.get(group.spec.name) !== group) return;
        if (p.spec.autostart && p.proc.laststart === null && p.proc.state === 'STOPPED')
          p.apply({ type: 'start' });
      }),
    );
  }

  /**
   * Runs a start command as a queue job when the pacer gives it its turn; SHUTDOWN_STATE when the daemon began
   * stopping (or ran again) in between, so a start requested before a shutdown never spawns after it.
   */
  #startRun<T>(fn: () => T | Promise<T>): Promise<T> {
    const epoch = this.#epoch;
    return new Promise<T>((resolve, reject) => {
      this.#pacer.submit(() =>
        this.#queue.push(() => {
          if (epoch !== this.#epoch || this.#mood !== 'RUNNING') {
            reject(new ShutdownStateError(''));
            return;
          }
          try {
            resolve(fn());
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        }),
      );
    });
  }

  #enterStopping(mood: 'SHUTDOWN' | 'RESTARTING'): void {
    const wasRunning = this.#mood === 'RUNNING';
    this.#epoch++;
    this.#mood = mood;
    if (wasRunning) this.#emit({ type: 'supervisor-state', state: 'STOPPING' });
  }

  #newProcess(spec: ProcessSpec): ManagedProcess {
    return new ManagedProcess(spec, this.#childLogs(spec), this.#host);
  }

  #info(p: ManagedProcess): ProcessInfo {
    return processInfo({
      name: p.name,
      group: p.group,
      state: p.proc.state,
      startWall: p.startWall,
      stopWall: p.stopWall,
      nowWall: this.#clock.wallNow(),
      spawnerr: p.proc.spawnerr,
      exitstatus: p.proc.exitstatus,
      pid: p.proc.pid,
      stdoutLogfile: p.logs.stdout?.path ?? null,
      stderrLogfile: p.logs.stderr?.path ?? null,
    });
  }

  #group(name: string): ActiveGroup {
    const g = this.#table.groups.get(name);
    if (!g) throw new BadNameError(name);
    return g;
  }

  #process(namespec: string): ManagedProcess {
    const r = this.#table.resolve(namespec);
    if (!r?.process) throw new BadNameError(namespec);
    return r.process;
  }

  #assertRunning(): void {
    if (this.#mood !== 'RUNNING') throw new ShutdownStateError('');
  }

  #emit(event: EngineEvent): void {
    if (event.type === 'process-state') {
      if (event.to === 'STARTING') this.#starting++;
      if (event.from === 'STARTING') this.#starting--;
    }
    // forEach, not for-of: no iterator allocated per event while the optimizer is paused (managed-process.ts).
    this.#listeners.forEach((l) => {
      try {
        l(event);
      } catch (e) {
        this.#log('error', `event listener failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
  }
}

/** Empties a process's stdout and stderr logs (both are tried); false when either could not be emptied. */
function clearLogs(p: ManagedProcess): boolean {
  const { stdout, stderr } = p.logs;
  const out = stdout?.clear?.() ?? null;
  const err = stderr !== stdout ? (stderr?.clear?.() ?? null) : null;
  return out === null && err === null;
}
