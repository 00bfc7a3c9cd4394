// Effect: whether a server the configuration asks for already has a live server at its address, asked before a
// daemon touches anything on disk. supervisord finds out only when it binds, after it has deleted the AUTO logs
// in childlogdir and made new ones: a second supervisord started on a running one's configuration (another
// pidfile, or none left) deletes the running daemon's logs before it is refused.
import { connect, isIP } from 'node:net';
import { parseInetAddress } from '../model/inet-address.js';
import { isSocketAlive } from './unix-socket.js';

const PROBE_TIMEOUT_MS = 1000;

/** Whether something accepts a TCP connection at host:port (every interface is asked at 127.0.0.1). */
function isPortAlive(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    // A name is bound as its IPv4 address (http-servers.ts), so it is asked for there too.
    const socket = connect(
      host === '' ? { host: '127.0.0.1', port } : isIP(host) ? { host, port } : { host, port, family: 4 },
    );
    const finish = (alive: boolean): void => {
      socket.destroy();
      resolve(alive);
    };
    // A connection neither made nor refused in time: the bind that follows decides.
    socket.setTimeout(PROBE_TIMEOUT_MS, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** The addresses the configuration's HTTP servers would listen on. */
export interface ServerAddresses {
  /** [unix_http_server] file=, or null. */
  readonly unixFile: string | null;
  /** [inet_http_server] port=, as written, or null. */
  readonly inetPort: string | null;
}

/**
 * Whether a live server holds either address. A socket file that accepts no connection is stale, not in use,
 * as the bind will find it; a value that does not parse is left to the bind to report.
 */
export async function addressInUse(addresses: ServerAddresses): Promise<boolean> {
  if (addresses.unixFile !== null && (await isSocketAlive(addresses.unixFile, PROBE_TIMEOUT_MS))) return true;
  if (addresses.inetPort === null) return false;
  const parsed = parseInetAddress(addresses.inetPort);
  return parsed.ok && (await isPortAlive(parsed.address.host, parsed.address.port));
}
