/* The run's JSON-LD contexts: each context document loaded once, and each result of Context
 * Processing that depends only on what lives for the run computed once, in a jl_state of
 * the run's own (its arena, documents and kept JSON freed with the run).
 *
 * A result is shared when the active context is the initial one or a shared one, and the
 * local context is either a shared term definition's scoped context (keyed by pointer) or a
 * document's own @context (keyed by its compact text, up to 64 KiB: ["https://www.w3.org/ns/
 * credentials/v2", ".../context-3.0.3.json"], with an inline map or not; the run keeps a
 * copy, counted against its budget).  Processing in the run's state fails where it would fail in the
 * document's (the same algorithms on the same documents); then nothing is kept and the
 * document's own state processes it again, so the error is the one it always gave.  The term
 * definitions a shared result cost are counted against the document's JL_MAX_TERMS as if it
 * had made them; the run's state has its own JL_MAX_MEMORY and JL_MAX_LOADS, past which
 * nothing more is shared (still correct, only slower). */
#include "cc_hash.h"
#include "cc_jsonfast.h"
#include "jsonld_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define RUN_BUCKETS 1024
#define RUN_MAX_LOCAL (64u << 10)  /* bytes of a document's own @context worth sharing */

typedef struct run_entry {
    char *key;                /* malloc'd */
    size_t klen;
    const jl_ctx *out;
    unsigned long terms;      /* term definitions the processing made */
    struct run_entry *next;
} run_entry;

struct cc_jsonld_run {
    jl_state st;              /* the run's state: is_run, its arena, docs and keep */
    cc_jsonld_cache cache;    /* the context documents, by URL */
    const jl_ctx *initial;
    run_entry *buckets[RUN_BUCKETS];
    void *keys;               /* the DI verifier's key cache (cc_jsonld_run_keys) */
    void (*keys_free)(void *);
    void *terms;              /* the documents whose terms check is known clean (cc_jsonld_run_terms) */
    void (*terms_free)(void *);
    char err[512];
};

cc_jsonld_run *cc_jsonld_run_new(void)
{
    cc_jsonld_run *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->st = (jl_state){.is_run = true, .arena = cc_arena_new(), .docs = json_object(),
                       .keep = json_array(), .bnodes = json_object(), .err = r->err,
                       .errlen = sizeof r->err};
    cc_jsonld_cache_init(&r->cache, NULL);
    r->initial = jl_ctx_new(&r->st, NULL);
    return r;
}

void **cc_jsonld_run_keys(cc_jsonld_run *r, void (*free_fn)(void *))
{
    if (!r)
        return NULL;
    r->keys_free = free_fn;
    return &r->keys;
}

void **cc_jsonld_run_terms(cc_jsonld_run *r, void (*free_fn)(void *))
{
    if (!r)
        return NULL;
    r->terms_free = free_fn;
    return &r->terms;
}

void cc_jsonld_run_free(cc_jsonld_run *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < RUN_BUCKETS; i++)
        for (run_entry *e = r->buckets[i], *next; e; e = next) {
            next = e->next;
            free(e->key);
            free(e);
        }
    if (r->keys_free)
        r->keys_free(r->keys);
    if (r->terms_free)
        r->terms_free(r->terms);
    cc_jsonld_cache_free(&r->cache);
    json_decref(r->st.docs), json_decref(r->st.keep), json_decref(r->st.bnodes);
    cc_arena_free(r->st.arena);
    free(r);
}

cc_jsonld_cache *cc_jsonld_run_cache(cc_jsonld_run *r, const struct cc_fetch_opts *fetch)
{
    r->cache.fetch = fetch;  /* the run's one set of fetch options */
    return &r->cache;
}

/* ------------------------------------------------------------ keys */

typedef struct keybuf {
    char *p;
    size_t len, cap;
    bool oom;
} keybuf;

static void put(keybuf *k, const void *b, size_t n)
{
    if (k->oom || n == 0)
        return;
    if (k->len + n > k->cap) {
        size_t cap = (k->len + n) * 2 + 64;
        char *p = realloc(k->p, cap);
        if (!p) {
            k->oom = true;
            return;
        }
        k->p = p, k->cap = cap;
    }
    memcpy(k->p + k->len, b, n);
    k->len += n;
}

