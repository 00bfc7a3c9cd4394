// Pure: Python's urllib.parse.urlparse as supervisorctl runs it (Debian 12's Python 3.11, with its security
// patches: leading C0 controls stripped, tab and newlines dropped, bracketed hosts checked), and the hostname and
// port of its result. supervisor's `url` option type and its XML-RPC transport both read a serverurl through it.
import { pythonRepr } from '../model/python-repr.js';

/** urlparse's six parts. */
export interface UrlParts {
  readonly scheme: string;
  readonly netloc: string;
  readonly path: string;
  readonly params: string;
  readonly query: string;
  readonly fragment: string;
}

/** Which of urlsplit's checks refused a URL; each raises ValueError in its own place. */
export type UrlSplitProblem =
  | 'unbalanced-brackets'
  | 'text-before-bracket'
  | 'text-after-bracket'
  | 'not-an-ip-address'
  | 'bad-ipvfuture'
  | 'ipv4-in-brackets'
  | 'nfkc-netloc';

/** The parts, or the ValueError urlparse raises: which check, and its message. */
export type UrlParseResult =
  | { readonly ok: true; readonly parts: UrlParts }
  | { readonly ok: false; readonly problem: UrlSplitProblem; readonly message: string };

class UrlSplitError extends Error {
  readonly problem: UrlSplitProblem;
  constructor(problem: UrlSplitProblem, message: string) {
    super(message);
    this.problem = problem;
  }
}

// What urlsplit strips from the start (every C0 control and the space) and drops everywhere.
const LEADING_C0_OR_SPACE = /^[\x00-\x20]+/;
const UNSAFE = /[\t\r\n]/g;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/;
/** Schemes whose last path segment may carry `;params`. */
const USES_PARAMS: ReadonlySet<string> = new Set([
  '',
  ...'ftp hdl prospero http imap https shttp rtsp rtspu sip sips mms sftp tel'.split(' '),
]);

/** Python's str.partition: before, whether found, after. */
function partition(text: string, separator: string): [string, boolean, string] {
  const i = text.indexOf(separator);
  return i < 0 ? [text, false, ''] : [text.slice(0, i), true, text.slice(i + separator.length)];
}

/** Python's str.rpartition's last part: what follows the last `separator`, or all of `text`. */
function afterLast(text: string, separator: string): string {
  const i = text.lastIndexOf(separator);
  return i < 0 ? text : text.slice(i + separator.length);
}

const isAscii = (text: string): boolean => /^[\x00-\x7f]*$/.test(text);

