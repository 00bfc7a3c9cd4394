// supervisorctl's config commands: avail, reread, add, remove and update. `update` asks svd's daemon for the
// minimal update (svd.apply); against a real supervisord it runs supervisorctl's client-side algorithm
// (spec §5.5). No up-check, as supervisorctl.
import { formatDiagnostic, type Diagnostic } from '../model/diagnostics.js';
import { RemoteFault, type XmlRpcValue } from '../client/index.js';
import { FAULT_CODES } from '../model/faults.js';
import { Controller, EXIT, type CtlCommand } from './ctl-controller.js';
import { words } from './ctl-words.js';
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
async function runUpdate(
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

/** A group of svd.apply's plan, as far as update reads it. */
interface PlannedGroup {
  readonly name: string;
  readonly action: string;
  readonly rebuild: boolean;
  readonly processes: readonly { readonly action: string }[];
}

interface SvdApplyAnswer {
  readonly ok: boolean;
  readonly diagnostics?: readonly Diagnostic[];
  readonly plan?: { readonly groups: readonly PlannedGroup[] };
  /** Group names in supervisorctl's reporting order; absent from older daemons. */
  readonly group_order?: readonly string[];
  readonly report?: {
    readonly results: readonly {
      readonly target: string;
      readonly outcome: { readonly status: string; readonly message?: string };
    }[];
  };
}

/** The plan's groups (by name) in the order supervisorctl reports them; names the order lacks keep theirs, last. */
function inSupervisorOrder<G extends { readonly name: string }>(
  groups: readonly G[],
  order: readonly string[],
): G[] {
  const rank = new Map(order.map((name, i) => [name, i]));
  const at = (g: G) => rank.get(g.name) ?? order.length;
  return [...groups].sort((a, b) => at(a) - at(b));
}

/**
 * The group names `update NAME` accepts without `ERROR: no such group`: as supervisorctl checks them, the groups
 * that have processes now (getAllProcessInfo) and the added ones. An active `[group:x]` with no processes is
 * not among them, though its update goes ahead if it changed.
 */
function namesUpdateAccepts(groups: readonly PlannedGroup[]): Set<string> {
  return new Set(
    groups
      .filter((g) => g.action === 'add' || g.processes.some((p) => p.action !== 'add'))
      .map((g) => g.name),
  );
}

/**
 * svd's update: the daemon plans and applies the minimal change (svd.apply), restarting only what must
 * restart; the lines are supervisorctl's, so scripts that read them keep working. False when the daemon has
 * no svd.* namespace (a real supervisord), so the caller falls back to supervisorctl's algorithm.
 */
async function minimalUpdate(ctl: Controller, filter: readonly string[]): Promise<boolean> {
  let answer: SvdApplyAnswer;
  try {
    const options: XmlRpcValue = filter.length > 0 ? { onlyGroups: [...filter] } : {};
    answer = JSON.parse(String(await ctl.client.call('svd.apply', [{}, options]))) as SvdApplyAnswer;
  } catch (error) {
    if (isFault(error, FAULT_CODES.UNKNOWN_METHOD)) return false;
    if (!isFault(error, FAULT_CODES.SHUTDOWN_STATE)) throw error;
    ctl.output('ERROR: already shutting down');
    ctl.exitStatus = EXIT.GENERIC;
    return true;
  }
  if (!answer.ok) {
    const first = answer.diagnostics?.find((d) => d.severity === 'error');
    ctl.output(
      `ERROR: CANT_REREAD: ${first ? formatDiagnostic(first) : 'the configuration could not be read'}`,
    );
    ctl.exitStatus = EXIT.GENERIC;
    return true;
  }
  const groups = inSupervisorOrder(answer.plan?.groups ?? [], answer.group_order ?? []);
  const known = namesUpdateAccepts(groups);
  for (const g of filter) {
    if (known.has(g)) continue;
    ctl.output(`ERROR: no such group: ${g}`);
    ctl.exitStatus = EXIT.GENERIC;
  }
  const order = ['remove', 'change', 'add'];
  for (const action of order) {
    for (const g of groups.filter((x) => x.action === action)) {
      if (action === 'remove') {
        ctl.output(`${g.name}: stopped`);
        ctl.output(`${g.name}: removed process group`);
      }
      if (action === 'change') {
        // supervisorctl says "stopped" before "updated"; svd says it only when something in the group stopped.
        const stopped = g.rebuild || g.processes.some((p) => p.action === 'restart' || p.action === 'remove');
        if (stopped) ctl.output(`${g.name}: stopped`);
        ctl.output(`${g.name}: updated process group`);
      }
      if (action === 'add') ctl.output(`${g.name}: added process group`);
    }
  }
  for (const r of answer.report?.results ?? []) {
    if (r.outcome.status !== 'failed') continue;
    ctl.output(`${r.target}: ERROR (${r.outcome.message ?? 'failed'})`);
    ctl.exitStatus = EXIT.GENERIC;
  }
  return true;
}

const update: CtlCommand = async (ctl, arg) => {
  const names = words(arg);
  const filter = names.includes('all') ? [] : names;
  if (await minimalUpdate(ctl, filter)) return;
  let changes;
  try {
    changes = changesOf(await ctl.call('reloadConfig'));
  } catch (error) {
    if (!isFault(error, FAULT_CODES.SHUTDOWN_STATE)) throw error;
    ctl.output('ERROR: already shutting down');
    ctl.exitStatus = EXIT.GENERIC;
    return;
  }
  await runUpdate(ctl, changes, new Set(filter));
};

/** supervisorctl's avail, reread, add, remove and update. */
export const configCommands: Readonly<Record<string, CtlCommand>> = { avail, reread, add, remove, update };
