// Pure: the [inet_http_server] port= value, `port`, `:port`, `*:port` or `host:port` (spec §2.4): one parser for
// the loader that checks it and the server that listens on it.

/** Where an inet HTTP server listens. */
export interface InetAddress {
  /** Lower-cased host; '' means every interface. */
  readonly host: string;
  readonly port: number;
}

/** The address, or supervisor's message for a bad port= value. */
export type InetAddressResult =
  { readonly ok: true; readonly address: InetAddress } | { readonly ok: false; readonly message: string };

type PortResult = { readonly port: number } | { readonly message: string };

/** supervisor's port_number: Python int() then a 1..65535 range check, with their messages. */
function portNumber(text: string): PortResult {
  if (!/^\s*[+-]?\d+\s*$/.test(text)) return { message: `invalid literal for int() with base 10: '${text}'` };
  const n = Number(text.trim());
  if (n < 1) return { message: `${n} is below lower bound (1)` };
  if (n > 65535) return { message: `${n} is above upper bound (65535)` };
  return { port: n };
}

/** As supervisor's inet_address: the last colon splits; messages are supervisor's. */
export function parseInetAddress(value: string): InetAddressResult {
  const colon = value.lastIndexOf(':');
  if (colon < 0) {
    const port = portNumber(value);
    if (!('port' in port)) return { ok: false, message: `not a valid port number: '${value}' ` };
    return { ok: true, address: { host: '', port: port.port } };
  }
  let host = value.slice(0, colon).toLowerCase();
  const portText = value.slice(colon + 1);
  if (portText === '') return { ok: false, message: `no port number specified in '${portText}'` };
  const port = portNumber(portText);
  if (!('port' in port)) return { ok: false, message: port.message };
  if (host === '*') host = '';
  // Not in supervisor (its sockets are IPv4 only): a bracketed IPv6 literal such as [::1]:9001.
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { ok: true, address: { host, port: port.port } };
}

/**
 * The http:// URL of an [inet_http_server] `port=` value, with `wildcard` for a server on every interface (`*:9001`,
 * `:9001`, `9001`): the host lower-cased, as supervisor's inet_address leaves it, and an IPv6 address in brackets
 * (`::1:9001` is `http://[::1]:9001`). Null for a value that does not parse.
 */
export function inetServerUrl(port: string, wildcard: string): string | null {
  const parsed = parseInetAddress(port);
  if (!parsed.ok) return null;
  const host = parsed.address.host === '' ? wildcard : parsed.address.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${parsed.address.port}`;
}
