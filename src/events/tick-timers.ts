// TICK_5 / TICK_60 / TICK_3600 from the wall clock (spec §6.1): one timer per period, armed only while some pool
// subscribes to it, firing at each boundary crossing and looking at the wall clock at least every 5 s.
import type { Clock } from '../ports/clock.js';
import type { TickPeriod } from './event-payloads.js';

/** supervisor's timeslice: epoch seconds rounded down to a multiple of `period`. */
export function timeslice(period: number, whenSeconds: number): number {
  return Math.floor(whenSeconds - (whenSeconds % period));
}

/** Milliseconds from `wallMs` to the next multiple of `period` seconds (always > 0). */
export function msUntilNextSlice(period: number, wallMs: number): number {
  return (timeslice(period, wallMs / 1000) + period) * 1000 - wallMs;
}

interface Armed {
  last: number;
  cancel: () => void;
}

/**
 * supervisord's first tick comes ~1 s after its start (its loop polls for a second first), and that tick only
 * records the current slices: a boundary crossed in the first second after start is no TICK.
 */
const FIRST_TICK_MS = 1000;

/**
 * The longest a timer waits before looking at the wall clock again. Timers run on the monotonic clock: a
 * wall clock set forward (NTP's first sync, `date -s`, a resume from suspend) would otherwise leave TICK_60
 * up to a minute and TICK_3600 up to an hour late, where supervisord, polling the wall clock every second,
 * sends them at once.
 */
const WALL_CHECK_MS = 5000;

/**
 * TICK_5/60/3600 from the wall clock: one timer per armed period, emitting once each time the wall clock
 * enters a new slice, `when` being that slice's start in epoch seconds. A clock set forward is noticed
 * within 5 s and gives one tick, however many slices it skipped.
 */
export class TickTimers {
  readonly #clock: Clock;
  readonly #emit: (period: TickPeriod, when: number) => void;
  readonly #armed = new Map<TickPeriod, Armed>();
  /** When the daemon's first tick would record the slices (the timers are made as the daemon starts). */
  readonly #firstTick: number;

  constructor(clock: Clock, emit: (period: TickPeriod, when: number) => void) {
    this.#clock = clock;
    this.#emit = emit;
    this.#firstTick = clock.wallNow() + FIRST_TICK_MS;
  }

  /** Which periods are armed. */
  get periods(): TickPeriod[] {
    return [...this.#armed.keys()];
  }

  /**
   * Arms the periods in `wanted` that are not armed and disarms the others. A newly armed period first fires at
   * the first boundary after now, or, in the daemon's first second, after supervisord's first tick
   * (FIRST_TICK_MS): as supervisor's first TICK comes at the first boundary after that tick.
   */
  set(wanted: ReadonlySet<TickPeriod>): void {
    for (const [period, armed] of this.#armed) {
      if (!wanted.has(period)) {
        armed.cancel();
        this.#armed.delete(period);
      }
    }
    for (const period of wanted) {
      if (this.#armed.has(period)) continue;
      const recorded = Math.max(this.#clock.wallNow(), this.#firstTick);
      const armed: Armed = { last: timeslice(period, recorded / 1000), cancel: () => {} };
      this.#armed.set(period, armed);
      this.#schedule(period, armed);
    }
  }

  stop(): void {
    this.set(new Set());
  }

  #schedule(period: TickPeriod, armed: Armed): void {
    const ms = Math.max(1, Math.min(msUntilNextSlice(period, this.#clock.wallNow()), WALL_CHECK_MS));
    armed.cancel = this.#clock.setTimer(ms, () => {
      if (this.#armed.get(period) !== armed) return;
      const now = timeslice(period, this.#clock.wallNow() / 1000);
      // A timer may fire a little before the wall clock crosses the boundary: then it only waits again.
      if (now !== armed.last) {
        armed.last = now;
        this.#emit(period, now);
      }
      if (this.#armed.get(period) === armed) this.#schedule(period, armed);
    });
  }
}
