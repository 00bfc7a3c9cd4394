// Loads a configuration: read files and includes, merge, expand, convert, validate, normalise.
// Returns every problem found as diagnostics; `config` is null when any of them is an error.
import { resolve } from 'node:path';
import type { ControlSettings, EffectiveConfig, RpcInterfaceSpec } from '../model/config.js';
import { hasErrors, type Diagnostic, type SourceLocation } from '../model/diagnostics.js';
import { currentHost, type ConfigHost } from './config-host.js';
import { mergeSections } from './merge-sections.js';
import {
  normalizeInetServer,
  normalizeRpcInterface,
  normalizeSupervisorctl,
  normalizeSupervisord,
  normalizeUnixServer,
  readGlobalEnvironment,
} from './normalize-daemon.js';
import { normalizeGroups } from './normalize-programs.js';
import type { ProgramSource } from './program-processes.js';
import { classifySection, type RawFile, type RawSection } from './raw-section.js';
import { readSources } from './read-sources.js';
import { SectionContext } from './section-context.js';
import { validateDocument } from './validate-document.js';

/** What to read: `configFile` or `paths`; `host` defaults to the machine svd runs on. */
export interface LoadOptions {
  /** supervisord's main file (-c): it must hold a [supervisord] section. */
  readonly configFile?: string | undefined;
  /** Files or folders (-f): every *.conf *.ini *.yaml *.yml of a folder, in lexical order. */
  readonly paths?: readonly string[] | undefined;
  /** Unknown options and sections are errors instead of warnings. */
  readonly strict?: boolean | undefined;
  readonly host?: ConfigHost | undefined;
}

/** `config` is null when any diagnostic is an error; `diagnostics` are in reading order, without repeats. */
export interface LoadResult {
  readonly config: EffectiveConfig | null;
  readonly diagnostics: Diagnostic[];
}

export { defaultConfigCandidates, findDefaultConfig } from './default-paths.js';

/** The files of a configuration read and their sections merged, before any section is normalised. */
interface MergedSources {
  readonly mainFile: string | undefined;
  readonly source: string;
  readonly strict: boolean;
  /** Problems reading the files, and warnings of [supervisorctl] sections left out. */
  readonly diagnostics: Diagnostic[];
  readonly merged: ReturnType<typeof mergeSections>;
  readonly filesRead: string[];
  readonly ctx: SectionContext;
  readonly fallback: SourceLocation;
}

/** Reads the files and includes and merges their sections; `failed` when a file could not be read. */
function readAndMerge(options: LoadOptions): MergedSources | { failed: LoadResult } {
  const host = options.host ?? currentHost();
  const strict = options.strict ?? false;
  const mainFile = options.configFile !== undefined ? resolve(host.cwd, options.configFile) : undefined;
  const paths = mainFile !== undefined ? [mainFile] : [...(options.paths ?? [])];
  const source =
    paths.length === 1
      ? resolve(host.cwd, paths[0] as string)
      : paths.map((p) => resolve(host.cwd, p)).join(',');
  if (mainFile !== undefined && host.isDirectory(mainFile)) {
    // supervisord cannot read a folder (`could not read config file DIR`); read as -f's folder, its files would
    // each be a main file, and the error would be a missing [supervisord] section.
    const message = `could not read config file ${mainFile}: it is a folder (-c names supervisord's main file; -f reads every config file of a folder)`;
    return {
      failed: {
        config: null,
        diagnostics: [
          { severity: 'error', code: 'SVD-CONF-FILE', message, file: mainFile, line: 0, column: 0 },
        ],
      },
    };
  }
  const read = readSources(paths, host);
  const diagnostics: Diagnostic[] = [...read.diagnostics];
  if (hasErrors(diagnostics)) return { failed: { config: null, diagnostics } };

  const files = mainFile === undefined ? read.files : withoutIncludedSupervisorctl(read.files, mainFile);
  diagnostics.push(...files.flatMap((f) => ('ignored' in f ? [f.ignored] : [])));
  const merged = mergeSections(files.map((f) => ('ignored' in f ? f.file : f)));
  // A file read twice (an include matched it again) keeps its first place.
  const filesRead = [...new Set(read.files.map((f) => f.path))];
  const fileOrder = new Map(filesRead.map((path, i) => [path, i]));
  const ctx = new SectionContext(host, merged.defaults, strict, fileOrder);
  const fallback: SourceLocation = { file: read.files[0]?.path ?? source, line: 0, column: 0 };
  return { mainFile, source, strict, diagnostics, merged, filesRead, ctx, fallback };
}

const controlSections = new Set(['unix_http_server', 'inet_http_server', 'supervisorctl']);

/**
 * Only where the daemon of a configuration listens and with which credentials, for a client that must reach
 * it (`svd ctl -f`): a mistake in a program section is the daemon's to report (update's CANT_REREAD), and
 * must not keep the client from status, stop or update, as supervisorctl, which reads [supervisorctl]
 * alone, is not kept from them. Null with the diagnostics when the files cannot be read or those sections
 * are wrong.
 */
export function loadControlSettings(options: LoadOptions): {
  settings: ControlSettings | null;
  diagnostics: Diagnostic[];
} {
  const read = readAndMerge(options);
  if ('failed' in read) return { settings: null, diagnostics: read.failed.diagnostics };
  const { merged, ctx } = read;
  // The servers' %(ENV_X)s may name [supervisord] environment=, as the daemon reads them.
  readGlobalEnvironment(ctx, merged.sections.get('supervisord'));
  const unixSection = merged.sections.get('unix_http_server');
  const inetSection = merged.sections.get('inet_http_server');
  const settings: ControlSettings = {
    unix_http_server: unixSection ? normalizeUnixServer(ctx, unixSection) : null,
    inet_http_server: inetSection ? normalizeInetServer(ctx, inetSection) : null,
    supervisorctl: normalizeSupervisorctl(ctx, merged.sections.get('supervisorctl')),
  };
  const diagnostics = [
    ...read.diagnostics,
    ...merged.diagnostics.filter((d) => d.section !== undefined && controlSections.has(d.section)),
    ...ctx.diagnostics,
  ];
  return { settings: hasErrors(diagnostics) ? null : settings, diagnostics };
}

