/* Data Integrity proofs with the cryptosuite eddsa-rdfc-2022 (docs/references.md ob §3.7): what
 * OB 3.0 and CLR 2.0 embed in a credential's "proof".
 *
 *   data = SHA-256(RDFC-1.0(proof options with the credential's @context))
 *        ‖ SHA-256(RDFC-1.0(the credential without its proof)),
 *   proofValue = "z" + base58btc(Ed25519(data)).
 *
 * The JSON-LD contexts are read through --map-url or --fetch only (converters/util/fetch.c): a
 * credential whose contexts cannot be had is NOT CHECKED, never guessed at. */
#include "cc_controller.h"
#include "cc_jsonfast.h"
#include "cc_jsonld_terms.h"
#include "cc_fetch.h"
#include "cc_issue.h"
#include "cc_multikey.h"
#include "cc_rdf.h"
#include "cc_sign.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUITE "eddsa-rdfc-2022"
/* A proof created up to 5 minutes ahead of this machine's clock is accepted (clocks drift;
 * docs/signatures.md); later than that it is not yet valid. */
#define CC_DI_CLOCK_SKEW 300
/* base58 of 64 bytes: at most ceil(64 × log 256 / log 58) = 88 digits. */
#define CC_DI_MAX_B58_SIG 88
#define CC_DI_CONTEXT "https://w3id.org/security/data-integrity/v2"

#define CRED_ISSUER "https://www.w3.org/2018/credentials#issuer"

/* The issuer as the signed RDF names it: the one IRI object of credentials#issuer in the
 * default graph; "" when there is none, or several, or a blank node (then no controller
 * document can speak for it). */
static void rdf_issuer(const cc_rdf_dataset *ds, char *out, size_t cap)
{
    const char *found = NULL;
    bool many = false;
    for (size_t i = 0; i < cc_rdf_count(ds); i++) {
        const cc_rdf_quad *q = cc_rdf_get(ds, i);
        if (q->g.kind != CC_RDF_NONE || strcmp(q->p.value, CRED_ISSUER))
            continue;
        if (q->o.kind != CC_RDF_IRI || (found && strcmp(found, q->o.value)))
            many = true;
        found = q->o.value;
    }
    snprintf(out, cap, "%s", found && !many ? found : "");
}

/* SHA-256 of the RDFC-1.0 canonical N-Quads of ds; issuer (may be NULL) receives the
 * signed issuer.  0 or -1. */
static int dataset_hash(const cc_rdf_dataset *ds, unsigned char out[32], char *issuer, size_t icap,
                        char *err, size_t errlen)
{
    unsigned int n = 0;
    char *canon = cc_rdfc_canonize(ds, 0, NULL, err, errlen);
    if (issuer)
        rdf_issuer(ds, issuer, icap);
    int rc = canon && EVP_Digest(canon, strlen(canon), out, &n, EVP_sha256(), NULL) && n == 32 ? 0 : -1;
    free(canon);
    return rc;
}

/* SHA-256 of the RDFC-1.0 canonical N-Quads of doc, in JSON-LD safe mode (anything the
 * processor would drop is an error, -2: it would not be signed).  issuer (may be NULL)
 * receives the signed issuer. */
static int canon_hash(const json_t *doc, cc_jsonld_cache *c, cc_jsonld_run *run, unsigned char out[32],
                      char *issuer, size_t icap, char *err, size_t errlen)
{
    cc_rdf_dataset *ds = cc_rdf_new();
    int rc = ds ? cc_jsonld_to_rdf_run(doc, cc_jsonld_cache_load, c, true, run, ds, err, errlen) : -1;
    if (rc == 0)
        rc = dataset_hash(ds, out, issuer, icap, err, errlen);
    cc_rdf_free(ds);
    return rc;
}

/* canon_hash of doc without its proof.  With a run, from one expansion of the whole document
 * (cc_jsonld_to_rdf_split), which also tells whether the reader's terms check of this very
 * document would report anything: when it would not, the run is told so, and the reader
 * does not expand and convert the document again (issue 17: one conversion per document).
 * Where the split cannot stand for it, the credential without its proof is converted as
 * ever. */
