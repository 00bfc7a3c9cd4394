// Pure: expands and converts the options of one section against the schema (spec §2.3, §2.4).
import { dirname } from 'node:path';
import type { Diagnostic } from '../model/diagnostics.js';
import { coerceValue } from './coerce.js';
import { suggest } from './did-you-mean.js';
import { expansionFailure, type EnvHint } from './expansion-failure.js';
import { expand, expansionScope, lookupName, type Expansions } from './interpolate.js';
import { quotedValue } from './quoted-value.js';
import type { RawSection, RawValue } from './raw-section.js';
import type { SectionInfo } from './schema-info.js';

/** One section to expand and convert, with the schema's view of it and the expansions each option sees. */
export interface MaterializeInput {
  readonly section: RawSection;
  readonly info: SectionInfo;
  /** INI [DEFAULT] options; the section's own options win. */
  readonly defaults: ReadonlyMap<string, RawValue>;
  /** The expansions each option sees. */
  readonly expansionsFor: (option: string) => Expansions;
  /** Where an option's missing %(ENV_X)s could be set, for its hint; [supervisord] environment= or the start's by default. */
  readonly envHintFor?: ((option: string) => EnvHint) | undefined;
  /** Options whose text is expanded twice (supervisor's *_logfile quirk). */
  readonly expandTwice?: ReadonlySet<string>;
  /** Options taken verbatim (no expansion), e.g. process_name before its checks. */
  readonly verbatim?: ReadonlySet<string>;
  readonly strict: boolean;
  /** Report unknown options (done once per section, not per process). */
  readonly reportUnknown: boolean;
  /** Only these options, when given. */
  readonly only?: ReadonlySet<string> | undefined;
  /** Not these options (already materialized by the caller), when given. */
  readonly skip?: ReadonlySet<string> | undefined;
  /** Each file's place in the reading order (the main file 0), to find which file a %(here)s belongs to. */
  readonly fileOrder?: ReadonlyMap<string, number> | undefined;
}

/**
 * The file whose folder a value's %(here)s names, when it is not the section's own file. supervisor replaces
 * %(here)s as text after reading each file: an option takes the folder of the file it is written in (a section
 * continued in an included file has options of both), and a [DEFAULT] value lands in a section when both have
 * been read, so it takes the folder of whichever of the two files was read later.
 */
function hereFileOf(
  section: RawSection,
  raw: RawValue,
  own: boolean,
  order: ReadonlyMap<string, number> | undefined,
): string | null {
  const sectionFile = section.location.file;
  let file = raw.location.file;
  if (!own && (order?.get(file) ?? 0) < (order?.get(sectionFile) ?? 0)) file = sectionFile;
  return file === sectionFile || file === '' ? null : file;
}

/** The converted values (an option that failed is absent) and the diagnostics found on the way. */
export interface Materialized {
  readonly values: Record<string, unknown>;
  /** Where an option was written (the section's own, else [DEFAULT]'s). */
  readonly rawOf: (option: string) => RawValue | undefined;
  readonly diagnostics: Diagnostic[];
}

/** For an INI value that a type check refused and that spans lines: the indented line that continued it. */
function continuationHint(
  section: RawSection,
  raw: RawValue,
  value: unknown,
  option: string,
): string | undefined {
  if (section.format !== 'ini' || typeof value !== 'string' || !value.includes('\n') || raw.fromDefault)
    return undefined;
  return `an indented line after it continues ${option}; unindent that line to make it an option of its own`;
}

/**
 * For an INI value that its type accepted and that spans lines: a warning for each indented line that reads as
 * another option of the section (`command=/bin/app` then `\tautostart=false`), which supervisor takes as more text
 * of the value, silently.
 */
function swallowedOptions(
  section: RawSection,
  raw: RawValue,
  option: string,
  info: SectionInfo,
): Diagnostic[] {
  const at = raw.continuedAt;
  if (at === undefined || typeof raw.value !== 'string') return [];
  const out: Diagnostic[] = [];
  raw.value
    .split('\n')
    .slice(1)
    .forEach((line, i) => {
      const name = /^([A-Za-z_]\w*)\s*[=:]/.exec(line)?.[1]?.toLowerCase();
      const where = at[i];
      if (name === undefined || name === option || !info.options.has(name) || where === undefined) return;
      out.push({
        severity: 'warning',
        code: 'SVD-CONF-INDENTED-OPTION',
        message: `'${line.length > 60 ? `${line.slice(0, 57)}...` : line}' is indented, so it is not an option: it continues ${option} of [${section.name}], as supervisor reads it`,
        ...where,
        section: section.name,
        option,
        hint: 'remove the indentation to make it an option of its own',
      });
    });
  return out;
}

/** [DEFAULT] options that no section knows (`known`): every section inherits such a typo, and none reads it. */
export function unknownDefaultOptions(
  defaults: ReadonlyMap<string, RawValue>,
  known: ReadonlySet<string>,
  strict: boolean,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [option, raw] of defaults) {
    if (known.has(option)) continue;
    const guess = suggest(option, known);
    out.push({
      severity: strict ? 'error' : 'warning',
      code: 'SVD-CONF-UNKNOWN-KEY',
      message: `unknown option '${option}' in [DEFAULT]${strict ? '' : ' is ignored'}: no section has it`,
      ...raw.location,
      section: 'DEFAULT',
      option,
      hint: guess ? `did you mean '${guess}'?` : undefined,
    });
  }
  return out;
}

