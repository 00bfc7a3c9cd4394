// Pure: a cheap estimate of how much memory a result holds, for the multicall limit (dispatcher.ts).
import { isStruct, type XmlRpcValue } from './xmlrpc-value.js';

/** What one tag pair and a scalar cost on the wire, roughly: `<value><int>1</int></value>\n`. */
const NODE_CHARS = 32;

/**
 * A value's size in characters: strings by their length (readLog's text is nearly all of it), base64
 * by its byte count, and NODE_CHARS for every other node and struct member. One visit per node, no
 * copies: a 5 MB string costs as much as an int. It underestimates escaped text (`&` becomes `&amp;`)
 * and UTF-8 (a character takes up to three bytes), so a limit on it bounds memory within a small factor.
 */
export function resultChars(value: XmlRpcValue): number {
  if (typeof value === 'string') return NODE_CHARS + value.length;
  if (value instanceof Uint8Array) return NODE_CHARS + Math.ceil((value.length * 4) / 3);
  if (Array.isArray(value)) {
    let total = NODE_CHARS;
    for (const item of value as readonly XmlRpcValue[]) total += resultChars(item);
    return total;
  }
  if (isStruct(value)) {
    let total = NODE_CHARS;
    for (const [key, item] of Object.entries(value)) total += NODE_CHARS + key.length + resultChars(item);
    return total;
  }
  return NODE_CHARS;
}
