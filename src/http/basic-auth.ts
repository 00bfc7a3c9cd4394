// Pure: HTTP Basic authentication as supervisor checks it, cleartext or {SHA} passwords (spec §4.1).
import { createHash, timingSafeEqual } from 'node:crypto';

/** A server's username and password, as its section configures them. */
export interface Credentials {
  readonly username: string;
  /** Cleartext, or `{SHA}` followed by the lowercase hex SHA-1 of the password. */
  readonly password: string;
}

/** A server's credentials: only when both username and password are set (config checks the pair). */
export function credentialsOf(settings: {
  readonly username: string | null;
  readonly password: string | null;
}): Credentials | null {
  if (!settings.username || settings.password === null) return null;
  return { username: settings.username, password: settings.password };
}

/** What a request's Authorization header earns: served, 401, or 400 (undecodable base64). */
export type AuthVerdict = 'ok' | 'unauthorized' | 'bad-request';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Whether two texts are equal, in a time that tells neither where they differ nor how long either is. */
function sameText(a: string, b: string): boolean {
  return timingSafeEqual(digestOf(a), digestOf(b));
}

const digestOf = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

function passwordMatches(stored: string, supplied: string): boolean {
  if (stored.startsWith('{SHA}')) {
    return sameText(stored.slice(5), createHash('sha1').update(supplied, 'utf8').digest('hex'));
  }
  return sameText(stored, supplied);
}

/**
 * Judges an `Authorization` header. Without configured credentials everything passes (supervisorctl
 * may still send `Basic Og==`). Undecodable base64 is a bad request, as in supervisor; a scheme other
 * than Basic, a payload without a colon or a wrong pair is unauthorized.
 */
export function checkAuthorization(header: string | undefined, credentials: Credentials | null): AuthVerdict {
  if (!credentials) return 'ok';
  if (!header) return 'unauthorized';
  const match = /^\s*basic\s+(\S*)\s*$/i.exec(header);
  if (!match) return 'unauthorized';
  const payload = match[1] ?? '';
  if (payload.length % 4 !== 0 || !BASE64.test(payload)) return 'bad-request';
  const decoded = Buffer.from(payload, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'unauthorized';
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  // Both are compared whatever the first gives: a wrong username must take as long as a wrong password.
  const usernameMatches = sameText(username, credentials.username);
  const passwordMatched = passwordMatches(credentials.password, password);
  return usernameMatches && passwordMatched ? 'ok' : 'unauthorized';
}
