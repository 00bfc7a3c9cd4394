// Pure: the main-log message for child output at loglevel=debug (spec §2.6.1), worded as supervisor's.

/** `'<name>' <channel> output:\n<data>`; output that is not valid UTF-8 shows as `Undecodable: b'...'`. */
export function childOutputMessage(processName: string, channel: 'stdout' | 'stderr', data: Buffer): string {
  return `${pythonRepr(processName)} ${channel} output:\n${decodeOrRepr(data)}`;
}

/** `'<name>' <channel> emitted a comm event`: a capture block ended (PROCESS_COMMUNICATION_<CHANNEL>). */
export function commEventMessage(processName: string, channel: 'stdout' | 'stderr'): string {
  return `${pythonRepr(processName)} ${channel} emitted a comm event`;
}

/**
 * The same header for an event listener's stdout (its protocol channel), where supervisor logs each read as
 * Python's repr of the bytes (`b'RESULT 2\\nOKREADY\\n'`), so the tokens and their line ends show exactly.
 */
export function listenerOutputMessage(processName: string, data: Buffer): string {
  return `${pythonRepr(processName)} stdout output:\n${pythonBytesRepr(data)}`;
}

// ignoreBOM keeps a leading U+FEFF, as Python's decode does (the default would drop it from the line).
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeOrRepr(data: Buffer): string {
  try {
    return strictUtf8.decode(data);
  } catch {
    return `Undecodable: ${pythonBytesRepr(data)}`;
  }
}

/** Python's quote choice: single quotes unless the text has a single quote and no double quote. */
function quoteFor(hasSingle: boolean, hasDouble: boolean): string {
  return hasSingle && !hasDouble ? '"' : "'";
}

const ESCAPES: Readonly<Record<number, string>> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r', 0x5c: '\\\\' };

/** repr() of a str: control characters escaped, other characters (non-ASCII too) as they are. */
export function pythonRepr(text: string): string {
  const quote = quoteFor(text.includes("'"), text.includes('"'));
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ESCAPES[code]) out += ESCAPES[code];
    else if (ch === quote) out += `\\${ch}`;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
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
