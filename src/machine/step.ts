// Pure: supervisor's process state machine (spec §3.2-§3.6) as a function of (proc, event, spec, now).
// Imports only model/ and machine/. Every arm names the edge it implements.
import type { ProcessSpec } from '../model/config.js';
import type { ProcessStateName } from '../model/states.js';
import { signalDisplayName, signalNumber, withSigPrefix } from '../model/signals.js';
import type { Effect, Proc, ProcEvent, StepResult, TimerName } from './proc.js';

/** The program options the machine reads. */
export type MachineSpec = Pick<
  ProcessSpec,
  | 'name'
  | 'startsecs'
  | 'startretries'
  | 'autorestart'
  | 'exitcodes'
  | 'stopsignal'
  | 'stopwaitsecs'
  | 'stopasgroup'
  | 'killasgroup'
>;

/** The spawnerr of a run that exited before startsecs passed, worded as supervisor's. */
export const TOO_QUICK = 'Exited too quickly (process log may have details)';

/** A signal as supervisor's log names it (its signame): `signal 0` for 0, `SIGPOLL` for IO, `signal 40`. */
function logSigName(signal: string): string {
  // A number: a signal without a name ended a child (`signal 40`).
  const n = /^\d+$/.test(signal) ? Number(signal) : signalNumber(signal);
  return n === undefined ? withSigPrefix(signal) : signalDisplayName(n);
}

/** supervisor's decode_wait_status: the exit status (-1 for a signal) and its wording. */
function decodeExit(
  code: number | null,
  signal: string | null,
  coreDumped: boolean,
): { es: number; text: string } {
  if (code !== null) return { es: code, text: `exit status ${code}` };
  // Named as supervisor names it: Node reports 29 as SIGIO, supervisor's signame as SIGPOLL.
  const name = signal === null ? 'unknown signal' : logSigName(signal);
  return { es: -1, text: `terminated by ${name}${coreDumped ? ' (core dumped)' : ''}` };
}

/** Wall-clock-free pacing: a re-armed SIGKILL never spins faster than once a second. */
const MIN_KILL_REARM_MS = 1000;

/**
 * supervisor restarts an EXITED process in its next main-loop pass. With nothing else going on that pass is
 * the next 1-second poll timeout, so a lone program that exits at once (`startsecs=0`, `autorestart=true`)
 * restarts about once a second; other activity wakes the loop sooner (three such programs: ~70 restarts a
 * second each). Without a loop the restart would come as soon as the exit is reaped: ~600 spawns and ~1,800
 * PROCESS_STATE events a second. A restart therefore comes at once, but no sooner than this long after the
 * start of the run that exited: supervisor's pace for the lone program, whatever else runs.
 */
const MIN_RESTART_INTERVAL_MS = 1000;

const NO_EXTRA: { pid?: number; expected?: boolean } = Object.freeze({});

type Writable<T> = { -readonly [K in keyof T]: T[K] };

