import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { pythonBytesRepr, pythonRepr } from './python-repr.js';

test('repr quoting follows Python', () => {
  assert.equal(pythonRepr('plain'), "'plain'");
  assert.equal(pythonRepr("it's"), '"it\'s"');
  assert.equal(pythonRepr('both \' and "'), "'both \\' and \"'");
  assert.equal(pythonRepr('tab\there'), "'tab\\there'");
  assert.equal(pythonBytesRepr(Buffer.from([0x00, 0x41, 0x7f, 0x80])), "b'\\x00A\\x7f\\x80'");
});

test('what Python cannot print is escaped by its code point, the rest kept as it is', () => {
  assert.equal(pythonRepr('a\u00a0b'), "'a\\xa0b'");
  assert.equal(pythonRepr('zero\u200bwidth'), "'zero\\u200bwidth'");
  assert.equal(pythonRepr('\u0085\u2028'), "'\\x85\\u2028'");
  assert.equal(pythonRepr('\u{e0001}'), "'\\U000e0001'");
  assert.equal(pythonRepr('été 名前 😀'), "'été 名前 😀'");
});

test("pythonRepr matches python3's repr() on awkward strings", (t) => {
  const samples = [
    '',
    'web:web_00',
    "it's",
    '"quoted"',
    `'both"`,
    'back\\slash',
    '\x00\x01\x1b[31m\x7f',
    '\u0080\u009f\u00a0\u00ad',
    '\u2028\u2029\u3000\ufeff',
    '\ud7ff\ue000\uf8ff\ufffd',
    'naïve café 日本 🎉',
    '\t\n\r\v\f',
  ];
  const run = spawnSync(
    'python3',
    ['-c', 'import json,sys\nfor s in json.load(sys.stdin): print(json.dumps(repr(s)))'],
    { input: JSON.stringify(samples), encoding: 'utf8', timeout: 10_000 },
  );
  if (run.error || run.status !== 0) return t.skip('python3 is not available');
  const expected = run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as string);
  assert.deepEqual(samples.map(pythonRepr), expected);
});
