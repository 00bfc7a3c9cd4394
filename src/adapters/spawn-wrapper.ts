// Pure: the /bin/sh prelude that does in the child what Node's spawn cannot: 2>&1, a chdir that must fail
// with supervisor's lines or happen after the user switch, a refusal to run, then exec (same pid). Used only
// when one of those is asked for; a umask and an ordinary directory need no prelude (node-spawner.ts).

/** The resolved command and what the prelude must do before its exec; `directory` null means none. */
export interface WrapperInput {
  readonly file: string;
  readonly argv: readonly string[];
  readonly directory: string | null;
  readonly redirectStderr: boolean;
  /** A reason the child must not run (e.g. setuid impossible): printed as supervisor does, exit 127. */
  readonly failure?: string | undefined;
  /** The same for a failed exec: printed after the chdir, as supervisor's child tries the exec only then. */
  readonly execFailure?: string | undefined;
  /** `execFailure` applies only when the child, already its user, may not execute the file (`test -x`). */
  readonly execFailureUnlessExecutable?: boolean | undefined;
  /**
   * The child's PWD and OLDPWD as its environment gives them (undefined: unset). `cd` rewrites both, and
   * supervisor's chdir touches neither, so they are put back before the exec.
   */
  readonly pwd?: string | undefined;
  readonly oldpwd?: string | undefined;
}

const NOT_SPAWNED = "echo 'supervisor: child process was not spawned' >&2; exit 127";

// $4 and $5 are PWD and OLDPWD as `=value`, or empty when unset; $6 the exec failure, $7 1 when it applies only
// to a file the child may not execute.
const SCRIPT = [
  'd=$1; r=$2; f=$3; p=$4; o=$5; x=$6; c=$7; shift 7',
  'if [ "$r" = 1 ]; then exec 2>&1; fi',
  'if [ -n "$f" ]; then printf "supervisor: %s\\n" "$f" >&2; ' + NOT_SPAWNED + '; fi',
  'if [ -n "$d" ]; then cd -- "$d" 2>/dev/null || { if [ ! -e "$d" ]; then e=ENOENT; elif [ ! -d "$d" ]; then e=ENOTDIR; else e=EACCES; fi; ' +
    'printf "supervisor: couldn\'t chdir to %s: %s\\n" "$d" "$e" >&2; ' +
    NOT_SPAWNED +
    '; }; ' +
    'case $p in =*) PWD=${p#=}; export PWD;; *) unset PWD;; esac; ' +
    'case $o in =*) OLDPWD=${o#=}; export OLDPWD;; *) unset OLDPWD;; esac; fi',
  'if [ -n "$x" ] && { [ "$c" != 1 ] || [ ! -x "$1" ]; }; then printf "supervisor: %s\\n" "$x" >&2; ' +
    NOT_SPAWNED +
    '; fi',
  'exec "$@"',
].join('\n');

/** `[file, ...args]` running the wrapper, or null when the command can be spawned directly. */
export function wrapperArgs(w: WrapperInput): string[] | null {
  if (w.directory === null && !w.redirectStderr && !w.failure && !w.execFailure) return null;
  return [
    '/bin/sh',
    '-c',
    SCRIPT,
    'svd-spawn',
    w.directory ?? '',
    w.redirectStderr ? '1' : '0',
    w.failure ?? '',
    w.pwd === undefined ? '' : `=${w.pwd}`,
    w.oldpwd === undefined ? '' : `=${w.oldpwd}`,
    w.execFailure ?? '',
    w.execFailureUnlessExecutable ? '1' : '0',
    w.file,
    ...w.argv.slice(1),
  ];
}
