// Pure: split a command line like Python's shlex.split (POSIX mode, no comments), as supervisor does (spec §3.3).

/** The words, or shlex's error text. */
export type SplitResult =
  { readonly ok: true; readonly argv: string[] } | { readonly ok: false; readonly error: string };

const WHITESPACE = ' \t\r\n';

/** Words with quotes removed and backslash escapes applied; `No closing quotation` / `No escaped character` on error. */
export function splitCommand(command: string): SplitResult {
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < command.length) {
    const c = command[i] as string;
    if (WHITESPACE.includes(c)) {
      if (inWord) argv.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === '\\') {
      if (i + 1 >= command.length) return { ok: false, error: 'No escaped character' };
      word += command[i + 1];
      inWord = true;
      i += 2;
    } else if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) return { ok: false, error: 'No closing quotation' };
      word += command.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      inWord = true;
      i++;
      for (;;) {
        if (i >= command.length) return { ok: false, error: 'No closing quotation' };
        const d = command[i] as string;
        if (d === '"') {
          i++;
          break;
        }
        // Inside double quotes a backslash escapes only a double quote or a backslash (shlex's escapedquotes).
        if (d === '\\' && i + 1 < command.length && (command[i + 1] === '"' || command[i + 1] === '\\')) {
          word += command[i + 1];
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) argv.push(word);
  return { ok: true, argv };
}
