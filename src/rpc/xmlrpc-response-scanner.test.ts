// The one-pass response reader must give exactly what the tree reader gives, or step aside (null).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseXmlLite } from './lite-tree.js';
import { decodeResponseTree } from './xmlrpc-decode.js';
import { encodeFault, encodeResponse } from './xmlrpc-encode.js';
import { scanResponse } from './xmlrpc-response-scanner.js';
import type { XmlRpcValue } from './xmlrpc-value.js';

const tree = (xml: string) => decodeResponseTree(parseXmlLite(xml));

const value: fc.Arbitrary<XmlRpcValue> = fc.letrec<{ v: XmlRpcValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc
      .string({ unit: 'binary' })
      .map((s) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/g, '')),
    fc.integer({ min: -2147483648, max: 2147483647 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('v'), { maxKeys: 4 }),
  ),
})).v;

test('every encoded response and fault reads the same as through the tree', () => {
  fc.assert(
    fc.property(value, (v) => {
      const xml = encodeResponse(v);
      const fast = scanResponse(xml);
      assert.ok(fast !== null, xml);
      assert.deepEqual(fast, tree(xml));
    }),
    { numRuns: 300 },
  );
  fc.assert(
    fc.property(fc.integer(), fc.string(), (faultCode, faultString) => {
      const xml = encodeFault({ faultCode, faultString: faultString.replace(/[\u0000-\u001f]/g, '') });
      assert.deepEqual(scanResponse(xml), tree(xml));
    }),
  );
});

test('hand-written variants: bare values, empty tags, references, CR, spacing', () => {
  for (const xml of [
    "<?xml version='1.0'?><methodResponse><params><param><value>bare &amp; &#233;</value></param></params></methodResponse>",
    '<methodResponse><params><param><value/></param></params></methodResponse>',
    '<methodResponse><params><param><value><string/></string></value></param></params></methodResponse>'.replace(
      '</string>',
      '',
    ),
    '<methodResponse>\n <params>\n  <param>\n   <value><struct/></value>\n  </param>\n </params>\n</methodResponse>\n',
    '<methodResponse><params><param><value><array><data/></array></value></param></params></methodResponse>',
    '<methodResponse><params><param><value><string>a\r\nb\rc</string></value></param></params></methodResponse>',
    '<methodResponse><params><param><value><i4> 7 </i4></value></param></params></methodResponse>',
    '<methodResponse><params><param><value><boolean> 1 </boolean></value></param></params></methodResponse>',
    '<methodResponse ><params ><param><value><nil /></value></param></params></methodResponse>',
    '<methodResponse><params><param><value><struct><member><name>__proto__</name><value>x</value></member></struct></value></param></params></methodResponse>',
  ]) {
    const fast = scanResponse(xml);
    assert.ok(fast !== null, xml);
    assert.deepEqual(fast, tree(xml), xml);
  }
});

test('what it does not handle is left to the tree reader', () => {
  for (const xml of [
    '<methodResponse><!-- c --><params><param><value>x</value></param></params></methodResponse>',
    '<methodResponse><params><param><value><![CDATA[x]]></value></param></params></methodResponse>',
    '<methodResponse><params><param><value><double>2.5</double></value></param></params></methodResponse>',
    '<methodResponse><params><param><value><base64>eA==</base64></value></param></params></methodResponse>',
    '<methodResponse><params><param><value><int>99999999999999999999</int></value></param></params></methodResponse>',
    '<methodResponse><params><param><value><odd>x</odd></value></param></params></methodResponse>',
    '<methodResponse a="1"><params/></methodResponse>',
    '<methodResponse><params/></methodResponse>',
    '<methodResponse><params><param><value>&bogus;</value></param></params></methodResponse>',
    '<methodResponse><params><param><value>x</value></param></params></methodResponse><extra/>',
    '<methodResponse><params><param><value>x</value></param></params>',
  ]) {
    assert.equal(scanResponse(xml), null, xml);
  }
});
