import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_LOG_WINDOW, parseApiRequest } from './api-request.js';

test('the process list and one process', () => {
  assert.deepEqual(parseApiRequest('GET', '/api/processes'), {
    ok: true,
    method: 'GET',
    request: { kind: 'list' },
  });
  assert.deepEqual(parseApiRequest('GET', '/api/processes/'), {
    ok: true,
    method: 'GET',
    request: { kind: 'list' },
  });
  assert.deepEqual(parseApiRequest('GET', '/api/processes/web%3Aweb_01'), {
    ok: true,
    method: 'GET',
    request: { kind: 'process', namespec: 'web:web_01' },
  });
});

test('actions on a process, a group and everything; the signal may come from the query', () => {
  assert.deepEqual(parseApiRequest('POST', '/api/processes/web:web_01/stop'), {
    ok: true,
    method: 'POST',
    request: {
      kind: 'action',
      target: { kind: 'process', namespec: 'web:web_01' },
      action: 'stop',
      signal: null,
    },
  });
  assert.deepEqual(parseApiRequest('POST', '/api/groups/web/signal?signal=HUP'), {
    ok: true,
    method: 'POST',
    request: { kind: 'action', target: { kind: 'group', name: 'web' }, action: 'signal', signal: 'HUP' },
  });
  assert.deepEqual(parseApiRequest('POST', '/api/all/restart'), {
    ok: true,
    method: 'POST',
    request: { kind: 'action', target: { kind: 'all' }, action: 'restart', signal: null },
  });
});

test('an unknown action or endpoint is UNKNOWN_METHOD 404; a wrong method is 405 with the one allowed', () => {
  const bad = parseApiRequest('POST', '/api/processes/web/explode');
  assert.equal(bad.ok, false);
  assert.equal(!bad.ok && bad.status, 404);
  assert.equal(!bad.ok && bad.fault, 'UNKNOWN_METHOD');
  for (const path of ['/api/nothing', '/api/all', '/api/all/start/now', '/api/groups', '/api//x', '/apix']) {
    const r = parseApiRequest('GET', path);
    assert.equal(!r.ok && r.status, 404, path);
  }
  const wrong = parseApiRequest('GET', '/api/processes/web/start');
  assert.deepEqual(!wrong.ok && { status: wrong.status, fault: wrong.fault, allow: wrong.allow }, {
    status: 405,
    fault: 'UNKNOWN_METHOD',
    allow: 'POST',
  });
  const wrong2 = parseApiRequest('POST', '/api/events');
  assert.equal(!wrong2.ok && wrong2.allow, 'GET');
});

test('names are percent-decoded per segment and must be printable, short and slash-free', () => {
  const slash = parseApiRequest('GET', '/api/log/..%2F..%2Fetc%2Fpasswd');
  assert.equal(!slash.ok && slash.fault, 'BAD_NAME');
  assert.equal(!slash.ok && slash.status, 400);
  const nul = parseApiRequest('GET', '/api/processes/a%00b');
  assert.equal(!nul.ok && nul.fault, 'BAD_NAME');
  const malformed = parseApiRequest('GET', '/api/processes/%E0%A4%A');
  assert.equal(!malformed.ok && malformed.fault, 'BAD_NAME');
  const long = parseApiRequest('GET', `/api/processes/${'x'.repeat(600)}`);
  assert.equal(!long.ok && long.fault, 'BAD_NAME');
  const dots = parseApiRequest('GET', '/api/processes/..');
  // A name like `..` is only ever looked up in the engine (BAD_NAME there), never joined into a path.
  assert.deepEqual(dots.ok && dots.request, { kind: 'process', namespec: '..' });
});

test('log reads: channel, offset and length are validated; the main log has no name', () => {
  assert.deepEqual(parseApiRequest('GET', '/api/log/web?channel=stderr&offset=10&length=20'), {
    ok: true,
    method: 'GET',
    request: { kind: 'log', namespec: 'web', channel: 'stderr', offset: 10, length: 20 },
  });
  const main = parseApiRequest('GET', '/api/mainlog');
  assert.deepEqual(main.ok && main.request, {
    kind: 'log',
    namespec: null,
    channel: 'stdout',
    offset: 0,
    length: 65536,
  });
  assert.deepEqual(parseApiRequest('GET', '/api/mainlog/follow?tail=0').ok, true);
  assert.deepEqual(
    (() => {
      const r = parseApiRequest('GET', '/api/log/web/follow');
      return r.ok && r.request;
    })(),
    { kind: 'follow', namespec: 'web', channel: 'stdout', tail: 16384 },
  );
  for (const query of [
    'channel=stdin',
    'offset=-1',
    'offset=1e3',
    `length=${MAX_LOG_WINDOW + 1}`,
    'length=x',
  ]) {
    const r = parseApiRequest('GET', `/api/log/web?${query}`);
    assert.equal(!r.ok && r.status, 400, query);
    assert.equal(!r.ok && r.fault, 'BAD_ARGUMENTS', query);
  }
  assert.equal(parseApiRequest('GET', '/api/log/web/other').ok, false);
});

test('plan, apply and events', () => {
  assert.deepEqual(parseApiRequest('GET', '/api/plan'), {
    ok: true,
    method: 'GET',
    request: { kind: 'plan' },
  });
  assert.deepEqual(parseApiRequest('POST', '/api/apply'), {
    ok: true,
    method: 'POST',
    request: { kind: 'apply' },
  });
  assert.deepEqual(parseApiRequest('GET', '/api/events'), {
    ok: true,
    method: 'GET',
    request: { kind: 'events' },
  });
  assert.equal(parseApiRequest('GET', '/api/apply').ok, false);
});
