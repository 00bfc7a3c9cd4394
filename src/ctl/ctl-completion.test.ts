import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completionNeed, completions, currentWord } from './ctl-completion.js';

const infos = [
  { group: 'grp', name: 'ga' },
  { group: 'grp', name: 'gb' },
  { group: 'web', name: 'web' },
  { group: 'my-app', name: 'my-app' },
];

test('the first word completes to commands', () => {
  assert.deepEqual(completions('', infos).slice(0, 3), ['add ', 'avail ', 'clear ']);
  assert.deepEqual(completions('st', infos), ['start ', 'status ', 'stop ']);
  assert.deepEqual(completions('help re', infos), ['reload ', 'remove ', 'reread ', 'restart ']);
});

test('process commands complete names, group:name and group:*; group commands complete groups', () => {
  assert.deepEqual(completions('start ', infos), ['grp:ga ', 'grp:* ', 'grp:gb ', 'web ', 'my-app ']);
  assert.deepEqual(completions('stop g', infos), ['grp:ga ', 'grp:* ', 'grp:gb ']);
  assert.deepEqual(completions('tail web:', infos), ['web:web ', 'web:* ']);
  assert.deepEqual(completions('status my-', infos), ['my-app ']);
  assert.deepEqual(completions('update ', infos), ['grp ', 'web ', 'my-app ']);
  assert.deepEqual(completions('version ', infos), []);
});

test('`:`, `*` and `-` belong to the word', () => {
  assert.equal(currentWord('stop grp:*'), 'grp:*');
  assert.equal(currentWord('stop my-ap'), 'my-ap');
  assert.equal(currentWord('stop a b'), 'b');
  assert.equal(completionNeed('add x'), 'groups');
  assert.equal(completionNeed('bogus x'), 'nothing');
});
