import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boolArg, intArg, nameArg, pythonStr } from './supervisor-args.js';

test('names are strings (base64 decoded); anything else is an unexpected error (HTTP 500)', () => {
  assert.equal(nameArg('web'), 'web');
  assert.equal(nameArg(Buffer.from('grp:a')), 'grp:a');
  assert.throws(() => nameArg(5), TypeError);
  assert.throws(() => nameArg(undefined), TypeError);
});

test("ints convert as Python's int()", () => {
  assert.equal(intArg(5), 5);
  assert.equal(intArg(-2.9), -2);
  assert.equal(intArg(true), 1);
  assert.equal(intArg(' 12 '), 12);
  assert.equal(intArg('-1_600'), -1600);
  assert.throws(() => intArg('1.5'), TypeError);
  assert.throws(() => intArg('x'), TypeError);
  assert.throws(() => intArg([]), TypeError);
});

test('wait is a truth test with a default', () => {
  assert.equal(boolArg(undefined, true), true);
  assert.equal(boolArg(false, true), false);
  assert.equal(boolArg(0, true), false);
  assert.equal(boolArg('', true), false);
  assert.equal(boolArg('no', false), true);
  assert.equal(boolArg([], true), false);
  assert.equal(boolArg(null, true), false);
});

test("fault details print values as Python's str()", () => {
  assert.equal(pythonStr(5), '5');
  assert.equal(pythonStr(2.5), '2.5');
  assert.equal(pythonStr(3.0), '3');
  assert.equal(pythonStr(true), 'True');
  assert.equal(pythonStr(null), 'None');
  assert.equal(pythonStr([1, 'a']), "[1, 'a']");
  assert.equal(pythonStr({ k: 'v' }), "{'k': 'v'}");
});
