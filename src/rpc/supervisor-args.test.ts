import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IncorrectParametersError } from './faults.js';
import { boolArg, describeValue, groupNameArg, intArg, nameArg, pythonStr } from './supervisor-args.js';
import { DateTimeValue } from './xmlrpc-value.js';

/** The fault a converter raises: INCORRECT_PARAMETERS with a one-line detail. */
function incorrect(detail: string) {
  return (e: unknown) => {
    assert.ok(e instanceof IncorrectParametersError);
    assert.equal(e.code, 2);
    assert.equal(e.faultString, `INCORRECT_PARAMETERS: ${detail}`);
    return true;
  };
}

test('names are strings (base64 decoded); anything else is INCORRECT_PARAMETERS naming the argument', () => {
  assert.equal(nameArg('web'), 'web');
  assert.equal(nameArg(Buffer.from('grp:a')), 'grp:a');
  assert.throws(() => nameArg(5), incorrect("argument 'name' must be a string, got int 5"));
  assert.throws(() => nameArg(undefined), incorrect("argument 'name' must be a string, got nil"));
  assert.throws(
    () => nameArg([1, 2], 'signal'),
    incorrect("argument 'signal' must be a string, got array of 2"),
  );
});

test('a group name that is not text names no group: BAD_NAME with its str(), as supervisor answers', () => {
  assert.equal(groupNameArg('grp'), 'grp');
  assert.equal(groupNameArg(Buffer.from('grp')), 'grp');
  const badName = (text: string) => (e: unknown) =>
    (e as { faultString?: string }).faultString === `BAD_NAME: ${text}`;
  assert.throws(() => groupNameArg(5), badName('5'));
  assert.throws(() => groupNameArg(true), badName('True'));
  assert.throws(() => groupNameArg(1.5), badName('1.5'));
  assert.throws(() => groupNameArg([]), incorrect("argument 'name' must be a string, got array of 0"));
  assert.throws(() => groupNameArg([], true), badName('[]'));
});

test("ints convert as Python's int(); anything else is INCORRECT_PARAMETERS", () => {
  assert.equal(intArg(5, 'n'), 5);
  assert.equal(intArg(-2.9, 'n'), -2);
  assert.equal(intArg(true, 'n'), 1);
  assert.equal(intArg(' 12 ', 'n'), 12);
  assert.equal(intArg('-1_600', 'n'), -1600);
  assert.throws(
    () => intArg('1.5', 'offset'),
    incorrect("argument 'offset' must be an integer, got string '1.5'"),
  );
  assert.throws(
    () => intArg('x', 'length'),
    incorrect("argument 'length' must be an integer, got string 'x'"),
  );
  assert.throws(() => intArg([], 'n'), incorrect("argument 'n' must be an integer, got array of 0"));
  assert.throws(() => intArg(Infinity, 'n'), IncorrectParametersError);
});

test('a value in a message is cut to 200 characters; arrays and structs are counted, not printed', () => {
  const long = 'x'.repeat(5000);
  assert.equal(describeValue(long), `string '${'x'.repeat(200)}...'`);
  assert.equal(describeValue(Array.from({ length: 100_000 }, () => long)), 'array of 100000');
  assert.equal(describeValue({ a: long, b: 1 }), 'struct of 2 members');
  assert.equal(describeValue(Buffer.from('abc')), 'base64 of 3 bytes');
  assert.equal(describeValue(2.5), 'double 2.5');
  assert.equal(describeValue(false), 'boolean False');
});

test('wait is a truth test with a default', () => {
  assert.equal(boolArg(undefined, true), true);
  assert.equal(boolArg(false, true), false);
  assert.equal(boolArg(0, true), false);
  assert.equal(boolArg('', true), false);
  assert.equal(boolArg('no', false), true);
  assert.equal(boolArg([], true), false);
  assert.equal(boolArg(null, true), false);
  // Empty is false and anything else true, for every type (the default only stands in for a missing value).
  for (const falsy of [0n, -0, Buffer.alloc(0), {}])
    assert.equal(boolArg(falsy, true), false, describeValue(falsy));
  for (const truthy of [true, -1, 0.5, 2n, ' ', Buffer.from('x'), [0], [false], { a: 0 }])
    assert.equal(boolArg(truthy, false), true, describeValue(truthy));
  assert.equal(boolArg(new DateTimeValue('20260101T00:00:00'), false), true, 'a dateTime');
});

test("fault details print values as Python's str()", () => {
  assert.equal(pythonStr(5), '5');
  assert.equal(pythonStr(2.5), '2.5');
  assert.equal(pythonStr(3.0), '3');
  assert.equal(pythonStr(true), 'True');
  assert.equal(pythonStr(null), 'None');
  assert.equal(pythonStr([1, 'a']), "[1, 'a']");
  assert.equal(pythonStr({ k: 'v' }), "{'k': 'v'}");
  assert.deepEqual([NaN, Infinity, -Infinity].map(pythonStr), ['nan', 'inf', '-inf']);
  assert.equal(describeValue(NaN), 'double nan');
});
