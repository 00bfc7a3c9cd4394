// Effect: the errno of a failed child_process.spawn, at once. Node reports EAGAIN, EMFILE, ENFILE, EACCES and
// ENOENT only by a later 'error' event (the child then has no pid); its internal process handle returns it now.
import { ChildProcess } from 'node:child_process';
import { getSystemErrorName } from 'node:util';
import { pythonRepr } from '../model/python-repr.js';

interface ProcessHandle {
  spawn(this: unknown, options: unknown): unknown;
}

/** What the process handle's spawn returned last: 0, or a negative errno. */
let lastSpawnCode: unknown;
let hooked: boolean | undefined;

/**
 * Wraps the spawn of Node's process handle (process_wrap) once, so the return code of each call can be read.
 * Once, not around each call: changing a prototype on every spawn would throw away V8's inline caches for it.
 * False when this Node has no such handle; the generic message is used then.
 */
function hookProcessHandle(): boolean {
  if (hooked !== undefined) return hooked;
  hooked = false;
  try {
    const handle = (new ChildProcess() as unknown as { _handle?: unknown })._handle;
    const proto = (handle ? Object.getPrototypeOf(handle) : null) as ProcessHandle | null;
    if (proto && typeof proto.spawn === 'function') {
      const original = proto.spawn;
      proto.spawn = function (this: unknown, options: unknown) {
        lastSpawnCode = original.call(this, options);
        return lastSpawnCode;
      };
      hooked = true;
    }
  } catch {
    // No detail then: the generic message.
  }
  return hooked;
}

/** Runs `spawn` (one child_process.spawn call) and returns the errno name its handle returned, if any. */
export function withSpawnErrno<T>(spawn: () => T): { result: T; errno: string | null } {
  if (!hookProcessHandle()) return { result: spawn(), errno: null };
  lastSpawnCode = undefined;
  const result = spawn();
  const code = lastSpawnCode;
  if (typeof code !== 'number' || code >= 0) return { result, errno: null };
  try {
    return { result, errno: getSystemErrorName(code) };
  } catch {
    return { result, errno: String(code) };
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
      return `can't find command ${pythonRepr(file)}`;
    case 'EACCES':
      return `no permission to run command ${pythonRepr(file)}`;
    default:
      return `unknown error during fork for '${name}': ${errno}`;
  }
}
