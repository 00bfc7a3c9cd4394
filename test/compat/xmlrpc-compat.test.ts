// The XML-RPC codec against Python's xmlrpc.client and supervisor 4.2.5's request parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import {
  DateTimeValue,
  decodeCall,
  decodeResponse,
  encodeCall,
  encodeFault,
  encodeResponse,
  pythonFloatRepr,
  type XmlRpcValue,
} from '../../src/rpc/xmlrpc-codec.js';
import { supervisorMissing, supervisorPython } from '../support/oracle.js';

const ORACLE = new URL('../../../test/compat/xmlrpc-oracle.py', import.meta.url).pathname;

type Tagged = { t: string; v?: unknown };

function tag(value: XmlRpcValue): Tagged {
  if (typeof value === 'boolean') return { t: 'bool', v: value };
  if (typeof value === 'bigint') return { t: 'int', v: String(value) };
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && !Object.is(value, -0)
      ? { t: 'int', v: String(value) }
      : { t: 'double', v: pythonFloatRepr(value) };
  }
  if (typeof value === 'string') return { t: 'str', v: value };
  if (value === null) return { t: 'nil' };
  if (value instanceof Uint8Array) return { t: 'bytes', v: Buffer.from(value).toString('base64') };
  if (value instanceof DateTimeValue) return { t: 'datetime', v: value.value };
  if (Array.isArray(value)) return { t: 'array', v: (value as XmlRpcValue[]).map(tag) };
  return { t: 'struct', v: Object.entries(value).map(([k, v]) => [k, tag(v)]) };
}

interface Answer {
  responses: string[];
  calls: string[];
  faults: string[];
  reprs: string[];
  loads: {
    ok: boolean;
    method?: string | null;
    params?: Tagged[];
    fault?: [number, string];
    error?: string;
  }[];
  supervisorLoads: { ok: boolean; method?: string | null; params?: Tagged[]; error?: string }[];
}

function ask(request: {
  responses?: XmlRpcValue[];
  calls?: { method: string; params: XmlRpcValue[] }[];
  faults?: [number, string][];
  reprs?: string[];
  loads?: string[];
  supervisorLoads?: string[];
}): Answer {
  const input = JSON.stringify({
    responses: (request.responses ?? []).map(tag),
    calls: (request.calls ?? []).map((c) => ({ method: c.method, params: c.params.map(tag) })),
    faults: request.faults ?? [],
    reprs: request.reprs ?? [],
    loads: request.loads ?? [],
    supervisorLoads: request.supervisorLoads ?? [],
  });
  return JSON.parse(
    execFileSync(supervisorPython, [ORACLE], { input, timeout: 60_000 }).toString(),
  ) as Answer;
}

const TABLE: XmlRpcValue[] = [
  0,
  1,
  -1,
  2147483647,
  -2147483648,
  true,
  false,
  '',
  'plain',
  `a<&>"' ]]> `,
  'héllo wörld, 日本語, emoji 😀, combining é',
  '\ttab\nnewline  spaces ',
  1.5,
  0.1,
  -2.5e-10,
  1e300,
  1.7976931348623157e308,
  5e-324,
  12345678901234.5,
  null,
  [],
  {},
  [[], [[]], {}],
  { outer: { inner: { list: [1, 'two', { three: 3.5 }], empty: [] } }, 'key with <&>': 'v' },
  new Uint8Array([]),
  new Uint8Array([0, 1, 2, 254, 255]),
  new Uint8Array(200).map((_, i) => i),
  new DateTimeValue('20240131T12:34:56'),
  { statecode: 1, statename: 'RUNNING' },
];

test(
  'responses, calls and faults are byte for byte what xmlrpc.client.dumps writes',
  { skip: supervisorMissing },
  () => {
    const calls = [
      { method: 'supervisor.getState', params: [] },
      { method: 'supervisor.startProcess', params: ['web', true] },
      { method: 'system.multicall', params: [[{ methodName: 'a.b', params: [1, 'x', [], {}] }]] },
    ];
    const faults: [number, string][] = [
      [10, 'BAD_NAME: nosuch'],
      [2, 'INCORRECT_PARAMETERS: Recursive system.multicall forbidden'],
      [30, 'FAILED: <&> é'],
    ];
    const answer = ask({ responses: TABLE, calls, faults });
    TABLE.forEach((value, i) => assert.equal(encodeResponse(value), answer.responses[i], `response ${i}`));
    calls.forEach((c, i) => assert.equal(encodeCall(c.method, c.params), answer.calls[i], c.method));
    faults.forEach(([code, text], i) =>
      assert.equal(encodeFault({ faultCode: code, faultString: text }), answer.faults[i], text),
    );
  },
);

