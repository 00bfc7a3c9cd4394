import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDiagnostic } from './diagnostics.js';

test('a diagnostic renders as FILE:LINE:COL: severity: message', () => {
  const line = formatDiagnostic({
    severity: 'error',
    code: 'SVD-CONF-TYPE',
    message: "startsecs: expected an integer, got 'abc'",
    file: '/etc/x.conf',
    line: 7,
    column: 1,
  });
  assert.equal(line, "/etc/x.conf:7:1: error: startsecs: expected an integer, got 'abc'");
});

test('a message that quotes a value continued over several lines stays on one line', () => {
  const line = formatDiagnostic({
    severity: 'error',
    code: 'SVD-CONF-TYPE',
    message: 'invalid value \'\nA="1",\nB=x@y\' for environment',
    file: '/etc/x.conf',
    line: 4,
    column: 1,
  });
  assert.equal(line, '/etc/x.conf:4:1: error: invalid value \'\\nA="1",\\nB=x@y\' for environment');
});
