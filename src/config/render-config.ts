// Pure: writes a config document as INI (supervisord.conf dialect), YAML or JSON.
import { stringify } from 'yaml';
import { namedSectionKeys } from './raw-section.js';

type Doc = Record<string, unknown>;

/** The output formats of `svd config --format`. */
export type ConfigFormat = 'ini' | 'yaml' | 'json';

/** The text, and what INI could not hold exactly (empty for YAML and JSON). */
export interface Rendered {
  readonly text: string;
  /** Values INI cannot hold as they are (e.g. ' ;' would start a comment). */
  readonly warnings: string[];
}

/** The value as INI writes it: a line break continues on an indented line, which INI reads back as one. */
const iniLines = (text: string): string => text.split('\n').join('\n    ');

/**
 * What supervisor's INI reader would lose of `text` written as `iniLines` writes it, or null when nothing is lost:
 * a `;` or `#` after whitespace, or at the start of a continuation line, starts a comment; each line's
 * leading and trailing whitespace is stripped (but for the value's own ends when it is `quoted`: those are inside
 * its quotes).
 */
function iniLoss(text: string, quoted = false): string | null {
  const lines = text.split('\n');
  const last = lines.length - 1;
  if (lines.some((line, i) => /\s[;#]/.test(line) || (i > 0 && /^\s*[;#]/.test(line))))
    return "' ;' or ' #' (or a line starting with ';' or '#') would start a comment in INI";
  const stripped = (line: string, i: number): boolean =>
    ((i > 0 || !quoted) && /^\s/.test(line)) || ((i < last || !quoted) && /\s$/.test(line));
  if ((!quoted && text !== text.trim()) || lines.some(stripped))
    return 'INI strips leading and trailing spaces';
  return null;
}

/** An environment value quoted for supervisor's `environment=` reader, or why it cannot be written. */
function quoteEnvValue(value: string): { text: string } | { loss: string } {
  const loss = iniLoss(value, true);
  if (loss !== null) return { loss };
  // The reader strips every quote character from both ends of a value, quotes that belong to it included.
  if (/^['"]|['"]$/.test(value))
    return { loss: 'supervisor strips quote characters from the ends of an environment value' };
  if (!value.includes('"')) return { text: `"${iniLines(value)}"` };
  if (!value.includes("'")) return { text: `'${iniLines(value)}'` };
  return { loss: 'it holds both quote characters' };
}

/** A lossy environment value made readable: no `"`, no comment starts, no spaces at line ends. */
function readable(value: string): string {
  return value
    .replace(/"/g, '')
    .split('\n')
    .map((line) => line.replace(/\s+(?=[;#])/g, '').trim())
    .filter((line) => !/^[;#]/.test(line))
    .join('\n');
}

function iniValue(option: string, value: unknown, where: string, warnings: string[]): string {
  if (Array.isArray(value)) return value.join(option === 'files' ? ' ' : ',');
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, string>)
      .map(([k, v]) => {
        const quoted = quoteEnvValue(v);
        if ('text' in quoted) return `${k}=${quoted.text}`;
        warnings.push(`${where} ${option}: ${k}: ${quoted.loss}; INI cannot hold it`);
        return `${k}="${iniLines(readable(v))}"`;
      })
      .join(',');
  }
  const text = String(value);
  const loss = iniLoss(text);
  if (loss !== null) warnings.push(`${where} ${option}: ${loss}`);
  return iniLines(text);
}

function iniSection(header: string, options: Doc, warnings: string[]): string {
  const lines = [`[${header}]`];
  for (const [k, v] of Object.entries(options)) {
    if (v === null || v === undefined) continue;
    lines.push(`${k} = ${iniValue(k, v, `[${header}]`, warnings)}`);
  }
  return lines.join('\n');
}

function renderIni(doc: Doc): Rendered {
  const warnings: string[] = [];
  const blocks: string[] = [];
  for (const key of ['supervisord', 'unix_http_server', 'inet_http_server', 'supervisorctl', 'include']) {
    const options = doc[key];
    if (options && typeof options === 'object') blocks.push(iniSection(key, options as Doc, warnings));
  }
  const order = ['rpcinterface', 'program', 'eventlistener', 'fcgi-program', 'group'] as const;
  for (const kind of order) {
    const key = namedSectionKeys[kind];
    const named = doc[key];
    if (!named || typeof named !== 'object') continue;
    for (const [name, options] of Object.entries(named as Doc)) {
      blocks.push(iniSection(`${kind}:${name}`, options as Doc, warnings));
    }
  }
  return { text: blocks.join('\n\n') + '\n', warnings };
}

/**
 * Writes a schema document as supervisord.conf INI, YAML or JSON. INI puts the sections in a fixed order of
 * kinds and may lose text (see `warnings`); YAML and JSON keep every value.
 */
export function renderConfig(doc: Doc, format: ConfigFormat): Rendered {
  if (format === 'ini') return renderIni(doc);
  if (format === 'json') return { text: JSON.stringify(doc, null, 2) + '\n', warnings: [] };
  return { text: stringify(doc, { lineWidth: 0 }), warnings: [] };
}
