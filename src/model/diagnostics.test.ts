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

test('a message beyond 1,000 characters is cut in its middle, so its end still says what was expected', () => {
  const line = formatDiagnostic({
    severity: 'warning',
    code: 'SVD-CONF-UNKNOWN-KEY',
    message: `unknown option '${'x'.repeat(200_000)}' in [program:a] is ignored`,
    file: '/c.conf',
    line: 4,
    column: 1,
  });
  assert.ok(line.length < 1100, `${line.length} characters`);
  assert.match(
    line,
    /^\/c\.conf:4:1: warning: unknown option 'x+\.\.\.\(199\d{3} characters left out\)\.\.\.x+' in \[program:a\] is ignored$/,
  );
});
