// Pure: the namespec and channel of a /logtail/<namespec>[/<channel>] request path (spec §4.7).

/** A process log channel a /logtail URL can name (stdout when it names none). */
export type LogChannel = 'stdout' | 'stderr';

/** What a /logtail path asks for. */
export interface LogtailTarget {
  /** `name` or `group:name`, URL-decoded; looked up by the resolver, never used as a path. */
  readonly namespec: string;
  readonly channel: LogChannel;
}

/** Python's unquote: valid %XX escapes become UTF-8 bytes, anything else stays as written. */
export function unquote(text: string): string {
  if (!text.includes('%')) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length;) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '%' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 3;
    } else {
      const code = text.codePointAt(i) ?? 0;
      const char = String.fromCodePoint(code);
      bytes.push(...Buffer.from(char, 'utf8'));
      i += char.length;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Splits `/logtail/<namespec>[/<channel>]` (query already removed) as supervisor does: unquote, drop
 * leading slashes, the first segment is the handler's, then namespec and an optional channel.
 * Null when there is no namespec or the channel is neither stdout nor stderr (both answer 404).
 */
export function parseLogtailPath(path: string): LogtailTarget | null {
  const clean = unquote(path).replace(/^\/+/, '');
  const slash = clean.indexOf('/');
  if (slash < 0) return null;
  const rest = clean.slice(slash + 1);
  const split = rest.indexOf('/');
  const namespec = split < 0 ? rest : rest.slice(0, split);
  const channel = split < 0 ? 'stdout' : rest.slice(split + 1);
  if (namespec === '' || (channel !== 'stdout' && channel !== 'stderr')) return null;
  return { namespec, channel };
}
