// The committed standalone validator must be what `npm run gen` makes from the schema today, and it must
// judge documents exactly as ajv compiling the schema at run time does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/paths.js';
import { validate as generated } from '../../src/generated/config-validator.js';

test('src/generated/config-validator.ts matches schema/svd.schema.json (run `npm run gen` when this fails)', () => {
  const fresh = execFileSync(process.execPath, [join(repoRoot, 'schema', 'gen-validator.mjs'), '--print'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const committed = readFileSync(join(repoRoot, 'src', 'generated', 'config-validator.ts'), 'utf8');
  assert.equal(committed, fresh);
});

test('the generated validator reports the errors a run-time compiled one reports', async () => {
  const { createValidatorAjv } = (await import(join(repoRoot, 'schema', 'gen-validator.mjs'))) as {
    createValidatorAjv: () => { compile: (s: unknown) => ((d: unknown) => boolean) & { errors?: unknown } };
  };
  const schema: unknown = JSON.parse(readFileSync(join(repoRoot, 'schema', 'svd.schema.json'), 'utf8'));
  const runtime = createValidatorAjv().compile(schema);
  const pre = generated as unknown as ((d: unknown) => boolean) & { errors?: unknown };
  const documents: unknown[] = [
    {},
    { supervisord: { logfile: '/tmp/x.log' }, programs: { web: { command: 'sleep 1', startsecs: 1 } } },
    { programs: { web: { command: 'sleep 1', startsecs: -1, autorestart: 'sometimes', bogus: 1 } } },
    { supervisord: { loglevel: 'loud', minfds: 'many' }, groups: { g: { programs: [] } } },
    { eventlisteners: { e: { command: 'x', events: [], buffer_size: 0 } }, unix_http_server: { chmod: 7 } },
    { programs: 'not an object' },
  ];
  for (const doc of documents) {
    const a = runtime(doc);
    const b = pre(doc);
    assert.equal(b, a, JSON.stringify(doc));
    assert.deepEqual(pre.errors ?? null, runtime.errors ?? null, JSON.stringify(doc));
  }
});