/**
 * Counts supervisor takes below 0 without complaint, where a negative value behaves as 0 does: a start counts
 * at once, the first failed start is FATAL, SIGKILL follows at once, rotation keeps no backups, no limit is
 * raised.
 */
const negativeMeansZero = new Set([
  'logfile_backups',
  'minfds',
  'minprocs',
  'startsecs',
  'startretries',
  'stopwaitsecs',
  'stdout_logfile_backups',
  'stderr_logfile_backups',
]);

/**
 * Expands (%(name)s) and converts every option of a section, or only `input.only`. A value that fails is
 * left out of `values` with an error; unknown options are warned about (errors with `strict`) when
 * `reportUnknown`; a negative count supervisor treats as 0 becomes 0 with a warning. The section is not
 * changed.
 */
export function materializeSection(input: MaterializeInput): Materialized {
  const { section, info } = input;
  const diagnostics: Diagnostic[] = [];
  const values: Record<string, unknown> = {};
  const own = section.options;
  const defaults = input.defaults;
  const rawOf = (option: string) => own.get(option) ?? defaults.get(option);
  let keys: Iterable<string>;
  if (input.only) keys = input.only;
  else if (defaults.size === 0) keys = own.keys();
  else keys = new Set([...defaults.keys(), ...own.keys()]);

  for (const option of keys) {
    if (input.skip?.has(option)) continue;
    const raw = rawOf(option);
    if (raw === undefined) continue;
    const known = info.options.get(option);
    if (!known && !info.open) {
      if (input.reportUnknown && own.has(option)) {
        const guess = suggest(option, info.options.keys());
        diagnostics.push({
          severity: input.strict ? 'error' : 'warning',
          code: 'SVD-CONF-UNKNOWN-KEY',
          message: `unknown option '${option}' in [${section.name}]${input.strict ? '' : ' is ignored'}`,
          ...(raw.keyLocation ?? raw.location),
          section: section.name,
          option,
          hint: guess ? `did you mean '${guess}'?` : undefined,
        });
      }
      continue;
    }
    let value = raw.value;
    if (typeof value === 'string' && !input.verbatim?.has(option)) {
      let expansions = input.expansionsFor(option);
      const hereFile = value.includes('%(here)')
        ? hereFileOf(section, raw, own.get(option) === raw, input.fileOrder)
        : null;
      if (hereFile !== null && lookupName(expansions, 'here') !== undefined)
        expansions = expansionScope(expansions, { here: dirname(hereFile) });
      const rounds = input.expandTwice?.has(option) ? 2 : 1;
      let failed = false;
      for (let round = 0; round < rounds && !failed; round++) {
        const text = value as string;
        const result = expand(text, expansions);
        if (result.ok) value = result.value;
        else {
          failed = true;
          diagnostics.push({
            severity: 'error',
            ...expansionFailure(option, option, text, result, expansions, input.envHintFor?.(option)),
            // The place of the fault in the file; a second round's index is in the text the first made.
            ...((round === 0 ? raw.locationAt?.(result.at) : undefined) ?? raw.location),
            section: section.name,
            option,
            value: raw.value,
          });
        }
      }
      if (failed) continue;
    } else if (
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      known?.kind === 'kvlist' &&
      !input.verbatim?.has(option)
    ) {
      // A YAML mapping of environment values: expand each value.
      const out: Record<string, unknown> = {};
      const expansions = input.expansionsFor(option);
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'string') {
          out[k] = v;
          continue;
        }
        const result = expand(v, expansions);
        if (!result.ok) {
          diagnostics.push({
            severity: 'error',
            ...expansionFailure(`${option}.${k}`, option, v, result, expansions, input.envHintFor?.(option)),
            ...(raw.entryLocations?.get(k) ?? raw.location),
            section: section.name,
            option,
            value: v,
          });
        } else out[k] = result.value;
      }
      value = out;
    }
    if (!known) {
      values[option] = typeof value === 'string' ? value : String(value);
      continue;
    }
    const coerced = coerceValue(known.kind, value);
    if (!coerced.ok) {
      // Only YAML has null (`command:` with nothing after it): the message would otherwise speak of a value 'null'.
      const detail =
        coerced.detail ?? (value === null ? 'YAML reads an empty value, ~ or null as no value' : undefined);
      diagnostics.push({
        severity: 'error',
        code: 'SVD-CONF-TYPE',
        message: `invalid value ${quotedValue(option, value)} for ${option}: expected ${coerced.expected}${detail ? ` (${detail})` : ''}`,
        ...raw.location,
        section: section.name,
        option,
        value,
        expected: coerced.expected,
        hint: continuationHint(section, raw, value, option),
      });
      continue;
    }
    if (typeof coerced.value === 'number' && coerced.value < 0 && negativeMeansZero.has(option)) {
      diagnostics.push({
        severity: 'warning',
        code: 'SVD-CONF-NEGATIVE',
        message: `${option}=${coerced.value} is read as 0, which is what supervisor does with it in effect`,
        ...raw.location,
        section: section.name,
        option,
        value,
      });
      values[option] = 0;
      continue;
    }
    if (input.reportUnknown && section.format === 'ini' && own.get(option) === raw && known.kind !== 'kvlist')
      diagnostics.push(...swallowedOptions(section, raw, option, info));
    for (const loss of coerced.lossy ?? [])
      diagnostics.push({
        severity: 'warning',
        code: 'SVD-CONF-LOSSY',
        message: `${option}: ${loss}, as supervisor reads it; quote the value to keep it whole`,
        ...raw.location,
        section: section.name,
        option,
        value,
      });
    values[option] = coerced.value;
  }
  return { values, rawOf, diagnostics };
}
