// The engine's outgoing events: every state change, group change, daemon state change and output chunk.
import type { GroupSpec } from '../model/config.js';
import type { ProcessStateName } from '../model/states.js';

/** A PROCESS_STATE_<to> event (spec §6.1); `pid`, `tries`, `expected` as the payload of that type needs them. */
export interface ProcessStateEvent {
  readonly type: 'process-state';
  readonly name: string;
  readonly group: string;
  readonly from: ProcessStateName;
  readonly to: ProcessStateName;
  readonly pid: number;
  readonly tries: number;
  readonly expected: boolean;
}

/** One chunk read from a child (PROCESS_LOG_STDOUT/STDERR, capture mode, live tails). */
export interface ProcessOutputEvent {
  readonly type: 'process-output';
  readonly name: string;
  readonly group: string;
  readonly pid: number;
  readonly channel: 'stdout' | 'stderr';
  readonly data: Buffer;
}

/** PROCESS_GROUP_ADDED / _REMOVED. */
export interface GroupEvent {
  readonly type: 'group-added' | 'group-removed';
  readonly group: string;
  /** The added group's spec (set on `group-added`): event listener pools and fcgi sockets are made from it. */
  readonly spec?: GroupSpec | undefined;
}

/** SUPERVISOR_STATE_CHANGE_RUNNING / _STOPPING. */
export interface SupervisorStateEvent {
  readonly type: 'supervisor-state';
  readonly state: 'RUNNING' | 'STOPPING';
}

/** A shutdown or restart was asked for (RPC or signal); the daemon carries it out. */
export interface RequestEvent {
  readonly type: 'request';
  readonly request: 'shutdown' | 'restart';
}

/** Everything the engine tells its subscribers, synchronously, in the order it happened. */
export type EngineEvent =
  ProcessStateEvent | ProcessOutputEvent | GroupEvent | SupervisorStateEvent | RequestEvent;

/** A subscriber; an exception it throws is logged and does not reach the engine or other listeners. */
export type EngineListener = (event: EngineEvent) => void;

/** The text of a PROCESS_STATE_* event body (spec §6.1), without a trailing newline. */
export function processStatePayload(e: ProcessStateEvent): string {
  const head = `processname:${e.name} groupname:${e.group} from_state:${e.from}`;
  switch (e.to) {
    case 'STOPPED':
    case 'STOPPING':
    case 'RUNNING':
      return `${head} pid:${e.pid}`;
    case 'EXITED':
      return `${head} expected:${e.expected ? 1 : 0} pid:${e.pid}`;
    case 'STARTING':
    case 'BACKOFF':
      return `${head} tries:${e.tries}`;
    case 'FATAL':
    case 'UNKNOWN':
      return head;
  }
}
