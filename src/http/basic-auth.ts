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

/** What a request's Authorization header earns: served, 401, or 400 (a value supervisor cannot decode). */
export type AuthVerdict = 'ok' | 'unauthorized' | 'bad-request';

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Python's base64.decodebytes (binascii.a2b_base64, not strict), which supervisor decodes the header with:
 * characters outside the alphabet are skipped, decoding stops at the `=` that completes a group, and a last
 * group cut short without its padding is an error (null).
 */
export function pythonBase64Decode(text: string): Buffer | null {
  const bytes: number[] = [];
  let bits = 0;
  let bitCount = 0;
  let group = 0;
  let pads = 0;
  for (const char of text) {
    if (char === '=') {
      if (group >= 2 && group + ++pads >= 4) return Buffer.from(bytes);
      continue;
    }
    const value = BASE64_ALPHABET.indexOf(char);
    if (value < 0) continue;
    pads = 0;
    group = (group + 1) % 4;
    bits = (bits << 6) | value;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      bytes.push((bits >> bitCount) & 0xff);
      bits &= (1 << bitCount) - 1;
    }
  }
  return group === 0 ? Buffer.from(bytes) : null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

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
 * Judges an `Authorization` header as supervisor does. Without configured credentials everything passes
 * (supervisorctl may still send `Basic Og==`). The scheme is the text up to the first space and the rest is
 * decoded as Python decodes base64 (pythonBase64Decode); a rest it cannot decode, or that decodes to bytes that
 * are not UTF-8, is a bad request. A scheme other than Basic, no space, a decoded value without a colon (where
 * supervisor fails with 500) or a wrong pair is unauthorized.
 */
export function checkAuthorization(header: string | undefined, credentials: Credentials | null): AuthVerdict {
  if (!credentials) return 'ok';
  if (!header) return 'unauthorized';
  const space = header.indexOf(' ');
  if (space < 0 || header.slice(0, space).toLowerCase() !== 'basic') return 'unauthorized';
  const bytes = pythonBase64Decode(header.slice(space + 1));
  if (!bytes) return 'bad-request';
  let decoded: string;
  try {
    decoded = utf8.decode(bytes);
  } catch {
    return 'bad-request';
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'unauthorized';
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  // Both are compared whatever the first gives: a wrong username must take as long as a wrong password.
  const usernameMatches = sameText(username, credentials.username);
  const passwordMatched = passwordMatches(credentials.password, password);
  return usernameMatches && passwordMatched ? 'ok' : 'unauthorized';
}
