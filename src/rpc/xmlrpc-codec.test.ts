import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ByteArena,
  DateTimeValue,
  MAX_DEPTH,
  XmlRpcDecodeError,
  XmlRpcEncodeError,
  decodeCall,
  decodeResponse,
  encodeCall,
  encodeFault,
  encodeResponse,
  encodeResponseBytes,
  pythonFloatRepr,
  type XmlRpcValue,
} from './xmlrpc-codec.js';

const GET_STATE_BODY =
  "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><struct>\n<member>\n" +
  '<name>statecode</name>\n<value><int>1</int></value>\n</member>\n<member>\n<name>statename</name>\n' +
  '<value><string>RUNNING</string></value>\n</member>\n</struct></value>\n</param>\n</params>\n</methodResponse>\n';

test("getState's response is byte for byte supervisor's, 279 bytes long", () => {
  const body = encodeResponse({ statecode: 1, statename: 'RUNNING' });
  assert.equal(body, GET_STATE_BODY);
  assert.equal(Buffer.byteLength(body), 279);
});

test('a fault is written as Python writes Fault(10, "BAD_NAME: nosuch")', () => {
  assert.equal(
    encodeFault({ faultCode: 10, faultString: 'BAD_NAME: nosuch' }),
    "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n" +
      '<value><int>10</int></value>\n</member>\n<member>\n<name>faultString</name>\n' +
      '<value><string>BAD_NAME: nosuch</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n',
  );
});

test('strings escape only &, < and >; nil has no trailing newline; empty containers keep their newline', () => {
  assert.equal(
    encodeCall('a.b', ['x<&>"\'', null, [], {}]),
    "<?xml version='1.0'?>\n<methodCall>\n<methodName>a.b</methodName>\n<params>\n" +
      '<param>\n<value><string>x&lt;&amp;&gt;"\'</string></value>\n</param>\n' +
      '<param>\n<value><nil/></value></param>\n' +
      '<param>\n<value><array><data>\n</data></array></value>\n</param>\n' +
      '<param>\n<value><struct>\n</struct></value>\n</param>\n</params>\n</methodCall>\n',
  );
});

test('integers beyond 32 bits are written as <i8>, non-integers as <double>', () => {
  assert.match(encodeResponse(2147483647), /<int>2147483647<\/int>/);
  assert.match(encodeResponse(-2147483648), /<int>-2147483648<\/int>/);
  assert.match(encodeResponse(2147483648), /<i8>2147483648<\/i8>/);
  assert.match(encodeResponse(12345678901234567890n), /<i8>12345678901234567890<\/i8>/);
  assert.match(encodeResponse(1.5), /<double>1.5<\/double>/);
});

test('base64 is wrapped at 76 characters like encodebytes', () => {
  const body = encodeResponse(new Uint8Array(60).fill(65));
  const inner = /<base64>\n([\s\S]*)<\/base64>/.exec(body)?.[1] ?? '';
  assert.deepEqual(
    inner.split('\n').map((l) => l.length),
    [76, 4, 0],
  );
});

