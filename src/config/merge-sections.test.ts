import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIni } from './ini-reader.js';
import { mergeSections } from './merge-sections.js';

const main = '[unix_http_server]\nfile=/run/s.sock\nchown=app:app\nchmod=0700\n';

test('a section repeated in an included file is merged, the later values winning, with warnings', () => {
  const included = '[unix_http_server]\nchmod=0770\n';
  const merged = mergeSections([parseIni(main, '/main.conf').file, parseIni(included, '/inc.conf').file]);
  const section = merged.sections.get('unix_http_server');
  assert.equal(section?.options.get('chmod')?.value, '0770');
  assert.deepEqual(
    merged.diagnostics.map((d) => [d.code, d.file, d.line]),
    [
      ['SVD-CONF-DUPLICATE-SECTION', '/inc.conf', 1],
      ['SVD-CONF-DUPLICATE-OPTION', '/inc.conf', 2],
    ],
  );
});

test('an included file that restates a value with the same text gets no warning for that option', () => {
  const included = '[unix_http_server]\nchown=app:app\n';
  const merged = mergeSections([parseIni(main, '/main.conf').file, parseIni(included, '/inc.conf').file]);
  assert.deepEqual(
    merged.diagnostics.map((d) => d.code),
    ['SVD-CONF-DUPLICATE-SECTION'],
  );
});

test('a file read again (an include matches it again) applies its values again, over the files read between', () => {
  const included = '[unix_http_server]\nchmod=0770\n';
  const mainAgain = { ...parseIni(main, '/main.conf').file, readAgain: true };
  const merged = mergeSections([
    parseIni(main, '/main.conf').file,
    parseIni(included, '/inc.conf').file,
    mainAgain,
  ]);
  assert.equal(merged.sections.get('unix_http_server')?.options.get('chmod')?.value, '0700');
  const last = merged.diagnostics.at(-1);
  assert.equal(last?.file, '/main.conf');
  assert.match(last?.message ?? '', /the include reads this file again/);
});

test('an unknown section gets a suggestion without the spaces inside its brackets', () => {
  const merged = mergeSections([
    parseIni('[ program:web ]\ncommand=/bin/web\n[programs:api]\ncommand=/bin/api\n', '/x.conf').file,
  ]);
  assert.deepEqual(
    merged.diagnostics.map((d) => [d.code, d.line, d.hint]),
    [
      ['SVD-CONF-UNKNOWN-SECTION', 1, 'did you mean [program:web]?'],
      ['SVD-CONF-UNKNOWN-SECTION', 3, 'did you mean [program:api]?'],
    ],
  );
});

test('a program or group name with a blank of any kind is refused at its header, naming the character', () => {
  const merged = mergeSections([
    parseIni(
      '[program:x\ty]\ncommand=/bin/true\n[group:g\u00a0h]\nprograms=ok\n[program:a b]\ncommand=/bin/true\n',
      '/x.conf',
    ).file,
  ]);
  assert.deepEqual(
    merged.diagnostics.map((d) => [d.code, d.line, d.message]),
    [
      ['SVD-CONF-NAME', 1, "invalid name 'x\ty' in [program:x\ty]: it must not contain '\\t'"],
      ['SVD-CONF-NAME', 3, "invalid name 'g\u00a0h' in [group:g\u00a0h]: it must not contain '\\u00a0'"],
      ['SVD-CONF-NAME', 5, "invalid name 'a b' in [program:a b]: it must not contain ' '"],
    ],
  );
});
