// Pure: reads supervisord.conf's INI dialect (Python's RawConfigParser as supervisor configures it,
// spec §2.2) into positioned sections. The `ini` package is not used here: it has no line numbers,
// no continuation lines and different inline-comment rules.
import type { Diagnostic } from '../model/diagnostics.js';
import type { RawFile, RawSection, RawValue } from './raw-section.js';

interface OpenOption {
  key: string;
  lines: string[];
  line: number;
  column: number;
  target: Map<string, RawValue>;
}

/** Where a `;` or `#` starts an inline comment: at column 0 or after whitespace. */
function inlineCommentStart(line: string): number {
  let start = -1;
  for (const prefix of [';', '#']) {
    let index = line.indexOf(prefix);
    while (index >= 0) {
      if (index === 0 || /\s/.test(line[index - 1] ?? '')) {
        if (start < 0 || index < start) start = index;
        break;
      }
      index = line.indexOf(prefix, index + 1);
    }
  }
  return start;
}

/** The first `=` or `:` of an option line (Python's OPTCRE takes the shortest name), or -1. */
function separatorIndex(value: string): number {
  const eq = value.indexOf('=');
  const colon = value.indexOf(':');
  if (eq < 0) return colon;
  if (colon < 0) return eq;
  return Math.min(eq, colon);
}

/** The column of the first non-blank character (the line is known not to be blank). */
function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t' || /\s/.test(line[i] as string))) i++;
  return i;
}

export function parseIni(text: string, file: string): { file: RawFile; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const sections = new Map<string, RawSection>();
  const defaults = new Map<string, RawValue>();
  let current: Map<string, RawValue> | null = null;
  let currentName = '';
  let open: OpenOption | null = null;
  let indentLevel = Number.MAX_SAFE_INTEGER;

  const close = () => {
    if (!open) return;
    const value = open.lines.length === 1 ? (open.lines[0] as string) : open.lines.join('\n').trimEnd();
    open.target.set(open.key, { value, location: { file, line: open.line, column: open.column } });
    open = null;
  };

  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((rawLine, index) => {
    const lineNo = index + 1;
    const first = rawLine.trimStart()[0];
    const commentStart = first === ';' || first === '#' ? 0 : inlineCommentStart(rawLine);
    const value = (commentStart >= 0 ? rawLine.slice(0, commentStart) : rawLine).trim();
    if (!value) {
      // An empty line continues a value (as '' in it); a comment line is skipped without ending it.
      if (commentStart < 0 && open) open.lines.push('');
      return;
    }
    const indent = indentOf(rawLine);
    if (open && indent > indentLevel) {
      open.lines.push(value);
      return;
    }
    close();
    indentLevel = indent;
    if (value.length > 2 && value[0] === '[' && value[value.length - 1] === ']') {
      const name = value.slice(1, -1);
      if (name === 'DEFAULT') {
        current = defaults;
        currentName = 'DEFAULT';
        return;
      }
      const existing = sections.get(name);
      if (existing) {
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
      return;
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
      return;
    }
    const separator = separatorIndex(value);
    const rawKey = separator > 0 ? value.slice(0, separator).trimEnd() : '';
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
      return;
    }
    const key = rawKey.toLowerCase();
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
    open = {
      key,
      lines: [value.slice(separator + 1).trimStart()],
      line: lineNo,
      column: indent + 1,
      target: current,
    };
  });
  close();
  return { file: { path: file, format: 'ini', sections: [...sections.values()], defaults }, diagnostics };
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
