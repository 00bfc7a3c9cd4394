// Effect: the Spawner port over node:child_process. Each child leads its own process group (detached), so
// stopasgroup/killasgroup can signal -pid; exits come from 'exit' events, never from polling.
import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, statSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import type { ProcessSpec } from '../model/config.js';
import { signalNumber } from '../model/signals.js';
import type {
  Child,
  ChildHandlers,
  CommandCheck,
  SignalOutcome,
  Spawner,
  SpawnOutcome,
} from '../ports/spawner.js';
import { childEnv } from './child-env.js';
import { mayExecute } from './exec-access.js';
import { FifoStock, type PipeEnds } from './fifo-pipes.js';
import { inheritedDescriptors, stdioMasking } from './inherited-fds.js';
import { resolveCommand, searchPath } from './resolve-command.js';
import { SameDelayTimers } from './same-delay-timers.js';
import { lookupUser, type UserEntry } from './user-db.js';
import { wrapperArgs } from './spawn-wrapper.js';
import { spawnErrorMessage, withSpawnErrno } from './spawn-errno.js';
import {
  closeSoon,
  nativePipe,
  nativeSignal,
  nativeSignalSoon,
  nativeSpawn,
  nativeSpawnAvailable,
  readChildOutput,
  type ExitListener,
} from './native-spawn.js';

/** Every field is optional; the defaults are those of a daemon run. */
export interface NodeSpawnerOptions {
  /** The daemon's environment (default process.env). */
  readonly baseEnv?: Readonly<Record<string, string | undefined>> | undefined;
  /** [supervisord] environment=. */
  readonly supervisordEnvironment?: Readonly<Record<string, string>> | undefined;
  /** SUPERVISOR_SERVER_URL for serverurl=AUTO. */
  readonly serverUrl?: string | null | undefined;
  /**
   * How long an exited child's pipes may stay open (a grandchild holding them) before the exit is reported
   * anyway and the pipes are closed, as supervisor closes them when it reaps.
   */
  readonly drainMs?: number | undefined;
  /**
   * A descriptor to give a process as its stdin instead of a pipe ([fcgi-program:x]: the listening socket), or
   * the reason it cannot be spawned; null for an ordinary stdin pipe.
   */
  readonly stdinFor?: ((spec: ProcessSpec) => { fd: number } | { error: string } | null) | undefined;
  /** Descriptors no child may keep (default: those this process inherited, inherited-fds.ts). */
  readonly hiddenFds?: readonly number[] | undefined;
  /**
   * Where children's pipes come from (default: one stock of FIFOs for the whole process, fifo-pipes.ts); null
   * for Node's own socketpairs, what a child gets anyway when no FIFO can be made.
   */
  readonly pipes?: FifoStock | null | undefined;
  /**
   * Told once when a spawn falls back to socketpairs because no FIFO could be made, and again after FIFOs
   * worked in between: the reason a child then fails to open /dev/stdout would be invisible otherwise.
   */
  readonly onPipeFallback?: ((message: string) => void) | undefined;
  /** Spawn through native/svd_spawn.node when it is loaded (default); false for node:child_process always. */
  readonly native?: boolean | undefined;
}

const PIPE_FALLBACK =
  "no FIFO could be made for a child's streams (no mkfifo, or no writable /dev/shm or temporary directory): " +
  'children get socketpairs, on which opening /dev/stdout or /dev/stderr fails with ENXIO';

/** Errors of the pipes and the fork, before any exec: spawn errors, as supervisor makes them. */
const FORK_ERRORS = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'ENOMEM']);

/** Shared by every spawner of the process: one folder of FIFOs, however many reloads. */
const processStock = new FifoStock();

/**
 * The daemon's end of a child's stdin. A pipe's end stays a bare descriptor until something is written: most
 * programs never get a byte there, and a stream over it costs ~2.7 KB of RSS a child (at 1,000 programs), a
 * sixth of supervisor's whole overhead per process.
 */
