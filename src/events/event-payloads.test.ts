import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  payloadText,
  processCommunicationEvent,
  processGroupEvent,
  processLogEvent,
  remoteCommunicationEvent,
  supervisorStateEvent,
  tickEvent,
} from './event-payloads.js';

test('PROCESS_LOG carries the channel token and the data after a newline', () => {
  assert.deepEqual(processLogEvent('p', 'g', 42, 'stderr', Buffer.from('oops\n')), {
    type: 'PROCESS_LOG_STDERR',
    payload: 'processname:p groupname:g pid:42 channel:stderr\noops\n',
  });
});

test('a byte order mark at the start of the data stays in the payload, as Python decodes it', () => {
  assert.equal(payloadText(Buffer.from('\ufeffbom\n')), '\ufeffbom\n');
});

test('PROCESS_COMMUNICATION has no channel token', () => {
  assert.deepEqual(processCommunicationEvent('p', 'g', 7, 'stdout', Buffer.from('<x/>')), {
    type: 'PROCESS_COMMUNICATION_STDOUT',
    payload: 'processname:p groupname:g pid:7\n<x/>',
  });
});

test('groups end with a newline, supervisor states are empty, ticks carry when:', () => {
  assert.equal(processGroupEvent('added', 'web').payload, 'groupname:web\n');
  assert.equal(processGroupEvent('removed', 'web').type, 'PROCESS_GROUP_REMOVED');
  assert.deepEqual(supervisorStateEvent('STOPPING'), {
    type: 'SUPERVISOR_STATE_CHANGE_STOPPING',
    payload: '',
  });
  assert.deepEqual(tickEvent(60, 1700000040), { type: 'TICK_60', payload: 'when:1700000040' });
  assert.deepEqual(remoteCommunicationEvent('t', 'a\nb'), {
    type: 'REMOTE_COMMUNICATION',
    payload: 'type:t\na\nb',
  });
});

test("undecodable output is shown as Python's repr of the bytes", () => {
  assert.equal(payloadText(Buffer.from([0x61, 0xff, 0x27, 0x0a])), `Undecodable: b"a\\xff'\\n"`);
  assert.equal(payloadText(Buffer.from('héllo')), 'héllo');
});
