// Generates src/generated/config-validator.ts: ajv's standalone code for schema/svd.schema.json, so the
// config loader validates without compiling the schema at every start (~170 ms of CPU per process).
// `node schema/gen-validator.mjs` writes it (npm run gen calls it); `--print` prints it (the staleness test).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schema = JSON.parse(readFileSync(join(root, 'schema/svd.schema.json'), 'utf8'));
const out = join(root, 'src/generated/config-validator.ts');

/** The same options src/config/validate-document.ts relied on when it compiled at run time. */
export function createValidatorAjv(extra = {}) {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, ...extra });
  ajv.addKeyword({ keyword: 'x-svd-kind', schemaType: 'string' });
  ajv.addKeyword({ keyword: 'x-svd-reload', schemaType: 'string' });
  return ajv;
}

export function validatorSource() {
  const ajv = createValidatorAjv({ code: { source: true, esm: true } });
  const code = standaloneCode.default(ajv, ajv.compile(schema));
  if (/\b(require\(|import )/.test(code))
    throw new Error('the standalone validator needs ajv runtime helpers');
  return (
    '/* Generated from schema/svd.schema.json by `npm run gen` (schema/gen-validator.mjs). Do not edit. */\n' +
    '// @ts-nocheck\n' +
    code +
    '\n'
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--print')) process.stdout.write(validatorSource());
  else {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, validatorSource());
  }
}
