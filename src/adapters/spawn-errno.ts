// Effect: the errno of a failed child_process.spawn, at once. Node reports EAGAIN, EMFILE, ENFILE, EACCES and
// ENOENT only by a later 'error' event (the child then has no pid); its internal process handle returns it now.
import { ChildProcess } from 'node:child_process';
import { getSystemErrorName } from 'node:util';
import { pyRepr } from './split-command.js';

interface ProcessHandle {
  spawn(this: unknown, options: unknown): unknown;
}

let handlePrototype: ProcessHandle | null | undefined;

/** The prototype of Node's process handle (process_wrap), or null when this Node has no such thing. */
function processHandlePrototype(): ProcessHandle | null {
  if (handlePrototype !== undefined) return handlePrototype;
  handlePrototype = null;
  try {
    const handle = (new ChildProcess() as unknown as { _handle?: unknown })._handle;
    const proto: unknown = handle ? Object.getPrototypeOf(handle) : null;
    if (proto && typeof (proto as { spawn?: unknown }).spawn === 'function')
      handlePrototype = proto as ProcessHandle;
  } catch {
    // No detail then: the generic message.
  }
  return handlePrototype;
}

/** Runs `spawn` (one child_process.spawn call) and returns the errno name its handle returned, if any. */
export function withSpawnErrno<T>(spawn: () => T): { result: T; errno: string | null } {
  const proto = processHandlePrototype();
  if (!proto) return { result: spawn(), errno: null };
  const original = proto.spawn;
  let code: unknown;
  proto.spawn = function (this: unknown, options: unknown) {
    code = original.call(this, options);
    return code;
  };
  try {
    const result = spawn();
    let errno: string | null = null;
    if (typeof code === 'number' && code < 0) {
      try {
        errno = getSystemErrorName(code);
      } catch {
        errno = String(code);
      }
    }
    return { result, errno };
  } finally {
    proto.spawn = original;
  }
}

/**
 * The spawnerr for a spawn that failed with `errno` (null: unknown), in supervisor's words where supervisor has
 * them (spec §3.3 steps 3-5: EMFILE making the pipes, EAGAIN at fork; a command gone since the check), else
 * supervisor's `unknown error ...: ERRNO` with the errno's name.
 */
export function spawnErrorMessage(name: string, file: string, errno: string | null): string {
  switch (errno) {
    case null:
      return `unknown error during fork for '${name}'`;
    case 'EMFILE':
      return `too many open files to spawn '${name}'`;
    case 'EAGAIN':
      return `Too many processes in process table to spawn '${name}'`;
    case 'ENFILE':
      // The system's file table is full: only the pipes (supervisor's dispatchers) allocate files here.
      return `unknown error making dispatchers for '${name}': ENFILE`;
    case 'ENOENT':
      return `can't find command ${pyRepr(file)}`;
    case 'EACCES':
      return `no permission to run command ${pyRepr(file)}`;
    default:
      return `unknown error during fork for '${name}': ${errno}`;
  }
}