/**
 * Reads, expands, validates and normalises a configuration (-c FILE, or -f files and folders): the effective
 * config, or null when any diagnostic is an error. Every problem found is in `diagnostics`; nothing is thrown
 * for a user's mistake.
 */
export function loadConfig(options: LoadOptions): LoadResult {
  const read = readAndMerge(options);
  if ('failed' in read) return read.failed;
  const { mainFile, source, merged, filesRead, ctx, fallback, strict } = read;
  const diagnostics = [...read.diagnostics, ...merged.diagnostics, ...ctx.unknownDefaults()];

  const byKind = (kind: string): RawSection[] =>
    [...merged.sections.values()].filter((s) => classifySection(s.name)?.kind === kind);
  const supervisordSection = merged.sections.get('supervisord');
  if (mainFile !== undefined && !supervisordSection) {
    ctx.error(
      { file: mainFile, line: 0, column: 0 },
      'SVD-CONF-NO-SUPERVISORD',
      'the file has no [supervisord] section (supervisord requires one)',
    );
  }
  const supervisord = normalizeSupervisord(ctx, supervisordSection, fallback);
  const unixSection = merged.sections.get('unix_http_server');
  const inetSection = merged.sections.get('inet_http_server');
  const unix_http_server = unixSection ? normalizeUnixServer(ctx, unixSection) : null;
  const inet_http_server = inetSection ? normalizeInetServer(ctx, inetSection) : null;
  const supervisorctl = normalizeSupervisorctl(ctx, merged.sections.get('supervisorctl'));
  const rpcinterfaces: RpcInterfaceSpec[] = [];
  for (const section of byKind('rpcinterface')) {
    const spec = normalizeRpcInterface(ctx, section, section.name.slice('rpcinterface:'.length));
    if (spec) rpcinterfaces.push(spec);
  }
  const sources: ProgramSource[] = [];
  for (const section of merged.sections.values()) {
    const c = classifySection(section.name);
    if (c && (c.kind === 'program' || c.kind === 'eventlistener' || c.kind === 'fcgi-program')) {
      sources.push({ kind: c.kind, name: c.name, section });
    }
  }
  const groups = normalizeGroups(ctx, sources, byKind('group'));

  diagnostics.push(...ctx.diagnostics);
  // An option whose value was refused is missing from the document: "requires" it again would say it twice.
  const refused = new Set(
    ctx.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.section}\0${d.option}`),
  );
  diagnostics.push(
    ...validateDocument(ctx.document, (path) => ctx.locate(path, fallback)).filter(
      (d) => d.code !== 'SVD-CONF-REQUIRED' || !refused.has(`${d.section}\0${d.option}`),
    ),
  );
  const unique = inReadingOrder(
    dedupe(strict ? diagnostics.map(unknownSectionIsError) : diagnostics),
    filesRead,
  );
  if (hasErrors(unique)) return { config: null, diagnostics: unique };
  return {
    config: {
      source,
      files: filesRead,
      supervisord,
      supervisorctl,
      unix_http_server,
      inet_http_server,
      rpcinterfaces,
      groups,
    },
    diagnostics: unique,
  };
}

/** --strict: an unknown section (or YAML top-level key) is an error, as an unknown option is. */
function unknownSectionIsError(d: Diagnostic): Diagnostic {
  if (d.code !== 'SVD-CONF-UNKNOWN-SECTION' || d.severity !== 'warning') return d;
  return { ...d, severity: 'error', message: d.message.replace(/ is ignored$/, '') };
}

/**
 * The files with the [supervisorctl] sections of included files taken out, each with a warning. supervisorctl
 * reads [supervisorctl] from the main file only (it does not follow [include]) and supervisord never reads it,
 * so an included one configures nothing; `svd ctl` reads it as supervisorctl does, and so must `svd config`.
 */
function withoutIncludedSupervisorctl(
  files: readonly RawFile[],
  mainFile: string,
): (RawFile | { file: RawFile; ignored: Diagnostic })[] {
  return files.map((file) => {
    const section =
      file.path === mainFile ? undefined : file.sections.find((s) => s.name === 'supervisorctl');
    if (!section) return file;
    const ignored: Diagnostic = {
      severity: 'warning',
      code: 'SVD-CONF-SUPERVISORCTL-INCLUDED',
      message: `[supervisorctl] in an included file is ignored: supervisorctl reads it from the main file only (${mainFile})`,
      ...section.location,
      section: 'supervisorctl',
      hint: 'move it into the main file',
    };
    return { file: { ...file, sections: file.sections.filter((s) => s !== section) }, ignored };
  });
}

/**
 * Diagnostics as a reader meets them: file by file in the order they were read, then by line and column.
 * The checks run option by option and then across sections (numprocs against process_name, the schema), so
 * they find problems out of order; the first error is also the one the daemon reports at start.
 */
function inReadingOrder(diagnostics: Diagnostic[], files: readonly string[]): Diagnostic[] {
  const rank = new Map(files.map((f, i) => [f, i]));
  const fileRank = (d: Diagnostic) => rank.get(d.file) ?? files.length;
  return diagnostics.sort((a, b) => fileRank(a) - fileRank(b) || a.line - b.line || a.column - b.column);
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.severity}|${d.file}|${d.line}|${d.column}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
