// Generates src/generated/config-types.ts (and, through gen-validator.mjs, config-validator.ts) from
// schema/svd.schema.json.
// `npm run gen` writes it; `node schema/gen-types.mjs --print` prints it (the staleness test compares the two).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';
import { validatorSource } from './gen-validator.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schema = JSON.parse(readFileSync(join(root, 'schema/svd.schema.json'), 'utf8'));
const out = join(root, 'src/generated/config-types.ts');

const ts = await compile(schema, 'SvdConfig', {
  bannerComment:
    '/* Generated from schema/svd.schema.json by `npm run gen`. Do not edit: change the schema and regenerate. */',
  additionalProperties: false,
  unreachableDefinitions: true,
  style: { singleQuote: true, printWidth: 110 },
});

if (process.argv.includes('--print')) process.stdout.write(ts);
else {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, ts);
  writeFileSync(join(root, 'src/generated/config-validator.ts'), validatorSource());
}
