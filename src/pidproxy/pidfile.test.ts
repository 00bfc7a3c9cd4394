import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePidfile } from './pidfile.js';
import { isExitedState, procStatState } from './proc-stat.js';
import { parsePidproxyArgs, usageText } from './usage.js';

test('parsePidfile reads a pid with the whitespace daemons write around it', () => {
  assert.deepEqual(parsePidfile('1234\n'), { ok: true, pid: 1234 });
  assert.deepEqual(parsePidfile('  +42  '), { ok: true, pid: 42 });
  assert.deepEqual(parsePidfile('\n\n0077\r\n'), { ok: true, pid: 77 });
});

test('parsePidfile takes the first line of a multi-line pidfile', () => {
  assert.deepEqual(parsePidfile('4321\n/var/lib/postgresql/data\n1700000000\n'), { ok: true, pid: 4321 });
});

test('parsePidfile refuses empty, non-numeric and impossible pids', () => {
  assert.deepEqual(parsePidfile(''), { ok: false, reason: 'empty' });
  assert.deepEqual(parsePidfile(' \n '), { ok: false, reason: 'empty' });
  assert.deepEqual(parsePidfile('abc'), { ok: false, reason: 'not-a-number' });
  assert.deepEqual(parsePidfile('12 34'), { ok: false, reason: 'not-a-number' });
  assert.deepEqual(parsePidfile('-5'), { ok: false, reason: 'not-a-number' });
  assert.deepEqual(parsePidfile('0'), { ok: false, reason: 'out-of-range' });
  assert.deepEqual(parsePidfile('1'), { ok: false, reason: 'out-of-range' });
  assert.deepEqual(parsePidfile('4194305'), { ok: false, reason: 'out-of-range' });
  assert.deepEqual(parsePidfile('99999999999999999999'), { ok: false, reason: 'out-of-range' });
});

test('procStatState finds the state after a command name holding spaces and parentheses', () => {
  assert.equal(procStatState('123 (sleep) S 1 123 123 0 -1'), 'S');
  assert.equal(procStatState('77 (a) b) (c) Z 1 77'), 'Z');
  assert.equal(procStatState('garbage'), null);
  assert.equal(isExitedState('Z'), true);
  assert.equal(isExitedState('X'), true);
  assert.equal(isExitedState('R'), false);
});

test("usageText is supervisor's text with the program name, ending in an empty line", () => {
  const text = usageText('/usr/bin/pidproxy');
  assert.ok(text.startsWith('pidproxy -- run command and proxy signals to it via its pidfile.\n\n'));
  assert.ok(text.endsWith('\nUsage: /usr/bin/pidproxy <pidfile name> <command> [<cmdarg1> ...]\n\n'));
});

test('parsePidproxyArgs needs a pidfile and a command and takes everything else literally', () => {
  assert.equal(parsePidproxyArgs([]), null);
  assert.equal(parsePidproxyArgs(['/run/x.pid']), null);
  assert.deepEqual(parsePidproxyArgs(['-h', '--version', '-x']), {
    pidfile: '-h',
    command: '--version',
    args: ['-x'],
  });
});
