// `svd ctl` / `supervisorctl`: options, settings, then one command (its exit status) or the shell (exit 0).
import { basename, dirname } from 'node:path';
import { CTL_USAGE, parseCtlArgv } from './ctl-argv.js';
import { configCommands } from './ctl-config-commands.js';
import { Controller, type CtlCommand } from './ctl-controller.js';
import { daemonCommands } from './ctl-daemon-commands.js';
import { logCommands } from './ctl-log-commands.js';
import { processCommands } from './ctl-process-commands.js';
import { ReadlineTerminal } from './ctl-readline-terminal.js';
import { resolveCtlSettings } from './ctl-settings.js';
import { readHistory, runShell, shellCompleter, writeHistory } from './ctl-shell.js';

export const CTL_COMMANDS: Readonly<Record<string, CtlCommand>> = {
  ...processCommands,
  ...logCommands,
  ...configCommands,
  ...daemonCommands,
};

export interface CtlIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

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
  if (!resolved.ok) return usage(resolved.message);
  const settings = resolved.settings;
  const shell = args.action.length === 0;

  let ctl: Controller | null = null;
  const terminal = new ReadlineTerminal({
    input: where.stdin ?? process.stdin,
    output: where.stdout ?? (io.stdout as NodeJS.WritableStream),
    stderr: io.stderr,
    completer: shell ? (line) => shellCompleter(ctl as Controller)(line) : undefined,
    history: shell ? readHistory(settings.historyFile) : undefined,
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
    if (!shell) {
      await ctl.onecmd(args.action.join(' '));
      return ctl.exitStatus;
    }
    await runShell(ctl, terminal, settings.prompt);
    writeHistory(settings.historyFile, terminal.history());
    return 0;
  } finally {
    ctl.close();
    terminal.close();
  }
}
