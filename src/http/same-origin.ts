// Pure: the cross-site check shared by /RPC2 and the JSON API under /api.
import type { IncomingHttpHeaders } from 'node:http';
import { excerptOf } from '../model/excerpt.js';

/**
 * Why a request whose `Origin` names another site is refused, or null to let it through. A browser
 * attaches cached Basic credentials to every request to this server, including a cross-site page's
 * `fetch` or form post; it also sends `Origin` with it, which a page cannot forge. So `Origin`, when
 * present, must name this server: the host and port of the `Host` header, or, behind a reverse proxy that
 * rewrites `Host`, of its `X-Forwarded-Host` or `Forwarded: host=` (a cross-site page cannot add those
 * either: they are not CORS-safelisted, and this server answers no preflight). `null` and unparsable
 * origins are refused. Without `Origin` (supervisorctl, xmlrpc libraries, curl) nothing is decided here.
 */
export function foreignOriginRefusal(headers: IncomingHttpHeaders): string | null {
  const origin = headers.origin;
  if (origin === undefined) return null;
  const refused = `cross-origin request refused (Origin ${excerptOf(origin)})`;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return refused;
  }
  if (url.host === '') return refused;
  const names = [headers.host, firstValue(headers['x-forwarded-host']), forwardedHost(headers.forwarded)];
  return names.some((name) => name !== undefined && sameHost(url, name)) ? null : refused;
}

/** Whether `host` (a Host-style `name[:port]`) names the origin's host and port, default ports included. */
function sameHost(origin: URL, host: string): boolean {
  try {
    return new URL(`${origin.protocol}//${host.trim()}`).host === origin.host;
  } catch {
    return false;
  }
}

/** The first of a comma-separated header's values: the one the first proxy (nearest the browser) set. */
function firstValue(header: string | string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  return text?.split(',')[0]?.trim() || undefined;
}

/** RFC 7239: the `host=` of the first element of `Forwarded`. */
function forwardedHost(header: string | undefined): string | undefined {
  const first = firstValue(header);
  const match = first && /(?:^|;)\s*host\s*=\s*("?)([^";]+)\1/i.exec(first);
  return match ? match[2] : undefined;
}
