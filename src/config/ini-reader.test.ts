import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIni } from './ini-reader.js';

function options(text: string, section = 'program:a'): Record<string, unknown> {
  const { file } = parseIni(text, '/x.conf');
  const s = file.sections.find((x) => x.name === section);
  return Object.fromEntries([...(s?.options ?? [])].map(([k, v]) => [k, v.value]));
}

test('inline comments need whitespace before ; or #', () => {
  const o = options('[program:a]\nc1=/bin/echo a;b ;c\nc2=x #y\nc3=x#y\n');
  assert.deepEqual(o, { c1: '/bin/echo a;b', c2: 'x', c3: 'x#y' });
});

test('; and # are looked for in step, as configparser does: an earlier ` ;` can be missed', () => {
  const o = options('[program:a]\nc1=a;b ;c #d\nc2=a#b #c ;d\nc3=a ;b #c\nc4=a;b;c ;d\n');
  assert.deepEqual(o, { c1: 'a;b ;c', c2: 'a#b #c', c3: 'a', c4: 'a;b;c' });
});

test('keys are case-insensitive, = and : both separate, values are stripped', () => {
  assert.deepEqual(options('[program:a]\nCommand : /bin/echo x=1  \nA=b:c\n'), {
    command: '/bin/echo x=1',
    a: 'b:c',
  });
});

test('indented lines continue a value; blank lines inside are kept, comment lines skipped', () => {
  const o = options('[program:a]\ncommand=/bin/echo\n  x\n\n  ; note\n  y\nnext=1\n');
  assert.deepEqual(o, { command: '/bin/echo\nx\n\ny', next: '1' });
});

test('[DEFAULT] is kept apart, section names are case-sensitive', () => {
  const { file } = parseIni('[DEFAULT]\nstartsecs=5\n[Program:a]\nx=1\n', '/x.conf');
  assert.equal(file.defaults.get('startsecs')?.value, '5');
  assert.deepEqual(
    file.sections.map((s) => s.name),
    ['Program:a'],
  );
});

test('a repeated option warns naming both lines, and the last wins', () => {
  const { file, diagnostics } = parseIni('[program:a]\nx=1\nx=2\n', '/x.conf');
  assert.equal(file.sections[0]?.options.get('x')?.value, '2');
  assert.equal(diagnostics.length, 1);
  assert.match(diagnostics[0]?.message ?? '', /line 3\) replaces the one at line 2/);
  assert.equal(diagnostics[0]?.line, 3);
});

test('a header without its ] warns: it becomes an option of the previous section', () => {
  const { diagnostics } = parseIni('[program:a]\nx=1\n[program:b\ncommand=/bin/true\n', '/x.conf');
  assert.equal(diagnostics[0]?.code, 'SVD-CONF-BROKEN-HEADER');
  assert.equal(diagnostics[0]?.line, 3);
});

test('an indented header continues the option above it, with a warning, as configparser reads it', () => {
  const { file, diagnostics } = parseIni(
    '[supervisorctl]\nserverurl=unix:///s.sock\n\n  [program:web]\n  command=/bin/web\n',
    '/x.conf',
  );
  assert.deepEqual(
    file.sections.map((s) => s.name),
    ['supervisorctl'],
  );
  assert.equal(
    file.sections[0]?.options.get('serverurl')?.value,
    'unix:///s.sock\n\n[program:web]\ncommand=/bin/web',
  );
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.line, d.column, d.option]),
    [['SVD-CONF-INDENTED-HEADER', 4, 3, 'serverurl']],
  );
});

test("text after a header's last ] is dropped with a warning, as Python's SECTCRE does", () => {
  const { file, diagnostics } = parseIni(
    '[program:a]<br>\ncommand=/bin/a\n[program:b]c]\ncommand=/bin/b\n[program:d] ; note\nx=1\n',
    '/x.conf',
  );
  assert.deepEqual(
    file.sections.map((s) => [s.name, [...s.options.keys()]]),
    [
      ['program:a', ['command']],
      ['program:b]c', ['command']],
      ['program:d', ['x']],
    ],
  );
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.line, d.column]),
    [['SVD-CONF-HEADER-TRAILING-TEXT', 1, 12]],
  );
});

test('a line that is not an option is an error with its line', () => {
  const { diagnostics } = parseIni('[program:a]\nnot an option\n', '/x.conf');
  assert.equal(diagnostics[0]?.severity, 'error');
  assert.equal(diagnostics[0]?.line, 2);
});

test('plain lines and lines the general walk reads give the same options, positions and warnings', () => {
  // Lines 2-5 and 8 are read with one match, lines 6-7 by the general walk (indent, comment); both must agree.
  const text =
    '[program:a]\nkey word = v=1:2 \t\nempty=\nx:y=z\nDup=1\n  more\ndup=2 ;comment\nu=\u00a0v\u00a0\n';
  const { file, diagnostics } = parseIni(text, '/x.conf');
  assert.deepEqual(
    [...(file.sections[0]?.options ?? [])].map(([k, v]) => [k, v.value, v.location.line, v.location.column]),
    [
      ['key word', 'v=1:2', 2, 1],
      ['empty', '', 3, 1],
      ['x', 'y=z', 4, 1],
      ['dup', '2', 7, 1],
      ['u', 'v', 8, 1],
    ],
  );
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.line]),
    [['SVD-CONF-DUPLICATE-OPTION', 7]],
  );
});

test('sections not kept are checked for syntax but not stored', () => {
  const text =
    '[DEFAULT]\na=1\n[program:x]\ncommand=/bin/x\n  more\nbroken line\n[supervisorctl]\nserverurl=unix:///s\n';
  const { file, diagnostics } = parseIni(text, '/x.conf', {
    keepSection: (name) => name === 'supervisorctl',
  });
  assert.deepEqual(
    file.sections.map((s) => [s.name, [...s.options].map(([k, v]) => [k, v.value])]),
    [['supervisorctl', [['serverurl', 'unix:///s']]]],
  );
  assert.equal(file.defaults.get('a')?.value, '1');
  assert.deepEqual(
    diagnostics.map((d) => [d.severity, d.line]),
    [['error', 6]],
  );
});

test("blanks are Python's: \\x1c-\\x1f and U+0085 are stripped, a byte order mark is not", () => {
  // A BOM before a header makes no header (configparser: an option line of the section above).
  const { file } = parseIni('[supervisord]\n\ufeff[program:b]\ncommand=/bin/true\n', '/x.conf');
  assert.deepEqual(
    file.sections.map((s) => s.name),
    ['supervisord'],
  );
  assert.deepEqual(options('[program:a]\nstartsecs=5\x1f\nstopwaitsecs=7\u0085\n'), {
    startsecs: '5',
    stopwaitsecs: '7',
  });
  assert.deepEqual(options('[program:a]\n\ufeffcommand=/bin/true\n'), { '\ufeffcommand': '/bin/true' });
  // A line starting with \x1c is indented: it continues the value above.
  assert.deepEqual(options('[program:a]\ncommand=/bin/true\n\x1cstartsecs=5\n'), {
    command: '/bin/true\nstartsecs=5',
  });
});
