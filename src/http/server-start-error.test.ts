import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADDRESS_IN_USE_MESSAGE, startErrorFrom } from './server-start-error.js';

const failure = (fields: Record<string, unknown>) => Object.assign(new Error('listen failed'), fields);

test("a listen failure in supervisord's words, with the host named where a name did not resolve", () => {
  assert.equal(
    startErrorFrom('inet_http_server', failure({ code: 'EADDRINUSE' })).message,
    ADDRESS_IN_USE_MESSAGE,
  );
  assert.equal(
    startErrorFrom('inet_http_server', failure({ code: 'EADDRNOTAVAIL' })).message,
    'Cannot open an HTTP server: socket.error reported errno.EADDRNOTAVAIL (99)',
  );
  assert.equal(
    startErrorFrom('inet_http_server', failure({ code: 'ENOTFOUND', hostname: 'nosuchhost.invalid' }))
      .message,
    'Cannot open an HTTP server: socket.error reported -2 (the host nosuchhost.invalid of [inet_http_server] port= does not resolve)',
  );
  const later = startErrorFrom('inet_http_server', failure({ code: 'EAI_AGAIN', hostname: 'db.internal' }));
  assert.match(
    later.message,
    /reported -3 \(the host db\.internal of \[inet_http_server\] port= could not be looked up now\)$/,
  );
  assert.equal(later.section, 'inet_http_server');
});
