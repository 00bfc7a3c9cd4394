// Pure: Python's str.split() and str.strip(), which supervisorctl cuts a command line with.

/**
 * Python's whitespace (str.isspace): JavaScript's `\s` without U+FEFF, with U+001C–U+001F and U+0085. A line's
 * words, its command and its argument are cut at these, as supervisorctl cuts them.
 */
const PY_SPACE =
  '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_SPACES = new RegExp(`[${PY_SPACE}]+`);
const PY_EDGES = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');

/** Python's str.split(): words separated by runs of whitespace. */
export function words(arg: string): string[] {
  return arg.split(PY_SPACES).filter((w) => w !== '');
}

/** Python's str.strip(). */
export function pyStrip(text: string): string {
  return text.replace(PY_EDGES, '');
}
