import { test } from 'node:test';
import assert from 'node:assert/strict';
import { materializeSection } from './materialize.js';
import type { RawSection } from './raw-section.js';
import { sectionInfo } from './schema-info.js';

const at = { file: '/c.yaml', line: 4, column: 7 };

function yamlEnvironment(environment: Record<string, string>) {
  const section: RawSection = {
    name: 'program:web',
    format: 'yaml',
    location: { file: '/c.yaml', line: 2, column: 3 },
    options: new Map([['environment', { value: environment, location: at }]]),
  };
  return materializeSection({
    section,
    info: sectionInfo('ProgramOptions'),
    defaults: new Map(),
    expansionsFor: () => ({ here: '/' }),
    strict: false,
    reportUnknown: true,
  });
}

test('a YAML environment value with a lone % is a format error, coded and worded as the INI one is', () => {
  const [d, ...rest] = yamlEnvironment({ A: '100%' }).diagnostics;
  assert.deepEqual(rest, []);
  assert.equal(d?.code, 'SVD-CONF-EXPAND-FORMAT');
  assert.match(d?.message ?? '', /^environment\.A: .*\(write %% for a literal %\)$/);
});

test('a YAML environment value naming an unset variable says where to set it, as the INI one does', () => {
  const [d] = yamlEnvironment({ B: '%(ENV_SVD_SURELY_UNSET)s' }).diagnostics;
  assert.equal(d?.code, 'SVD-CONF-EXPAND-NAME');
  assert.equal(
    d?.hint,
    'set SVD_SURELY_UNSET in the environment svd starts in, or in [supervisord] environment=',
  );
});
