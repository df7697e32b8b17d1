// ajv-validate.mjs - the peer of `credconv validate -f ob3` for make bench: ajv (draft
// 2019-09, ajv-formats) validating every line of a JSONL file against the same schema, in
// one node process, startup included.  Prints "N valid, M invalid".
//   node bench/ajv-validate.mjs SCHEMA.json FILE.jsonl
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(new URL('../interop/package.json', import.meta.url));
const Ajv2019 = require('ajv/dist/2019').default;
const addFormats = require('ajv-formats').default;
const [schemaPath, dataPath] = process.argv.slice(2);
const ajv = new Ajv2019({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
let ok = 0, bad = 0;
for (const line of readFileSync(dataPath, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    if (validate(JSON.parse(line))) ok++; else bad++;
}
console.log(`${ok} valid, ${bad} invalid`);
