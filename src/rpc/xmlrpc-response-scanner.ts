// Pure: a one-pass reader of the `<methodResponse>` documents servers actually send (Python's dumps, svd's
// encoder): values straight from the text, no element tree. `svd ctl status` reads a 1 MB answer for 1,000
// processes; building a tree for it cost more than everything else the ctl does. Anything unusual (comments,
// CDATA, attributes, doubles, base64, dates, unknown tags) returns null and the caller uses the tree reader,
// so both give the same values.
import type { MethodResponse, XmlRpcValue } from './xmlrpc-value.js';

const BAIL = Symbol('bail');

function bail(): never {
  throw BAIL;
}

const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const REFERENCE = /&([^&;<]*)(;?)/g;
const CHAR_REF = /^#(?:(\d+)|x([0-9a-fA-F]+))$/;
const PLAIN_INT = /^\s*[+-]?\d{1,15}\s*$/;

/** Character data as an XML reader gives it; a malformed reference bails (the tree reader reports it). */
function decodeText(raw: string): string {
  const text = raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (_whole, body: string, semicolon: string) => {
    if (!semicolon) bail();
    const named = Object.hasOwn(NAMED, body) ? NAMED[body] : undefined;
    if (named !== undefined) return named;
    const m = CHAR_REF.exec(body);
    if (!m) bail();
    const code = m[1] !== undefined ? Number(m[1]) : Number.parseInt(m[2] ?? '', 16);
    if (!(code > 0 && code <= 0x10ffff)) bail();
    return String.fromCodePoint(code);
  });
}

// <member><name>K</name><value>(<T>text</T> | <string/> | <nil/> | bare text)</value></member>, blanks between.
const FLAT_MEMBER =
  /[ \t\r\n]*<member>[ \t\r\n]*<name>([^<]*)<\/name>[ \t\r\n]*<value>(?:<(string|int|i4|i8|boolean)>([^<]*)<\/\2>|<(string|nil)\/>|([^<]*))<\/value>[ \t\r\n]*<\/member>/y;

