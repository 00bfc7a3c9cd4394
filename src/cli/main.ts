// The svd command line: commander wiring for svd's own commands; supervisord, supervisorctl and
// pidproxy keep their own argument syntax and get their arguments untouched.
// commander loads only for svd's own commands: `svd ctl status` and the daemon start without it.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { suggest } from '../config/did-you-mean.js';
import { leadingCtlOptionWords } from '../ctl/ctl-argv.js';
import { keepYoungGenerationSmall } from '../daemon/heap-tuning.js';
import { pauseOptimizer } from '../daemon/optimizer-pause.js';
import type { ValidateFlags } from './commands/validate.js';
import { endQuietlyWhenOutputFails, ExitError, processIo, type CliIo } from './io.js';

/** supervisorctl's commands, also accepted at the top level (`svd status`, `svd restart web`). */
const ctlCommands = new Set([
  'add',
  'avail',
  'clear',
  'exit',
  'fg',
  'maintail',
  'open',
  'pid',
  'quit',
  'reload',
  'remove',
  'reread',
  'restart',
  'shutdown',
  'signal',
  'start',
  'status',
  'stop',
  'tail',
  'update',
  'version',
]);

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** supervisorctl's options, which may come before a top-level ctl command (`svd -s URL status`). */
const ctlValuedOptions = /^(-[csuprf]|--(configuration|serverurl|username|password|history[-_]file|file))$/;

/** A supervisorctl option with its value in the same word: `-cFILE`, `--serverurl=URL`. */
const ctlJoinedOption = /^(-[csuprf].|--(configuration|serverurl|username|password|history[-_]file|file)=)/;

/** Commands with a -f of their own (follow), which therefore stays theirs after the command. */
const followCommands = new Set(['tail', 'maintail']);

/** svd's own commands, which supervisorctl's options before them do not make supervisorctl's. */
const ownCommands = new Set([
  'validate',
  'config',
  'echo-conf',
  'diff',
  'apply',
  'daemon',
  'ctl',
  'pidproxy',
]);

/** Where the supervisorctl command of `argv` is, after supervisorctl's options; -1 when there is none. */
function ctlCommandIndex(argv: readonly string[]): number {
  const at = leadingCtlOptionWords(argv);
  return ctlCommands.has(argv[at] as string) ? at : -1;
}

/**
 * Whether `argv` is a supervisorctl command line: one of its commands after its options, or anything at all
 * after one of its options (`svd -c FILE help`, `svd -s URL` for the shell, `svd -c FILE bogus`), which is
 * supervisorctl's to answer, as `supervisorctl` given the same words would: svd's own commands know no -s.
 */
function isCtlCommandLine(argv: readonly string[]): boolean {
  const at = leadingCtlOptionWords(argv);
  if (ctlCommands.has(argv[at] as string)) return true;
  return at > 0 && !ownCommands.has(argv[at] as string);
}

/**
 * A top-level ctl command line with supervisorctl's connection options (and svd's -f) moved before the
 * command: `svd status -c FILE` and `svd stop web -c FILE` as `svd -c FILE status ...`, the way
 * `svd diff -c FILE` is written. They move from anywhere after the command up to a `--` (dropped); tail's and
 * maintail's -f stays their follow flag where supervisorctl reads one, as the first word. Left in place, an option would be read as a process name and the
 * command would go to the default server, which may be another daemon. supervisorctl itself (`svd ctl`, the
 * supervisorctl alias) reads them as process names there, as supervisorctl does, so this applies to the
 * top-level form alone.
 */
export function hoistCtlOptions(argv: readonly string[]): readonly string[] {
  const at = ctlCommandIndex(argv);
  if (at < 0) return argv;
  const ownFollow = followCommands.has(argv[at] as string);
  const moved: string[] = [];
  const kept: string[] = [];
  let i = at + 1;
  for (; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') break;
    // supervisorctl reads a modifier only as the command's first word (`tail -f web`), so a -f after the
    // name (`tail web -f conf.d`) is svd's -f PATH.
    if (ownFollow && kept.length === 0 && /^(-f|--f)/.test(arg)) kept.push(arg);
    else if (ctlValuedOptions.test(arg) && argv[i + 1] !== undefined) moved.push(arg, argv[++i] as string);
    else if (ctlJoinedOption.test(arg)) moved.push(arg);
    else kept.push(arg);
  }
  if (moved.length === 0 && i === argv.length) return argv;
  // The `--` itself goes: what follows it are names, even one that looks like an option.
  return [...argv.slice(0, at), ...moved, argv[at] as string, ...kept, ...argv.slice(i + 1)];
}

/**
 * The commander program of the commands commander parses (validate, config, echo-conf, diff, apply), with
 * exitOverride: its errors are thrown, never process.exit. daemon, ctl and pidproxy are dispatched before it.
 */
