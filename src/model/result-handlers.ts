// Pure leaf module: the eventlistener result_handler values svd implements, by their Python names (spec §6.4).

export const DEFAULT_RESULT_HANDLER = 'supervisor.dispatchers:default_handler';
/**
 * The handler of the supervisor-stdout package, common in container images: its listener echoes each event back
 * as its result, and the handler prints the event's lines on the daemon's stdout as `NAME CHANNEL | line`.
 */
export const SUPERVISOR_STDOUT_HANDLER = 'supervisor_stdout:event_handler';

export const RESULT_HANDLERS = [DEFAULT_RESULT_HANDLER, SUPERVISOR_STDOUT_HANDLER] as const;
export type ResultHandlerName = (typeof RESULT_HANDLERS)[number];

export function isResultHandlerName(name: string): name is ResultHandlerName {
  return (RESULT_HANDLERS as readonly string[]).includes(name);
}
