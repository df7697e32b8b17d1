/* The 1EdTech validator's JSON-LD check (JsonLDValidationProbe; docs/references.md ob §3.1 "JSON-LD
 * strictness"): every property and type of a credential must be defined by its contexts.
 * An undefined term is dropped by JSON-LD without a trace, so, as the validator does, the
 * credential is expanded with a first context whose @vocab catches what no later context
 * defines (urn:UNDEFINEDTERM#…).  A VC 2.0 context that has its own @vocab sends undefined
 * terms to the issuer-dependent vocabulary instead: those are caught too.  Run by validate
 * and verify when the contexts can be read (--map-url, --fetch).  Shared by the formats read
 * as JSON-LD (moved here from formats/ob3_terms.c). */
#include "cc_fetch.h"
#include "cc_rdf.h"
#include "cc_jsonld_terms.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ISSUER_DEPENDENT CC_JSONLD_ISSUER_DEPENDENT
#define UNDEFINED CC_JSONLD_UNDEFINED
#define RDF_TYPE "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

/* The term of an IRI in one of the two catch-all vocabularies, or NULL. */
static const char *caught(const char *iri)
{
    static const char *const vocabs[] = {UNDEFINED, ISSUER_DEPENDENT};
    for (int i = 0; iri && i < 2; i++)
        if (!strncmp(iri, vocabs[i], strlen(vocabs[i])))
            return iri + strlen(vocabs[i]);
    return NULL;
}

/* The undefined terms of a dataset (properties, and the types given with rdf:type), each
 * once, into a JSON set. */
static void undefined_terms(const cc_rdf_dataset *ds, json_t *seen)
{
    for (size_t i = 0; i < cc_rdf_count(ds); i++) {
        const cc_rdf_quad *q = cc_rdf_get(ds, i);
        const char *p = caught(q->p.value);
        const char *t = !strcmp(q->p.value, RDF_TYPE) && q->o.kind == CC_RDF_IRI ? caught(q->o.value)
                                                                               : NULL;
        if (p)
            json_object_set_new(seen, p, json_true());
        if (t)
            json_object_set_new(seen, t, json_true());
    }
}

/* One error naming the undefined terms (the first ten); 1, or 0 when there are none. */
static int report_undefined(const json_t *seen, const char *prefix, const cc_diag_sink *diag,
                            const char *file, long line, const char *rec)
{
    char list[768] = "";
    size_t used = 0, shown = 0;
    const char *term;
    json_t *v;
    json_object_foreach((json_t *)seen, term, v) {
        if (shown++ < 10 && used < sizeof list)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s'%.60s'", used ? ", " : "", term);
    }
    if (!shown)
        return 0;
    if (shown > 10 && used < sizeof list)
        snprintf(list + used, sizeof list - used, " and %zu more", shown - 10);
    char rule[48];
    snprintf(rule, sizeof rule, "%s-jsonld-undefined", prefix);
    cc_diagf(diag, CC_ERROR, file, line, 0, rec, rule, "defined by none of the "
             "credential's contexts, so JSON-LD drops %s: %s", shown > 1 ? "them" : "it", list);
    return 1;
}

/* doc with the catch-all context in front of its own. */
static json_t *with_catch_all(const json_t *doc)
{
    json_t *probe = json_copy((json_t *)doc), *own = json_object_get(doc, "@context");
    json_t *ctx = json_pack("[{s:s}]", "@vocab", UNDEFINED);
    if (json_is_array(own))
        json_array_extend(ctx, own);
    else if (own)
        json_array_append(ctx, own);
    json_object_set_new(probe, "@context", ctx);
    return probe;
}

/* ------------------------------------------------------------ vouched documents */

#define RUN_TERMS_MAX (1u << 18)  /* documents kept (8 MiB of digests, a table twice that) */

/* An open-addressing set of SHA-256 digests (all-zero: an empty slot; a real digest of zero
 * is not worth the branch it would take). */
typedef struct vouched {
    unsigned char (*slot)[32];
    size_t cap, n;
    EVP_MD *sha;
    EVP_MD_CTX *md;
} vouched;

static void vouched_free(void *p)
{
    vouched *v = p;
    if (v) {
        free(v->slot);
        EVP_MD_CTX_free(v->md);
        EVP_MD_free(v->sha);
    }
    free(v);
}

static bool zero_digest(const unsigned char d[32])
{
    unsigned char any = 0;
    for (int i = 0; i < 32; i++)
        any |= d[i];
    return !any;
}

/* The SHA-256 of an unambiguous encoding of a JSON tree (a tag, then a length or the bytes
 * of each value, members in their order), fed through a buffer: no JSON text is made. */
typedef struct digest {
    EVP_MD_CTX *md;
    unsigned char buf[4096];
    size_t n;
    bool ok;
} digest;

static void feed(digest *d, const void *p, size_t n)
{
    if (d->n + n > sizeof d->buf) {
        d->ok = d->ok && EVP_DigestUpdate(d->md, d->buf, d->n) == 1;
        d->n = 0;
        if (n > sizeof d->buf) {
            d->ok = d->ok && EVP_DigestUpdate(d->md, p, n) == 1;
            return;
        }
    }
    memcpy(d->buf + d->n, p, n);
    d->n += n;
}

static void feed_tagged(digest *d, char tag, const void *p, size_t n)
{
    feed(d, &tag, 1);
    feed(d, &n, sizeof n);
    feed(d, p, n);
}

