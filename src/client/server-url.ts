// Pure: supervisorctl's serverurl, `http://host[:port]` or `unix:///path` (spec §2.6.4), and the daemon a
// configuration names.
import type { ControlSettings } from '../model/config.js';
import { inetServerUrl } from '../model/inet-address.js';

/** A parsed serverurl: a unix socket path, or an http host and port (80 when none is given). */
export type ServerUrl =
  | { readonly kind: 'unix'; readonly url: string; readonly socketPath: string }
  | { readonly kind: 'http'; readonly url: string; readonly host: string; readonly port: number };

/** The parsed URL, or supervisorctl's message for one it refuses. */
export type ServerUrlResult =
  { readonly ok: true; readonly value: ServerUrl } | { readonly ok: false; readonly message: string };

/** As SupervisorTransport: anything but http:// and unix:// is refused with its message. */
export function parseServerUrl(url: string): ServerUrlResult {
  const unknown = { ok: false, message: `Unknown protocol for serverurl ${url}` } as const;
  if (url.startsWith('unix://')) {
    const socketPath = url.slice('unix://'.length);
    return socketPath === '' ? unknown : { ok: true, value: { kind: 'unix', url, socketPath } };
  }
  if (!url.startsWith('http://')) return unknown;
  const portProblem = pythonPortProblem(url);
  if (portProblem) return { ok: false, message: portProblem };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, message: `Invalid serverurl ${url}` };
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') return { ok: false, message: `Invalid serverurl ${url}` };
  return {
    ok: true,
    value: { kind: 'http', url, host, port: parsed.port === '' ? 80 : Number(parsed.port) },
  };
}

/** How to reach the daemon a configuration runs, and with which credentials. */
export interface ConfiguredServer {
  readonly serverUrl: string;
  readonly username: string | null;
  readonly password: string | null;
}

/**
 * The daemon `config` runs: its unix socket, else its inet server (a wildcard host as 127.0.0.1), else
 * [supervisorctl] serverurl; the credentials of [supervisorctl], else of that server. svd's own commands
 * (`svd diff`, `svd ctl -f`) find it so; supervisorctl's -c reads [supervisorctl] alone.
 */
export function configuredServer(config: ControlSettings): ConfiguredServer {
  const server = config.unix_http_server ?? config.inet_http_server;
  let serverUrl = config.supervisorctl.serverurl;
  if (config.unix_http_server) serverUrl = `unix://${config.unix_http_server.file}`;
  else if (config.inet_http_server)
    serverUrl = inetServerUrl(config.inet_http_server.port, '127.0.0.1') ?? serverUrl;
  return {
    serverUrl,
    username: config.supervisorctl.username ?? server?.username ?? null,
    password: config.supervisorctl.password ?? server?.password ?? null,
  };
}

/**
 * What Python's urllib says of an http URL's port, which supervisorctl's transport reads: digits only (no sign),
 * at most 65535. Null when the port is fine or absent.
 */
function pythonPortProblem(url: string): string | null {
  const netloc = /^http:\/\/([^/?#]*)/.exec(url)?.[1] ?? '';
  const hostinfo = netloc.slice(netloc.lastIndexOf('@') + 1);
  // As Python: the port follows the `]` of a bracketed host, else the first `:`.
  const open = hostinfo.indexOf('[');
  const close = open < 0 ? -1 : hostinfo.indexOf(']', open);
  if (open >= 0 && close < 0) return null;
  const afterHost = open < 0 ? hostinfo : hostinfo.slice(close + 1);
  const colon = afterHost.indexOf(':');
  const port = colon >= 0 ? afterHost.slice(colon + 1) : '';
  if (port === '') return null;
  if (!/^[0-9]+$/.test(port)) return `Port could not be cast to integer value as '${port}'`;
  return Number(port) > 65535 ? 'Port out of range 0-65535' : null;
}
