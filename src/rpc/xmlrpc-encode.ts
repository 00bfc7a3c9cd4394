// Pure: writes XML-RPC documents byte for byte as Python's xmlrpc.client.dumps does (spec §4.2).
import { DateTimeValue, type Fault, type XmlRpcValue } from './xmlrpc-value.js';

const XML_HEADER = "<?xml version='1.0'?>\n";
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** A value that cannot be written (undefined, a function, a cycle): the caller's bug, HTTP 500. */
export class XmlRpcEncodeError extends Error {
  override readonly name = 'XmlRpcEncodeError';
}

const NEEDS_ESCAPE = /[&<>]/;

/** Python's `escape`: only `&`, `<` and `>`; quotes and control characters are written as they are. */
export function escapeXml(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/**
 * Where a document is written: one growing string (V8 joins the pieces once, when it is read), a third of
 * the cost of an array of pieces joined at the end. For an answer on the wire the string is spilled, every
 * 32 K characters, as UTF-8 into one buffer taken from a ByteArena, so a large answer (getAllProcessInfo at
 * 1,000 processes is ~1.2 MB) is never one live rope the garbage collector must copy and promote, and is
 * not re-copied into fresh memory at the end.
 */
class Out {
  s = '';
  #buf: Buffer | null;
  #pos = 0;
  readonly #arena: ByteArena | null;
  constructor(arena: ByteArena | null) {
    this.#arena = arena;
    this.#buf = arena === null ? null : arena.take();
  }
  /** Between values: moves what was written so far into the buffer, when writing bytes and enough has piled up. */
  spill(): void {
    if (this.#buf !== null && this.s.length >= SPILL_CHARS) this.#flush();
  }
  #flush(): void {
    let buf = this.#buf as Buffer;
    // A UTF-8 character takes at most three bytes per UTF-16 unit.
    const need = this.#pos + this.s.length * 3;
    if (need > buf.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(need, buf.length * 2));
      buf.copy(bigger, 0, 0, this.#pos);
      buf = this.#buf = bigger;
    }
    this.#pos += buf.write(this.s, this.#pos, 'utf8');
    this.s = '';
  }
  bytes(): Buffer {
    this.#flush();
    const buf = this.#buf as Buffer;
    this.#arena?.keep(buf);
    return buf.subarray(0, this.#pos);
  }
}
const SPILL_CHARS = 32 * 1024;

/**
 * Memory for answers on the wire, reused from one answer to the next: fresh memory costs a page fault per
 * 4 KiB, which on a virtual machine made copying a 1.2 MB answer into it cost more than writing it. The
 * holder gives a buffer back with `release` once the socket no longer needs it (the write completed); one
 * never given back (a client that went away mid-answer) is left to the garbage collector.
 */
export class ByteArena {
  #free: Buffer | null = null;
  #lent: Buffer | null = null;
  /**
   * Buffers larger than this are not kept between answers. getAllProcessInfo at 5,000 processes is ~6.3 MB:
   * with a 4 MB limit every such call grew a fresh buffer through five copies and cost 9x the call at 1,000.
   */
  static readonly KEEP_MAX = 32 * 1024 * 1024;
  take(): Buffer {
    const buf = this.#free ?? Buffer.allocUnsafeSlow(256 * 1024);
    this.#free = null;
    return buf;
  }
  keep(buf: Buffer): void {
    this.#lent = buf;
  }
  /** The last answer's buffer is free again. */
  release(bytes: Buffer): void {
    const buf = this.#lent;
    if (buf === null || bytes.buffer !== buf.buffer) return;
    this.#lent = null;
    if (buf.length <= ByteArena.KEEP_MAX && (this.#free === null || this.#free.length < buf.length)) {
      this.#free = buf;
    }
  }
}

const memberOpens = new Map<string, string>();

/** `<member>\n<name>key</name>\n`, kept for the few struct keys that recur (ProcessInfo's fifteen). */
function memberOpen(key: string): string {
  let tag = memberOpens.get(key);
  if (tag === undefined) {
    tag = `<member>\n<name>${escapeXml(key)}</name>\n`;
    if (memberOpens.size < 1000) memberOpens.set(key, tag);
  }
  return tag;
}

/** Python's `repr(float)`: shortest round-trip digits, exponent below 1e-4 and from 1e16, `.0` on integers. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // toExponential() without digits gives the shortest digits that round-trip, as Python's repr.
  const [mantissa = '', exponent = '0'] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(exponent);
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intLength = exp + 1;
  if (digits.length <= intLength) return `${sign}${digits}${'0'.repeat(intLength - digits.length)}.0`;
  return `${sign}${digits.slice(0, intLength)}.${digits.slice(intLength)}`;
}

/** Python's `base64.encodebytes`: lines of 76 characters, each ending in a newline. */
function encodeBase64Lines(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let out = '';
  for (let i = 0; i < text.length; i += 76) out += `${text.slice(i, i + 76)}\n`;
  return out;
}

function writeInteger(n: number | bigint, out: Out): void {
  // Python refuses integers beyond 32 bits; <i8> is what its client (and svd's) reads for them.
  const tag = n >= INT32_MIN && n <= INT32_MAX ? 'int' : 'i8';
  out.s += `<value><${tag}>${String(n)}</${tag}></value>\n`;
}

function writeValue(value: XmlRpcValue, out: Out, seen: Set<object>): void {
  switch (typeof value) {
    case 'number':
      if (Number.isSafeInteger(value) && !Object.is(value, -0)) writeInteger(value, out);
      else out.s += `<value><double>${pythonFloatRepr(value)}</double></value>\n`;
      return;
    case 'bigint':
      writeInteger(value, out);
      return;
    case 'string':
      out.s += `<value><string>${escapeXml(value)}</string></value>\n`;
      return;
    case 'boolean':
      out.s += `<value><boolean>${value ? '1' : '0'}</boolean></value>\n`;
      return;
    case 'object':
      break;
    default:
      throw new XmlRpcEncodeError(`cannot marshal ${typeof value} objects`);
  }
  if (value === null) {
    // Python writes no newline after <nil/>.
    out.s += '<value><nil/></value>';
    return;
  }
  if (value instanceof Uint8Array) {
    out.s += `<value><base64>\n${encodeBase64Lines(value)}</base64></value>\n`;
    return;
  }
  if (value instanceof DateTimeValue) {
    out.s += `<value><dateTime.iso8601>${value.value}</dateTime.iso8601></value>\n`;
    return;
  }
  if (seen.has(value)) throw new XmlRpcEncodeError('cannot marshal recursive structures');
  seen.add(value);
  if (Array.isArray(value)) {
    out.s += '<value><array><data>\n';
    // Indexed loops here: a large answer (1,000 processes) is encoded in unoptimized code after a burst, where
    // for-of allocates an iterator result per element.
    const items = value as readonly XmlRpcValue[];
    for (let i = 0; i < items.length; i++) {
      writeValue(items[i] as XmlRpcValue, out, seen);
      out.spill();
    }
    out.s += '</data></array></value>\n';
  } else {
    out.s += '<value><struct>\n';
    const struct = value as Readonly<Record<string, XmlRpcValue>>;
    const keys = Object.keys(struct);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      out.s += memberOpen(key);
      writeValue(struct[key] as XmlRpcValue, out, seen);
      out.s += '</member>\n';
      out.spill();
    }
    out.s += '</struct></value>\n';
  }
  seen.delete(value);
}

/** One `<value>…</value>` as Python writes it (with its trailing newline, except for nil). */
export function encodeValue(value: XmlRpcValue): string {
  const out = new Out(null);
  writeValue(value, out, new Set());
  return out.s;
}

function writeParams(params: readonly XmlRpcValue[], out: Out): void {
  out.s += '<params>\n';
  const seen = new Set<object>();
  for (const param of params) {
    out.s += '<param>\n';
    writeValue(param, out, seen);
    out.s += '</param>\n';
  }
  out.s += '</params>\n';
}

function encodeParams(params: readonly XmlRpcValue[]): string {
  const out = new Out(null);
  writeParams(params, out);
  return out.s;
}

/** `xmlrpc.client.dumps((value,), methodresponse=True)`. Throws XmlRpcEncodeError on an unwritable value. */
export function encodeResponse(value: XmlRpcValue): string {
  return `${XML_HEADER}<methodResponse>\n${encodeParams([value])}</methodResponse>\n`;
}

/**
 * The same document as encodeResponse, as the UTF-8 bytes sent on the wire. With an arena the bytes live in
 * its memory until given back with `arena.release(bytes)`.
 */
export function encodeResponseBytes(value: XmlRpcValue, arena: ByteArena = new ByteArena()): Buffer {
  const out = new Out(arena);
  out.s = `${XML_HEADER}<methodResponse>\n`;
  writeParams([value], out);
  out.s += '</methodResponse>\n';
  return out.bytes();
}

/** `xmlrpc.client.dumps(Fault(code, string))`. */
export function encodeFault(fault: Fault): string {
  const body = encodeValue({ faultCode: fault.faultCode, faultString: fault.faultString });
  return `${XML_HEADER}<methodResponse>\n<fault>\n${body}</fault>\n</methodResponse>\n`;
}

/** `xmlrpc.client.dumps(params, methodName)`: what a client sends. */
export function encodeCall(methodName: string, params: readonly XmlRpcValue[]): string {
  return (
    `${XML_HEADER}<methodCall>\n<methodName>${escapeXml(methodName)}</methodName>\n` +
    `${encodeParams(params)}</methodCall>\n`
  );
}
