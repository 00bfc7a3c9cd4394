// The supervisor.* namespace (spec §4.5): 37 methods over the engine, with supervisor's SHUTDOWN_STATE rule.
import { ShutdownStateError } from '../engine/errors.js';
import type { RpcMethod, RpcNamespace } from './dispatcher.js';
import { configMethods } from './supervisor-config-methods.js';
import { daemonMethods } from './supervisor-daemon-methods.js';
import type { SupervisorHost } from './supervisor-host.js';
import { logMethods } from './supervisor-log-methods.js';
import { processMethods } from './supervisor-process-methods.js';

export type { SupervisorHost, MainLogAccess } from './supervisor-host.js';

/** Methods that answer while the daemon shuts down or restarts; every other one faults SHUTDOWN_STATE. */
const ALWAYS_ANSWERED: ReadonlySet<string> = new Set(['sendRemoteCommEvent']);

function guarded(host: SupervisorHost, method: RpcMethod): RpcMethod {
  return {
    ...method,
    call: (args, context) => {
      if (host.engine.state !== 'RUNNING') throw new ShutdownStateError('');
      return method.call(args, context);
    },
  };
}

/** Builds the namespace to register as `supervisor` on a Dispatcher. */
export function createSupervisorNamespace(host: SupervisorHost): RpcNamespace {
  const all: Record<string, RpcMethod> = {
    ...daemonMethods(host),
    ...processMethods(host),
    ...logMethods(host),
    ...configMethods(host),
  };
  return Object.fromEntries(
    Object.entries(all).map(([name, m]) => [name, ALWAYS_ANSWERED.has(name) ? m : guarded(host, m)]),
  );
}