export async function buildProgram(io: CliIo): Promise<Command> {
  const { Command } = await import('commander');
  const program = new Command('svd')
    .description('A supervisor-compatible process manager, built as a declarative reconciler.')
    .version('0.1.0', '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError(false);
  program.addHelpText(
    'after',
    '\nAlso: svd daemon [supervisord options], svd ctl [supervisorctl options] [command],\n' +
      'svd pidproxy PIDFILE COMMAND [ARGS], and every supervisorctl command at the top level\n' +
      '(svd status, svd start NAME, svd restart all, ...).\n',
  );

  const withSource = (cmd: Command) =>
    cmd
      .option('-c, --configuration <file>', "supervisord's main config file, with its includes")
      .option(
        '-f, --file <path>',
        'a config file or folder (*.conf *.ini *.yaml *.yml); repeatable',
        collect,
      );

  withSource(program.command('validate').description('check a configuration; exit 0 when valid, 1 when not'))
    .option('--strict', 'treat unknown options and sections as errors')
    .option('--json', 'print the diagnostics as JSON')
    .action(async (flags) => {
      const { runValidate } = await import('./commands/validate.js');
      runValidate(flags, io);
    });

  withSource(program.command('config').description('print the effective configuration'))
    .option('--format <format>', 'yaml, json or ini', 'yaml')
    .option('--strict', 'treat unknown options and sections as errors')
    .action(async (flags) => {
      const { runConfig } = await import('./commands/config.js');
      runConfig(flags, io);
    });

  program
    .command('echo-conf')
    .description('print a commented sample configuration (like echo_supervisord_conf)')
    .option('--format <format>', 'ini or yaml', 'ini')
    .action(async (flags) => {
      const { runEchoConf } = await import('./commands/echo-conf.js');
      runEchoConf(flags, io);
    });

  const withServer = (cmd: Command) =>
    withSource(cmd)
      .option(
        '-s, --serverurl <url>',
        'the daemon: unix:///path or http://host:port (default: from the configuration)',
      )
      .option('-u, --username <user>', 'Basic-auth user')
      .option('-p, --password <password>', 'Basic-auth password')
      .option('--restart-group [groups...]', "restart every process of a changed group (supervisor's update)")
      .option('--json', 'print JSON');

  withServer(
    program
      .command('diff')
      .description('show what apply would do, without doing it (exit 0: nothing, 2: changes)'),
  )
    .option('--offline', 'plan against an empty running set instead of asking the daemon')
    .action(async (flags) => {
      const { runDiff } = await import('./commands/diff.js');
      await runDiff(flags, io);
    });

  withServer(
    program.command('apply').description('drive the running daemon to the configuration, minimally'),
  ).action(async (flags) => {
    const { runApply } = await import('./commands/apply.js');
    await runApply(flags, io);
  });

  return program;
}

/**
 * `svd validate`'s flags when its command line is plain (only -c, -f, --strict and --json, well formed), else
 * null and commander reads it, with its help and its error messages. Loading commander is ~25 ms of a
 * validate that editors and CI run on every save and push. The options are those of the commander definition
 * in buildProgram; a test keeps the two in step.
 */
export function plainValidateFlags(argv: readonly string[]): ValidateFlags | null {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        configuration: { type: 'string', short: 'c' },
        file: { type: 'string', short: 'f', multiple: true },
        strict: { type: 'boolean' },
        json: { type: 'boolean' },
      },
    });
    if (positionals.length > 0) return null;
    // A value that looks like an option is commander's to settle.
    if ([values.configuration, ...(values.file ?? [])].some((v) => v?.startsWith('-'))) return null;
    // parseArgs lists only the options given, as commander's opts() does.
    return { ...values };
  } catch {
    return null;
  }
}

/**
 * `svd -c FILE validate` as `svd validate -c FILE`: options written before one of svd's own commands, as they
 * are before a supervisorctl command, go after it, where commander reads (or refuses) them.
 */
function ownCommandFirst(argv: readonly string[]): readonly string[] {
  const at = leadingCtlOptionWords(argv);
  if (at === 0 || !ownCommands.has(argv[at] as string)) return argv;
  return [argv[at] as string, ...argv.slice(0, at), ...argv.slice(at + 1)];
}

/** The supervisorctl command `word` is a typo of, when it is nearer to one of those than to svd's own. */
function nearestCtlCommand(word: string): string | undefined {
  if (ownCommands.has(word) || ctlCommands.has(word) || word === 'help') return undefined;
  const near = suggest(word, [...ownCommands, ...ctlCommands, 'help']);
  return near !== undefined && ctlCommands.has(near) ? near : undefined;
}

