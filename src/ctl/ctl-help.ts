// Pure: supervisorctl's help texts, byte for byte (spec §5.4): scripts and people compare them.

const T = '\t';

/** Each command's help as supervisorctl prints it, tabs included, by command name. */
export const HELP_TEXTS: Readonly<Record<string, string>> = {
  add: `add <name> [...]${T}Activates any updates in config for process/group`,
  avail: `avail${T}${T}${T}Display all configured processes`,
  clear: [
    `clear <name>${T}${T}Clear a process' log files.`,
    `clear <name> <name>${T}Clear multiple process' log files`,
    `clear all${T}${T}Clear all process' log files`,
  ].join('\n'),
  exit: `exit${T}Exit the supervisor shell.`,
  fg: `fg <process>${T}Connect to a process in foreground mode\n${T}${T}Ctrl-C to exit`,
  help: `help${T}${T}Print a list of available actions\nhelp <action>${T}Print help for <action>`,
  maintail: [
    `maintail -f ${T}Continuous tail of supervisor main log file (Ctrl-C to exit)`,
    `maintail -100${T}last 100 *bytes* of supervisord main log file`,
    `maintail${T}last 1600 *bytes* of supervisor main log file\n`,
  ].join('\n'),
  open: `open <url>${T}Connect to a remote supervisord process.\n${T}${T}(for UNIX domain socket, use unix:///socket/path)`,
  pid: [
    `pid${T}${T}${T}Get the PID of supervisord.`,
    `pid <name>${T}${T}Get the PID of a single child process by name.`,
    `pid all${T}${T}${T}Get the PID of every child process, one per line.`,
  ].join('\n'),
  quit: `quit${T}Exit the supervisor shell.`,
  reload: `reload ${T}${T}Restart the remote supervisord.`,
  remove: `remove <name> [...]${T}Removes process/group from active config`,
  reread: `reread ${T}${T}${T}Reload the daemon's configuration files without add/remove`,
  restart: [
    `restart <name>${T}${T}Restart a process`,
    `restart <gname>:*${T}Restart all processes in a group`,
    `restart <name> <name>${T}Restart multiple processes or groups`,
    `restart all${T}${T}Restart all processes`,
    'Note: restart does not reread config files. For that, see reread and update.',
  ].join('\n'),
  shutdown: `shutdown ${T}Shut the remote supervisord down.`,
  signal: [
    `signal <signal name> <name>${T}${T}Signal a process`,
    `signal <signal name> <gname>:*${T}${T}Signal all processes in a group`,
    `signal <signal name> <name> <name>${T}Signal multiple processes or groups`,
    `signal <signal name> all${T}${T}Signal all processes`,
  ].join('\n'),
  start: [
    `start <name>${T}${T}Start a process`,
    `start <gname>:*${T}${T}Start all processes in a group`,
    `start <name> <name>${T}Start multiple processes or groups`,
    `start all${T}${T}Start all processes`,
  ].join('\n'),
  status: [
    `status <name>${T}${T}Get status for a single process`,
    `status <gname>:*${T}Get status for all processes in a group`,
    `status <name> <name>${T}Get status for multiple named processes`,
    `status${T}${T}${T}Get all process status info`,
  ].join('\n'),
  stop: [
    `stop <name>${T}${T}Stop a process`,
    `stop <gname>:*${T}${T}Stop all processes in a group`,
    `stop <name> <name>${T}Stop multiple processes or groups`,
    `stop all${T}${T}Stop all processes`,
  ].join('\n'),
  tail: [
    'tail [-f] <name> [stdout|stderr] (default stdout)',
    'Ex:',
    `tail -f <name>${T}${T}Continuous tail of named process stdout`,
    `${T}${T}${T}Ctrl-C to exit.`,
    `tail -100 <name>${T}last 100 *bytes* of process stdout`,
    `tail <name> stderr${T}last 1600 *bytes* of process stderr`,
  ].join('\n'),
  update: [
    `update${T}${T}${T}Reload config and add/remove as necessary, and will restart affected programs`,
    `update all${T}${T}Reload config and add/remove as necessary, and will restart affected programs`,
    `update <gname> [...]${T}Update specific groups`,
  ].join('\n'),
  version: `version${T}${T}${T}Show the version of the remote supervisord process`,
};

/** `help` without a topic: the command names in Python cmd's columns (width 80). */
export const HELP_INDEX = [
  '',
  'default commands (type help <topic>):',
  '=====================================',
  'add    exit      open  reload  restart   start   tail   ',
  'avail  fg        pid   remove  shutdown  status  update ',
  'clear  maintail  quit  reread  signal    stop    version',
  '',
].join('\n');

/** Every command the shell knows (the completion vocabulary), help included. */
export const COMMAND_NAMES: readonly string[] = [...Object.keys(HELP_TEXTS)].sort();