static int doc_hash(const json_t *doc, cc_jsonld_cache *c, cc_jsonld_run *run, unsigned char out[32],
                    char *issuer, size_t icap, char *err, size_t errlen)
{
    cc_rdf_dataset *ds = run && json_object_get(doc, "proof") ? cc_rdf_new() : NULL;
    bool clean = false;
    if (ds && cc_jsonld_to_rdf_split(doc, "proof", cc_jsonld_cache_load, c, run, ds, &clean, err, errlen) == 0) {
        int rc = dataset_hash(ds, out, issuer, icap, err, errlen);
        if (rc == 0 && clean)
            cc_jsonld_terms_vouch(run, doc);
        cc_rdf_free(ds);
        return rc;
    }
    cc_rdf_free(ds);
    if (!json_object_get(doc, "proof"))  /* signing: the credential is converted as it is */
        return canon_hash(doc, c, run, out, issuer, icap, err, errlen);
    json_t *u = json_deep_copy(doc);
    if (!u)
        return -1;
    json_object_del(u, "proof");
    int rc = canon_hash(u, c, run, out, issuer, icap, err, errlen);
    json_decref(u);
    return rc;
}

enum { SD_OK = 0, SD_ERROR = -1, SD_PROOF_DROPPED = -2, SD_DOC_DROPPED = -3 };

/* proofHash ‖ docHash for proof (its proofValue left out) over doc (its proof left out);
 * issuer receives the signed issuer.  SD_*. */
static int signed_data(const json_t *doc, const json_t *proof, const cc_fetch_opts *fetch,
                       unsigned char data[64], char *issuer, size_t icap, char *err, size_t errlen)
{
    json_t *o = json_deep_copy(proof);
    /* The run's contexts when main made them, else one cache for both (the same contexts) */
    cc_jsonld_run *run = fetch ? fetch->jsonld : NULL;
    cc_jsonld_cache own = {0}, *c = run ? cc_jsonld_run_cache(run, fetch) : &own;
    if (!run)
        cc_jsonld_cache_init(&own, fetch);
    int rc = SD_ERROR;
    if (o && c->docs) {
        json_object_del(o, "proofValue");
        json_object_set(o, "@context", json_object_get(doc, "@context"));
        int r = canon_hash(o, c, run, data, NULL, 0, err, errlen);
        if (r == 0)
            r = doc_hash(doc, c, run, data + 32, issuer, icap, err, errlen);
        else if (r == -2)
            r = -4;  /* the proof's */
        rc = r == 0 ? SD_OK : r == -4 ? SD_PROOF_DROPPED : r == -2 ? SD_DOC_DROPPED : SD_ERROR;
    }
    json_decref(o);
    if (!run)
        cc_jsonld_cache_free(&own);
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
    char binding[640];            /* how it is bound, or why not */
} found_key;

/* The entry of a document (or the document itself) that is the method vm. */
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

static EVP_PKEY *method_key(const json_t *m, const char *vm, const char *url, cc_jose_err *e)
{
    const char *mb = json_string_value(json_object_get(m, "publicKeyMultibase"));
    if (!mb)
        cc_jose_fail(e, "di-no-key", "%.300s does not give the Multikey %.300s", url, vm);
    return mb ? cc_multikey_public(mb, e) : NULL;
}

/* The method read from its own URL (--fetch / --map-url): integrity only, its document
 * cannot say whose key it is. */
static void fetch_key(const char *vm, const cc_verify_opts *o, found_key *f, cc_jose_err *e)
{
    char url[2048], why[300];
    if (!cc_controller_url(vm, url, sizeof url)) {
        cc_jose_fail(e, "di-no-key", "%.300s: credconv resolves did:key and did:web, not this DID "
                     "method (give the key with --key)", vm);
    } else if (!o->fetch || !cc_fetch_possible(o->fetch, url)) {
        cc_jose_fail(e, "di-no-key", "the key %.300s is not fetched: give --fetch (or --map-url), or "
                     "the key with --key", vm);
    } else {
        json_t *doc = cc_fetch_json(o->fetch, url, NULL, why, sizeof why);
        if (!doc)
            cc_jose_fail(e, "di-no-key", "the key %.300s cannot be read from %.300s: %s", vm, url, why);
        else
            f->key = method_key(method_in(doc, vm), vm, url, e);
        snprintf(f->how, sizeof f->how, "key fetched from %.200s", url);
        json_decref(doc);
    }
}

