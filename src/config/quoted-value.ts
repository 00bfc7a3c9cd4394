// Pure: how a message quotes a value a user wrote, a credential never.

/** A value as messages show it: strings and numbers as they are, the rest as JSON, cut to 80 characters. */
export function describeValue(value: unknown): string {
  // JSON has no Infinity or NaN (YAML's .inf, 1e400): it would show them as null.
  const text =
    typeof value === 'string' || typeof value === 'number'
      ? String(value)
      : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Options whose value is a credential. A message never quotes it: the daemon logs its config's diagnostics at every
 * start and reload, its log is readable by every local user by default, and a password with a `%` in it (for
 * [supervisorctl], which supervisord never reads) would be shown there each time.
 */
const SECRET_OPTIONS: ReadonlySet<string> = new Set(['password']);

/** True for an option whose value no message may show. */
export function isSecretOption(option: string | undefined): boolean {
  return option !== undefined && SECRET_OPTIONS.has(option);
}

/** The value as a message quotes it: `'value'`, or a placeholder for a credential. */
export function quotedValue(option: string | undefined, value: unknown): string {
  return isSecretOption(option) ? '<hidden password>' : `'${describeValue(value)}'`;
}

/**
 * The part of `text` around index `at`, quoted, with `...` where it is cut: 80 characters at most, so that the
 * place a message speaks of is in what it shows, however far into a long command it is.
 */
export function quotedExcerpt(option: string | undefined, text: string, at: number): string {
  if (isSecretOption(option)) return '<hidden password>';
  const width = 80;
  if (text.length <= width) return `'${text}'`;
  // At least this much of the text after the fault stays in view.
  const after = 20;
  const keep = width - 3;
  if (at + after <= keep) return `'${text.slice(0, keep)}...'`;
  if (at >= text.length - keep + 1) return `'...${text.slice(text.length - keep)}'`;
  const start = Math.min(at + after, text.length) - (width - 6);
  return `'...${text.slice(start, start + width - 6)}...'`;
}
