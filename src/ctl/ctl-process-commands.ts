// supervisorctl's process commands: status, start, stop, restart, signal, pid, clear (spec §5.3, §5.4).
import { RemoteFault, isClientError } from '../client/index.js';
import { FAULT_CODES } from '../model/faults.js';
import { STOPPED_STATES, stateName } from '../model/states.js';
import { Controller, EXIT, type CtlCommand } from './ctl-controller.js';
import { words } from './ctl-words.js';
import {
  clearResult,
  makeNamespec,
  signalResult,
  splitNamespec,
  startResult,
  statusLines,
  stopResult,
  type ResultView,
} from './ctl-format.js';
import { HELP_TEXTS } from './ctl-help.js';
import {
  faultResult,
  processInfoOf,
  processInfosOf,
  processInfosOfApi,
  resultsOf,
  type ProcessInfoStruct,
} from './ctl-values.js';

/** Removes `--json` from the words; svd's machine-readable view of status, avail and pid. */
export function takeJson(list: string[]): { names: string[]; json: boolean } {
  const names = list.filter((w) => w !== '--json');
  return { names, json: names.length !== list.length };
}

/** Prints a command's help text (an empty line for an unknown topic), as a usage error is followed by it. */
export function help(ctl: Controller, topic: string): void {
  ctl.output(HELP_TEXTS[topic] ?? '');
}

function json(ctl: Controller, value: unknown): void {
  ctl.output(JSON.stringify(value, null, 2));
}

/**
 * Every process, as getAllProcessInfo gives them. svd answers one JSON GET, which spares the version check's
 * round trip and the XML (a third of status's CPU time at 1,000 processes); supervisord has no JSON API, and
 * anything but that answer falls back to supervisorctl's own calls, so every error line stays supervisorctl's.
 */
async function allProcessInfos(ctl: Controller): Promise<ProcessInfoStruct[] | null> {
  try {
    const fromSvd = processInfosOfApi(await ctl.client.getJson('/api/processes'));
    if (fromSvd !== null) return fromSvd;
  } catch (error) {
    if (!isClientError(error)) throw error;
  }
  if (!(await ctl.upcheck())) return null;
  return processInfosOf(await ctl.call('getAllProcessInfo'));
}

const status: CtlCommand = async (ctl, arg) => {
  const all = await allProcessInfos(ctl);
  if (all === null) {
    ctl.exitStatus = EXIT.STATUS_UNKNOWN;
    return;
  }
  const { names, json: asJson } = takeJson(words(arg));
  let matching: ProcessInfoStruct[] = all;
  const problem = (line: string) => (asJson ? ctl.terminal.stderr.write(`${line}\n`) : ctl.output(line));
  if (names.length > 0 && !names.includes('all')) {
    matching = [];
    for (const name of names) {
      const [group, process] = splitNamespec(name);
      const found = all.filter((i) => i.group === group && (process === null || i.name === process));
      matching.push(...found);
      if (found.length === 0) {
        problem(process === null ? `${group}: ERROR (no such group)` : `${name}: ERROR (no such process)`);
        ctl.exitStatus = EXIT.STATUS_UNKNOWN;
      }
    }
  }
  if (asJson)
    json(
      ctl,
      matching.map((i) => ({ namespec: makeNamespec(i.group, i.name), ...i })),
    );
  // One write for the whole table: 1,000 lines are one system call, not 1,000.
  else if (matching.length > 0) ctl.output(statusLines(matching).join('\n'));
  if (matching.some((i) => STOPPED_STATES.has(stateName(i.state)))) ctl.exitStatus = EXIT.STATUS_NOT_RUNNING;
};

/** One name's single-process call; a fault becomes the result supervisorctl prints. */
async function perName(
  ctl: Controller,
  method: string,
  name: string,
  extra: (string | boolean)[],
): Promise<ResultView | null> {
  const [group, process] = splitNamespec(name);
  try {
    await ctl.call(method, name, ...extra);
    return null;
  } catch (error) {
    if (!(error instanceof RemoteFault)) throw error;
    return faultResult(error.faultCode, error.faultString, group, process);
  }
}

/** A group call (`g:*`); BAD_NAME → `<g>: ERROR (no such group)` with `badGroupExit`. */
async function perGroup(
  ctl: Controller,
  method: string,
  group: string,
  extra: string[],
  badGroupExit: number,
): Promise<ResultView[] | null> {
  try {
    return resultsOf(await ctl.call(method, group, ...extra));
  } catch (error) {
    if (error instanceof RemoteFault && error.faultCode === FAULT_CODES.BAD_NAME) {
      ctl.output(`${group}: ERROR (no such group)`);
      ctl.exitStatus = badGroupExit;
      return null;
    }
    ctl.exitStatus = EXIT.GENERIC;
    throw error;
  }
}

interface Action {
  readonly verb: string;
  readonly all: string;
  readonly group: string;
  readonly one: string;
  readonly render: (r: ResultView) => string;
  /** A result code that does not count as a failure (already started / not running). */
  readonly ignored?: number;
  readonly noNameExit: number;
  readonly badGroupExit: number;
}

const START: Action = {
  verb: 'start',
  all: 'startAllProcesses',
  group: 'startProcessGroup',
  one: 'startProcess',
  render: startResult,
  ignored: FAULT_CODES.ALREADY_STARTED,
  noNameExit: EXIT.INVALID_ARGS,
  badGroupExit: EXIT.INVALID_ARGS,
};
const STOP: Action = {
  verb: 'stop',
  all: 'stopAllProcesses',
  group: 'stopProcessGroup',
  one: 'stopProcess',
  render: stopResult,
  ignored: FAULT_CODES.NOT_RUNNING,
  noNameExit: EXIT.GENERIC,
  badGroupExit: EXIT.GENERIC,
};