static void feed_value(digest *d, const json_t *v)
{
    const char *k;
    size_t i, n;
    json_t *x;
    json_int_t iv;
    double rv;
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        n = json_object_size(v);
        feed_tagged(d, 'o', &n, sizeof n);
        json_object_foreach((json_t *)v, k, x) {
            feed_tagged(d, 'k', k, strlen(k));
            feed_value(d, x);
        }
        break;
    case JSON_ARRAY:
        n = json_array_size(v);
        feed_tagged(d, 'a', &n, sizeof n);
        json_array_foreach((json_t *)v, i, x)
            feed_value(d, x);
        break;
    case JSON_STRING: feed_tagged(d, 's', json_string_value(v), json_string_length(v)); break;
    case JSON_INTEGER: iv = json_integer_value(v), feed_tagged(d, 'i', &iv, sizeof iv); break;
    case JSON_REAL: rv = json_real_value(v), feed_tagged(d, 'r', &rv, sizeof rv); break;
    case JSON_TRUE: feed(d, "t", 1); break;
    case JSON_FALSE: feed(d, "f", 1); break;
    default: feed(d, "z", 1); break;
    }
}

/* Nesting is bounded by the JSON reader (and by the expansion the document went through).
 * The set's SHA-256 method and context are fetched once and reused (one run, one thread). */
static bool doc_digest(vouched *v, const json_t *doc, unsigned char out[32])
{
    if (!v->sha && !(v->sha = EVP_MD_fetch(NULL, "SHA256", NULL)))
        return false;
    if (!v->md && !(v->md = EVP_MD_CTX_new()))
        return false;
    digest d = {.md = v->md, .ok = EVP_DigestInit_ex(v->md, v->sha, NULL) == 1};
    unsigned int n = 0;
    feed_value(&d, doc);
    bool ok = d.ok && EVP_DigestUpdate(d.md, d.buf, d.n) == 1 && EVP_DigestFinal_ex(d.md, out, &n) == 1 && n == 32;
    return ok && !zero_digest(out);
}

static unsigned char *find(const vouched *v, const unsigned char d[32])
{
    static const unsigned char zero[32];
    size_t i;
    memcpy(&i, d, sizeof i);
    for (i &= v->cap - 1;; i = (i + 1) & (v->cap - 1))
        if (!memcmp(v->slot[i], d, 32) || !memcmp(v->slot[i], zero, 32))
            return v->slot[i];
}

static bool grow(vouched *v)
{
    vouched bigger = {.cap = v->cap ? v->cap * 2 : 1024, .n = v->n, .sha = v->sha, .md = v->md};
    if (!(bigger.slot = calloc(bigger.cap, 32)))
        return false;
    for (size_t i = 0; i < v->cap; i++)
        memcpy(find(&bigger, v->slot[i]), v->slot[i], 32);
    free(v->slot);
    *v = bigger;
    return true;
}

void cc_jsonld_terms_vouch(cc_jsonld_run *run, const json_t *doc)
{
    void **slot = cc_jsonld_run_terms(run, vouched_free);
    if (slot && !*slot)
        *slot = calloc(1, sizeof(vouched));
    vouched *v = slot ? *slot : NULL;
    unsigned char d[32];
    if (!v || v->n >= RUN_TERMS_MAX || ((v->n + 1) * 2 > v->cap && !grow(v)) || !doc_digest(v, doc, d))
        return;
    unsigned char *at = find(v, d);
    if (memcmp(at, d, 32)) {
        memcpy(at, d, 32);
        v->n++;
    }
}

static bool is_vouched(cc_jsonld_run *run, const json_t *doc)
{
    void **slot = cc_jsonld_run_terms(run, vouched_free);
    vouched *v = slot ? *slot : NULL;
    unsigned char d[32];
    return v && v->n && doc_digest(v, doc, d) && !memcmp(find(v, d), d, 32);
}

int cc_jsonld_check_terms(const json_t *doc, cc_jsonld_cache *contexts, const char *prefix,
                          const cc_diag_sink *diag, const char *file, long line, const char *rec)
{
    char not_checked[48], failed[48];
    snprintf(not_checked, sizeof not_checked, "%s-jsonld-not-checked", prefix);
    snprintf(failed, sizeof failed, "%s-jsonld", prefix);
    const cc_fetch_opts *fetch = contexts->fetch;
    if (!fetch || (!fetch->network && !fetch->nmaps)) {
        cc_diagf(diag, CC_NOTE, file, line, 0, rec, not_checked, "JSON-LD terms not "
                 "checked: the contexts are read only with --map-url or --fetch");
        return 0;
    }
    /* the run's contexts, loaded and processed once, when main made them */
    cc_jsonld_run *run = fetch->jsonld;
    if (run && is_vouched(run, doc))
        return 0;  /* this very document was found clean by the expansion that checked its proof */
    cc_rdf_dataset *ds = cc_rdf_new();
    json_t *seen = json_object();
    char err[512] = "";
    int errors = 0;
    json_t *probe = with_catch_all(doc);
    if (run)
        contexts = cc_jsonld_run_cache(run, fetch);
    if (cc_jsonld_to_rdf_run(probe, cc_jsonld_cache_load, contexts, false, run, ds, err, sizeof err) != 0) {
        bool unavailable = strstr(err, "loading remote context failed") != NULL;
        cc_diagf(diag, unavailable ? CC_WARNING : CC_ERROR, file, line, 0, rec,
                 unavailable ? not_checked : failed, "JSON-LD: %s", err);
        errors = !unavailable;
    } else {
        undefined_terms(ds, seen);
        errors = report_undefined(seen, prefix, diag, file, line, rec);
    }
    json_decref(seen);
    json_decref(probe);
    cc_rdf_free(ds);
    return errors;
}
