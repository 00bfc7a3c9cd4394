// Effect: a listening socket the daemon holds but never accepts on, for [fcgi-program:x] children to inherit as
// fd 0 (spec §2.6.10).
//
// Why not net.Server: a listening net.Server makes this process accept connections too (stealing them from the
// children), and a child setting its fd 0 back to blocking — libuv does so for stdio — would then block the
// daemon's own accept. So the socket is bound here through Node's raw TCP/Pipe handles (no watcher, no accept),
// listen(2) is called by a short-lived `node` helper that gets the socket as its fd 0 (a listening state belongs
// to the socket, not to the process, and survives the helper), and children get the descriptor through
// child_process's documented numeric `stdio` entry. The raw handles (`process.binding`) are the one
// undocumented part: isolated here and checked by the fcgi integration tests.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, unlinkSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname } from 'node:path';
import { getSystemErrorMap } from 'node:util';
import { isIP } from 'node:net';
import type { FcgiAddress } from '../model/fcgi-address.js';
import { unixSocketPathTooLong } from '../model/unix-socket-path.js';

interface RawHandle {
  readonly fd: number;
  bind(address: string, port: number): number;
  getsockname(out: object): number;
  close(): void;
}
interface RawPipe {
  readonly fd: number;
  bind(path: string): number;
  close(): void;
}
interface RawBindings {
  tcp: { TCP: new (type: number) => RawHandle; constants: { SERVER: number } };
  pipe: { Pipe: new (type: number) => RawPipe; constants: { SERVER: number } };
}

function rawBindings(): RawBindings {
  const binding = (process as unknown as { binding(name: string): unknown }).binding;
  return {
    tcp: binding('tcp_wrap') as RawBindings['tcp'],
    pipe: binding('pipe_wrap') as RawBindings['pipe'],
  };
}

/** A bound, listening socket the daemon holds without accepting on it. */
export interface ListeningSocket {
  /** The descriptor children get as fd 0. */
  readonly fd: number;
  /** Closes the socket (and unlinks a unix socket's file). Idempotent. */
  close(): void;
}

/** listen(2)'s backlog, and a unix socket file's owner and mode. */
export interface ListenOptions {
  readonly backlog: number;
  /** Unix sockets: chown to (uid, gid) after bind; gid -1 keeps the group. */
  readonly owner?: { readonly uid: number; readonly gid: number } | null | undefined;
  /** Unix sockets: chmod after bind. */
  readonly mode?: number | null | undefined;
}

/** The socket, or why it could not be opened, worded as Python's (`[Errno 98] Address already in use`). */
export type ListenOutcome =
  { readonly ok: true; readonly socket: ListeningSocket } | { readonly ok: false; readonly message: string };

/** An errno as Python's OSError prints it: `[Errno 98] Address already in use`. */
function errnoText(code: number): string {
  const entry = getSystemErrorMap().get(code);
  const text = entry ? entry[1].charAt(0).toUpperCase() + entry[1].slice(1) : `error ${code}`;
  return `[Errno ${Math.abs(code)}] ${text}`;
}

function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return typeof err.errno === 'number' ? errnoText(err.errno) : String(err.message ?? e);
}

/** Runs listen(2) on `fd` in a helper that exits before its event loop could ever accept. */
function listenOn(fd: number, backlog: number): string | null {
  const script =
    "const s=require('net').createServer();s.on('error',e=>{process.stderr.write(String(e.errno));process.exit(1)});" +
    `s.listen({fd:0},${backlog},()=>process.exit(0));`;
  const r = spawnSync(process.execPath, ['-e', script], {
    stdio: [fd, 'ignore', 'pipe'],
    env: {},
    timeout: 30_000,
  });
  if (r.status === 0) return null;
  const errno = Number(r.stderr?.toString().trim());
  return Number.isInteger(errno) && errno < 0
    ? errnoText(errno)
    : `listen failed (${r.error?.message ?? r.status})`;
}

