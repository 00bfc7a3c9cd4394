// Pure: supervisor.* arguments as Python sees them. supervisor converts with str()/int()/truth tests and lets
// anything else raise, which its HTTP layer answers with 500 (spec §4.2); a TypeError here does the same.
import { DateTimeValue, isStruct, type XmlRpcValue } from './xmlrpc-value.js';

/** A name argument: a string (base64 arrives as bytes and is decoded). Anything else is a 500, as in supervisor. */
export function nameArg(value: XmlRpcValue | undefined): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  throw new TypeError(`expected a string, got ${pythonStr(value)}`);
}

/** Python's int(): integers, truncated doubles, booleans and integer text (`' 12 '`, `'+3'`, `'1_000'`). */
export function intArg(value: XmlRpcValue | undefined): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot convert ${value} to an integer`);
    return Math.trunc(value);
  }
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' || value instanceof Uint8Array) {
    const text = (typeof value === 'string' ? value : Buffer.from(value).toString('utf8')).trim();
    if (/^[+-]?\d+(_\d+)*$/.test(text)) return Number(text.replace(/_/g, ''));
  }
  throw new TypeError(`invalid literal for int(): ${pythonStr(value)}`);
}

/** Python's truth test, for `wait`: false, 0, '', empty arrays and structs, and nil are false. */
export function boolArg(value: XmlRpcValue | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'bigint') return value !== 0n;
  if (typeof value === 'string') return value !== '';
  if (value instanceof Uint8Array) return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (isStruct(value)) return Object.keys(value).length > 0;
  return true;
}

/** Python's str() of a decoded value, for fault details (`INCORRECT_PARAMETERS: 5`). */
export function pythonStr(value: XmlRpcValue | undefined): string {
  if (value === undefined || value === null) return 'None';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pythonFloat(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (value instanceof DateTimeValue) return value.value;
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (isStruct(value))
    return `{${Object.entries(value)
      .map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`)
      .join(', ')}}`;
  return String(value);
}

function pythonFloat(n: number): string {
  const text = String(n);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

function pythonRepr(value: XmlRpcValue | undefined): string {
  return typeof value === 'string'
    ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
    : pythonStr(value);
}