/** Runs svd with `argv` (without node and the script); resolves to the exit status. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    const [first, ...rest] = argv;
    // `svd help daemon` (or ctl, pidproxy, a supervisorctl command): the help that command gives itself, which
    // commander, knowing none of them, would replace with the list of its own.
    if (first === 'help' && rest.length === 1) {
      const topic = rest[0] as string;
      if (topic === 'daemon' || topic === 'ctl' || topic === 'pidproxy')
        return await main([topic, '--help'], io);
      if (ctlCommands.has(topic)) return await main(['ctl', 'help', topic], io);
    }
    if (first === 'daemon') {
      const { runDaemonCommand } = await import('./commands/daemon.js');
      return await runDaemonCommand(rest, io);
    }
    if (first === 'ctl' || isCtlCommandLine(argv)) {
      const { runCtl } = await import('../ctl/ctl-main.js');
      return await runCtl(first === 'ctl' ? rest : hoistCtlOptions(argv), io);
    }
    if (first === 'validate') {
      const flags = plainValidateFlags(rest);
      if (flags !== null) {
        const { runValidate } = await import('./commands/validate.js');
        runValidate(flags, io);
        return 0;
      }
    }
    if (first === 'pidproxy') {
      const { runPidproxy } = await import('../pidproxy/run-pidproxy.js');
      return await runPidproxy(rest);
    }
    const near = first !== undefined && !first.startsWith('-') ? nearestCtlCommand(first) : undefined;
    if (near) {
      // commander suggests among its own commands only; a misspelt `status` is the likelier typo.
      io.stderr.write(`error: unknown command '${first}'\n(Did you mean ${near}?)\n`);
      return 1;
    }
    await (await buildProgram(io)).parseAsync([...ownCommandFirst(argv)], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof ExitError) return error.exitCode;
    if (isCommanderError(error)) return error.exitCode === 0 ? 0 : 1;
    const code = (error as NodeJS.ErrnoException | null)?.code;
    if (code === 'EMFILE' || code === 'ENFILE') {
      // Node reads a command's modules in parallel: under a very low open-files limit the load itself fails,
      // before the daemon could check minfds. A limit to raise, not a bug.
      // Other reads of the failed load may still hold descriptors: let them end before /proc is read (how long
      // they take depends on the module graph and the machine's load; up to half a second, here only).
      let limits = '';
      for (let i = 0; i < 25 && limits === ''; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        limits = readLimits();
      }
      io.stderr.write(`svd: ${tooFewDescriptors(code, limits)}\n`);
      return 2;
    }
    io.stderr.write(
      `svd: internal error (this is a bug, please report it):\n${(error as Error).stack ?? String(error)}\n`,
    );
    return 70;
  }
}

/** One line for a start that ran out of file descriptors while loading svd's own modules. */
function tooFewDescriptors(code: 'EMFILE' | 'ENFILE', limits = readLimits()): string {
  if (code === 'ENFILE') return "too many open files in the system (ENFILE) while loading svd's modules";
  const soft = /^Max open files\s+(\S+)/m.exec(limits)?.[1];
  const limit = soft ? `the open-files limit is ${soft}; raise it` : 'raise the open-files limit';
  return `too many open files (EMFILE) while loading svd's modules: ${limit} (ulimit -n 1024, or minfds as supervisord needs it)`;
}

// Not rlimits.ts's readLimit: loading a module is what just ran out of descriptors.
function readLimits(): string {
  try {
    return readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return '';
  }
}

/** commander's errors, recognised without loading commander. */
function isCommanderError(error: unknown): error is { exitCode: number } {
  const e = error as { code?: unknown; exitCode?: unknown } | null;
  return typeof e?.code === 'string' && e.code.startsWith('commander.') && typeof e.exitCode === 'number';
}

/** Entry point of the bins: runs and exits with the status once output is flushed. */
export function runCli(argv: readonly string[]): void {
  // Loading a large configuration keeps most of what it allocates; a young generation that does not grow
  // copies less (10,000 programs: ~10% faster, ~30 MB less).
  keepYoungGenerationSmall();
  // The daemon's modules load once: not worth optimizing (runDaemon resumes once its programs have started).
  if (argv[0] === 'daemon') pauseOptimizer();
  else endQuietlyWhenOutputFails();
  void main(argv).then((code) => {
    // A stopped daemon must not linger on a stray handle (a syslog pipe, a child's stream).
    // Loaded here, not with the CLI: the daemon has it already, and svd ctl and the others need none of it.
    if (argv[0] === 'daemon')
      void import('../logs/settle-output.js')
        .then(({ EXIT_SETTLE_MS, settleOutput }) => settleOutput(EXIT_SETTLE_MS))
        .finally(() => process.exit(code));
    else process.exitCode = code;
  });
}
