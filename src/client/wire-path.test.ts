import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wirePath } from './wire-path.js';

test('wire path: characters outside printable ASCII go as percent-encoded UTF-8; the rest as written', () => {
  assert.equal(wirePath('/logtail/web/stdout'), '/logtail/web/stdout');
  assert.equal(wirePath('/logtail/grp:a+b/stderr'), '/logtail/grp:a+b/stderr');
  assert.equal(wirePath('/logtail/é/stdout'), '/logtail/%C3%A9/stdout');
  assert.equal(wirePath('/logtail/日本/stdout'), '/logtail/%E6%97%A5%E6%9C%AC/stdout');
  assert.equal(wirePath('/logtail/a\tb c\x7f'), '/logtail/a%09b%20c%7F');
  // A `%` already in a name is sent as supervisorctl sends it: the server unquotes only valid escapes.
  assert.equal(wirePath('/logtail/a%b'), '/logtail/a%b');
});
