/* Context Processing (JSON-LD 1.1 API §4.1.2): remote contexts through the caller's loader
 * (each URL dereferenced once per conversion), inline contexts, arrays, null resets,
 * @import, @base, @vocab, @language, @direction, @propagate, @version.  Term definitions
 * themselves: jsonld_term.c. */
#include "jsonld_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The loaded document's @context (borrowed: st->docs keeps the document). */
static const json_t *load_context(jl_state *st, const char *url)
{
    json_t *doc = json_object_get(st->docs, url);
    if (!doc) {
        char lerr[512] = "";
        if (!st->load) {
            jl_fail(st, "loading remote context failed", "%s: no document loader", url);
            return NULL;
        }
        if (json_object_size(st->docs) >= JL_MAX_LOADS) {
            jl_fail(st, "loading remote context failed", "%s: more than %d remote contexts",
                    url, JL_MAX_LOADS);
            return NULL;
        }
        doc = st->load(st->ud, url, lerr, sizeof lerr);
        if (!doc) {
            jl_fail(st, "loading remote context failed", "%s%s%s", url, lerr[0] ? ": " : "",
                    lerr);
            return NULL;
        }
        json_object_set_new(st->docs, url, doc);
        /* Held for the whole conversion: counted once, before any of it is processed. */
        if (jl_charge(st, (long long)jl_json_cost(doc)) < 0)
            return NULL;
    }
    const json_t *c = json_is_object(doc) ? json_object_get(doc, "@context") : NULL;
    if (!c)
        jl_fail(st, "invalid remote context", "%s has no top-level @context", url);
    return c;
}

static bool in_chain(const jl_chain *c, const char *url)
{
    for (; c; c = c->next)
        if (!strcmp(c->url, url))
            return true;
    return false;
}

/* A context given by URL (step 5.2). */
static const jl_ctx *remote_context(jl_state *st, const jl_ctx *result, const char *ref,
                                    const char *base_url, const jl_chain *remote,
                                    unsigned flags)
{
    const char *url = jl_resolve(st, base_url, ref);
    if (!jl_has_scheme(url)) {
        jl_fail(st, "loading remote context failed", "%s is not an absolute IRI", url);
        return NULL;
    }
    if (in_chain(remote, url)) {
        if (flags & JL_NO_VALIDATE)
            return result;  /* a scoped context naming a context being processed */
        jl_fail(st, "recursive context inclusion", "%s includes itself", url);
        return NULL;
    }
    if (remote && remote->len >= JL_MAX_REMOTE) {
        jl_fail(st, "context overflow", "more than %d nested remote contexts", JL_MAX_REMOTE);
        return NULL;
    }
    const json_t *loaded = load_context(st, url);
    if (!loaded)
        return NULL;
    jl_chain link = {.url = jl_str(st, url), .next = remote, .len = remote ? remote->len + 1 : 1};
    return jl_process(st, result, loaded, link.url, &link, flags);
}

/* @import (step 5.6): the imported context definition with this one's entries over it.
 * The merge is kept in st->keep, as term definitions point into it. */
static const json_t *import_context(jl_state *st, const json_t *ctx, const char *base_url)
{
    const json_t *iv = json_object_get(ctx, "@import");
    if (!json_is_string(iv)) {
        jl_fail(st, "invalid @import value", "@import must be a string");
        return NULL;
    }
    const char *url = jl_resolve(st, base_url, json_string_value(iv));
    const json_t *imported = load_context(st, url);
    if (!imported)
        return NULL;
    if (!json_is_object(imported) || json_object_get(imported, "@import")) {
        jl_fail(st, "invalid remote context", "%s: an imported context must be a single "
                "context definition without @import", url);
        return NULL;
    }
    /* the copy is shallow: one pair per key, the values shared */
    if (jl_charge(st, 256 + 128LL * (long long)(json_object_size(imported) + json_object_size(ctx))) < 0)
        return NULL;
    json_t *merged = json_copy((json_t *)imported);
    json_object_update(merged, (json_t *)ctx);
    json_object_del(merged, "@import");
    json_array_append_new(st->keep, merged);
    return merged;
}

