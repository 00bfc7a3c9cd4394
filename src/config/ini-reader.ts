// Pure: reads supervisord.conf's INI dialect (Python's RawConfigParser as supervisor configures it,
// spec §2.2) into positioned sections. The `ini` package is not used here: it has no line numbers,
// no continuation lines and different inline-comment rules.
import type { Diagnostic, SourceLocation } from '../model/diagnostics.js';
import type { RawFile, RawSection, RawValue } from './raw-section.js';

// Python's whitespace (str.isspace, which configparser's strip() and its regexes' \s use), not JavaScript's:
// JavaScript's \s and trim() also take U+FEFF (a BOM) and leave out \x1c-\x1f and U+0085, which Python
// counts as blanks. With JavaScript's set, '\ufeff[program:x]' was a header (supervisor: an option of the
// section above) and 'startsecs=5\x1f' an invalid integer (supervisor: 5).
const PY_SPACE =
  '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const pySpace = new RegExp(`[${PY_SPACE}]`);
const pyLeading = new RegExp(`^[${PY_SPACE}]+`);
const pyTrailing = new RegExp(`[${PY_SPACE}]+$`);
const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || (c !== undefined && c !== '' && pySpace.test(c));
const trimStartPy = (s: string): string => s.replace(pyLeading, '');
const trimEndPy = (s: string): string => s.replace(pyTrailing, '');
/** Python's str.strip(): its blanks at both ends. */
export const trimPy = (s: string): string => trimEndPy(trimStartPy(s));

/**
 * Where a `;` or `#` starts an inline comment (at column 0 or after whitespace), or -1. Python's configparser
 * looks for the two in step: the first `;` and the first `#`, then the second of each, and so on, stopping at
 * the first round in which either qualifies. So in `a;b ;c #d` the round that finds the `#` ends the search
 * before the ` ;` is reached, and the value is `a;b ;c`.
 */
function inlineCommentStart(line: string): number {
  const starts = (i: number) => i === 0 || (i > 0 && isSpace(line[i - 1]));
  let semicolon = line.indexOf(';');
  let hash = line.indexOf('#');
  while (semicolon >= 0 || hash >= 0) {
    const s = starts(semicolon) ? semicolon : -1;
    const h = starts(hash) ? hash : -1;
    if (s >= 0 || h >= 0) return s < 0 ? h : h < 0 ? s : Math.min(s, h);
    if (semicolon >= 0) semicolon = line.indexOf(';', semicolon + 1);
    if (hash >= 0) hash = line.indexOf('#', hash + 1);
  }
  return -1;
}

/** The first `=` or `:` of an option line (Python's OPTCRE takes the shortest name), or -1. */
function separatorIndex(value: string): number {
  const eq = value.indexOf('=');
  const colon = value.indexOf(':');
  if (eq < 0) return colon;
  if (colon < 0) return eq;
  return Math.min(eq, colon);
}

/** The column of the first non-blank character; the line's length when it is blank. */
function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && isSpace(line[i])) i++;
  return i;
}

/**
 * An option's text and position, with the position kept flat: a location object is made only when asked for
 * (a diagnostic), not for each of the 120,000 options of a 10,000-program configuration, all of which live
 * until the load ends.
 */
