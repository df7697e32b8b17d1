/* Expansion of a map entry whose key expands to a keyword (Expansion Algorithm step 13.4). */
#include "jsonld_int.h"

#include <string.h>

/* Each handler: 0 with *ev the expanded value to store (or NULL), 1 when it stored what it
 * had to itself, -1 on error. */
typedef int (*kw_fn)(xp *x, const char *key, const json_t *v, json_t **ev);

static int kw_id(xp *x, const char *key, const json_t *v, json_t **ev)
{
    (void)key;
    if (!json_is_string(v))
        return jl_fail(x->st, "invalid @id value", "@id must be a string");
    const char *iri = jl_expand_iri(x->st, x->act, NULL, json_string_value(v), true, false);
    if (!jl_iri_like(iri) &&
        jl_unsafe(x->st, "relative @id reference", json_string_value(v)) < 0)
        return -1;
    *ev = iri ? json_string(iri) : NULL;
    return x->st->failed ? -1 : 0;
}

/* Types expand with the type-scoped context: a node's own types are not changed by the
 * contexts they bring. */
static json_t *type_iri(xp *x, const json_t *s)
{
    const char *iri = jl_expand_iri(x->st, x->tsc, NULL, json_string_value(s), true, true);
    if (!jl_iri_like(iri) && jl_unsafe(x->st, "relative @type reference", json_string_value(s)) < 0)
        return NULL;
    return iri ? json_string(iri) : NULL;
}

static int kw_type(xp *x, const char *key, const json_t *v, json_t **ev)
{
    (void)key;
    size_t i;
    const json_t *item;
    bool strings = json_is_string(v) || json_is_array(v);
    if (json_is_array(v))
        json_array_foreach(v, i, item)
            strings = strings && json_is_string(item);
    if (!strings)
        return jl_fail(x->st, "invalid type value", "@type must be a string or strings");
    json_t *e = json_is_string(v) ? type_iri(x, v) : json_array();
    if (json_is_array(v))
        json_array_foreach(v, i, item) {
            json_t *t = type_iri(x, item);
            if (t)
                json_array_append_new(e, t);
        }
    const json_t *have = json_object_get(x->result, "@type");
    if (have && e) {
        json_t *all = jl_as_array(json_deep_copy(have));
        jl_add_value_to(all, e);
        e = all;
    }
    *ev = e;
    return x->st->failed ? -1 : 0;
}

static int kw_graph(xp *x, const char *key, const json_t *v, json_t **ev)
{
    (void)key;
    json_t *e = NULL;
    if (jl_expand(x->st, x->act, "@graph", v, x->base_url, false, &e) < 0)
        return -1;
    *ev = jl_as_array(e);
    return 0;
}

static bool is_node_obj(const json_t *v)
{
    return json_is_object(v) && !json_object_get(v, "@value") &&
           !json_object_get(v, "@list") && !json_object_get(v, "@set");
}

static int kw_included(xp *x, const char *key, const json_t *v, json_t **ev)
{
    (void)key;
    json_t *e = NULL;
    if (jl_expand(x->st, x->act, NULL, v, x->base_url, false, &e) < 0)
        return -1;
    e = jl_as_array(e);
    size_t i;
    const json_t *item;
    json_array_foreach(e, i, item)
        if (!is_node_obj(item)) {
            json_decref(e);
            return jl_fail(x->st, "invalid @included value", "@included needs node objects");
        }
    const json_t *have = json_object_get(x->result, "@included");
    if (have) {
        json_t *all = json_deep_copy(have);
        jl_add_value_to(all, e);
        e = all;
    }
    *ev = e;
    return 0;
}

static int kw_value(xp *x, const char *key, const json_t *v, json_t **ev)
{
    (void)key, (void)ev;
    bool json = x->input_type && !strcmp(x->input_type, "@json");
    if (!json && (json_is_object(v) || json_is_array(v)))
        return jl_fail(x->st, "invalid value object value", "@value must be a scalar or null");
    json_object_set(x->result, "@value", (json_t *)v);
    return 1;
}

static int kw_language(xp *x, const char *key, const json_t *v, json_t **ev)
{
    (void)key;
    if (!json_is_string(v))
        return jl_fail(x->st, "invalid language-tagged string", "@language must be a string");
    if (!jl_lang_ok(json_string_value(v)) && jl_unsafe(x->st, "invalid @language value", json_string_value(v)) < 0)
        return -1;
    *ev = json_string(jl_lower(x->st, json_string_value(v)));
    return 0;
}

