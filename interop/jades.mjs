// Independent side of make interop for JAdES seals (JWS JSON serialisation), with jose.
//   node jades.mjs verify FILE...   one line per seal (a file may hold one per line):
//        LABEL<TAB>valid|invalid<TAB>detail.  jose's generalVerify (or flattenedVerify)
//        with the x5c leaf certificate's key; b64 false is RFC 7797, which jose implements;
//        sigT and adoTst are recognised critical parameters (jose checks that they are
//        understood, not their values: adoTst is not evaluated on this side).
//   node jades.mjs sign ALG KEY.p8 CERT.pem CREDENTIAL.json   a baseline-B seal made by
//        jose's GeneralSign: unencoded payload, x5c, x5t#S256, sigT, crit [b64, sigT].
import {readFileSync} from 'node:fs';
import {createHash, X509Certificate} from 'node:crypto';
import * as jose from 'jose';

const ALGS = ['RS256', 'PS256', 'ES256'];
const CRIT = {sigT: true, adoTst: true};

function pem(b64) {
  return `-----BEGIN CERTIFICATE-----\n${b64.match(/.{1,64}/g).join('\n')}\n-----END CERTIFICATE-----\n`;
}

async function verifyOne(text) {
  const jws = JSON.parse(text);
  const sig = jws.signatures ? jws.signatures[0] : jws;
  const header = JSON.parse(new TextDecoder().decode(jose.base64url.decode(sig.protected)));
  if (!ALGS.includes(header.alg)) throw new Error(`alg ${header.alg}`);
  const key = await jose.importX509(pem(header.x5c[0]), header.alg);
  const opts = {algorithms: ALGS, crit: CRIT};
  const r = jws.signatures ? await jose.generalVerify(jws, key, opts) : await jose.flattenedVerify(jws, key, opts);
  return r.protectedHeader.alg;
}

async function verify(files) {
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n').map(t => t.trim()).filter(Boolean);
    // a pretty-printed document is one seal; a file of one-line seals, one per line
    const docs = lines.length > 1 && lines.every(l => l.startsWith('{') && l.endsWith('}')) ? lines
               : [readFileSync(file, 'utf8')];
    for (const [i, doc] of docs.entries()) {
      const label = docs.length > 1 ? `${file}:${i + 1}` : file;
      try {
        console.log(`${label}\tvalid\t${await verifyOne(doc)}`);
      } catch (e) {
        console.log(`${label}\tinvalid\t` + `${e.code || ''} ${e.message}`.replace(/\s+/g, ' '));
      }
    }
  }
}

async function sign(alg, keyFile, certFile, credFile) {
  const key = await jose.importPKCS8(readFileSync(keyFile, 'utf8'), alg);
  const cert = new X509Certificate(readFileSync(certFile));
  const der = cert.raw;
  const payload = new TextEncoder().encode(readFileSync(credFile, 'utf8').trim());
  const sigT = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const jws = await new jose.GeneralSign(payload).addSignature(key, {crit: {sigT: true}}).setProtectedHeader({
    alg, typ: 'jose+json', 'x5t#S256': jose.base64url.encode(createHash('sha256').update(der).digest()),
    x5c: [der.toString('base64')], sigT, b64: false, crit: ['b64', 'sigT'],
  }).sign();
  // jose leaves an unencoded payload out (detached, RFC 7797 §5.2); a seal carries it
  jws.payload = new TextDecoder().decode(payload);
  console.log(JSON.stringify({payload: jws.payload, signatures: jws.signatures}));
}

const [cmd, ...args] = process.argv.slice(2);
await (cmd === 'sign' ? sign(...args) : verify(args));
