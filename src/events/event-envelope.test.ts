import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventEnvelope, headerValue, payloadLength } from './event-envelope.js';

test('the header has supervisor tokens in order and len counts characters, not bytes (spec §6.4)', () => {
  const payload = 'type:mytype\nhéllo\nworld';
  assert.equal(Buffer.byteLength(payload), 24);
  assert.equal(
    eventEnvelope({
      identifier: 'supervisor',
      serial: 8,
      pool: 'lis',
      poolSerial: 8,
      eventName: 'REMOTE_COMMUNICATION',
      payload,
    }),
    `ver:3.0 server:supervisor serial:8 pool:lis poolserial:8 eventname:REMOTE_COMMUNICATION len:23\n${payload}`,
  );
});

test('len counts an astral character once, as Python does', () => {
  assert.equal(payloadLength('a😀b'), 3);
  assert.equal(payloadLength(''), 0);
});

test('header values with a colon, blank or percent are percent-encoded; others are unchanged', () => {
  assert.equal(headerValue('supervisor'), 'supervisor');
  assert.equal(headerValue('my host:1'), 'my%20host%3A1');
  assert.equal(headerValue('100%\tdone'), '100%25%09done');
  assert.equal(headerValue('a\u00a0b'), 'a%C2%A0b');
  const line = eventEnvelope({
    identifier: 'web 1:prod',
    serial: 0,
    pool: 'p',
    poolSerial: 0,
    eventName: 'TICK_5',
    payload: 'when:5',
  }).split('\n')[0]!;
  // What childutils.get_headers does: split on whitespace, then each token on ':' into exactly two parts.
  const headers = Object.fromEntries(
    line.split(/\s+/).map((t) => {
      const parts = t.split(':');
      assert.equal(parts.length, 2, t);
      return parts;
    }),
  );
  assert.equal(headers['server'], 'web%201%3Aprod');
});
