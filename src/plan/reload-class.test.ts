import { test } from 'node:test';
import assert from 'node:assert/strict';
import { svdSchema } from '../config/schema-info.js';
import { groupReloadClass, reloadClass } from './reload-class.js';

function schemaClasses(definition: string): Map<string, unknown> {
  const def = svdSchema.definitions[definition];
  assert.ok(def, `schema has ${definition}`);
  return new Map(Object.entries(def.properties).map(([k, v]) => [k, v['x-svd-reload']]));
}

test('reloadClass agrees with the schema x-svd-reload of every program option, and covers exactly them', () => {
  const schema = schemaClasses('ProgramOptions');
  assert.deepEqual([...schema.keys()].sort(), Object.keys(reloadClass).sort());
  for (const [field, cls] of Object.entries(reloadClass)) {
    assert.equal(
      schema.get(field),
      cls,
      `${field}: table says ${cls}, schema says ${String(schema.get(field))}`,
    );
  }
});

test('event listener and fcgi options share the program classes; their group settings match groupReloadClass', () => {
  for (const definition of ['EventListenerOptions', 'FcgiProgramOptions']) {
    for (const [field, cls] of schemaClasses(definition)) {
      const expected =
        field in reloadClass
          ? reloadClass[field as keyof typeof reloadClass]
          : groupReloadClass[field as keyof typeof groupReloadClass];
      assert.ok(expected !== undefined, `${definition}.${field} is classified`);
      assert.equal(cls, expected, `${definition}.${field}`);
    }
  }
});

test('what shapes the process restarts it; policy applies in place', () => {
  for (const f of ['command', 'environment', 'directory', 'user', 'umask', 'stdout_logfile'] as const)
    assert.equal(reloadClass[f], 'restart', f);
  for (const f of ['autostart', 'autorestart', 'startsecs', 'stopsignal', 'priority', 'exitcodes'] as const)
    assert.equal(reloadClass[f], 'in-place', f);
  assert.equal(groupReloadClass.priority, 'in-place');
  assert.equal(groupReloadClass.events, 'restart');
  assert.equal(groupReloadClass.socket, 'restart');
});
