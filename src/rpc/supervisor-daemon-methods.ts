// supervisor.* methods about supervisord itself: versions, identity, state, pid, shutdown, restart and
// sendRemoteCommEvent (spec §4.5).
import { SupervisorState } from '../model/states.js';
import type { RpcMethod } from './dispatcher.js';
import { nameArg, pythonStr } from './supervisor-args.js';
import type { SupervisorHost } from './supervisor-host.js';
import type { XmlRpcValue } from './xmlrpc-value.js';

const API_VERSION = '3.0';
const SUPERVISOR_VERSION = '4.2.5';

/** sendRemoteCommEvent takes what Python would turn into text with str(). */
function textArg(value: XmlRpcValue | undefined): string {
  return typeof value === 'string' || value instanceof Uint8Array ? nameArg(value) : pythonStr(value);
}

/**
 * supervisor.getAPIVersion (and getVersion), getSupervisorVersion, getIdentification, getState, getPID,
 * shutdown, restart and sendRemoteCommEvent over `host`; versions are supervisor 4.2.5's.
 */
export function daemonMethods(host: SupervisorHost): Record<string, RpcMethod> {
  const apiVersion: RpcMethod = {
    help: `Return the version of the RPC API (supervisorctl checks it before most commands).

@return string result  The API version.`,
    call: () => API_VERSION,
  };
  return {
    getAPIVersion: apiVersion,
    getVersion: apiVersion,
    getSupervisorVersion: {
      help: `Return the version of supervisor this daemon is compatible with.

@return string result  The version.`,
      call: () => SUPERVISOR_VERSION,
    },
    getIdentification: {
      help: `Return the identifier of this daemon ([supervisord] identifier).

@return string result  The identifier.`,
      call: () => host.config.get().supervisord.identifier,
    },
    getState: {
      help: `Return the daemon's state.

@return struct result  {statecode: int, statename: string}`,
      call: () => ({ statecode: SupervisorState[host.engine.state], statename: host.engine.state }),
    },
    getPID: {
      help: `Return the daemon's process id.

@return int result  The pid.`,
      call: () => host.pid,
    },
    shutdown: {
      help: `Stop every process, then the daemon. Returns at once; the stop happens afterwards.

@return boolean result  Always true unless an error is raised.`,
      call: () => {
        host.engine.requestShutdown();
        return true;
      },
    },
    restart: {
      help: `Stop every process, read the configuration again and start over (a reload).
Returns at once; the reload happens afterwards.

@return boolean result  Always true unless an error is raised.`,
      call: () => {
        host.engine.requestRestart();
        return true;
      },
    },
    sendRemoteCommEvent: {
      help: `Emit a REMOTE_COMMUNICATION event to the event listeners that subscribe to it.
Accepted even while the daemon shuts down.

@param string type  The event's type header.
@param string data  The event's body.
@return boolean result  Always true unless an error is raised.`,
      call: ([type, data]) => {
        host.sendRemoteCommEvent?.(textArg(type), textArg(data));
        return true;
      },
    },
  };
}
