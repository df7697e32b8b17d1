// Independent Bitstring Status List codec: Digital Bazaar's @digitalbazaar/vc-bitstring-status-list
// (pinned in package-lock.json), for make interop.
// Usage: node status.mjs decode FILE INDEX...   the list credential in FILE (JSON, or a
//          VC-JWT whose payload is read without checking it): one line "INDEX 0|1" each
//        node status.mjs encode LENGTH INDEX... a list of LENGTH bits with those set: its
//          encodedList
//        node status.mjs check CONTEXTS_DIR LIST_FILE CREDENTIALS.jsonl: the library's own
//          checkStatus on each credential, the list (with a Data Integrity proof) verified
//          and its issuer matched: one line "1" (revoked), "0" (not) or "error: why"
import {readFileSync} from 'node:fs';
import {checkStatus, createList, decodeList} from '@digitalbazaar/vc-bitstring-status-list';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {makeLoader, remember} from './loader.mjs';

async function check(contextsDir, listFile, credFile) {
  const list = JSON.parse(readFileSync(listFile, 'utf8'));
  for (const p of [].concat(list.proof || [])) remember(p.verificationMethod);
  const base = makeLoader(contextsDir);
  const documentLoader = async url => url === list.id
    ? {contextUrl: null, documentUrl: url, document: list} : base(url);
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  for (const line of readFileSync(credFile, 'utf8').split('\n').filter(l => l.trim())) {
    const r = await checkStatus({credential: JSON.parse(line), documentLoader, suite,
                                 verifyBitstringStatusListCredential: true, verifyMatchingIssuers: true});
    console.log(r.verified ? (r.results[0].status ? '1' : '0')
      : `error: ${(r.error && r.error.message || 'not verified').replace(/\s+/g, ' ').slice(0, 120)}`);
  }
}

const [mode, arg, ...indexes] = process.argv.slice(2);
if (mode === 'decode') {
  const text = readFileSync(arg, 'utf8').trim();
  const cred = text.startsWith('{') ? JSON.parse(text)
    : JSON.parse(Buffer.from(text.split('.')[1], 'base64url').toString('utf8'));
  const list = await decodeList({encodedList: cred.credentialSubject.encodedList});
  console.log(`length ${list.length}`);
  for (const i of indexes) console.log(`${i} ${list.getStatus(Number(i)) ? 1 : 0}`);
} else if (mode === 'encode') {
  const list = await createList({length: Number(arg)});
  for (const i of indexes) list.setStatus(Number(i), true);
  console.log(await list.encode());
} else if (mode === 'check') {
  await check(arg, indexes[0], indexes[1]);
} else {
  console.error('usage: node status.mjs decode FILE INDEX... | encode LENGTH INDEX...');
  process.exit(2);
}
