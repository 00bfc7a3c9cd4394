// Effect: reads the config files a command names, then the files their [include] globs match.
import { statSync, readdirSync, type Stats } from 'node:fs';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import type { Diagnostic, SourceLocation } from '../model/diagnostics.js';
import { ConfigTooLargeError, readConfigBytes } from './bounded-read.js';
import { coerceValue } from './coerce.js';
import { globFiles } from './glob.js';
import { parseIni } from './ini-reader.js';
import { envHints, expansionFailure } from './expansion-failure.js';
import { expand, expansionScope, type ExpandResult, type Expansions } from './interpolate.js';
import type { RawFile, RawValue } from './raw-section.js';
import { parseYaml } from './yaml-reader.js';

/** What reading needs of the machine: for relative paths, and %(ENV_X)s and %(host_node_name)s in files=. */
export interface ReadHost {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly hostname: string;
}

/** Files svd reads from a folder given with -f, in lexical order. */
const configExtensions = new Set(['.conf', '.ini', '.yaml', '.yml']);

/** Whether a file is named like a configuration file (*.conf, *.ini, *.yaml, *.yml). */
export function isConfigFileName(path: string): boolean {
  return configExtensions.has(extname(path).toLowerCase());
}

/** The files read, main files and includes in reading order, and any problems reading them. */
export interface ReadResult {
  readonly files: RawFile[];
  readonly diagnostics: Diagnostic[];
}

function isYamlPath(path: string): boolean {
  const ext = extname(path).toLowerCase();
  return ext === '.yaml' || ext === '.yml';
}

function fileError(file: string, message: string, code = 'SVD-CONF-FILE', at?: SourceLocation): Diagnostic {
  return {
    severity: 'error',
    code,
    message,
    file: at?.file ?? file,
    line: at?.line ?? 0,
    column: at?.column ?? 0,
  };
}

