// Independent JOSE side of make interop, with the jose library.
//   node jose.mjs verify ALG PUBLIC.pem FILE...  one line per token (a file may hold one per
//                                                line): LABEL<TAB>valid|invalid<TAB>error
//   node jose.mjs sign ALG PRIVATE.pem CREDENTIAL.json   a VC-JWT on stdout: the credential
//        plus iss, jti, sub, nbf (and exp) as docs/signatures.md says credconv signs them
import {readFileSync} from 'node:fs';
import * as jose from 'jose';

const [cmd, alg, keyFile, ...files] = process.argv.slice(2);
const pem = readFileSync(keyFile, 'utf8');

async function verify() {
  const key = await jose.importSPKI(pem, alg);
  for (const file of files) {
    const tokens = readFileSync(file, 'utf8').split('\n').map(t => t.trim()).filter(Boolean);
    for (const [i, token] of tokens.entries()) {
      const label = tokens.length > 1 ? `${file}:${i + 1}` : file;
      try {
        // algorithms: the one expected, so a token cannot pick its own (alg confusion).
        const {protectedHeader} = await jose.compactVerify(token, key, {algorithms: [alg]});
        console.log(`${label}\tvalid\t${protectedHeader.alg}`);
      } catch (e) {
        console.log(`${label}\tinvalid\t` + `${e.code || ''} ${e.message}`.replace(/\s+/g, ' '));
      }
    }
  }
}

async function sign() {
  const key = await jose.importPKCS8(pem, alg);
  const cred = JSON.parse(readFileSync(files[0], 'utf8'));
  const claims = {...cred, iss: typeof cred.issuer === 'string' ? cred.issuer : cred.issuer.id,
    jti: cred.id, nbf: Math.floor(Date.parse(cred.validFrom) / 1000)};
  if (cred.credentialSubject && cred.credentialSubject.id) claims.sub = cred.credentialSubject.id;
  if (cred.validUntil) claims.exp = Math.floor(Date.parse(cred.validUntil) / 1000);
  const payload = new TextEncoder().encode(JSON.stringify(claims));
  const token = await new jose.CompactSign(payload).setProtectedHeader({alg, typ: 'JWT'}).sign(key);
  console.log(token);
}

await (cmd === 'sign' ? sign() : verify());
