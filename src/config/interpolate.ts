// Pure: supervisor's %(name)s expansion, which is Python's `value % mapping` (spec §2.3).

type NameTable = Readonly<Record<string, string | number>>;

/**
 * Names for %(...)s: a plain table, or a scope that adds names to a parent without copying it, so
 * expanding thousands of sections allocates one small object per scope.
 */
export type Expansions = ExpansionScope | NameTable;

class ExpansionScope {
  readonly #parent: Expansions | null;
  readonly #own: NameTable;

  constructor(parent: Expansions | null, own: NameTable) {
    this.#parent = parent;
    this.#own = own;
  }

  get(name: string): string | number | undefined {
    if (Object.prototype.hasOwnProperty.call(this.#own, name)) return this.#own[name];
    return this.#parent === null ? undefined : lookupName(this.#parent, name);
  }

  /** Every name, nearest scope first. */
  names(): string[] {
    return [...new Set([...Object.keys(this.#own), ...(this.#parent === null ? [] : namesOf(this.#parent))])];
  }
}

/** The value `name` has in `expansions`, nearest scope first; undefined when no scope has it. */
export function lookupName(expansions: Expansions, name: string): string | number | undefined {
  if (expansions instanceof ExpansionScope) return expansions.get(name);
  return Object.prototype.hasOwnProperty.call(expansions, name) ? expansions[name] : undefined;
}

/** Every name `expansions` defines, each once, nearest scope first. */
export function namesOf(expansions: Expansions): string[] {
  return expansions instanceof ExpansionScope ? expansions.names() : Object.keys(expansions);
}

/** A scope that adds `names` to `parent`. */
export function expansionScope(parent: Expansions | null, names: NameTable): Expansions {
  return new ExpansionScope(parent, names);
}

/**
 * The expanded text, or Python's complaint: an unknown %(name), or a malformed `%` (`bad-format`, with a hint
 * of the likely slip, and the %(name) whose conversion is missing). `at` is the index in the text of the fault: the
 * character Python's message names, else the `%` that starts the name or conversion at fault.
 */
export type ExpandResult =
  | { ok: true; value: string }
  | { ok: false; kind: 'unknown-name'; name: string; message: string; at: number }
  | { ok: false; kind: 'bad-format'; message: string; at: number; hint: string; name?: string };

type BadFormat = Extract<ExpandResult, { kind: 'bad-format' }>;

// %(name)[flags][width][.precision][length]conversion, or %%
const spec = /%(?:\(([^)]*)\))?([#0\- +]*)(\d+)?(?:\.(\d+))?[hlL]?([diouxXeEfFgGcrsa%])?/y;

const literalPercent = 'write %% for a literal %';

/** Python's words for a conversion character it does not know, `at` its index (`%USER%`: 'U' at index 1). */
function unsupportedFormat(text: string, at: number): string {
  const code = text.codePointAt(at) ?? 0;
  // Python counts characters (code points), not UTF-16 units: an emoji before the fault counts once.
  const index = [...text.slice(0, at)].length;
  return `unsupported format character '${String.fromCodePoint(code)}' (0x${code.toString(16)}) at index ${index}`;
}

/** Python's words for text given to a numeric conversion. */
function notANumber(conversion: string): string {
  if (conversion === 'c') return '%c requires int or char';
  if ('oxX'.includes(conversion)) return `%${conversion} format: an integer is required, not str`;
  if ('diu'.includes(conversion)) return `%${conversion} format: a real number is required, not str`;
  return 'must be real number, not str';
}

/**
 * A conversion that is missing or wrong: after %(name) the likely slip is a forgotten `s` (`%(HOST)-x`), and
 * with no name a `%` meant literally (`100%`, `%USER%`).
 */
function noConversion(text: string, percent: number, name: string | undefined, at: number): BadFormat {
  const incomplete = at >= text.length;
  const message = incomplete ? 'incomplete format' : unsupportedFormat(text, at);
  const char = text[at];
  let hint = literalPercent;
  if (name !== undefined)
    hint =
      char !== undefined && /[A-Za-z]/.test(char)
        ? `'${char}' after %(${name}) is not a conversion character: write %(${name})s`
        : `%(${name}) lacks its conversion character: write %(${name})s`;
  const fault: BadFormat = { ok: false, kind: 'bad-format', message, at: incomplete ? percent : at, hint };
  return name === undefined ? fault : { ...fault, name };
}

/**
 * Expands every %(name)X in `text`; `%%` is a literal percent sign. svd refuses a conversion without a name
 * (`%s`); `table`, when given, reads one as Python does instead: the first, before any %(name), formats
 * `table` (the whole table of names), so a caller can tell whether Python accepts the text.
 */
export function expand(text: string, expansions: Expansions, table?: string): ExpandResult {
  if (!text.includes('%')) return { ok: true, value: text };
  let out = '';
  let i = 0;
  // Python's % takes its one argument for an unnamed conversion only before any name and only once.
  let tableUsable = table !== undefined;
  while (i < text.length) {
    const percent = text.indexOf('%', i);
    if (percent < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, percent);
    // The common %(name)s and %(name)d without the regex, whose match arrays were most of a large load's
    // expansion garbage; anything else (flags, width, precision, %%) takes the full pattern.
    let name: string | undefined;
    let flags = '';
    let width: string | undefined;
    let precision: string | undefined;
    let conversion: string;
    const close = text.charCodeAt(percent + 1) === 40 /* ( */ ? text.indexOf(')', percent + 2) : -1;
    const short = close < 0 ? undefined : text[close + 1];
    if (close < 0 && text.charCodeAt(percent + 1) === 40) {
      // `%(program_name` without its `)`: Python's words, not an unsupported '(' character.
      return {
        ok: false,
        kind: 'bad-format',
        message: 'incomplete format key',
        at: percent,
        hint: `no ')' closes this '%(': write %(name)s, or %% for a literal %`,
      };
    }
    if (short === 's' || short === 'd') {
      name = text.slice(percent + 2, close);
      conversion = short;
      i = close + 2;
    } else {
      spec.lastIndex = percent;
      const m = spec.exec(text);
      if (!m || m[5] === undefined)
        return noConversion(text, percent, m?.[1], percent + (m?.[0].length ?? 1));
      i = spec.lastIndex;
      if (m[5] === '%') {
        // Python's % operator takes only a bare `%%` as a literal; a key, flags or a width before it is an error.
        if (m[0] !== '%%') return noConversion(text, percent, m[1], spec.lastIndex - 1);
        out += '%';
        continue;
      }
      name = m[1];
      flags = m[2] ?? '';
      width = m[3];
      precision = m[4];
      conversion = m[5];
    }
    if (name === undefined) {
      if (tableUsable && (conversion === 's' || conversion === 'r' || conversion === 'a')) {
        tableUsable = false;
        out += formatOne(table as string, flags, width, precision, 's') as string;
        continue;
      }
      // Python's words are `format requires a mapping`; what the user wrote is a conversion without a name.
      const written = text.slice(percent, i);
      return {
        ok: false,
        kind: 'bad-format',
        message: `'${written}' names no variable: only %(name)${conversion} is expanded`,
        at: percent,
        hint: literalPercent,
      };
    }
    tableUsable = false;
    const value = lookupName(expansions, name);
    if (value === undefined) {
      return { ok: false, kind: 'unknown-name', name, message: `unknown name '${name}'`, at: percent };
    }
    const formatted = formatOne(value, flags, width, precision, conversion);
    if (formatted === null) {
      return {
        ok: false,
        kind: 'bad-format',
        message: `${notANumber(conversion)} (%(${name})${conversion})`,
        at: percent,
        hint: `%(${name}) is text, not a number: write %(${name})s`,
      };
    }
    out += formatted;
  }
  return { ok: true, value: out };
}

function formatOne(
  value: string | number,
  flags: string,
  width: string | undefined,
  precision: string | undefined,
  conversion: string,
): string | null {
  let body: string;
  switch (conversion) {
    case 's':
    case 'a':
      body = String(value);
      if (precision !== undefined) body = body.slice(0, Number(precision));
      break;
    case 'r':
      body = typeof value === 'number' ? String(value) : `'${value}'`;
      break;
    case '%':
      body = '%';
      break;
    case 'c':
      // Python's %c takes a one-character string as it is.
      if (typeof value === 'string') {
        if ([...value].length !== 1) return null;
        body = value;
        break;
      }
      body = formatNumber(value, conversion, flags, precision);
      break;
    default: {
      if (typeof value !== 'number') return null;
      body = formatNumber(value, conversion, flags, precision);
    }
  }
  const w = width === undefined ? 0 : Number(width);
  if (body.length >= w) return body;
  if (flags.includes('-')) return body.padEnd(w, ' ');
  if (flags.includes('0') && conversion !== 's' && conversion !== 'r' && conversion !== 'a') {
    const sign = body.startsWith('-') || body.startsWith('+') ? body[0] : '';
    return sign + body.slice(sign ? 1 : 0).padStart(w - (sign ? 1 : 0), '0');
  }
  return body.padStart(w, ' ');
}

function formatNumber(
  value: number,
  conversion: string,
  flags: string,
  precision: string | undefined,
): string {
  const n = value;
  const sign = n < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  const abs = Math.abs(n);
  switch (conversion) {
    case 'd':
    case 'i':
    case 'u':
      return sign + String(Math.trunc(abs));
    case 'x':
      return sign + (flags.includes('#') ? '0x' : '') + Math.trunc(abs).toString(16);
    case 'X':
      return sign + (flags.includes('#') ? '0X' : '') + Math.trunc(abs).toString(16).toUpperCase();
    case 'o':
      return sign + (flags.includes('#') ? '0o' : '') + Math.trunc(abs).toString(8);
    case 'c':
      return String.fromCodePoint(abs);
    case 'e':
    case 'E': {
      const s = abs
        .toExponential(precision === undefined ? 6 : Number(precision))
        .replace(/e([+-])(\d)$/, 'e$10$2');
      return sign + (conversion === 'E' ? s.toUpperCase() : s);
    }
    case 'g':
    case 'G':
      return sign + String(abs);
    default:
      return sign + abs.toFixed(precision === undefined ? 6 : Number(precision));
  }
}
