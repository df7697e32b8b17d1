/* Expansion Algorithm steps 13 to 20: a map's entries (property entries here, keyword ones
 * in jsonld_keyword.c), nested properties (@nest) and the checks on the result. */
#include "jsonld_int.h"

#include <stdlib.h>
#include <string.h>

static json_t *json_literal(const json_t *value)
{
    return json_pack("{s:O,s:s}", "@value", (json_t *)value, "@type", "@json");
}

/* Steps 13.7 to 13.9: the value of a property, by its term's container and type. */
static int property_value(xp *x, const char *key, const jl_term *kd, const json_t *value,
                          json_t **ev)
{
    unsigned cm = kd ? kd->container : 0;
    if (kd && kd->type && !strcmp(kd->type, "@json")) {
        *ev = json_literal(value);
        return 0;
    }
    if ((cm & JL_C_LANGUAGE) && json_is_object(value))
        return jl_expand_lang_map(x->st, x->act, key, value, ev);
    if ((cm & (JL_C_INDEX | JL_C_TYPE | JL_C_ID)) && json_is_object(value))
        return jl_expand_index_map(x->st, x->act, key, value, x->base_url, ev);
    return jl_expand(x->st, x->act, key, value, x->base_url, false, ev);
}

/* Step 13.12: each value becomes a graph object. */
static json_t *as_graphs(json_t *ev)
{
    json_t *arr = jl_as_array(ev), *out = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(arr, i, item)
        json_array_append_new(out, json_pack("{s:[O]}", "@graph", item));
    json_decref(arr);
    return out;
}

static int add_reverse(xp *x, const char *iri, json_t *ev)
{
    json_t *rmap = json_object_get(x->result, "@reverse");
    if (!rmap) {
        rmap = json_object();
        json_object_set_new(x->result, "@reverse", rmap);
    }
    ev = jl_as_array(ev);
    size_t i;
    const json_t *item;
    json_array_foreach(ev, i, item)
        if (jl_is_value_obj(item) || jl_is_list_obj(item)) {
            json_decref(ev);
            return jl_fail(x->st, "invalid reverse property value", "%s", iri);
        }
    jl_add_value(rmap, iri, ev);
    return 0;
}

static int property_entry(xp *x, const char *key, const char *iri, const json_t *value)
{
    const jl_term *kd = jl_term_get(x->act, key);
    unsigned cm = kd ? kd->container : 0;
    json_t *ev = NULL;
    if (property_value(x, key, kd, value, &ev) < 0)
        return -1;
    if (!ev)
        return 0;
    if ((cm & JL_C_LIST) && !jl_is_list_obj(ev))
        ev = json_pack("{s:o}", "@list", jl_as_array(ev));
    if ((cm & JL_C_GRAPH) && !(cm & (JL_C_ID | JL_C_INDEX)))
        ev = as_graphs(ev);
    if (kd && kd->reverse)
        return add_reverse(x, iri, ev);
    jl_add_value(x->result, iri, ev);
    return 0;
}

static int entry(xp *x, const char *key, const json_t *value)
{
    if (!strcmp(key, "@context"))
        return 0;
    const char *iri = jl_expand_iri(x->st, x->act, NULL, key, false, true);
    if (x->st->failed)
        return -1;
    size_t at = jl_ptr_push(x->st, key);
    int rc;
    if (!iri || (!strchr(iri, ':') && !jl_is_keyword(iri)))
        rc = jl_unsafe(x->st, "invalid property: no context defines", key);  /* dropped */
    else if (jl_is_keyword(iri))
        rc = jl_keyword_entry(x, key, iri, value);
    else
        rc = property_entry(x, key, iri, value);
    if (rc >= 0)  /* on an error the pointer stays: it names where */
        jl_ptr_pop(x->st, at);
    return rc;
}

static bool has_value_key(xp *x, const json_t *v)
{
    const char *k;
    json_t *e;
    unsigned long misses = x->st->vocab_misses;  /* a keyword probe: see key_is */
    bool found = false;
    json_object_foreach((json_t *)v, k, e) {
        const char *iri = jl_expand_iri(x->st, x->act, NULL, k, false, true);
        if (iri && !strcmp(iri, "@value"))
            found = true;
    }
    x->st->vocab_misses = misses;
    return found;
}

/* One nested map, with the nesting key's property-scoped context (Candidate Correction 1:
 * steps 3, 8, 13 and 14 with the nesting key as active property). */
static int nested_value(xp *x, const char *nkey, const json_t *nv)
{
    if (!json_is_object(nv) || has_value_key(x, nv))
        return jl_fail(x->st, "invalid @nest value", "\"%s\" must hold maps of properties", nkey);
    const jl_term *nd = jl_term_get(x->act, nkey);
    xp y = *x;
    y.prop = nkey;
    if (nd && nd->has_context &&
        !(y.act = jl_apply(x->st, x->act, nd->context, nd->base_url, JL_OVERRIDE, nd->shared)))
        return -1;
    if (jl_enter(x->st) < 0)
        return -1;
    int rc = jl_expand_entries(&y, nv);
    jl_leave(x->st);
    return rc;
}