class IniValue implements RawValue {
  readonly value: string;
  readonly #file: string;
  readonly #line: number;
  readonly #column: number;
  /** The column of the value's first character, after `name =`. */
  readonly #valueColumn: number;
  readonly #more: readonly (readonly [line: number, column: number])[] | undefined;
  constructor(
    value: string,
    file: string,
    line: number,
    column: number,
    valueColumn: number,
    more?: readonly (readonly [number, number])[],
  ) {
    this.value = value;
    this.#file = file;
    this.#line = line;
    this.#column = column;
    this.#valueColumn = valueColumn;
    this.#more = more;
  }
  get location(): SourceLocation {
    return { file: this.#file, line: this.#line, column: this.#column };
  }
  get continuedAt(): readonly SourceLocation[] | undefined {
    return this.#more?.map(([line, column]) => ({ file: this.#file, line, column }));
  }
  locationAt(index: number): SourceLocation {
    // The value is its lines joined with \n, each as written from its first non-blank character.
    const before = this.value.slice(0, Math.max(0, index));
    const lineIndex = before.split('\n').length - 1;
    const offset = index - (before.lastIndexOf('\n') + 1);
    const start = lineIndex === 0 ? [this.#line, this.#valueColumn] : this.#more?.[lineIndex - 1];
    if (start === undefined) return this.location;
    return { file: this.#file, line: start[0], column: start[1] + offset };
  }
}

/**
 * One string for each distinct option name and short value: 10,000 programs repeat `command`, `autostart` and
 * `true` 10,000 times each, and every copy would live until the load ends. Bounded, so that odd input cannot
 * grow it without end; past the bound strings are simply not shared.
 */
const shared = new Map<string, string>();
const SHARED_MAX = 8192;
const SHARED_LENGTH = 16;

function share(text: string): string {
  if (text.length > SHARED_LENGTH) return text;
  const known = shared.get(text);
  if (known !== undefined) return known;
  if (shared.size < SHARED_MAX) shared.set(text, text);
  return text;
}

/** How much of a file parseIni keeps. */
export interface IniReadOptions {
  /**
   * The sections whose options are kept (default: all). The others are still read line by line, so a syntax
   * error anywhere is reported, but nothing of theirs is stored: `svd ctl` needs [supervisorctl] of a file that
   * may define 1,000 programs.
   */
  readonly keepSection?: (name: string) => boolean;
}

/**
 * Reads one INI file as supervisor's RawConfigParser does: option names lower-cased, `;`/`#` comments,
 * indented continuation lines, a repeated section or option merged (the later value wins). Never throws: a
 * line it cannot read is an error diagnostic and the rest of the file is still read.
 */
export function parseIni(
  text: string,
  file: string,
  options: IniReadOptions = {},
): { file: RawFile; diagnostics: Diagnostic[] } {
  const keepSection = options.keepSection ?? (() => true);
  // The target of the options of a section that is not kept: never written, so always empty.
  const discarded = new Map<string, RawValue>();
  const diagnostics: Diagnostic[] = [];
  const sections = new Map<string, RawSection>();
  const defaults = new Map<string, RawValue>();
  let current: Map<string, RawValue> | null = null;
  let currentName = '';
  let indentLevel = Number.MAX_SAFE_INTEGER;
  // The option being read: its first line, and its continuation lines once there are any.
  let openKey: string | null = null;
  let openFirst = '';
  let openMore: string[] | null = null;
  // Where each of openMore's lines starts.
  let openMoreAt: [number, number][] = [];
  let openLine = 0;
  let openColumn = 0;
  let openValueColumn = 0;
  let openTarget: Map<string, RawValue> = defaults;

  const close = () => {
    if (openKey === null) return;
    if (openTarget !== discarded) {
      const value = openMore === null ? openFirst : trimEndPy([openFirst, ...openMore].join('\n'));
      const more = openMore === null ? undefined : openMoreAt;
      openTarget.set(openKey, new IniValue(value, file, openLine, openColumn, openValueColumn, more));
    }
    openKey = null;
    openMore = null;
  };

  const continueOpen = (text: string, line: number, indent: number) => {
    if (openMore === null) {
      openMore = [];
      openMoreAt = [];
    }
    openMore.push(text);
    openMoreAt.push([line, indent + 1]);
  };

  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (let index = 0; index < lines.length; index++) {
    const rawLine = lines[index] as string;
    const lineNo = index + 1;
    const indent = indentOf(rawLine);
    const first = rawLine[indent];
    const commentStart = first === ';' || first === '#' ? 0 : inlineCommentStart(rawLine);
    const value = trimPy(commentStart >= 0 ? rawLine.slice(0, commentStart) : rawLine);
    if (!value) {
      // An empty line continues a value (as '' in it); a comment line is skipped without ending it.
      if (commentStart < 0 && openKey !== null) continueOpen('', lineNo, indent);
      continue;
    }
    if (openKey !== null && indent > indentLevel) {
      // A snippet pasted with its indentation: its header is text of the option above, and so is every
      // option after it, so its programs silently do not exist (supervisor reads it the same way).
      if (value[0] === '[' && value.lastIndexOf(']') > 1) {
        diagnostics.push({
          severity: 'warning',
          code: 'SVD-CONF-INDENTED-HEADER',
          message: `'${truncate(value)}' is indented, so it is not a section header: it and the indented lines after it continue option '${openKey}' of [${currentName}], as supervisor reads them`,
          file,
          line: lineNo,
          column: indent + 1,
          section: currentName,
          option: openKey,
          hint: 'remove the indentation before the header and its options',
        });
      }
      continueOpen(value, lineNo, indent);
      continue;
    }
    close();
    indentLevel = indent;
    // Python's SECTCRE, `\[(?P<header>.+)\]` matched at the start: the header runs to the line's last `]`, and
    // whatever follows that `]` is dropped (real files have `[program:x]<br>` from copied HTML).
    const closing = value[0] === '[' ? value.lastIndexOf(']') : -1;
    if (closing > 1) {
      const name = value.slice(1, closing);
      const after = trimPy(value.slice(closing + 1));
      if (after !== '') {
        diagnostics.push({
          severity: 'warning',
          code: 'SVD-CONF-HEADER-TRAILING-TEXT',
          message: `'${truncate(after)}' after the section header [${truncate(name)}] is ignored`,
          file,
          line: lineNo,
          column: indent + closing + 2,
          section: name,
          hint: 'remove it, or start it with a comment character after a space',
        });
      }
      if (name === 'DEFAULT') {
        current = defaults;
        currentName = 'DEFAULT';
        continue;
      }
      const existing = sections.get(name);
      if (!keepSection(name)) {
        current = discarded;
      } else if (existing) {
        diagnostics.push({
          severity: 'warning',
          code: 'SVD-CONF-DUPLICATE-SECTION',
          message: `section [${name}] appears again; its options are merged into the first one at line ${existing.location.line}`,
          file,
          line: lineNo,
          column: 1,
          section: name,
        });
        current = existing.options;
      } else {
        const section: RawSection = {
          name,
          format: 'ini',
          location: { file, line: lineNo, column: 1 },
          options: new Map(),
        };
        sections.set(name, section);
        current = section.options;
      }
      currentName = name;
      continue;
    }
    if (current === null) {
      diagnostics.push({
        severity: 'error',
        code: 'SVD-CONF-SYNTAX',
        message: `expected a section header like [program:name] before any option, got '${truncate(value)}'`,
        file,
        line: lineNo,
        column: indent + 1,
      });
      continue;
    }
    const separator = separatorIndex(value);
    const rawKey = separator > 0 ? trimEndPy(value.slice(0, separator)) : '';
    if (rawKey === '') {
      diagnostics.push({
        severity: 'error',
        code: 'SVD-CONF-SYNTAX',
        message: `expected 'name = value', a [section] or a comment, got '${truncate(value)}'`,
        file,
        line: lineNo,
        column: indent + 1,
        section: currentName,
      });
      continue;
    }
    const key = share(rawKey.toLowerCase());
    if (key.startsWith('[')) {
      diagnostics.push({
        severity: 'warning',
        code: 'SVD-CONF-BROKEN-HEADER',
        message: `'${truncate(value)}' looks like a section header without its closing ']'; it is read as option '${key}' of [${currentName}] and the lines after it configure [${currentName}]`,
        file,
        line: lineNo,
        column: indent + 1,
        section: currentName,
        hint: 'close the bracket',
      });
    }
    // The option set earlier in this file (close() stored it); a value from another file is the merger's business.
    const previous = current.get(key)?.location.line;
    if (previous !== undefined) {
      diagnostics.push({
        severity: 'warning',
        code: 'SVD-CONF-DUPLICATE-OPTION',
        message: `option '${key}' of [${currentName}] is set again; this value (line ${lineNo}) replaces the one at line ${previous}`,
        file,
        line: lineNo,
        column: indent + 1,
        section: currentName,
        option: key,
      });
    }
    openKey = key;
    const afterSeparator = value.slice(separator + 1);
    openFirst = share(trimStartPy(afterSeparator));
    openLine = lineNo;
    openColumn = indent + 1;
    openValueColumn = indent + separator + 2 + (afterSeparator.length - openFirst.length);
    openTarget = current;
  }
  close();
  return { file: { path: file, format: 'ini', sections: [...sections.values()], defaults }, diagnostics };
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
