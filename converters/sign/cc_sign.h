/* Signing and verifying credentials: OB 3.0 VC-JWT, OB 2.0 signed assertions (compact JWS)
 * and the EDC 1.x XAdES e-seal.  Internal to credconv; see docs/signatures.md. */
#ifndef CC_SIGN_H
#define CC_SIGN_H

#include "cc_jose.h"
#include "credconv/credconv.h"

/* The keys a verification may use, all optional.  Borrowed by the verifiers. */
typedef struct cc_verify_opts {
    EVP_PKEY *key;                /* --key */
    const char *key_file;
    const char *key_id;           /* the key file's kid, or OB 2.0 CryptographicKey id */
    const json_t *jwks;           /* --jwks: {"keys": [...]} */
    const char *jwks_file;
    const json_t *issuer_profile; /* --issuer-profile: OB 2.0 issuer Profile */
    const json_t *revocation_list;/* --revocation-list: OB 2.0 RevocationList */
    long long now;                /* seconds since the epoch */
    const struct cc_fetch_opts *fetch; /* --fetch / --map-url: kid URLs, OB 2.0 keys */
    bool accept_unbound;          /* --accept-unbound-key: a valid signature by a key not shown
                                   * to be the issuer's still exits 0 (with a warning) */
    const char *ca_file;          /* --ca: trusted certificates (PEM) for JAdES seals and their
                                   * timestamps; NULL: certificate trust not evaluated */
    const struct cc_status_files *status_files;  /* --status-list-file (converters/status/) */
    bool quiet;                   /* verify -q: warnings not printed (errors and verdicts are) */
} cc_verify_opts;

/* What one verification found, for the command's one-line summary. */
typedef struct cc_verdict {
    int status;                   /* 1 valid, 0 invalid, -1 not checked (no key, unsupported) */
    /* The key is shown to be the issuer's: given for it (--key, --jwks), the issuer's id is
     * that did:key, or the issuer's own DID / controller document / OB 2.0 Profile lists it
     * for signing credentials.  A verifier sets it only on such evidence; status 1 without
     * it is reported as key-not-bound (exit 1) unless accept_unbound. */
    bool bound;
    char binding[1000];           /* how the key was bound, or why it is not ("" unknown) */
    const char *kind;             /* "VC-JWT", "OB 2.0 signed assertion", "EDC e-seal" */
    char checked[768];            /* what was checked and found good */
    char unchecked[1600];         /* what was not evaluated */
    char reason[64];              /* the rule of the first error, for the summary line */
} cc_verdict;

