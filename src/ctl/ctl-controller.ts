// The supervisorctl controller: one command line at a time (Python cmd's parsing), the up-check, exit
// statuses (spec §5.1, §5.2) and the generic error line for anything a command does not handle.
import {
  RemoteFault,
  createClient,
  isClientError,
  type XmlRpcClient,
  type XmlRpcValue,
} from '../client/index.js';
import { FAULT_CODES } from '../model/faults.js';
import { ctlErrorLine } from './ctl-error-line.js';
import { pyStrip } from './ctl-words.js';
import { answerOrEof, type CtlTerminal } from './ctl-terminal.js';

/** supervisorctl's LSB exit statuses. */
export const EXIT = {
  SUCCESS: 0,
  GENERIC: 1,
  INVALID_ARGS: 2,
  UNIMPLEMENTED_FEATURE: 3,
  INSUFFICIENT_PRIVILEGES: 4,
  NOT_INSTALLED: 5,
  NOT_RUNNING: 7,
  /** `status`: a shown process is stopped. */
  STATUS_NOT_RUNNING: 3,
  /** `status`: unknown name, or the up-check failed. */
  STATUS_UNKNOWN: 4,
} as const;

const DEAD_PROGRAM_FAULTS: ReadonlySet<number> = new Set([
  FAULT_CODES.SPAWN_ERROR,
  FAULT_CODES.ABNORMAL_TERMINATION,
  FAULT_CODES.NOT_RUNNING,
]);

/**
 * What Python's xmlrpc client raises for an integer argument outside 32 bits (`tail -99999999999 x`): supervisorctl
 * prints it as its generic error line, `error: <class 'OverflowError'>, int exceeds XML-RPC limits`, exit 1.
 */
class XmlRpcIntOverflow extends Error {
  override readonly name = 'OverflowError';
  readonly pythonOrigin = 'xmlrpc-int-range';
  constructor() {
    super('int exceeds XML-RPC limits');
  }
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function outsideXmlRpcInt(value: XmlRpcValue): boolean {
  if (typeof value === 'bigint') return value < INT32_MIN || value > INT32_MAX;
  if (typeof value !== 'number') return false;
  // Digits beyond a double's range parse as Infinity: still an int to Python, and out of range.
  if (Number.isFinite(value) && !Number.isInteger(value)) return false;
  return value < INT32_MIN || value > INT32_MAX;
}

/** A command: `arg` is the rest of the line after the command word, trimmed. 'exit' leaves the shell. */
export type CtlCommand = (ctl: Controller, arg: string) => Promise<void | 'exit'>;

/** The server and credentials to start with, the terminal, and the command table. */
export interface ControllerOptions {
  readonly serverUrl: string;
  readonly username: string | null;
  readonly password: string | null;
  readonly interactive: boolean;
  readonly terminal: CtlTerminal;
  readonly commands: Readonly<Record<string, CtlCommand>>;
}

/**
 * supervisorctl's controller: runs one command line at a time (onecmd), keeps the exit status the commands
 * set, asks for credentials after a 401 in the shell, and prints any error a command does not handle as
 * supervisorctl's generic `error: <class ...>, ...` line (exit status 1).
 */
export class Controller {
  exitStatus: number = EXIT.SUCCESS;
  readonly interactive: boolean;
  readonly terminal: CtlTerminal;
  readonly #commands: Readonly<Record<string, CtlCommand>>;
  #serverUrl: string;
  #username: string | null;
  #password: string | null;
  #client: XmlRpcClient | null = null;
  /** Process infos for completion, fetched at most once per command line. */
  completionCache: XmlRpcValue | null = null;

  constructor(options: ControllerOptions) {
    this.#serverUrl = options.serverUrl;
    this.#username = options.username;
    this.#password = options.password;
    this.interactive = options.interactive;
    this.terminal = options.terminal;
    this.#commands = options.commands;
  }

  get serverUrl(): string {
    return this.#serverUrl;
  }

  get credentials(): { username: string | null; password: string | null } {
    return { username: this.#username, password: this.#password };
  }

  /** `open`: talk to another server from now on. */
  setServerUrl(url: string): void {
    this.#serverUrl = url;
    this.close();
  }

  setCredentials(username: string, password: string): void {
    this.#username = username;
    this.#password = password;
    this.#client?.setCredentials(username, password);
  }

  get client(): XmlRpcClient {
    this.#client ??= createClient({
      serverUrl: this.#serverUrl,
      username: this.#username,
      password: this.#password,
    });
    return this.#client;
  }

