// Pure: the DNS-rebinding guard of an inet server that listens on loopback without credentials.
import { isIP } from 'node:net';
import { excerptOf } from '../model/excerpt.js';

/**
 * Why a request to a loopback server without credentials is refused for its `Host`, or null to serve it.
 * A page on any site can have its own name resolve to 127.0.0.1 and then drive such a server from the
 * visitor's browser (DNS rebinding): the browser counts it as the page's own origin, so the `Origin` check
 * passes, and there is no password to stop it. Such a request names the page's site in `Host`, which the
 * page cannot change. So `Host` must be an IP address, `localhost` (or a name under `.localhost`), or one of
 * `localNames` (the machine's own name and the names of /etc/hosts, which only the machine's admin sets).
 * No `Host` at all (HTTP/1.0 clients, hand-written requests) is served: every browser sends one.
 */
export function foreignHostRefusal(host: string | undefined, localNames: ReadonlySet<string>): string | null {
  if (host === undefined || host.trim() === '') return null;
  const name = hostName(host);
  if (name !== null && (isIP(name) !== 0 || isLocalName(name, localNames))) return null;
  return (
    `request for Host ${excerptOf(host)} refused: a server on loopback without credentials answers only ` +
    `requests for an IP address, localhost or a name of this machine (set username and password to serve others)`
  );
}

/** The name part of a `Host` value, lower case, without port, brackets or a trailing dot; null if malformed. */
function hostName(host: string): string | null {
  const text = host.trim().toLowerCase();
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    return end > 0 ? text.slice(1, end) : null;
  }
  const name = text.replace(/:\d*$/, '').replace(/\.$/, '');
  return name === '' ? null : name;
}

function isLocalName(name: string, localNames: ReadonlySet<string>): boolean {
  return name === 'localhost' || name.endsWith('.localhost') || localNames.has(name);
}

/**
 * The names a loopback server answers besides IP addresses and localhost: `hostname` (and its first label)
 * and every name of `etcHosts` (the text of /etc/hosts), lower case.
 */
export function localHostNames(hostname: string, etcHosts: string): Set<string> {
  const names = new Set<string>();
  const add = (name: string) => {
    const clean = name.trim().toLowerCase().replace(/\.$/, '');
    if (clean !== '') names.add(clean);
  };
  add(hostname);
  add(hostname.split('.')[0] ?? '');
  for (const line of etcHosts.split('\n')) {
    const fields = line.replace(/#.*/, '').trim().split(/\s+/);
    for (const name of fields.slice(1)) add(name);
  }
  return names;
}

/** Whether an inet server bound to `address` (an IP address) listens on loopback only. */
export function isLoopbackAddress(address: string): boolean {
  if (isIP(address) === 4) return address.startsWith('127.');
  const lower = address.toLowerCase();
  return lower === '::1' || lower.startsWith('::ffff:127.');
}
