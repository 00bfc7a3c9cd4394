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

function quoteEnvValue(value: string): string | null {
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  return null;
}

function iniValue(option: string, value: unknown, where: string, warnings: string[]): string {
  if (Array.isArray(value)) return value.join(option === 'files' ? ' ' : ',');
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, string>)
      .map(([k, v]) => {
        const quoted = quoteEnvValue(v);
        if (quoted === null)
          warnings.push(`${where} ${option}: ${k} holds both quote characters; INI cannot hold it`);
        return `${k}=${quoted ?? `"${v.replace(/"/g, '')}"`}`;
      })
      .join(',');
  }
  const text = String(value);
  if (/\s[;#]/.test(text)) warnings.push(`${where} ${option}: ' ;' or ' #' would start a comment in INI`);
  if (text !== text.trim()) warnings.push(`${where} ${option}: INI strips leading and trailing spaces`);
  return text.split('\n').join('\n    ');
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