/** An IPv4 address for `host`: a literal as is, any other name through the resolver (in a helper: this is sync). */
function resolveIPv4(host: string): { address: string } | { error: string } {
  if (isIP(host) === 4) return { address: host };
  if (host === 'localhost') return { address: '127.0.0.1' };
  const script = `require('dns').lookup(process.argv[1],{family:4},(e,a)=>{if(e){process.stderr.write(e.code);process.exit(1)}process.stdout.write(a)})`;
  const r = spawnSync(process.execPath, ['-e', script, host], { env: {}, timeout: 30_000 });
  if (r.status === 0) return { address: r.stdout.toString() };
  return { error: `[Errno -2] Name or service not known (${r.stderr?.toString() || 'lookup failed'})` };
}

function holdUntilClosed(
  handle: { readonly fd: number; close(): void },
  cleanup?: () => void,
): ListeningSocket {
  let open = true;
  return {
    fd: handle.fd,
    close() {
      if (!open) return;
      open = false;
      handle.close();
      cleanup?.();
    },
  };
}

/**
 * libuv reports a unix socket bound in a missing directory as EACCES (what Windows answers); the kernel said
 * ENOENT, which is what supervisor prints and what the user needs to hear.
 */
function pipeBindErrno(err: number, path: string): number {
  return err === -constants.errno.EACCES && !existsSync(dirname(path)) ? -constants.errno.ENOENT : err;
}

/** Creates, binds and listens on `address`, like supervisor's SocketManager (a stale unix socket file is replaced). */
export function openListeningSocket(address: FcgiAddress, options: ListenOptions): ListenOutcome {
  const raw = rawBindings();
  if (address.kind === 'tcp') {
    const resolved = resolveIPv4(address.host);
    if ('error' in resolved) return { ok: false, message: resolved.error };
    const handle = new raw.tcp.TCP(raw.tcp.constants.SERVER);
    // libuv defers a bind's EADDRINUSE to the next call on the handle; getsockname reports it (a listen on the
    // unbound socket would pick a random port instead).
    const bound = handle.bind(resolved.address, address.port);
    const err = bound !== 0 ? bound : handle.getsockname({});
    if (err !== 0) {
      handle.close();
      return { ok: false, message: errnoText(err) };
    }
    const failure = listenOn(handle.fd, options.backlog);
    if (failure) {
      handle.close();
      return { ok: false, message: failure };
    }
    return { ok: true, socket: holdUntilClosed(handle) };
  }

  const path = address.path;
  const unlinkSocket = () => {
    try {
      if (lstatSync(path).isSocket()) unlinkSync(path);
    } catch {
      // Already gone.
    }
  };
  try {
    lstatSync(path);
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return { ok: false, message: errorText(e) };
  }
  // Python's bind refuses it; libuv would bind the path cut to 107 bytes.
  if (unixSocketPathTooLong(path)) return { ok: false, message: 'AF_UNIX path too long' };
  const handle = new raw.pipe.Pipe(raw.pipe.constants.SERVER);
  const err = handle.bind(path);
  if (err !== 0) {
    handle.close();
    return { ok: false, message: errnoText(pipeBindErrno(err, path)) };
  }
  const fail = (message: string): ListenOutcome => {
    handle.close();
    unlinkSocket();
    return { ok: false, message };
  };
  try {
    if (options.owner) chownSync(path, options.owner.uid, options.owner.gid);
  } catch (e) {
    return fail(`Could not change ownership of socket file: ${errorText(e)}`);
  }
  try {
    if (options.mode !== null && options.mode !== undefined) chmodSync(path, options.mode);
  } catch (e) {
    return fail(`Could not change permissions of socket file: ${errorText(e)}`);
  }
  const failure = listenOn(handle.fd, options.backlog);
  if (failure) return fail(failure);
  return { ok: true, socket: holdUntilClosed(handle, unlinkSocket) };
}
