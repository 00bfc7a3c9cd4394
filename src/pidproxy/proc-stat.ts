// Pure: the state letter in a Linux /proc/<pid>/stat line.

/**
 * The one-letter state (R, S, D, Z, X, ...) from the text of `/proc/<pid>/stat`, or null when the text
 * does not look like one. The command name in parentheses may itself contain spaces and `)`, so the
 * state is the field after the last `)`.
 */
export function procStatState(text: string): string | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const state = /^ (\S)/.exec(text.slice(close + 1))?.[1];
  return state ?? null;
}

/** A zombie (Z) or a dying task (X) has exited already: only its parent's reaping is left. */
export function isExitedState(state: string): boolean {
  return state === 'Z' || state === 'X';
}
