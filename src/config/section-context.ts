// Pure: what every section normaliser shares: the merged sections, the host, diagnostics, and
// the values each section produced for the schema document.
import type { Diagnostic, SourceLocation } from '../model/diagnostics.js';
import type { ConfigHost } from './config-host.js';
import type { EnvHint } from './expansion-failure.js';
import { absolutePath, expandUser, missingParentDirectory, type PathHost } from './path-checks.js';
import type { Expansions } from './interpolate.js';
import { materializeSection, unknownDefaultOptions, type Materialized } from './materialize.js';
import type { RawSection, RawValue } from './raw-section.js';
import { definitionOfKind, sectionInfo, type SectionInfo } from './schema-info.js';

/**
 * The shared state of one load: every normaliser adds its diagnostics and document entries here, and reads
 * the host, [DEFAULT] and the expansions that earlier sections (such as [supervisord]) set.
 */
export class SectionContext {
  readonly diagnostics: Diagnostic[] = [];
  /** The schema document, one entry per section (first process for programs), for ajv. */
  readonly document: Record<string, unknown> = {};
  /**
   * The section behind each document entry, to locate values: recorded as pairs, and made a map
   * ("programs/web" -> its raw section) only when a diagnostic needs a location, which most loads never do.
   */
  private readonly documentEntries: { readonly path: readonly string[]; readonly section: RawSection }[] = [];
  private documentSections: Map<string, RawSection> | null = null;
  /** ENV_<NAME> for the daemon's environment and [supervisord] environment=. */
  envExpansions: Record<string, string> = Object.create(null) as Record<string, string>;
  /** [supervisord] environment=, merged under every program's own environment (spec §2.8). */
  globalEnvironment: Record<string, string> = {};

  readonly host: ConfigHost;
  readonly defaults: ReadonlyMap<string, RawValue>;
  readonly strict: boolean;
  /** The host with isDirectory answered from the cache below. */
  private readonly cachedHost: PathHost;

  /** Each file's place in the reading order, for %(here)s in a section continued in another file. */
  readonly fileOrder: ReadonlyMap<string, number> | undefined;

  constructor(
    host: ConfigHost,
    defaults: ReadonlyMap<string, RawValue>,
    strict: boolean,
    fileOrder?: ReadonlyMap<string, number>,
  ) {
    this.host = host;
    this.fileOrder = fileOrder;
    this.cachedHost = { cwd: host.cwd, env: host.env, isDirectory: (p) => this.isDirectory(p) };
    this.defaults = defaults;
    this.strict = strict;
    for (const [k, v] of Object.entries(host.env)) if (v !== undefined) this.envExpansions[`ENV_${k}`] = v;
  }

  /** [DEFAULT] options that are an option of no section: a warning each (--strict: an error). */
  unknownDefaults(): Diagnostic[] {
    if (this.defaults.size === 0) return [];
    const known = new Set(Object.values(definitionOfKind).flatMap((d) => [...sectionInfo(d).options.keys()]));
    return unknownDefaultOptions(this.defaults, known, this.strict);
  }

  error(location: SourceLocation, code: string, message: string, extra: Partial<Diagnostic> = {}): void {
    this.diagnostics.push({ severity: 'error', code, message, ...location, ...extra });
  }

  warn(location: SourceLocation, code: string, message: string, extra: Partial<Diagnostic> = {}): void {
    this.diagnostics.push({ severity: 'warning', code, message, ...location, ...extra });
  }