static int expand_nests(xp *x, const json_t *elem, json_t *nests)
{
    size_t n;
    const char **keys = jl_sorted_keys(nests, &n);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const json_t *nvs = json_object_get(elem, keys[i]);
        if (!json_is_array(nvs)) {
            rc = nested_value(x, keys[i], nvs);
            continue;
        }
        size_t j;
        const json_t *nv;
        json_array_foreach(nvs, j, nv)
            if (rc == 0)
                rc = nested_value(x, keys[i], nv);
    }
    free(keys);
    return rc;
}

/* cc_jsonld_to_rdf_split: the root's member split_key expanded into st->split instead of
 * the root's result, which is then the expansion of the document without it.  That holds
 * when the member is a property (an IRI, not a keyword, not reverse): a property entry only
 * adds its own values under its IRI; expanding it changes nothing else (no blank node is
 * named during expansion, the caches it fills give the same results to the other entries).
 * Anything else is expanded as usual and split_sure cleared (the caller converts twice). */
static int split_entry(xp *x, const char *key, const json_t *value)
{
    jl_state *st = x->st;
    const char *iri = jl_expand_iri(st, x->act, NULL, key, false, true);
    const jl_term *kd = jl_term_get(x->act, key);
    if (st->failed)
        return -1;
    if (!iri || !strchr(iri, ':') || jl_is_keyword(iri) || (kd && kd->reverse)) {
        st->split_sure = false;
        return entry(x, key, value);
    }
    json_t *own = x->result;
    x->result = st->split;
    int rc = entry(x, key, value);
    x->result = own;
    return rc;
}

/* Steps 13 and 14 over elem's entries, into x->result. */
int jl_expand_entries(xp *x, const json_t *elem)
{
    size_t n;
    const char **keys = jl_sorted_keys(elem, &n);
    json_t *nests = json_object();
    x->nests = nests;
    bool root = elem == x->st->split_root && !x->prop;
    if (root)
        x->st->split_root = NULL;  /* the document's own map, once */
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = root && !strcmp(keys[i], x->st->split_key)
                 ? split_entry(x, keys[i], json_object_get(elem, keys[i]))
                 : entry(x, keys[i], json_object_get(elem, keys[i]));
    free(keys);
    if (rc == 0)
        rc = expand_nests(x, elem, nests);
    json_decref(nests);
    return rc;
}

static bool only_keys(const json_t *obj, const char *const *allowed)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v) {
        const char *const *a = allowed;
        while (*a && strcmp(*a, k))
            a++;
        if (!*a)
            return false;
    }
    return true;
}

/* Step 15: a value object. 1: it is null (dropped). */
static int check_value_obj(xp *x, const json_t *r)
{
    static const char *const allowed[] = {"@direction", "@index", "@language", "@type",
                                          "@value", NULL};
    const json_t *type = json_object_get(r, "@type"), *v = json_object_get(r, "@value");
    if (!only_keys(r, allowed) || (type && (json_object_get(r, "@language") ||
                                            json_object_get(r, "@direction"))))
        return jl_fail(x->st, "invalid value object", "unexpected entries in a value object");
    if (json_is_string(type) && !strcmp(json_string_value(type), "@json"))
        return 0;
    if (json_is_null(v) || (json_is_array(v) && !json_array_size(v)))
        return jl_unsafe(x->st, "null @value value:", "a value object") ? -1 : 1;
    if (!json_is_string(v) && json_object_get(r, "@language"))
        return jl_fail(x->st, "invalid language-tagged value", "only strings take a language");
    const char *t = json_string_value(type);
    if (type && (!t || !jl_has_scheme(t)))
        return jl_fail(x->st, "invalid typed value", "a value's @type must be an IRI");
    return 0;
}

/* Steps 15 to 17.  1: the result becomes null. */
static int shape(xp *x, json_t **r)
{
    json_t *type = json_object_get(*r, "@type");
    if (json_object_get(*r, "@value"))
        return check_value_obj(x, *r);
    if (type && !json_is_array(type))
        json_object_set_new(*r, "@type", json_pack("[O]", type));
    if (!json_object_get(*r, "@set") && !json_object_get(*r, "@list"))
        return 0;
    size_t n = json_object_size(*r);
    if (n > 2 || (n == 2 && !json_object_get(*r, "@index")))
        return jl_fail(x->st, "invalid set or list object", "only @index may go with it");
    json_t *set = json_object_get(*r, "@set");
    if (set) {
        json_incref(set);
        json_decref(*r);
        *r = set;
    }
    return 0;
}

/* Steps 15 to 20 on x->result, which goes to *out (or is dropped). */
int jl_expand_finish(xp *x, json_t **out)
{
    json_t *r = x->result;
    x->result = NULL;
    int rc = shape(x, &r);
    if (rc == 0 && json_is_object(r)) {
        size_t n = json_object_size(r);
        if (n == 1 && json_object_get(r, "@language"))
            rc = 1;
        else if (!x->prop || !strcmp(x->prop, "@graph"))
            rc = (n == 0 || json_object_get(r, "@value") || json_object_get(r, "@list") ||
                  (n == 1 && json_object_get(r, "@id"))) ? 1 : 0;
        if (rc == 1 && jl_unsafe(x->st, n == 0 ? "empty object:" : "object with nothing to state:",
                                 "an object") < 0)
            rc = -1;
    }
    if (rc != 0) {
        json_decref(r);
        return rc < 0 ? -1 : 0;
    }
    *out = r;
    return 0;
}