test('python float repr: exponents, .0 and specials', () => {
  const cases: [number, string][] = [
    [1.5, '1.5'],
    [0.1, '0.1'],
    [1e300, '1e+300'],
    [1e-7, '1e-07'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [123456789012.5, '123456789012.5'],
    [1e16, '1e+16'],
    [1.5e16, '1.5e+16'],
    [9999999999999998, '9999999999999998.0'],
    [-2.5e-10, '-2.5e-10'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, 'nan'],
    [-0, '-0.0'],
    [5e-324, '5e-324'],
  ];
  for (const [x, repr] of cases) assert.equal(pythonFloatRepr(x), repr, String(x));
});

test('undefined and cycles cannot be written', () => {
  assert.throws(() => encodeResponse(undefined as unknown as XmlRpcValue), XmlRpcEncodeError);
  const cyclic: XmlRpcValue[] = [];
  cyclic.push(cyclic);
  assert.throws(() => encodeResponse(cyclic), XmlRpcEncodeError);
});

test('a methodCall decodes every type supervisor reads', () => {
  const xml =
    '<?xml version="1.0"?><methodCall><methodName>ns.m</methodName><params>' +
    '<param><value><int> 42 </int></value></param>' +
    '<param><value><i4>-7</i4></value></param>' +
    '<param><value><boolean>1</boolean></value></param>' +
    '<param><value><boolean>true</boolean></value></param>' +
    '<param><value>bare &amp; text</value></param>' +
    '<param><value><string></string></value></param>' +
    '<param><value><double>-1.25e3</double></value></param>' +
    '<param><value><dateTime.iso8601>20240131T12:34:56</dateTime.iso8601></value></param>' +
    '<param><value><base64>aMOpbGxv</base64></value></param>' +
    '<param><value><array><data><value><int>1</int></value><value><array><data></data></array></value></data></array></value></param>' +
    '<param><value><struct><member><name>k</name><value><string>v</string></value></member></struct></value></param>' +
    '<param><value><i8>5</i8></value></param>' +
    '<param><value><nil/></value></param>' +
    '<param><value><![CDATA[<raw>]]></value></param>' +
    '</params></methodCall>';
  const call = decodeCall(xml);
  assert.equal(call.methodName, 'ns.m');
  assert.deepEqual(call.params, [
    42,
    -7,
    true,
    false,
    'bare & text',
    '',
    -1250,
    new DateTimeValue('20240131T12:34:56'),
    'héllo',
    [1, []],
    { k: 'v' },
    '5',
    null,
    '<raw>',
  ]);
});

test('params may be omitted; a missing or empty methodName is refused', () => {
  assert.deepEqual(decodeCall('<methodCall><methodName>a.b</methodName></methodCall>').params, []);
  assert.throws(() => decodeCall('<methodCall><params/></methodCall>'), XmlRpcDecodeError);
  assert.throws(() => decodeCall('<methodCall><methodName></methodName></methodCall>'), XmlRpcDecodeError);
});

test('garbage, bad numbers and bad dates are refused', () => {
  for (const xml of [
    'garbage',
    '',
    '<methodCall><methodName>a.b</methodName>',
    '<methodCall><methodName>a.b</methodName><params><param><value><int>x</int></value></param></params></methodCall>',
    '<methodCall><methodName>a.b</methodName><params><param><value><int></int></value></param></params></methodCall>',
    '<methodCall><methodName>a.b</methodName><params><param><value><double>1.2.3</double></value></param></params></methodCall>',
    '<methodCall><methodName>a.b</methodName><params><param><value><dateTime.iso8601>2024-01-31</dateTime.iso8601></value></param></params></methodCall>',
    '<methodCall><methodName>a.b</methodName><params><param><value><base64>abc</base64></value></param></params></methodCall>',
    '<methodCall><methodName>a.b</methodName><params><param><value><array></array></value></param></params></methodCall>',
    '<methodCall><methodName>a.b</methodName><params><param><value><struct><member><name>k</name></member></struct></value></param></params></methodCall>',
    '<other><methodName>a.b</methodName></other>',
  ]) {
    assert.throws(() => decodeCall(xml), XmlRpcDecodeError, xml);
  }
});

test('a DOCTYPE is refused outright: no entity is ever expanded', () => {
  const bomb =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>' +
    '<methodCall><methodName>a.b</methodName><params><param><value>&lol2;</value></param></params></methodCall>';
  assert.throws(() => decodeCall(bomb), /DOCTYPE/);
  const external =
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
    '<methodCall><methodName>a.b</methodName><params><param><value>&xxe;</value></param></params></methodCall>';
  assert.throws(() => decodeCall(external), /DOCTYPE/);
  const undeclared =
    '<methodCall><methodName>a.b</methodName><params><param><value>&xxe;</value></param></params></methodCall>';
  assert.throws(() => decodeCall(undeclared), XmlRpcDecodeError);
});

test('nesting is bounded', () => {
  const deep = (n: number): string =>
    '<methodCall><methodName>a.b</methodName><params><param>' +
    '<value><array><data>'.repeat(n) +
    '</data></array></value>'.repeat(n) +
    '</param></params></methodCall>';
  assert.doesNotThrow(() => decodeCall(deep(50)));
  assert.throws(() => decodeCall(deep(MAX_DEPTH)), /nesting/);
});

test('a struct member named __proto__ stays a plain key', () => {
  const call = decodeCall(
    '<methodCall><methodName>a.b</methodName><params><param><value><struct>' +
      '<member><name>__proto__</name><value><struct><member><name>polluted</name><value>1</value></member></struct></value></member>' +
      '</struct></value></param></params></methodCall>',
  );
  const struct = call.params[0] as Record<string, unknown>;
  assert.ok(Object.hasOwn(struct, '__proto__'));
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  assert.equal(Object.getPrototypeOf(struct), Object.prototype);
});

test('responses decode values and faults; raw control characters are tolerated', () => {
  assert.deepEqual(decodeResponse(GET_STATE_BODY), {
    ok: true,
    value: { statecode: 1, statename: 'RUNNING' },
  });
  assert.deepEqual(decodeResponse(encodeFault({ faultCode: 6, faultString: 'SHUTDOWN_STATE' })), {
    ok: false,
    fault: { faultCode: 6, faultString: 'SHUTDOWN_STATE' },
  });
  assert.deepEqual(decodeResponse(encodeResponse('\x1b[31mred\x1b[0m')), {
    ok: true,
    value: '\x1b[31mred\x1b[0m',
  });
  const bin = decodeResponse(encodeResponse(new Uint8Array([0, 255, 1])));
  assert.deepEqual(bin, { ok: true, value: new Uint8Array([0, 255, 1]) });
  assert.deepEqual(
    decodeResponse(encodeResponse(99999999999)).ok && decodeResponse(encodeResponse(99999999999)),
    {
      ok: true,
      value: 99999999999,
    },
  );
  assert.throws(() =>
    decodeResponse(
      '<methodResponse><params><param><value><boolean>2</boolean></value></param></params></methodResponse>',
    ),
  );
});

const arbValue: fc.Arbitrary<XmlRpcValue> = fc.letrec<{ value: XmlRpcValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer(),
    fc.boolean(),
    fc
      .string({ unit: 'grapheme' })
      .map((s) => s.replace(/[\r\uFFFE\uFFFF\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')),
    fc.double({ noNaN: true }).filter((d) => !Number.isInteger(d)),
    fc.constant(null),
    fc.uint8Array({ maxLength: 100 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.string().filter((k) => !/[\r\u0000-\u001f\uFFFE\uFFFF]/.test(k)),
      tie('value'),
      { maxKeys: 4, noNullPrototype: true },
    ),
  ),
})).value;

test('property: every encodable value decodes back to itself', () => {
  fc.assert(
    fc.property(arbValue, (value) => {
      const decoded = decodeResponse(encodeResponse(value));
      assert.deepEqual(decoded, { ok: true, value });
    }),
    { numRuns: 300 },
  );
});

test('encodeResponseBytes is encodeResponse as UTF-8, also for answers spilled over many chunks', () => {
  const big = Array.from({ length: 3000 }, (_, i) => ({
    name: `p${i}`,
    description: i % 7 === 0 ? `héllo ☃ 𝄞 <${i}> & more` : `pid ${i}, uptime 0:01:02`,
    pid: i,
    nested: [i, true, null, 'x'.repeat(i % 50)],
  }));
  for (const value of [big, 'é', 42, [], {}] as const) {
    assert.deepEqual(encodeResponseBytes(value), Buffer.from(encodeResponse(value), 'utf8'));
  }
  assert.ok(encodeResponseBytes(big).length > 256 * 1024, 'spills many times');
});

test('a ByteArena lends its memory again only once the last answer is released', () => {
  const arena = new ByteArena();
  const big = Array.from({ length: 2000 }, (_, i) => ({ name: `p${i}`, text: '☃'.repeat(i % 40) }));
  const expected = Buffer.from(encodeResponse(big), 'utf8');
  const same = (a: Buffer, b: Buffer) => a.buffer === b.buffer;

  const first = encodeResponseBytes(big, arena);
  assert.ok(first.equals(expected), 'an answer larger than the first buffer grows it');
  // Not released yet (the socket still writes it): the next answer must not touch its memory.
  const second = encodeResponseBytes('other', arena);
  assert.ok(!same(second, first));
  assert.ok(first.equals(expected), 'the unreleased answer is intact');
  assert.ok(second.equals(Buffer.from(encodeResponse('other'), 'utf8')));

  arena.release(second);
  const third = encodeResponseBytes('again', arena);
  assert.ok(same(third, second), 'released memory is reused');
  assert.ok(third.equals(Buffer.from(encodeResponse('again'), 'utf8')));
  // Releasing an answer the arena no longer tracks frees nothing.
  arena.release(first);
  const fourth = encodeResponseBytes('x', arena);
  assert.ok(!same(fourth, third) && !same(fourth, first));
});