static int kw_direction(xp *x, const char *key, const json_t *v, json_t **ev)
{
    (void)key;
    const char *s = json_string_value(v);
    if (!s || (strcmp(s, "ltr") && strcmp(s, "rtl")))
        return jl_fail(x->st, "invalid base direction", "@direction must be ltr or rtl");
    *ev = json_string(s);
    return 0;
}

static int kw_index(xp *x, const char *key, const json_t *v, json_t **ev)
{
    (void)key;
    if (!json_is_string(v))
        return jl_fail(x->st, "invalid @index value", "@index must be a string");
    *ev = json_incref((json_t *)v);
    return 0;
}

static int kw_list(xp *x, const char *key, const json_t *v, json_t **ev)
{
    (void)key;
    if (!x->prop || !strcmp(x->prop, "@graph"))
        return 1;  /* a free-floating list is dropped */
    json_t *e = NULL;
    if (jl_expand(x->st, x->act, x->prop, v, x->base_url, false, &e) < 0)
        return -1;
    *ev = jl_as_array(e);
    return 0;
}

static int kw_set(xp *x, const char *key, const json_t *v, json_t **ev)
{
    (void)key;
    return jl_expand(x->st, x->act, x->prop, v, x->base_url, false, ev);
}

/* The entries of an expanded @reverse map, other than a nested @reverse, go to the
 * result's reverse map. */
static int reverse_into(xp *x, const json_t *e)
{
    json_t *rmap = json_object_get(x->result, "@reverse");
    const char *prop;
    const json_t *items;
    json_object_foreach((json_t *)e, prop, items) {
        if (!strcmp(prop, "@reverse"))
            continue;
        if (!rmap) {
            rmap = json_object();
            json_object_set_new(x->result, "@reverse", rmap);
        }
        size_t i;
        const json_t *item;
        json_array_foreach(items, i, item)
            if (jl_is_value_obj(item) || jl_is_list_obj(item))
                return jl_fail(x->st, "invalid reverse property value", "%s", prop);
        jl_add_value(rmap, prop, json_incref((json_t *)items));
    }
    return 0;
}

static int kw_reverse(xp *x, const char *key, const json_t *v, json_t **ev)
{
    (void)key, (void)ev;
    if (!json_is_object(v))
        return jl_fail(x->st, "invalid @reverse value", "@reverse must be a map");
    json_t *e = NULL;
    if (jl_expand(x->st, x->act, "@reverse", v, x->base_url, false, &e) < 0)
        return -1;
    const char *prop;
    const json_t *items;
    json_object_foreach(json_object_get(e, "@reverse"), prop, items)
        jl_add_value(x->result, prop, json_incref((json_t *)items));
    int rc = json_is_object(e) ? reverse_into(x, e) : 0;
    json_decref(e);
    return rc < 0 ? -1 : 1;
}

static int kw_nest(xp *x, const char *key, const json_t *v, json_t **ev)
{
    (void)v, (void)ev;
    json_object_set(x->nests, key, json_true());
    return 1;
}

static const struct {
    const char *kw;
    kw_fn fn;
} handlers[] = {
    {.kw = "@id", .fn = kw_id}, {.kw = "@type", .fn = kw_type}, {.kw = "@graph", .fn = kw_graph}, {.kw = "@included", .fn = kw_included},
    {.kw = "@value", .fn = kw_value}, {.kw = "@language", .fn = kw_language}, {.kw = "@direction", .fn = kw_direction},
    {.kw = "@index", .fn = kw_index}, {.kw = "@list", .fn = kw_list}, {.kw = "@set", .fn = kw_set}, {.kw = "@reverse", .fn = kw_reverse},
    {.kw = "@nest", .fn = kw_nest},
};

int jl_keyword_entry(xp *x, const char *key, const char *kw, const json_t *value)
{
    if (x->prop && !strcmp(x->prop, "@reverse"))
        return jl_fail(x->st, "invalid reverse property map", "keyword %s in @reverse", kw);
    if (json_object_get(x->result, kw) && strcmp(kw, "@included") && strcmp(kw, "@type"))
        return jl_fail(x->st, "colliding keywords", "%s given twice", kw);
    for (size_t i = 0; i < sizeof handlers / sizeof *handlers; i++) {
        if (strcmp(kw, handlers[i].kw))
            continue;
        json_t *ev = NULL;
        int rc = handlers[i].fn(x, key, value, &ev);
        if (rc == 0 && ev)
            json_object_set_new(x->result, kw, ev);
        else
            json_decref(ev);
        return rc < 0 ? -1 : 0;
    }
    return 0;  /* other keywords (framing, context ones) carry nothing here */
}
