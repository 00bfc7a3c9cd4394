// Pure: the positioned, not yet interpreted form of a configuration, shared by the INI and YAML readers.
import type { SourceLocation } from '../model/diagnostics.js';

/** The syntax a file is written in, from its extension: .yaml and .yml are YAML, anything else INI. */
export type SourceFormat = 'ini' | 'yaml';

/** One option as written: its text (INI) or native value (YAML), and where it was written. */
export interface RawValue {
  readonly value: unknown;
  readonly location: SourceLocation;
  /** Where the option's name was written, when not where its value is (YAML): a diagnostic about the name points here. */
  readonly keyLocation?: SourceLocation;
  /** True when the value was inherited from an INI [DEFAULT] section. */
  readonly fromDefault?: boolean;
  /** YAML: where each entry of a mapping value (an `environment:` map) is written, merged ones included. */
  readonly entryLocations?: ReadonlyMap<string, SourceLocation>;
  /** INI: where each indented line that continues the value starts (the value's lines after its first). */
  readonly continuedAt?: readonly SourceLocation[];
  /**
   * INI: where the character at `index` of the value is written, on whichever of its lines holds it. YAML has
   * none: a quoted or folded scalar's characters are not where its text puts them.
   */
  locationAt?(index: number): SourceLocation;
}

/** One section as written, named as in INI: `supervisord`, `program:web`, `group:g`, ... */
export interface RawSection {
  readonly name: string;
  readonly format: SourceFormat;
  readonly location: SourceLocation;
  /** Option name (lower case for INI) -> value. */
  readonly options: Map<string, RawValue>;
}

/** What one file contributed, before includes are followed. */
export interface RawFile {
  readonly path: string;
  readonly format: SourceFormat;
  readonly sections: RawSection[];
  /** INI [DEFAULT] options, inherited by every INI section. */
  readonly defaults: Map<string, RawValue>;
  /** Read a second time, because an include pattern matched the file again. */
  readonly readAgain?: boolean;
}

/** Every kind of section svd reads. */
export type SectionKind =
  | 'supervisord'
  | 'supervisorctl'
  | 'unix_http_server'
  | 'inet_http_server'
  | 'include'
  | 'program'
  | 'group'
  | 'eventlistener'
  | 'fcgi-program'
  | 'rpcinterface'
  | 'ctlplugin';

/** Section kinds that carry a name after a colon, with the YAML key that holds them. */
export const namedSectionKeys = {
  program: 'programs',
  group: 'groups',
  eventlistener: 'eventlisteners',
  'fcgi-program': 'fcgi_programs',
  rpcinterface: 'rpcinterfaces',
  ctlplugin: 'ctlplugins',
} as const;
/** A section kind written `kind:name`. */
export type NamedSectionKind = keyof typeof namedSectionKeys;

const singletonKinds = new Set<SectionKind>([
  'supervisord',
  'supervisorctl',
  'unix_http_server',
  'inet_http_server',
  'include',
]);

/**
 * Splits `program:web` into its kind and name; null for a section svd does not know. The name is trimmed, as
 * supervisor's process_or_group_name trims it: `[program: web]` runs a program named `web`.
 */
export function classifySection(name: string): { kind: SectionKind; name: string } | null {
  const colon = name.indexOf(':');
  if (colon < 0)
    return singletonKinds.has(name as SectionKind) ? { kind: name as SectionKind, name: '' } : null;
  const prefix = name.slice(0, colon);
  if (prefix in namedSectionKeys)
    return { kind: prefix as NamedSectionKind, name: name.slice(colon + 1).trim() };
  return null;
}

/**
 * The name after the colon exactly as written. A group finds its members by it: supervisor looks for the
 * section `program:` + member, so `programs=web` does not find `[program: web]`.
 */
export function writtenName(section: RawSection): string {
  return section.name.slice(section.name.indexOf(':') + 1);
}
