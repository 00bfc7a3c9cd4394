// Effect: expands one glob pattern (`*`, `?`, `[...]` within a path segment; no `**`), like Python's
// glob.glob: sorted matches, hidden files only when the pattern segment starts with a dot.
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, sep } from 'node:path';

const magic = /[*?[]/;

/** The body of a `[...]` set as Python's fnmatch.translate writes it (ranges out of order dropped, `\\` and `-` kept literal). */
function setBody(pattern: string, from: number, to: number): string {
  if (!pattern.slice(from, to).includes('-')) return pattern.slice(from, to).replace(/\\/g, '\\\\');
  const chunks: string[] = [];
  let i = from;
  let k = pattern[from] === '!' ? from + 2 : from + 1;
  for (;;) {
    k = pattern.indexOf('-', k);
    if (k < 0 || k >= to) break;
    chunks.push(pattern.slice(i, k));
    i = k + 1;
    k = k + 3;
  }
  const last = pattern.slice(i, to);
  if (last !== '') chunks.push(last);
  else chunks[chunks.length - 1] += '-';
  for (let c = chunks.length - 1; c > 0; c--) {
    const before = chunks[c - 1] as string;
    const after = chunks[c] as string;
    if (before !== '' && after !== '' && before.slice(-1) > after.slice(0, 1)) {
      chunks[c - 1] = before.slice(0, -1) + after.slice(1);
      chunks.splice(c, 1);
    }
  }
  return chunks.map((chunk) => chunk.replace(/\\/g, '\\\\').replace(/-/g, '\\-')).join('-');
}

/** A regular expression for one path segment, as Python's fnmatch.translate builds it. */
function segmentMatcher(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      // The set runs to the next `]`, not counting one right after the `[` (or after `[!`).
      let close = i + 1;
      if (segment[close] === '!') close++;
      if (segment[close] === ']') close++;
      close = segment.indexOf(']', close);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = setBody(segment, i + 1, close);
      i = close;
      if (body === '') re += '(?!)';
      else if (body === '!') re += '[^/]';
      else {
        if (body.startsWith('!')) body = '^' + body.slice(1);
        else if (body.startsWith('^') || body.startsWith('[')) body = '\\' + body;
        // Only a leading `]` (or one after `^`) can be in the body; JavaScript needs it escaped.
        re += `[${body.replace(/]/g, '\\]')}]`;
      }
    } else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
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