async function startOrStop(ctl: Controller, arg: string, a: Action): Promise<void> {
  if (!(await ctl.upcheck())) return;
  const names = words(arg);
  if (names.length === 0) {
    ctl.output(`Error: ${a.verb} requires a process name`);
    ctl.exitStatus = a.noNameExit;
    help(ctl, a.verb);
    return;
  }
  const report = (r: ResultView) => {
    ctl.output(a.render(r));
    ctl.setExitFromFault(r.status, a.ignored);
  };
  if (names.includes('all')) {
    for (const r of resultsOf(await ctl.call(a.all))) report(r);
    return;
  }
  for (const name of names) {
    const [group, process] = splitNamespec(name);
    if (process === null) {
      for (const r of (await perGroup(ctl, a.group, group, [], a.badGroupExit)) ?? []) report(r);
      continue;
    }
    const failed = await perName(ctl, a.one, name, []);
    if (failed) report(failed);
    else ctl.output(`${makeNamespec(group, process)}: ${a.verb === 'start' ? 'started' : 'stopped'}`);
  }
}

const restart: CtlCommand = async (ctl, arg) => {
  if (!(await ctl.upcheck())) return;
  if (words(arg).length === 0) {
    ctl.output('Error: restart requires a process name');
    ctl.exitStatus = EXIT.GENERIC;
    help(ctl, 'restart');
    return;
  }
  await startOrStop(ctl, arg, STOP);
  await startOrStop(ctl, arg, START);
};

const signal: CtlCommand = async (ctl, arg) => {
  if (!(await ctl.upcheck())) return;
  const args = words(arg);
  if (args.length < 2) {
    ctl.output('Error: signal requires a signal name and a process name');
    help(ctl, 'signal');
    ctl.exitStatus = EXIT.GENERIC;
    return;
  }
  const [sig, ...names] = args as [string, ...string[]];
  const report = (r: ResultView) => {
    ctl.output(signalResult(r));
    ctl.setExitFromFault(r.status);
  };
  if (names.includes('all')) {
    for (const r of resultsOf(await ctl.call('signalAllProcesses', sig))) report(r);
    return;
  }
  for (const name of names) {
    const [group, process] = splitNamespec(name);
    if (process === null) {
      for (const r of (await perGroup(ctl, 'signalProcessGroup', group, [sig], EXIT.GENERIC)) ?? [])
        report(r);
      continue;
    }
    const failed = await perName(ctl, 'signalProcess', name, [sig]);
    if (failed) report(failed);
    else ctl.output(`${makeNamespec(group, process)}: signalled`);
  }
};

const pid: CtlCommand = async (ctl, arg) => {
  if (!(await ctl.upcheck())) return;
  const { names, json: asJson } = takeJson(words(arg));
  if (names.length === 0) {
    const daemonPid = await ctl.call('getPID');
    if (asJson) json(ctl, { pid: daemonPid });
    else ctl.output(String(daemonPid));
    return;
  }
  const rows: { namespec: string; name: string; group: string; pid: number }[] = [];
  const row = (i: ProcessInfoStruct) => {
    rows.push({ namespec: makeNamespec(i.group, i.name), name: i.name, group: i.group, pid: i.pid });
    if (!asJson) ctl.output(String(i.pid));
  };
  if (names.includes('all')) {
    for (const info of processInfosOf(await ctl.call('getAllProcessInfo'))) row(info);
  } else {
    for (const name of names) {
      let info: ProcessInfoStruct;
      try {
        info = processInfoOf(await ctl.call('getProcessInfo', name));
      } catch (error) {
        ctl.exitStatus = EXIT.GENERIC;
        if (!(error instanceof RemoteFault) || error.faultCode !== FAULT_CODES.BAD_NAME) throw error;
        const line = `No such process ${name}`;
        if (asJson) ctl.terminal.stderr.write(`${line}\n`);
        else ctl.output(line);
        continue;
      }
      row(info);
      if (info.pid === 0) ctl.exitStatus = EXIT.NOT_RUNNING;
    }
  }
  if (asJson) json(ctl, rows);
};

const clear: CtlCommand = async (ctl, arg) => {
  if (!(await ctl.upcheck())) return;
  const names = words(arg);
  if (names.length === 0) {
    ctl.output('Error: clear requires a process name');
    ctl.exitStatus = EXIT.GENERIC;
    help(ctl, 'clear');
    return;
  }
  const report = (r: ResultView) => {
    ctl.output(clearResult(r));
    ctl.setExitFromFault(r.status);
  };
  if (names.includes('all')) {
    for (const r of resultsOf(await ctl.call('clearAllProcessLogs'))) report(r);
    return;
  }
  for (const name of names) {
    const [group, process] = splitNamespec(name);
    const failed = await perName(ctl, 'clearProcessLogs', name, []);
    if (failed) report(failed);
    else ctl.output(`${makeNamespec(group, process)}: cleared`);
  }
};

/** supervisorctl's status, start, stop, restart, signal, pid and clear. */
export const processCommands: Readonly<Record<string, CtlCommand>> = {
  status,
  start: (ctl, arg) => startOrStop(ctl, arg, START),
  stop: (ctl, arg) => startOrStop(ctl, arg, STOP),
  restart,
  signal,
  pid,
  clear,
};
