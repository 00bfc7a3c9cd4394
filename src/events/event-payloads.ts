// Pure: the bodies of supervisor's events (spec §6.1), byte for byte as supervisor 4.2.5 renders them.
import type { EventTypeName } from '../model/event-types.js';
import type { ProcessStateName } from '../model/states.js';
import { pythonBytesRepr } from '../model/python-repr.js';

/** One event as pools buffer it: its type and its body, rendered once when the event is created. */
export interface EventRecord {
  readonly type: EventTypeName;
  readonly payload: string;
}

// ignoreBOM keeps a leading U+FEFF, as Python's decode does (the default would drop it from the payload).
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Child output as supervisor puts it in a payload: the UTF-8 text, or `Undecodable: b'...'` (Python repr). */
export function payloadText(data: Buffer): string {
  try {
    return strictUtf8.decode(data);
  } catch {
    return `Undecodable: ${pythonBytesRepr(data)}`;
  }
}

/** PROCESS_STATE_<to>: the concrete event type of a transition to `to`. */
export function processStateEventType(to: ProcessStateName): EventTypeName {
  return `PROCESS_STATE_${to}`;
}

/** PROCESS_LOG_STDOUT/STDERR: `processname:<p> groupname:<g> pid:<pid> channel:<c>\n<data>`. */
export function processLogEvent(
  name: string,
  group: string,
  pid: number,
  channel: 'stdout' | 'stderr',
  data: Buffer,
): EventRecord {
  return {
    type: channel === 'stdout' ? 'PROCESS_LOG_STDOUT' : 'PROCESS_LOG_STDERR',
    payload: `processname:${name} groupname:${group} pid:${pid} channel:${channel}\n${payloadText(data)}`,
  };
}

/** PROCESS_COMMUNICATION_STDOUT/STDERR: `processname:<p> groupname:<g> pid:<pid>\n<data>`. */
export function processCommunicationEvent(
  name: string,
  group: string,
  pid: number,
  channel: 'stdout' | 'stderr',
  data: Buffer,
): EventRecord {
  return {
    type: channel === 'stdout' ? 'PROCESS_COMMUNICATION_STDOUT' : 'PROCESS_COMMUNICATION_STDERR',
    payload: `processname:${name} groupname:${group} pid:${pid}\n${payloadText(data)}`,
  };
}

/** REMOTE_COMMUNICATION (supervisor.sendRemoteCommEvent): `type:<type>\n<data>`. */
export function remoteCommunicationEvent(type: string, data: string): EventRecord {
  return { type: 'REMOTE_COMMUNICATION', payload: `type:${type}\n${data}` };
}

/** PROCESS_GROUP_ADDED/REMOVED: `groupname:<g>\n` (with its trailing newline). */
export function processGroupEvent(kind: 'added' | 'removed', group: string): EventRecord {
  return {
    type: kind === 'added' ? 'PROCESS_GROUP_ADDED' : 'PROCESS_GROUP_REMOVED',
    payload: `groupname:${group}\n`,
  };
}

/** SUPERVISOR_STATE_CHANGE_RUNNING/STOPPING: an empty body. */
export function supervisorStateEvent(state: 'RUNNING' | 'STOPPING'): EventRecord {
  return { type: `SUPERVISOR_STATE_CHANGE_${state}`, payload: '' };
}

/** TICK_<period>: `when:<epoch seconds rounded down to the period>`. */
export function tickEvent(period: TickPeriod, when: number): EventRecord {
  return { type: `TICK_${period}`, payload: `when:${when}` };
}

/** The periods of supervisor's TICK events, in seconds. */
export type TickPeriod = 5 | 60 | 3600;
/** Every TickPeriod, shortest first. */
export const TICK_PERIODS: readonly TickPeriod[] = [5, 60, 3600];
