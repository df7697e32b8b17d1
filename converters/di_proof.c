/* Data Integrity proofs with the cryptosuite eddsa-rdfc-2022 (reference ob.md §3.7): what
 * OB 3.0 and CLR 2.0 embed in a credential's "proof".
 *
 *   data = SHA-256(RDFC-1.0(proof options with the credential's @context))
 *        ‖ SHA-256(RDFC-1.0(the credential without its proof)),
 *   proofValue = "z" + base58btc(Ed25519(data)).
 *
 * The JSON-LD contexts are read through --map-url or --fetch only (converters/fetch.c): a
 * credential whose contexts cannot be had is NOT CHECKED, never guessed at. */
#include "cc_fetch.h"
#include "cc_issue.h"
#include "cc_multikey.h"
#include "cc_rdf.h"
#include "cc_sign.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#define SUITE "eddsa-rdfc-2022"

/* SHA-256 of the RDFC-1.0 canonical N-Quads of doc. */
static int canon_hash(const json_t *doc, cc_jsonld_cache *c, unsigned char out[32], char *err,
                      size_t errlen)
{
    cc_rdf_dataset *ds = cc_rdf_new();
    char *canon = NULL;
    unsigned int n = 0;
    if (ds && cc_jsonld_to_rdf(doc, cc_jsonld_cache_load, c, ds, err, errlen) == 0)
        canon = cc_rdfc_canonize(ds, 0, NULL, err, errlen);
    int rc = canon && EVP_Digest(canon, strlen(canon), out, &n, EVP_sha256(), NULL) && n == 32 ? 0 : -1;
    free(canon);
    cc_rdf_free(ds);
    return rc;
}

/* proofHash ‖ docHash for proof (its proofValue left out) over doc (its proof left out). */
static int signed_data(const json_t *doc, const json_t *proof, const cc_fetch_opts *fetch,
                       unsigned char data[64], char *err, size_t errlen)
{
    json_t *u = json_deep_copy(doc), *o = json_deep_copy(proof);
    cc_jsonld_cache c;  /* one for both: they name the same contexts */
    cc_jsonld_cache_init(&c, fetch);
    int rc = -1;
    if (u && o && c.docs) {
        json_object_del(u, "proof");
        json_object_del(o, "proofValue");
        json_object_set(o, "@context", json_object_get(u, "@context"));
        rc = canon_hash(o, &c, data, err, errlen) || canon_hash(u, &c, data + 32, err, errlen) ? -1 : 0;
    }
    json_decref(u), json_decref(o);
    cc_jsonld_cache_free(&c);
    return rc;
}

static const char *issuer_id(const json_t *doc)
{
    const json_t *iss = json_object_get(doc, "issuer");
    return json_is_string(iss) ? json_string_value(iss) : json_string_value(json_object_get(iss, "id"));
}

/* ------------------------------------------------------------ keys */

typedef struct found_key {
    EVP_PKEY *key;
    char how[300];                /* for the verdict: where the key came from */
    bool bound;                   /* the key is shown to be the issuer's */
} found_key;

/* The entry of a controller document (or the document itself) that is the method vm. */
static const json_t *method_in(const json_t *doc, const char *vm)
{
    const char *id = json_string_value(json_object_get(doc, "id"));
    if (json_object_get(doc, "publicKeyMultibase") && (!id || !strcmp(id, vm)))
        return doc;
    const json_t *list = json_object_get(doc, "verificationMethod");
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *m = json_array_get(list, i);
        const char *mid = json_string_value(json_object_get(m, "id"));
        const char *frag = strchr(vm, '#');
        if (mid && (!strcmp(mid, vm) || (frag && !strcmp(mid, frag))))
            return m;
    }
    return NULL;
}

/* Where the document of verification method vm is: its URL without the fragment, or for a
 * did:web the DID document's URL (did:web:host[:path…] → https://host/path…/did.json, or
 * https://host/.well-known/did.json; %3A in the host is a port). */
