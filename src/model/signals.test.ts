import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSignal, signalDisplayName, signalName, signalNumber, withSigPrefix } from './signals.js';

test('numbers: the ones Python knows, 0 included (a liveness check); 32 and 33 are not', () => {
  assert.deepEqual(parseSignal('0'), { ok: true, number: 0, name: '0' });
  assert.equal(signalNumber('0'), 0);
  assert.equal(signalNumber('SIG0'), 0, 'the form the state machine carries');
  assert.equal(signalDisplayName(0), 'signal 0');
  assert.deepEqual(parseSignal('15'), { ok: true, number: 15, name: 'TERM' });
  assert.deepEqual(parseSignal('34'), { ok: true, number: 34, name: 'RTMIN' });
  for (const bad of ['32', '33', '65', '-1']) assert.equal(parseSignal(bad).ok, false, bad);
});

test('names: with or without SIG, any case, aliases; 0 has no name', () => {
  assert.deepEqual(parseSignal('sigterm'), { ok: true, number: 15, name: 'TERM' });
  assert.deepEqual(parseSignal(' hup '), { ok: true, number: 1, name: 'HUP' });
  assert.deepEqual(parseSignal('IOT'), { ok: true, number: 6, name: 'ABRT' });
  assert.equal(parseSignal('SIG0').ok, false);
  assert.equal(parseSignal('FOO').ok, false);
});

test("Python's quirks: int() with underscores; SIG_DFL, SIG_IGN and the sigmask constants are module names too", () => {
  assert.deepEqual(parseSignal('2_8'), { ok: true, number: 28, name: 'WINCH' });
  assert.equal(parseSignal('2__8').ok, false);
  assert.deepEqual(parseSignal('SIG_DFL'), { ok: true, number: 0, name: '0' });
  assert.deepEqual(parseSignal('sig_ign'), { ok: true, number: 1, name: 'HUP' });
  assert.deepEqual(parseSignal('_SETMASK'), { ok: true, number: 2, name: 'INT' });
});

test('the SIG form the machine carries: canonical names from a table, anything else spelled out as before', () => {
  assert.equal(withSigPrefix('TERM'), 'SIGTERM');
  assert.equal(withSigPrefix('SIGTERM'), 'SIGTERM');
  assert.equal(withSigPrefix('sigterm'), 'SIGTERM');
  assert.equal(withSigPrefix('poll'), 'SIGPOLL');
  assert.equal(withSigPrefix('0'), 'SIG0');
  assert.equal(signalNumber('SIGTERM'), 15);
  assert.equal(signalNumber('SIGIO'), 29);
  assert.equal(signalNumber('SIGPOLL'), 29);
  assert.equal(signalNumber('sigcld'), 17);
  assert.equal(signalNumber('SIGFOO'), undefined);
  assert.equal(signalName(15), 'SIGTERM');
  assert.equal(signalName(40), undefined);
  assert.equal(signalDisplayName(29), 'SIGPOLL');
  assert.equal(signalDisplayName(40), 'signal 40');
});
