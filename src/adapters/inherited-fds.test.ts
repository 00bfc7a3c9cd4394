import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coverableDescriptors } from './inherited-fds.js';

test('a descriptor is covered only while its stdio entries leave one free descriptor under the limit', () => {
  assert.deepEqual(coverableDescriptors([9, 61, 62, 63, 251], 64), {
    covered: [9, 61, 62],
    uncovered: [63, 251],
  });
  assert.deepEqual(coverableDescriptors([251], Infinity), { covered: [251], uncovered: [] });
});
