/* JSON-LD 1.1 → RDF: the entry point, the conversion state (errors, recursion depth), the
 * term map of active contexts and the small predicates the algorithms share.  The
 * algorithms themselves: jsonld_ctx.c, jsonld_term.c (context processing), jsonld_iri.c
 * (IRI expansion), jsonld_expand.c, jsonld_entries.c, jsonld_keyword.c, jsonld_expmap.c
 * (expansion), jsonld_nodemap.c, jsonld_rdf.c, jsonld_lex.c (to RDF). */
#include "cc_hash.h"
#include "jsonld_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Only the first error is kept: later ones are consequences of it. */
int jl_fail(jl_state *st, const char *code, const char *fmt, ...)
{
    if (st->failed)
        return -1;
    st->failed = true;
    if (!st->err || !st->errlen)
        return -1;
    int n = snprintf(st->err, st->errlen, "JSON-LD %s: ", code);
    if (n >= 0 && (size_t)n < st->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(st->err + n, st->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Every recursive step goes through here, so hostile nesting ends in an error, not a
 * stack overflow. */
int jl_enter(jl_state *st)
{
    if (st->failed)
        return -1;
    if (++st->depth > JL_MAX_DEPTH) {
        st->depth--;
        return jl_fail(st, "nesting too deep", "more than %d levels", JL_MAX_DEPTH);
    }
    return 0;
}

void jl_leave(jl_state *st)
{
    st->depth--;
}

int jl_unsafe(jl_state *st, const char *event, const char *what)
{
    if (!st->safe || st->failed)
        return st->failed ? -1 : 0;
    jl_fail(st, "safe mode", "%s %.200s at %s: JSON-LD would drop it, so no signature covers it",
            event, what ? what : "", st->ptrlen ? st->ptr : "/");
    st->unsafe = true;
    return -1;
}

/* RFC 6901: "~" is written "~0" and "/" "~1"; a pointer too long for the buffer ends in
 * "…" rather than being cut silently. */
size_t jl_ptr_push(jl_state *st, const char *key)
{
    size_t old = st->ptrlen, cap = sizeof st->ptr - 4;
    if (st->ptrlen < cap)
        st->ptr[st->ptrlen++] = '/';
    for (const char *k = key; *k && st->ptrlen < cap; k++) {
        if (*k == '~' || *k == '/') {
            st->ptr[st->ptrlen++] = '~';
            st->ptr[st->ptrlen++] = *k == '~' ? '0' : '1';
        } else {
            st->ptr[st->ptrlen++] = *k;
        }
    }
    if (st->ptrlen >= cap)
        memcpy(st->ptr + cap, "...", 3), st->ptrlen = cap + 3;
    st->ptr[st->ptrlen] = '\0';
    return old;
}

size_t jl_ptr_push_index(jl_state *st, size_t i)
{
    char n[24];
    snprintf(n, sizeof n, "%zu", i);
    return jl_ptr_push(st, n);
}

void jl_ptr_pop(jl_state *st, size_t len)
{
    st->ptrlen = len < sizeof st->ptr ? len : 0;
    st->ptr[st->ptrlen] = '\0';
}

/* ------------------------------------------------------------------ term map */

jl_ctx *jl_ctx_new(jl_state *st, const char *base)
{
    jl_ctx *c = cc_alloc(st->arena, sizeof *c);
    c->base = c->orig_base = base;
    c->shared = st->is_run;
    return c;
}

/* Contexts are never changed once built (expansion shares them), so processing a local
 * context starts from a copy. */
jl_ctx *jl_ctx_clone(jl_state *st, const jl_ctx *c)
{
    if (jl_reserve(st, sizeof(jl_ctx) + c->cap * sizeof *c->slots) < 0)
        return NULL;  /* 20,000 one-term contexts in a row would copy 20,000 growing tables */
    jl_ctx *n = cc_alloc(st->arena, sizeof *n);
    *n = *c;
    n->shared = st->is_run;
    if (c->cap) {
        n->slots = cc_alloc(st->arena, c->cap * sizeof *n->slots);
        memcpy(n->slots, c->slots, c->cap * sizeof *n->slots);
    }
    return n;
}

static jl_slot *find_slot(jl_slot *slots, size_t cap, const char *key)
{
    size_t i = cc_hash_str(key) & (cap - 1);
    while (slots[i].key && strcmp(slots[i].key, key) != 0)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

const jl_term *jl_term_get(const jl_ctx *c, const char *term)
{
    if (!c->cap || !term)
        return NULL;
    return find_slot(c->slots, c->cap, term)->def;
}

static int grow(jl_state *st, jl_ctx *c)
{
    size_t cap = c->cap ? c->cap * 2 : 32;
    if (jl_reserve(st, cap * sizeof(jl_slot)) < 0)
        return -1;
    jl_slot *slots = cc_alloc(st->arena, cap * sizeof *slots);
    for (size_t i = 0; i < c->cap; i++)
        if (c->slots[i].key)
            *find_slot(slots, cap, c->slots[i].key) = c->slots[i];
    c->slots = slots;
    c->cap = cap;
    return 0;
}

/* def NULL removes the definition. */
void jl_term_put(jl_state *st, jl_ctx *c, const char *term, const jl_term *def)
{
    if ((c->used + 1) * 2 > c->cap && grow(st, c) < 0)
        return;  /* st->failed: the caller's next step stops */
    jl_slot *s = find_slot(c->slots, c->cap, term);
    if (!s->key) {
        s->key = jl_str(st, term);
        c->used++;
    }
    s->def = def;
}

bool jl_ctx_has_protected(const jl_ctx *c)
{
    for (size_t i = 0; i < c->cap; i++)
        if (c->slots[i].def && c->slots[i].def->protect)
            return true;
    return false;
}

/* ------------------------------------------------------------------ predicates */

static const char *const keywords[] = {
    "@base", "@container", "@context", "@default", "@direction", "@embed", "@explicit",
    "@graph", "@id", "@import", "@included", "@index", "@json", "@language", "@list",
    "@nest", "@none", "@omitDefault", "@prefix", "@preserve", "@protected", "@propagate",
    "@requireAll", "@reverse", "@set", "@type", "@value", "@version", "@vocab",
};

bool jl_is_keyword(const char *s)
{
    if (!s || s[0] != '@')
        return false;
    for (size_t i = 0; i < sizeof keywords / sizeof *keywords; i++)
        if (!strcmp(s, keywords[i]))
            return true;
    return false;
}

/* "@"1*ALPHA: reserved for future keywords, ignored with (in the spec) a warning. */
bool jl_keyword_form(const char *s)
{
    if (!s || s[0] != '@' || !s[1])
        return false;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
            return false;
    return true;
}

int jl_cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The keys of obj in code point order (UTF-8 byte order is code point order): the
 * algorithms are run "ordered" so blank node labels are reproducible.  The array is
 * malloc'd (the caller frees it); the strings belong to obj. */
const char **jl_sorted_keys(const json_t *obj, size_t *n)
{
    *n = json_object_size(obj);
    const char **keys = malloc((*n ? *n : 1) * sizeof *keys);
    if (!keys)
        cc_oom();
    size_t i = 0;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v)
        keys[i++] = k;
    qsort(keys, *n, sizeof *keys, jl_cmp_str);
    return keys;
}

const char *jl_str(jl_state *st, const char *s)
{
    return s ? jl_strn(st, s, strlen(s)) : NULL;
}

/* Language tags are kept lower-cased, as the JSON-LD processors that sign credentials do
 * (the spec allows it), so the canonical N-Quads match theirs. */
const char *jl_lower(jl_state *st, const char *s)
{
    if (!s || jl_reserve(st, strlen(s) + 1) < 0)
        return s ? "" : NULL;
    char *l = cc_strdup(st->arena, s);
    for (char *p = l; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return l;
}

/* ------------------------------------------------------------------ memory budget */

/* What the arena holds from malloc, at most: a new 64 KiB block is started only when a
 * request of at most 16 KiB does not fit in the current one, so every block but the newest
 * is at least 3/4 used; a larger request gets a block of its own, of its size. */
static size_t arena_bound(const jl_state *st)
{
    size_t used = cc_arena_used(st->arena);
    return used + used / 3 + (64u << 10);
}

int jl_reserve(jl_state *st, size_t n)
{
    if (st->failed)
        return -1;
    size_t have = arena_bound(st) + st->charged;
    if (n <= JL_MAX_MEMORY && have <= JL_MAX_MEMORY - n)
        return 0;
    return jl_fail(st, "context overflow", "processing this document's contexts would take more "
                   "than %u MiB (the JSON-LD memory limit of one document)", JL_MAX_MEMORY >> 20);
}

int jl_charge(jl_state *st, long long n)
{
    if (n > 0 && jl_reserve(st, (size_t)n) < 0)
        return -1;
    st->charged = n < 0 && (size_t)-n > st->charged ? 0 : (size_t)((long long)st->charged + n);
    return 0;
}

/* An upper bound of the bytes jansson (64-bit) and malloc take for v: each value's struct and
 * malloc header; a string's bytes; an array's table (at most twice its size, 8 at least); an
 * object's buckets (likewise) and one pair per key.  Remote contexts are parsed by jansson,
 * so their nesting is bounded by its depth limit. */
size_t jl_json_cost(const json_t *v)
{
    size_t c = 0, i;
    const char *k;
    json_t *x;
    switch (json_typeof(v)) {
    case JSON_STRING: return 96 + json_string_length(v);
    case JSON_INTEGER: case JSON_REAL: return 48;
    case JSON_ARRAY:
        json_array_foreach((json_t *)v, i, x)
            c += jl_json_cost(x);
        return c + 160 + 16 * json_array_size(v);
    case JSON_OBJECT:
        json_object_foreach((json_t *)v, k, x)
            c += jl_json_cost(x) + strlen(k);
        return c + 256 + 128 * json_object_size(v);
    default: return 0;  /* true, false, null: shared singletons */
    }
}

const char *jl_strn(jl_state *st, const char *s, size_t n)
{
    if (jl_reserve(st, n + 1) < 0)
        return "";
    return cc_strndup(st->arena, s, n);
}

const char *jl_printf(jl_state *st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || jl_reserve(st, (size_t)n + 1) < 0)
        return "";
    char *d = cc_alloc(st->arena, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return d;
}

/* ------------------------------------------------------------------ entry */

/* The expansion API's final steps: a lone @graph is unwrapped, the result is an array.
 * *root (may be NULL): the root map's own expansion, borrowed from *out. */
static int expand_document(jl_state *st, const json_t *doc, json_t **out, const json_t **root)
{
    const jl_ctx *act = st->initial = jl_ctx_new(st, NULL);
    json_t *res = NULL;
    if (jl_expand(st, act, NULL, doc, NULL, false, &res) < 0)
        return -1;
    if (root)
        *root = res;
    if (json_is_object(res) && json_object_size(res) == 1 && json_object_get(res, "@graph")) {
        json_t *g = json_incref(json_object_get(res, "@graph"));
        json_decref(res);
        res = g;
        if (root)
            *root = NULL;  /* gone: no root map to speak of */
    }
    if (!res)
        res = json_array();
    if (!json_is_array(res)) {
        json_t *a = json_array();
        json_array_append_new(a, res);
        res = a;
    }
    *out = res;
    return 0;
}

int cc_jsonld_to_rdf(const json_t *doc, cc_jsonld_loader load, void *ud, cc_rdf_dataset *out,
                     char *err, size_t errlen)
{
    return cc_jsonld_to_rdf_mode(doc, load, ud, false, out, err, errlen);
}

int cc_jsonld_to_rdf_mode(const json_t *doc, cc_jsonld_loader load, void *ud, bool safe,
                          cc_rdf_dataset *out, char *err, size_t errlen)
{
    return cc_jsonld_to_rdf_run(doc, load, ud, safe, NULL, out, err, errlen);
}

int cc_jsonld_to_rdf_run(const json_t *doc, cc_jsonld_loader load, void *ud, bool safe,
                         cc_jsonld_run *run, cc_rdf_dataset *out, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    jl_state st = {.load = load, .ud = ud, .err = err, .errlen = errlen, .safe = safe, .run = run};
    st.arena = cc_arena_new();
    st.docs = json_object();
    st.keep = json_array();
    st.bnodes = json_object();
    json_t *expanded = NULL;
    int rc = expand_document(&st, doc, &expanded, NULL);
    if (rc == 0)
        rc = jl_to_rdf(&st, expanded, out);
    json_decref(expanded);
    json_decref(st.bnodes);
    json_decref(st.keep);
    json_decref(st.docs);
    cc_arena_free(st.arena);
    return rc < 0 && st.unsafe ? -2 : rc;
}

/* ------------------------------------------------------------------ split */

#define SPLIT_MAX_DEPTH 100       /* far below JL_MAX_DEPTH: the node map nests no deeper */
static const char *const catch_all[] = {CC_JSONLD_UNDEFINED, CC_JSONLD_ISSUER_DEPENDENT};

static bool caught_str(const char *s)
{
    for (int i = 0; i < 2; i++)
        if (!strncmp(s, catch_all[i], strlen(catch_all[i])))
            return true;
    return false;
}

/* Whether v, an expanded tree, could give the terms check something to report or a
 * conversion error: a key or a string (an IRI, a literal: more than needed) in a catch-all
 * vocabulary, nesting past SPLIT_MAX_DEPTH, or (index: an @index is refused) a node @index
 * that could conflict with another node's. */
static bool suspect(const json_t *v, int depth, bool index)
{
    if (depth > SPLIT_MAX_DEPTH)
        return true;
    const char *k;
    size_t i;
    json_t *x;
    switch (json_typeof(v)) {
    case JSON_STRING: return caught_str(json_string_value(v));
    case JSON_ARRAY:
        json_array_foreach((json_t *)v, i, x)
            if (suspect(x, depth + 1, index))
                return true;
        return false;
    case JSON_OBJECT:
        json_object_foreach((json_t *)v, k, x)
            if (caught_str(k) || (index && !strcmp(k, "@index")) || suspect(x, depth + 1, index))
                return true;
        return false;
    default: return false;
    }
}

/* The whole document's expansion is the root's (without key) with the split member's values
 * under their IRI: its terms check finds nothing when neither part is suspect, the root is
 * a plain node object (what the member joins changes no shape: no @graph to unwrap, no value
 * or list object), no IRI met a missing vocabulary (a catch-all @vocab would change
 * nothing) and the rest of the conversion stays well inside the memory budget. */
static bool terms_clean(jl_state *st, const json_t *root)
{
    if (!st->split_sure || st->vocab_misses || !json_is_object(root) || json_object_get(root, "@graph") ||
        json_object_get(root, "@value") || json_object_get(root, "@list"))
        return false;
    if (suspect(root, 0, false) || suspect(st->split, 1, true))
        return false;
    size_t have = arena_bound(st) + st->charged, more = 4 * jl_json_cost(st->split);
    return have < JL_MAX_MEMORY / 2 && more < JL_MAX_MEMORY / 2 - have;
}

int cc_jsonld_to_rdf_split(const json_t *doc, const char *key, cc_jsonld_loader load, void *ud,
                           cc_jsonld_run *run, cc_rdf_dataset *out, bool *clean, char *err, size_t errlen)
{
    *clean = false;
    if (err && errlen)
        err[0] = '\0';
    if (!json_is_object(doc) || !json_object_get(doc, key))
        return 1;
    jl_state st = {.load = load, .ud = ud, .err = err, .errlen = errlen, .safe = true, .run = run,
                   .split_root = doc, .split_key = key, .split_sure = true};
    st.arena = cc_arena_new();
    st.docs = json_object();
    st.keep = json_array();
    st.bnodes = json_object();
    st.split = json_object();
    json_t *expanded = NULL;
    const json_t *root = NULL;
    int rc = expand_document(&st, doc, &expanded, &root);
    if (rc == 0 && st.split_sure && st.split_root == NULL)
        rc = jl_to_rdf(&st, expanded, out);
    else
        rc = -1;
    if (rc == 0)
        *clean = terms_clean(&st, root);
    json_decref(expanded);
    json_decref(st.split);
    json_decref(st.bnodes);
    json_decref(st.keep);
    json_decref(st.docs);
    cc_arena_free(st.arena);
    return rc == 0 ? 0 : 1;
}