  /** Materializes a section and records its values and option locations in the document. */
  materialize(
    section: RawSection,
    definition: string,
    documentPath: readonly string[],
    expansionsFor: (option: string) => Expansions,
    extra: {
      expandTwice?: ReadonlySet<string>;
      verbatim?: ReadonlySet<string>;
      only?: ReadonlySet<string>;
      skip?: ReadonlySet<string>;
      envHintFor?: (option: string) => EnvHint;
    } = {},
    record = true,
  ): Materialized & { info: SectionInfo } {
    const info = sectionInfo(definition);
    const result = materializeSection({
      section,
      info,
      defaults: this.defaults,
      expansionsFor,
      envHintFor: extra.envHintFor,
      expandTwice: extra.expandTwice,
      verbatim: extra.verbatim,
      strict: this.strict,
      reportUnknown: record,
      only: extra.only,
      skip: extra.skip,
      fileOrder: this.fileOrder,
    });
    this.diagnostics.push(...result.diagnostics);
    if (record) {
      let node: Record<string, unknown> = this.document;
      for (const key of documentPath.slice(0, -1)) {
        node[key] ??= {};
        node = node[key] as Record<string, unknown>;
      }
      const last = documentPath[documentPath.length - 1] as string;
      node[last] = result.values;
      this.documentEntries.push({ path: documentPath, section });
      this.documentSections = null;
    }
    // A literal, not a spread of `result`: 20,000 of these for 10,000 programs.
    return { values: result.values, rawOf: result.rawOf, diagnostics: result.diagnostics, info };
  }

  /** Where the document value at `path` was written: its option's line, else its section's. */
  locate(path: readonly string[], fallback: SourceLocation): SourceLocation {
    this.documentSections ??= new Map(this.documentEntries.map((e) => [e.path.join('/'), e.section]));
    for (let n = Math.min(path.length, 2); n > 0; n--) {
      const section = this.documentSections.get(path.slice(0, n).join('/'));
      if (!section) continue;
      const option = path[n];
      const raw =
        option === undefined ? undefined : (section.options.get(option) ?? this.defaults.get(option));
      return raw?.location ?? section.location;
    }
    return fallback;
  }

  /** Expands a leading ~ as Python's expanduser does. */
  expandUser(path: string): string {
    return expandUser(path, this.host);
  }

  absolute(path: string): string {
    return absolutePath(path, this.host);
  }

  private readonly directories = new Map<string, boolean>();

  /** host.isDirectory, asked once per folder (10,000 programs often log into one folder). */
  isDirectory(path: string): boolean {
    let known = this.directories.get(path);
    if (known === undefined) {
      known = this.host.isDirectory(path);
      this.directories.set(path, known);
    }
    return known;
  }

  /** Checks that the folder of a file path exists, as supervisor does at parse time. */
  checkParentDirectory(path: string, at: SourceLocation, option: string, section: string): void {
    const dir = missingParentDirectory(path, this.cachedHost);
    if (dir !== null) {
      this.error(at, 'SVD-CONF-NO-DIRECTORY', `${option}: the directory ${dir} of ${path} does not exist`, {
        section,
        option,
        value: path,
      });
    }
  }

  checkUser(user: string, at: SourceLocation, option: string, section: string): void {
    if (!this.host.userExists(user)) {
      const problem = user === '' ? 'an empty user name' : `no such user '${user}'`;
      this.error(at, 'SVD-CONF-USER', `${option}: ${problem}`, { section, option, value: user });
    }
  }

  /** `user` or `user:group` (chown=, socket_owner=): as supervisor's colon_separated_user_group, both must exist. */
  checkOwner(owner: string, at: SourceLocation, option: string, section: string): void {
    const colon = owner.indexOf(':');
    this.checkUser(colon < 0 ? owner : owner.slice(0, colon), at, option, section);
    if (colon < 0) return;
    const group = owner.slice(colon + 1);
    if (!this.host.groupExists(group)) {
      const problem = group === '' ? 'an empty group name' : `no such group '${group}'`;
      this.error(at, 'SVD-CONF-GROUP', `${option}: ${problem}`, { section, option, value: owner });
    }
  }
}

/** Fills every option the schema gives a default, under the values that were set. */
export function withDefaults(info: SectionInfo, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, option] of info.options) {
    const d = option.default;
    if (d === undefined) continue;
    out[name] = Array.isArray(d) ? [...(d as unknown[])] : d !== null && typeof d === 'object' ? { ...d } : d;
  }
  return Object.assign(out, values);
}
