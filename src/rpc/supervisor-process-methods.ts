// supervisor.* methods over processes: info, start, stop, signal, stdin (spec §4.5, §4.6). The engine has the
// semantics; this layer converts arguments and results. Calls with wait keep their request open (a promise).
import type { ProcessResult } from '../engine/engine.js';
import type { RpcMethod } from './dispatcher.js';
import { IncorrectParametersError } from './faults.js';
import { boolArg, groupNameArg, nameArg, pythonStr } from './supervisor-args.js';
import { parseSignal } from '../model/signals.js';
import { excerptOf } from '../model/excerpt.js';
import type { SupervisorHost } from './supervisor-host.js';
import type { XmlRpcValue } from './xmlrpc-value.js';

function results(list: readonly ProcessResult[]): XmlRpcValue[] {
  return list.map((r) => ({ name: r.name, group: r.group, status: r.status, description: r.description }));
}

function single(outcome: true | readonly ProcessResult[]): XmlRpcValue {
  return outcome === true ? true : results(outcome);
}

/**
 * A signal as text. supervisor tries int() first: a double is truncated (18.7 is 18), a boolean is 0 or 1; a
 * number that is no signal is BAD_SIGNAL with the value as str() writes it.
 */
function signalArg(value: XmlRpcValue | undefined): string {
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'number' || typeof value === 'boolean') {
    const n = Math.trunc(Number(value));
    return Number.isFinite(n) && parseSignal(String(n)).ok ? String(n) : pythonStr(value);
  }
  return nameArg(value, 'signal');
}

const WAIT = '@param boolean wait  Wait until the operation is complete (default true).';
const RESULTS = '@return array result  One {name, group, status, description} struct per process.';

/**
 * supervisor.getProcessInfo, getAllProcessInfo, start/stop/signal of a process, a group or all, and
 * sendProcessStdin over `host.engine`; a call with wait answers once the operation completed.
 */
export function processMethods(host: SupervisorHost): Record<string, RpcMethod> {
  const engine = host.engine;
  return {
    getProcessInfo: {
      help: `Get information about one process.

@param string name  The process name (or group:name).
@return struct result  {name, group, start, stop, now, state, statename, spawnerr, exitstatus,
logfile, stdout_logfile, stderr_logfile, pid, description}`,
      call: ([name]) => ({ ...engine.getProcessInfo(nameArg(name)) }),
    },
    getAllProcessInfo: {
      help: `Get information about every process, sorted by group name then process name.

@return array result  One struct per process, as getProcessInfo returns.`,
      call: () => engine.getAllProcessInfo().map((info) => ({ ...info })),
    },
    startProcess: {
      help: `Start a process. A group spec (group:*) starts the whole group.

@param string name  The process name (or group:name, or group:*).
${WAIT}
@return boolean result  Always true unless an error is raised.`,
      minArgs: 1,
      call: async ([name, wait]) => single(await engine.startProcess(nameArg(name), boolArg(wait, true))),
    },
    startProcessGroup: {
      help: `Start every process of a group that is not running.

@param string name  The group name.
${WAIT}
${RESULTS}`,
      minArgs: 1,
      call: async ([name, wait]) =>
        results(await engine.startProcessGroup(groupNameArg(name), boolArg(wait, true))),
    },
    startAllProcesses: {
      help: `Start every process that is not running, in priority order.

${WAIT}
${RESULTS}`,
      minArgs: 0,
      call: async ([wait]) => results(await engine.startAllProcesses(boolArg(wait, true))),
    },
    stopProcess: {
      help: `Stop a process. A group spec (group:*) stops the whole group.

@param string name  The process name (or group:name, or group:*).
${WAIT}
@return boolean result  Always true unless an error is raised.`,
      minArgs: 1,
      call: async ([name, wait]) => single(await engine.stopProcess(nameArg(name), boolArg(wait, true))),
    },
    stopProcessGroup: {
      help: `Stop every running process of a group.

@param string name  The group name.
${WAIT}
${RESULTS}`,
      minArgs: 1,
      call: async ([name, wait]) =>
        results(await engine.stopProcessGroup(groupNameArg(name), boolArg(wait, true))),
    },
    stopAllProcesses: {
      help: `Stop every running process.

${WAIT}
${RESULTS}`,
      minArgs: 0,
      call: async ([wait]) => results(await engine.stopAllProcesses(boolArg(wait, true))),
    },
    signalProcess: {
      help: `Send a signal to a process. A group spec (group:*) signals the whole group.

@param string name  The process name (or group:name, or group:*).
@param string signal  A signal name (HUP, SIGHUP) or number.
@return boolean result  Always true unless an error is raised.`,
      call: async ([name, signal]) => single(await engine.signalProcess(nameArg(name), signalArg(signal))),
    },
    signalProcessGroup: {
      help: `Send a signal to every process of a group that can take one.

@param string name  The group name.
@param string signal  A signal name or number.
${RESULTS}`,
      call: async ([name, signal]) =>
        results(await engine.signalProcessGroup(groupNameArg(name), signalArg(signal))),
    },
    signalAllProcesses: {
      help: `Send a signal to every process that can take one.

@param string signal  A signal name or number.
${RESULTS}`,
      call: async ([signal]) => results(await engine.signalAllProcesses(signalArg(signal))),
    },
    sendProcessStdin: {
      help: `Write characters to a process's stdin.

@param string name  The process name (or group:name).
@param string chars  What to write (UTF-8 encoded).
@return boolean result  Always true unless an error is raised.`,
      call: ([name, chars]) => {
        if (typeof chars === 'string') return engine.sendProcessStdin(nameArg(name), chars);
        if (chars instanceof Uint8Array) return engine.sendProcessStdin(nameArg(name), Buffer.from(chars));
        // supervisor's fault string (`INCORRECT_PARAMETERS: 5`), with the value cut short.
        throw new IncorrectParametersError(excerptOf(pythonStr(chars)));
      },
    },
  };
}
