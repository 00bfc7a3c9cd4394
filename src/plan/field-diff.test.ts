import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProcessSpec } from '../model/config.js';
import { processSpec } from '../../test/support/specs.js';
import { diffProcess, sameProcessSpec, sameValue } from './field-diff.js';
import { processMetaReloadClass, programFields } from './reload-class.js';

/** A value of the same kind as `v` that differs from it. */
function otherValue(v: unknown): unknown {
  if (typeof v === 'number') return v + 1;
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'string') return `${v}-changed`;
  if (v === null) return 'set';
  if (Array.isArray(v)) return [...(v as unknown[]), 99];
  if (typeof v === 'object') return { ...(v as object), ADDED: '1' };
  return 'set';
}

test('sameProcessSpec sees a change in every field diffProcess compares (a new option cannot slip past)', () => {
  const base = processSpec({ name: 'web', command: '/bin/web', environment: { A: '1' } });
  const copy = (): ProcessSpec => structuredClone(base);
  assert.ok(sameProcessSpec(base, copy()), 'an equal copy is the same');
  assert.deepEqual(diffProcess(base, copy()), []);
  const fields = [...programFields, ...(Object.keys(processMetaReloadClass) as (keyof ProcessSpec)[])];
  for (const field of fields) {
    if (field === 'process_name') continue; // the template: next test
    const changed = copy() as unknown as Record<string, unknown>;
    changed[field] = otherValue(changed[field]);
    const spec = changed as unknown as ProcessSpec;
    assert.equal(sameProcessSpec(base, spec), false, `a change of ${field} is seen`);
    assert.deepEqual(
      diffProcess(base, spec).map((f) => f.field),
      [field],
      `diffProcess names ${field} alone`,
    );
  }
});

test('a process_name template that gives the process the same name is not a change', () => {
  // `svd config --format ini` writes [program:web]'s %(program_name)s as the name it gives.
  const base = processSpec({ name: 'web', command: '/bin/web', process_name: '%(program_name)s' });
  const literal = { ...structuredClone(base), process_name: 'web' };
  assert.ok(sameProcessSpec(base, literal));
  assert.deepEqual(diffProcess(base, literal), []);
  assert.deepEqual(
    diffProcess(base, { ...literal, priority: base.priority + 1 }).map((f) => f.field),
    ['priority'],
  );
});

test('where a value came from is not a change', () => {
  const base = processSpec({ name: 'web', command: '/bin/web' });
  const moved = { ...structuredClone(base), source: { file: '/elsewhere.conf', line: 40, column: 1 } };
  assert.ok(sameProcessSpec(base, moved as ProcessSpec));
});

test('sameValue: objects whatever their key order, arrays in order, no extra or missing keys', () => {
  assert.ok(sameValue({ a: 1, b: 2 }, { b: 2, a: 1 }));
  assert.ok(!sameValue({ a: 1 }, { a: 1, b: 2 }));
  assert.ok(!sameValue({ a: 1, b: 2 }, { a: 1 }));
  assert.ok(!sameValue({ a: 1, b: undefined }, { a: 1, c: undefined }));
  assert.ok(sameValue([1, [2, 3]], [1, [2, 3]]));
  assert.ok(!sameValue([1, 2], [2, 1]));
  assert.ok(!sameValue([1], { 0: 1 }));
  assert.ok(!sameValue({ 0: 1, length: 1 }, [1]));
  assert.ok(!sameValue([0], [0, 2]), 'an extra element');
  assert.ok(!sameValue([0, 2], [0]), 'a missing element');
  assert.ok(!sameValue(null, {}));
  assert.ok(!sameValue({}, null));
  assert.ok(!sameValue('1', 1));
});
