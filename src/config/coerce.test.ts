import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { coerceValue } from './coerce.js';

test("an octal option (umask, chmod) reads what Python's int(text, 8) reads, written with a leading zero", () => {
  for (const [text, expected] of [
    ['022', '022'],
    ['22', '022'],
    ['+22', '022'],
    ['0_22', '022'],
    ['0o_22', '022'],
    ['+0O22', '022'],
    [' 700 ', '0700'],
    ['7777', '7777'],
    ['-0', '000'],
    ['\u008522', '022'],
  ] as const)
    assert.deepEqual(coerceValue('octal', text), { ok: true, value: expected }, text);
  for (const text of ['\ufeff22', '-22', '_22', '2__2', '22_', '0o', '+', '8', '0x1f', '17777', ''])
    assert.equal(coerceValue('octal', text).ok, false, text);
});

test('the octal forms svd takes are those python3 takes, with the same value', (t) => {
  const samples = [
    '+22',
    '0_22',
    '0o_22',
    '+0o22',
    ' 22 ',
    '_22',
    '2__2',
    '0O22',
    '0o',
    '+',
    '22_',
    '0o7_7_7',
  ];
  const run = spawnSync(
    'python3',
    [
      '-c',
      'import json,sys\nfor s in json.load(sys.stdin):\n  try: print(int(s, 8))\n  except ValueError: print(-1)',
    ],
    { input: JSON.stringify(samples), encoding: 'utf8', timeout: 10_000 },
  );
  if (run.error || run.status !== 0) return t.skip('python3 is not available');
  const python = run.stdout.trim().split('\n').map(Number);
  const svd = samples.map((text) => {
    const r = coerceValue('octal', text);
    return r.ok ? parseInt(r.value as string, 8) : -1;
  });
  assert.deepEqual(svd, python);
});
