/* Signed inputs: the fuzzed JSON is signed inside the harness with fixed keys, then
 * verified, so every check that runs only after a valid signature sees fuzzed content:
 *  - VC-JWT as credconv signs it (cc_vcjwt_sign, ES256 and EdDSA), parsed and verified:
 *    claims against the credential, dates;
 *  - a compact JWS over the fuzzed bytes themselves (header {"alg":"ES256","typ":"JWT"}), so
 *    claims that contradict the credential, odd NumericDates and VC 1.1 "vc" payloads reach
 *    the claim checks (cc_vcjwt_sign would write consistent claims);
 *  - a Data Integrity proof (cc_di_sign, eddsa-rdfc-2022, a fixed `created`) verified with
 *    the same key: JSON-LD to RDF, RDFC-1.0, proof options.  The contexts are the corpus
 *    copies, each URL mapped to its file (as --map-url URL=FILE); without the corpus only
 *    inline contexts expand.  A document with a proof of its own is verified as it is.
 * The keys are test constants made for this harness (they sign nothing else): a P-256 JWK and
 * an Ed25519 seed.  They are built again on every call: a static key would be shared state. */
#include <string.h>

#include <openssl/evp.h>

#include "cc_fetch.h"
#include "cc_sign.h"
#include "fuzz_common.h"

static const char P256_JWK[] =
    "{\"kty\":\"EC\",\"crv\":\"P-256\",\"d\":\"jmwufTq3NX4NuHlZg1NRseRjaO7bXth2lgQqUIoqqug\","
    "\"x\":\"hk1BKPk3oywiAgORD2mm8Z0hLzVPkFF8HSSOCvS-l3U\","
    "\"y\":\"HUO2tloGoSX2vQFCoq8mrjBJSySfqGaj2-A6aKvfqIY\"}";
static const unsigned char ED25519_SEED[32] = "credconv fuzz_signed test seed!";

