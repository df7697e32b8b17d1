/* JOSE for credentials: base64url, compact JWS (RFC 7515), keys as PEM or JWK (RFC 7517),
 * and the three signature algorithms credconv signs and verifies: RS256, ES256, EdDSA
 * (Ed25519).  All cryptography goes through OpenSSL 3 EVP.  Internal to credconv.
 *
 * Errors: every function that can fail fills a cc_jose_err with a rule id (the same ids the
 * command prints, see docs/signatures.md) and a message. */
#ifndef CC_JOSE_H
#define CC_JOSE_H

#include <jansson.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stddef.h>

/* Limits: a token or key file larger than this is refused before any decoding. */
enum {
    CC_JWS_MAX_TOKEN = 16 * 1024 * 1024,  /* a credential may embed images as data: URIs */
    CC_JWS_MAX_HEADER = 16 * 1024,        /* alg, kid or jwk: a few hundred bytes */
    CC_KEY_MAX_FILE = 1024 * 1024,
};

typedef struct cc_jose_err {
    const char *rule;             /* e.g. "jws-alg-none"; NULL when no error */
    char msg[512];
} cc_jose_err;

void cc_jose_fail(cc_jose_err *e, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ------------------------------------------------------------ base64url */

/* Unpadded base64url of n bytes: malloc'd, NUL-terminated. */
char *cc_b64u_encode(const unsigned char *b, size_t n);
/* Strict decoding: base64url alphabet only, no padding, no white space, unused trailing
 * bits zero (so one token has one encoding).  malloc'd (plus a NUL byte); NULL when s is
 * not such a string. */
unsigned char *cc_b64u_decode(const char *s, size_t n, size_t *out_len);

/* ------------------------------------------------------------ algorithms */

typedef enum { CC_ALG_UNKNOWN = 0, CC_ALG_RS256, CC_ALG_ES256, CC_ALG_EDDSA } cc_alg;

/* "RS256", "ES256", "EdDSA" → the algorithm; CC_ALG_UNKNOWN otherwise. */
cc_alg cc_alg_from_name(const char *name);
const char *cc_alg_name(cc_alg a);
/* The algorithm a key signs with by default: RSA → RS256, P-256 → ES256, Ed25519 → EdDSA. */
cc_alg cc_alg_for_key(EVP_PKEY *k);
/* 0 when key k can make or check alg signatures; -1 with rule jws-alg-key-mismatch. */
int cc_alg_check_key(cc_alg a, EVP_PKEY *k, cc_jose_err *e);

/* ------------------------------------------------------------ keys */

/* PEM text: a private key (PKCS#8 or traditional), a public key (SPKI) or an X.509
 * certificate (its public key).  Encrypted private keys are refused, never prompted for. */
EVP_PKEY *cc_key_from_pem(const char *pem, size_t len, cc_jose_err *e);
/* A JWK: RSA (n, e [, d, p, q, dp, dq, qi]), EC P-256 (crv, x, y [, d]), OKP Ed25519
 * (crv, x [, d]).  Private members are loaded only when allow_private; otherwise their
 * presence is an error (rule jwk-private). */
EVP_PKEY *cc_key_from_jwk(const json_t *jwk, bool allow_private, cc_jose_err *e);
/* The public JWK of k (kty and its public members only); NULL on error. */
json_t *cc_jwk_public(EVP_PKEY *k, cc_jose_err *e);
bool cc_key_is_private(EVP_PKEY *k);
/* True when jwk holds private-key members (d, p, q, dp, dq, qi, oth, k). */
bool cc_jwk_has_private(const json_t *jwk);

/* A key file: PEM, a JWK, a JWKS with exactly one key, or an Open Badges 2.0
 * CryptographicKey ({"publicKeyPem": …}).  *id_out (may be NULL) receives the key's id
 * (JWK kid, or CryptographicKey id), malloc'd or NULL. */
EVP_PKEY *cc_key_load_file(const char *path, bool allow_private, char **id_out, cc_jose_err *e);

/* Reads a whole file of at most max bytes: malloc'd, NUL-terminated; NULL with errno. */
char *cc_read_file(const char *path, size_t max, size_t *len);

/* ------------------------------------------------------------ signatures */

/* Signs msg with k: *sig (malloc'd) in JOSE form (RS256: PKCS#1 v1.5; ES256: raw r‖s, 64
 * bytes; EdDSA: 64 bytes).  0, or -1. */
int cc_jws_sign_bytes(EVP_PKEY *k, cc_alg a, const unsigned char *msg, size_t n,
                      unsigned char **sig, size_t *siglen, cc_jose_err *e);
/* The checks cc_jws_sign_bytes makes first (alg suits k, RSA strong enough, k private): 0 or
 * -1; and the signing alone, for a caller that made them once. */
int cc_jws_sign_check(EVP_PKEY *k, cc_alg a, cc_jose_err *e);
int cc_jws_sign_checked(EVP_PKEY *k, cc_alg a, const unsigned char *msg, size_t n,
                        unsigned char **sig, size_t *siglen, cc_jose_err *e);
/* 1 the signature checks, 0 it does not (rule jws-signature), -1 error. */
int cc_jws_verify_bytes(EVP_PKEY *k, cc_alg a, const unsigned char *msg, size_t n,
                        const unsigned char *sig, size_t siglen, cc_jose_err *e);

/* ES256 signature forms: DER ECDSA-Sig-Value ⇄ JOSE raw r‖s (32 + 32 bytes). */
int cc_ecdsa_der_to_raw(const unsigned char *der, size_t n, unsigned char raw[64]);
unsigned char *cc_ecdsa_raw_to_der(const unsigned char raw[64], size_t *n);

/* ------------------------------------------------------------ compact JWS */

typedef struct cc_jws {
    json_t *header;               /* the protected header, a JSON object */
    cc_alg alg;
    unsigned char *payload;       /* decoded, NUL-terminated */
    size_t payload_len;
    unsigned char *sig;
    size_t sig_len;
    char *signing_input;          /* BASE64URL(header) "." BASE64URL(payload), as received */
    size_t signing_input_len;
    const json_t *claims;         /* the payload as JSON when the caller parsed it (its own, not
                                   * freed here), so that it is parsed once; NULL: not yet */
} cc_jws;

/* Parses a compact JWS (surrounding white space ignored) and applies the header rules:
 * alg present and not "none" (jws-alg-none), not HMAC (jws-alg-hmac), known
 * (jws-alg-unsupported); no crit entry (jws-crit: credconv understands no extension);
 * a header jwk holds no private member (jws-jwk-private).  0, or -1 (e set, j freed). */
int cc_jws_parse(const char *token, size_t len, cc_jws *j, cc_jose_err *e);
void cc_jws_free(cc_jws *j);
/* True when s looks like a compact JWS: three base64url parts, the first non-empty. */
bool cc_jws_looks(const char *s, size_t len);

/* Verifies j's signature with k (the alg must suit the key).  1, 0, -1 as above. */
int cc_jws_verify(const cc_jws *j, EVP_PKEY *k, cc_jose_err *e);

/* header (a JSON object, serialised compactly in its own key order) + payload bytes →
 * the compact JWS, malloc'd; NULL on error. */
char *cc_jws_sign(const json_t *header, const unsigned char *payload, size_t n, EVP_PKEY *k,
                  cc_alg a, cc_jose_err *e);

/* ------------------------------------------------------------ times */

/* The current time, from the clock (never SOURCE_DATE_EPOCH: a verification must not be
 * fooled by a build setting). */
long long cc_epoch_now(void);

#endif
