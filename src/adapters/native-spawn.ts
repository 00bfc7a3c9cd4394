// Effect: the native spawner (native/svd_spawn.c): posix_spawn, and each child's exit from its pidfd on Node's
// event loop. Loaded once; null when it was not built or this kernel has no pidfds, and node:child_process
// does the spawning then (node-spawner.ts).
import { closeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { getSystemErrorName } from 'node:util';
import type { LogWriter } from '../logs/log-writer.js';
import { signalName } from '../model/signals.js';

interface Addon {
  supported(): boolean;
  spawn(
    file: string,
    argv: readonly string[],
    env: readonly string[],
    cwd: string | null,
    fds: readonly [number, number, number],
    onExit: (code: number, signal: number, core: boolean) => void,
  ): number;
  signal(pid: number, signal: number, group: boolean): number;
  signalSoon(pid: number, signal: number, group: boolean): number;
  onSignalFailed(handler: (pid: number, errno: number) => void): void;
  pipe(input: boolean): [number, number] | number;
  closeLater(fd: number): void;
  readOutput(fd: number, onOutput: (chunk: Buffer | null) => void): object;
  closeOutput(reader: object): void;
  logWrite(fd: number, data: Buffer, after: number, token: number, reportOk: boolean): number;
  logWait(seq: number): void;
  onLogWritten(handler: (token: number, errno: number, dropped: number) => void): void;
}

/** What a child is started with; -1 in `fds` gives /dev/null. Every other descriptor is closed in the child. */
export interface NativeSpawnRequest {
  readonly file: string;
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string | undefined;
  readonly fds: readonly [number, number, number];
}

/** The pid, or the errno name (ENOENT, EMFILE...) of a spawn that failed: before the exec, or the exec itself. */
export type NativeSpawnResult = { readonly pid: number } | { readonly errno: string };

/**
 * Exit as node:child_process reports it: a code, or the signal's name (null, null when unknown); from the native
 * spawner also a signal without a name as its number ('40'), and whether the signal dumped core.
 */
export type ExitListener = (code: number | null, signal: string | null, coreDumped?: boolean) => void;

let addon: Addon | null | undefined;

function load(): Addon | null {
  if (addon !== undefined) return addon;
  addon = null;
  if (process.env['SVD_SPAWNER'] === 'node') return addon;
  // From dist/src/adapters/ or src/adapters/: the project's native/ folder. Not built: node:child_process.
  for (const path of ['../../../native/svd_spawn.node', '../../native/svd_spawn.node']) {
    try {
      const loaded = createRequire(import.meta.url)(path) as Addon;
      if (loaded.supported()) addon = loaded;
      break;
    } catch {
      // Not there.
    }
  }
  return addon;
}

/** The addon, for the functions below that exist only where it is loaded. */
function loaded(): Addon {
  const native = load();
  if (native === null) throw new Error('the native spawner is not loaded');
  return native;
}

/** True when children are spawned natively in this process. */
export function nativeSpawnAvailable(): boolean {
  return load() !== null;
}

/**
 * Starts a child leading a new process group (in the daemon's session, as supervisor's setpgrp), with default
 * signal dispositions. Returns once its exec happened or failed; `onExit` runs once, from the event loop, after
 * a successful spawn. Only when nativeSpawnAvailable().
 */
export function nativeSpawn(request: NativeSpawnRequest, onExit: ExitListener): NativeSpawnResult {
  const native = loaded();
  const env: string[] = [];
  for (const [key, value] of Object.entries(request.env))
    if (value !== undefined) env.push(`${key}=${value}`);
  const result = native.spawn(
    request.file,
    request.argv,
    env,
    request.cwd ?? null,
    request.fds,
    (code, signal, core) => {
      signalFailures.delete(result);
      onExit(code >= 0 ? code : null, signal > 0 ? (signalName(signal) ?? String(signal)) : null, core);
    },
  );
  if (result > 0) return { pid: result };
  return { errno: errnoName(-result) };
}

/**
 * A pipe for a child's stdout or stderr (`input` false: the parent reads) or its stdin (true: the parent writes,
 * non-blocking), both ends close-on-exec. Throws as fs does (an Error with `code`: EMFILE, ENFILE). Only when
 * nativeSpawnAvailable().
 */
export function nativePipe(input: boolean): { readonly parent: number; readonly child: number } {
  const native = loaded();
  const result = native.pipe(input);
  if (typeof result === 'number') {
    const code = errnoName(-result);
    throw Object.assign(new Error(`${code}: pipe`), { code, errno: result, syscall: 'pipe' });
  }
  return { parent: result[0], child: result[1] };
}

/**
 * Closes `fd` on the addon's own thread, soon, where the addon is loaded (else at once): for a descriptor the
 * caller is done with. Its number stays taken until then, so no other open can be given it meanwhile. Not in a
 * worker thread for a descriptor it opened through node:fs: Node closes those again when the worker ends,
 * whatever holds the number by then (it warns "opened in unmanaged mode twice" at the number's next open).
 */
export function closeSoon(fd: number): void {
  const native = load();
  if (native === null) closeSync(fd);
  else native.closeLater(fd);
}

/**
 * Sends `signal` to a child of nativeSpawn (to its process group with `group`): undefined when sent, else the
 * errno name. ESRCH for the child itself once it was reaped, even before its onExit: its pid may be another
 * process's by then. Only when nativeSpawnAvailable().
 */
export function nativeSignal(pid: number, signal: number, group: boolean): string | undefined {
  const native = loaded();
  const result = native.signal(pid, signal, group);
  return result === 0 ? undefined : errnoName(-result);
}

/** Who is told that a signal of nativeSignalSoon failed, by child; an entry goes with the child's exit. */
const signalFailures = new Map<number, (errno: string) => void>();
let signalFailuresWatched = false;

/**
 * Queues `signal` for a child of nativeSpawn (its process group with `group`), sent by the addon's own thread
 * at the end of this turn of the loop: the children it wakes then run their exits beside that thread, not on
 * this one's core. Undefined when queued, else the errno name (ESRCH once the child exited). A failure of the
 * send itself comes to `onFailed` later (never ESRCH: the exit follows). Only when nativeSpawnAvailable().
 */
export function nativeSignalSoon(
  pid: number,
  signal: number,
  group: boolean,
  onFailed: (errno: string) => void,
): string | undefined {
  const native = loaded();
  if (!signalFailuresWatched) {
    native.onSignalFailed((failed, errno) => signalFailures.get(failed)?.(errnoName(errno)));
    signalFailuresWatched = true;
  }
  const result = native.signalSoon(pid, signal, group);
  if (result !== 0) return errnoName(-result);
  signalFailures.set(pid, onFailed);
  return undefined;
}

/**
 * Reads a child's stdout or stderr pipe `fd` on the event loop: onOutput(chunk) for each read, onOutput(null)
 * once at the end of file (or a read error), and `fd` is closed then. The returned function stops it at once,
 * with no further call (`fd` is closed soon after, off this thread). Only when nativeSpawnAvailable().
 */
export function readChildOutput(fd: number, onOutput: (chunk: Buffer | null) => void): () => void {
  const native = loaded();
  const reader = native.readOutput(fd, onOutput);
  return () => native.closeOutput(reader);
}

/** The addon's log writer (native/svd_logwrite.c) where it is loaded, else null: every write is made here. */
export function nativeLogWriter(): LogWriter | null {
  const native = load();
  if (native === null) return null;
  logWriter ??= {
    write: (fd, data, after, token, reportOk) => native.logWrite(fd, data, after, token, reportOk),
    wait: (seq) => native.logWait(seq),
    onWritten: (handler) =>
      native.onLogWritten((token, errno, dropped) =>
        handler(token, errno === 0 ? null : errnoName(errno), dropped),
      ),
  };
  return logWriter;
}

let logWriter: LogWriter | undefined;

/** ENOENT for 2. libuv's names lack some an exec can fail with (ENOEXEC, ETXTBSY...); os.constants has them. */
function errnoName(errno: number): string {
  errnoNames ??= new Map(
    Object.entries(constants.errno)
      .reverse()
      .map(([name, n]) => [n, name]),
  );
  const known = errnoNames.get(errno);
  if (known !== undefined) return known;
  try {
    return getSystemErrorName(-errno);
  } catch {
    return `errno ${errno}`;
  }
}

let errnoNames: Map<number, string> | undefined;
