/* The Expansion Algorithm (JSON-LD 1.1 API §5.1.2) and Value Expansion (§5.3.2).  Keys are
 * visited in code point order (the "ordered" option) so that blank node labels do not
 * depend on the input's key order.  A map's entries: jsonld_entries.c, jsonld_keyword.c;
 * language, index, id and type maps: jsonld_expmap.c. */
#include "jsonld_int.h"

#include <stdlib.h>
#include <string.h>

bool jl_is_value_obj(const json_t *v)
{
    return json_is_object(v) && json_object_get(v, "@value");
}

bool jl_is_list_obj(const json_t *v)
{
    return json_is_object(v) && json_object_get(v, "@list");
}

/* A map with @graph and at most @id and @index besides. */
bool jl_is_graph_obj(const json_t *v)
{
    if (!json_is_object(v) || !json_object_get(v, "@graph"))
        return false;
    size_t n = 1 + (json_object_get(v, "@id") != NULL) + (json_object_get(v, "@index") != NULL);
    return json_object_size(v) == n;
}

/* Appends v (its items when it is an array) to arr; takes v over. */
void jl_add_value_to(json_t *arr, json_t *v)
{
    if (json_is_array(v))
        json_array_extend(arr, v);
    else if (v)
        json_array_append(arr, v);
    json_decref(v);
}

/* "add value" with as array true; takes v over. */
void jl_add_value(json_t *obj, const char *key, json_t *v)
{
    json_t *arr = json_object_get(obj, key);
    if (!json_is_array(arr)) {
        arr = json_array();
        json_object_set_new(obj, key, arr);
    }
    jl_add_value_to(arr, v);
}

/* v as an array; takes v over. */
json_t *jl_as_array(json_t *v)
{
    if (json_is_array(v))
        return v;
    json_t *a = json_array();
    if (v)
        json_array_append_new(a, v);
    return a;
}

/* Value Expansion.  NULL when the value is dropped (an IRI that expands to null) or, with
 * st->failed, on error. */
json_t *jl_expand_value(jl_state *st, const jl_ctx *act, const char *prop, const json_t *v)
{
    const jl_term *d = jl_term_get(act, prop);
    const char *tm = d ? d->type : NULL;
    bool id = tm && !strcmp(tm, "@id"), vocab = tm && !strcmp(tm, "@vocab");
    if ((id || vocab) && json_is_string(v)) {
        const char *iri = jl_expand_iri(st, act, NULL, json_string_value(v), true, vocab);
        if (!jl_iri_like(iri) &&
            jl_unsafe(st, "relative @id reference", json_string_value(v)) < 0)
            return NULL;
        return iri ? json_pack("{s:s}", "@id", iri) : NULL;
    }
    json_t *r = json_pack("{s:O}", "@value", (json_t *)v);
    if (tm && !id && !vocab && strcmp(tm, "@none")) {
        json_object_set_new(r, "@type", json_string(tm));
    } else if (json_is_string(v)) {
        const char *lang = d && d->has_lang ? d->lang : act->lang;
        const char *dir = d && d->has_dir ? d->dir : act->dir;
        if (lang)
            json_object_set_new(r, "@language", json_string(lang));
        if (dir)
            json_object_set_new(r, "@direction", json_string(dir));
    }
    return r;
}

static const char *key_iri(jl_state *st, const jl_ctx *act, const char *key)
{
    return jl_expand_iri(st, act, NULL, key, false, true);
}

/* Whether key expands to the keyword kw: a vocabulary never makes a keyword, so a missing
 * one met here is not counted (jl_state.vocab_misses). */
static bool key_is(jl_state *st, const jl_ctx *act, const char *key, const char *kw)
{
    unsigned long misses = st->vocab_misses;
    const char *e = key_iri(st, act, key);
    st->vocab_misses = misses;
    return e && !strcmp(e, kw);
}

/* Step 7: a map that is a value object or a bare reference keeps the term-scoped context;
 * any other node object drops it. */
static bool keeps_context(jl_state *st, const jl_ctx *act, const json_t *elem)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)elem, k, v)
        if (key_is(st, act, k, "@value"))
            return true;
    if (json_object_size(elem) != 1)
        return false;
    json_object_foreach((json_t *)elem, k, v)
        return key_is(st, act, k, "@id");
    return false;
}

/* The string values of v (a string or an array), sorted; malloc'd, *n of them. */
static const char **sorted_strings(const json_t *v, size_t *n)
{
    size_t cap = json_is_array(v) ? json_array_size(v) : 1;
    const char **s = malloc((cap ? cap : 1) * sizeof *s);
    if (!s)
        cc_oom();
    *n = 0;
    if (json_is_string(v))
        s[(*n)++] = json_string_value(v);
    size_t i;
    const json_t *item;
    if (json_is_array(v))
        json_array_foreach(v, i, item)
            if (json_is_string(item))
                s[(*n)++] = json_string_value(item);
    qsort(s, *n, sizeof *s, jl_cmp_str);
    return s;
}

/* Step 11: the type-scoped contexts of the node's types, taken from the context before any
 * of them applies (tsc), none of them propagating to nested nodes. */
