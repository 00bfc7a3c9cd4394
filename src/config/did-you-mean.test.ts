import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suggest } from './did-you-mean.js';

test('two neighbours swapped are one typo, nearer than a letter changed and one dropped', () => {
  assert.equal(suggest('stauts', ['start', 'status']), 'status');
  assert.equal(suggest('comand', ['command', 'directory']), 'command');
  assert.equal(suggest('atuostart', ['autostart', 'autorestart']), 'autostart');
  assert.equal(suggest('xyzzy', ['status', 'start']), undefined);
});