/** Reads `paths` (files, or folders whose *.conf *.ini *.yaml *.yml are read in order) and their includes. */
export function readSources(paths: readonly string[], host: ReadHost): ReadResult {
  const files: RawFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const done = new Set<string>();
  // The files that were read and parsed: only these are read again when a pattern matches them again.
  const parsedPaths = new Set<string>();

  const envExpansions = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(host.env)) if (v !== undefined) envExpansions[`ENV_${k}`] = v;

  /**
   * Reads one file. As in supervisor, only a main file's [include] is followed: an included file's is ignored.
   * supervisor reads a file each time an include pattern matches it, the main file too (`files = conf.d/*.conf`
   * in conf.d/supervisord.conf): its options are applied again there, over those of the files read in between.
   * So an INI file matched again is read again, without repeating its warnings.
   */
  const readOne = (path: string, includedFrom?: SourceLocation, named = false): void => {
    const again = done.has(path);
    if (again && (includedFrom === undefined || !parsedPaths.has(path) || isYamlPath(path))) return;
    done.add(path);
    const text = readText(path, diagnostics, includedFrom, named);
    if (text === null) return;
    const yaml = isYamlPath(path);
    if (!yaml && text.startsWith('\ufeff')) {
      // supervisor reads the mark as text before the first header and refuses the file ("File contains no
      // section headers"), included files too; a file saved by a Windows editor would run under svd only.
      diagnostics.push(
        fileError(
          path,
          'the file starts with a UTF-8 byte order mark, which supervisor refuses (File contains no section headers): save it as UTF-8 without BOM',
          'SVD-CONF-ENCODING',
          { file: path, line: 1, column: 1 },
        ),
      );
      return;
    }
    const parsed = yaml ? parseYaml(text.replace(/^\ufeff/, ''), path) : parseIni(text, path);
    if (!again) diagnostics.push(...collapseSyntaxErrors(parsed.diagnostics));
    parsedPaths.add(path);
    const file: RawFile = again ? { ...parsed.file, readAgain: true } : parsed.file;
    files.push(file);
    const includeIndex = file.sections.findIndex((s) => s.name === 'include');
    if (includeIndex < 0) return;
    const [include] = file.sections.splice(includeIndex, 1);
    if (!include) return;
    if (includedFrom) {
      if (again) return;
      diagnostics.push({
        severity: 'warning',
        code: 'SVD-CONF-INCLUDE-NESTED',
        message: 'ignored: [include] is read only in a main file, not in an included one (as supervisor)',
        ...include.location,
      });
      return;
    }
    const filesOption = include.options.get('files') ?? file.defaults.get('files');
    if (!filesOption) {
      diagnostics.push(
        fileError(path, '[include] section has no files setting', 'SVD-CONF-REQUIRED', include.location),
      );
      return;
    }
    const here = dirname(path);
    const expansions = expansionScope(envExpansions, { here, host_node_name: host.hostname });
    const patterns = includePatterns(filesOption, expansions);
    if ('message' in patterns) {
      diagnostics.push({
        ...fileError(path, patterns.message, patterns.code, patterns.at),
        section: 'include',
        option: 'files',
        value: filesOption.value,
        hint: patterns.hint,
      });
      return;
    }
    for (const expanded of patterns.patterns) {
      const pattern = isAbsolute(expanded) ? expanded : join(here, expanded);
      const matches = globFiles(pattern);
      if (matches.length === 0) {
        diagnostics.push({
          severity: 'warning',
          code: 'SVD-CONF-INCLUDE-EMPTY',
          message: `no file matches include pattern "${pattern}"`,
          ...filesOption.location,
          hint: patterns.splitByExpansion
            ? 'files= is split at whitespace after its %(...)s names are expanded, as supervisor splits it: a value with a space (a folder name?) makes two patterns'
            : undefined,
        });
      }
      for (const match of matches) {
        if (!isDirectory(match)) {
          readOne(match, filesOption.location);
          continue;
        }
        // supervisor reads nothing from a folder named without a pattern, silently; a glob's folders are skipped.
        if (!/[*?[]/.test(expanded))
          diagnostics.push({
            severity: 'warning',
            code: 'SVD-CONF-INCLUDE-EMPTY',
            message: `include "${expanded}" names a folder, and a folder is not read`,
            ...filesOption.location,
            hint: `write ${join(expanded, '*.conf')} to read its files`,
          });
      }
    }
  };

  const emptyFolders: string[] = [];
  for (const given of paths) {
    const path = resolve(host.cwd, given);
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      diagnostics.push(fileError(path, `could not find config file ${path}`, 'SVD-CONF-NOT-FOUND'));
      continue;
    }
    if (!isDir) {
      readOne(path, undefined, true);
      continue;
    }
    let names: string[];
    try {
      names = readdirSync(path);
    } catch (error) {
      diagnostics.push(fileError(path, `could not read folder ${path} (${errorCode(error)})`));
      continue;
    }
    names = names.filter((n) => isConfigFileName(n) && !n.startsWith('.')).sort();
    if (names.length === 0) emptyFolders.push(path);
    for (const name of names) readOne(join(path, name));
  }
  // Nothing read from the folders given: a mistyped or emptied folder must not read as "no programs", which an
  // apply would carry out by removing every program.
  if (files.length === 0 && diagnostics.length === 0)
    for (const folder of emptyFolders)
      diagnostics.push(
        fileError(
          folder,
          `no config file in ${folder} (no *.conf, *.ini, *.yaml or *.yml file)`,
          'SVD-CONF-EMPTY-FOLDER',
        ),
      );
  return { files, diagnostics };
}

/**
 * The patterns of [include] files=. As supervisor does, an INI value is expanded whole and then split at
 * whitespace: `files = %(ENV_CONF_FILES)s` may name several patterns, and a %(here)s with a space in it splits
 * (splitByExpansion says the expansion added a split). YAML's list items are expanded one by one.
 */