function emptyValue(type: string): XmlRpcValue {
  return type === 'nil' ? null : '';
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

class Scanner {
  readonly #xml: string;
  #pos = 0;
  /** The last tag read. */
  name = '';
  closing = false;
  empty = false;

  constructor(xml: string) {
    this.#xml = xml;
    if (xml.charCodeAt(0) === 0xfeff) this.#pos = 1;
  }

  #skipSpace(): void {
    while (this.#pos < this.#xml.length && isSpace(this.#xml.charCodeAt(this.#pos))) this.#pos++;
  }

  /** Skips the XML declaration. */
  prolog(): void {
    this.#skipSpace();
    if (this.#xml.startsWith('<?', this.#pos)) {
      const close = this.#xml.indexOf('?>', this.#pos + 2);
      if (close < 0) bail();
      this.#pos = close + 2;
    }
  }

  /** Reads the next tag, skipping whitespace before it (other text bails); returns its name. */
  tag(): string {
    this.#skipSpace();
    this.#readTag();
    return this.name;
  }

  /** The next tag must open `<name>` (or be `<name/>` when `empty` is allowed). */
  open(name: string, allowEmpty: boolean): void {
    if (this.tag() !== name || this.closing || (this.empty && !allowEmpty)) bail();
  }

  #readTag(): void {
    const xml = this.#xml;
    if (xml.charCodeAt(this.#pos) !== LT) bail();
    let i = this.#pos + 1;
    this.closing = xml.charCodeAt(i) === SLASH;
    if (this.closing) i++;
    const start = i;
    for (;;) {
      const c = xml.charCodeAt(i);
      if (c === GT || c === SLASH || isSpace(c)) break;
      // `<!` and `<?` (comments, CDATA, instructions) and anything odd in a name go the slow way.
      if (Number.isNaN(c) || c === LT || c === 0x21 || c === 0x3f || c === 0x3d) bail();
      i++;
    }
    if (i === start) bail();
    this.name = xml.slice(start, i);
    while (isSpace(xml.charCodeAt(i))) i++;
    this.empty = xml.charCodeAt(i) === SLASH;
    if (this.empty) {
      if (this.closing) bail();
      i++;
    }
    if (xml.charCodeAt(i) !== GT) bail();
    this.#pos = i + 1;
  }

  /**
   * A whole `<member>` with a scalar value in one regular expression match (one native call instead of a
   * dozen interpreted steps per member); null, with nothing consumed, when the member needs the general path.
   */
  flatMember(): [string, XmlRpcValue] | null {
    FLAT_MEMBER.lastIndex = this.#pos;
    const m = FLAT_MEMBER.exec(this.#xml);
    if (!m) return null;
    const [, key = '', type, text = '', emptyType, bare] = m;
    let v: XmlRpcValue;
    if (type === undefined) v = emptyType !== undefined ? emptyValue(emptyType) : decodeText(bare ?? '');
    else if (type === 'string') v = decodeText(text);
    else if (type === 'boolean') {
      const t = text.trim();
      if (t !== '0' && t !== '1') return null;
      v = t === '1';
    } else {
      if (!PLAIN_INT.test(text)) return null;
      v = Number(text);
    }
    this.#pos = FLAT_MEMBER.lastIndex;
    return [decodeText(key), v];
  }

  /** Reads character data up to the next tag, then that tag. */
  textThenTag(): string {
    const lt = this.#xml.indexOf('<', this.#pos);
    if (lt < 0) bail();
    const raw = this.#xml.slice(this.#pos, lt);
    this.#pos = lt;
    this.#readTag();
    return decodeText(raw);
  }

  /** The next tag must close `</name>`. */
  close(name: string): void {
    if (this.tag() !== name || !this.closing) bail();
  }

  /** Only whitespace may follow the root element. */
  end(): void {
    this.#skipSpace();
    if (this.#pos !== this.#xml.length) bail();
  }
}

/** After `<name>`: its text up to `</name>`; `<name/>` is empty. */
function scalarText(s: Scanner, name: string): string {
  if (s.empty) return '';
  const text = s.textThenTag();
  if (s.name !== name || !s.closing) bail();
  return text;
}

/** After `<value>`: the value, through `</value>`. */
function value(s: Scanner): XmlRpcValue {
  if (s.empty) return '';
  const text = s.textThenTag();
  if (s.closing) {
    if (s.name !== 'value') bail();
    return text;
  }
  let v: XmlRpcValue;
  switch (s.name) {
    case 'string':
      v = scalarText(s, 'string');
      break;
    case 'int':
    case 'i4':
    case 'i8': {
      const digits = scalarText(s, s.name);
      if (!PLAIN_INT.test(digits)) bail();
      v = Number(digits);
      break;
    }
    case 'boolean': {
      const t = scalarText(s, 'boolean').trim();
      if (t !== '0' && t !== '1') bail();
      v = t === '1';
      break;
    }
    case 'nil':
      if (!s.empty) bail();
      v = null;
      break;
    case 'array':
      v = array(s);
      break;
    case 'struct':
      v = struct(s);
      break;
    default:
      bail();
  }
  s.close('value');
  return v;
}

function array(s: Scanner): XmlRpcValue[] {
  if (s.empty) bail();
  s.open('data', true);
  const items: XmlRpcValue[] = [];
  if (!s.empty) {
    for (;;) {
      const name = s.tag();
      if (s.closing && name === 'data') break;
      if (s.closing || name !== 'value') bail();
      items.push(value(s));
    }
  }
  s.close('array');
  return items;
}

/** A member named __proto__ must stay a plain key, as Object.fromEntries would make it. */
function set(out: Record<string, XmlRpcValue>, key: string, v: XmlRpcValue): void {
  if (key === '__proto__')
    Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  else out[key] = v;
}

function struct(s: Scanner): Record<string, XmlRpcValue> {
  const out: Record<string, XmlRpcValue> = {};
  if (s.empty) return out;
  for (;;) {
    const flat = s.flatMember();
    if (flat) {
      set(out, flat[0], flat[1]);
      continue;
    }
    const name = s.tag();
    if (s.closing && name === 'struct') break;
    if (s.closing || s.empty || name !== 'member') bail();
    s.open('name', true);
    const key = scalarText(s, 'name');
    s.open('value', true);
    set(out, key, value(s));
    s.close('member');
  }
  return out;
}

/** The response, or null when the document needs the general reader. */
export function scanResponse(xml: string): MethodResponse | null {
  try {
    const s = new Scanner(xml);
    s.prolog();
    s.open('methodResponse', false);
    const kind = s.tag();
    if (s.closing || s.empty) bail();
    let result: MethodResponse;
    if (kind === 'fault') {
      s.open('value', true);
      const fault = value(s);
      const f = fault as { faultCode?: unknown; faultString?: unknown } | null;
      if (typeof f?.faultCode !== 'number' || typeof f.faultString !== 'string') bail();
      result = { ok: false, fault: { faultCode: f.faultCode, faultString: f.faultString } };
      s.close('fault');
    } else if (kind === 'params') {
      s.open('param', false);
      s.open('value', true);
      result = { ok: true, value: value(s) };
      s.close('param');
      s.close('params');
    } else bail();
    s.close('methodResponse');
    s.end();
    return result;
  } catch (error) {
    if (error === BAIL) return null;
    throw error;
  }
}
