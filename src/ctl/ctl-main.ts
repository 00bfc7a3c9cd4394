// `svd ctl` / `supervisorctl`: options, settings, then one command (its exit status) or the shell (exit 0).
import { basename, dirname } from 'node:path';
import { CTL_USAGE, parseCtlArgv } from './ctl-argv.js';
import { Controller, type CtlCommand } from './ctl-controller.js';
import { ReadlineTerminal } from './ctl-readline-terminal.js';
import { resolveCtlSettings } from './ctl-settings.js';

type CommandTable = Readonly<Record<string, CtlCommand>>;

/** A command whose module loads when it first runs: a one-shot `status` loads only what status needs. */
function lazy(names: readonly string[], load: () => Promise<CommandTable>): Record<string, CtlCommand> {
  return Object.fromEntries(
    names.map((name) => [
      name,
      async (ctl: Controller, arg: string) => {
        const table = await load();
        return (table[name] as CtlCommand)(ctl, arg);
      },
    ]),
  );
}

const CTL_COMMANDS: CommandTable = {
  ...lazy(['status', 'start', 'stop', 'restart', 'signal', 'pid', 'clear'], async () => {
    return (await import('./ctl-process-commands.js')).processCommands;
  }),
  ...lazy(['tail', 'maintail', 'fg'], async () => (await import('./ctl-log-commands.js')).logCommands),
  ...lazy(['avail', 'reread', 'add', 'remove', 'update'], async () => {
    return (await import('./ctl-config-commands.js')).configCommands;
  }),
  ...lazy(['version', 'shutdown', 'reload', 'open', 'help', 'quit', 'exit', 'EOF'], async () => {
    return (await import('./ctl-daemon-commands.js')).daemonCommands;
  }),
};

/** Where runCtl writes what no terminal carries (usage errors). */
export interface CtlIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** What runCtl would take from the process, replaceable in tests. */
export interface CtlEnvironment {
  readonly stdin?: (NodeJS.ReadableStream & { isTTY?: boolean }) | undefined;
  readonly stdout?: (NodeJS.WritableStream & { isTTY?: boolean; columns?: number }) | undefined;
  readonly cwd?: string | undefined;
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** How usage errors name the program (`For help, use <program> -h`). */
  readonly program?: string | undefined;
}

/** `supervisorctl` when run through that bin, else `svd ctl`. */
function programName(): string {
  const script = process.argv[1] ?? '';
  return basename(script).startsWith('supervisorctl') ? script : 'svd ctl';
}

/** Runs supervisorctl's command line `argv`; resolves to the exit status. */
export async function runCtl(
  argv: readonly string[],
  io: CtlIo,
  where: CtlEnvironment = {},
): Promise<number> {
  const program = where.program ?? programName();
  const usage = (message: string): number => {
    io.stderr.write(`Error: ${message}\nFor help, use ${program} -h\n`);
    return 2;
  };
  const parsed = parseCtlArgv(argv);
  if (!parsed.ok) return usage(parsed.message);
  const args = parsed.args;
  if (args.help) {
    io.stdout.write(CTL_USAGE.replaceAll('%s', program));
    return 0;
  }
  const resolved = await resolveCtlSettings(args, {
    cwd: where.cwd ?? process.cwd(),
    binDir: dirname(process.argv[1] ?? '.'),
    env: where.env ?? process.env,
  });
  if (!resolved.ok && resolved.uncaught) {
    // supervisorctl prints a traceback there and exits 1; svd says what is wrong and keeps the status.
    io.stderr.write(`Error: ${resolved.message}\n`);
    return 1;
  }
  if (!resolved.ok) return usage(resolved.message);
  const settings = resolved.settings;
  const shell = args.action.length === 0;

  const shellModule = shell ? await import('./ctl-shell.js') : null;
  let ctl: Controller | null = null;
  const terminal = new ReadlineTerminal({
    input: where.stdin ?? process.stdin,
    output: where.stdout ?? (io.stdout as NodeJS.WritableStream),
    stderr: io.stderr,
    completer: shellModule ? (line) => shellModule.shellCompleter(ctl as Controller)(line) : undefined,
    history: shellModule?.readHistory(settings.historyFile),
    // Ctrl-C during a command nobody interrupts: supervisorctl dies of KeyboardInterrupt; its shell prints
    // an empty line and ends with status 0.
    onUnhandledInterrupt: () => {
      if (shell) io.stdout.write('\n');
      process.exit(shell ? 0 : 130);
    },
  });
  ctl = new Controller({
    serverUrl: settings.serverUrl,
    username: settings.username,
    password: settings.password,
    interactive: shell || args.interactive,
    terminal,
    commands: CTL_COMMANDS,
  });
  try {
    if (!shellModule) {
      await ctl.onecmd(args.action.join(' '));
      return ctl.exitStatus;
    }
    await shellModule.runShell(ctl, terminal, settings.prompt);
    shellModule.writeHistory(settings.historyFile, terminal.history());
    return 0;
  } finally {
    ctl.close();
    terminal.close();
  }
}