static void document_url(const char *vm, char *url, size_t cap)
{
    size_t n = strcspn(vm, "#");
    if (strncmp(vm, "did:web:", 8) != 0) {
        snprintf(url, cap, "%.*s", (int)n, vm);
        return;
    }
    char id[1024];
    snprintf(id, sizeof id, "%.*s", (int)(n - 8 < sizeof id ? n - 8 : sizeof id - 1), vm + 8);
    char *port = strstr(id, "%3A");
    if (port)
        memmove(port + 1, port + 3, strlen(port + 3) + 1), *port = ':';
    bool path = false;
    for (char *c = id; *c; c++)
        if (*c == ':' && c != port)
            *c = '/', path = true;
    snprintf(url, cap, "https://%s%s", id, path ? "/did.json" : "/.well-known/did.json");
}

/* A verification method served at its URL (--fetch / --map-url): a Multikey document, or a
 * controller document (a DID document) listing it. */
static EVP_PKEY *fetched_key(const char *vm, const char *url, const cc_fetch_opts *fetch,
                             const char **controller, json_t **holder, cc_jose_err *e)
{
    char why[300];
    json_t *doc = cc_fetch_json(fetch, url, NULL, why, sizeof why);
    const json_t *m = method_in(doc, vm);
    const char *mb = json_string_value(json_object_get(m, "publicKeyMultibase"));
    EVP_PKEY *k = mb ? cc_multikey_public(mb, e) : NULL;
    if (!doc)
        cc_jose_fail(e, "di-no-key", "the key %.300s cannot be read from %.300s: %s", vm, url, why);
    else if (!mb)
        cc_jose_fail(e, "di-no-key", "%.300s does not serve the Multikey %.300s", url, vm);
    *controller = json_string_value(json_object_get(m, "controller"));
    *holder = doc;  /* *controller points into it */
    return k;
}

/* A key named by URL (did:web included), read with --fetch or --map-url. */
static void fetch_key(const char *vm, const cc_verify_opts *o, found_key *f,
                      cc_jose_err *e)
{
    char url[2048];
    document_url(vm, url, sizeof url);
    if (!strncmp(vm, "did:", 4) && strncmp(vm, "did:web:", 8)) {
        cc_jose_fail(e, "di-no-key", "%.300s: credconv resolves did:key and did:web, not this DID "
                     "method (give the key with --key)", vm);
    } else if (!o->fetch || !cc_fetch_possible(o->fetch, url)) {
        cc_jose_fail(e, "di-no-key", "the key %.300s is not fetched: give --fetch (or --map-url), or "
                     "the key with --key", vm);
    } else {
        const char *controller = NULL;
        json_t *holder = NULL;
        f->key = fetched_key(vm, url, o->fetch, &controller, &holder, e);
        /* the method's own document naming the issuer as its controller proves nothing:
         * whoever serves it writes that field */
        f->bound = false;
        snprintf(f->how, sizeof f->how, "key fetched from %.200s", url);
        json_decref(holder);
    }
}

/* The key of verificationMethod vm: --key, a did:key, a URI whose fragment is the Multikey
 * itself (as the 1EdTech validator accepts), or the method fetched from its URL. */
static int find_key(const char *vm, const json_t *doc, const cc_verify_opts *o, found_key *f,
                    cc_jose_err *e)
{
    const char *iss = issuer_id(doc), *frag = strchr(vm, '#');
    if (o->key) {
        f->key = EVP_PKEY_dup(o->key);
        f->bound = true;
        snprintf(f->how, sizeof f->how, "key from %s", o->key_file);
    } else if (!strncmp(vm, "did:key:", 8)) {
        f->key = cc_did_key_public(vm, e);
        f->bound = cc_did_of(iss, vm);
        snprintf(f->how, sizeof f->how, "did:key%s", f->bound ? ", which is the issuer's id" : "");
    } else if (frag && !strncmp(frag + 1, "z6Mk", 4)) {
        f->key = cc_multikey_public(frag + 1, e);
        snprintf(f->how, sizeof f->how, "the Multikey in the fragment of %.200s", vm);
    } else {
        fetch_key(vm, o, f, e);
    }
    if (f->key && !EVP_PKEY_is_a(f->key, "ED25519")) {
        cc_jose_fail(e, "di-key", "eddsa-rdfc-2022 needs an Ed25519 key");
        EVP_PKEY_free(f->key);
        f->key = NULL;
    }
    return f->key ? 0 : -1;
}

