// A Spawner that records spawns and signals; tests decide when children print, exit or ignore signals.
import type { ProcessSpec } from '../../src/model/config.js';
import type {
  Child,
  ChildHandlers,
  CommandCheck,
  SignalOutcome,
  Spawner,
  SpawnOutcome,
} from '../../src/ports/spawner.js';

export interface SignalRecord {
  readonly signal: string;
  readonly group: boolean;
}

export class FakeChild implements Child {
  readonly pid: number;
  readonly spec: ProcessSpec;
  readonly signals: SignalRecord[] = [];
  readonly stdin: Buffer[] = [];
  /** Signals this child survives (others end it as a real default action would). */
  readonly ignores = new Set<string>();
  stdinClosed = false;
  /** False: what is written to stdin stays queued (stdinBacklog grows), as for a child that never reads it. */
  readsStdin = true;
  backlog = 0;
  exited = false;
  /** Other live members of the child's process group (grandchildren); a deadly group signal ends them. */
  groupSurvivors = 0;
  /**
   * Set: a signal sent `soon` is taken (ok) and fails afterwards with this message, told through
   * onSignalFailed (a queued signal the spawner's thread could not send: EPERM); one sent now fails at once.
   */
  signalsFail: string | null = null;
  /** Failures told through onSignalFailed, waiting for tellSignalFailures(). */
  readonly #failuresToTell: string[] = [];
  readonly #handlers: ChildHandlers;

  constructor(pid: number, spec: ProcessSpec, handlers: ChildHandlers) {
    this.pid = pid;
    this.spec = spec;
    this.#handlers = handlers;
  }

  signal(
    signal: string | number,
    options: { readonly group: boolean; readonly soon?: boolean | undefined },
  ): SignalOutcome {
    const name = typeof signal === 'number' ? String(signal) : signal;
    if (this.signalsFail !== null && !this.exited) {
      if (options.soon !== true) return { ok: false, gone: false, message: this.signalsFail };
      this.#failuresToTell.push(this.signalsFail);
      return { ok: true };
    }
    const deadly = name !== 'SIG0' && name !== 'SIGCHLD' && name !== 'SIGWINCH';
    if (options.group && this.groupSurvivors > 0) {
      if (this.exited) this.signals.push({ signal: name, group: true });
      if (deadly) this.groupSurvivors = 0;
      if (this.exited) return { ok: true };
    }
    if (this.exited) return { ok: false, gone: true, message: 'ESRCH' };
    this.signals.push({ signal: name, group: options.group });
    // Like a real process: the default action of a terminating signal ends it.
    if (!this.ignores.has(name) && deadly) this.kill(name);
    return { ok: true };
  }

  writeStdin(data: Buffer): boolean {
    if (this.stdinClosed || this.exited) return false;
    this.stdin.push(data);
    if (!this.readsStdin) this.backlog += data.length;
    return true;
  }

  stdinBacklog(): number {
    return this.backlog;
  }

  output(channel: 'stdout' | 'stderr', text: string): void {
    this.#handlers.onOutput(channel, Buffer.from(text));
  }

  /** Tells the failures of signals sent `soon`, as the spawner's thread would a moment after. */
  tellSignalFailures(): void {
    for (const message of this.#failuresToTell.splice(0)) this.#handlers.onSignalFailed?.(message);
  }

  /** The child exits on its own with `code`. */
  exit(code: number): void {
    if (this.exited) return;
    this.exited = true;
    this.#handlers.onExit(code, null, false);
  }

  /** The child dies of `signal`. */
  kill(signal: string): void {
    if (this.exited) return;
    this.exited = true;
    this.#handlers.onExit(null, signal, false);
  }
}

export class FakeSpawner implements Spawner {
  readonly children: FakeChild[] = [];
  #nextPid = 1000;
  /** Command check results by process name (default: ok). */
  readonly checks = new Map<string, CommandCheck>();
  /** Spawn failures by process name (default: spawn works). */
  readonly failures = new Map<string, string>();
  /** Signals that every new child ignores. */
  readonly ignoreByDefault = new Set<string>();

  check(spec: ProcessSpec): CommandCheck {
    return this.checks.get(spec.name) ?? { ok: true, file: spec.command, argv: [spec.command] };
  }

  spawn(spec: ProcessSpec, handlers: ChildHandlers): SpawnOutcome {
    const failure = this.failures.get(spec.name);
    if (failure !== undefined) return { ok: false, message: failure };
    const child = new FakeChild(this.#nextPid++, spec, handlers);
    for (const s of this.ignoreByDefault) child.ignores.add(s);
    this.children.push(child);
    return { ok: true, child };
  }

  /** The newest child of process `name`. */
  last(name: string): FakeChild {
    const c = this.children.filter((x) => x.spec.name === name).at(-1);
    if (!c) throw new Error(`no child spawned for ${name}`);
    return c;
  }

  spawnCount(name: string): number {
    return this.children.filter((x) => x.spec.name === name).length;
  }

  /** Children that have not exited. */
  live(): FakeChild[] {
    return this.children.filter((c) => !c.exited);
  }
}