function includePatterns(
  raw: RawValue,
  expansions: Expansions,
):
  | { readonly patterns: string[]; readonly splitByExpansion: boolean }
  | {
      readonly message: string;
      readonly code: string;
      readonly hint?: string | undefined;
      readonly at: SourceLocation;
    } {
  const words = (text: string) => text.split(/\s+/).filter((w) => w !== '');
  const value = raw.value;
  // Expanded before [supervisord] is read: its environment= does not apply here.
  const refused = (text: string, failure: Extract<ExpandResult, { ok: false }>, at: SourceLocation) => ({
    ...expansionFailure('files', 'files', text, failure, expansions, envHints.include),
    at,
  });
  if (typeof value === 'string') {
    const expanded = expand(value, expansions);
    if (!expanded.ok) return refused(value, expanded, raw.locationAt?.(expanded.at) ?? raw.location);
    const patterns = words(expanded.value);
    return { patterns, splitByExpansion: patterns.length > words(value).length };
  }
  const items = coerceValue('words', value);
  if (!items.ok)
    return {
      message: `invalid value for files: expected ${items.expected}`,
      code: 'SVD-CONF-TYPE',
      at: raw.location,
    };
  const patterns: string[] = [];
  for (const item of items.value as string[]) {
    const expanded = expand(item, expansions);
    if (!expanded.ok) return refused(item, expanded, raw.location);
    patterns.push(expanded.value);
  }
  return { patterns, splitByExpansion: false };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // Gone or unreadable: reading it says which.
  }
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'error';
}

/** What a path that is not a regular file is, for a message. */
function specialKind(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * The text of one config file, or null with a diagnostic. Only a file named on the command line may be other than a
 * regular file (`-c <(generate)` is a pipe): an included FIFO would block the daemon forever and `/dev/zero` would
 * fill its memory.
 */
function readText(
  path: string,
  diagnostics: Diagnostic[],
  at?: SourceLocation,
  named = false,
): string | null {
  let bytes: Buffer;
  try {
    const stats = statSync(path);
    if (!named && !stats.isFile()) {
      diagnostics.push(
        fileError(
          path,
          `could not read config file ${path}: it is ${specialKind(stats)}`,
          'SVD-CONF-FILE',
          at,
        ),
      );
      return null;
    }
    bytes = readConfigBytes(path);
  } catch (error) {
    if (error instanceof ConfigTooLargeError) {
      diagnostics.push(fileError(path, error.message));
      return null;
    }
    const code = errorCode(error);
    const message =
      code === 'ENOENT'
        ? `could not find config file ${path}`
        : `could not read config file ${path} (${code})`;
    diagnostics.push(fileError(path, message, 'SVD-CONF-FILE', at));
    return null;
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    diagnostics.push(
      fileError(
        path,
        'not a text file (it contains NUL bytes)',
        'SVD-CONF-ENCODING',
        lineAt(bytes, nul, path),
      ),
    );
    return null;
  }
  try {
    // The byte order mark is kept: whether it is allowed depends on the format (YAML allows it, supervisor not).
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    diagnostics.push(
      fileError(path, `invalid UTF-8 at byte ${bad}`, 'SVD-CONF-ENCODING', lineAt(bytes, bad, path)),
    );
    return null;
  }
}

function lineAt(bytes: Buffer, offset: number, file: string): SourceLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { file, line, column: offset - lineStart + 1 };
}

function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const c = bytes[i] as number;
    const extra = c < 0x80 ? 0 : c >> 5 === 6 ? 1 : c >> 4 === 14 ? 2 : c >> 3 === 30 ? 3 : -1;
    if (extra < 0 || i + extra >= bytes.length + (extra === 0 ? 1 : 0)) return i;
    for (let k = 1; k <= extra; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += extra + 1;
  }
  return i;
}

/** A garbage file would give one syntax error per line: keep the first of a file and count the rest. */
function collapseSyntaxErrors(diagnostics: Diagnostic[]): Diagnostic[] {
  const syntax = diagnostics.filter((d) => d.code === 'SVD-CONF-SYNTAX');
  if (syntax.length <= 3) return diagnostics;
  const first = syntax[0] as Diagnostic;
  const rest = diagnostics.filter((d) => d.code !== 'SVD-CONF-SYNTAX');
  return [
    { ...first, message: `${first.message} (and ${syntax.length - 1} more lines that are not valid)` },
    ...rest,
  ];
}