class ChildStdin {
  #fd: number | null;
  #stream: Writable | null;
  constructor(source: number | Writable) {
    this.#fd = typeof source === 'number' ? source : null;
    this.#stream = typeof source === 'number' ? null : source;
    // A stdin that failed (EPIPE) or closed is destroyed, which writeStdin checks.
    this.#stream?.on('error', ignore);
  }
  /** The stream, made on first use; null once closed. */
  stream(): Writable | null {
    if (this.#stream === null && this.#fd !== null) {
      this.#stream = new Socket({ fd: this.#fd, readable: false, writable: true });
      this.#stream.on('error', ignore);
      this.#fd = null;
    }
    return this.#stream;
  }
  /** What the pipe has not accepted yet (0 while no stream was made). */
  backlog(): number {
    return this.#stream?.writableLength ?? 0;
  }
  close(): void {
    if (this.#fd !== null) closeSoon(this.#fd);
    this.#fd = null;
    this.#stream?.destroy();
  }
}

/**
 * The daemon's end of a child's stdout or stderr: `read` hands over its chunks, then null once at its end;
 * `close` ends it at once, with no further call.
 */
interface ChildOutput {
  read(onOutput: (chunk: Buffer | null) => void): void;
  close(): void;
}

/** A pipe's read end (a pipe(2), or a FIFO): read by the native addon when it is loaded (no stream to tear down). */
function pipeOutput(fd: number, native: boolean): ChildOutput {
  if (!native) return streamOutput(new Socket({ fd, readable: true, writable: false }));
  let close: (() => void) | null = null;
  return {
    read: (onOutput) => (close = readChildOutput(fd, onOutput)),
    close: () => (close ? close() : closeSync(fd)),
  };
}

/** A stream over the pipe (node:child_process's socketpair, or a Socket over a FIFO without the addon). */
function streamOutput(s: Readable): ChildOutput {
  return {
    read: (onOutput) => {
      s.on('data', (chunk: Buffer) => onOutput(chunk));
      s.on('error', ignore);
      s.on('close', () => onOutput(null));
    },
    close: () => s.destroy(),
  };
}

/** The daemon's ends of a child's standard streams, whichever way they were made. */
interface ParentStreams {
  readonly stdin: ChildStdin | null;
  readonly stdout: ChildOutput | null;
  readonly stderr: ChildOutput | null;
}

/** Where util-linux's setpriv may be installed, the usual place first (not every system merged /bin into /usr). */
const SETPRIV_PATHS = ['/usr/bin/setpriv', '/bin/setpriv', '/usr/sbin/setpriv', '/sbin/setpriv'];

/** The first setpriv of `paths`, or null. Looked up at each user switch: it may be installed meanwhile. */
export function findSetpriv(paths: readonly string[] = SETPRIV_PATHS): string | null {
  return paths.find((path) => existsSync(path)) ?? null;
}

/**
 * `directory` when the daemon can change into it, so the fork does it (no /bin/sh in between, and argv[0] stays
 * as written); undefined when there is none or it would fail, and the prelude then fails with supervisor's lines.
 */
function enterableDirectory(directory: string | null): string | undefined {
  if (directory === null) return undefined;
  try {
    if (!statSync(directory).isDirectory()) return undefined;
    accessSync(directory, constants.X_OK);
    return directory;
  } catch {
    return undefined;
  }
}

/** Errors on a child's pipes (EPIPE, ECONNRESET) end them; the exit is what the engine acts on. */
const ignore = (): void => {};

class NodeChild implements Child {
  readonly pid: number;
  readonly #stdin: ChildStdin | null;
  /** Spawned natively: signalled through the addon, which knows when its pid stops being this child's. */
  readonly #native: boolean;
  readonly #onSignalFailed: ((message: string) => void) | undefined;
  constructor(
    stdin: ChildStdin | null,
    pid: number,
    native: boolean,
    onSignalFailed: ((message: string) => void) | undefined,
  ) {
    this.#stdin = stdin;
    this.pid = pid;
    this.#native = native;
    this.#onSignalFailed = onSignalFailed;
  }
  signal(
    signal: string | number,
    options: { readonly group: boolean; readonly soon?: boolean | undefined },
  ): SignalOutcome {
    const n = typeof signal === 'number' ? signal : signalNumber(signal);
    if (n === undefined) return { ok: false, gone: false, message: `unknown signal ${signal}` };
    if (this.#native) {
      const onFailed = this.#onSignalFailed;
      const errno =
        options.soon === true && onFailed
          ? nativeSignalSoon(this.pid, n, options.group, onFailed)
          : nativeSignal(this.pid, n, options.group);
      return errno === undefined ? { ok: true } : { ok: false, gone: errno === 'ESRCH', message: errno };
    }
    try {
      process.kill(options.group ? -this.pid : this.pid, n);
      return { ok: true };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? String(e);
      return { ok: false, gone: code === 'ESRCH', message: code };
    }
  }
  writeStdin(data: Buffer): boolean {
    const stdin = this.#stdin?.stream();
    if (!stdin || stdin.destroyed || stdin.writableEnded) return false;
    stdin.write(data);
    // A child that closed its end fails the write at once (EPIPE, set before write returns): NO_FILE for this
    // call already, as supervisor's immediate write reports it, not only for the next one.
    return stdin.errored === null;
  }
  stdinBacklog(): number {
    // What the pipe (64 KiB on Linux) has not accepted yet waits in the stream's buffer.
    return this.#stdin?.backlog() ?? 0;
  }
}

/**
 * The real Spawner: each child leads its own process group, with FIFO (else socketpair) pipes and the
 * inherited descriptors masked; user= goes through setpriv, and what the fork cannot do (a directory= that
 * must fail or follow the user switch, 2>&1 on a socketpair, a refusal) through the /bin/sh prelude. A failed
 * exec of an existing file is reported as supervisor's child does (its reason on the child's stderr, exit
 * 127), not as a spawn error. Resolved commands are cached for one event-loop turn.
 */
export class NodeSpawner implements Spawner {
  readonly #base: Readonly<Record<string, string | undefined>>;
  readonly #supervisordEnv: Readonly<Record<string, string>>;
  readonly #serverUrl: string | null;
  /** Exits waiting for their pipes' end of file, drainMs at most. */
  readonly #draining: SameDelayTimers;
  readonly #stdinFor: NodeSpawnerOptions['stdinFor'];
  /**
   * Commands resolved in this turn of the event loop, by PATH and command. Starting 1,000 programs is one
   * turn: one PATH search per distinct command instead of one per spawn (and one per start check). The next
   * turn searches again, so a binary installed or removed since is seen as supervisor sees it.
   */
  readonly #resolved = new Map<string, CommandCheck>();
  /** stdio entries from fd 3 on: /dev/null over every descriptor a child must not inherit. */
  readonly #masking: readonly (number | 'ignore')[];
  readonly #pipes: FifoStock | null;
  readonly #onPipeFallback: ((message: string) => void) | undefined;
  /** The last spawn fell back to socketpairs: said already. */
  #fellBack = false;
  readonly #native: boolean;

