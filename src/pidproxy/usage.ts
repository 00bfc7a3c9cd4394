// Pure: pidproxy's command line and usage text.

/**
 * supervisor's usage text, byte for byte apart from the program name (it prints its own argv[0]).
 * It ends with an empty line because supervisor prints a docstring that ends in a newline.
 */
export function usageText(programName: string): string {
  return [
    'pidproxy -- run command and proxy signals to it via its pidfile.',
    '',
    'This executable runs a command and then monitors a pidfile.  When this',
    'executable receives a signal, it sends the same signal to the pid',
    'in the pidfile.',
    '',
    `Usage: ${programName} <pidfile name> <command> [<cmdarg1> ...]`,
    '',
    '',
  ].join('\n');
}

/** pidproxy's command line: the pidfile, the command and its arguments, all taken literally. */
export interface PidproxyArgs {
  readonly pidfile: string;
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * Splits the arguments after the program name. Like supervisor, nothing is an option: a pidfile or
 * command that starts with `-` is taken literally. Returns null when there are fewer than two.
 */
export function parsePidproxyArgs(argv: readonly string[]): PidproxyArgs | null {
  const [pidfile, command, ...args] = argv;
  if (pidfile === undefined || command === undefined) return null;
  return { pidfile, command, args };
}
