// Pure: supervisor 4.2.5's `environment=` parser (spec §2.5): a legacy (non-POSIX) shlex tokenizer,
// then KEY = VALUE SEPARATOR groups, with quotes stripped from the value's ends.

const wordChars = new Set(
  'abcdfeghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_' +
    'ßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ' +
    '/.+-():',
);
const whitespace = new Set([' ', '\t', '\r', '\n']);

/** Splits like Python's `shlex.shlex(text)` with supervisor's extra word characters. */
export function legacyShlexTokens(
  text: string,
): { ok: true; tokens: string[] } | { ok: false; message: string } {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (whitespace.has(c)) {
      i++;
    } else if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (wordChars.has(c)) {
      // In a word, quote characters are part of the word (legacy shlex); `#` ends the word and the line.
      let j = i;
      while (j < text.length && (wordChars.has(text[j] as string) || text[j] === '"' || text[j] === "'")) j++;
      tokens.push(text.slice(i, j));
      if (text[j] === '#') {
        const nl = text.indexOf('\n', j);
        j = nl < 0 ? text.length : nl + 1;
      }
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
  return { ok: true, tokens };
}

export function parseEnvironmentPairs(
  text: string,
): { ok: true; value: Record<string, string> } | { ok: false; message: string } {
  const lexed = legacyShlexTokens(text);
  if (!lexed.ok) return { ok: false, message: `${lexed.message} in '${text}'` };
  const { tokens } = lexed;
  const out: Record<string, string> = {};
  for (let i = 0; i < tokens.length; i += 4) {
    const key = tokens[i];
    const eq = tokens[i + 1];
    const value = tokens[i + 2];
    if (key === undefined || eq !== '=' || value === undefined) {
      return { ok: false, message: `unexpected end of key/value pairs in value '${text}'` };
    }
    out[key] = value.replace(/^['"]+|['"]+$/g, '');
  }
  return { ok: true, value: out };
}
