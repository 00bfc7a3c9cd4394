// Pure: Python's repr() of a str and of bytes, as supervisor's messages quote names and values with %r.

const ESCAPES: Readonly<Record<number, string>> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r', 0x5c: '\\\\' };

/** What str.isprintable() refuses: control, format, surrogate, private and unassigned code points, separators. */
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** repr() of a str: what Python cannot print escaped (\\n, \\x00, \\xa0, \\u200b), other text as it is. */
export function pythonRepr(text: string): string {
  const quote = quoteFor(text.includes("'"), text.includes('"'));
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ESCAPES[code]) out += ESCAPES[code];
    else if (ch === quote) out += `\\${ch}`;
    else if (ch !== ' ' && NOT_PRINTABLE.test(ch)) out += escapeCodePoint(code);
    else out += ch;
  }
  return out + quote;
}

function escapeCodePoint(code: number): string {
  const hex = code.toString(16);
  if (code <= 0xff) return `\\x${hex.padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${hex.padStart(4, '0')}`;
  return `\\U${hex.padStart(8, '0')}`;
}

/** repr() of bytes: `b'...'` with printable ASCII as is and everything else as \xNN. */
export function pythonBytesRepr(data: Buffer): string {
  const quote = quoteFor(data.includes(0x27), data.includes(0x22));
  let out = `b${quote}`;
  for (const byte of data) {
    if (ESCAPES[byte]) out += ESCAPES[byte];
    else if (byte === quote.charCodeAt(0)) out += `\\${quote}`;
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return out + quote;
}

/** Python's quote choice: single quotes unless the text has a single quote and no double quote. */
function quoteFor(hasSingle: boolean, hasDouble: boolean): string {
  return hasSingle && !hasDouble ? '"' : "'";
}
