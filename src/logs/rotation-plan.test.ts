import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rotationDue, rotationRenames } from './rotation-plan.js';

test('renames run oldest first and end with the live file', () => {
  assert.deepEqual(rotationRenames('/l/a.log', 3), [
    { from: '/l/a.log.2', to: '/l/a.log.3' },
    { from: '/l/a.log.1', to: '/l/a.log.2' },
    { from: '/l/a.log', to: '/l/a.log.1' },
  ]);
  assert.deepEqual(rotationRenames('/l/a.log', 1), [{ from: '/l/a.log', to: '/l/a.log.1' }]);
  assert.deepEqual(rotationRenames('/l/a.log', 0), []);
});

test('rotation is due at maxbytes, never when maxbytes is 0', () => {
  assert.equal(rotationDue(99, 100), false);
  assert.equal(rotationDue(100, 100), true);
  assert.equal(rotationDue(10 ** 9, 0), false);
});
