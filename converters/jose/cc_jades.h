/* JAdES seals (ETSI TS 119 182-1): a JWS in the JSON serialisation, general or flattened,
 * whose protected header carries the signer's certificate chain (x5c, x5t#S256), the signing
 * time (sigT), an optional all-data-objects timestamp (adoTst, RFC 3161) and, for the
 * unencoded payload of RFC 7797, b64 false listed in crit.  The Europass issuer seals ELM 3
 * credentials this way.  Verification and baseline-B sealing; see docs/signatures.md.
 * Internal to credconv. */
#ifndef CC_JADES_H
#define CC_JADES_H

#include "cc_sign.h"

#include <openssl/x509.h>

/* True when doc is a JWS in the JSON serialisation: {"payload", "signatures": [...]}
 * (general) or {"payload", "protected", "signature"} (flattened). */
bool cc_jades_is_jws_json(const json_t *doc);

/* Verifies the one signature of a JAdES JWS (doc, from cc_json_parse): the header rules
 * (alg RS256, PS256, ES256; crit understood and complete; b64), the x5c leaf's signature
 * over the protected header and the payload as it stands (b64 false) or base64url (b64
 * true), x5t#S256, sigT within the leaf's validity, each adoTst token's imprint and
 * signature; with o->ca_file the chain must reach one of its certificates at sigT, and each
 * TSA's too.  The key is bound to the issuer when o->key is the leaf's key (another key is
 * INVALID) or, with o->ca_file, when the trusted leaf names the issuer's eIDAS identifier.
 * Returns v->status. */
int cc_jades_verify(const json_t *doc, const cc_verify_opts *o, const char *name,
                    const cc_diag_sink *diag, cc_verdict *v);

/* The signing key's certificate (cert_file, PEM: the first certificate) then those of
 * chain_file (PEM, may be NULL), in order: the x5c of the seal.  The leaf's public key must
 * be key's.  NULL with e set. */
STACK_OF(X509) *cc_jades_load_certs(const char *cert_file, const char *chain_file, EVP_PKEY *key,
                                    cc_jose_err *e);

/* What the Europass issuer adds at sealing: cred's issuer gets an eIDASIdentifier whose
 * notation is the seal certificate's organizationIdentifier (2.5.4.97) and whose spatial is
 * the issuer's registration country, unless it has one.  0, or -1 (e set: the certificate
 * names no organisation, or the issuer has no registration). */
int cc_jades_eidas_issuer(json_t *cred, STACK_OF(X509) *certs, cc_jose_err *e);

typedef struct cc_jades_seal_opts {
    EVP_PKEY *key;                /* private: RSA (RS256, PS256) or P-256 (ES256) */
    const char *alg;              /* "RS256", "PS256", "ES256"; NULL: the key's default */
    STACK_OF(X509) *certs;        /* leaf first (cc_jades_load_certs) */
    const char *sigt;             /* "YYYY-MM-DDThh:mm:ssZ"; NULL: now */
} cc_jades_seal_opts;

/* A JAdES baseline-B seal of payload (a JSON credential, n bytes, UTF-8): the general JWS
 * JSON serialisation, one line of compact JSON, protected header {alg, typ jose+json,
 * x5t#S256, x5c, sigT, b64 false, crit [b64, sigT]}, the payload unencoded.  malloc'd, or
 * NULL with e set. */
char *cc_jades_seal(const char *payload, size_t n, const cc_jades_seal_opts *o, cc_jose_err *e);

#endif