/* ------------------------------------------------------------ verify */

static int ed25519_verify(EVP_PKEY *k, const unsigned char *sig, size_t siglen,
                          const unsigned char *data, size_t n)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = md && EVP_DigestVerifyInit(md, NULL, NULL, NULL, k) == 1 &&
             EVP_DigestVerify(md, sig, siglen, data, n) == 1;
    EVP_MD_CTX_free(md);
    return ok;
}

/* The suite a proof uses, when credconv checks it: eddsa-rdfc-2022, or one of two older
 * names for the same computation (Ed25519 over the SHA-256 of URDNA2015 forms, the algorithm
 * RDFC-1.0 standardised) that the 1EdTech validator accepts with a warning. */
static const char *suite_of(const json_t *p)
{
    const char *type = json_string_value(json_object_get(p, "type"));
    const char *suite = json_string_value(json_object_get(p, "cryptosuite"));
    if (type && !strcmp(type, "Ed25519Signature2020") && !suite)
        return type;
    if (type && !strcmp(type, "DataIntegrityProof") && suite &&
        (!strcmp(suite, SUITE) || !strcmp(suite, "eddsa-2022")))
        return suite;
    return NULL;
}

/* The proof's own fields: 0 when it is an assertion proof of a suite credconv checks, with a
 * 64-byte signature (into sig); 1 when it is of another kind; -1 when it is broken. */
static int proof_fields(const json_t *p, unsigned char sig[64], cc_jose_err *e)
{
    const char *type = json_string_value(json_object_get(p, "type"));
    const char *suite = json_string_value(json_object_get(p, "cryptosuite"));
    const char *purpose = json_string_value(json_object_get(p, "proofPurpose"));
    const char *value = json_string_value(json_object_get(p, "proofValue"));
    size_t n = 0;
    unsigned char raw[80];
    if (!suite_of(p)) {
        cc_jose_fail(e, "proof-unsupported", "a %.64s proof%s%.64s is not verified by credconv (only "
                     "DataIntegrityProof with " SUITE ", and the legacy eddsa-2022 and "
                     "Ed25519Signature2020)", type ? type : "untyped",
                     suite ? " with cryptosuite " : "", suite ? suite : "");
        return 1;
    }
    if (!purpose || strcmp(purpose, "assertionMethod"))
        cc_jose_fail(e, "di-purpose", "proofPurpose is %.64s, not assertionMethod", purpose ? purpose : "missing");
    else if (!value || value[0] != 'z' || cc_base58_decode(value + 1, raw, sizeof raw, &n) || n != 64)
        cc_jose_fail(e, "di-proof-value", "proofValue is not \"z\" + base58btc of a 64-byte signature");
    else if (!json_is_string(json_object_get(p, "verificationMethod")))
        cc_jose_fail(e, "di-no-key", "the proof names no verificationMethod");
    else
        memcpy(sig, raw, 64);
    return e->rule ? -1 : 0;
}

/* One proof: 1 valid, 0 invalid, -1 not checked; e says why when not 1. */
static int verify_proof(const json_t *doc, const json_t *p, const cc_verify_opts *o,
                        cc_verdict *v, cc_jose_err *e)
{
    const char *suite = suite_of(p);
    unsigned char sig[64], data[64];
    int f = proof_fields(p, sig, e);
    if (f)
        return f > 0 || !strcmp(e->rule, "di-no-key") ? -1 : 0;
    const char *vm = json_string_value(json_object_get(p, "verificationMethod"));
    found_key k = {0};
    char err[512] = "";
    if (find_key(vm, doc, o, &k, e))
        return -1;
    int rc = -1;
    if (signed_data(doc, p, o->fetch, data, err, sizeof err)) {
        cc_jose_fail(e, "di-jsonld", "%s", *err ? err : "the credential cannot be canonicalised");
    } else if (!ed25519_verify(k.key, sig, 64, data, 64)) {
        cc_jose_fail(e, "di-signature", "the signature does not match: the credential or its proof "
                     "changed after signing, or another key signed it");
        rc = 0;
    } else {
        rc = 1;
        CC_VERDICT_ADD(v, checked, "signature valid (%s%s, %s)", suite,
                       strcmp(suite, SUITE) ? ", a legacy suite" : "", k.how);
        if (k.bound && !v->bound) {
            v->bound = true;
            snprintf(v->binding, sizeof v->binding, "%.250s", k.how);
        } else if (!k.bound && !*v->binding) {
            snprintf(v->binding, sizeof v->binding, "%.200s is not shown to be the issuer's", k.how);
        }
    }
    EVP_PKEY_free(k.key);
    return rc;
}

