import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ALIASED_VALUES, parseYaml } from './yaml-reader.js';

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

test('aliases stand for their anchored values (they were read as {source: NAME})', () => {
  const { file, diagnostics } = parseYaml(
    [
      'programs:',
      '  a: {command: /bin/true, environment: &env {MODE: prod}, startsecs: &secs 7, exitcodes: &codes [0, 2]}',
      '  b: {command: /bin/true, environment: *env, startsecs: *secs, exitcodes: *codes}',
      '  c: &whole {command: /bin/false}',
      '  d: *whole',
      '',
    ].join('\n'),
    '/c.yaml',
  );
  assert.deepEqual(diagnostics, []);
  const b = file.sections.find((s) => s.name === 'program:b');
  assert.deepEqual(b?.options.get('environment')?.value, { MODE: 'prod' });
  assert.equal(b?.options.get('startsecs')?.value, 7);
  assert.deepEqual(b?.options.get('exitcodes')?.value, [0, 2]);
  assert.deepEqual(b?.options.get('environment')?.location, { file: '/c.yaml', line: 3, column: 40 });
  const d = file.sections.find((s) => s.name === 'program:d');
  assert.equal(d?.options.get('command')?.value, '/bin/false');
});

test('a billion laughs of aliases is one error at the alias, not billions of values', () => {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 10; i++)
    lines.push(
      `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  lines.push('programs:', '  p:', '    command: /bin/true', '    environment: *a9', '');
  const { file, diagnostics } = parseYaml(lines.join('\n'), '/c.yaml');
  const errors = diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.message, `YAML: aliases expand to more than ${MAX_ALIASED_VALUES} values`);
  assert.deepEqual([errors[0]?.line, errors[0]?.column], [14, 18]);
  assert.deepEqual(file.sections, []);
});

test('a YAML number given for umask or chmod keeps the digits it was written with, also through an alias', () => {
  const { file, diagnostics } = parseYaml(
    [
      'unix_http_server:',
      '  file: /tmp/x.sock',
      '  chmod: 0o700',
      'programs:',
      '  a: {command: /bin/true, umask: 0o077, startsecs: 0o10}',
      '  b: {command: /bin/true, umask: &mask 022}',
      '  c: {command: /bin/true, umask: "002"}',
      '  d: {command: /bin/true, umask: *mask}',
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
  assert.equal(option('program:d', 'umask'), '022');
  // other integers stay YAML's numbers
  assert.equal(option('program:a', 'startsecs'), 8);
});

test("merge keys (<<) fill in a program's options: its own keys win, then the first mapping named", () => {
  const { file, diagnostics } = parseYaml(
    [
      'x-defaults: &defaults',
      '  startsecs: 0',
      '  autorestart: "false"',
      '  umask: 027',
      'x-slow: &slow {startsecs: 5, stopwaitsecs: 30}',
      'programs:',
      '  a:',
      '    <<: [*defaults, *slow]',
      '    command: /bin/true',
      '    autorestart: true',
      '  b:',
      '    <<: *slow',
      '    command: /bin/false',
      '  c: &c',
      '    command: /bin/true',
      '    <<: *c',
      '',
    ].join('\n'),
    '/c.yaml',
  );
  // An x- top-level key holds anchors: no "unknown key" warning. `c` merging itself is harmless.
  assert.deepEqual(diagnostics, []);
  const option = (section: string, name: string) =>
    file.sections.find((s) => s.name === section)?.options.get(name);
  assert.equal(option('program:a', 'startsecs')?.value, 0);
  assert.equal(option('program:a', 'autorestart')?.value, true);
  assert.equal(option('program:a', 'stopwaitsecs')?.value, 30);
  assert.equal(option('program:a', 'umask')?.value, '027');
  assert.equal(option('program:a', '<<'), undefined);
  // A merged value keeps the place it is written, where a diagnostic about it points.
  assert.deepEqual(option('program:a', 'startsecs')?.location, { file: '/c.yaml', line: 2, column: 14 });
  assert.equal(option('program:b', 'startsecs')?.value, 5);
  assert.equal(option('program:b', 'command')?.value, '/bin/false');
  assert.equal(option('program:c', 'command')?.value, '/bin/true');
});

test('a merge key in programs: (or groups:) brings in whole definitions; a name given there wins', () => {
  const { file, diagnostics } = parseYaml(
    [
      'x-workers: &workers',
      '  mailer: {command: /bin/mailer}',
      '  resizer: {command: /bin/resizer, numprocs: 2, process_name: "%(program_name)s_%(process_num)s"}',
      'x-more: &more',
      '  cron: {command: /bin/cron}',
      'programs:',
      '  <<: [*workers, *more]',
      '  mailer: {command: /usr/local/bin/mailer}',
      'groups:',
      '  <<: {jobs: {programs: "mailer,cron"}}',
      '',
    ].join('\n'),
    '/c.yaml',
  );
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(
    file.sections.map((s) => s.name),
    ['program:mailer', 'program:resizer', 'program:cron', 'group:jobs'],
  );
  const option = (section: string, name: string) =>
    file.sections.find((s) => s.name === section)?.options.get(name);
  assert.equal(option('program:mailer', 'command')?.value, '/usr/local/bin/mailer');
  assert.equal(option('program:resizer', 'numprocs')?.value, 2);
  // A merged definition keeps the place it is written.
  assert.equal(option('program:cron', 'command')?.location.line, 5);
});

test("a merge key naming something other than a mapping is an error at the '<<'", () => {
  const { diagnostics } = parseYaml(
    ['programs:', '  a:', '    <<: 5', '    command: /bin/true', ''].join('\n'),
    '/c.yaml',
  );
  assert.deepEqual(
    diagnostics.map((d) => [d.severity, d.line, d.message]),
    [['error', 3, "'<<' must name a mapping, or a list of mappings, to merge"]],
  );
});

test('an alias naming no anchor is an error at the alias, not a null blamed on the option or the merge', () => {
  const { file, diagnostics } = parseYaml(
    [
      'programs:',
      '  a:',
      '    <<: *defaults',
      '    command: /bin/true',
      '  b: {command: *cmd}',
      '  c: {command: &cmd /bin/false}',
      '',
    ].join('\n'),
    '/c.yaml',
  );
  assert.deepEqual(file.sections, []);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.line, d.column, d.message]),
    [
      ['SVD-CONF-SYNTAX', 3, 9, 'YAML: alias *defaults names no anchor: &defaults must be defined before it'],
      ['SVD-CONF-SYNTAX', 5, 16, 'YAML: alias *cmd names no anchor: &cmd must be defined before it'],
    ],
  );
});

test('a key written twice in one mapping is named, at the second one', () => {
  const { diagnostics } = parseYaml(
    'programs:\n  web:\n    command: /bin/a\n    command: /bin/b\n  "web": {command: /bin/c}\n',
    '/c.yaml',
  );
  assert.deepEqual(
    diagnostics.map((d) => [d.line, d.column, d.message]),
    [
      [4, 5, "YAML: 'command' is written twice in one mapping (keys must be unique)"],
      [5, 3, "YAML: 'web' is written twice in one mapping (keys must be unique)"],
    ],
  );
});

test('an environment keeps numbers and booleans as written and takes a shared mapping by merge key', () => {
  const { file, diagnostics } = parseYaml(
    [
      'x-env: &env {LANG: C.UTF-8, ZIP: 0123}',
      'programs:',
      '  web:',
      '    command: /bin/true',
      '    environment:',
      '      <<: *env',
      '      PYTHON_VERSION: 3.10',
      '      RATIO: 1e3',
      '      DEBUG: True',
      '      LANG: en_US.UTF-8',
      '',
    ].join('\n'),
    '/c.yaml',
  );
  assert.deepEqual(diagnostics, []);
  const web = file.sections.find((s) => s.name === 'program:web');
  assert.deepEqual(web?.options.get('environment')?.value, {
    PYTHON_VERSION: '3.10',
    RATIO: '1e3',
    DEBUG: 'True',
    LANG: 'en_US.UTF-8',
    ZIP: '0123',
  });
});

test('a chain of thousands of anchors, each merging the one before, is read without running out of stack', () => {
  const links = 5000;
  const lines = ['x-0: &m0 {command: /bin/true, startsecs: 3}'];
  for (let k = 1; k < links; k++) lines.push(`x-${k}: &m${k} {<<: *m${k - 1}}`);
  lines.push('programs:', `  p: {<<: *m${links - 1}, autostart: false}`, '');
  const { file, diagnostics } = parseYaml(lines.join('\n'), '/chain.yaml');
  assert.deepEqual(
    diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  const p = file.sections.find((s) => s.name === 'program:p');
  assert.equal(p?.options.get('command')?.value, '/bin/true');
  assert.equal(p?.options.get('startsecs')?.value, 3);
  assert.equal(p?.options.get('autostart')?.value, false);
});

test('an anchor given again stands for the new value from there on, as the YAML library resolves it', () => {
  const { file, diagnostics } = parseYaml(
    [
      'x-a: &cmd /bin/one',
      'programs:',
      '  a: {command: *cmd}',
      '  b: {command: &cmd /bin/two}',
      '  c: {command: *cmd}',
      '',
    ].join('\n'),
    '/again.yaml',
  );
  assert.deepEqual(diagnostics, []);
  const command = (name: string) =>
    file.sections.find((s) => s.name === `program:${name}`)?.options.get('command')?.value;
  assert.deepEqual([command('a'), command('b'), command('c')], ['/bin/one', '/bin/two', '/bin/two']);
});

test('a document nested thousands of levels deep is one located error in words, not a stack overflow', () => {
  const { diagnostics } = parseYaml(`programs: ${'['.repeat(20000)}${']'.repeat(20000)}\n`, '/deep.yaml');
  assert.equal(diagnostics.length, 1);
  assert.equal(diagnostics[0]?.message, 'YAML: nested too deeply to read (thousands of levels of [ or {)');
  assert.equal(diagnostics[0]?.line, 1);
});