/* A key the issuer's controller document does not bind: a Multikey in the fragment (as the
 * 1EdTech validator accepts), or the method's own document. */
static void unbound_key(const char *vm, const cc_verify_opts *o, found_key *f, cc_jose_err *e)
{
    const char *frag = strchr(vm, '#');
    if (frag && !strncmp(frag + 1, "z6Mk", 4)) {
        f->key = cc_multikey_public(frag + 1, e);
        snprintf(f->how, sizeof f->how, "the Multikey in the fragment of %.200s", vm);
    } else {
        fetch_key(vm, o, f, e);
    }
}

/* The run's keys bound by controller documents, so that 10,000 credentials of one issuer
 * read, parse and check its document and decode the key once.  An entry is used only for
 * the same method id and the same issuer (hence the same controller document URL, read
 * through the same fetch options for the whole run, whose fetch cache answers a URL the
 * same way all run long): the verdict, how and binding are those the first lookup gave. */
typedef struct key_entry {
    char *issuer, *vm;            /* malloc'd */
    EVP_PKEY *key;                /* a reference of the cache's own */
    bool bound;
    char how[300], binding[640];
    struct key_entry *next;
} key_entry;

#define KEY_CACHE_MAX 256         /* entries per run: past that, looked up every time */

typedef struct key_cache {
    key_entry *head;
    size_t n;
} key_cache;

static void key_cache_free(void *p)
{
    key_cache *kc = p;
    for (key_entry *k = kc ? kc->head : NULL, *next; k; k = next) {
        next = k->next;
        EVP_PKEY_free(k->key);
        free(k->issuer), free(k->vm), free(k);
    }
    free(kc);
}

/* The run's cache, made on first use; NULL without a run or a fetch cache (nothing is kept
 * for the run then, so neither is a key). */
static key_cache *run_keys(const cc_verify_opts *o)
{
    if (!o->fetch || !o->fetch->cache || !o->fetch->jsonld)
        return NULL;
    void **slot = cc_jsonld_run_keys(o->fetch->jsonld, key_cache_free);
    if (slot && !*slot)
        *slot = calloc(1, sizeof(key_cache));
    return slot ? *slot : NULL;
}

static bool cached_key(const key_cache *kc, const char *vm, const char *issuer, found_key *f)
{
    for (const key_entry *k = kc ? kc->head : NULL; k; k = k->next)
        if (!strcmp(k->vm, vm) && !strcmp(k->issuer, issuer) && EVP_PKEY_up_ref(k->key) == 1) {
            f->key = k->key;
            f->bound = k->bound;
            memcpy(f->how, k->how, sizeof f->how);
            memcpy(f->binding, k->binding, sizeof f->binding);
            return true;
        }
    return false;
}

static void remember_key(key_cache *kc, const char *vm, const char *issuer, const found_key *f)
{
    key_entry *k = kc && kc->n < KEY_CACHE_MAX ? calloc(1, sizeof *k) : NULL;
    if (!k)
        return;
    *k = (key_entry){.issuer = strdup(issuer), .vm = strdup(vm), .key = f->key, .bound = f->bound,
                     .next = kc->head};
    if (!k->issuer || !k->vm || EVP_PKEY_up_ref(f->key) != 1) {
        free(k->issuer), free(k->vm), free(k);
        return;
    }
    memcpy(k->how, f->how, sizeof k->how);
    memcpy(k->binding, f->binding, sizeof k->binding);
    kc->head = k;
    kc->n++;
}

/* Neither --key nor a did:key: the issuer's controller document decides.  Only a key the
 * document itself gave (its method's definition) is kept for the run. */
