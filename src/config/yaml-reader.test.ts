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
