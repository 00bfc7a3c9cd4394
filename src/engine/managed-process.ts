// One live process: its spec, its machine record, its child, its timers and logs. Interprets the machine's effects.
import type { ProcessSpec } from '../model/config.js';
import { restartWanted, step } from '../machine/step.js';
import {
  initialProc,
  type Effect,
  type Proc,
  type ProcEvent,
  type RejectFault,
  type TimerName,
} from '../machine/proc.js';
import type { Clock } from '../ports/clock.js';
import type { Child, Spawner } from '../ports/spawner.js';
import type { ChildLogs, DaemonLogger, LogFailure } from '../ports/log-sink.js';
import type { EngineEvent } from './events.js';
import { logOpenSpawnerr } from './log-open-spawnerr.js';

const TIMER_NAMES: readonly TimerName[] = ['startsecs', 'backoff', 'stopwait'];

/** What a process needs from the engine around it. */
export interface ProcessHost {
  readonly clock: Clock;
  readonly spawner: Spawner;
  readonly log: DaemonLogger;
  emit(event: EngineEvent): void;
  /** The process's record changed (waiters on it are checked after the job). */
  touched(p: ManagedProcess): void;
  /** Queues a job behind the ones already waiting (timers, exits, restarts). */
  enqueue(job: () => void): void;
  /** Queues a job that may spawn: it runs behind earlier starts, paced so that a burst yields to the event loop. */
  enqueueStart(job: () => void): void;
  /** False while the daemon is stopping: no automatic restart then. */
  mayAutoStart(): boolean;
}

/**
 * A process's state lives in `proc`, changed only by the machine's `step`; this object carries out the effects
 * a step returns (spawn, signals, timers, logs, events) and feeds back the events they cause (spawned, exited,
 * timer fired), tagged with their run's incarnation so that the machine ignores an earlier run's.
 */
