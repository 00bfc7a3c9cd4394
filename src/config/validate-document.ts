// Validates a config document against schema/svd.schema.json with ajv, and turns ajv's errors into
// diagnostics that carry the file, line and column of the offending value.
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Diagnostic, SourceLocation } from '../model/diagnostics.js';
import { validate as generated } from '../generated/config-validator.js';
import { quotedValue } from './quoted-value.js';

// Precompiled by schema/gen-validator.mjs: compiling the schema with ajv at every start cost ~170 ms.
const compiled = generated as unknown as ValidateFunction;

/** Finds where the value at a document path (e.g. ['programs', 'web', 'startsecs']) was written. */
export type Locate = (path: readonly string[]) => SourceLocation;

/** The schema's patterns in words: a regular expression is no answer to someone who mistyped a value. */
const patternWords: Record<string, string> = {
  '^[0-7]{1,4}$': 'an octal number of 1 to 4 digits (such as 022)',
  '^(tcp://.+:[0-9]+|unix:///.+)$': 'tcp://host:port or unix:///absolute/path',
  '^[^:/\\s]*$': "a name without ':', '/' or blanks",
};

function describeError(error: ErrorObject): { option: string | undefined; expected: string } {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { option: String(params.missingProperty), expected: 'a value (it is required)' };
    case 'minimum':
      return { option: undefined, expected: `a number >= ${String(params.limit)}` };
    case 'maximum':
      return { option: undefined, expected: `a number <= ${String(params.limit)}` };
    case 'enum':
      return { option: undefined, expected: `one of ${(params.allowedValues as unknown[]).join(', ')}` };
    case 'pattern':
      return {
        option: undefined,
        expected: patternWords[String(params.pattern)] ?? `a value matching ${String(params.pattern)}`,
      };
    case 'minItems':
      return { option: undefined, expected: `at least ${String(params.limit)} item(s)` };
    case 'type':
      return { option: undefined, expected: `a value of type ${String(params.type)}` };
    default:
      return { option: undefined, expected: error.message ?? error.keyword };
  }
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function valueAt(doc: unknown, path: readonly string[]): unknown {
  let node = doc;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * Checks the document against the schema; one error diagnostic per distinct problem, located by `locate`,
 * empty when valid. oneOf branch failures are left out (the summary error says the same).
 */
export function validateDocument(doc: unknown, locate: Locate): Diagnostic[] {
  const validate = compiled;
  if (validate(doc)) return [];
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const error of validate.errors ?? []) {
    // oneOf reports each failed branch too; the branch errors say nothing the summary does not.
    if (error.schemaPath.includes('/oneOf/')) continue;
    // An if/else ('command' unless numprocs is 0) adds a summary after the branch's own error, which says it.
    if (error.keyword === 'if') continue;
    // ajv's instancePath is a JSON Pointer (RFC 6901: `~1` is `/`, `~0` is `~`), not URI-encoded: a name
    // such as `[program:100%]` must not be read as a percent escape.
    const path = error.instancePath.split('/').slice(1).map(unescapePointer);
    const described = describeError(error);
    const location = locate(path);
    const value = valueAt(doc, path);
    // An empty list where one item is needed (`events=`) is the option missing, as supervisor words it.
    const emptyList = error.keyword === 'minItems' && Array.isArray(value) && value.length === 0;
    const missing = emptyList ? path[path.length - 1] : described.option;
    const { expected } = described;
    const option = missing ?? path[path.length - 1];
    const section = sectionName(path);
    const message =
      missing !== undefined
        ? `[${section}] requires ${missing}`
        : `invalid value ${quotedValue(option, value)} for ${option}: expected ${expected}`;
    const key = `${location.file}:${location.line}:${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push({
      severity: 'error',
      code: missing !== undefined ? 'SVD-CONF-REQUIRED' : 'SVD-CONF-SCHEMA',
      message,
      ...location,
      section,
      option,
      value: missing !== undefined ? undefined : value,
      expected,
    });
  }
  return diagnostics;
}

const sectionPrefix: Record<string, string> = {
  programs: 'program',
  groups: 'group',
  eventlisteners: 'eventlistener',
  fcgi_programs: 'fcgi-program',
  rpcinterfaces: 'rpcinterface',
};

/** `['programs','web','x']` -> `program:web`; `['supervisord','x']` -> `supervisord`. */
export function sectionName(path: readonly string[]): string {
  const [top, name] = path;
  const prefix = top === undefined ? undefined : sectionPrefix[top];
  if (prefix && name !== undefined) return `${prefix}:${name}`;
  return top ?? '';
}
