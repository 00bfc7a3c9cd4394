// Effect: binds an HTTP server to a unix socket as supervisor does (spec §2.6.2): bind a temporary
// name, chmod it, hard-link it into place (atomic: a live socket is never replaced), chown it.
import { chmodSync, chownSync, linkSync, lstatSync, statSync, unlinkSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import { HttpServerStartError, ADDRESS_IN_USE_MESSAGE, startErrorFrom } from './server-start-error.js';
import type { SocketOwner } from './socket-owner.js';
import { listenServer } from './listen-server.js';
import { unixSocketPathTooLong } from '../model/unix-socket-path.js';

const SECTION = 'unix_http_server';
const LISTEN_BACKLOG = 1024;
/**
 * The bind makes the file with the process's umask, and the daemon's is umask= by then (supervisord binds before
 * it applies one): under umask=000 anyone could connect to the temporary name until the chmod. Only the owner can.
 */
const OWNER_ONLY_UMASK = 0o077;

/** The socket file, its mode and owner, and who is told before a stale file is removed. */
export interface UnixSocketOptions {
  readonly file: string;
  /** Mode of the socket file, e.g. 0o700. */
  readonly mode: number;
  readonly owner: SocketOwner | null;
  /** Told before a stale socket file is removed. Default: `Unlinking stale socket <file>` on stderr. */
  readonly onStale?: ((file: string) => void) | undefined;
}

/** supervisor's checkused: a socket that accepts a connection belongs to a live server. */
export function isSocketAlive(file: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ path: file });
    const finish = (alive: boolean): void => {
      socket.destroy();
      resolve(alive);
    };
    socket.setTimeout(timeoutMs, () => finish(true));
    socket.once('connect', () => socket.write('GET / HTTP/1.0\r\n\r\n'));
    socket.once('data', () => finish(true));
    socket.once('end', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** True for a socket, and for a path gone since (the next link attempt decides). */
function isSocketFile(path: string): boolean {
  try {
    return lstatSync(path).isSocket();
  } catch {
    return true;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Listens on `file`. A live server there → HttpServerStartError (address in use); a stale file is
 * unlinked after `onStale`. Resolves to the socket file's inode, which `removeSocketFile` checks so
 * that closing never removes a socket another daemon has since put there.
 */
export async function listenOnUnixSocket(server: Server, options: UnixSocketOptions): Promise<number> {
  const { file } = options;
  const onStale = options.onStale ?? ((f: string) => process.stderr.write(`Unlinking stale socket ${f}\n`));
  const temp = `${file}.${process.pid}`;
  // supervisord binds the temporary name first too, so that is the name whose length counts.
  if (unixSocketPathTooLong(temp))
    throw new HttpServerStartError(
      SECTION,
      'Cannot open an HTTP server: socket.error reported AF_UNIX path too long',
    );
  unlinkQuietly(temp);
  try {
    await listenServer(server, { path: temp, backlog: LISTEN_BACKLOG }, OWNER_ONLY_UMASK);
  } catch (error) {
    throw startErrorFrom(SECTION, error);
  }
  try {
    chmodSync(temp, options.mode);
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(temp, file);
        break;
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw startErrorFrom(SECTION, error);
        // supervisor unlinks whatever is there; a file or folder at the socket's path is more likely a typo.
        if (!isSocketFile(file))
          throw new HttpServerStartError(SECTION, `${file} exists and is not a socket; not removing it`);
        if (attempt >= 5 || (await isSocketAlive(file)))
          throw new HttpServerStartError(SECTION, ADDRESS_IN_USE_MESSAGE);
        onStale(file);
        unlinkQuietly(file);
      }
    }
    if (options.owner) chownSocket(file, options.owner);
    return statSync(file).ino;
  } catch (error) {
    server.close();
    throw error instanceof HttpServerStartError ? error : startErrorFrom(SECTION, error);
  } finally {
    unlinkQuietly(temp);
  }
}

function chownSocket(file: string, owner: SocketOwner): void {
  try {
    chownSync(file, owner.uid, owner.gid);
  } catch (error) {
    unlinkQuietly(file);
    if (errorCode(error) !== 'EPERM') throw startErrorFrom(SECTION, error);
    throw new HttpServerStartError(
      SECTION,
      `Not permitted to chown ${file} to uid/gid (${owner.uid}, ${owner.gid}); adjust "sockchown" value in ` +
        `config file or on command line to values that the current user (${userInfo().username}) can ` +
        'successfully chown',
      { cause: error },
    );
  }
}

/** Whether `file` is still the socket file `listenOnUnixSocket` made (its inode). */
export function isSocketFileOf(file: string, ino: number): boolean {
  try {
    return statSync(file).ino === ino;
  } catch {
    return false;
  }
}

/** Removes the socket file at close, if it is still ours. */
export function removeSocketFile(file: string, ino: number): void {
  try {
    if (statSync(file).ino === ino) unlinkSync(file);
  } catch {
    // Gone already, or not ours to remove.
  }
}
