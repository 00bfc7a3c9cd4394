// Pure: the element tree of untrusted XML, read with saxes: no DOCTYPE, bounded depth (spec §4.2).
import { SaxesParser } from 'saxes';
import { MAX_DEPTH, XmlRpcDecodeError, type XmlElement } from './xml-element.js';

/**
 * Reads a whole document. Raw control characters are let through: Python writes them unescaped (a
 * coloured log line in readLog carries ESC), and refusing them would make such answers unreadable.
 */
export function parseXmlStrict(xml: string): XmlElement {
  const parser = new SaxesParser({ position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on('doctype', () => {
    // No DOCTYPE means no entity declarations: no entity expansion, internal or external, ever.
    throw new XmlRpcDecodeError('DOCTYPE is not allowed');
  });
  parser.on('error', (error) => {
    if (error.message.endsWith('disallowed character.')) return;
    throw new XmlRpcDecodeError(error.message);
  });
  parser.on('opentag', (tag) => {
    if (stack.length >= MAX_DEPTH) throw new XmlRpcDecodeError(`nesting deeper than ${MAX_DEPTH}`);
    const element: XmlElement = { name: tag.name, text: '', children: [] };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const addText = (text: string): void => {
    const current = stack[stack.length - 1];
    if (current) current.text += text;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.write(xml).close();
  if (!root) throw new XmlRpcDecodeError('no root element');
  return root;
}
