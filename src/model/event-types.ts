// Pure leaf module: supervisor's event types and their supertypes (spec §6.1).

/** Each event type with its parent; abstract types have subtypes and are never emitted themselves. */
const eventTypeParents = {
  EVENT: null,
  PROCESS_STATE: 'EVENT',
  PROCESS_STATE_STOPPED: 'PROCESS_STATE',
  PROCESS_STATE_EXITED: 'PROCESS_STATE',
  PROCESS_STATE_STARTING: 'PROCESS_STATE',
  PROCESS_STATE_STOPPING: 'PROCESS_STATE',
  PROCESS_STATE_BACKOFF: 'PROCESS_STATE',
  PROCESS_STATE_FATAL: 'PROCESS_STATE',
  PROCESS_STATE_RUNNING: 'PROCESS_STATE',
  PROCESS_STATE_UNKNOWN: 'PROCESS_STATE',
  PROCESS_COMMUNICATION: 'EVENT',
  PROCESS_COMMUNICATION_STDOUT: 'PROCESS_COMMUNICATION',
  PROCESS_COMMUNICATION_STDERR: 'PROCESS_COMMUNICATION',
  PROCESS_LOG: 'EVENT',
  PROCESS_LOG_STDOUT: 'PROCESS_LOG',
  PROCESS_LOG_STDERR: 'PROCESS_LOG',
  REMOTE_COMMUNICATION: 'EVENT',
  SUPERVISOR_STATE_CHANGE: 'EVENT',
  SUPERVISOR_STATE_CHANGE_RUNNING: 'SUPERVISOR_STATE_CHANGE',
  SUPERVISOR_STATE_CHANGE_STOPPING: 'SUPERVISOR_STATE_CHANGE',
  TICK: 'EVENT',
  TICK_5: 'TICK',
  TICK_60: 'TICK',
  TICK_3600: 'TICK',
  PROCESS_GROUP: 'EVENT',
  PROCESS_GROUP_ADDED: 'PROCESS_GROUP',
  PROCESS_GROUP_REMOVED: 'PROCESS_GROUP',
} as const;

/** Every event type supervisor defines, abstract ones (EVENT, PROCESS_STATE, TICK, ...) included. */
export type EventTypeName = keyof typeof eventTypeParents;

/** True for an exact, case-sensitive event type name. */
export function isEventType(name: string): name is EventTypeName {
  return Object.prototype.hasOwnProperty.call(eventTypeParents, name);
}

/** True when a subscription to `subscribed` receives events of type `emitted` (subtypes included). */
export function eventMatches(subscribed: EventTypeName, emitted: EventTypeName): boolean {
  let t: EventTypeName | null = emitted;
  while (t !== null) {
    if (t === subscribed) return true;
    t = eventTypeParents[t];
  }
  return false;
}
