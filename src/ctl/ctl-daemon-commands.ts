// supervisorctl's commands about the daemon and the shell: version, shutdown, reload, open, help, quit,
// exit and EOF (spec §5.4).
import { RemoteFault, isClientError } from '../client/index.js';
import { FAULT_CODES } from '../model/faults.js';
import { EXIT, type CtlCommand } from './ctl-controller.js';
import { pyStrip } from './ctl-words.js';
import { HELP_INDEX, HELP_TEXTS } from './ctl-help.js';
import { answerOrEof } from './ctl-terminal.js';
import { help } from './ctl-process-commands.js';
import { processCommands } from './ctl-process-commands.js';

function noArguments(name: string): CtlCommand {
  return async (ctl, arg) => {
    ctl.output(`Error: ${name} accepts no arguments`);
    ctl.exitStatus = EXIT.GENERIC;
    help(ctl, name);
    await Promise.resolve();
  };
}

const version: CtlCommand = async (ctl, arg) => {
  if (arg !== '') return noArguments('version')(ctl, arg);
  if (!(await ctl.upcheck())) return;
  ctl.output(String(await ctl.call('getSupervisorVersion')));
};

/** In the shell, shutdown and reload ask first; only an answer starting with y goes ahead. */
async function confirmed(
  ctl: Parameters<CtlCommand>[0],
  question: string,
  which: 'shutdown-question' | 'reload-question',
): Promise<boolean> {
  if (!ctl.interactive) return true;
  // End of input is an EOFError line, as supervisorctl's raw_input gives; Ctrl-C answers no.
  const answer = answerOrEof(ctl.terminal, await ctl.terminal.question(question), which);
  return (answer ?? '').toLowerCase().startsWith('y');
}

const shutdown: CtlCommand = async (ctl, arg) => {
  if (arg !== '') return noArguments('shutdown')(ctl, arg);
  if (!(await confirmed(ctl, 'Really shut the remote supervisord process down y/N? ', 'shutdown-question')))
    return;
  try {
    await ctl.call('shutdown');
  } catch (error) {
    if (error instanceof RemoteFault && error.faultCode === FAULT_CODES.SHUTDOWN_STATE) {
      ctl.output('ERROR: already shutting down');
      return;
    }
    ctl.exitStatus = EXIT.GENERIC;
    if (isClientError(error) && error.kind === 'refused') {
      ctl.output(`ERROR: ${ctl.serverUrl} refused connection (already shut down?)`);
      return;
    }
    if (isClientError(error) && error.kind === 'no-such-file') {
      ctl.output(`ERROR: ${ctl.serverUrl} no such file (already shut down?)`);
      return;
    }
    throw error;
  }
  ctl.output('Shut down');
};

const reload: CtlCommand = async (ctl, arg) => {
  if (arg !== '') return noArguments('reload')(ctl, arg);
  if (!(await confirmed(ctl, 'Really restart the remote supervisord process y/N? ', 'reload-question')))
    return;
  try {
    await ctl.call('restart');
  } catch (error) {
    ctl.exitStatus = EXIT.GENERIC;
    if (error instanceof RemoteFault && error.faultCode === FAULT_CODES.SHUTDOWN_STATE) {
      ctl.output('ERROR: already shutting down');
      return;
    }
    throw error;
  }
  ctl.output('Restarted supervisord');
};

const open: CtlCommand = async (ctl, arg) => {
  const url = pyStrip(arg);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
  if (scheme !== 'unix' && scheme !== 'http') {
    ctl.output('ERROR: url must be http:// or unix://');
    ctl.exitStatus = EXIT.GENERIC;
    return;
  }
  ctl.setServerUrl(url);
  const before = ctl.exitStatus;
  await (processCommands.status as CtlCommand)(ctl, '');
  ctl.exitStatus = before;
};

const helpCommand: CtlCommand = async (ctl, arg) => {
  const topic = pyStrip(arg);
  if (topic === '') ctl.output(HELP_INDEX);
  else if (Object.hasOwn(HELP_TEXTS, topic)) ctl.output(HELP_TEXTS[topic] as string);
  else ctl.output(`*** No help on ${topic}`);
  await Promise.resolve();
};

/** EOF, quit and exit: an empty line, then the shell ends. */
const leave: CtlCommand = async (ctl) => {
  ctl.output('');
  return Promise.resolve('exit' as const);
};

/** supervisorctl's version, shutdown, reload, open and help, and quit/exit/EOF, which end the shell. */
export const daemonCommands: Readonly<Record<string, CtlCommand>> = {
  version,
  shutdown,
  reload,
  open,
  help: helpCommand,
  quit: leave,
  exit: leave,
  EOF: leave,
};
