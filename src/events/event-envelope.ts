// Pure: the header line supervisord writes before each event it sends to a listener (spec §6.4).
import type { EventTypeName } from '../model/event-types.js';

/** What the header line of one event sent to a listener is made of. */
export interface EnvelopeFields {
  readonly identifier: string;
  readonly serial: number;
  readonly pool: string;
  readonly poolSerial: number;
  readonly eventName: EventTypeName;
  readonly payload: string;
}

/**
 * Length of a payload as supervisor 4.x reports it: in characters (code points) of the text, not in bytes
 * (GitHub #1243). A listener using `supervisor.childutils` reads that many characters from a UTF-8 stdin, so
 * it stays in step; a listener counting bytes does not when a payload holds non-ASCII text.
 */
export function payloadLength(payload: string): number {
  let n = 0;
  for (let i = 0; i < payload.length; i++) {
    const c = payload.charCodeAt(i);
    // A surrogate pair is one code point, as Python counts it.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < payload.length) {
      const d = payload.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/**
 * A header value made safe for listeners, which split the header on whitespace and each token on `:`
 * (`childutils.get_headers`): `%`, `:` and whitespace are percent-encoded (`%25`, `%3A`, `%20`, ...), so an
 * identifier or pool name holding them cannot break a listener. Values without them are unchanged, which is
 * every value supervisor itself could deliver intact.
 */
export function headerValue(value: string): string {
  return value.replace(/[%:\s]/gu, (ch) =>
    [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/** `ver:3.0 server:<id> serial:<n> pool:<pool> poolserial:<n> eventname:<NAME> len:<n>\n<payload>`. */
export function eventEnvelope(f: EnvelopeFields): string {
  return (
    `ver:3.0 server:${headerValue(f.identifier)} serial:${f.serial} pool:${headerValue(f.pool)} ` +
    `poolserial:${f.poolSerial} eventname:${f.eventName} len:${payloadLength(f.payload)}\n${f.payload}`
  );
}
