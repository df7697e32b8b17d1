/* Expansion of language maps (step 13.7) and of index, id and type maps (step 13.8). */
#include "jsonld_int.h"

#include <stdlib.h>
#include <string.h>

static int lang_items(jl_state *st, const jl_ctx *act, const char *lang, const char *dir,
                      const json_t *lv, json_t *out)
{
    const char *l = jl_expand_iri(st, act, NULL, lang, false, true);
    bool none = !strcmp(lang, "@none") || (l && !strcmp(l, "@none"));
    json_t *items = jl_as_array(json_incref((json_t *)lv));
    size_t i;
    const json_t *item;
    int rc = 0;
    json_array_foreach(items, i, item) {
        if (json_is_null(item))
            continue;
        if (!json_is_string(item)) {
            rc = jl_fail(st, "invalid language map value", "language \"%s\"", lang);
            break;
        }
        json_t *v = json_pack("{s:O}", "@value", (json_t *)item);
        if (!none)
            json_object_set_new(v, "@language", json_string(jl_lower(st, lang)));
        if (dir)
            json_object_set_new(v, "@direction", json_string(dir));
        json_array_append_new(out, v);
    }
    json_decref(items);
    return rc;
}

int jl_expand_lang_map(jl_state *st, const jl_ctx *act, const char *key, const json_t *value,
                       json_t **out)
{
    const jl_term *d = jl_term_get(act, key);
    const char *dir = d && d->has_dir ? d->dir : act->dir;
    json_t *ev = json_array();
    size_t n;
    const char **langs = jl_sorted_keys(value, &n);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = lang_items(st, act, langs[i], dir, json_object_get(value, langs[i]), ev);
    free(langs);
    if (rc < 0) {
        json_decref(ev);
        return -1;
    }
    *out = ev;
    return 0;
}

/* One map, shared by the steps below. */
typedef struct imap {
    jl_state *st;
    const jl_ctx *act;
    const char *key, *base_url;
    unsigned cm;              /* the key's container mapping */
    const char *index_key;    /* @index, or the property an index map fills */
} imap;

/* Step 13.8.3.1-2: the context the values of one index are expanded with. */
static const jl_ctx *map_context(imap *m, const char *index)
{
    const jl_ctx *mc = m->act;
    if (m->cm & (JL_C_ID | JL_C_TYPE))
        mc = m->act->previous ? m->act->previous : m->act;
    if (m->cm & JL_C_TYPE) {
        const jl_term *t = jl_term_get(mc, index);
        if (t && t->has_context)  /* a type-scoped context, so it does not propagate */
            mc = jl_apply(m->st, mc, t->context, t->base_url, JL_NO_PROPAGATE, t->shared);
    }
    return mc;
}

/* Step 13.8.3.7.2: the index is a value of the property the term names. */
static int property_index(imap *m, json_t *item, const char *index)
{
    json_t *s = json_string(index);
    json_t *re = jl_expand_value(m->st, m->act, m->index_key, s);
    json_decref(s);
    const char *eik = jl_expand_iri(m->st, m->act, NULL, m->index_key, false, true);
    if (!re || !eik || m->st->failed) {
        json_decref(re);
        return m->st->failed ? -1 : 0;
    }
    if (jl_is_value_obj(item)) {
        json_decref(re);
        return jl_fail(m->st, "invalid value object", "an index map value cannot be a value");
    }
    json_t *vals = json_pack("[o]", re);
    jl_add_value_to(vals, json_incref(json_object_get(item, eik)));
    json_object_set_new(item, eik, vals);
    return 0;
}

/* Step 13.8.3.7: what the index says goes into the item. */
static int index_item(imap *m, json_t *item, const char *index, const char *eindex)
{
    bool none = eindex && !strcmp(eindex, "@none");
    if ((m->cm & JL_C_INDEX) && strcmp(m->index_key, "@index") && !none)
        return property_index(m, item, index);
    if ((m->cm & JL_C_INDEX) && !json_object_get(item, "@index") && !none) {
        json_object_set_new(item, "@index", json_string(index));
    } else if ((m->cm & JL_C_ID) && !json_object_get(item, "@id") && !none) {
        const char *id = jl_expand_iri(m->st, m->act, NULL, index, true, false);
        if (id)
            json_object_set_new(item, "@id", json_string(id));
    } else if ((m->cm & JL_C_TYPE) && !none && eindex) {
        json_t *types = json_pack("[s]", eindex);
        jl_add_value_to(types, json_incref(json_object_get(item, "@type")));
        json_object_set_new(item, "@type", types);
    }
    return m->st->failed ? -1 : 0;
}

static int index_values(imap *m, const char *index, const json_t *iv, json_t *ev)
{
    const jl_ctx *mc = map_context(m, index);
    if (!mc)
        return -1;
    const char *eindex = jl_expand_iri(m->st, m->act, NULL, index, false, true);
    json_t *arr = jl_as_array(json_incref((json_t *)iv)), *items = NULL;
    int rc = jl_expand(m->st, mc, m->key, arr, m->base_url, true, &items);
    json_decref(arr);
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item) {
        if (rc < 0)
            break;
        if ((m->cm & JL_C_GRAPH) && !jl_is_graph_obj(item)) {
            item = json_pack("{s:[O]}", "@graph", item);
            json_array_set_new(items, i, item);
        }
        if (json_is_object(item))
            rc = index_item(m, item, index, eindex);
        if (rc == 0)
            json_array_append(ev, item);
    }
    json_decref(items);
    return rc;
}

int jl_expand_index_map(jl_state *st, const jl_ctx *act, const char *key, const json_t *value,
                        const char *base_url, json_t **out)
{
    const jl_term *d = jl_term_get(act, key);
    imap m = {.st = st, .act = act, .key = key, .base_url = base_url, .cm = d->container, .index_key = d->index ? d->index : "@index"};
    json_t *ev = json_array();
    size_t n;
    const char **idx = jl_sorted_keys(value, &n);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = index_values(&m, idx[i], json_object_get(value, idx[i]), ev);
    free(idx);
    if (rc < 0) {
        json_decref(ev);
        return -1;
    }
    *out = ev;
    return 0;
}
