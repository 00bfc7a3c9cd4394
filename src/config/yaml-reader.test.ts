import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYaml } from './yaml-reader.js';

test('YAML sections map to INI section names with native values and positions', () => {
  const { file, diagnostics } = parseYaml(
    'supervisord:\n  nodaemon: true\nprograms:\n  web:\n    command: /bin/true\n    exitcodes: [0, 2]\n',
    '/c.yaml',
  );
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(
    file.sections.map((s) => s.name),
    ['supervisord', 'program:web'],
  );
  const exitcodes = file.sections[1]?.options.get('exitcodes');
  assert.deepEqual(exitcodes?.value, [0, 2]);
  assert.deepEqual(exitcodes?.location, { file: '/c.yaml', line: 6, column: 16 });
});

test('a YAML syntax error has its line and column', () => {
  const { diagnostics } = parseYaml('programs:\n  web: [\n', '/c.yaml');
  assert.equal(diagnostics[0]?.severity, 'error');
  assert.ok((diagnostics[0]?.line ?? 0) > 0);
});

test('an unknown top-level key warns with a suggestion', () => {
  const { diagnostics } = parseYaml('program:\n  web: {command: x}\n', '/c.yaml');
  assert.equal(diagnostics[0]?.code, 'SVD-CONF-UNKNOWN-SECTION');
  assert.equal(diagnostics[0]?.hint, "did you mean 'programs'?");
});

test('a YAML number given for umask or chmod keeps the digits it was written with', () => {
  const { file, diagnostics } = parseYaml(
    [
      'unix_http_server:',
      '  file: /tmp/x.sock',
      '  chmod: 0o700',
      'programs:',
      '  a: {command: /bin/true, umask: 0o077, startsecs: 0o10}',
      '  b: {command: /bin/true, umask: 022}',
      '  c: {command: /bin/true, umask: "002"}',
      '',
    ].join('\n'),
    '/c.yaml',
  );
  assert.deepEqual(diagnostics, []);
  const option = (section: string, name: string) =>
    file.sections.find((s) => s.name === section)?.options.get(name)?.value;
  assert.equal(option('unix_http_server', 'chmod'), '0o700');
  assert.equal(option('program:a', 'umask'), '0o077');
  assert.equal(option('program:b', 'umask'), '022');
  assert.equal(option('program:c', 'umask'), '002');
  // other integers stay YAML's numbers
  assert.equal(option('program:a', 'startsecs'), 8);
});
