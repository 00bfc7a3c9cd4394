// Pure: supervisor 4.2.5's `environment=` parser (spec §2.5): a legacy (non-POSIX) shlex tokenizer,
// then KEY = VALUE SEPARATOR groups, with quotes stripped from the value's ends.

// ASCII only: shlex adds the Latin-1 letters in POSIX mode, not in the legacy mode supervisor uses, so there
// an unquoted `é` is a token of its own (`A=café` is A=caf, `A=café,B=1` is refused).
const wordChars = new Set('abcdfeghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_' + '/.+-():');
const whitespace = new Set([' ', '\t', '\r', '\n']);

/** Splits like Python's `shlex.shlex(text)` with supervisor's extra word characters. */
function legacyShlexTokens(
  text: string,
): { ok: true; tokens: string[]; cutByComment: boolean } | { ok: false; message: string } {
  const tokens: string[] = [];
  let cutByComment = false; // a `#` ended a word, dropping the rest of its line
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (whitespace.has(c)) {
      i++;
    } else if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (wordChars.has(c)) {
      // In a word, quote characters are part of the word (legacy shlex); `#` skips the rest of its line and the
      // word goes on at the start of the next one (`A=1#x` then a continuation line `B` is A=1B).
      let word = '';
      let j = i;
      for (;;) {
        const start = j;
        while (j < text.length && (wordChars.has(text[j] as string) || text[j] === '"' || text[j] === "'"))
          j++;
        word += text.slice(start, j);
        if (text[j] !== '#') break;
        cutByComment = true;
        const nl = text.indexOf('\n', j);
        j = nl < 0 ? text.length : nl + 1;
      }
      tokens.push(word);
      i = j;
    } else if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1);
      if (close < 0) return { ok: false, message: 'No closing quotation' };
      tokens.push(text.slice(i, close + 1));
      i = close + 1;
    } else {
      tokens.push(c);
      i++;
    }
  }
  return { ok: true, tokens, cutByComment };
}

/**
 * supervisor's dict_of_key_value_pairs. `dropped` says, for a linter, where supervisor silently loses text: a
 * pair followed by something other than a comma (`A=$HOME` is A=$, `A=x y` is A=x), or a `#` comment inside
 * the value.
 */
export function parseEnvironmentPairs(
  text: string,
): { ok: true; value: Record<string, string>; dropped: string[] } | { ok: false; message: string } {
  const lexed = legacyShlexTokens(text);
  if (!lexed.ok) return { ok: false, message: `${lexed.message} in '${text}'` };
  const { tokens } = lexed;
  const out: Record<string, string> = {};
  const dropped: string[] = [];
  for (let i = 0; i < tokens.length; i += 4) {
    const key = tokens[i];
    const eq = tokens[i + 1];
    const value = tokens[i + 2];
    if (key === undefined || eq !== '=' || value === undefined) {
      return { ok: false, message: `unexpected end of key/value pairs in value '${text}'` };
    }
    out[key] = value.replace(/^['"]+|['"]+$/g, '');
    const separator = tokens[i + 3];
    // After a quoted value, a lone punctuation mark (`A="1";B="2"`) only separates, as the writer meant: nothing lost.
    const onlySeparates = /^(["']).*\1$/s.test(value) && /^[!-/:-@[-`{-~]$/.test(separator ?? '');
    if (separator !== undefined && separator !== ',' && !onlySeparates)
      dropped.push(`${key} is read as '${out[key]}': the '${separator}' after it is taken as a separator`);
  }
  if (lexed.cutByComment)
    dropped.push("a '#' inside a value starts a comment: the rest of its line is dropped");
  return { ok: true, value: out, dropped };
}