  constructor(options: NodeSpawnerOptions = {}) {
    // A copy: reading process.env goes through getenv for every key, for every spawn.
    this.#base = options.baseEnv ?? { ...process.env };
    this.#supervisordEnv = options.supervisordEnvironment ?? {};
    this.#serverUrl = options.serverUrl ?? null;
    this.#draining = new SameDelayTimers(options.drainMs ?? 100);
    this.#stdinFor = options.stdinFor;
    this.#masking = stdioMasking(options.hiddenFds ?? inheritedDescriptors());
    this.#pipes = options.pipes === undefined ? processStock : options.pipes;
    this.#onPipeFallback = options.onPipeFallback;
    this.#native = options.native !== false && nativeSpawnAvailable();
  }

  check(spec: ProcessSpec): CommandCheck {
    const path = searchPath(spec, this.#supervisordEnv, this.#base['PATH']);
    const key = `${path}\0${spec.command}`;
    let check = this.#resolved.get(key);
    if (check === undefined) {
      if (this.#resolved.size === 0) setImmediate(() => this.#resolved.clear());
      check = resolveCommand(spec.command, path);
      this.#resolved.set(key, check);
    }
    return check;
  }

  spawn(spec: ProcessSpec, handlers: ChildHandlers): SpawnOutcome {
    return this.#spawn(spec, handlers, null);
  }

  /**
   * `execFailure`: the exec already failed for this reason; the child is a /bin/sh that says so on its stderr
   * and exits 127, which is what supervisor's forked child does when its execve fails. `bareEnv`: that /bin/sh
   * gets an empty environment, as the program's (E2BIG: too large) would fail its exec too.
   */
  #spawn(
    spec: ProcessSpec,
    handlers: ChildHandlers,
    execFailure: string | null,
    bareEnv = false,
  ): SpawnOutcome {
    const check = this.check(spec);
    if (!check.ok) return { ok: false, message: check.message };
    const stdin = this.#stdinFor?.(spec) ?? null;
    if (stdin && 'error' in stdin) return { ok: false, message: stdin.error };
    const user = this.#user(spec);
    const env = bareEnv
      ? {}
      : childEnv(spec, {
          base: this.#base,
          supervisord: this.#supervisordEnv,
          serverUrl: this.#serverUrl,
          user:
            user.entry && user.entry.uid !== process.getuid?.()
              ? { name: user.entry.name, home: user.entry.home }
              : undefined,
        });
    // supervisor changes directory after the user switch, so then the check must be the user's: the prelude's.
    const cwd = user.switchTo || user.failure ? undefined : enterableDirectory(spec.directory);
    let pipes: ChildPipes | null;
    try {
      pipes = this.#openPipes(stdin === null, spec.redirect_stderr);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? String(e);
      return { ok: false, message: spawnErrorMessage(spec.name, check.file, code) };
    }
    // setpriv execs with root's capabilities still raised, so the kernel would let the user run what it may not.
    // When the mode bits say no, the prelude, already the user, asks the kernel (an ACL may still allow it).
    const denied =
      user.switchTo && !mayExecute(check.file, user.switchTo.entry)
        ? `couldn't exec ${check.argv[0] ?? check.file}: EACCES`
        : null;
    const wrapped = wrapperArgs({
      file: check.file,
      argv: execFailure === null ? check.argv : [check.file],
      directory: cwd === undefined ? spec.directory : null,
      // With its own pipe the child gets the stdout pipe as fd 2 too; a socketpair needs the prelude's 2>&1.
      redirectStderr: spec.redirect_stderr && pipes === null,
      failure: user.failure,
      execFailure: execFailure ?? denied ?? undefined,
      execFailureUnlessExecutable: execFailure === null && denied !== null,
      pwd: env['PWD'],
      oldpwd: env['OLDPWD'],
    });
    let file = check.file;
    let args: readonly string[] = check.argv.slice(1);
    let argv0: string | undefined = check.argv[0];
    if (wrapped) {
      file = wrapped[0] ?? '/bin/sh';
      args = wrapped.slice(1);
      argv0 = undefined;
    }
    if (user.switchTo) {
      const { entry: u, setpriv } = user.switchTo;
      // initgroups(3), as supervisor calls it: the primary group and every group listing the user.
      const groups = [...new Set([u.gid, ...u.groups])].join(',');
      // setpriv execvp()s its program with the name it is given as argv[0]. Given the name as written, it finds
      // on the child's PATH the file found here (when that PATH is the one searched here: the first folder
      // holding the name, which the user may enter and execute, or the prelude would run), and the program
      // sees the argv[0] supervisor's child gives it (`bash`, not `/usr/bin/bash`, in bash's own messages).
      const byName =
        !wrapped &&
        argv0 !== undefined &&
        !argv0.includes('/') &&
        env['PATH'] === searchPath(spec, this.#supervisordEnv, this.#base['PATH']);
      const program = byName ? (argv0 as string) : file;
      args = [`--reuid=${u.uid}`, `--regid=${u.gid}`, `--groups=${groups}`, '--', program, ...args];
      file = setpriv;
      argv0 = undefined;
    }
    // A numeric entry is dup'ed onto the child's fd (and made blocking there, as fcgi children expect).
    const stdio: (number | 'pipe' | 'ignore')[] = pipes
      ? [
          stdin ? stdin.fd : (pipes.stdin?.child ?? 'ignore'),
          pipes.stdout.child,
          spec.redirect_stderr ? pipes.stdout.child : (pipes.stderr?.child ?? 'ignore'),
        ]
      : [stdin ? stdin.fd : 'pipe', 'pipe', spec.redirect_stderr ? 'ignore' : 'pipe'];
    const request: LaunchRequest = {
      file,
      args,
      argv0,
      cwd,
      env,
      stdio,
    };
    let launched: Launched;
    // The fork copies the umask, and spawn returns only after the exec: the daemon's own mask is back before
    // anything else runs (no file is created off the main thread meanwhile: the daemon creates files in sync).
    const daemonMask = spec.umask === null ? null : process.umask(Number.parseInt(spec.umask, 8));
    try {
      launched = this.#launch(request);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? String(e);
      // node:child_process throws the errno of an exec that failed (E2BIG, ETXTBSY...) but for the five it
      // reports by an 'error' event: an exec failure all the same, for the branch below. Other throws (a NUL in
      // an argument) are no errno.
      if (typeof (e as NodeJS.ErrnoException).errno !== 'number') {
        if (pipes) closePipes(pipes, 'both');
        return { ok: false, message: spawnErrorMessage(spec.name, file, code) };
      }
      launched = { pid: undefined, errno: code };
    } finally {
      if (daemonMask !== null) process.umask(daemonMask);
    }
    // The child has its copies now (spawn returns after the exec), or there is no child.
    if (pipes) closePipes(pipes, 'child');
    if (launched.pid === undefined) {
      const { errno } = launched;
      if (pipes) closePipes(pipes, 'parent');
      // The fork and the pipes worked and the command is there: its exec failed (a '#!' line naming a missing
      // interpreter, often a CRLF script's '/bin/sh\r'; an interpreter that cannot run). supervisor's child
      // reports that in the process's stderr log and exits 127 (BACKOFF, then FATAL); "can't find command"
      // would send the user looking for a file that exists.
      if (
        execFailure === null &&
        // E2BIG is the environment's, whichever file was run (setpriv, the prelude): the program's exec would fail.
        (file === check.file || errno === 'E2BIG') &&
        errno !== null &&
        !FORK_ERRORS.has(errno) &&
        existsSync(file)
      )
        // Named as the command writes it (supervisor prints its argv[0]), not as found on PATH.
        return this.#spawn(
          spec,
          handlers,
          `couldn't exec ${check.argv[0] ?? file}: ${errno}`,
          errno === 'E2BIG',
        );
      return { ok: false, message: spawnErrorMessage(spec.name, file, errno) };
    }
    const cp = launched.cp;
    const native = this.#native;
    const streams: ParentStreams = pipes
      ? {
          stdin: pipes.stdin ? new ChildStdin(pipes.stdin.parent) : null,
          stdout: pipeOutput(pipes.stdout.parent, native),
          stderr: pipes.stderr ? pipeOutput(pipes.stderr.parent, native) : null,
        }
      : {
          stdin: cp?.stdin ? new ChildStdin(cp.stdin) : null,
          stdout: cp?.stdout ? streamOutput(cp.stdout) : null,
          stderr: cp?.stderr ? streamOutput(cp.stderr) : null,
        };
    this.#watch(launched.onExit, streams, handlers);
    return {
      ok: true,
      child: new NodeChild(streams.stdin, launched.pid, cp === null, handlers.onSignalFailed?.bind(handlers)),
    };
  }

  /**
   * Starts the child natively when the addon is loaded and the child's streams are FIFOs (posix_spawn takes
   * descriptors, not Node's socketpairs), else through node:child_process. Throws what Node's spawn throws.
   */
  #launch(r: LaunchRequest): Launched {
    // Descriptors only (FIFOs, /dev/null): posix_spawn takes those, not Node's socketpairs ('pipe').
    const fds = r.stdio.every((e) => e !== 'pipe')
      ? (r.stdio.map((e) => (typeof e === 'number' ? e : -1)) as [number, number, number])
      : null;
    if (fds !== null && this.#native && !hasNul(r)) {
      let listener: ExitListener | null = null;
      const result = nativeSpawn(
        { file: r.file, argv: [r.argv0 ?? r.file, ...r.args], env: r.env, cwd: r.cwd, fds },
        (code, signal, core) => listener?.(code, signal, core),
      );
      if ('errno' in result) return { pid: undefined, errno: result.errno };
      return { pid: result.pid, cp: null, onExit: (l) => (listener = l) };
    }
    const { result: cp, errno } = withSpawnErrno(() =>
      nodeSpawn(r.file, r.args, {
        argv0: r.argv0,
        cwd: r.cwd,
        env: r.env,
        detached: true,
        stdio: [...r.stdio, ...this.#masking],
      }),
    );
    // Spawn errors Node reports later (EAGAIN, EMFILE, ENFILE, EACCES, ENOENT) come as 'error' too: ignored,
    // since the missing pid and the errno say so now.
    cp.on('error', ignore);
    if (cp.pid === undefined) return { pid: undefined, errno };
    // Node keeps one stdio entry per masked descriptor for the child's life: with an inherited fd 255 that is
    // ~3 KB a child, more than the rest of its pipes. Only the standard streams are used after the spawn.
    if (cp.stdio.length > 3) (cp.stdio as unknown[]).length = 3;
    return { pid: cp.pid, cp, onExit: (l) => cp.on('exit', l) };
  }

  /**
   * Pipes for a child's streams (pipe(2) through the addon, else FIFOs), or null for Node's socketpairs. Throws
   * an open(2) or pipe(2) error (EMFILE).
   */
  #openPipes(wantStdin: boolean, redirectStderr: boolean): ChildPipes | null {
    if (this.#pipes === null) return null;
    if (this.#native) return nativePipes(wantStdin, redirectStderr);
    const pipes = this.#fifoPipes(this.#pipes, wantStdin, redirectStderr);
    if (pipes === null && !this.#fellBack) this.#onPipeFallback?.(PIPE_FALLBACK);
    this.#fellBack = pipes === null;
    return pipes;
  }

  #fifoPipes(stock: FifoStock, wantStdin: boolean, redirectStderr: boolean): ChildPipes | null {
    const made: PipeEnds[] = [];
    const take = (p: PipeEnds | null): PipeEnds | null => (p && made.push(p), p);
    let pipes: ChildPipes | null = null;
    try {
      const stdout = take(stock.output());
      if (stdout === null) return null;
      const stderr = redirectStderr ? null : take(stock.output());
      const stdin = wantStdin ? take(stock.input()) : null;
      if ((redirectStderr || stderr) && (!wantStdin || stdin)) pipes = { stdin, stdout, stderr };
      return pipes;
    } finally {
      // All or none: a spawn given only some FIFOs gets socketpairs for every stream.
      if (pipes === null) for (const p of made) (closeSync(p.parent), closeSync(p.child));
    }
  }

  #user(spec: ProcessSpec): {
    entry?: UserEntry;
    switchTo?: { entry: UserEntry; setpriv: string };
    failure?: string;
  } {
    if (spec.user === null || spec.user === '') return {};
    const entry = lookupUser(spec.user);
    if (!entry) return { failure: `couldn't setuid to ${spec.user}: no such user` };
    const me = process.getuid?.() ?? 0;
    if (entry.uid === me) return { entry };
    if (me !== 0)
      return { entry, failure: `couldn't setuid to ${entry.uid}: Can't drop privilege as nonroot user` };
    const setpriv = findSetpriv();
    if (setpriv === null)
      return { entry, failure: `couldn't setuid to ${entry.uid}: setpriv (util-linux) is missing` };
    return { entry, switchTo: { entry, setpriv } };
  }

  #watch(onExit: (listener: ExitListener) => void, parent: ParentStreams, handlers: ChildHandlers): void {
    const streams = [
      { s: parent.stdout, channel: 'stdout' as const },
      { s: parent.stderr, channel: 'stderr' as const },
    ].filter((x) => x.s !== null);
    let open = streams.length;
    let exit: { code: number | null; signal: string | null; core: boolean } | null = null;
    let reported = false;
    const report = () => {
      if (reported || !exit) return;
      reported = true;
      // Like supervisor closing the parent's pipe ends at reap: nothing stays open after the exit. Indexed: no
      // iterator per exit in a burst, when the optimizer is paused.
      for (let i = 0; i < streams.length; i++) streams[i]!.s?.close();
      parent.stdin?.close();
      handlers.onExit(exit.code, exit.signal, exit.core);
    };
    for (const { s, channel } of streams)
      s?.read((chunk) => {
        if (chunk !== null) return handlers.onOutput(channel, chunk);
        open--;
        if (open === 0) report();
      });
    onExit((code, signal, core) => {
      exit = { code, signal, core: core === true };
      // The pipes' end of file most often comes in the same turn, just after: the wait is not cancelled then.
      if (open === 0) report();
      else this.#draining.add(report);
    });
  }
}

/** One child to start, as both ways of starting take it. */
interface LaunchRequest {
  readonly file: string;
  readonly args: readonly string[];
  readonly argv0: string | undefined;
  readonly cwd: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The standard streams: a descriptor (a FIFO's end), 'ignore' (/dev/null), or 'pipe' (Node's socketpair). */
  readonly stdio: readonly (number | 'pipe' | 'ignore')[];
}

/** A started child (`cp` when node:child_process started it), or the errno of a spawn that failed. */
type Launched =
  | {
      readonly pid: number;
      readonly cp: ChildProcess | null;
      readonly onExit: (listener: ExitListener) => void;
    }
  | { readonly pid: undefined; readonly errno: string | null };

/** Node refuses a NUL in an argument or the environment (ERR_INVALID_ARG_VALUE); C would cut the string there. */
function hasNul(r: LaunchRequest): boolean {
  const nul = (s: string | undefined) => s !== undefined && s.includes('\0');
  return (
    nul(r.file) ||
    nul(r.argv0) ||
    nul(r.cwd) ||
    r.args.some(nul) ||
    Object.entries(r.env).some(([k, v]) => nul(k) || nul(v))
  );
}

/** Pipes made by the addon: all three or none (a failure, EMFILE, closes those made and is thrown on). */
function nativePipes(wantStdin: boolean, redirectStderr: boolean): ChildPipes {
  const made: PipeEnds[] = [];
  const take = (input: boolean): PipeEnds => {
    const ends = nativePipe(input);
    made.push(ends);
    return ends;
  };
  try {
    const stdout = take(false);
    return { stdout, stderr: redirectStderr ? null : take(false), stdin: wantStdin ? take(true) : null };
  } catch (e) {
    for (const p of made) (closeSync(p.parent), closeSync(p.child));
    throw e;
  }
}

/** A child's pipes; stderr is null with redirect_stderr, stdin null when given another descriptor. */
interface ChildPipes {
  readonly stdin: PipeEnds | null;
  readonly stdout: PipeEnds;
  readonly stderr: PipeEnds | null;
}

/** Closes one or both ends; the child's, once it has its copies, on the addon's thread (closeSoon). */
function closePipes(pipes: ChildPipes, which: 'parent' | 'child' | 'both'): void {
  for (const p of [pipes.stdin, pipes.stdout, pipes.stderr]) {
    if (p === null) continue;
    if (which !== 'child') closeSync(p.parent);
    if (which === 'child') closeSoon(p.child);
    else if (which === 'both') closeSync(p.child);
  }
}
