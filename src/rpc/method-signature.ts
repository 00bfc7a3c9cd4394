// Pure: reads `@param type name` / `@return type name` tags out of a method's help text, as
// supervisor's gettags does for system.methodSignature (spec §4.5).

/** The types a method's help text declares. */
export interface HelpTags {
  /** The type of the last `@return` tag; null when there is none (SIGNATURE_UNSUPPORTED). */
  readonly returns: string | null;
  /** The type of every `@param` tag, in order. */
  readonly params: readonly string[];
}

/** The `@param` and `@return` types of `help`, each tag on a line of its own; other lines are ignored. */
export function parseHelpTags(help: string): HelpTags {
  let returns: string | null = null;
  const params: string[] = [];
  for (const raw of help.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('@')) continue;
    const parts = line.split(/\s+/);
    const tag = (parts[0] ?? '').slice(1);
    const type = parts[1] ?? '';
    if (tag === 'return') returns = type;
    else if (tag === 'param') params.push(type);
  }
  return { returns, params };
}

/** `[returnType, paramType…]`, or null when the help has no `@return`. */
export function signatureOf(help: string): string[] | null {
  const tags = parseHelpTags(help);
  return tags.returns === null ? null : [tags.returns, ...tags.params];
}