/** Python's urlparse(url): urlsplit, then `;params` off the path for the schemes that have them. */
export function urlparse(url: string): UrlParseResult {
  let rest = url.replace(LEADING_C0_OR_SPACE, '').replace(UNSAFE, '');
  let scheme = '';
  let netloc = '';
  let query = '';
  let fragment = '';
  const colon = rest.indexOf(':');
  if (colon > 0 && SCHEME.test(rest.slice(0, colon))) {
    scheme = rest.slice(0, colon).toLowerCase();
    rest = rest.slice(colon + 1);
  }
  try {
    if (rest.startsWith('//')) {
      const end = rest.slice(2).search(/[/?#]/);
      netloc = end < 0 ? rest.slice(2) : rest.slice(2, 2 + end);
      rest = end < 0 ? '' : rest.slice(2 + end);
      if (netloc.includes('[') !== netloc.includes(']'))
        throw new UrlSplitError('unbalanced-brackets', 'Invalid IPv6 URL');
      if (netloc.includes('[')) checkBracketedNetloc(netloc);
    }
    [rest, , fragment] = partition(rest, '#');
    [rest, , query] = partition(rest, '?');
    checkNetlocNfkc(netloc);
  } catch (error) {
    if (error instanceof UrlSplitError) return { ok: false, problem: error.problem, message: error.message };
    throw error;
  }
  let path = rest;
  let params = '';
  if (USES_PARAMS.has(scheme) && path.includes(';')) {
    const semicolon = path.indexOf(';', Math.max(path.lastIndexOf('/'), 0));
    if (semicolon >= 0) [path, params] = [path.slice(0, semicolon), path.slice(semicolon + 1)];
  }
  return { ok: true, parts: { scheme, netloc, path, params, query, fragment } };
}

function checkBracketedNetloc(netloc: string): void {
  const [before, open, bracketed] = partition(afterLast(netloc, '@'), '[');
  let hostname: string;
  if (open) {
    if (before !== '') throw new UrlSplitError('text-before-bracket', 'Invalid IPv6 URL');
    const [inside, , port] = partition(bracketed, ']');
    if (port !== '' && !port.startsWith(':'))
      throw new UrlSplitError('text-after-bracket', 'Invalid IPv6 URL');
    hostname = inside;
  } else {
    hostname = partition(afterLast(netloc, '@'), ':')[0];
  }
  if (hostname.startsWith('v')) {
    if (!/^v[a-fA-F0-9]+\..+$/s.test(hostname))
      throw new UrlSplitError('bad-ipvfuture', 'IPvFuture address is invalid');
    return;
  }
  if (isIpv4(hostname)) throw new UrlSplitError('ipv4-in-brackets', 'An IPv4 address cannot be in brackets');
  if (!isIpv6(hostname))
    throw new UrlSplitError(
      'not-an-ip-address',
      `${pythonRepr(hostname)} does not appear to be an IPv4 or IPv6 address`,
    );
}

/** A host such as `\u2100` that NFKC turns into `a/c` would move the URL's parts: refused. */
function checkNetlocNfkc(netloc: string): void {
  if (isAscii(netloc)) return;
  const n = netloc.replace(/[@:#?]/g, '');
  const normalized = n.normalize('NFKC');
  if (n !== normalized && /[/?#@:]/.test(normalized))
    throw new UrlSplitError(
      'nfkc-netloc',
      `netloc '${netloc}' contains invalid characters under NFKC normalization`,
    );
}

/** ipaddress.IPv4Address's parser: four decimal octets, 0..255, no leading zero. */
function isIpv4(text: string): boolean {
  const octets = text.split('.');
  return octets.length === 4 && octets.every((o) => /^(0|[1-9][0-9]{0,2})$/.test(o) && Number(o) <= 255);
}

/** ipaddress.IPv6Address's parser: hextets, one `::`, an IPv4 tail, a `%scope`. */
function isIpv6(text: string): boolean {
  if (text.includes('/')) return false;
  const [address, hasScope, scope] = partition(text, '%');
  if (hasScope && (scope === '' || scope.includes('%'))) return false;
  if (address === '') return false;
  const parts = address.split(':');
  if (parts.length < 3) return false;
  if ((parts[parts.length - 1] as string).includes('.')) {
    if (!isIpv4(parts.pop() as string)) return false;
    parts.push('0', '0');
  }
  if (parts.length > 9) return false;
  const inner = parts.slice(1, -1);
  const skips = inner.filter((p) => p === '').length;
  if (skips > 1) return false;
  let hextets = parts;
  if (skips === 1) {
    const skip = inner.indexOf('') + 1;
    let hi = parts.slice(0, skip);
    let lo = parts.slice(skip + 1);
    if (parts[0] === '') {
      if (hi.length > 1) return false;
      hi = [];
    }
    if (parts[parts.length - 1] === '') {
      if (lo.length > 1) return false;
      lo = [];
    }
    if (hi.length + lo.length > 7) return false;
    hextets = [...hi, ...lo];
  } else if (parts.length !== 8) return false;
  return hextets.every((h) => /^[0-9A-Fa-f]{1,4}$/.test(h));
}

/** `_hostinfo` of urlparse's result: the host (without brackets) and the port text, each null when empty. */
export function hostInfo(netloc: string): { readonly host: string | null; readonly port: string | null } {
  const hostinfo = afterLast(netloc, '@');
  const [, open, bracketed] = partition(hostinfo, '[');
  let host: string;
  let port: string;
  if (open) {
    const [inside, , after] = partition(bracketed, ']');
    host = inside;
    port = partition(after, ':')[2];
  } else {
    [host, , port] = partition(hostinfo, ':');
  }
  return { host: host === '' ? null : host, port: port === '' ? null : port };
}

/** The `hostname` property: the host lower-cased, but not an IPv6 zone after `%`. */
export function hostnameOf(netloc: string): string | null {
  const { host } = hostInfo(netloc);
  if (host === null) return null;
  const [address, hasZone, zone] = partition(host, '%');
  return address.toLowerCase() + (hasZone ? `%${zone}` : '');
}

/** The `port` property: ASCII digits, 0..65535; or the ValueError it raises. */
export type PortResult =
  | { readonly ok: true; readonly port: number | null }
  | {
      readonly ok: false;
      readonly problem: 'port-not-integer' | 'port-out-of-range';
      readonly message: string;
    };

export function portOf(netloc: string): PortResult {
  const { port } = hostInfo(netloc);
  if (port === null) return { ok: true, port: null };
  if (!/^[0-9]+$/.test(port))
    return {
      ok: false,
      problem: 'port-not-integer',
      message: `Port could not be cast to integer value as ${pythonRepr(port)}`,
    };
  const n = Number(port);
  if (n > 65535) return { ok: false, problem: 'port-out-of-range', message: 'Port out of range 0-65535' };
  return { ok: true, port: n };
}
