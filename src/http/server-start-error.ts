// Why an HTTP server could not start, in supervisor's words (spec §3.10): supervisord exits 2 with it.
import { constants } from 'node:os';

/** supervisord's message (two spaces included) when an HTTP server's address is taken. */
export const ADDRESS_IN_USE_MESSAGE =
  'Another program is already listening on a port that one of our HTTP servers is configured to use.  ' +
  'Shut this program down first before starting supervisord.';

/** An HTTP server could not start; `message` is supervisor's, and the daemon exits 2 with it. */
export class HttpServerStartError extends Error {
  override readonly name = 'HttpServerStartError';
  /** The config section: unix_http_server or inet_http_server. */
  readonly section: string;
  constructor(section: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.section = section;
  }
}

/** A listen/bind failure as supervisor reports it: address in use, or `errno.<NAME> (<n>)`. */
export function startErrorFrom(section: string, error: unknown): HttpServerStartError {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE')
    return new HttpServerStartError(section, ADDRESS_IN_USE_MESSAGE, { cause: error });
  const hostname = (error as { hostname?: unknown } | null)?.hostname;
  if ((code === 'ENOTFOUND' || code === 'EAI_AGAIN') && typeof hostname === 'string') {
    // supervisord prints the bare getaddrinfo number (-2 for a name that does not resolve, -3 for a lookup that
    // could not be made); the host and the option are what the reader needs.
    const number = code === 'ENOTFOUND' ? -2 : -3;
    const why = code === 'ENOTFOUND' ? 'does not resolve' : 'could not be looked up now';
    return new HttpServerStartError(
      section,
      `Cannot open an HTTP server: socket.error reported ${number} (the host ${hostname} of [${section}] port= ${why})`,
      { cause: error },
    );
  }
  const name = typeof code === 'string' ? code : 'UNKNOWN';
  const number = (constants.errno as Record<string, number | undefined>)[name];
  const text = number === undefined ? `${name}` : `errno.${name} (${number})`;
  return new HttpServerStartError(section, `Cannot open an HTTP server: socket.error reported ${text}`, {
    cause: error,
  });
}