static int set_base(jl_state *st, jl_ctx *result, const json_t *v)
{
    const char *s = json_string_value(v);
    if (json_is_null(v))
        result->base = NULL;
    else if (s && jl_has_scheme(s))
        result->base = s;
    else if (s && result->base)
        result->base = jl_resolve(st, result->base, s);
    else
        return jl_fail(st, "invalid base IRI", "@base: a relative IRI without a base");
    return 0;
}

static int set_vocab(jl_state *st, jl_ctx *result, const json_t *v)
{
    if (json_is_null(v)) {
        result->vocab = NULL;
        return 0;
    }
    if (!json_is_string(v))
        return jl_fail(st, "invalid vocab mapping", "@vocab must be a string or null");
    unsigned long misses = st->vocab_misses;
    result->vocab = jl_expand_iri(st, result, NULL, json_string_value(v), true, true);
    if (st->vocab_misses != misses)
        result->vocab_missed = true;  /* a relative @vocab with none before it */
    return st->failed ? -1 : 0;
}

static int set_language(jl_state *st, jl_ctx *result, const json_t *v)
{
    if (json_is_null(v))
        result->lang = NULL;
    else if (json_is_string(v))
        result->lang = jl_lower(st, json_string_value(v));
    else
        return jl_fail(st, "invalid default language", "@language must be a string or null");
    return 0;
}

static int set_direction(jl_state *st, jl_ctx *result, const json_t *v)
{
    const char *s = json_string_value(v);
    if (json_is_null(v))
        result->dir = NULL;
    else if (s && (!strcmp(s, "ltr") || !strcmp(s, "rtl")))
        result->dir = s;
    else
        return jl_fail(st, "invalid base direction", "@direction must be \"ltr\" or \"rtl\"");
    return 0;
}

/* Steps 5.5 to 5.11: the context-wide entries. */
static int context_entries(jl_state *st, jl_ctx *result, const json_t *ctx,
                           const jl_chain *remote)
{
    const json_t *v;
    if ((v = json_object_get(ctx, "@version")) &&
        !(json_is_number(v) && json_number_value(v) == 1.1))
        return jl_fail(st, "invalid @version value", "@version must be 1.1");
    if ((v = json_object_get(ctx, "@base")) && !remote && set_base(st, result, v) < 0)
        return -1;
    if ((v = json_object_get(ctx, "@vocab")) && set_vocab(st, result, v) < 0)
        return -1;
    if ((v = json_object_get(ctx, "@language")) && set_language(st, result, v) < 0)
        return -1;
    if ((v = json_object_get(ctx, "@direction")) && set_direction(st, result, v) < 0)
        return -1;
    if ((v = json_object_get(ctx, "@propagate")) && !json_is_boolean(v))
        return jl_fail(st, "invalid @propagate value", "@propagate must be true or false");
    if ((v = json_object_get(ctx, "@protected")) && !json_is_boolean(v))
        return jl_fail(st, "invalid @protected value", "@protected must be true or false");
    return 0;
}

static bool context_keyword(const char *k)
{
    static const char *const kw[] = {"@base", "@direction", "@import", "@language",
                                     "@propagate", "@protected", "@version", "@vocab"};
    for (size_t i = 0; i < sizeof kw / sizeof *kw; i++)
        if (!strcmp(k, kw[i]))
            return true;
    return false;
}

/* Step 5.13: a term definition for every other entry. */
static int define_terms(jl_state *st, jl_ctx *result, const json_t *ctx, const char *base_url,
                        const jl_chain *remote, unsigned flags)
{
    /* the sorted keys and the defined-terms map, while this context is processed */
    long long held = 256 + (128LL + 8) * (long long)json_object_size(ctx);
    if (jl_charge(st, held) < 0)
        return -1;
    jl_defs d = {.result = result, .local = ctx, .defined = json_object(), .base_url = base_url, .remote = remote, .flags = flags,
                 .protect = json_is_true(json_object_get(ctx, "@protected"))};
    size_t n;
    const char **keys = jl_sorted_keys(ctx, &n);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        if (!context_keyword(keys[i]))
            rc = jl_define(st, &d, keys[i]);
    free(keys);
    json_decref(d.defined);
    jl_charge(st, -held);
    return st->failed ? -1 : rc;
}

