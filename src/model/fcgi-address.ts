// Pure: the socket of an [fcgi-program:x] (spec §2.6.10) — `tcp://host:port` or `unix:///absolute/path`.

/** An [fcgi-program:x] socket=: tcp host and port, or an absolute unix path; `url` as supervisor logs it. */
export type FcgiAddress =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly url: string }
  | { readonly kind: 'unix'; readonly path: string; readonly url: string };

/**
 * Parses a socket URL as supervisor does: the tcp host lower-cased and without blanks or colons (so no IPv6
 * literal), the unix path absolute. `url` is supervisor's spelling of the address, used in its log lines.
 */
export function parseFcgiAddress(socket: string): FcgiAddress | null {
  if (socket.startsWith('unix://')) {
    const path = socket.slice('unix://'.length);
    return path.startsWith('/') ? { kind: 'unix', path, url: `unix://${path}` } : null;
  }
  const m = /^tcp:\/\/([^\s:]+):(\d+)$/.exec(socket);
  if (!m?.[1] || !m[2]) return null;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return null;
  const host = m[1].toLowerCase();
  return { kind: 'tcp', host, port, url: `tcp://${host}:${port}` };
}

/** Linux's SOMAXCONN (listen clamps it to net.core.somaxconn): supervisor's backlog when none is set. */
export const DEFAULT_BACKLOG = 4096;
