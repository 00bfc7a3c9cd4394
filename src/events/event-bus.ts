// The event bus: turns engine events, child output and remote requests into supervisor's events, numbers them
// (global serial), buffers them in every subscribed pool, and feeds the pools' listener processes.
import type { GroupSpec, ProcessSpec } from '../model/config.js';
import type { ListenerStateName } from '../model/states.js';
import type { Clock } from '../ports/clock.js';
import type { DaemonLogger } from '../ports/log-sink.js';
import type { Child, Spawner } from '../ports/spawner.js';
import { processStatePayload, type EngineEvent, type EngineListener } from '../engine/events.js';
import {
  processCommunicationEvent,
  processGroupEvent,
  processLogEvent,
  processStateEventType,
  remoteCommunicationEvent,
  supervisorStateEvent,
  tickEvent,
  TICK_PERIODS,
  type EventRecord,
  type TickPeriod,
} from './event-payloads.js';
import { nextSerial, type SerialEvent } from './event-pool.js';
import { ListenerPool } from './listener-pool.js';
import { TickTimers } from './tick-timers.js';

/** The bus's clock, logger and identity; the serial carries on from `lastSerial` after a reload. */
export interface EventBusOptions {
  /** Arms the TICK timers and reads the wall clock. */
  readonly clock: Clock;
  readonly logger?: DaemonLogger | undefined;
  /** `[supervisord] identifier`, the `server:` header of every event (default `supervisor`). */
  readonly identifier?: string | undefined;
  /** Where a result handler prints (supervisor_stdout:event_handler): the daemon's stdout. */
  readonly echo?: ((text: string) => void) | undefined;
  /** The global serial a previous bus ended on: supervisor's serial carries on across a reload. */
  readonly lastSerial?: number | undefined;
}

/** What the bus needs from the engine: its events. */
export interface EventSource {
  subscribe(listener: EngineListener): () => void;
}

const key = (group: string, name: string): string => `${group}\0${name}`;

/**
 * supervisor's event system for one daemon run: makes events of engine events, child output and remote
 * requests, gives each a global serial when some pool wants it, buffers it in every subscribed pool and
 * feeds the pools' listeners. Arms a TICK timer only while some pool subscribes to it.
 */
export class EventBus {
  readonly #log: DaemonLogger;
  readonly #pools = new Map<string, ListenerPool>();
  readonly #ticks: TickTimers;
  readonly #echo: (text: string) => void;
  /** The pid of each process's current child, for the `pid:` of output events (0 once it exited). */
  readonly #pids = new Map<string, number>();
  #identifier: string;
  #serial = -1;

  constructor(options: EventBusOptions) {
    this.#log = options.logger ?? (() => {});
    this.#identifier = options.identifier ?? 'supervisor';
    this.#echo = options.echo ?? (() => {});
    this.#serial = options.lastSerial ?? -1;
    this.#ticks = new TickTimers(options.clock, (period, when) => this.notify(tickEvent(period, when)));
  }

  /** The serial of the last event emitted (-1 before any), for the bus of the next run after a reload. */
  get lastSerial(): number {
    return this.#serial;
  }

  /** A reload may change `[supervisord] identifier`; the global serial carries on. */
  setIdentifier(identifier: string): void {
    this.#identifier = identifier;
  }