/* Appends "; "-separated text to a verdict field. */
void cc_verdict_add(char *field, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define CC_VERDICT_ADD(v, field, ...) cc_verdict_add((v)->field, sizeof (v)->field, __VA_ARGS__)

/* ------------------------------------------------------------ OB 3.0 VC-JWT */

/* What every token of a run signed with the same options shares, made on the first token
 * and reused (owned by the caller, for the run): the key's algorithm checked, the encoded
 * header, the key found strong enough and private.  A check that fails is not kept, so
 * every token reports it as before. */
typedef struct cc_vcjwt_prep {
    cc_alg alg;                   /* CC_ALG_UNKNOWN: not checked yet */
    char *header;                 /* base64url of the header JSON, or NULL */
    bool key_ok;                  /* strong enough and private (cc_jws_sign_bytes' checks) */
} cc_vcjwt_prep;
void cc_vcjwt_prep_free(cc_vcjwt_prep *p);

typedef struct cc_vcjwt_sign_opts {
    EVP_PKEY *key;                /* private */
    cc_alg alg;                   /* CC_ALG_UNKNOWN: from the key */
    const char *kid;              /* header kid, or NULL */
    bool embed_jwk;               /* header jwk (the public key) */
    cc_vcjwt_prep *prep;          /* the run's, for these same options; NULL: per token */
} cc_vcjwt_sign_opts;

/* credential (a JSON object) → VC-JWT: header {alg, typ, kid | jwk}; payload the credential
 * plus iss (issuer id), jti (id), sub (credentialSubject.id), nbf (validFrom), exp
 * (validUntil).  Missing optional claims are reported through diag as warnings.
 * malloc'd token, or NULL (e set). */
char *cc_vcjwt_sign(const json_t *credential, const cc_vcjwt_sign_opts *o, const char *name,
                    const cc_diag_sink *diag, cc_jose_err *e);

/* Verifies a parsed VC-JWT: the signature (key from --key, --jwks by kid, or the header
 * jwk), then the claims against the credential, then the times.  Diagnostics go to diag;
 * returns v->status. */
int cc_vcjwt_verify(const cc_jws *j, const cc_verify_opts *o, const char *name,
                    const cc_diag_sink *diag, cc_verdict *v);

/* ------------------------------------------------------------ OB 2.0 signed assertions */

/* payload (the assertion JSON bytes, signed as they are) → compact JWS, header {"alg":
 * "RS256"}.  The assertion must say verification.type SignedBadge. */
char *cc_ob2_sign(const char *payload, size_t len, EVP_PKEY *key, const char *name,
                  const cc_diag_sink *diag, cc_jose_err *e);

/* Verifies a parsed OB 2.0 signed assertion: RS256; the key (--key alone when given, else
 * the creator's, bound only when the Profile at the BadgeClass's issuer IRI lists it and is
 * its owner); signature, revocation list, dates.  Returns v->status. */
int cc_ob2_verify(const cc_jws *j, const cc_verify_opts *o, const char *name,
                  const cc_diag_sink *diag, cc_verdict *v);

/* True when a JSON document is an OB 2.0 assertion (context or type). */
bool cc_is_ob2_assertion(const json_t *doc);

/* ------------------------------------------------------------ EDC XAdES e-seal */

/* Process-wide set-up of libxmlsec1 (call once, after xmlInitParser); 0 or -1. */
int cc_xmlsec_init(void);
void cc_xmlsec_shutdown(void);

/* Verifies the enveloped XAdES signature in the proof of an EDC 1.x credential or
 * presentation (the bytes of the document), and that the document holds nothing the seal
 * does not cover.  The key is bound to the issuer when o->key (may be NULL) is the embedded
 * certificate's; a different o->key is INVALID.  Returns v->status. */
int cc_edc_verify(const char *xml, size_t len, const char *name, const cc_verify_opts *o,
                  const cc_diag_sink *diag, cc_verdict *v);

/* ------------------------------------------------------------ Data Integrity proofs */

/* Verifies the embedded proofs of a JSON-LD credential (DataIntegrityProof, cryptosuite
 * eddsa-rdfc-2022; other kinds are reported as not checked).  The contexts and any fetched
 * key come through o->fetch (--map-url, --fetch).  Returns v->status: 1 when every proof it
 * can check is valid and one at least was, 0 when one is not, -1 when none could be checked. */
int cc_di_verify(const json_t *doc, const cc_verify_opts *o, const char *name,
                 const cc_diag_sink *diag, cc_verdict *v);

/* The credentials nested in doc (credentialSubject.verifiableCredential, as in CLR 2.0): each
 * one's embedded proofs verified with cc_di_verify after the outer signature.  One that
 * fails sets v->status 0 (reason nested-invalid, an error naming it); one valid by a key not
 * bound to its issuer clears v->bound; one without a proof is listed as not evaluated.
 * Returns how many there are. */
int cc_verify_nested(const json_t *doc, const cc_verify_opts *o, const char *name,
                     const cc_diag_sink *diag, cc_verdict *v);

typedef struct cc_di_sign_opts {
    EVP_PKEY *key;                     /* Ed25519, private */
    const char *verification_method;   /* NULL: did:key:<key>#<key>, only when that DID is
                                        * the issuer's id (else di-kid: give --kid) */
    const char *created;               /* ISO 8601 date-time; NULL: now (cc_now) */
    const struct cc_fetch_opts *fetch; /* where the contexts come from */
} cc_di_sign_opts;

/* The credential (which has no proof yet) with an eddsa-rdfc-2022 DataIntegrityProof added
 * as a one-element "proof" array: a new reference, or NULL (e set). */
json_t *cc_di_sign(const json_t *credential, const cc_di_sign_opts *o, cc_jose_err *e);
/* The same as one line of compact JSON (malloc'd), as sign and convert --sign write it. */
char *cc_di_sign_line(const json_t *credential, const cc_di_sign_opts *o, cc_jose_err *e);
/* How to publish the controller document that binds kid (NULL: ISSUER#key-1, the --kid to
 * give) to the credential's issuer, for the signer: malloc'd text, or NULL when the issuer's
 * id has no controller document URL (a did:key, another DID method). */
char *cc_di_publish_hint(const json_t *credential, const char *kid, EVP_PKEY *key);

/* ------------------------------------------------------------ the commands */

/* A private key that can sign (RSA of 2048 bits or more, P-256, Ed25519), loaded from a
 * file; NULL after reporting why not. */
EVP_PKEY *cc_sign_key_load(const char *path);

/* The cores of sign and verify (converters/sign/sign_cmd.c), which the library's
 * cc_sign_buffer and cc_verify_buffer (converters/api/api.c) call too.  cc_sign_text: one
 * JSON document (NUL-terminated at len) signed as `sign` signs it: a malloc'd token or JSON
 * line, or NULL after an error reported to diag (e has its rule); prep: the run's VC-JWT
 * header and key checks, made once (NULL: per token).  cc_verify_text: one
 * document (NUL-terminated at len) verified as `verify` verifies an input that is one
 * document, the key binding rule applied, diagnostics to diag (NULL: stderr); 0 valid
 * (v->status 1), 1 not. */
struct cc_sig_options;
char *cc_sign_text(const char *text, size_t len, const char *where, const struct cc_sig_options *a,
                   const struct cc_fetch_opts *fetch, EVP_PKEY *key, cc_alg alg, cc_vcjwt_prep *prep,
                   const cc_diag_sink *diag, cc_jose_err *e);
int cc_verify_text(const char *text, size_t len, const char *name, const cc_verify_opts *o,
                   const cc_diag_sink *diag, cc_verdict *v);

#endif
