// Pure: merges the sections of every file read into one set, as supervisor's single parser does,
// and reports what cannot be merged.
import type { Diagnostic } from '../model/diagnostics.js';
import { suggest } from './did-you-mean.js';
import { forbiddenInName } from './name-rules.js';
import {
  classifySection,
  namedSectionKeys,
  type RawFile,
  type RawSection,
  type RawValue,
} from './raw-section.js';

/** Every file's sections as one set, as supervisor's single parser would hold them. */
export interface MergedSections {
  /** In first-definition order. */
  readonly sections: Map<string, RawSection>;
  readonly defaults: Map<string, RawValue>;
  readonly diagnostics: Diagnostic[];
}

const knownWords = [
  'supervisord',
  'supervisorctl',
  'unix_http_server',
  'inet_http_server',
  'include',
  ...Object.keys(namedSectionKeys).map((k) => `${k}:`),
];

/**
 * Joins the sections of `files` in reading order. An INI section defined again is merged into the first
 * (later options win, with a warning when another file changes a value); any other repeat (YAML on either
 * side) is an error. Unknown sections are warned about and dropped, [ctlplugin:x] silently; a name that is
 * empty or holds a space, colon or slash is an error. [DEFAULT] options merge, the later file winning.
 * The first file's section objects receive the merged options.
 */
export function mergeSections(files: readonly RawFile[]): MergedSections {
  const sections = new Map<string, RawSection>();
  const defaults = new Map<string, RawValue>();
  const diagnostics: Diagnostic[] = [];

  for (const file of files) {
    for (const [k, v] of file.defaults) defaults.set(k, v);
    for (const section of file.sections) {
      const classified = classifySection(section.name);
      if (!classified) {
        const serverVariant = /^(inet|unix)_http_server./.test(section.name);
        // `[ program:x ]`: the spaces inside the brackets are part of the name, so the suggestion drops them.
        const name = section.name.trim();
        const prefix = name.includes(':') ? name.slice(0, name.indexOf(':') + 1) : name;
        const guess = serverVariant ? undefined : suggest(prefix, knownWords);
        diagnostics.push({
          severity: 'warning',
          // A second server is a section supervisor knows, which svd leaves out: not unknown, so --strict keeps it
          // a warning.
          code: serverVariant ? 'SVD-CONF-IGNORED-SECTION' : 'SVD-CONF-UNKNOWN-SECTION',
          message: serverVariant
            ? `[${section.name}] is ignored: svd runs one [${section.name.slice(0, 16)}]`
            : `unknown section [${section.name}] is ignored`,
          ...section.location,
          section: section.name,
          hint: guess ? `did you mean [${guess}${name.slice(prefix.length).trim()}]?` : undefined,
        });
        continue;
      }
      if (classified.kind === 'ctlplugin') continue;
      if (section.name.includes(':')) {
        const name = classified.name;
        const bad = name === '' ? '' : forbiddenInName(name);
        if (name === '' || bad !== undefined) {
          diagnostics.push({
            severity: 'error',
            code: 'SVD-CONF-NAME',
            message:
              name === ''
                ? `section [${section.name}] has no name after the colon`
                : `invalid name '${name}' in [${section.name}]: it must not contain '${bad}'`,
            ...section.location,
            section: section.name,
          });
          continue;
        }
      }
      const existing = sections.get(section.name);
      if (!existing) {
        sections.set(section.name, section);
        continue;
      }
      if (existing.format === 'ini' && section.format === 'ini') {
        // The readers' sections are never shared, so the first one can take the merged options.
        // supervisor merges a repeated section, the later options winning (spec §2.8).
        if (existing.location.file !== section.location.file) {
          diagnostics.push({
            severity: 'warning',
            code: 'SVD-CONF-DUPLICATE-SECTION',
            message: `[${section.name}] is defined again; its options are merged into the one at ${existing.location.file}:${existing.location.line}`,
            ...section.location,
            section: section.name,
          });
        }
        for (const [k, v] of section.options) {
          const previous = existing.options.get(k);
          // A conf.d file that restates a value (zulip's chown=) changes nothing: no warning for it.
          if (previous && previous.location.file !== v.location.file && previous.value !== v.value) {
            diagnostics.push({
              severity: 'warning',
              code: 'SVD-CONF-DUPLICATE-OPTION',
              message: `option '${k}' of [${section.name}] is set again${file.readAgain ? ' (the include reads this file again)' : ''}; this value replaces the one at ${previous.location.file}:${previous.location.line}`,
              ...v.location,
              section: section.name,
              option: k,
            });
          }
          existing.options.set(k, v);
        }
        continue;
      }
      diagnostics.push({
        severity: 'error',
        code: 'SVD-CONF-DUPLICATE-SECTION',
        message: `[${section.name}] is defined twice: here and at ${existing.location.file}:${existing.location.line}`,
        ...section.location,
        section: section.name,
      });
    }
  }
  return { sections, defaults, diagnostics };
}
