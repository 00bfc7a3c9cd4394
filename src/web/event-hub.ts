// Effect: the page's live stream (GET /api/events). One engine subscription shared by every reader, held only
// while someone reads; state changes are coalesced and sent in batches at most every `intervalMs`.
import type { ServerResponse } from 'node:http';
import type { Engine } from '../engine/engine.js';
import type { EngineEvent } from '../engine/events.js';
import { openEventStream, sseMessage, type EventStream } from './event-stream.js';
import { processList, type ProcessJson } from './process-view.js';
import { Throttle, systemTimers, type ThrottleTimers } from './throttle.js';

/** The engine methods the event hub uses. */
export type HubEngine = Pick<Engine, 'subscribe' | 'snapshot' | 'state'>;

/** The first message of every stream, and the one sent when the set of processes changed. */
export interface SnapshotMessage {
  readonly supervisor: { readonly state: string };
  /** Server time, epoch ms: the page computes uptimes from it without asking again. */
  readonly now: number;
  readonly processes: readonly ProcessJson[];
}

/** The processes whose state changed since the last message. */
export interface UpdateMessage {
  readonly now: number;
  readonly processes: readonly ProcessJson[];
}

/** How often the hub may send, and its timers (tests pass manual ones). */
export interface EventHubOptions {
  /** Default 100 ms. */
  readonly intervalMs?: number;
  readonly timers?: ThrottleTimers;
}

const keyOf = (group: string, name: string): string => `${group}\u0000${name}`;

/**
 * GET /api/events for every reader: one engine subscription, held only while someone reads. Each stream
 * gets a snapshot first, then updates of the changed processes at most every `intervalMs`, and a new
 * snapshot when the set of processes changed.
 */
export class ProcessEventHub {
  readonly #engine: HubEngine;
  readonly #streams = new Set<EventStream>();
  readonly #throttle: Throttle;
  readonly #now: () => number;
  #dirty = new Set<string>();
  #resync = false;
  /** The processes the readers know of: a change in this set (a numprocs change) sends a snapshot. */
  #known = new Set<string>();
  #unsubscribe: (() => void) | null = null;

  constructor(engine: HubEngine, options: EventHubOptions = {}) {
    this.#engine = engine;
    const timers = options.timers ?? systemTimers;
    this.#now = () => timers.now();
    this.#throttle = new Throttle(() => this.#flush(), options.intervalMs ?? 100, timers);
  }

  get readers(): number {
    return this.#streams.size;
  }

  /** Every process now (GET /api/processes answers this too). */
  snapshot(): SnapshotMessage {
    return {
      supervisor: { state: this.#engine.state },
      now: this.#now(),
      processes: processList(this.#engine.snapshot()),
    };
  }

  /** A snapshot for the readers: from now on they know exactly these processes. */
  #snapshotFrame(): string {
    const message = this.snapshot();
    this.#known = new Set(message.processes.map((p) => keyOf(p.group, p.name)));
    return sseMessage('snapshot', message);
  }

  /** Answers `res` with an event stream: a `snapshot` now, then `update`s and `snapshot`s as things change. */
  connect(res: ServerResponse): void {
    const stream = openEventStream(res);
    if (this.#unsubscribe === null) this.#unsubscribe = this.#engine.subscribe((e) => this.#onEvent(e));
    stream.send(this.#snapshotFrame());
    this.#streams.add(stream);
    stream.onClose(() => {
      this.#streams.delete(stream);
      if (this.#streams.size === 0) this.#idle();
    });
  }

  /** Sends every reader a fresh snapshot soon (after changes that raise no engine event, such as an apply). */
  refresh(): void {
    if (this.#streams.size === 0) return;
    this.#resync = true;
    this.#throttle.request();
  }

  /** Ends every stream. */
  close(): void {
    for (const s of [...this.#streams]) s.close();
    this.#idle();
  }

  #onEvent(e: EngineEvent): void {
    switch (e.type) {
      case 'process-state':
        this.#dirty.add(keyOf(e.group, e.name));
        break;
      case 'group-added':
      case 'group-removed':
      case 'supervisor-state':
        this.#resync = true;
        break;
      default:
        return;
    }
    this.#throttle.request();
  }

  #flush(): void {
    if (this.#streams.size === 0) return;
    const frame = this.#resync ? this.#snapshotFrame() : this.#updateFrame();
    this.#resync = false;
    this.#dirty = new Set();
    if (frame === null) return;
    for (const s of [...this.#streams]) s.send(frame);
  }

  /** The changed processes, or a snapshot when processes appeared or went; null when nothing is left to say. */
  #updateFrame(): string | null {
    const all = processList(this.#engine.snapshot());
    const keys = all.map((p) => keyOf(p.group, p.name));
    if (keys.length !== this.#known.size || keys.some((k) => !this.#known.has(k)))
      return this.#snapshotFrame();
    const changed = all.filter((p, i) => this.#dirty.has(keys[i] ?? ''));
    if (changed.length === 0) return null;
    const message: UpdateMessage = { now: this.#now(), processes: changed };
    return sseMessage('update', message);
  }

  #idle(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#throttle.cancel();
    this.#dirty = new Set();
    this.#resync = false;
  }
}