int cc_di_verify(const json_t *doc, const cc_verify_opts *o, const char *name,
                 const cc_diag_sink *diag, cc_verdict *v)
{
    const json_t *proofs = json_object_get(doc, "proof");
    size_t n = json_is_array(proofs) ? json_array_size(proofs) : 1;
    int valid = 0, invalid = 0;
    v->kind = "Data Integrity proof";
    for (size_t i = 0; i < n; i++) {
        const json_t *p = json_is_array(proofs) ? json_array_get(proofs, i) : proofs;
        cc_jose_err e = {0};
        int r = json_is_object(p) ? verify_proof(doc, p, o, v, &e) : -1;
        if (!json_is_object(p))
            cc_jose_fail(&e, "di-proof", "a proof is a JSON object");
        valid += r == 1, invalid += r == 0;
        if (r != 1) {
            cc_diagf(diag, r == 0 ? CC_ERROR : CC_WARNING, name, 0, 0, issuer_id(doc), e.rule, "%s", e.msg);
            if (!*v->reason)
                snprintf(v->reason, sizeof v->reason, "%s", e.rule);
        }
    }
    if (valid && !invalid)
        CC_VERDICT_ADD(v, unchecked, "credential status, certificate or DID trust");
    v->status = invalid ? 0 : valid ? 1 : -1;
    return v->status;
}

/* ------------------------------------------------------------ sign */

json_t *cc_di_sign(const json_t *credential, const cc_di_sign_opts *o, cc_jose_err *e)
{
    char *mk = cc_multikey_encode(o->key), *vm = NULL, err[512] = "", now[21];
    unsigned char data[64], sig[64];
    size_t siglen = sizeof sig;
    if (!mk || json_object_get(credential, "proof")) {
        cc_jose_fail(e, "di-key", mk ? "the credential already has a proof" : SUITE " signs with an Ed25519 key");
        free(mk);
        return NULL;
    }
    if (!o->verification_method && asprintf(&vm, "did:key:%s#%s", mk, mk) < 0)
        vm = NULL;
    json_t *proof = json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "DataIntegrityProof",
                              "created", o->created ? o->created : (cc_now(now), now), "verificationMethod",
                              o->verification_method ? o->verification_method : vm ? vm : "",
                              "cryptosuite", SUITE, "proofPurpose", "assertionMethod");
    json_t *out = NULL;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!proof || signed_data(credential, proof, o->fetch, data, err, sizeof err))
        cc_jose_fail(e, "di-jsonld", "%s", *err ? err : "the credential cannot be canonicalised");
    else if (!md || EVP_DigestSignInit(md, NULL, NULL, NULL, o->key) != 1 ||
             EVP_DigestSign(md, sig, &siglen, data, sizeof data) != 1 || siglen != 64)
        cc_jose_fail(e, "di-sign", "Ed25519 signing failed");
    else
        out = json_deep_copy(credential);
    char *b58 = out ? cc_base58_encode(sig, 64) : NULL;
    if (out && b58) {
        char value[128];
        snprintf(value, sizeof value, "z%s", b58);
        json_object_set_new(proof, "proofValue", json_string(value));
        json_object_set_new(out, "proof", json_pack("[O]", proof));  /* OB 3.0: always an array */
    } else if (out) {
        json_decref(out);
        out = NULL;
        cc_jose_fail(e, "di-sign", "out of memory");
    }
    EVP_MD_CTX_free(md);
    free(b58), free(mk), free(vm);
    json_decref(proof);
    return out;
}

char *cc_di_sign_line(const json_t *credential, const cc_di_sign_opts *o, cc_jose_err *e)
{
    json_t *out = cc_di_sign(credential, o, e);
    char *line = out ? json_dumps(out, JSON_COMPACT) : NULL;
    json_decref(out);
    return line;
}
