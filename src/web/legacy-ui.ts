// Pure: supervisor's old web UI URLs. Its status page ran actions from GET query strings
// (`/?processname=web&action=stop`): scripts and monitoring still call them with curl, so they act here too,
// but only for a request no other site's page can have sent (a browser marks those with Sec-Fetch-Site, Origin
// or Referer); anything else only leads to the new page. `tail.html` opens the same process's log view.
import type { IncomingHttpHeaders } from 'node:http';
import { foreignOriginRefusal } from '../http/same-origin.js';

export type LegacyAction = 'refresh' | 'stopall' | 'restartall' | 'start' | 'stop' | 'restart' | 'clearlog';

const ACTIONS: ReadonlySet<string> = new Set<LegacyAction>([
  'refresh',
  'stopall',
  'restartall',
  'start',
  'stop',
  'restart',
  'clearlog',
]);

export type PageRequest =
  | { readonly kind: 'page' }
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'action'; readonly action: LegacyAction; readonly namespec: string }
  | { readonly kind: 'not-found' };

/**
 * What `/`, `/index.html` and `/tail.html` answer. `?action=` (supervisor's `processname` beside it) acts
 * when `headers` show no other site behind the request; any other query, or a POST, redirects to the bare page.
 */
export function pageRequest(
  method: string,
  path: string,
  query: string,
  headers: IncomingHttpHeaders = {},
): PageRequest {
  const params = new URLSearchParams(query);
  if (path === '/tail.html') {
    const name = params.get('processname');
    return { kind: 'redirect', location: name ? `./#log=${encodeURIComponent(name)}` : './' };
  }
  if (path !== '/' && path !== '/index.html') return { kind: 'not-found' };
  const action = params.get('action');
  if (method === 'GET' && action !== null && ACTIONS.has(action) && !fromAnotherSite(headers))
    return { kind: 'action', action: action as LegacyAction, namespec: params.get('processname') ?? '' };
  if (method === 'POST' || query !== '') return { kind: 'redirect', location: './' };
  return { kind: 'page' };
}

/**
 * True when a browser says another site's page sent the request (an image or link there would carry the
 * user's cached Basic credentials): Sec-Fetch-Site other than same-origin or none, or an Origin or Referer
 * naming another host. curl, wget and monitoring scripts send none of these.
 */
export function fromAnotherSite(headers: IncomingHttpHeaders): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  if (foreignOriginRefusal(headers) !== null) return true;
  const referer = headers.referer;
  if (referer === undefined) return false;
  let origin: string;
  try {
    origin = new URL(referer).origin;
  } catch {
    return true;
  }
  return foreignOriginRefusal({ ...headers, origin }) !== null;
}

/** Python's time.ctime(): `Sun Nov  1 17:05:09 2026`, as supervisor's page messages carry it. */
export function ctime(date: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${days[date.getDay()]} ${months[date.getMonth()]} ${String(date.getDate()).padStart(2, ' ')} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())} ${date.getFullYear()}`
  );
}
