// Pure: turns an option's text (INI) or native value (YAML) into its normalised value (spec §2.4, §2.5).
import { parseSignal } from '../model/signals.js';
import { parseEnvironmentPairs } from './env-pairs.js';
import { trimPy } from './ini-reader.js';

/** How an option's value is read; derived from the schema (`type` and `x-svd-kind`). */
export type ValueKind =
  | 'integer'
  | 'nullable-integer'
  | 'boolean'
  | 'string'
  | 'nullable-string'
  | 'bytesize'
  | 'octal'
  | 'nullable-octal'
  | 'signal'
  | 'exitcodes'
  | 'autorestart'
  | 'logfile'
  | 'loglevel'
  | 'list'
  | 'words'
  | 'kvlist';

/** `lossy`: the value was read as supervisor reads it, but text was lost on the way (a linter warns). */
export type Coerced =
  { ok: true; value: unknown; lossy?: readonly string[] } | { ok: false; expected: string; detail?: string };

const truthy = new Set(['true', 'yes', 'on', '1']);
const falsy = new Set(['false', 'no', 'off', '0']);
const loglevels = ['critical', 'error', 'warn', 'info', 'debug', 'trace', 'blather'];

/** Python's int(): surrounding spaces, a sign, digits with single underscores between them. */
export function parsePythonInt(text: string): number | null {
  const t = text.trim();
  if (!isPythonInt(t)) return null;
  const n = Number(t.replace(/_/g, ''));
  return Number.isSafeInteger(n) ? n : null;
}

const isPythonInt = (text: string): boolean => /^[+-]?\d+(_\d+)*$/.test(text.trim());

/**
 * What an integer beyond 2^53 gets: Python's int() has no limit, so supervisor accepts one, but svd cannot hold it
 * exactly; "expected an integer" would be a puzzle for a value made only of digits.
 */
const integerRange = `an integer from ${-Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}`;

const fail = (expected: string, detail?: string): Coerced => ({ ok: false, expected, detail });

/**
 * Reads an option's INI text or YAML value as `kind` says, as supervisor's datatypes do. A missing value
 * (null or undefined) is null for nullable kinds, {} for kvlist, [] for list, words and exitcodes, and
 * refused for the others. Never throws: a refusal says what was expected.
 */
export function coerceValue(kind: ValueKind, value: unknown): Coerced {
  if (value === null || value === undefined) {
    if (kind.startsWith('nullable-')) return { ok: true, value: null };
    if (kind === 'kvlist') return { ok: true, value: {} };
    if (kind === 'list' || kind === 'words' || kind === 'exitcodes') return { ok: true, value: [] };
  }
  switch (kind) {
    case 'integer':
    case 'nullable-integer':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return { ok: true, value };
      if (typeof value === 'string') {
        const n = parsePythonInt(value);
        if (n !== null) return { ok: true, value: n };
        if (isPythonInt(value)) return fail(integerRange);
      }
      return fail(typeof value === 'number' && Number.isInteger(value) ? integerRange : 'an integer');
    case 'boolean':
      if (typeof value === 'boolean') return { ok: true, value };
      if (typeof value === 'number' && (value === 0 || value === 1)) return { ok: true, value: value === 1 };
      if (typeof value === 'string') {
        const s = value.toLowerCase();
        if (truthy.has(s)) return { ok: true, value: true };
        if (falsy.has(s)) return { ok: true, value: false };
      }
      return fail('a boolean (true/false, yes/no, on/off, 1/0)');
    case 'string':
    case 'nullable-string':
      if (typeof value === 'string') return { ok: true, value };
      if (typeof value === 'number' || typeof value === 'boolean') return { ok: true, value: String(value) };
      return fail('a string');
    case 'bytesize':
      return coerceByteSize(value);
    case 'octal':
    case 'nullable-octal':
      return coerceOctal(value);
    case 'signal': {
      if (typeof value !== 'string' && typeof value !== 'number') return fail('a signal name or number');
      const parsed = parseSignal(String(value));
      if (parsed.ok) return { ok: true, value: parsed.name };
      const number = parsePythonInt(String(value));
      return fail(
        'a signal name (TERM, HUP, INT, QUIT, KILL, USR1, USR2, ...) or number',
        number === null ? undefined : `no signal has number ${number}`,
      );
    }
    case 'exitcodes':
      return coerceExitCodes(value);
    case 'autorestart': {
      if (typeof value === 'boolean') return { ok: true, value };
      const s = String(value).toLowerCase();
      if (truthy.has(s)) return { ok: true, value: true };
      if (falsy.has(s)) return { ok: true, value: false };
      if (s === 'unexpected') return { ok: true, value: 'unexpected' };
      return fail('true, false or unexpected');
    }
    case 'logfile': {
      if (typeof value !== 'string') return fail('a path, AUTO, NONE or syslog');
      const lower = value.toLowerCase();
      if (lower === 'none' || lower === 'off') return { ok: true, value: 'NONE' };
      if (lower === 'auto') return { ok: true, value: 'AUTO' };
      if (lower === 'syslog') return { ok: true, value: 'syslog' };
      return { ok: true, value };
    }
    case 'loglevel': {
      const s = String(value).toLowerCase();
      if (loglevels.includes(s)) return { ok: true, value: s };
      // supervisor has no level `warning` and refuses it ("bad logging level name"): say which word it wants.
      if (s === 'warning') return fail(`one of ${loglevels.join(', ')}`, 'supervisor calls it warn');
      return fail(`one of ${loglevels.join(', ')}`);
    }
    case 'list':
      return coerceList(value);
    case 'words':
      if (Array.isArray(value)) return allStrings(value);
      if (typeof value === 'string') return { ok: true, value: value.split(/\s+/).filter((s) => s !== '') };
      return fail('a whitespace-separated list');
    case 'kvlist':
      return coerceEnvironment(value);
  }
}