test('what Python writes decodes back to the same values', { skip: supervisorMissing }, () => {
  // supervisor's request reader turns base64 into UTF-8 text (and refuses the call when it is not).
  const textual = TABLE.filter((v) => !(v instanceof Uint8Array) || Buffer.from(v).every((b) => b < 0x80));
  const answer = ask({ responses: TABLE, calls: [{ method: 'ns.m', params: textual }] });
  TABLE.forEach((value, i) => {
    assert.deepEqual(decodeResponse(answer.responses[i] ?? ''), { ok: true, value }, `response ${i}`);
  });
  const call = decodeCall(answer.calls[0] ?? '');
  assert.equal(call.methodName, 'ns.m');
  assert.deepEqual(
    call.params,
    textual.map((v) => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : v)),
  );
});

test('Python reads what svd writes, large integers included', { skip: supervisorMissing }, () => {
  const values: XmlRpcValue[] = [...TABLE, 99999999999, -99999999999, 2147483648, 2n ** 70n];
  const bodies = [
    ...values.map((v) => encodeResponse(v)),
    encodeFault({ faultCode: 6, faultString: 'SHUTDOWN_STATE' }),
  ];
  const answer = ask({ loads: bodies });
  values.forEach((value, i) => {
    assert.deepEqual(answer.loads[i], { ok: true, method: null, params: [tag(value)] }, `value ${i}`);
  });
  assert.deepEqual(answer.loads[values.length], { ok: true, fault: [6, 'SHUTDOWN_STATE'] });
});

test(
  "svd's request reader agrees with supervisor's on what it accepts and how",
  { skip: supervisorMissing },
  () => {
    const wrap = (params: string): string =>
      `<?xml version="1.0"?><methodCall><methodName>ns.m</methodName><params>${params}</params></methodCall>`;
    const param = (value: string): string => `<param><value>${value}</value></param>`;
    const bodies = [
      encodeCall('supervisor.startProcess', ['web', true]),
      encodeCall('ns.m', [[1, [2, { a: 'b' }]], { k: [] }, 'é', -3]),
      '<methodCall><methodName>ns.m</methodName></methodCall>',
      wrap(
        param('bare text') +
          param('') +
          param('<i8>5</i8>') +
          param('<nil/>') +
          param('<boolean>yes</boolean>'),
      ),
      wrap(
        param('<int> +12 </int>') +
          param('<int>1_000</int>') +
          param('<double> 2.5 </double>') +
          param('<double>-inf</double>'),
      ),
      wrap(param('<base64>aMOpbGxv</base64>') + param('<string></string>') + param('<foo>bar</foo>')),
      wrap(
        param(
          '<struct><member><name>x</name><value><int>1</int></value></member><member><name>x</name><value>2</value></member></struct>',
        ),
      ),
      wrap(param('<int>x</int>')),
      wrap(param('<double>abc</double>')),
      wrap(param('<array></array>')),
      '<methodCall><methodName></methodName></methodCall>',
      'garbage',
    ];
    const answer = ask({ supervisorLoads: bodies });
    bodies.forEach((body, i) => {
      const theirs = answer.supervisorLoads[i]!;
      let ours: { ok: boolean; method?: string; params?: Tagged[] };
      try {
        const call = decodeCall(body);
        ours = { ok: true, method: call.methodName, params: call.params.map(tag) };
      } catch {
        ours = { ok: false };
      }
      // supervisor parses an empty <methodName> and then refuses it; svd refuses it while parsing.
      const theirsAccepted = theirs.ok && Boolean(theirs.method);
      assert.equal(ours.ok, theirsAccepted, `accepts body ${i}: ${theirs.error ?? ''}`);
      if (ours.ok)
        assert.deepEqual(ours, { ok: true, method: theirs.method, params: theirs.params }, `body ${i}`);
    });
  },
);

test(
  'doubles are written with Python repr, for a thousand random doubles',
  { skip: supervisorMissing },
  () => {
    const doubles = fc.sample(fc.double({ noNaN: true }), { numRuns: 1000, seed: 42 });
    doubles.push(1e16, 1e15, 123456789.123, 1e-4, 1e-5, 0.5, 100, 2 ** 53, 2 ** 60, -1e-320);
    const answer = ask({ reprs: doubles.map((d) => pythonFloatRepr(d)) });
    doubles.forEach((d, i) => assert.equal(pythonFloatRepr(d), answer.reprs[i], String(d)));
  },
);
