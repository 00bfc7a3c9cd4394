// Pure leaf module: supervisor's state names and codes (spec §3.1, §3.10, §6.3). Imports nothing.

/** Process states with supervisor's numeric codes. */
export const ProcessState = {
  STOPPED: 0,
  STARTING: 10,
  RUNNING: 20,
  BACKOFF: 30,
  STOPPING: 40,
  EXITED: 100,
  FATAL: 200,
  UNKNOWN: 1000,
} as const;

/** A process state by supervisor's name (`RUNNING`). */
export type ProcessStateName = keyof typeof ProcessState;

const namesByCode = new Map<number, ProcessStateName>(
  Object.entries(ProcessState).map(([name, code]) => [code, name as ProcessStateName]),
);

/** The name of a process state code; UNKNOWN for a code supervisor does not define. */
export function stateName(code: number): ProcessStateName {
  return namesByCode.get(code) ?? 'UNKNOWN';
}

/** startProcess refuses these (ALREADY_STARTED); stopProcess accepts them. */
export const RUNNING_STATES: ReadonlySet<ProcessStateName> = new Set(['RUNNING', 'BACKOFF', 'STARTING']);
/** Group removal is allowed when every process is in one of these; `status` exits 3 on them. */
export const STOPPED_STATES: ReadonlySet<ProcessStateName> = new Set([
  'STOPPED',
  'EXITED',
  'FATAL',
  'UNKNOWN',
]);
/** signalProcess accepts these. */
export const SIGNALLABLE_STATES: ReadonlySet<ProcessStateName> = new Set(['RUNNING', 'STARTING', 'STOPPING']);

/** The daemon's own state ("mood"). */
export const SupervisorState = {
  FATAL: 2,
  RUNNING: 1,
  RESTARTING: 0,
  SHUTDOWN: -1,
} as const;
/** The daemon's state as getState names it. */
export type SupervisorStateName = keyof typeof SupervisorState;

/** Event listener protocol states. */
const ListenerState = {
  READY: 10,
  BUSY: 20,
  ACKNOWLEDGED: 30,
  UNKNOWN: 40,
} as const;
/** An event listener's protocol state, as the listener pool tracks it. */
export type ListenerStateName = keyof typeof ListenerState;
