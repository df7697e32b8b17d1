// Independent Data Integrity verifier: Digital Bazaar's verifyCredential (@digitalbazaar/vc)
// with the eddsa-rdfc-2022 cryptosuite, JSON-LD safe mode (the library's default), offline.
// Usage: node verify-di.mjs CONTEXTS_DIR FILE...   (a file holds one credential, or one per
// line as credconv sign writes them).  Prints one line per credential:
//   LABEL<TAB>valid|invalid<TAB>first error
import {readFileSync} from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import jsigs from 'jsonld-signatures';
import {makeLoader, remember} from './loader.mjs';

const [contextsDir, ...files] = process.argv.slice(2);
const documentLoader = makeLoader(contextsDir);
const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
// The proof purpose without vc's "issuer is the method's controller" rule: like credconv's
// --accept-unbound-key, the comparison is of the signature and the proof's own rules
// (assertionMethod listed by the controller document, dates, safe mode), not of who the
// issuer is; the loader could only make that rule true by construction (loader.mjs).
const purpose = new jsigs.purposes.AssertionProofPurpose();

function firstError(result) {
  const errs = [];
  const walk = e => {
    if (!e) return;
    if (Array.isArray(e)) return e.forEach(walk);
    if (e.errors) return walk(e.errors);
    errs.push(e.message || String(e));
  };
  walk(result.error);
  for (const r of result.results || []) if (!r.verified) walk(r.error);
  return (errs[0] || 'not verified').replace(/\s+/g, ' ').slice(0, 160);
}

async function verifyOne(label, text) {
  let credential;
  try {
    credential = JSON.parse(text);
  } catch (e) {
    return `${label}\tinvalid\tnot JSON: ${e.message}`;
  }
  for (const p of [].concat(credential.proof || [])) {
    if (p && typeof p.verificationMethod === 'string') remember(p.verificationMethod);
  }
  try {
    const result = await vc.verifyCredential({credential, suite, purpose, documentLoader});
    return result.verified ? `${label}\tvalid\t-` : `${label}\tinvalid\t${firstError(result)}`;
  } catch (e) {
    return `${label}\tinvalid\t${e.message}`;
  }
}

for (const file of files) {
  const lines = readFileSync(file, 'utf8').split('\n').filter(l => l.trim());
  const one = lines.length > 1 && lines.every(l => l.trim().startsWith('{') && l.trim().endsWith('}'));
  const items = one ? lines.map((l, i) => [`${file}:${i + 1}`, l])
                    : [[file, readFileSync(file, 'utf8')]];
  for (const [label, text] of items) console.log(await verifyOne(label, text));
}
