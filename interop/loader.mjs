// An offline JSON-LD document loader for the independent verifiers: the contexts come from
// the corpus copies (../shared/corpus/ob/contexts, the same URL -> file mapping as
// tests/e2e_di.sh), verification methods from what their own URL says (did:key, or a
// Multikey in the URL's fragment, as the 1EdTech validator accepts).  Nothing is fetched:
// any other URL is an error, so a test can never depend on the network.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';

// URL -> file in the corpus contexts folder (kept in step with tests/e2e_di.sh).
export const CONTEXTS = {
  'https://www.w3.org/ns/credentials/v2': 'validator-credentials-v2.jsonld',
  'https://www.w3.org/ns/credentials/examples/v2': 'w3c-credentials-examples-v2.RECONSTRUCTED.json',
  'https://www.w3.org/2018/credentials/v1': 'validator-2018-credentials-v1.jsonld',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json': 'ob-v3p0-context-3.0.3.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json': 'ob-v3p0-context-3.0.2.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json': 'ob-v3p0-context-3.0.1.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context.json': 'ob-v3p0-context.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json': 'validator-ob-v3p0-extensions.json',
  'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json': 'validator-clr-v2p0-2.0.1.json',
  'https://purl.imsglobal.org/spec/clr/v2p0/context.json': 'validator-clr-v2p0.json',
  'https://w3id.org/security/data-integrity/v1': 'validator-data-integrity-v1.jsonld',
  'https://w3id.org/security/suites/ed25519-2020/v1': 'validator-security-suites-ed25519-2020-v1.jsonld',
  'https://www.w3.org/ns/did/v1': 'validator-did-v1.jsonld',
};

const DID_V1 = 'https://www.w3.org/ns/did/v1';

// The controller document a Multikey method implies: it lists the method for signing
// credentials.  This is the step the JS verifier cannot do on its own offline (resolving the
// controller); it stands for "the key is taken as given", i.e. credconv's
// --accept-unbound-key, so only the signature and the proof's own rules are compared.
function controllerDoc(controller, id, multibase) {
  const method = {id, type: 'Multikey', controller, publicKeyMultibase: multibase};
  return {
    '@context': [DID_V1],
    id: controller,
    verificationMethod: [method],
    assertionMethod: [id],
    authentication: [id],
  };
}

function methodFromUrl(url) {
  const hash = url.indexOf('#');
  const base = hash < 0 ? url : url.slice(0, hash);
  let frag = hash < 0 ? '' : url.slice(hash + 1);
  if (!frag && base.startsWith('did:key:')) frag = base.slice('did:key:'.length);
  if (!/^z6Mk[1-9A-HJ-NP-Za-km-z]+$/.test(frag)) return null;
  if (base.startsWith('did:key:') && base.slice('did:key:'.length) !== frag) return null;
  const id = `${base}#${frag}`;
  const doc = controllerDoc(base, id, frag);
  return hash < 0 ? doc : doc.verificationMethod[0];
}

export function makeLoader(contextsDir) {
  const cache = new Map();
  return async function documentLoader(url) {
    if (CONTEXTS[url]) {
      if (!cache.has(url)) {
        cache.set(url, JSON.parse(readFileSync(join(contextsDir, CONTEXTS[url]), 'utf8')));
      }
      return {contextUrl: null, documentUrl: url, document: cache.get(url)};
    }
    const doc = methodFromUrl(url) ??
      (url.startsWith('did:key:') ? null : controllerForFragmentKey(url));
    if (doc) return {contextUrl: null, documentUrl: url, document: doc};
    throw new Error(`interop loader: not available offline: ${url}`);
  };
}

// "https://example.edu/issuers/565049" is the controller of the fragment method
// "https://example.edu/issuers/565049#z6Mk…"; asked for the bare URL, the loader cannot know
// the key, so it answers only for methods it has seen (see remember()).
const seen = new Map();
export function remember(vmUrl) {
  const hash = vmUrl.indexOf('#');
  if (hash > 0) seen.set(vmUrl.slice(0, hash), vmUrl.slice(hash + 1));
}
function controllerForFragmentKey(url) {
  const frag = seen.get(url);
  return frag ? controllerDoc(url, `${url}#${frag}`, frag) : null;
}