#define CTX "../shared/corpus/ob/contexts/"
static const cc_url_map CONTEXT_MAP[] = {
    {.prefix = "https://www.w3.org/ns/credentials/v2", .dir = CTX "validator-credentials-v2.jsonld"},
    {.prefix = "https://www.w3.org/ns/credentials/examples/v2", .dir = CTX "w3c-credentials-examples-v2.RECONSTRUCTED.json"},
    {.prefix = "https://www.w3.org/2018/credentials/v1", .dir = CTX "validator-2018-credentials-v1.jsonld"},
    {.prefix = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", .dir = CTX "ob-v3p0-context-3.0.3.json"},
    {.prefix = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json", .dir = CTX "ob-v3p0-context-3.0.2.json"},
    {.prefix = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json", .dir = CTX "ob-v3p0-context-3.0.1.json"},
    {.prefix = "https://purl.imsglobal.org/spec/ob/v3p0/context.json", .dir = CTX "ob-v3p0-context.json"},
    {.prefix = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json", .dir = CTX "validator-ob-v3p0-extensions.json"},
    {.prefix = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json", .dir = CTX "validator-clr-v2p0-2.0.1.json"},
    {.prefix = "https://purl.imsglobal.org/spec/clr/v2p0/context.json", .dir = CTX "validator-clr-v2p0.json"},
    {.prefix = "https://w3id.org/security/data-integrity/v1", .dir = CTX "validator-data-integrity-v1.jsonld"},
    {.prefix = "https://www.w3.org/ns/did/v1", .dir = CTX "validator-did-v1.jsonld"},
};

/* A fixed "now" inside the corpus credentials' validity, so runs are reproducible. */
enum { FUZZ_NOW = 1700000000 };

static EVP_PKEY *p256_key(void)
{
    cc_jose_err e = {0};
    json_t *jwk = json_loads(P256_JWK, 0, NULL);
    EVP_PKEY *k = cc_key_from_jwk(jwk, true, &e);
    json_decref(jwk);
    if (!k)
        __builtin_trap();
    return k;
}

static EVP_PKEY *ed25519_key(void)
{
    EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, ED25519_SEED,
                                               sizeof ED25519_SEED);
    if (!k)
        __builtin_trap();
    return k;
}

/* must_parse: credconv's own VC-JWT must parse again (else signer and parser disagree). */
static void verify_token(const char *token, bool must_parse, EVP_PKEY *k,
                         const cc_fetch_opts *fetch)
{
    cc_jws j;
    cc_jose_err e = {0};
    if (cc_jws_parse(token, strlen(token), &j, &e) != 0) {
        if (must_parse)
            __builtin_trap();
        return;
    }
    cc_verify_opts o = {.key = k, .key_file = "fuzz-key", .now = FUZZ_NOW, .fetch = fetch};
    cc_diag_sink ds = {.emit = fuzz_diag};
    cc_verdict v = {0};
    cc_vcjwt_verify(&j, &o, "fuzz", &ds, &v);
    cc_jws_free(&j);
}

/* credconv's VC-JWT signer, then its verifier. */
static void vcjwt(const json_t *cred, EVP_PKEY *k, const cc_fetch_opts *fetch)
{
    cc_vcjwt_sign_opts so = {.key = k, .embed_jwk = true};
    cc_diag_sink ds = {.emit = fuzz_diag};
    cc_jose_err e = {0};
    char *token = cc_vcjwt_sign(cred, &so, "fuzz", &ds, &e);
    if (token)
        verify_token(token, true, k, fetch);
    free(token);
}

/* The fuzzed bytes as the signed payload, whatever claims they carry. */
static void raw_jws(const uint8_t *data, size_t size, EVP_PKEY *k, const cc_fetch_opts *fetch)
{
    cc_jose_err e = {0};
    json_t *hdr = json_pack("{s:s, s:s}", "alg", "ES256", "typ", "JWT");
    char *token = hdr ? cc_jws_sign(hdr, data, size, k, CC_ALG_ES256, &e) : NULL;
    if (token)
        verify_token(token, false, k, fetch);
    free(token);
    json_decref(hdr);
}

static void data_integrity(const json_t *cred, EVP_PKEY *k, const cc_fetch_opts *fetch)
{
    cc_di_sign_opts so = {.key = k, .created = "2023-11-14T22:13:20Z", .fetch = fetch};
    cc_jose_err e = {0};
    json_t *signed_doc = cc_di_sign(cred, &so, &e);
    if (!signed_doc)
        return;
    cc_verify_opts o = {.key = k, .key_file = "fuzz-key", .now = FUZZ_NOW, .fetch = fetch};
    cc_diag_sink ds = {.emit = fuzz_diag};
    cc_verdict v = {0};
    /* What credconv signs, credconv verifies with the same key: a proof it makes and then
     * calls INVALID means signer and verifier read the document differently. */
    if (cc_di_verify(signed_doc, &o, "fuzz", &ds, &v) == 0)
        __builtin_trap();
    json_decref(signed_doc);
}

/* A document that has its own proof: verified as it is with the fixed key, so the proof's
 * members (proofValue decoding, created, purpose, the method) are fuzzed at full size. */
static void proof_as_given(const json_t *doc, EVP_PKEY *k, const cc_fetch_opts *fetch)
{
    cc_verify_opts o = {.key = k, .key_file = "fuzz-key", .now = FUZZ_NOW, .fetch = fetch};
    cc_diag_sink ds = {.emit = fuzz_diag};
    cc_verdict v = {0};
    cc_di_verify(doc, &o, "fuzz", &ds, &v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cc_fetch_opts fetch = CC_FETCH_DEFAULTS;
    fetch.maps = CONTEXT_MAP;
    fetch.nmaps = sizeof CONTEXT_MAP / sizeof CONTEXT_MAP[0];
    EVP_PKEY *ec = p256_key(), *ed = ed25519_key();
    json_t *cred = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    raw_jws(data, size, ec, &fetch);
    if (json_is_object(cred)) {
        vcjwt(cred, ec, &fetch);
        vcjwt(cred, ed, &fetch);
        if (!json_object_get(cred, "proof"))
            data_integrity(cred, ed, &fetch);
        else
            proof_as_given(cred, ed, &fetch);
    }
    json_decref(cred);
    EVP_PKEY_free(ec);
    EVP_PKEY_free(ed);
    (void)fuzz_format;
    return 0;
}
