// The committed generated types must be what `npm run gen` makes from the schema today.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/paths.js';

test('src/generated/config-types.ts matches schema/svd.schema.json (run `npm run gen` when this fails)', () => {
  const fresh = execFileSync(process.execPath, [join(repoRoot, 'schema', 'gen-types.mjs'), '--print'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const committed = readFileSync(join(repoRoot, 'src', 'generated', 'config-types.ts'), 'utf8');
  assert.equal(committed, fresh);
});
