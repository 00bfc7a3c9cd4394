// Pure: pidproxy's decisions as (state, event) -> {state, effects}. No I/O, no timers, no clock: the
// shell (run-pidproxy.ts) looks at the pidfile and the processes and hands what it saw in as a Probe.

/** The signals pidproxy forwards, as supervisor's pidproxy does; others keep their default action. */
export const PROXIED_SIGNALS = ['SIGTERM', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const;
/** One of PROXIED_SIGNALS. */
export type ProxiedSignal = (typeof PROXIED_SIGNALS)[number];

/** After forwarding one of these, a missing daemon means "stopped", not "failed to start". */
const STOP_SIGNALS: ReadonlySet<ProxiedSignal> = new Set(['SIGTERM', 'SIGINT', 'SIGQUIT']);

/** What reading the pidfile gave. `stamp` changes whenever the file is rewritten (inode, mtime, size). */
export type PidfileRead =
  | { readonly kind: 'pid'; readonly pid: number; readonly stamp: string }
  | { readonly kind: 'unusable'; readonly problem: string };

/** One look at the world, taken by the shell just before an event is stepped. */
export interface Probe {
  /** Monotonic milliseconds. */
  readonly now: number;
  readonly pidfile: PidfileRead;
  /** Whether the pid the pidfile names is running (false when it names none). */
  readonly pidfileAlive: boolean;
  /** Whether the current target is still running (false when there is none). */
  readonly targetAlive: boolean;
}

/** What stays fixed for one pidproxy run. */
export interface ProxyConfig {
  readonly pidfile: string;
  readonly command: string;
  /** How long to wait for the pidfile after the command exits with status 0. */
  readonly graceMs: number;
  /** pidproxy's own pid, which a pidfile must never make it signal. */
  readonly selfPid: number;
}

/** The command pidproxy spawned: not yet, running, or exited with its status. */
export type ChildState =
  | { readonly kind: 'unstarted' }
  | { readonly kind: 'running'; readonly pid: number }
  | { readonly kind: 'exited'; readonly pid: number; readonly status: number };

/** Everything stepProxy decides from; replaced, never changed in place. */
export interface ProxyState {
  /** The process pidproxy spawned (the command), which usually daemonises and exits. */
  readonly child: ChildState;
  /** The live process the pidfile named last: the one signals go to and whose exit ends pidproxy. */
  readonly target: number | null;
  /** Whether a target was ever found, i.e. the daemon did start. */
  readonly adopted: boolean;
  /** Stamp of a pidfile left from before the command started; its pid is not trusted. */
  readonly staleStamp: string | null;
  /** A TERM, INT or QUIT was forwarded. */
  readonly stopping: boolean;
  /** When the wait for the pidfile after a status-0 exit ends (monotonic ms). */
  readonly graceUntil: number | null;
  readonly done: boolean;
}

/** What the shell saw: the spawn's outcome, a periodic look, the command's exit, a signal to pass on. */
export type ProxyEvent =
  | { readonly type: 'spawned'; readonly pid: number }
  | { readonly type: 'poll'; readonly probe: Probe }
  | { readonly type: 'child-exited'; readonly status: number; readonly probe: Probe }
  | { readonly type: 'spawn-failed'; readonly reason: string; readonly status: number }
  | { readonly type: 'signal'; readonly signal: ProxiedSignal; readonly probe: Probe };

/** What the shell must do, in order: signal a pid, print a line, exit with a status. */
export type ProxyEffect =
  | { readonly type: 'kill'; readonly pid: number; readonly signal: ProxiedSignal }
  | { readonly type: 'say'; readonly stream: 'stdout' | 'stderr'; readonly line: string }
  | { readonly type: 'exit'; readonly code: number };

/** The next state and its effects; once `state.done`, every further step is a no-op. */
export interface ProxyStep {
  readonly state: ProxyState;
  readonly effects: readonly ProxyEffect[];
}

/** The state before the command is spawned; `staleStamp` is the stamp of a pidfile already there. */
export function initialProxyState(staleStamp: string | null): ProxyState {
  return {
    child: { kind: 'unstarted' },
    target: null,
    adopted: false,
    staleStamp,
    stopping: false,
    graceUntil: null,
    done: false,
  };
}

/**
 * Advances pidproxy by one event. The rules:
 * - the target is the pid in the pidfile whenever that process runs and the file was written after the
 *   command started; when the pidfile stops naming a live process the last target is kept while it lives;
 * - a signal goes to the pidfile's pid read at that moment (as supervisor does), else to the last target,
 *   else to the command itself;
 * - pidproxy exits once the command has exited and no target runs, with the command's status; if no
 *   target was ever found it says why (after a grace period when the command exited with status 0,
 *   since a daemon may write its pidfile just after its parent returns).
 */
export function stepProxy(config: ProxyConfig, state: ProxyState, event: ProxyEvent): ProxyStep {
  if (state.done) return { state, effects: [] };
  switch (event.type) {
    case 'spawned':
      return { state: { ...state, child: { kind: 'running', pid: event.pid } }, effects: [] };
    case 'spawn-failed':
      return finish(state, event.status, [
        say('stderr', `pidproxy: can't run ${config.command}: ${event.reason}`),
      ]);
    case 'poll':
      return settle(config, observe(config, state, event.probe), event.probe.now, []);
    case 'child-exited': {
      const pid = state.child.kind === 'running' ? state.child.pid : 0;
      const exited: ProxyState = { ...state, child: { kind: 'exited', pid, status: event.status } };
      return settle(config, observe(config, exited, event.probe), event.probe.now, []);
    }
    case 'signal':
      return forward(config, state, event.signal, event.probe);
  }
}

function forward(config: ProxyConfig, state: ProxyState, signal: ProxiedSignal, probe: Probe): ProxyStep {
  const seen = observe(config, state, probe);
  const stopping = seen.stopping || STOP_SIGNALS.has(signal);
  const fromPidfile = usablePid(config, state, probe);
  if (fromPidfile !== null) {
    return settle(config, { ...seen, stopping }, probe.now, [{ type: 'kill', pid: fromPidfile, signal }]);
  }
  const effects: ProxyEffect[] = [complaint(config, state, probe)];
  const fallback = seen.target ?? (seen.child.kind === 'running' ? seen.child.pid : null);
  if (fallback !== null) {
    const who = fallback === seen.target ? `pid ${fallback}` : `${config.command} (pid ${fallback})`;
    effects.push(say('stderr', `pidproxy: sending ${signal} to ${who} instead`));
    effects.push({ type: 'kill', pid: fallback, signal });
  }
  return settle(config, { ...seen, stopping }, probe.now, effects);
}

/** Why the pidfile gave no pid to signal; supervisor's exact line when it cannot be read at all. */
function complaint(config: ProxyConfig, state: ProxyState, probe: Probe): ProxyEffect {
  const read = probe.pidfile;
  if (read.kind === 'unusable') return say('stdout', `Can't read child pidfile ${config.pidfile}!`);
  if (read.stamp === state.staleStamp) {
    return say(
      'stderr',
      `pidproxy: ${config.pidfile} is unchanged since ${config.command} started; not trusting pid ${read.pid}`,
    );
  }
  if (read.pid === config.selfPid) return say('stderr', `pidproxy: ${config.pidfile} names pidproxy itself`);
  return say('stderr', `pidproxy: ${config.pidfile} names pid ${read.pid}, which is not running`);
}

/** The pid in the pidfile when it may be signalled and watched, else null. */
function usablePid(config: ProxyConfig, state: ProxyState, probe: Probe): number | null {
  const read = probe.pidfile;
  if (read.kind !== 'pid' || !probe.pidfileAlive) return null;
  if (read.stamp === state.staleStamp || read.pid === config.selfPid) return null;
  // The command's own pid once it has exited is a process we reaped, whatever kill(pid, 0) says now.
  if (state.child.kind === 'exited' && read.pid === state.child.pid) return null;
  return read.pid;
}

function observe(config: ProxyConfig, state: ProxyState, probe: Probe): ProxyState {
  let target = state.target;
  const reaped = state.child.kind === 'exited' && target === state.child.pid;
  if (target !== null && (!probe.targetAlive || reaped)) target = null;
  target = usablePid(config, state, probe) ?? target;
  return { ...state, target, adopted: state.adopted || target !== null };
}

function settle(config: ProxyConfig, state: ProxyState, now: number, effects: ProxyEffect[]): ProxyStep {
  if (state.child.kind !== 'exited' || state.target !== null) return { state, effects };
  const status = state.child.status;
  if (state.adopted || state.stopping) return finish(state, status, effects);
  const named = `${config.command} exited with status ${status} and ${config.pidfile} names no running process`;
  if (status !== 0) return finish(state, status, [...effects, say('stderr', `pidproxy: ${named}`)]);
  const graceUntil = state.graceUntil ?? now + config.graceMs;
  if (now < graceUntil) return { state: { ...state, graceUntil }, effects };
  const waited = `${named} after waiting ${config.graceMs / 1000}s`;
  return finish(state, status, [...effects, say('stderr', `pidproxy: ${waited}`)]);
}

function finish(state: ProxyState, code: number, effects: readonly ProxyEffect[]): ProxyStep {
  return { state: { ...state, done: true }, effects: [...effects, { type: 'exit', code }] };
}

function say(stream: 'stdout' | 'stderr', line: string): ProxyEffect {
  return { type: 'say', stream, line };
}
