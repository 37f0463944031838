// Generates schemas/facts.schema.json from the zod types (the one schema source).
// `--check` fails when the committed file differs from what the types generate.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { z } = require('zod');
const compiled = path.join(root, 'out', 'src', 'core', 'kb', 'schema.js');
if (!fs.existsSync(compiled)) {
  console.error('schema: compile first (npm run compile); missing out/src/core/kb/schema.js');
  process.exit(2);
}
const { factFileSchema } = require(compiled);
const json = z.toJSONSchema(factFileSchema, { target: 'draft-7', io: 'input' });
json.title = 'Policy Facts fact file';
json.description = 'Sources and entities (programmes and organisations) with sourced facts. Generated from src/core/kb/schema.ts; do not edit by hand.';
const text = `${JSON.stringify(json, null, 2)}\n`;
const target = path.join(root, 'schemas', 'facts.schema.json');
if (process.argv.includes('--check')) {
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (current !== text) {
    console.error('schema: schemas/facts.schema.json is out of date with src/core/kb/schema.ts; run `npm run schema` and commit it.');
    process.exit(1);
  }
  console.log('schema: schemas/facts.schema.json is up to date');
} else {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, text);
  console.log(`schema: wrote ${path.relative(root, target)}`);
}
