// A Clock whose time moves only when a test says so; due timers fire in order, never sleeping.
import type { Clock } from '../../src/ports/clock.js';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

export class ManualClock implements Clock {
  #now = 0;
  #wallOffset: number;
  #seq = 0;
  #timers: Timer[] = [];

  constructor(wallStart = Date.UTC(2024, 0, 1)) {
    this.#wallOffset = wallStart;
  }

  now(): number {
    return this.#now;
  }
  wallNow(): number {
    return this.#wallOffset + this.#now;
  }
  setTimer(ms: number, fn: () => void): () => void {
    const t: Timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn, cancelled: false };
    this.#timers.push(t);
    return () => {
      t.cancelled = true;
    };
  }

  /** Sets the wall clock `ms` forward (backward if negative), as `date -s` does; timers are not moved. */
  stepWall(ms: number): void {
    this.#wallOffset += ms;
  }

  /** Armed, uncancelled timers. */
  get pending(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  /** Moves time forward by `ms`, firing every timer due on the way (including ones set while advancing). */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      this.#timers = this.#timers.filter((t) => !t.cancelled);
      const due = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.#now = Math.max(this.#now, due.at);
      due.cancelled = true;
      due.fn();
    }
    this.#now = end;
  }
}

/**
 * Engine `pace` for tests on a ManualClock: the start pacer's time budget never runs out, so a start is made in
 * the turn it is asked for however busy the machine is (the pacer times real turns, not the engine's clock).
 */
export const UNTIMED_PACE = { now: (): number => 0 } as const;
