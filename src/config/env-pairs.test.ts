import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEnvironmentPairs } from './env-pairs.js';

// Expected values were taken from supervisor 4.2.5's dict_of_key_value_pairs (spec §2.5).
const accepted: [string, Record<string, string>][] = [
  ['A=1,B=2', { A: '1', B: '2' }],
  ['A="a b",B=\'c,d\'', { A: 'a b', B: 'c,d' }],
  ['A=1, B=2', { A: '1', B: '2' }],
  ['A=1,', { A: '1' }],
  ['A="",B=2', { A: '', B: '2' }],
  ['PATH=/usr/bin:/bin', { PATH: '/usr/bin:/bin' }],
  ['A=x-y.z+w(1)', { A: 'x-y.z+w(1)' }],
  ['A=x y', { A: 'x' }],
  ['A="x"y', { A: 'x' }],
  ['A=$HOME', { A: '$' }],
  ['A=~/x', { A: '~' }],
  ['A="q\\"x"', { A: 'q\\' }],
  ['A="a=b"', { A: 'a=b' }],
  ['A=x#y,B=2', { A: 'x' }],
  ['A=1 ,B=2', { A: '1', B: '2' }],
  ['A=café', { A: 'caf' }],
  ['A="café"', { A: 'café' }],
  ['A=ä,B=2', { A: 'ä', B: '2' }],
  ['A=1#x\nB,C=2', { A: '1B', C: '2' }],
  // A comment runs to the end of its line; the pairs go on after it.
  ['A=1,#c\nB=2', { A: '1', B: '2' }],
  ['A="x y" #z\n,B=3', { A: 'x y', B: '3' }],
  ['A=x#c\n,B=2', { A: 'x', B: '2' }],
];
const refused = [
  'A=café,B=2',
  'A=naïve',
  'A=1 #c\nB=2',
  'A=',
  'A=1,,B=2',
  'A=a=b',
  'A=a;b',
  'A=1 B=2',
  'A=x@y',
  'A=a*b',
  'FOO=',
  'A="x',
];

for (const [input, expected] of accepted) {
  test(`environment=${input} parses as supervisor does`, () => {
    const result = parseEnvironmentPairs(input);
    assert.ok(result.ok, `refused: ${input}`);
    assert.deepEqual(result.value, expected);
  });
}
for (const input of refused) {
  test(`environment=${input} is refused as supervisor refuses it`, () => {
    assert.equal(parseEnvironmentPairs(input).ok, false);
  });
}

test('what supervisor silently drops is named, for the linter; clean pairs name nothing', () => {
  const dropped = (input: string) => {
    const r = parseEnvironmentPairs(input);
    assert.ok(r.ok, input);
    return r.dropped;
  };
  assert.deepEqual(dropped('A=1,B="x y", C=/usr/bin:/bin'), []);
  assert.deepEqual(dropped('A=$HOME'), ["A is read as '$': the 'HOME' after it is taken as a separator"]);
  assert.deepEqual(dropped('A=x y'), ["A is read as 'x': the 'y' after it is taken as a separator"]);
  assert.deepEqual(dropped('A=café'), ["A is read as 'caf': the 'é' after it is taken as a separator"]);
  assert.deepEqual(dropped('A=x#y,B=2'), [
    "a '#' inside a value starts a comment: the rest of its line is dropped",
  ]);
  assert.deepEqual(dropped('A=1,#c\nB=2'), [], 'a comment between pairs loses no value');
  assert.deepEqual(dropped('A="1";B="2"'), [], 'a ; after a quoted value only separates');
  assert.deepEqual(dropped('URL=http://h/p?x=1'), [
    "URL is read as 'http://h/p': the '?' after it is taken as a separator",
  ]);
  assert.deepEqual(dropped('A="x" junk'), ["A is read as 'x': the 'junk' after it is taken as a separator"]);
});
