// A running [eventlistener:x] pool: its buffer, its listener processes' protocol states, and dispatch (spec §6.5):
// the oldest event goes to the first RUNNING+READY listener in the pool's process order.
import type { GroupSpec } from '../model/config.js';
import { isEventType, type EventTypeName } from '../model/event-types.js';
import type { ListenerStateName } from '../model/states.js';
import type { DaemonLogger } from '../ports/log-sink.js';
import { eventEnvelope } from './event-envelope.js';
import { EventPool, type PoolEntry, type SerialEvent } from './event-pool.js';
import { feedListener, markBusy, newListenerChannel, type ListenerChannel } from './listener-protocol.js';
import { resultHandlerFor, type ResultHandler } from './result-handlers.js';

/** The side of a listener child the pool writes to. */
export interface ListenerStdin {
  readonly pid: number;
  /** False when the child's stdin is closed (EPIPE). */
  writeStdin(data: Buffer): boolean;
}

interface Listener {
  child: ListenerStdin | null;
  channel: ListenerChannel;
  /** The event sent and not yet acknowledged (BUSY), re-queued if the listener fails or exits. */
  held: PoolEntry | null;
}

/**
 * A running [eventlistener:x] pool: its buffer, each listener process's protocol state and held event, and
 * dispatch of the oldest event to the first READY listener in process order. A held event goes back to the
 * head when its listener rejects it or exits.
 */
export class ListenerPool {
  readonly pool: EventPool;
  readonly #order: string[];
  readonly #listeners = new Map<string, Listener>();
  readonly #running = new Set<string>();
  readonly #log: DaemonLogger;
  readonly #identifier: () => string;
  readonly #handleResult: ResultHandler;
  readonly #echo: (text: string) => void;

  constructor(spec: GroupSpec, log: DaemonLogger, identifier: () => string, echo: (text: string) => void) {
    const settings = spec.eventlistener;
    // The loader validated the names; the filter only narrows the generated string type.
    const names: readonly string[] = settings?.events ?? [];
    const events = names.filter((e): e is EventTypeName => isEventType(e));
    this.pool = new EventPool(spec.name, events, settings?.buffer_size ?? 10, log);
    this.#order = spec.processes.map((p) => p.name);
    this.#log = log;
    this.#identifier = identifier;
    this.#handleResult = resultHandlerFor(settings?.result_handler ?? '');
    this.#echo = echo;
  }

  get name(): string {
    return this.pool.name;
  }

  /** The protocol state of a listener process, null when it never ran. */
  listenerState(name: string): ListenerStateName | null {
    return this.#listeners.get(name)?.channel.state ?? null;
  }

  /** A new child of listener `name`: ACKNOWLEDGED until it writes READY. */
  spawned(name: string, child: ListenerStdin): void {
    if (!this.#order.includes(name)) this.#order.push(name);
    this.#listeners.set(name, { child, channel: newListenerChannel, held: null });
  }

  /** Bytes the child wrote on stdout: the protocol channel. */
  output(name: string, child: ListenerStdin, chunk: Buffer): void {
    const l = this.#listeners.get(name);
    if (!l || l.child !== child) return;
    const { next, effects } = feedListener(l.channel, chunk, name, this.#handleResult);
    l.channel = next;
    let dispatch = false;
    for (const effect of effects) {
      switch (effect.type) {
        case 'log':
          this.#log(effect.level, effect.message);
          break;
        case 'processed':
          l.held = null;
          break;
        case 'echo':
          this.#echo(effect.text);
          break;
        case 'requeue':
          if (l.held) this.pool.requeue(l.held);
          l.held = null;
          dispatch = true;
          break;
        case 'ready':
          dispatch = true;
          break;
      }
    }
    if (dispatch) this.dispatch();
  }

  /** The child exited: an event it held goes back to the head of the buffer, for another listener or its successor. */
  exited(name: string, child: ListenerStdin): void {
    const l = this.#listeners.get(name);
    if (!l || l.child !== child) return;
    l.child = null;
    if (l.held) {
      this.pool.requeue(l.held);
      l.held = null;
      this.dispatch();
    }
  }

  /** Whether process `name` is in the RUNNING process state: only then does it receive events. */
  setRunning(name: string, running: boolean): void {
    if (running) {
      this.#running.add(name);
      this.dispatch();
    } else {
      this.#running.delete(name);
    }
  }

  accept(event: SerialEvent): void {
    this.pool.accept(event);
  }

  /** Sends buffered events, oldest first, while some RUNNING listener is READY. */
  dispatch(): void {
    for (;;) {
      const ready = this.#order.flatMap((name) => {
        const l = this.#listeners.get(name);
        return l?.child && l.channel.state === 'READY' && this.#running.has(name) ? [{ name, l }] : [];
      });
      if (ready.length === 0) return;
      const entry = this.pool.shift();
      if (!entry) return;
      if (!this.#send(entry, ready)) {
        this.pool.requeue(entry);
        return;
      }
    }
  }

  #send(entry: PoolEntry, ready: readonly { name: string; l: Listener }[]): boolean {
    const { event, poolSerial } = entry;
    const envelope = Buffer.from(
      eventEnvelope({
        identifier: this.#identifier(),
        serial: event.serial,
        pool: this.name,
        poolSerial,
        eventName: event.type,
        payload: event.payload,
      }),
      'utf8',
    );
    for (const { name, l } of ready) {
      if (!l.child?.writeStdin(envelope)) {
        this.#log(
          'debug',
          `epipe occurred while sending event ${event.serial} to listener ${name}, listener state unchanged`,
        );
        continue;
      }
      l.channel = markBusy(l.channel);
      l.held = entry;
      this.#log('debug', `event ${event.serial} sent to listener ${name}`);
      return true;
    }
    return false;
  }
}
