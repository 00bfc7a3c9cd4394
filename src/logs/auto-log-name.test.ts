import { test } from 'node:test';
import assert from 'node:assert/strict';
import { autoLogName, autoLogRandomPart, isAutoLogName } from './auto-log-name.js';

test('AUTO log names follow supervisor', () => {
  assert.equal(
    autoLogName('sleeper', 'stdout', 'supervisor', 'pyclej0f'),
    'sleeper-stdout---supervisor-pyclej0f.log',
  );
  assert.equal(
    autoLogRandomPart(() => 0),
    'aaaaaaaa',
  );
  assert.equal(
    autoLogRandomPart((n) => n - 1),
    '________',
  );
});

test('the cleanup pattern matches current and rotated AUTO logs of the identifier only', () => {
  for (const name of [
    'sleeper-stdout---supervisor-pyclej0f.log',
    'sleeper-stderr---supervisor-pyclej0f.log.1',
    'sleeper-stderr---supervisor-pyclej0f.log.10',
    'a:b-stdout---supervisor-x.log',
  ]) {
    assert.equal(isAutoLogName(name, 'supervisor'), true, name);
  }
  for (const name of [
    'sleeper-stdout---other-pyclej0f.log',
    '---supervisor-x.log',
    'supervisord.log',
    'sleeper-stdout---supervisor-.log',
    'x-stdout---supervisor-a b.log',
  ]) {
    assert.equal(isAutoLogName(name, 'supervisor'), false, name);
  }
});

test('an identifier is matched literally', () => {
  assert.equal(isAutoLogName('p-stdout---a.b-xyz.log', 'a.b'), true);
  assert.equal(isAutoLogName('p-stdout---aXb-xyz.log', 'a.b'), false);
});
