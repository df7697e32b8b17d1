// make interop: ajv (draft 2019-09 or 2020-12, formats asserted) on JSON documents, one verdict per
// document: "valid" or "invalid<TAB>the first error".  A file of NDJSON is one document a
// line.  Usage: node schema.mjs SCHEMA.json FILE
import Ajv2019 from "ajv/dist/2019.js";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";

const [schemaFile, file] = process.argv.slice(2);
const schema = JSON.parse(readFileSync(schemaFile, "utf8"));
// A schema saying draft 2020-12 (credconv's CASE 1.1) gets ajv's 2020 engine; the others
// (CLR 2.0: 2019-09; CASE 1.0: no $schema, definitions and $ref only) the 2019 one.
const Ajv = /2020-12/.test(schema.$schema || "") ? Ajv2020 : Ajv2019;
const ajv = new Ajv({ strict: false, allErrors: false });
addFormats(ajv);
const validate = ajv.compile(schema);
const text = readFileSync(file, "utf8").trim();
const docs = text.startsWith("{") && !text.includes("\n{") ? [text] : text.split("\n").filter((l) => l.trim());
let bad = 0;
for (const d of docs) {
  if (!validate(JSON.parse(d))) {
    bad++;
    const e = validate.errors[0];
    console.log(`invalid\t${e.instancePath || "/"} ${e.message}`);
  }
}
if (!bad) console.log(`valid\t${docs.length} document(s)`);
