// Independent Bitstring Status List codec: Digital Bazaar's @digitalbazaar/vc-bitstring-status-list
// (pinned in package-lock.json), for make interop.
// Usage: node status.mjs decode FILE INDEX...   the list credential in FILE (JSON, or a
//          VC-JWT whose payload is read without checking it): one line "INDEX 0|1" each
//        node status.mjs encode LENGTH INDEX... a list of LENGTH bits with those set: its
//          encodedList
import {readFileSync} from 'node:fs';
import {createList, decodeList} from '@digitalbazaar/vc-bitstring-status-list';

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
} else {
  console.error('usage: node status.mjs decode FILE INDEX... | encode LENGTH INDEX...');
  process.exit(2);
}
