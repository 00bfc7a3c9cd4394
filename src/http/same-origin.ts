// Pure: the cross-site check shared by /RPC2 and the JSON API under /api.
import type { IncomingHttpHeaders } from 'node:http';
import { excerptOf } from '../model/excerpt.js';

/**
 * Why a request whose `Origin` names another site is refused, or null to let it through. A browser
 * attaches cached Basic credentials to every request to this server, including a cross-site page's
 * `fetch` or form post; it also sends `Origin` with it, which a page cannot forge. So `Origin`, when
 * present, must name this server (its host and port, as the `Host` header gives them); `null` and
 * unparsable origins are refused. Without `Origin` (supervisorctl, xmlrpc libraries, curl) nothing is
 * decided here.
 */
export function foreignOriginRefusal(headers: IncomingHttpHeaders): string | null {
  const origin = headers.origin;
  if (origin === undefined) return null;
  const shown = excerptOf(origin);
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return `cross-origin request refused (Origin ${shown})`;
  }
  return host !== '' && host === headers.host ? null : `cross-origin request refused (Origin ${shown})`;
}