  /** supervisor.* call. */
  call(method: string, ...params: XmlRpcValue[]): Promise<XmlRpcValue> {
    if (params.some(outsideXmlRpcInt)) return Promise.reject(new XmlRpcIntOverflow());
    return this.client.call(`supervisor.${method}`, params);
  }

  output(line: string): void {
    this.terminal.stdout.write(`${line}\n`);
  }

  /** supervisorctl's set_exitstatus_from_xmlrpc_fault. */
  setExitFromFault(code: number, ignored?: number): void {
    if (code === ignored || code === FAULT_CODES.SUCCESS) return;
    this.exitStatus = DEAD_PROGRAM_FAULTS.has(code) ? EXIT.NOT_RUNNING : EXIT.GENERIC;
  }

  /** Checks that a supervisor 3.0 API answers; prints why not and sets the exit status otherwise. */
  async upcheck(): Promise<boolean> {
    try {
      const api = await this.call('getVersion');
      if (api !== '3.0') {
        this.output(
          `Sorry, this version of supervisorctl expects to talk to a server with API version 3.0, but the remote version is ${typeof api === 'string' ? api : JSON.stringify(api)}.`,
        );
        this.exitStatus = EXIT.NOT_INSTALLED;
        return false;
      }
      return true;
    } catch (error) {
      if (!isClientError(error)) throw error;
      if (error instanceof RemoteFault && error.faultCode === FAULT_CODES.UNKNOWN_METHOD) {
        this.output(
          'Sorry, supervisord responded but did not recognize the supervisor namespace commands that supervisorctl uses to control it.  Please check that the [rpcinterface:supervisor] section is enabled in the configuration file (see sample.conf).',
        );
        this.exitStatus = EXIT.UNIMPLEMENTED_FEATURE;
        return false;
      }
      if (error.kind === 'refused') {
        this.output(`${this.#serverUrl} refused connection`);
        this.exitStatus = EXIT.INSUFFICIENT_PRIVILEGES;
        return false;
      }
      if (error.kind === 'no-such-file') {
        this.output(`${this.#serverUrl} no such file`);
        this.exitStatus = EXIT.NOT_RUNNING;
        return false;
      }
      throw error;
    }
  }

  /** Runs one line as Python's cmd.Cmd would; resolves 'exit' when the shell should end. */
  async onecmd(input: string): Promise<void | 'exit'> {
    let line = pyStrip(input);
    if (line === '') return;
    if (line.startsWith('?')) line = `help ${line.slice(1)}`;
    const name = /^[A-Za-z0-9_]*/.exec(line)?.[0] ?? '';
    const arg = pyStrip(line.slice(name.length));
    this.completionCache = null;
    const command = name === '' ? undefined : this.#commands[name];
    if (!command || !Object.hasOwn(this.#commands, name)) {
      this.output(`*** Unknown syntax: ${line}`);
      this.exitStatus = EXIT.GENERIC;
      return;
    }
    try {
      try {
        return await command(this, arg);
      } catch (error) {
        if (!isClientError(error) || error.kind !== 'unauthorized') throw error;
        this.output('Server requires authentication');
        if (this.interactive) {
          // End of input at either question: Python's EOFError, printed as any error is (no new attempt).
          const t = this.terminal;
          const username = answerOrEof(t, await t.question('Username:'), 'username-question') ?? '';
          const password =
            answerOrEof(t, await t.question('Password:', { secret: true }), 'password-question') ?? '';
          this.output('');
          this.setCredentials(username, password);
          return await this.onecmd(line);
        }
        this.exitStatus = EXIT.GENERIC;
      }
      // As supervisorctl: after a 401 in one-shot mode the command runs once more, and fails the same way.
      return await command(this, arg);
    } catch (error) {
      this.output(ctlErrorLine(error));
      this.exitStatus = EXIT.GENERIC;
    }
  }

  /** Drops the kept-alive connection. */
  close(): void {
    this.#client?.close();
    this.#client = null;
  }
}