class Draft {
  #p: Proc;
  /** Whether #p is this step's own copy: the first change copies the input, later ones write to the copy. */
  #own = false;
  readonly effects: Effect[] = [];
  constructor(p: Proc) {
    this.#p = p;
  }
  get p(): Proc {
    return this.#p;
  }
  // One copy per step, not one per change: a stop made four copies of the proc in each of its two steps.
  set(patch: Partial<Proc>): void {
    if (this.#own) Object.assign(this.#p as Writable<Proc>, patch);
    else {
      this.#p = { ...this.#p, ...patch };
      this.#own = true;
    }
  }
  log(level: 'critical' | 'warn' | 'info' | 'debug', message: string): void {
    this.effects.push({ type: 'log', level, message });
  }
  to(state: ProcessStateName, extra: { pid?: number; expected?: boolean } = NO_EXTRA): void {
    const from = this.p.state;
    // supervisor's change_state: no event when the state does not change (the SIGKILL re-arm).
    if (from === state) return;
    if (state === 'BACKOFF') this.set({ backoff: this.p.backoff + 1 });
    this.set({ state });
    this.effects.push({
      type: 'notify',
      from,
      to: state,
      pid: extra.pid ?? this.p.pid,
      tries: this.p.backoff,
      expected: extra.expected ?? true,
    });
  }
  arm(timer: TimerName, ms: number): void {
    if (this.p.armed.includes(timer)) this.effects.push({ type: 'cancel-timer', timer });
    this.effects.push({ type: 'set-timer', timer, ms: Math.max(0, ms), incarnation: this.p.incarnation });
    // concat, not a spread: no iterator (a stop of all runs this with the optimizer paused).
    const armed = this.p.armed;
    this.set({ armed: (armed.includes(timer) ? armed.filter((t) => t !== timer) : armed).concat(timer) });
  }
  disarm(timer: TimerName): void {
    if (!this.p.armed.includes(timer)) return;
    this.effects.push({ type: 'cancel-timer', timer });
    this.set({ armed: this.p.armed.filter((t) => t !== timer) });
  }
  /** A fired timer is no longer armed. */
  fired(timer: TimerName): void {
    this.set({ armed: this.p.armed.filter((t) => t !== timer) });
  }
  done(): StepResult {
    return { next: this.p, effects: this.effects };
  }
}

function unchanged(p: Proc): StepResult {
  return { next: p, effects: [] };
}

// -> STARTING (spec §3.3 step 2): reset the run's fields, bump the incarnation, ask for a spawn.
function spawn(d: Draft, now: number): void {
  d.set({
    killing: false,
    spawnerr: null,
    exitstatus: null,
    administrativeStop: false,
    laststart: now,
    incarnation: d.p.incarnation + 1,
  });
  d.to('STARTING');
  d.effects.push({ type: 'spawn', incarnation: d.p.incarnation });
}

// -> BACKOFF, then FATAL at once when retries are spent (spec §3.5), else a retry after `backoff` seconds.
function backoff(d: Draft, spec: MachineSpec, exitedPid = 0): void {
  // The pid of a run that exited too quickly goes with the change, so its stop time is recorded (laststop).
  d.to('BACKOFF', { pid: exitedPid });
  if (d.p.backoff > spec.startretries) {
    d.set({ backoff: 0 });
    d.to('FATAL');
    d.log('info', `gave up: ${spec.name} entered FATAL state, too many start retries too quickly`);
  } else {
    d.arm('backoff', d.p.backoff * 1000);
  }
}

function enterRunning(d: Draft, spec: MachineSpec, logSuccess: boolean, pid = d.p.pid): void {
  d.disarm('startsecs');
  d.set({ backoff: 0 });
  d.to('RUNNING', { pid });
  if (logSuccess) {
    d.log(
      'info',
      `success: ${spec.name} entered RUNNING state, process has stayed up for > than ${spec.startsecs} seconds (startsecs)`,
    );
  }
}

// RUNNING/STARTING -> STOPPING, or the SIGKILL escalation while STOPPING (spec §3.6).
function kill(d: Draft, spec: MachineSpec, signal: string): void {
  const group = d.p.state === 'STOPPING' ? spec.killasgroup : spec.stopasgroup;
  d.log(
    'debug',
    `killing ${spec.name} (pid ${d.p.pid}) ${group ? 'process group ' : ''}with signal ${logSigName(signal)}`,
  );
  d.set({ killing: true });
  d.disarm('startsecs');
  const rearm = d.p.state === 'STOPPING';
  d.to('STOPPING');
  d.effects.push({ type: 'kill', pid: d.p.pid, signal, group, awaited: false });
  d.arm('stopwait', rearm ? Math.max(spec.stopwaitsecs * 1000, MIN_KILL_REARM_MS) : spec.stopwaitsecs * 1000);
}

/** Whether the restart policy restarts a process that exited with `es` (from RUNNING). */
export function restartWanted(spec: Pick<MachineSpec, 'autorestart' | 'exitcodes'>, es: number): boolean {
  if (spec.autorestart === true) return true;
  if (spec.autorestart === 'unexpected') return !spec.exitcodes.includes(es);
  return false;
}

// The child was reaped (spec §3.4): first match of stop in progress, too quick, or a normal exit.
function finish(
  d: Draft,
  spec: MachineSpec,
  now: number,
  code: number | null,
  signal: string | null,
  coreDumped: boolean,
): void {
  const { es, text } = decodeExit(code, signal, coreDumped);
  const pid = d.p.pid;
  const expected = spec.exitcodes.includes(es);
  const startedAt = d.p.laststart ?? now;
  const tooQuick = d.p.state === 'STARTING' && now - startedAt < spec.startsecs * 1000;
  d.set({ pid: 0 });
  if (d.p.killing) {
    // STOPPING -> STOPPED: any exit status. svd, not supervisor: with killasgroup no process of the group
    // outlives the stop (a leader that exits on stopsignal would otherwise leave its children to PID 1).
    if (spec.killasgroup) {
      d.log(
        'debug',
        `killing what is left of ${spec.name}'s process group (pgid ${pid}) with signal SIGKILL`,
      );
      d.effects.push({ type: 'kill-group', pgid: pid, signal: 'SIGKILL' });
    }
    d.disarm('stopwait');
    d.set({ killing: false, exitstatus: es });
    d.to('STOPPED', { pid });
    d.log(expected ? 'info' : 'warn', `stopped: ${spec.name} (${text})`);
  } else if (tooQuick) {
    // STARTING -> BACKOFF: exited before startsecs, whatever the code.
    d.disarm('startsecs');
    d.set({ exitstatus: null, spawnerr: TOO_QUICK });
    d.log('warn', `exited: ${spec.name} (${text}; not expected)`);
    backoff(d, spec, pid);
  } else {
    // RUNNING -> EXITED; a STARTING process past startsecs whose timer had not fired yet goes through RUNNING.
    d.set({ backoff: 0, exitstatus: es });
    // supervisor changes the state before it clears the pid: the RUNNING event names the exited pid.
    if (d.p.state === 'STARTING') enterRunning(d, spec, false, pid);
    d.disarm('startsecs');
    if (!expected) d.set({ spawnerr: `Bad exit code ${es}` });
    d.to('EXITED', { pid, expected });
    d.log(
      expected ? 'info' : 'warn',
      `exited: ${spec.name} (${text}; ${expected ? 'expected' : 'not expected'})`,
    );
    if (restartWanted(spec, es)) {
      const delayMs = Math.max(0, startedAt + MIN_RESTART_INTERVAL_MS - now);
      d.effects.push({ type: 'autorestart', delayMs, incarnation: d.p.incarnation });
    }
  }
}

/**
 * One transition. Commands that make no sense in the current state are rejected with supervisor's fault;
 * stale exits and timers (another pid or incarnation) are ignored without effects.
 */
export function step(p: Proc, e: ProcEvent, spec: MachineSpec, now: number): StepResult {
  const d = new Draft(p);
  switch (e.type) {
    case 'start':
      // STOPPED/EXITED/FATAL -> STARTING (spec §3.2); the backoff counter is kept (quirk, §3.2).
      if (p.state === 'UNKNOWN') return { rejected: 'FAILED' };
      // STOPPING: supervisor's spawn() finds a pid, warns and does nothing; startProcess then waits on a
      // process that is neither STARTING nor RUNNING (ABNORMAL_TERMINATION), or answers true without wait.
      if (p.state === 'STOPPING') {
        d.log('warn', `process '${spec.name}' already running`);
        return d.done();
      }
      if (p.state !== 'STOPPED' && p.state !== 'EXITED' && p.state !== 'FATAL') {
        return { rejected: 'ALREADY_STARTED' };
      }
      spawn(d, now);
      return d.done();

    case 'stop':
      if (p.state === 'BACKOFF') {
        // BACKOFF -> STOPPED without a signal; backoff is NOT reset (verified quirk, §3.2).
        d.disarm('backoff');
        d.set({ administrativeStop: true });
        d.log('debug', `Attempted to kill ${spec.name}, which is in BACKOFF state.`);
        d.to('STOPPED', { pid: 0 });
        return d.done();
      }
      if ((p.state !== 'RUNNING' && p.state !== 'STARTING') || p.pid === 0)
        return { rejected: 'NOT_RUNNING' };
      // RUNNING/STARTING -> STOPPING (spec §3.6).
      d.set({ administrativeStop: true });
      kill(d, spec, withSigPrefix(spec.stopsignal));
      return d.done();

    case 'give-up':
      // BACKOFF -> FATAL when the daemon shuts down (stop_all).
      if (p.state !== 'BACKOFF') return unchanged(p);
      d.disarm('backoff');
      d.set({ backoff: 0 });
      d.to('FATAL', { pid: 0 });
      return d.done();

    case 'signal':
      if ((p.state !== 'RUNNING' && p.state !== 'STARTING' && p.state !== 'STOPPING') || p.pid === 0) {
        return { rejected: 'NOT_RUNNING' };
      }
      d.log('debug', `sending ${spec.name} (pid ${p.pid}) sig ${logSigName(e.signal)}`);
      d.effects.push({
        type: 'kill',
        pid: p.pid,
        signal: withSigPrefix(e.signal),
        group: false,
        awaited: true,
      });
      return d.done();

    case 'spawned':
      if (p.state !== 'STARTING' || e.incarnation !== p.incarnation || p.pid !== 0) return unchanged(p);
      d.set({ pid: e.pid });
      d.log('info', `spawned: '${spec.name}' with pid ${e.pid}`);
      // startsecs=0: RUNNING at once (startProcess runs a transition right after spawning).
      if (spec.startsecs === 0) enterRunning(d, spec, true);
      // Strictly after startsecs (spec §3.2): one millisecond past the boundary.
      else d.arm('startsecs', spec.startsecs * 1000 + 1);
      return d.done();

    case 'spawn-failed':
      // STARTING -> BACKOFF: the parent could not spawn (spec §3.3 step 3-5).
      if (p.state !== 'STARTING' || e.incarnation !== p.incarnation || p.pid !== 0) return unchanged(p);
      d.set({ spawnerr: e.message });
      d.log('info', `spawnerr: ${e.message}`);
      backoff(d, spec);
      return d.done();

    case 'exited':
      if (p.pid === 0 || e.pid !== p.pid) return unchanged(p);
      finish(d, spec, now, e.code, e.signal, e.coreDumped === true);
      return d.done();

    case 'timer':
      if (e.incarnation !== p.incarnation || !p.armed.includes(e.timer)) return unchanged(p);
      d.fired(e.timer);
      return timer(d, e.timer, spec, now);

    case 'kill-failed':
      // any -> UNKNOWN: a signal failed unexpectedly (spec §3.6).
      if (p.pid === 0 || e.pid !== p.pid) return unchanged(p);
      d.log('critical', `unknown problem killing ${spec.name} (${p.pid}):${e.message}`);
      d.disarm('stopwait');
      d.disarm('startsecs');
      d.set({ killing: false });
      d.to('UNKNOWN');
      return d.done();
  }
}

function timer(d: Draft, t: TimerName, spec: MachineSpec, now: number): StepResult {
  const p = d.p;
  switch (t) {
    case 'startsecs': {
      if (p.state !== 'STARTING') return d.done();
      const up = now - (p.laststart ?? now);
      // STARTING -> RUNNING strictly after startsecs; a timer that fired early is re-armed.
      if (up > spec.startsecs * 1000) enterRunning(d, spec, true);
      else d.arm('startsecs', spec.startsecs * 1000 + 1 - up);
      return d.done();
    }
    case 'backoff':
      // BACKOFF -> STARTING while retries remain (spec §3.5).
      if (p.state === 'BACKOFF' && p.backoff <= spec.startretries) spawn(d, now);
      return d.done();
    case 'stopwait':
      // STOPPING -> STOPPING: SIGKILL after stopwaitsecs, re-armed (spec §3.6).
      if (p.state !== 'STOPPING' || p.pid === 0) return d.done();
      d.log('warn', `killing '${spec.name}' (${p.pid}) with SIGKILL`);
      kill(d, spec, 'SIGKILL');
      return d.done();
  }
}