/* An @context of the document (URLs, inline maps), by its compact JSON text; false when it
 * is too large to be worth keeping. */
static bool put_local(keybuf *k, const json_t *local)
{
    char *text = cc_json_dumps_compact(local);
    size_t n = text ? strlen(text) : 0;
    bool ok = text && n <= RUN_MAX_LOCAL;
    if (ok)
        put(k, text, n);
    free(text);
    return ok;
}

/* The key of (act, local, base_url, flags, safe mode); false when it cannot be shared. */
static bool make_key(keybuf *k, const jl_ctx *act, const json_t *local, const char *base_url,
                     unsigned flags, bool safe, bool stable)
{
    char kind = stable ? 'P' : 'U';
    put(k, &kind, 1);
    put(k, &act, sizeof act);
    put(k, &flags, sizeof flags);
    put(k, &safe, sizeof safe);
    if (stable) {
        put(k, &local, sizeof local);
        put(k, &base_url, sizeof base_url);  /* a shared term's: lives for the run */
        return !k->oom;
    }
    return !base_url && put_local(k, local) && !k->oom;
}

static size_t hash(const char *p, size_t n)
{
    return cc_hash_bytes(p, n) % RUN_BUCKETS;  /* keys are compared whole: collisions only cost */
}

/* ------------------------------------------------------------ processing */

/* Context Processing in the run's state, as the document's state would do it. */
static const jl_ctx *process_shared(cc_jsonld_run *r, const jl_state *st, const jl_ctx *act,
                                    const json_t *local, const char *base_url, unsigned flags,
                                    bool stable, unsigned long *terms)
{
    jl_state *rs = &r->st;
    rs->load = st->load, rs->ud = st->ud, rs->safe = st->safe, rs->depth = st->depth;
    rs->failed = rs->unsafe = false;
    rs->ptrlen = 0, rs->ptr[0] = '\0';
    unsigned long before = rs->terms_made;
    /* A URL list is the document's: the run keeps its own copy (the processing keeps no
     * pointer into it, but nothing shared may point into a document). */
    json_t *copy = stable ? NULL : json_deep_copy(local);
    if (!stable && !copy)
        return NULL;
    /* the copy lives for the run: counted against the run's budget, past which nothing is
     * shared */
    if (copy && jl_charge(rs, (long long)jl_json_cost(copy)) < 0) {
        json_decref(copy);
        return NULL;
    }
    if (copy)
        json_array_append_new(rs->keep, copy);
    const jl_ctx *out = jl_process(rs, act, copy ? copy : local, base_url, NULL, flags);
    *terms = rs->terms_made - before;
    return rs->failed ? NULL : out;
}

const jl_ctx *jl_run_apply(jl_state *st, const jl_ctx *act, const json_t *local,
                           const char *base_url, unsigned flags, bool stable)
{
    cc_jsonld_run *r = st->run;
    if (act == st->initial)
        act = r->initial;
    else if (!act->shared)
        return NULL;
    keybuf k = {0};
    const jl_ctx *out = NULL;
    if (make_key(&k, act, local, base_url, flags, st->safe, stable)) {
        size_t h = hash(k.p, k.len);
        run_entry *e = r->buckets[h];
        while (e && (e->klen != k.len || memcmp(e->key, k.p, k.len)))
            e = e->next;
        unsigned long terms = 0;
        if (e)
            out = e->out, terms = e->terms;
        else if ((out = process_shared(r, st, act, local, base_url, flags, stable, &terms)) &&
                 (e = malloc(sizeof *e)) != NULL) {
            *e = (run_entry){.key = k.p, .klen = k.len, .out = out, .terms = terms, .next = r->buckets[h]};
            r->buckets[h] = e;
            k.p = NULL;
        }
        /* the document pays the term definitions it would have made */
        if (out && (st->terms_made += terms) > JL_MAX_TERMS) {
            st->terms_made -= terms;
            out = NULL;
        }
    }
    free(k.p);
    return out;
}