static const jl_ctx *type_scoped(jl_state *st, const jl_ctx *tsc, const json_t *elem,
                                 const char **keys, size_t nkeys)
{
    const jl_ctx *act = tsc;
    for (size_t i = 0; i < nkeys && act; i++) {
        if (!key_is(st, tsc, keys[i], "@type"))
            continue;
        size_t n;
        const char **types = sorted_strings(json_object_get(elem, keys[i]), &n);
        for (size_t j = 0; j < n && act; j++) {
            const jl_term *t = jl_term_get(tsc, types[j]);
            if (t && t->has_context)
                act = jl_apply(st, act, t->context, t->base_url, JL_NO_PROPAGATE, t->shared);
        }
        free(types);
    }
    return act;
}

/* Step 12: the expanded last type of the first @type entry, for @json values. */
static const char *input_type(jl_state *st, const jl_ctx *act, const json_t *elem,
                              const char **keys, size_t nkeys)
{
    for (size_t i = 0; i < nkeys; i++) {
        if (!key_is(st, act, keys[i], "@type"))
            continue;
        const json_t *v = json_object_get(elem, keys[i]);
        if (json_is_array(v))
            v = json_array_get(v, json_array_size(v) - 1);
        return json_is_string(v) ? key_iri(st, act, json_string_value(v)) : NULL;
    }
    return NULL;
}

/* The contexts in force for the entries of a map (steps 3 and 7 to 11). */
static const jl_ctx *map_context(xp *x, const json_t *elem, bool from_map, const jl_ctx **tsc)
{
    jl_state *st = x->st;
    const jl_ctx *act = x->act;
    const jl_term *pd = jl_term_get(act, x->prop);
    if (act->previous && !from_map && !keeps_context(st, act, elem))
        act = act->previous;
    if (act && pd && pd->has_context)
        act = jl_apply(st, act, pd->context, pd->base_url, JL_OVERRIDE, pd->shared);
    const json_t *local = json_object_get(elem, "@context");
    if (act && local)
        act = jl_apply(st, act, local, x->base_url, 0, false);
    *tsc = act;
    return act;
}

static int expand_map(xp *x, const json_t *elem, bool from_map, json_t **out)
{
    const jl_ctx *tsc;
    const jl_ctx *act = map_context(x, elem, from_map, &tsc);
    if (!act)
        return -1;
    size_t nkeys;
    const char **keys = jl_sorted_keys(elem, &nkeys);
    act = type_scoped(x->st, tsc, elem, keys, nkeys);
    int rc = -1;
    if (act) {
        xp y = *x;
        y.act = act;
        y.tsc = tsc;
        y.input_type = input_type(x->st, act, elem, keys, nkeys);
        y.result = json_object();
        rc = jl_expand_entries(&y, elem);
        if (rc == 0)
            rc = jl_expand_finish(&y, out);
        else
            json_decref(y.result);
    }
    free(keys);
    return rc;
}

static int expand_array(xp *x, const json_t *elem, bool from_map, json_t **out)
{
    const jl_term *pd = jl_term_get(x->act, x->prop);
    json_t *result = json_array();
    size_t i;
    const json_t *item;
    json_array_foreach(elem, i, item) {
        json_t *e = NULL;
        size_t at = jl_ptr_push_index(x->st, i);
        if (jl_expand(x->st, x->act, x->prop, item, x->base_url, from_map, &e) < 0) {
            json_decref(result);
            return -1;
        }
        jl_ptr_pop(x->st, at);
        if (pd && (pd->container & JL_C_LIST) && json_is_array(e))
            e = json_pack("{s:o}", "@list", e);
        if (json_is_array(e))
            json_array_extend(result, e);
        else if (e)
            json_array_append(result, e);
        json_decref(e);
    }
    *out = result;
    return 0;
}

static int expand_scalar(xp *x, const json_t *elem, json_t **out)
{
    if (!x->prop || !strcmp(x->prop, "@graph"))  /* free-floating scalars are dropped */
        return jl_unsafe(x->st, "free-floating scalar:", "a value outside any property");
    const jl_ctx *act = x->act;
    const jl_term *pd = jl_term_get(act, x->prop);
    if (pd && pd->has_context &&
        !(act = jl_apply(x->st, act, pd->context, pd->base_url, 0, pd->shared)))
        return -1;
    *out = jl_expand_value(x->st, act, x->prop, elem);
    return x->st->failed ? -1 : 0;
}

/* *out: a new reference, or NULL for null. */
int jl_expand(jl_state *st, const jl_ctx *act, const char *prop, const json_t *elem,
              const char *base_url, bool from_map, json_t **out)
{
    *out = NULL;
    if (jl_enter(st) < 0)
        return -1;
    xp x = {.st = st, .act = act, .prop = prop, .base_url = base_url};
    int rc = 0;
    if (json_is_array(elem))
        rc = expand_array(&x, elem, from_map, out);
    else if (json_is_object(elem))
        rc = expand_map(&x, elem, from_map, out);
    else if (!json_is_null(elem))
        rc = expand_scalar(&x, elem, out);
    jl_leave(st);
    if (rc < 0) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}
