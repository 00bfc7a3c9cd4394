// Effect: expands one glob pattern (`*`, `?`, `[...]` within a path segment; no `**`), like Python's
// glob.glob: sorted matches, hidden files only when the pattern segment starts with a dot.
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, sep } from 'node:path';

const magic = /[*?[]/;

function segmentMatcher(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        let body = segment.slice(i + 1, close);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Absolute paths matching `pattern` (absolute), sorted; [] when nothing matches. */
export function globFiles(pattern: string): string[] {
  if (!isAbsolute(pattern)) throw new Error(`glob pattern must be absolute: ${pattern}`);
  if (!magic.test(pattern)) {
    try {
      statSync(pattern);
      return [pattern];
    } catch {
      return [];
    }
  }
  const segments = pattern.split(sep).filter((s) => s !== '');
  let bases: string[] = [sep];
  for (const segment of segments) {
    const next: string[] = [];
    if (!magic.test(segment)) {
      for (const base of bases) next.push(join(base, segment));
    } else {
      const matcher = segmentMatcher(segment);
      for (const base of bases) {
        let names: string[];
        try {
          names = readdirSync(base);
        } catch {
          continue;
        }
        for (const name of names) {
          if (name.startsWith('.') && !segment.startsWith('.')) continue;
          if (matcher.test(name)) next.push(join(base, name));
        }
      }
    }
    bases = next;
  }
  return bases
    .filter((p) => {
      try {
        statSync(p);
        return true;
      } catch {
        return false;
      }
    })
    .sort();
}
