// Pure: what a program, group or process name must not contain. supervisorctl splits its command line on
// blanks and reads `group:name`, and a name becomes a log file's name, so a blank of any kind (a tab, a
// non-breaking space), ':' or '/' in one makes a process no command can name.

/** The first character `name` must not contain, shown as it is written in an error; undefined when none. */
export function forbiddenInName(name: string): string | undefined {
  const c = /[\s:/]/.exec(name)?.[0];
  if (c === undefined || c === ' ' || c === ':' || c === '/') return c;
  if (c === '\t') return '\\t';
  return `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
}
