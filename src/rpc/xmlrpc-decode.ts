// Pure: turns an element tree into XML-RPC values, as supervisor (requests) and Python (responses) do (spec §4.2).
import { XmlRpcDecodeError, type XmlElement } from './xml-element.js';
import {
  DateTimeValue,
  type Fault,
  type MethodCall,
  type MethodResponse,
  type XmlRpcValue,
} from './xmlrpc-value.js';

/**
 * `server`: supervisor's request unmarshaller (base64 becomes a string, `<i8>` stays text, a boolean
 * is true only for `1`). `client`: Python's response unmarshaller (base64 stays bytes, `<i8>` is an
 * integer, a boolean must be `0` or `1`).
 */
type Mode = 'server' | 'client';

const INT_PATTERN = /^\s*[+-]?\d+(?:_\d+)*\s*$/;
const FLOAT_PATTERN =
  /^[+-]?(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:e[+-]?\d+(?:_\d+)*)?$/i;
const SPECIAL_FLOAT = /^([+-]?)(inf|infinity|nan)$/i;
const DATETIME_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

/** Python's `int(text)`; beyond 2^53 a bigint, so nothing is silently rounded. */
function parseInteger(text: string): number | bigint {
  if (!INT_PATTERN.test(text)) throw new XmlRpcDecodeError(`invalid integer: ${JSON.stringify(text)}`);
  const digits = text.trim().replace(/_/g, '');
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : BigInt(digits);
}

/** Python's `float(text)`. */
function parseDouble(text: string): number {
  const t = text.trim();
  const special = SPECIAL_FLOAT.exec(t);
  if (special) {
    if (special[2]?.toLowerCase() === 'nan') return NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (!FLOAT_PATTERN.test(t)) throw new XmlRpcDecodeError(`invalid double: ${JSON.stringify(text)}`);
  return Number(t.replace(/_/g, ''));
}

function parseDateTime(text: string, mode: Mode): DateTimeValue {
  if (mode === 'server') {
    // supervisor runs strptime('%Y%m%dT%H:%M:%S') on it and fails the request otherwise.
    const m = DATETIME_PATTERN.exec(text);
    const [month = 0, day = 0, hour = 0, minute = 0, second = 0] = (m ?? []).slice(2).map(Number);
    if (!m || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 61) {
      throw new XmlRpcDecodeError(`invalid dateTime.iso8601: ${JSON.stringify(text)}`);
    }
  }
  return new DateTimeValue(text);
}

function parseBase64(text: string, mode: Mode): string | Uint8Array {
  // Like binascii: characters outside the alphabet are skipped, but the padding must be right.
  const clean = text.replace(/[^A-Za-z0-9+/=]/g, '');
  if (clean.length % 4 !== 0 || /=[^=]/.test(clean)) throw new XmlRpcDecodeError('invalid base64');
  const bytes = Buffer.from(clean, 'base64');
  if (mode === 'client') return new Uint8Array(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new XmlRpcDecodeError('base64 value is not UTF-8 text');
  }
}

function first(element: XmlElement): XmlElement {
  const child = element.children[0];
  if (!child) throw new XmlRpcDecodeError(`<${element.name}> is empty`);
  return child;
}

function decodeNode(element: XmlElement, mode: Mode): XmlRpcValue {
  const text = element.text;
  switch (element.name) {
    case 'value': {
      const child = element.children[0];
      return child ? decodeNode(child, mode) : text;
    }
    case 'param':
    case 'array':
      return decodeNode(first(element), mode);
    case 'data':
      return element.children.map((child) => decodeNode(child, mode));
    case 'struct': {
      const entries: [string, XmlRpcValue][] = [];
      for (const member of element.children) {
        const [key, value] = member.children;
        if (!key || !value || member.children.length !== 2) {
          throw new XmlRpcDecodeError('a struct <member> needs a <name> and a <value>');
        }
        entries.push([key.text, decodeNode(value, mode)]);
      }
      // fromEntries defines own properties, so a member named __proto__ stays a plain key.
      return Object.fromEntries(entries);
    }
    case 'int':
    case 'i4':
      return parseInteger(text);
    case 'i8':
      return mode === 'client' ? parseInteger(text) : text;
    case 'boolean':
      if (mode === 'server') return text === '1';
      if (text.trim() === '1' || text.trim() === '0') return text.trim() === '1';
      throw new XmlRpcDecodeError(`bad boolean value: ${JSON.stringify(text)}`);
    case 'string':
      return text;
    case 'double':
      return parseDouble(text);
    case 'dateTime.iso8601':
      return parseDateTime(text, mode);
    case 'base64':
      return parseBase64(text, mode);
    case 'nil':
      return null;
    default:
      // supervisor hands over the text of tags it does not know (None when there is none).
      return text === '' ? null : text;
  }
}

function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name);
}

/**
 * Reads a `<methodCall>` as supervisor does: `<params>` may be missing, `<methodName>` may not be.
 * Throws XmlRpcDecodeError on anything else (the server answers 400).
 */
export function decodeCallTree(root: XmlElement): MethodCall {
  if (root.name !== 'methodCall') throw new XmlRpcDecodeError(`root element is <${root.name}>`);
  const methodName = child(root, 'methodName')?.text ?? '';
  if (methodName === '') throw new XmlRpcDecodeError('no method name');
  const params = child(root, 'params');
  return {
    methodName,
    params: params ? params.children.map((p) => decodeNode(p, 'server')) : [],
  };
}

/** Reads a `<methodResponse>`: the first param's value, or the fault. */
export function decodeResponseTree(root: XmlElement): MethodResponse {
  if (root.name !== 'methodResponse') throw new XmlRpcDecodeError(`root element is <${root.name}>`);
  const fault = child(root, 'fault');
  if (fault) {
    const value = decodeNode(first(fault), 'client');
    const code = (value as { faultCode?: unknown } | null)?.faultCode;
    const text = (value as { faultString?: unknown } | null)?.faultString;
    if (typeof code !== 'number' || typeof text !== 'string') {
      throw new XmlRpcDecodeError('a fault needs an integer faultCode and a string faultString');
    }
    const decoded: Fault = { faultCode: code, faultString: text };
    return { ok: false, fault: decoded };
  }
  const params = child(root, 'params');
  if (!params) throw new XmlRpcDecodeError('a response needs <params> or <fault>');
  const param = params.children[0];
  return { ok: true, value: param ? decodeNode(param, 'client') : null };
}
