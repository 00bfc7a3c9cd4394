import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expand } from './interpolate.js';

const names = { program_name: 'web', process_num: 3, here: '/etc' };

test('expands %(name)s, %(num)02d and %% as Python does', () => {
  assert.deepEqual(expand('%(program_name)s_%(process_num)02d 100%% %(here)s', names), {
    ok: true,
    value: 'web_03 100% /etc',
  });
  assert.deepEqual(expand('%(process_num)s|%(process_num)3d|%(process_num)-3d|', names), {
    ok: true,
    value: '3|  3|3  |',
  });
});

test('an unknown name is named, at the % that starts it', () => {
  assert.deepEqual(expand('x %(nope)s', names), {
    ok: false,
    kind: 'unknown-name',
    name: 'nope',
    message: "unknown name 'nope'",
    at: 2,
  });
});

/** The failure of `text` without its hint, which the next tests check apart. */
function failure(text: string): { message: string; at: number } {
  const r = expand(text, names);
  if (r.ok || r.kind !== 'bad-format') throw new Error(`${text}: not a format error`);
  return { message: r.message, at: r.at };
}

const literal = 'write %% for a literal %';
const hintOf = (text: string) => {
  const r = expand(text, names);
  return !r.ok && r.kind === 'bad-format' ? r.hint : undefined;
};

test('a lone % is badly formatted; %d of a string too, in the words Python has for each conversion', () => {
  assert.deepEqual(failure('100%'), { message: 'incomplete format', at: 3 });
  assert.equal(hintOf('100%'), literal);
  assert.deepEqual(failure('%(here)d'), {
    message: '%d format: a real number is required, not str (%(here)d)',
    at: 0,
  });
  assert.equal(hintOf('%(here)d'), '%(here) is text, not a number: write %(here)s');
  assert.equal(failure('%(here)x').message, '%x format: an integer is required, not str (%(here)x)');
  assert.equal(failure('%(here)f').message, 'must be real number, not str (%(here)f)');
  assert.equal(failure('%(here)c').message, '%c requires int or char (%(here)c)');
  for (const [unnamed, written, conversion] of [
    ['x %d', '%d', 'd'],
    ['%s', '%s', 's'],
    ["date +'%5s'", '%5s', 's'],
  ] as const) {
    assert.deepEqual(
      failure(unnamed),
      {
        message: `'${written}' names no variable: only %(name)${conversion} is expanded`,
        at: unnamed.indexOf('%'),
      },
      unnamed,
    );
    assert.equal(hintOf(unnamed), literal);
  }
});

test("%c takes a one-character string, as Python's does", () => {
  assert.deepEqual(expand('[%(c)c]', { c: 'é' }), { ok: true, value: '[é]' });
  assert.deepEqual(expand('[%(c)c]', { c: 65 }), { ok: true, value: '[A]' });
});

test("only %% is a literal percent: a % conversion with a name, flags or width is refused, as Python's % refuses it", () => {
  assert.deepEqual(expand('%%(here)s', names), { ok: true, value: '%(here)s' });
  for (const [text, at] of [
    ['%(here)%', 7],
    ['%5%', 2],
    ['%-%', 2],
    ['a %(here)5%', 10],
  ] as const)
    assert.deepEqual(
      failure(text),
      { message: `unsupported format character '%' (0x25) at index ${at}`, at },
      text,
    );
});

test('an unknown conversion is named as Python names it: the character, its code and its index', () => {
  // A template placeholder left in a file (docker images that sed %USER% at start-up).
  for (const [text, message] of [
    ['%USER%', "unsupported format character 'U' (0x55) at index 1"],
    ['/home/%USER%/x', "unsupported format character 'U' (0x55) at index 7"],
    ['%(here)5.2q', "unsupported format character 'q' (0x71) at index 10"],
  ] as const)
    assert.equal(failure(text).message, message, text);
  assert.equal(hintOf('%USER%'), literal);
});

test("Python's index counts characters: an emoji before the fault counts once; `at` is the string's index", () => {
  // Python: '😀%(here)/x' % {'here': '/etc'}: unsupported format character '/' (0x2f) at index 8
  assert.deepEqual(failure('😀%(here)/x'), {
    message: "unsupported format character '/' (0x2f) at index 8",
    at: 9,
  });
});

test('a %(name) without its conversion character says so: the usual slip is a forgotten s', () => {
  // From a real file: `%(ENV_HOSTNAME)-%(process_num)02d`, where Python stops at the second %.
  const text = 'celery -n %(program_name)s-%(here)-%(process_num)02d';
  assert.deepEqual(failure(text), {
    message: "unsupported format character '%' (0x25) at index 35",
    at: 35,
  });
  assert.equal(hintOf(text), '%(here) lacks its conversion character: write %(here)s');
  assert.equal(hintOf('%(here)/x'), '%(here) lacks its conversion character: write %(here)s');
  assert.deepEqual(failure('log %(here)'), { message: 'incomplete format', at: 4 });
  assert.equal(hintOf('log %(here)'), '%(here) lacks its conversion character: write %(here)s');
  assert.equal(hintOf('%(here)S'), "'S' after %(here) is not a conversion character: write %(here)s");
});

test("a %( without its ) is an incomplete format key, as Python says, not an unsupported '(' character", () => {
  for (const text of ['/bin/echo %(program_name', '%(', 'a %(here b'])
    assert.deepEqual(failure(text), { message: 'incomplete format key', at: text.indexOf('%(') }, text);
});

test("with a table, an unnamed %s, %r or %a reads as Python's % does: the table, once, before any name", () => {
  assert.deepEqual(expand('p%ss', names, '{}'), { ok: true, value: 'p{}s' });
  assert.deepEqual(expand('%.1r %(here)s', names, '{}'), { ok: true, value: '{ /etc' });
  // Python: not enough arguments for format string; %d of the table: a real number is required, not dict.
  for (const text of ['%s %s', '%(here)s %s', '%d']) assert.equal(expand(text, names, '{}').ok, false, text);
});
