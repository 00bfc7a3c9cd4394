// supervisorctl's config commands: avail, reread, add, remove and update, with supervisorctl's client-side
// update algorithm (spec §5.5). No up-check, as supervisorctl. `runUpdate` is the piece the reconciler's
// minimal update can replace.
import { RemoteFault } from '../client/index.js';
import { FAULT_CODES } from '../engine/errors.js';
import { Controller, EXIT, words, type CtlCommand } from './ctl-controller.js';
import { availLine, changeLines, makeNamespec } from './ctl-format.js';
import { help, takeJson } from './ctl-process-commands.js';
import { changesOf, configInfosOf, processInfosOf, resultsOf } from './ctl-values.js';

function isFault(error: unknown, code: number): error is RemoteFault {
  return error instanceof RemoteFault && error.faultCode === code;
}

const avail: CtlCommand = async (ctl, arg) => {
  const { names, json } = takeJson(words(arg));
  if (names.length > 0) {
    ctl.output('Error: avail accepts no arguments');
    ctl.exitStatus = EXIT.GENERIC;
    help(ctl, 'avail');
    return;
  }
  let infos;
  try {
    infos = configInfosOf(await ctl.call('getAllConfigInfo'));
  } catch (error) {
    if (!isFault(error, FAULT_CODES.SHUTDOWN_STATE)) throw error;
    ctl.output('ERROR: supervisor shutting down');
    ctl.exitStatus = EXIT.GENERIC;
    return;
  }
  if (json)
    ctl.output(
      JSON.stringify(
        infos.map((i) => ({ namespec: makeNamespec(i.group, i.name), ...i })),
        null,
        2,
      ),
    );
  else if (infos.length > 0) ctl.output(infos.map(availLine).join('\n'));
};

const reread: CtlCommand = async (ctl, arg) => {
  if (arg !== '') {
    ctl.output('Error: reread accepts no arguments');
    ctl.exitStatus = EXIT.GENERIC;
    help(ctl, 'reread');
    return;
  }
  let changes;
  try {
    changes = changesOf(await ctl.call('reloadConfig'));
  } catch (error) {
    ctl.exitStatus = EXIT.GENERIC;
    if (isFault(error, FAULT_CODES.SHUTDOWN_STATE)) ctl.output('ERROR: supervisor shutting down');
    else if (isFault(error, FAULT_CODES.CANT_REREAD)) ctl.output(`ERROR: ${error.faultString}`);
    else throw error;
    return;
  }
  for (const line of changeLines(changes.added, changes.changed, changes.removed)) ctl.output(line);
};

const add: CtlCommand = async (ctl, arg) => {
  for (const name of words(arg)) {
    try {
      await ctl.call('addProcessGroup', name);
    } catch (error) {
      if (isFault(error, FAULT_CODES.SHUTDOWN_STATE)) {
        ctl.output('ERROR: shutting down');
        ctl.exitStatus = EXIT.GENERIC;
      } else if (isFault(error, FAULT_CODES.ALREADY_ADDED)) {
        ctl.output('ERROR: process group already active');
      } else if (isFault(error, FAULT_CODES.BAD_NAME)) {
        ctl.output(`ERROR: no such process/group: ${name}`);
        ctl.exitStatus = EXIT.GENERIC;
      } else {
        ctl.exitStatus = EXIT.GENERIC;
        throw error;
      }
      continue;
    }
    ctl.output(`${name}: added process group`);
  }
};

const remove: CtlCommand = async (ctl, arg) => {
  for (const name of words(arg)) {
    try {
      await ctl.call('removeProcessGroup', name);
    } catch (error) {
      if (isFault(error, FAULT_CODES.STILL_RUNNING))
        ctl.output(`ERROR: process/group still running: ${name}`);
      else if (isFault(error, FAULT_CODES.BAD_NAME)) ctl.output(`ERROR: no such process/group: ${name}`);
      ctl.exitStatus = EXIT.GENERIC;
      if (!isFault(error, FAULT_CODES.STILL_RUNNING) && !isFault(error, FAULT_CODES.BAD_NAME)) throw error;
      continue;
    }
    ctl.output(`${name}: removed process group`);
  }
};

/**
 * supervisorctl's update after a reloadConfig: stop and remove the removed groups, stop, remove and add the
 * changed ones (every process restarts), add the added ones. `filter` empty means every group.
 */
export async function runUpdate(
  ctl: Controller,
  changes: { added: readonly string[]; changed: readonly string[]; removed: readonly string[] },
  filter: ReadonlySet<string>,
): Promise<void> {
  const log = (name: string, message: string) => ctl.output(`${name}: ${message}`);
  const wanted = (g: string) => filter.size === 0 || filter.has(g);
  if (filter.size > 0) {
    const groups = new Set(processInfosOf(await ctl.call('getAllProcessInfo')).map((i) => i.group));
    for (const g of changes.added) groups.add(g);
    for (const g of filter) {
      if (groups.has(g)) continue;
      ctl.output(`ERROR: no such group: ${g}`);
      ctl.exitStatus = EXIT.GENERIC;
    }
  }
  for (const g of changes.removed.filter(wanted)) {
    const results = resultsOf(await ctl.call('stopProcessGroup', g));
    log(g, 'stopped');
    if (results.some((r) => r.status === FAULT_CODES.FAILED)) {
      ctl.output(`${g}: has problems; not removing`);
      ctl.exitStatus = EXIT.GENERIC;
      continue;
    }
    await ctl.call('removeProcessGroup', g);
    log(g, 'removed process group');
  }
  for (const g of changes.changed.filter(wanted)) {
    await ctl.call('stopProcessGroup', g);
    log(g, 'stopped');
    await ctl.call('removeProcessGroup', g);
    await ctl.call('addProcessGroup', g);
    log(g, 'updated process group');
  }
  for (const g of changes.added.filter(wanted)) {
    await ctl.call('addProcessGroup', g);
    log(g, 'added process group');
  }
}

const update: CtlCommand = async (ctl, arg) => {
  let changes;
  try {
    changes = changesOf(await ctl.call('reloadConfig'));
  } catch (error) {
    if (!isFault(error, FAULT_CODES.SHUTDOWN_STATE)) throw error;
    ctl.output('ERROR: already shutting down');
    ctl.exitStatus = EXIT.GENERIC;
    return;
  }
  const names = words(arg);
  await runUpdate(ctl, changes, new Set(names.includes('all') ? [] : names));
};

export const configCommands: Readonly<Record<string, CtlCommand>> = { avail, reread, add, remove, update };
