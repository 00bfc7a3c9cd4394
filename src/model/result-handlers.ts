// Pure leaf module: the eventlistener result_handler values svd implements, by their Python names (spec §6.4).

/** supervisor's default: a listener's `OK` result processes the event, any other rejects it (sent again). */
export const DEFAULT_RESULT_HANDLER = 'supervisor.dispatchers:default_handler';
/**
 * The handler of the supervisor-stdout package, common in container images: its listener echoes each event back
 * as its result, and the handler prints the event's lines on the daemon's stdout as `NAME CHANNEL | line`.
 */
export const SUPERVISOR_STDOUT_HANDLER = 'supervisor_stdout:event_handler';

/** Every result_handler value svd accepts; any other is a configuration error. */
export const RESULT_HANDLERS = [DEFAULT_RESULT_HANDLER, SUPERVISOR_STDOUT_HANDLER] as const;
/** A result_handler value svd implements. */
export type ResultHandlerName = (typeof RESULT_HANDLERS)[number];

/** True for an exact member of RESULT_HANDLERS. */
export function isResultHandlerName(name: string): name is ResultHandlerName {
  return (RESULT_HANDLERS as readonly string[]).includes(name);
}
