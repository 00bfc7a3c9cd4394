import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDiagnostic, type Diagnostic } from '../model/diagnostics.js';
import type { EnvHint } from './expansion-failure.js';
import { parseIni } from './ini-reader.js';
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
  assert.equal(d?.message, "environment.A: '100%' is badly formatted: incomplete format");
  assert.equal(d?.hint, 'write %% for a literal %');
});

test('a YAML environment value naming an unset variable says where to set it, as the INI one does', () => {
  const [d] = yamlEnvironment({ B: '%(ENV_SVD_SURELY_UNSET)s' }).diagnostics;
  assert.equal(d?.code, 'SVD-CONF-EXPAND-NAME');
  assert.equal(
    d?.hint,
    'set SVD_SURELY_UNSET in the environment svd starts in, or in [supervisord] environment=',
  );
});

/** The one diagnostic of an INI [program:celery] whose lines (after the header, line 1) are `lines`. */
function iniDiagnostic(
  lines: string,
  names: Record<string, string | number>,
  extra: { expandTwice?: ReadonlySet<string>; envHintFor?: (option: string) => EnvHint } = {},
) {
  const { file } = parseIni(`[program:celery]\n${lines}\n`, '/etc/c.conf');
  const section = file.sections[0] as RawSection;
  const { diagnostics } = materializeSection({
    section,
    info: sectionInfo('ProgramOptions'),
    defaults: new Map(),
    expansionsFor: () => names,
    strict: false,
    reportUnknown: true,
    ...extra,
  });
  assert.equal(diagnostics.length, 1, diagnostics.map(formatDiagnostic).join('\n'));
  return diagnostics[0] as Diagnostic;
}

const celery = { program_name: 'celery', process_num: 0, ENV_HOSTNAME: 'box' };

test("a %(name) without its conversion: the fault's column, the text around it, Python's words and the likely fix", () => {
  const d = iniDiagnostic(
    'command=/usr/local/bin/celery -n %(program_name)s-%(ENV_HOSTNAME)-%(process_num)02d -A deployer worker',
    celery,
  );
  assert.equal(
    formatDiagnostic(d),
    "/etc/c.conf:2:67: error: command: '...lery -n %(program_name)s-%(ENV_HOSTNAME)-%(process_num)02d -A deployer worker' is badly formatted: unsupported format character '%' (0x25) at index 58 (%(ENV_HOSTNAME) lacks its conversion character: write %(ENV_HOSTNAME)s)",
  );
  assert.equal(d.code, 'SVD-CONF-EXPAND-FORMAT');
});

test('the column counts from where the value starts, after blanks around the = and an indented name', () => {
  const d = iniDiagnostic('  command =   /bin/echo 100%', {});
  // `  command =   ` is 14 characters: the value starts at column 15, its % (index 13) is at column 28.
  assert.deepEqual([d.line, d.column], [2, 28]);
  assert.equal(d.hint, 'write %% for a literal %');
});

test('a fault on a continuation line is placed on that line, at its column there', () => {
  const d = iniDiagnostic('command=/bin/echo\n    --flag %(here)/x\n    --other', { here: '/etc' });
  assert.deepEqual([d.line, d.column], [3, 19]);
  assert.equal(d.hint, '%(here) lacks its conversion character: write %(here)s');
  const name = iniDiagnostic('command=/bin/echo\n\t%(ENV_NOPE)s', {});
  assert.deepEqual([name.line, name.column], [3, 2]);
});

test('the quoted text of a long value is the part around the fault, not its start', () => {
  const value = `/bin/run ${'--opt=x '.repeat(20)}%(nope)s ${'--more '.repeat(10)}`;
  const d = iniDiagnostic(`command=${value}`, { here: '/etc' });
  assert.match(d.message, /^command: %\(nope\) cannot be expanded in '\.\.\.[^']*%\(nope\)s[^']*\.\.\.'; /);
  assert.equal(d.column, 9 + value.indexOf('%'));
});

test("a fault in the second expansion of a *_logfile is placed at the option: the index is in the first's text", () => {
  const d = iniDiagnostic(
    'stdout_logfile=/var/log/%%(x)s.log',
    {},
    { expandTwice: new Set(['stdout_logfile']) },
  );
  assert.deepEqual([d.line, d.column], [2, 1]);
  assert.match(d.message, /in '\/var\/log\/%\(x\)s\.log'/);
});

test('a missing ENV_ name is hinted where the section says it can be set; a misspelt name gets a guess', () => {
  const d = iniDiagnostic('directory=%(ENV_APP_HOME)s', {}, { envHintFor: () => (v) => `set ${v} here` });
  assert.equal(d.hint, 'set APP_HOME here');
  assert.equal(iniDiagnostic('command=%(program_nmae)s', celery).hint, 'did you mean %(program_name)s?');
  // With the conversion missing too, both are said.
  assert.equal(
    iniDiagnostic('command=%(ENV_HOST)-%(process_num)d', { process_num: 0 }).hint,
    '%(ENV_HOST) lacks its conversion character: write %(ENV_HOST)s; HOST is not set either: set HOST in the environment svd starts in, or in [supervisord] environment=',
  );
});

test('a password is neither quoted nor echoed by the hint', () => {
  const { file } = parseIni('[inet_http_server]\nusername=u\npassword=%(se)-/ret\n', '/etc/c.conf');
  const { diagnostics } = materializeSection({
    section: file.sections[0] as RawSection,
    info: sectionInfo('InetHttpServerOptions'),
    defaults: new Map(),
    expansionsFor: () => ({ se: 's' }),
    strict: false,
    reportUnknown: true,
  });
  assert.deepEqual(diagnostics.map(formatDiagnostic), [
    '/etc/c.conf:3:16: error: password: <hidden password> is badly formatted (write %% for a literal %)',
  ]);
});