static void controller_key(const char *vm, const char *issuer, const cc_verify_opts *o, found_key *f,
                           cc_jose_err *e)
{
    key_cache *kc = issuer ? run_keys(o) : NULL;
    if (cached_key(kc, vm, issuer, f))
        return;
    cc_controller c;
    int r = cc_controller_lookup(o->fetch, issuer, vm, "assertionMethod", &c);
    char url[2048] = "";
    cc_controller_url(issuer, url, sizeof url);
    bool from_doc = c.method != NULL;
    if (from_doc) {
        f->key = method_key(c.method, vm, url, e);
        snprintf(f->how, sizeof f->how, "key fetched from %.200s", url);
    } else {
        unbound_key(vm, o, f, e);
    }
    f->bound = r == 1;
    snprintf(f->binding, sizeof f->binding, "%s", c.why);
    cc_controller_free(&c);
    if (from_doc && f->key)
        remember_key(kc, vm, issuer, f);
}

/* The key of verificationMethod vm and whether it is the issuer's (the issuer as signed). */
static int find_key(const char *vm, const char *issuer, const cc_verify_opts *o, found_key *f,
                    cc_jose_err *e)
{
    if (o->key) {
        f->key = EVP_PKEY_dup(o->key);
        f->bound = true;
        snprintf(f->how, sizeof f->how, "key from %s", o->key_file);
        snprintf(f->binding, sizeof f->binding, "the key was given (--key %.200s)", o->key_file);
    } else if (!strncmp(vm, "did:key:", 8)) {
        f->key = cc_did_key_public(vm, e);
        f->bound = cc_did_of(issuer, vm);
        snprintf(f->how, sizeof f->how, "did:key%s", f->bound ? ", which is the issuer's id" : "");
        snprintf(f->binding, sizeof f->binding, f->bound ? "the issuer's id is that did:key"
                 : "the did:key is not the issuer's id");
    } else {
        controller_key(vm, issuer, o, f, e);
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

/* A verificationMethod is an absolute URI (scheme ":"): anything else names no key and
 * would be dropped from the signed proof options. */
static bool absolute_uri(const char *s)
{
    size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");
    return n && s[n] == ':' && ((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z');
}

/* created is not in the future beyond the skew, expires not past (DI 1.0 §4.3 verify proof:
 * "created" a dateTimeStamp, "expires" after which the proof is not valid). */
static void proof_times(const json_t *p, long long now, cc_jose_err *e)
{
    const char *created = json_string_value(json_object_get(p, "created"));
    const char *expires = json_string_value(json_object_get(p, "expires"));
    long long t;
    if (json_object_get(p, "created") && (!created || !cc_iso_to_epoch(created, &t)))
        cc_jose_fail(e, "di-proof-created", "proof.created is not an ISO 8601 date-time with a time zone");
    else if (created && t > now + CC_DI_CLOCK_SKEW)
        cc_jose_fail(e, "di-proof-created", "proof.created %.40s is in the future (more than %d s ahead "
                     "of the clock)", created, CC_DI_CLOCK_SKEW);
    else if (json_object_get(p, "expires") && (!expires || !cc_iso_to_epoch(expires, &t)))
        cc_jose_fail(e, "di-proof-expires", "proof.expires is not an ISO 8601 date-time with a time zone");
    else if (expires && t <= now)
        cc_jose_fail(e, "di-proof-expired", "the proof expired at %.40s", expires);
}

/* The proof's own fields: 0 when it is an assertion proof of a suite credconv checks, with a
 * 64-byte signature (into sig); 1 when it is of another kind; -1 when it is broken. */
static int proof_fields(const json_t *p, long long now, unsigned char sig[64], cc_jose_err *e)
{
    const char *type = json_string_value(json_object_get(p, "type"));
    const char *suite = json_string_value(json_object_get(p, "cryptosuite"));
    const char *purpose = json_string_value(json_object_get(p, "proofPurpose"));
    const char *value = json_string_value(json_object_get(p, "proofValue"));
    const char *vm = json_string_value(json_object_get(p, "verificationMethod"));
    size_t n = 0;
    unsigned char raw[80];
    if (!suite_of(p)) {
        cc_jose_fail(e, "proof-unsupported", "a %.64s proof%s%.64s is not verified by credconv (only "
                     "DataIntegrityProof with " SUITE ", and the legacy eddsa-2022 and "
                     "Ed25519Signature2020)", type ? type : "untyped",
                     suite ? " with cryptosuite " : "", suite ? suite : "");
        return 1;
    }
    /* "z" + base58btc of 64 bytes is at most 1 + 88 characters: a longer value is refused
     * before it is decoded (issue 11.1: a 301 KB value took 24 s). */
    if (!purpose || strcmp(purpose, "assertionMethod"))
        cc_jose_fail(e, "di-purpose", "proofPurpose is %.64s, not assertionMethod (a credential is signed "
                     "for assertion)", purpose ? purpose : "missing");
    else if (!value || value[0] != 'z' || strlen(value) > 1 + CC_DI_MAX_B58_SIG ||
             cc_base58_decode(value + 1, raw, sizeof raw, &n) || n != 64)
        cc_jose_fail(e, "di-proof-value", "proofValue is not \"z\" + base58btc of a 64-byte signature "
                     "(at most %d characters)", 1 + CC_DI_MAX_B58_SIG);
    else if (!vm)
        cc_jose_fail(e, "di-no-key", "the proof names no verificationMethod");
    else if (!absolute_uri(vm))
        cc_jose_fail(e, "di-proof-method", "verificationMethod %.200s is not an absolute URI (no scheme): "
                     "it names no key, and JSON-LD drops it from the signed proof", vm);
    else
        proof_times(p, now, e);
    if (!e->rule)
        memcpy(sig, raw, 64);
    return e->rule ? -1 : 0;
}

/* Records a valid signature and its key binding in the verdict. */
static void record_valid(cc_verdict *v, const char *suite, const found_key *k, const char *json_iss,
                         const char *rdf_iss)
{
    CC_VERDICT_ADD(v, checked, "signature valid (%s%s, %s)", suite,
                   strcmp(suite, SUITE) ? ", a legacy suite" : "", k->how);
    char note[480] = "";
    if (json_iss && strcmp(json_iss, rdf_iss))
        snprintf(note, sizeof note, "; the signed issuer is %.200s, not %.200s as the JSON reads",
                 *rdf_iss ? rdf_iss : "(none)", json_iss);
    if (k->bound && !v->bound) {
        v->bound = true;
        snprintf(v->binding, sizeof v->binding, "%.300s%s", k->binding, note);
    } else if (!k->bound && !*v->binding) {
        snprintf(v->binding, sizeof v->binding, "%.80s is not shown to be the issuer's: %.300s%s", k->how,
                 k->binding, note);
    }
}

/* One proof: 1 valid, 0 invalid, -1 not checked; e says why when not 1. */
static int verify_proof(const json_t *doc, const json_t *p, const cc_verify_opts *o,
                        cc_verdict *v, cc_jose_err *e)
{
    const char *suite = suite_of(p);
    unsigned char sig[64], data[64];
    int f = proof_fields(p, o->now, sig, e);
    if (f)
        return f > 0 || !strcmp(e->rule, "di-no-key") ? -1 : 0;
    const char *vm = json_string_value(json_object_get(p, "verificationMethod"));
    char err[512] = "", issuer[1024] = "";
    int sd = signed_data(doc, p, o->fetch, data, issuer, sizeof issuer, err, sizeof err);
    if (sd == SD_PROOF_DROPPED || sd == SD_DOC_DROPPED) {
        cc_jose_fail(e, "di-jsonld-dropped", "%s%s", sd == SD_PROOF_DROPPED ? "in the proof: " : "", err);
        return 0;
    }
    if (sd) {
        cc_jose_fail(e, "di-jsonld", "%s", *err ? err : "the credential cannot be canonicalised");
        return -1;
    }
    found_key k = {0};
    if (find_key(vm, *issuer ? issuer : NULL, o, &k, e))
        return -1;
    int rc = 1;
    if (!ed25519_verify(k.key, sig, 64, data, 64)) {
        cc_jose_fail(e, "di-signature", "the signature does not match: the credential or its proof "
                     "changed after signing, or another key signed it");
        rc = 0;
    } else {
        record_valid(v, suite, &k, issuer_id(doc), issuer);
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

/* The data to sign, or an error: what safe mode would drop is refused (other verifiers
 * reject it, and it would not be signed), and so is the did:key default for an issuer that
 * is not that did:key (no verifier could bind the key to the issuer). */
static int data_to_sign(const json_t *credential, const json_t *proof, const cc_di_sign_opts *o,
                        const char *did, unsigned char data[64], cc_jose_err *e)
{
    char err[512] = "", issuer[1024] = "";
    int sd = signed_data(credential, proof, o->fetch, data, issuer, sizeof issuer, err, sizeof err);
    if (sd == SD_PROOF_DROPPED)
        cc_jose_fail(e, "di-context", "the credential's @context does not define the proof's terms (a VC "
                     "1.1 credential?), so its proof options would be signed empty: add "
                     CC_DI_CONTEXT " to its @context, as Data Integrity says, and sign again (%.200s)", err);
    else if (sd == SD_DOC_DROPPED)
        cc_jose_fail(e, "di-jsonld-dropped", "%s", err);
    else if (sd)
        cc_jose_fail(e, "di-jsonld", "%s", *err ? err : "the credential cannot be canonicalised");
    else if (did && !cc_did_of(issuer, did))
        cc_jose_fail(e, "di-kid", "the issuer's id %.200s is not this key's did:key, so no verifier can "
                     "bind the key to the issuer: give --kid naming a method the issuer's controller "
                     "document lists under assertionMethod (or make the issuer's id %.100s)",
                     *issuer ? issuer : "(none)", did);
    return e->rule ? -1 : 0;
}

/* shallow: the signed credential shares the credential's members (only to be written out
 * at once, as cc_di_sign_line does: no member of either is changed meanwhile). */
static json_t *di_sign(const json_t *credential, const cc_di_sign_opts *o, bool shallow, cc_jose_err *e)
{
    char *mk = cc_multikey_encode(o->key), *vm = NULL, now[21];
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
    if (!proof || data_to_sign(credential, proof, o, o->verification_method ? NULL : vm, data, e))
        (void)(e->rule || (cc_jose_fail(e, "di-sign", "out of memory"), 0));
    else if (!md || EVP_DigestSignInit(md, NULL, NULL, NULL, o->key) != 1 ||
             EVP_DigestSign(md, sig, &siglen, data, sizeof data) != 1 || siglen != 64)
        cc_jose_fail(e, "di-sign", "Ed25519 signing failed");
    else
        out = shallow ? json_copy((json_t *)credential) : json_deep_copy(credential);
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

char *cc_di_publish_hint(const json_t *credential, const char *kid, EVP_PKEY *key)
{
    char *mk = cc_multikey_encode(key), url[2048], *vm = NULL, *doc = NULL, *out = NULL;
    const char *iss = issuer_id(credential);
    if (mk && cc_controller_url(iss, url, sizeof url) &&
        (kid ? (vm = strdup(kid)) != NULL : asprintf(&vm, "%s#key-1", iss) >= 0))
        doc = cc_controller_template(iss, vm, mk, NULL);
    if (doc && asprintf(&out, "%s%s: verifiers bind it to the issuer %s only when %s serves a controller "
                        "document like this one (its id the issuer's, the method under assertionMethod):\n%s\n",
                        kid ? "--kid " : "sign with --kid ", vm, iss, url, doc) < 0)
        out = NULL;
    free(doc), free(mk), free(vm);
    return out;
}

json_t *cc_di_sign(const json_t *credential, const cc_di_sign_opts *o, cc_jose_err *e)
{
    return di_sign(credential, o, false, e);
}

char *cc_di_sign_line(const json_t *credential, const cc_di_sign_opts *o, cc_jose_err *e)
{
    json_t *out = di_sign(credential, o, true, e);
    char *line = out ? cc_json_dumps_compact(out) : NULL;
    json_decref(out);
    return line;
}
