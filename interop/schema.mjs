// make interop: ajv (draft 2019-09, formats asserted) on JSON documents, one verdict per
// document: "valid" or "invalid<TAB>the first error".  A file of NDJSON is one document a
// line.  Usage: node schema.mjs SCHEMA.json FILE
import Ajv2019 from "ajv/dist/2019.js";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";

const [schemaFile, file] = process.argv.slice(2);
const ajv = new Ajv2019({ strict: false, allErrors: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, "utf8")));
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
