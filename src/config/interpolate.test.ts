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

test('an unknown name is named', () => {
  const r = expand('x %(nope)s', names);
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.kind === 'unknown-name' && r.name, 'nope');
});

test('a lone % is badly formatted; %d of a string too', () => {
  assert.deepEqual(expand('100%', names), { ok: false, kind: 'bad-format', message: 'incomplete format' });
  assert.deepEqual(expand('%(here)d', names), {
    ok: false,
    kind: 'bad-format',
    message: '%d format: a real number is required, not str (%(here)d)',
  });
  for (const [unnamed, written, conversion] of [
    ['x %d', '%d', 'd'],
    ['%s', '%s', 's'],
    ["date +'%5s'", '%5s', 's'],
  ] as const)
    assert.deepEqual(
      expand(unnamed, names),
      {
        ok: false,
        kind: 'bad-format',
        message: `'${written}' names no variable: only %(name)${conversion} is expanded`,
      },
      unnamed,
    );
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
      expand(text, names),
      { ok: false, kind: 'bad-format', message: `unsupported format character '%' (0x25) at index ${at}` },
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
    assert.deepEqual(expand(text, names), { ok: false, kind: 'bad-format', message }, text);
});

test("a %( without its ) is an incomplete format key, as Python says, not an unsupported '(' character", () => {
  for (const text of ['/bin/echo %(program_name', '%(', 'a %(here b'])
    assert.deepEqual(
      expand(text, names),
      { ok: false, kind: 'bad-format', message: 'incomplete format key' },
      text,
    );
});