/* A context definition (a map), steps 5.5 to 5.13. */
static const jl_ctx *context_definition(jl_state *st, jl_ctx *result, const json_t *ctx,
                                        const char *base_url, const jl_chain *remote,
                                        unsigned flags)
{
    if (json_object_get(ctx, "@import") && !(ctx = import_context(st, ctx, base_url)))
        return NULL;
    if (context_entries(st, result, ctx, remote) < 0)
        return NULL;
    if (define_terms(st, result, ctx, base_url, remote, flags) < 0)
        return NULL;
    return result;
}

/* A null context (step 5.1): back to the initial context, unless protected terms forbid. */
static const jl_ctx *null_context(jl_state *st, const jl_ctx *result, bool propagate,
                                  unsigned flags)
{
    if (!(flags & JL_OVERRIDE) && jl_ctx_has_protected(result)) {
        jl_fail(st, "invalid context nullification", "a null context would drop protected "
                "terms");
        return NULL;
    }
    jl_ctx *fresh = jl_ctx_new(st, result->orig_base);
    if (!propagate)
        fresh->previous = result;
    return fresh;
}

static const jl_ctx *context_item(jl_state *st, const jl_ctx *result, const json_t *item,
                                  const char *base_url, const jl_chain *remote, unsigned flags,
                                  bool propagate)
{
    if (json_is_null(item))
        return null_context(st, result, propagate, flags);
    if (json_is_string(item))
        return remote_context(st, result, json_string_value(item), base_url, remote, flags);
    if (!json_is_object(item)) {
        jl_fail(st, "invalid local context", "a context must be null, a string or a map");
        return NULL;
    }
    jl_ctx *copy = jl_ctx_clone(st, result);
    return copy ? context_definition(st, copy, item, base_url, remote, flags) : NULL;
}

static const jl_ctx *process(jl_state *st, const jl_ctx *act, const json_t *local,
                             const char *base_url, const jl_chain *remote, unsigned flags)
{
    jl_ctx *result = jl_ctx_clone(st, act);
    if (!result)
        return NULL;
    bool propagate = !(flags & JL_NO_PROPAGATE);
    const json_t *p = json_is_object(local) ? json_object_get(local, "@propagate") : NULL;
    if (json_is_boolean(p))
        propagate = json_is_true(p);
    if (!propagate && !result->previous)
        result->previous = act;
    const jl_ctx *cur = result;
    if (!json_is_array(local))
        return context_item(st, cur, local, base_url, remote, flags, propagate);
    size_t i;
    const json_t *item;
    json_array_foreach(local, i, item)
        if (!(cur = context_item(st, cur, item, base_url, remote, flags, propagate)))
            return NULL;
    return cur;
}

/* NULL with st->failed on error. */
const jl_ctx *jl_process(jl_state *st, const jl_ctx *act, const json_t *local,
                         const char *base_url, const jl_chain *remote, unsigned flags)
{
    if (jl_enter(st) < 0)
        return NULL;
    const jl_ctx *r = process(st, act, local, base_url, remote, flags);
    jl_leave(st);
    return r;
}

/* Context Processing as expansion calls it.  The same local context applied to the same
 * active context gives the same result, so it is computed once: a type-scoped context on
 * every node of a long list then costs one processing, not one per node. */
const jl_ctx *jl_apply(jl_state *st, const jl_ctx *act, const json_t *local,
                       const char *base_url, unsigned flags, bool stable)
{
    size_t h = ((uintptr_t)act ^ ((uintptr_t)local * 31u) ^ flags) % JL_MEMO_BUCKETS;
    for (const jl_memo *m = st->memo[h]; m; m = m->next)
        if (m->in == act && m->local == local && m->flags == flags)
            return m->out;
    /* The run's copy first (the same contexts for every credential of a run), else here. */
    const jl_ctx *out = st->run ? jl_run_apply(st, act, local, base_url, flags, stable) : NULL;
    if (!out && !(out = jl_process(st, act, local, base_url, NULL, flags)))
        return NULL;
    jl_memo *m = cc_alloc(st->arena, sizeof *m);
    *m = (jl_memo){.in = act, .out = out, .local = local, .flags = flags, .next = st->memo[h]};
    st->memo[h] = m;
    return out;
}
