// supervisorctl's log commands: tail, maintail (with -f streaming /logtail and /mainlogtail) and fg (spec §5.4).
import { HttpStatusError, RemoteFault, type HttpStream } from '../client/index.js';
import { FAULT_CODES } from '../model/faults.js';
import { pythonRepr } from '../model/python-repr.js';
import { ProcessState } from '../model/states.js';
import { Controller, EXIT, type CtlCommand } from './ctl-controller.js';
import { words } from './ctl-words.js';
import { help } from './ctl-process-commands.js';
import { processInfoOf } from './ctl-values.js';

const DEFAULT_BYTES = 1600;

/**
 * Python's int() of a `-N` modifier's digits (any script's decimal digits, `_` between them); null when it is
 * not an integer. The text is one word, so it has no whitespace to strip.
 */
function pyInt(text: string): number | null {
  if (!/^[+-]?\p{Nd}+(_\p{Nd}+)*$/u.test(text)) return null;
  return Number(text.replace(/_/g, '').replace(/\p{Nd}/gu, (d) => String(digitValue(d))));
}

/** A decimal digit's value: Unicode encodes each script's digits as one run of 0 to 9, runs of ten side by side. */
function digitValue(digit: string): number {
  const code = digit.codePointAt(0) as number;
  let zero = code;
  while (/\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero -= 1;
  return (code - zero) % 10;
}

/**
 * Copies a stream to stdout until it ends or is closed; UTF-8 split across chunks stays whole, and a byte order
 * mark at the start is the log's own text (supervisorctl keeps it).
 */
async function pump(ctl: Controller, stream: HttpStream): Promise<void> {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  try {
    for await (const chunk of stream) ctl.terminal.stdout.write(decoder.decode(chunk, { stream: true }));
  } catch {
    // The connection broke: like supervisorctl's asyncore loop, the follow just ends.
  }
}

/** Opens a log stream; an HTTP error is reported on stderr as supervisorctl's http client does. */
async function open(ctl: Controller, path: string): Promise<HttpStream | null> {
  try {
    return await ctl.client.stream(path);
  } catch (error) {
    if (!(error instanceof HttpStatusError)) throw error;
    ctl.terminal.stderr.write(`${ctl.serverUrl}${path} Cannot read, status code ${error.status}\n`);
    return null;
  }
}

/** tail -f / maintail -f: follow until Ctrl-C, which prints an empty line. */
async function follow(ctl: Controller, path: string): Promise<void> {
  ctl.output('==> Press Ctrl-C to exit <==');
  const stream = await open(ctl, path);
  if (!stream) return;
  let interrupted = false;
  const release = ctl.terminal.onInterrupt(() => {
    interrupted = true;
    stream.close();
  });
  try {
    await pump(ctl, stream);
  } finally {
    release();
  }
  if (interrupted) ctl.output('');
}

const tail: CtlCommand = async (ctl, arg) => {
  if (!(await ctl.upcheck())) return;
  const args = words(arg);
  if (args.length < 1 || args.length > 3) {
    ctl.output(args.length < 1 ? 'Error: too few arguments' : 'Error: too many arguments');
    ctl.exitStatus = EXIT.GENERIC;
    help(ctl, 'tail');
    return;
  }
  const modifier = (args[0] as string).startsWith('-') ? (args.shift() as string) : null;
  let name: string;
  let channel = 'stdout';
  if (args.length === 1) name = args[0] as string;
  else if (args.length > 1) {
    name = args[0] as string;
    channel = (args[args.length - 1] as string).toLowerCase();
    if (channel !== 'stdout' && channel !== 'stderr') {
      ctl.output(`Error: bad channel ${pythonRepr(channel)}`);
      ctl.exitStatus = EXIT.GENERIC;
      return;
    }
  } else {
    ctl.output('Error: tail requires process name');
    ctl.exitStatus = EXIT.GENERIC;
    return;
  }
  let bytes: number | null = DEFAULT_BYTES;
  if (modifier !== null) {
    const what = modifier.slice(1);
    bytes = what === 'f' ? null : pyInt(what);
    if (what !== 'f' && bytes === null) {
      ctl.output(`Error: bad argument ${modifier}`);
      ctl.exitStatus = EXIT.GENERIC;
      return;
    }
  }
  if (bytes === null) return follow(ctl, `/logtail/${name}/${channel}`);
  const method = channel === 'stdout' ? 'readProcessStdoutLog' : 'readProcessStderrLog';
  try {
    ctl.output(String(await ctl.call(method, name, -bytes, 0)));
  } catch (error) {
    if (!(error instanceof RemoteFault)) throw error;
    ctl.exitStatus = EXIT.GENERIC;
    const why: Readonly<Record<number, string>> = {
      [FAULT_CODES.NO_FILE]: 'no log file',
      [FAULT_CODES.FAILED]: 'unknown error reading log',
      [FAULT_CODES.BAD_NAME]: 'no such process name',
    };
    const reason = why[error.faultCode];
    if (reason === undefined) throw error;
    ctl.output(`${name}: ERROR (${reason})`);
  }
};

const maintail: CtlCommand = async (ctl, arg) => {
  if (!(await ctl.upcheck())) return;
  const args = words(arg);
  let bytes = DEFAULT_BYTES;
  if (args.length > 1) {
    ctl.output('Error: too many arguments');
    ctl.exitStatus = EXIT.GENERIC;
    help(ctl, 'maintail');
    return;
  }
  if (args.length === 1) {
    const first = args[0] as string;
    if (first === '-f') return follow(ctl, '/mainlogtail');
    const n = first.startsWith('-') ? pyInt(first.slice(1)) : null;
    if (n === null) {
      ctl.output(`Error: bad argument ${first}`);
      ctl.exitStatus = EXIT.GENERIC;
      return;
    }
    bytes = n;
  }
  try {
    ctl.output(String(await ctl.call('readLog', -bytes, 0)));
  } catch (error) {
    if (!(error instanceof RemoteFault)) throw error;
    if (error.faultCode === FAULT_CODES.NO_FILE) ctl.output('supervisord: ERROR (no log file)');
    else if (error.faultCode === FAULT_CODES.FAILED)
      ctl.output('supervisord: ERROR (unknown error reading log)');
    else throw error;
    ctl.exitStatus = EXIT.GENERIC;
  }
};

/** fg: stream both logs of a RUNNING process and send every typed line to its stdin. */
const fg: CtlCommand = async (ctl, arg) => {
  if (!(await ctl.upcheck())) return;
  const names = words(arg);
  if (names.length === 0) {
    ctl.output('ERROR: no process name supplied');
    ctl.exitStatus = EXIT.GENERIC;
    help(ctl, 'fg');
    return;
  }
  if (names.length > 1) {
    ctl.output('ERROR: too many process names supplied');
    ctl.exitStatus = EXIT.GENERIC;
    return;
  }
  const name = names[0] as string;
  let state: number;
  try {
    state = processInfoOf(await ctl.call('getProcessInfo', name)).state;
  } catch (error) {
    if (!(error instanceof RemoteFault)) throw error;
    if (error.faultCode === FAULT_CODES.BAD_NAME) {
      ctl.output('ERROR: bad process name supplied');
      ctl.exitStatus = EXIT.GENERIC;
    } else ctl.output(`ERROR: ${error.message}`);
    return;
  }
  if (state !== ProcessState.RUNNING) {
    ctl.output('ERROR: process not running');
    ctl.exitStatus = EXIT.GENERIC;
    return;
  }
  ctl.output('==> Press Ctrl-C to exit <==');
  const streams = (
    await Promise.all([open(ctl, `/logtail/${name}/stdout`), open(ctl, `/logtail/${name}/stderr`)])
  ).filter((s): s is HttpStream => s !== null);
  const pumping = streams.map((s) => pump(ctl, s));
  try {
    for (;;) {
      const line = await ctl.terminal.question('');
      if (line === null) {
        ctl.output('Exiting foreground');
        return;
      }
      try {
        await ctl.call('sendProcessStdin', name, `${line}\n`);
      } catch (error) {
        if (!(error instanceof RemoteFault)) throw error;
        ctl.output(
          error.faultCode === FAULT_CODES.NOT_RUNNING ? 'Process got killed' : `ERROR: ${error.message}`,
        );
        ctl.output('Exiting foreground');
        return;
      }
      if (processInfoOf(await ctl.call('getProcessInfo', name)).state !== ProcessState.RUNNING) {
        ctl.output('Process got killed');
        ctl.output('Exiting foreground');
        return;
      }
    }
  } finally {
    for (const s of streams) s.close();
    await Promise.all(pumping);
  }
};

/** supervisorctl's tail, maintail and fg. */
export const logCommands: Readonly<Record<string, CtlCommand>> = { tail, maintail, fg };
