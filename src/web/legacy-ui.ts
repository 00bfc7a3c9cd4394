// Pure: supervisor's old web UI URLs. Its status page ran actions from GET query strings
// (`/?processname=web&action=stop`): scripts and monitoring still call them with curl, so they act here too,
// but not for a browser request that may come from another site's page (fromAnotherSite); that only leads
// to the new page. `tail.html` opens the same process's log view.
import type { IncomingHttpHeaders } from 'node:http';
import { foreignOriginRefusal } from '../http/same-origin.js';

/** The `action=` values of supervisor's old status page. */
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

/** What a request for the page asks: the page, a redirect, an old-style action, or nothing found. */
export type PageRequest =
  | { readonly kind: 'page' }
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'action'; readonly action: LegacyAction; readonly namespec: string }
  | { readonly kind: 'not-found' }
  /** An action supervisor's page cannot carry out (unknown, or a process action without a name): its HTTP 500. */
  | { readonly kind: 'bad-action' };

/** The actions that need a `processname`; supervisor's page has no other. */
const PROCESS_ACTIONS: ReadonlySet<string> = new Set<LegacyAction>(['start', 'stop', 'restart', 'clearlog']);

/**
 * What `/`, `/index.html` and `/tail.html` answer. `action` (supervisor's `processname` beside it), in the
 * query of a GET or a POST or in a POST's form (`formQuery`), acts when `headers` show no other site behind
 * the request (an unknown one, or a process action without a name, is `bad-action`); any other query, or a
 * POST without an action, redirects to the bare page.
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
  // An empty action is none, as in supervisor's page (`if action:`).
  if ((method === 'GET' || method === 'POST') && action && !fromAnotherSite(headers)) {
    const namespec = params.get('processname') ?? '';
    // supervisor raises ValueError for these, and a script sees 500, not a page that looks like success.
    if (!ACTIONS.has(action) || (PROCESS_ACTIONS.has(action) && namespec === ''))
      return { kind: 'bad-action' };
    return { kind: 'action', action: action as LegacyAction, namespec };
  }
  if (method === 'POST' || query !== '') return { kind: 'redirect', location: './' };
  return { kind: 'page' };
}

/**
 * The fields of a page request as supervisor's page reads them (web.py, continue_request): the first value
 * of each query field, then every field of a POSTed urlencoded form over it, the last of a name winning.
 */
export function formQuery(query: string, form: string): string {
  const fields = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(query)) if (!fields.has(name)) fields.set(name, value);
  for (const [name, value] of new URLSearchParams(form)) fields.set(name, value);
  return new URLSearchParams([...fields]).toString();
}

/**
 * True unless the request is a script's or comes from this server's own page. A navigation from another site
 * carries the user's cached Basic credentials, and over plain http to a LAN address Chromium sends no
 * Sec-Fetch-* headers, no Origin on a GET, and a page can suppress Referer; but every browser navigation
 * says it wants HTML (`Accept: text/html`) and sends `Upgrade-Insecure-Requests`. So: with Sec-Fetch-Site it
 * must be same-origin or none (typed, bookmarked); a browser without it must show a Referer from this
 * server; and an Origin or Referer naming another host always refuses. curl, wget and scripts send none of
 * these and act, as with supervisor.
 */
function fromAnotherSite(headers: IncomingHttpHeaders): boolean {
  if (foreignOriginRefusal(headers) !== null) return true;
  const referer = headers.referer;
  let sameOriginReferer = false;
  if (referer !== undefined) {
    let origin: string;
    try {
      origin = new URL(referer).origin;
    } catch {
      return true;
    }
    if (foreignOriginRefusal({ ...headers, origin }) !== null) return true;
    sameOriginReferer = true;
  }
  const site = headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const browser =
    headers['upgrade-insecure-requests'] !== undefined || /text\/html/i.test(headers.accept ?? '');
  return browser && !sameOriginReferer;
}

/**
 * Python's urllib.parse.quote(): every byte but letters, digits, `_.-~` and `/` as %XX. supervisor's page
 * quotes the `message` of its redirect so; encodeURIComponent would leave `!'()*` and escape `/`.
 */
export function pythonQuote(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, '/');
}

/** The page a path names, as supervisor's page reads it: leading slashes are dropped (`//index.html`). */
export function pagePath(path: string): string {
  return `/${path.replace(/^\/+/, '')}`;
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