export class ManagedProcess {
  spec: ProcessSpec;
  proc: Proc = initialProc;
  /** Epoch ms of the last start and the last exit, 0 when never (ProcessInfo start/stop). */
  startWall = 0;
  stopWall = 0;
  logs: ChildLogs;
  /** The logs are open: from a spawn until that run's output ended. */
  #logsOpen = false;
  #child: Child | null = null;
  /**
   * Each armed timer's cancel. A record, not a Map: each stop arms one and drops it, and a Map shrinking back
   * to empty reallocates its table, for each of 1,000 processes in a stop of all.
   */
  readonly #timers: Record<TimerName, (() => void) | null> = {
    startsecs: null,
    backoff: null,
    stopwait: null,
  };
  /** Cancels a paced automatic restart not yet due. */
  #cancelRestart: (() => void) | null = null;
  readonly #host: ProcessHost;
  #removed = false;

  constructor(spec: ProcessSpec, logs: ChildLogs, host: ProcessHost) {
    this.spec = spec;
    this.logs = logs;
    this.#host = host;
  }

  get name(): string {
    return this.spec.name;
  }
  get group(): string {
    return this.spec.group;
  }
  get child(): Child | null {
    return this.#child;
  }

  /** Runs one event through the machine and carries out its effects; follow-up events run right after. */
  apply(event: ProcEvent): RejectFault | null {
    if (this.#removed) return 'FAILED';
    const r = step(this.proc, event, this.spec, this.#host.clock.now());
    if ('rejected' in r) return r.rejected;
    this.proc = r.next;
    this.#host.touched(this);
    const followUps: ProcEvent[] = [];
    // Indexed loops: a burst (a stop of 1,000) runs this with the optimizer paused, where for-of allocates an
    // iterator and a result object per element, a third of the young-generation garbage of the stop.
    const effects = r.effects;
    let spawns = false;
    for (let i = 0; i < effects.length; i++) {
      const effect = effects[i]!;
      if (effect.type === 'spawn') spawns = true;
      this.#interpret(effect, followUps);
    }
    // The child is forgotten once the machine has no pid, except between a spawn and its `spawned` follow-up.
    if (this.proc.pid === 0 && !spawns) this.#child = null;
    for (let i = 0; i < followUps.length; i++) this.apply(followUps[i]!);
    return null;
  }

  /** Swaps in new logs (a log option changed) and closes the old ones; output goes to the new ones at once. */
  replaceLogs(logs: ChildLogs): void {
    const old = this.logs;
    this.logs = logs;
    old.stdout?.close();
    if (old.stderr !== old.stdout) old.stderr?.close();
    if (!this.#logsOpen) return;
    const failure = this.#openLogs();
    if (failure) this.#host.log('error', `could not open the new log of ${this.name}: ${failure.code}`);
  }

  /** Forgets the process: timers cancelled, logs closed. Only called when it is in a stopped state. */
  remove(): void {
    this.#removed = true;
    for (const timer of TIMER_NAMES) {
      this.#timers[timer]?.();
      this.#timers[timer] = null;
    }
    this.#cancelRestart?.();
    this.#cancelRestart = null;
    this.#closeLogs();
  }

  /** Opens both logs (supervisor's dispatchers at spawn); on a failure none stays open. */
  #openLogs(): LogFailure | null {
    const { stdout, stderr } = this.logs;
    const failure = stdout?.open?.() ?? (stderr !== stdout ? stderr?.open?.() : null) ?? null;
    if (failure) this.#closeLogs();
    else this.#logsOpen = true;
    return failure;
  }

  #closeLogs(): void {
    this.#logsOpen = false;
    this.logs.stdout?.close();
    if (this.logs.stderr !== this.logs.stdout) this.logs.stderr?.close();
  }

  #interpret(effect: Effect, followUps: ProcEvent[]): void {
    const host = this.#host;
    switch (effect.type) {
      case 'spawn': {
        const incarnation = effect.incarnation;
        const run = { pid: 0 };
        // supervisor's order: the command is checked, then the logs are opened (created), then the fork.
        const failure = host.spawner.check(this.spec).ok ? this.#openLogs() : null;
        if (failure) {
          followUps.push({
            type: 'spawn-failed',
            incarnation,
            message: logOpenSpawnerr(this.name, failure.code),
          });
          return;
        }
        const outcome = host.spawner.spawn(this.spec, this.#handlers(incarnation, run));
        if (outcome.ok) {
          run.pid = outcome.child.pid;
          this.#child = outcome.child;
          followUps.push({ type: 'spawned', incarnation, pid: outcome.child.pid });
        } else {
          if (this.#logsOpen) this.#closeLogs();
          followUps.push({ type: 'spawn-failed', incarnation, message: outcome.message });
        }
        return;
      }
      case 'kill': {
        const child = this.#child;
        if (!child || child.pid !== effect.pid) return;
        const outcome = child.signal(effect.signal, { group: effect.group, soon: !effect.awaited });
        if (!outcome.ok && outcome.gone) {
          host.log(
            'debug',
            `unable to signal ${this.name} (pid ${effect.pid}), it probably just exited on its own: ${outcome.message}`,
          );
        } else if (!outcome.ok) {
          followUps.push({ type: 'kill-failed', pid: effect.pid, message: outcome.message });
        }
        return;
      }
      case 'kill-group': {
        // The leader is reaped but its handle still names the group; an empty group is ESRCH, which is fine.
        const child = this.#child;
        if (!child || child.pid !== effect.pgid) return;
        const outcome = child.signal(effect.signal, { group: true });
        if (!outcome.ok && !outcome.gone) {
          host.log(
            'warn',
            `unable to kill what is left of ${this.name}'s process group (pgid ${effect.pgid}): ${outcome.message}`,
          );
        }
        return;
      }
      case 'set-timer': {
        this.#timers[effect.timer]?.();
        const { timer, incarnation } = effect;
        // A backoff retry spawns: it waits its turn behind other starts.
        const enqueue = (job: () => void) =>
          timer === 'backoff' ? host.enqueueStart(job) : host.enqueue(job);
        const cancel = host.clock.setTimer(effect.ms, () => {
          enqueue(() => {
            if (this.#timers[timer] !== cancel) return;
            this.#timers[timer] = null;
            // supervisor retries no BACKOFF process while it stops everything: the process stays in BACKOFF
            // until the stop reaches its group, which gives it up (FATAL).
            if (timer === 'backoff' && !host.mayAutoStart()) return;
            this.apply({ type: 'timer', timer, incarnation });
          });
        });
        this.#timers[timer] = cancel;
        return;
      }
      case 'cancel-timer':
        this.#timers[effect.timer]?.();
        this.#timers[effect.timer] = null;
        return;
      case 'log':
        host.log(effect.level, effect.message);
        return;
      case 'notify': {
        const { from, to, pid, tries, expected } = effect;
        if (to === 'STARTING') this.startWall = host.clock.wallNow();
        if (pid !== 0 && (to === 'STOPPED' || to === 'EXITED' || to === 'BACKOFF'))
          this.stopWall = host.clock.wallNow();
        host.emit({
          type: 'process-state',
          name: this.name,
          group: this.group,
          from,
          to,
          pid,
          tries,
          expected,
        });
        return;
      }
      case 'autorestart': {
        // EXITED -> STARTING once due, unless a start, a removal, a policy change or a shutdown came first.
        const { incarnation, delayMs } = effect;
        const restart = () =>
          host.enqueueStart(() => {
            if (this.#removed || this.proc.state !== 'EXITED' || this.proc.incarnation !== incarnation)
              return;
            // The policy as it is now: an update may have changed autorestart or exitcodes in place meanwhile.
            if (!restartWanted(this.spec, this.proc.exitstatus ?? 0) || !host.mayAutoStart()) return;
            this.apply({ type: 'start' });
          });
        this.#cancelRestart?.();
        this.#cancelRestart = null;
        if (delayMs <= 0) return restart();
        const cancel = host.clock.setTimer(delayMs, () => {
          if (this.#cancelRestart === cancel) this.#cancelRestart = null;
          restart();
        });
        this.#cancelRestart = cancel;
        return;
      }
    }
  }

  #handlers(incarnation: number, run: { pid: number }) {
    return {
      onOutput: (channel: 'stdout' | 'stderr', chunk: Buffer) => {
        const pid = run.pid;
        const sink = channel === 'stdout' ? this.logs.stdout : this.logs.stderr;
        sink?.write(chunk);
        this.#host.emit({
          type: 'process-output',
          name: this.name,
          group: this.group,
          pid,
          channel,
          data: chunk,
        });
      },
      onSignalFailed: (message: string) => {
        // As a signal that failed at once (the kill effect above), once the queue gets to it.
        this.#host.enqueue(() => {
          if (this.proc.incarnation !== incarnation) return;
          this.apply({ type: 'kill-failed', pid: run.pid, message });
        });
      },
      onExit: (code: number | null, signal: string | null, coreDumped: boolean) => {
        this.logs.stdout?.endOfOutput?.();
        this.logs.stderr?.endOfOutput?.();
        this.#closeLogs();
        this.#host.enqueue(() => {
          if (this.proc.incarnation !== incarnation) return;
          this.apply({ type: 'exited', pid: run.pid, code, signal, coreDumped });
        });
      },
    };
  }
}
