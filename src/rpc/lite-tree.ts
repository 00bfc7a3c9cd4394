// Pure: a small XML reader for the client, which reads its own server's answers and must start fast
// (saxes costs ~20 ms to load). Builds the same tree as saxes-tree.ts for well-formed documents.
import { MAX_DEPTH, XmlRpcDecodeError, type XmlElement } from './xml-element.js';

const NAME = '[A-Za-z_:][-A-Za-z0-9_.:]*';
const TAG = new RegExp(`<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`, 'y');
const REFERENCE = /&([^&;<]*)(;?)/g;
const CHAR_REF = /^#(?:(\d+)|x([0-9a-fA-F]+))$/;
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function fail(message: string): never {
  throw new XmlRpcDecodeError(message);
}

/** Character data: line ends normalised as every XML reader does, then references expanded. */
function decodeText(raw: string): string {
  const text = raw.replace(/\r\n?/g, '\n');
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (_whole, body: string, semicolon: string) => {
    if (!semicolon) fail('malformed entity reference');
    if (Object.hasOwn(NAMED, body)) return NAMED[body] ?? '';
    const m = CHAR_REF.exec(body);
    if (!m) fail('undefined entity');
    const code = m[1] !== undefined ? Number(m[1]) : Number.parseInt(m[2] ?? '', 16);
    if (!(code > 0 && code <= 0x10ffff)) fail('malformed character entity');
    return String.fromCodePoint(code);
  });
}

/** Reads a whole document: one root element, comments and processing instructions skipped, no DOCTYPE. */
export function parseXmlLite(xml: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;

  const addText = (text: string): void => {
    const current = stack[stack.length - 1];
    if (current) current.text += text;
    else if (text.trim() !== '') fail('text outside the root element');
  };

  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const end = lt < 0 ? xml.length : lt;
    if (end > i) {
      addText(decodeText(xml.slice(i, end)));
    }
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) {
      const close = xml.indexOf('-->', lt + 4);
      if (close < 0) fail('unclosed comment');
      i = close + 3;
    } else if (xml.startsWith('<![CDATA[', lt)) {
      const close = xml.indexOf(']]>', lt + 9);
      if (close < 0 || stack.length === 0) fail('misplaced or unclosed CDATA');
      addText(xml.slice(lt + 9, close).replace(/\r\n?/g, '\n'));
      i = close + 3;
    } else if (xml.startsWith('<!', lt)) {
      fail('DOCTYPE is not allowed');
    } else if (xml.startsWith('<?', lt)) {
      const close = xml.indexOf('?>', lt + 2);
      if (close < 0) fail('unclosed processing instruction');
      i = close + 2;
    } else {
      TAG.lastIndex = lt;
      const m = TAG.exec(xml);
      if (!m) fail('malformed tag');
      const [whole, closing, name = '', attributes, selfClosing] = m;
      i = lt + whole.length;
      if (closing) {
        if (attributes || selfClosing) fail('malformed closing tag');
        if (stack.pop()?.name !== name) fail(`unexpected </${name}>`);
        continue;
      }
      if (root && stack.length === 0) fail('more than one root element');
      if (stack.length >= MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`);
      const element: XmlElement = { name, text: '', children: [] };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else root = element;
      if (!selfClosing) stack.push(element);
    }
  }
  if (!root) fail('no root element');
  if (stack.length > 0) fail(`unclosed <${stack[stack.length - 1]?.name ?? ''}>`);
  return root;
}