  /** Follows the engine: process states, groups (pools come and go with their groups), daemon states. */
  attach(engine: EventSource): () => void {
    return engine.subscribe((e) => this.#onEngineEvent(e));
  }

  /**
   * Emits one event: every pool subscribed to its type (or a supertype) buffers it, and the first such pool gives
   * it the next global serial; an event no pool wants uses no serial. Dispatch follows at once.
   */
  notify(record: EventRecord): void {
    const accepting = [...this.#pools.values()].filter((p) => p.pool.subscribes(record.type));
    if (accepting.length === 0) return;
    this.#serial = nextSerial(this.#serial);
    const event: SerialEvent = { ...record, serial: this.#serial };
    for (const p of accepting) p.accept(event);
    for (const p of accepting) p.dispatch();
  }

  /** Whether any pool subscribes to `type` (or a supertype). */
  #wanted(type: EventRecord['type']): boolean {
    // Asked for every state change: a plain loop over no pools allocates nothing (most daemons have none).
    if (this.#pools.size === 0) return false;
    for (const p of this.#pools.values()) if (p.pool.subscribes(type)) return true;
    return false;
  }

  /** supervisor.sendRemoteCommEvent(type, data): a REMOTE_COMMUNICATION event with body `type:<type>\n<data>`. */
  emitRemoteCommunication(type: string, data: string): void {
    this.notify(remoteCommunicationEvent(type, data));
  }

  /**
   * Output as logged (after capture splitting and strip_ansi), from the channel log: PROCESS_LOG_<CHANNEL> when
   * the process has `<channel>_events_enabled`. A listener's stdout is its protocol channel and emits none.
   */
  readonly onLogged = (spec: ProcessSpec, channel: 'stdout' | 'stderr', data: Buffer): void => {
    if (!this.#logEventsWanted(spec, channel)) return;
    this.notify(processLogEvent(spec.name, spec.group, this.#pid(spec), channel, data));
  };

  /** Whether the process is one of an event listener pool's, whose stdout is the protocol channel. */
  readonly isListener = (spec: ProcessSpec): boolean => this.#pools.has(spec.group);

  /**
   * A completed capture block, from the channel log: PROCESS_COMMUNICATION_<CHANNEL>. Its bytes reached onLogged
   * (PROCESS_LOG_<CHANNEL>) as they came, as supervisor logs captured data through the same path.
   */
  readonly onCapture = (spec: ProcessSpec, channel: 'stdout' | 'stderr', data: Buffer): void => {
    if (channel === 'stdout' && this.#pools.has(spec.group)) return;
    this.notify(processCommunicationEvent(spec.name, spec.group, this.#pid(spec), channel, data));
  };

  /**
   * Wraps the spawner the engine uses, to see every child: its pid (for output events) and, for a listener, its
   * stdout (the protocol), its stdin (where events go) and its exit (a held event is re-queued).
   */
  wrapSpawner(inner: Spawner): Spawner {
    return {
      check: (spec) => inner.check(spec),
      spawn: (spec, handlers) => {
        const k = key(spec.group, spec.name);
        const pool = this.#pools.get(spec.group);
        let child: Child | null = null;
        const outcome = inner.spawn(spec, {
          onOutput: (channel, chunk) => {
            handlers.onOutput(channel, chunk);
            if (pool && child && channel === 'stdout') pool.output(spec.name, child, chunk);
          },
          onExit: (code, signal, coreDumped) => {
            // Before the engine hears of the exit: it may spawn the successor at once.
            if (pool && child) pool.exited(spec.name, child);
            // Output flushed at the exit still carries the pid, as supervisor drains before it resets pid.
            handlers.onExit(code, signal, coreDumped);
            if (child && this.#pids.get(k) === child.pid) this.#pids.set(k, 0);
          },
          // Without it the spawner cannot queue a stop's signal for the addon's thread (Child.signal's `soon`),
          // and sends it at once instead.
          ...(handlers.onSignalFailed && {
            onSignalFailed: (message: string) => handlers.onSignalFailed?.(message),
          }),
        });
        if (outcome.ok) {
          child = outcome.child;
          this.#pids.set(k, child.pid);
          pool?.spawned(spec.name, child);
        }
        return outcome;
      },
    };
  }

  /** The protocol state of a listener process (READY, BUSY, ACKNOWLEDGED, UNKNOWN), null when unknown. */
  listenerState(group: string, name: string): ListenerStateName | null {
    return this.#pools.get(group)?.listenerState(name) ?? null;
  }

  /** How many events a pool holds, null for no such pool. */
  buffered(pool: string): number | null {
    return this.#pools.get(pool)?.pool.size ?? null;
  }

  /** The armed TICK periods. */
  get tickPeriods(): TickPeriod[] {
    return this.#ticks.periods;
  }

  /** Stops the TICK timers (the daemon exits). */
  close(): void {
    this.#ticks.stop();
  }

  #onEngineEvent(e: EngineEvent): void {
    switch (e.type) {
      case 'process-state':
        // A listener leaving RUNNING gets none of the events of its own transition (supervisor dispatches only to
        // RUNNING listeners, later): they wait in the buffer, for another listener of the pool or its successor.
        if (e.to !== 'RUNNING') this.#pools.get(e.group)?.setRunning(e.name, false);
        // The payload only when some pool wants it: a start or stop of 1,000 makes 2,000 of these.
        if (this.#wanted(processStateEventType(e.to)))
          this.notify({ type: processStateEventType(e.to), payload: processStatePayload(e) });
        if (e.to === 'RUNNING') this.#pools.get(e.group)?.setRunning(e.name, true);
        return;
      case 'group-added':
        // The pool exists before its own PROCESS_GROUP_ADDED, which it receives (spec §6.4 transcript).
        if (e.spec?.kind === 'eventlistener') this.#addPool(e.spec);
        this.notify(processGroupEvent('added', e.group));
        return;
      case 'group-removed':
        this.#removePool(e.group);
        for (const k of this.#pids.keys()) if (k.startsWith(`${e.group}\0`)) this.#pids.delete(k);
        this.notify(processGroupEvent('removed', e.group));
        return;
      case 'supervisor-state':
        this.notify(supervisorStateEvent(e.state));
        return;
      case 'process-output':
      case 'request':
        return;
    }
  }

  #addPool(spec: GroupSpec): void {
    this.#pools.set(spec.name, new ListenerPool(spec, this.#log, () => this.#identifier, this.#echo));
    this.#armTicks();
  }

  #removePool(name: string): void {
    if (!this.#pools.delete(name)) return;
    this.#armTicks();
  }

  #armTicks(): void {
    const pools = [...this.#pools.values()];
    this.#ticks.set(new Set(TICK_PERIODS.filter((p) => pools.some((x) => x.pool.subscribes(`TICK_${p}`)))));
  }

  #logEventsWanted(spec: ProcessSpec, channel: 'stdout' | 'stderr'): boolean {
    if (channel === 'stdout' ? !spec.stdout_events_enabled : !spec.stderr_events_enabled) return false;
    if (channel === 'stdout' && this.#pools.has(spec.group)) return false;
    return true;
  }

  #pid(spec: ProcessSpec): number {
    return this.#pids.get(key(spec.group, spec.name)) ?? 0;
  }
}
