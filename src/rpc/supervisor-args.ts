// Pure: supervisor.* arguments as Python sees them. supervisor converts with str()/int()/truth tests and lets
// anything else raise, which its HTTP layer answers with 500 and a traceback in the log (spec §4.2). svd
// answers a wrong-typed argument with an INCORRECT_PARAMETERS fault instead: bad input is the caller's
// error, not a bug in the daemon. The dispatcher puts the method's name in front of the detail.
import { BadNameError } from '../engine/errors.js';
import { excerptOf } from '../model/excerpt.js';
import { pythonRepr as pythonStrRepr } from '../model/python-repr.js';
import { ArgumentTypeError } from './faults.js';
import { DateTimeValue, isStruct, type XmlRpcValue } from './xmlrpc-value.js';

/**
 * A name argument: a string (base64 arrives as bytes and is decoded). Anything else is INCORRECT_PARAMETERS
 * naming `argument` (supervisor: HTTP 500).
 */
export function nameArg(value: XmlRpcValue | undefined, argument = 'name'): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  throw new ArgumentTypeError(argument, 'a string', describeValue(value));
}

/**
 * A group name (startProcessGroup, stopProcessGroup, signalProcessGroup, removeProcessGroup): supervisor looks
 * the value up as it is in a dict, so a number or a boolean names no group, `BAD_NAME: <str(value)>`, and an
 * array or a struct (unhashable: its TypeError) is INCORRECT_PARAMETERS. addProcessGroup compares names one by
 * one instead (`scanned`): nothing that is not text matches, so every other value is BAD_NAME.
 */
export function groupNameArg(value: XmlRpcValue | undefined, scanned = false): string {
  if (typeof value === 'string' || value instanceof Uint8Array) return nameArg(value);
  if (!scanned && (Array.isArray(value) || isStruct(value))) return nameArg(value);
  throw new BadNameError(pythonStr(value));
}

/**
 * Python's int(): integers, truncated doubles, booleans and integer text (`' 12 '`, `'+3'`, `'1_000'`).
 * Anything else is INCORRECT_PARAMETERS naming `argument` (supervisor: HTTP 500).
 */
export function intArg(value: XmlRpcValue | undefined, argument: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ArgumentTypeError(argument, 'an integer', describeValue(value));
    return Math.trunc(value);
  }
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' || value instanceof Uint8Array) {
    const text = (typeof value === 'string' ? value : Buffer.from(value).toString('utf8')).trim();
    if (/^[+-]?\d+(_\d+)*$/.test(text)) return Number(text.replace(/_/g, ''));
  }
  throw new ArgumentTypeError(argument, 'an integer', describeValue(value));
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

/**
 * A caller's value for a one-line message: its XML-RPC type and, for scalars, its text cut to
 * MAX_VALUE_EXCERPT characters (`int 0`, `string 'web'`, `array of 3`). Arrays and structs are counted, not
 * printed, so a 2 MB argument never becomes a 2 MB message.
 */
export function describeValue(value: XmlRpcValue | undefined): string {
  if (value === undefined || value === null) return 'nil';
  if (Array.isArray(value)) return `array of ${value.length}`;
  if (isStruct(value)) return `struct of ${Object.keys(value).length} members`;
  if (typeof value === 'string') return `string ${pythonRepr(excerptOf(value))}`;
  if (value instanceof Uint8Array) return `base64 of ${value.length} bytes`;
  const type =
    typeof value === 'boolean'
      ? 'boolean'
      : typeof value === 'number'
        ? Number.isInteger(value)
          ? 'int'
          : 'double'
        : typeof value === 'bigint'
          ? 'i8'
          : 'dateTime.iso8601';
  return `${type} ${excerptOf(pythonStr(value))}`;
}

function pythonFloat(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  const text = String(n);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

function pythonRepr(value: XmlRpcValue | undefined): string {
  return typeof value === 'string' ? pythonStrRepr(value) : pythonStr(value);
}
