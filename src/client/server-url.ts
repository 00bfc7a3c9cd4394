// Pure: supervisorctl's serverurl, `http://host[:port]` or `unix:///path` (spec §2.6.4), and the daemon a
// configuration names.
import type { ControlSettings } from '../model/config.js';
import { inetServerUrl } from '../model/inet-address.js';
import { pythonRepr } from '../model/python-repr.js';
import { hostnameOf, portOf, urlparse, type UrlSplitProblem } from './python-url.js';

/** A parsed serverurl: a unix socket path, or an http host and port (80 when none is given). */
export type ServerUrl =
  | { readonly kind: 'unix'; readonly url: string; readonly socketPath: string }
  | { readonly kind: 'http'; readonly url: string; readonly host: string; readonly port: number };

/**
 * Why supervisorctl's transport refuses a serverurl before it connects, each raised in its own place: ValueError
 * for an unknown protocol, for what urlsplit refuses and for a bad port; TypeError for no host (http.client's check
 * of None); http.client.InvalidURL for a control character in the host; UnicodeError for a host the idna codec
 * cannot encode.
 */
export type ServerUrlProblem =
  | 'unknown-protocol'
  | UrlSplitProblem
  | 'port-not-integer'
  | 'port-out-of-range'
  | 'no-host'
  | 'control-character'
  | 'idna-label';

/** The parsed URL, or why supervisorctl refuses it and its message. */
export type ServerUrlResult =
  | { readonly ok: true; readonly value: ServerUrl }
  | { readonly ok: false; readonly problem: ServerUrlProblem; readonly message: string };

/**
 * As SupervisorTransport and the http.client connection it makes: anything but http:// and unix:// is refused;
 * an http URL is read by Python's urlparse (a bracketed host must be an IP address, the port ASCII digits up to
 * 65535), and its host must be there, free of control characters and fit for the idna codec.
 */
export function parseServerUrl(url: string): ServerUrlResult {
  const unknown = {
    ok: false,
    problem: 'unknown-protocol',
    message: `Unknown protocol for serverurl ${url}`,
  } as const;
  if (url.startsWith('unix://')) {
    const socketPath = url.slice('unix://'.length);
    return socketPath === '' ? unknown : { ok: true, value: { kind: 'unix', url, socketPath } };
  }
  if (!url.startsWith('http://')) return unknown;
  const parsed = urlparse(url);
  if (!parsed.ok) return parsed;
  const netloc = parsed.parts.netloc;
  const port = portOf(netloc);
  if (!port.ok) return port;
  const host = hostnameOf(netloc);
  if (host === null)
    return { ok: false, problem: 'no-host', message: "expected string or bytes-like object, got 'NoneType'" };
  const control = /[\x00-\x20\x7f]/.exec(host)?.[0];
  if (control !== undefined)
    return {
      ok: false,
      problem: 'control-character',
      message: `URL can't contain control characters. ${pythonRepr(host)} (found at least ${pythonRepr(control)})`,
    };
  const idna = idnaProblem(host);
  if (idna !== null)
    return {
      ok: false,
      problem: 'idna-label',
      message: `encoding with 'idna' codec failed (UnicodeError: ${idna})`,
    };
  return { ok: true, value: { kind: 'http', url, host, port: port.port ?? 80 } };
}

/**
 * What Python's idna codec says of a host's labels before any lookup: each but the last 1 to 63 characters, the
 * last under 64. Only labels of ASCII are judged; the resolver judges the rest.
 */
function idnaProblem(host: string): string | null {
  if (/^[\x00-\x7f]*$/.test(host)) {
    const labels = host.split('.');
    const last = labels.pop() as string;
    if (labels.some((l) => l.length === 0 || l.length > 63)) return 'label empty or too long';
    return last.length > 63 ? 'label too long' : null;
  }
  // Beyond ASCII the codec splits at every full stop Unicode has, and a trailing one ends the name.
  const labels = host.split(/[.\u3002\uff0e\uff61]/);
  if (labels[labels.length - 1] === '') labels.pop();
  const bad = labels.some((l) => /^[\x00-\x7f]*$/.test(l) && (l.length === 0 || l.length > 63));
  return bad ? 'label empty or too long' : null;
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