function allStrings(items: unknown[]): Coerced {
  if (items.every((v) => typeof v === 'string' || typeof v === 'number'))
    return { ok: true, value: items.map((v) => String(v)) };
  return fail('a list of strings');
}

/**
 * supervisor's list_of_strings: an empty text is no items, but an empty item (`a,,b`, `a,`) is kept, and
 * every consumer (events=, [group:x] programs=) then refuses it; refuse it here, once, with its position.
 */
function coerceList(value: unknown): Coerced {
  const expected = 'a comma-separated list';
  let items: unknown[];
  if (Array.isArray(value)) items = value;
  else if (typeof value === 'string')
    items = value.trim() === '' ? [] : value.split(',').map((s) => s.trim());
  else return fail(expected);
  const listed = allStrings(items);
  if (!listed.ok) return listed;
  const empty = (listed.value as string[]).findIndex((s) => s.trim() === '');
  return empty < 0 ? listed : fail(`${expected} without empty items`, `item ${empty + 1} is empty`);
}

function coerceByteSize(value: unknown): Coerced {
  const expected = 'a byte size (an integer with an optional KB, MB or GB suffix)';
  if (typeof value === 'number') return Number.isSafeInteger(value) ? { ok: true, value } : fail(expected);
  if (typeof value !== 'string') return fail(expected);
  const lower = value.toLowerCase();
  const suffix = lower.slice(-2);
  const multiplier = suffix === 'kb' ? 1024 : suffix === 'mb' ? 1024 ** 2 : suffix === 'gb' ? 1024 ** 3 : 1;
  const digits = multiplier === 1 ? lower : lower.slice(0, -2);
  const n = parsePythonInt(digits);
  if (n !== null && Number.isSafeInteger(n * multiplier)) return { ok: true, value: n * multiplier };
  return fail(expected, isPythonInt(digits) ? `at most ${Number.MAX_SAFE_INTEGER} bytes` : undefined);
}

/**
 * Octal digits as Python's int(text, 8) reads them (a + sign, a 0o prefix, _ between digits), normalised with
 * a leading zero (022, 0700). A negative one, which int() reads, is no umask or mode.
 */
function coerceOctal(value: unknown): Coerced {
  const expected = 'an octal number such as 022';
  let text: string;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) text = String(value);
  else if (typeof value === 'string') text = trimPy(value);
  else return fail(expected);
  // -0 is 0 to int(); any other negative number is refused below.
  const m = /^(?:\+|-(?=(?:0o_?)?[0_]+$))?(?:0o_?)?([0-7]+(?:_[0-7]+)*)$/i.exec(text);
  if (!m) return fail(expected);
  const n = parseInt((m[1] as string).replace(/_/g, ''), 8);
  if (n > 0o7777) return fail(expected);
  // 022 and 0700 as supervisor's sample writes them; a mode with a sticky, setgid or setuid bit (1777, as Python
  // reads umask=7777 or chmod=1777) has four digits already.
  return { ok: true, value: n > 0o777 ? n.toString(8) : '0' + n.toString(8).padStart(2, '0') };
}

function coerceExitCodes(value: unknown): Coerced {
  const expected = 'a comma-separated list of exit codes from 0 to 255';
  let items: unknown[];
  if (Array.isArray(value)) items = value;
  else if (typeof value === 'number') items = [value];
  else if (typeof value === 'string') items = value === '' ? [] : value.split(',');
  else return fail(expected);
  const codes: number[] = [];
  for (const item of items) {
    const n = typeof item === 'number' ? item : typeof item === 'string' ? parsePythonInt(item) : null;
    if (n === null || !Number.isInteger(n) || n < 0 || n > 255) return fail(expected);
    codes.push(n);
  }
  return { ok: true, value: codes };
}

function coerceEnvironment(value: unknown): Coerced {
  if (typeof value === 'string') {
    const parsed = parseEnvironmentPairs(value);
    return parsed.ok
      ? { ok: true, value: parsed.value, lossy: parsed.dropped }
      : fail('KEY="value",KEY2=value2 pairs', parsed.message);
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === null || typeof v === 'object')
        return fail(
          'a mapping of names to strings',
          `${k} has ${v === null ? 'no value: write "" for an empty one' : 'a list or mapping'}`,
        );
      out[k] = String(v);
    }
    return { ok: true, value: out };
  }
  return fail('a mapping of names to strings');
}
