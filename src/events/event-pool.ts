// One [eventlistener:x] pool's buffer and serials (spec §6.2): FIFO of `buffer_size` events, oldest discarded on
// overflow, rejected events back at the head. No I/O: log lines go to the logger it is given.
import { eventMatches, type EventTypeName } from '../model/event-types.js';
import type { DaemonLogger } from '../ports/log-sink.js';
import type { EventRecord } from './event-payloads.js';

/** An event once some pool accepted it: `serial` is global and assigned by the first accepting pool. */
export interface SerialEvent extends EventRecord {
  readonly serial: number;
}

/** An event in one pool's buffer, with the pool serial it got when this pool accepted it. */
export interface PoolEntry {
  readonly event: SerialEvent;
  readonly poolSerial: number;
}

/** supervisor wraps serials at sys.maxsize; JavaScript numbers stay exact only up to 2^53 - 1, so we wrap there. */
export function nextSerial(previous: number): number {
  return previous >= Number.MAX_SAFE_INTEGER ? 0 : previous + 1;
}

/**
 * One pool's FIFO of events: at most `bufferSize` (the oldest is discarded, logged as an error, to make
 * room), a re-queued event back at the head, pool serials wrapping at 2^53 - 1.
 */
export class EventPool {
  readonly name: string;
  readonly events: readonly EventTypeName[];
  readonly bufferSize: number;
  readonly #log: DaemonLogger;
  readonly #buffer: PoolEntry[] = [];
  #serial = -1;

  constructor(name: string, events: readonly EventTypeName[], bufferSize: number, log: DaemonLogger) {
    this.name = name;
    this.events = events;
    this.bufferSize = bufferSize;
    this.#log = log;
  }

  /**
   * True when the pool wants events of `type` (a subscription to a supertype included). A pool subscribed to
   * both a type and its supertype gets each event once, where supervisor would buffer it twice.
   */
  subscribes(type: EventTypeName): boolean {
    return this.events.some((s) => eventMatches(s, type));
  }

  get size(): number {
    return this.#buffer.length;
  }

  /** Buffered entries, oldest first (for inspection). */
  entries(): readonly PoolEntry[] {
    return [...this.#buffer];
  }

  /** Appends a new event with the next pool serial. */
  accept(event: SerialEvent): PoolEntry {
    this.#serial = nextSerial(this.#serial);
    const entry = { event, poolSerial: this.#serial };
    this.#makeRoom();
    this.#buffer.push(entry);
    return entry;
  }

  /** Puts an entry back at the head (rejected, or no listener could take it); it keeps both serials. */
  requeue(entry: PoolEntry): void {
    this.#log(
      'debug',
      `rebuffering event ${entry.event.serial} for pool ${this.name} (buf size=${this.#buffer.length}, max=${this.bufferSize})`,
    );
    this.#makeRoom();
    this.#buffer.unshift(entry);
  }

  /** Takes the oldest entry. */
  shift(): PoolEntry | undefined {
    return this.#buffer.shift();
  }

  #makeRoom(): void {
    if (this.#buffer.length < this.bufferSize) return;
    const discarded = this.#buffer.shift();
    if (discarded) {
      this.#log(
        'error',
        `pool ${this.name} event buffer overflowed, discarding event ${discarded.event.serial}`,
      );
    }
  }
}
