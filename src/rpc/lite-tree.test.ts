// The client's light XML reader must build exactly the tree saxes builds, and refuse what it refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseXmlLite } from './lite-tree.js';
import { parseXmlStrict } from './saxes-tree.js';
import { MAX_DEPTH, XmlRpcDecodeError } from './xml-element.js';
import { encodeCall, encodeFault, encodeResponse } from './xmlrpc-encode.js';
import type { XmlRpcValue } from './xmlrpc-value.js';

const same = (xml: string): void => assert.deepEqual(parseXmlLite(xml), parseXmlStrict(xml), xml);

test('hand-written documents give the same tree', () => {
  for (const xml of [
    "<?xml version='1.0'?>\n<methodResponse><params/></methodResponse>\n",
    '\uFEFF<?xml version="1.0" encoding="UTF-8"?><!-- c --><a>x<!-- inner -->y<?pi data?></a><!-- after -->',
    '<a>&lt;&gt;&amp;&quot;&apos; &#233; &#x1F600; &#10;</a>',
    '<a>line\r\nbreak\rcr</a>',
    '<a><![CDATA[<raw> & \r\n]]>tail</a>',
    '<a b="1" c=\'2\' d = "x>y"><e/><f  /><g></g></a>',
    '<value>\n  <struct>\n <member><name>k</name><value>v</value></member>\n</struct>\n</value>',
    '<a>\x1b[31mred\x1b[0m \x00</a>',
    '  <a/>  ',
  ]) {
    same(xml);
  }
});

test('both refuse DOCTYPEs, bad nesting, unknown entities and stray text', () => {
  for (const xml of [
    '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>',
    '<a><b></a></b>',
    '<a>',
    '</a>',
    '<a>&nosuch;</a>',
    '<a>&amp</a>',
    '<a>&#0;</a>',
    '<a></a><b></b>',
    'text<a></a>',
    '',
    'garbage',
    '<a><![CDATA[x</a>',
    '<a><!-- x</a>',
    '<a x></a>',
  ]) {
    assert.throws(() => parseXmlLite(xml), XmlRpcDecodeError, `lite accepted ${JSON.stringify(xml)}`);
    assert.throws(() => parseXmlStrict(xml), XmlRpcDecodeError, `saxes accepted ${JSON.stringify(xml)}`);
  }
  const deep = '<a>'.repeat(MAX_DEPTH + 1) + '</a>'.repeat(MAX_DEPTH + 1);
  assert.throws(() => parseXmlLite(deep), /nesting/);
});

const arbValue: fc.Arbitrary<XmlRpcValue> = fc.letrec<{ value: XmlRpcValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.integer(),
    fc.boolean(),
    fc.string({ unit: 'grapheme' }).map((s) => s.replace(/[\uFFFE\uFFFF\u0000]/g, '')),
    fc.string({ unit: fc.constantFrom('&', '<', '>', ']', '\r', '\n', 'a', ';', '#', '\x1b') }),
    fc.double(),
    fc.constant(null),
    fc.uint8Array({ maxLength: 80 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).value;

test('property: every document svd or Python writes parses to the same tree', () => {
  fc.assert(
    fc.property(arbValue, fc.string(), fc.integer(), (value, text, code) => {
      same(encodeResponse(value));
      same(encodeCall('ns.method', [value, value]));
      same(encodeFault({ faultCode: code, faultString: text.replace(/[\uFFFE\uFFFF\u0000]/g, '') }));
    }),
    { numRuns: 300 },
  );
});
