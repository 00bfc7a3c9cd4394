import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnErrorMessage } from './spawn-errno.js';

test("spawn errors keep supervisor's words where it has them, else name the errno", () => {
  const m = (errno: string | null) => spawnErrorMessage('p2', '/usr/bin/sleep', errno);
  assert.equal(m('EMFILE'), "too many open files to spawn 'p2'");
  assert.equal(m('EAGAIN'), "Too many processes in process table to spawn 'p2'");
  assert.equal(m('ENFILE'), "unknown error making dispatchers for 'p2': ENFILE");
  assert.equal(m('ENOENT'), "can't find command '/usr/bin/sleep'");
  assert.equal(m('EACCES'), "no permission to run command '/usr/bin/sleep'");
  assert.equal(m('ENOMEM'), "unknown error during fork for 'p2': ENOMEM");
  assert.equal(m(null), "unknown error during fork for 'p2'");
});
