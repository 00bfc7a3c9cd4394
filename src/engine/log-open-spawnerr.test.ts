import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logOpenSpawnerr } from './log-open-spawnerr.js';

test("a log that cannot be opened at spawn is supervisor's dispatcher error", () => {
  assert.equal(logOpenSpawnerr('web', 'EISDIR'), "unknown error making dispatchers for 'web': EISDIR");
  assert.equal(logOpenSpawnerr('web', 'EACCES'), "unknown error making dispatchers for 'web': EACCES");
  assert.equal(logOpenSpawnerr('web', 'EMFILE'), "too many open files to spawn 'web'");
});
