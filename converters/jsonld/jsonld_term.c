/* Create Term Definition (JSON-LD 1.1 API §4.2.2, with Candidate Correction 3 for
 * @reverse).  `value` below is always a map: a string or null definition is first turned
 * into {"@id": value}, as step 7/8 say. */
#include "jsonld_int.h"

#include <string.h>

typedef struct tdef {
    jl_state *st;
    jl_defs *d;
    const char *term;
    const json_t *value;      /* the definition as a map */
    jl_term *def;
    bool simple;              /* the definition was a string */
} tdef;

static int bad(tdef *t, const char *code, const char *why)
{
    return jl_fail(t->st, code, "term \"%s\": %s", t->term, why);
}

static const char *expand(tdef *t, const char *s)
{
    return jl_expand_iri(t->st, t->d->result, t->d, s, false, true);
}

/* Step 4: "@type" may only be given @container @set and @protected. */
static int type_keyword(tdef *t)
{
    const char *k;
    json_t *v;
    if (!json_is_object(t->value) || !json_object_size(t->value))
        return bad(t, "keyword redefinition", "only @container @set and @protected allowed");
    json_object_foreach((json_t *)t->value, k, v) {
        bool ok = (!strcmp(k, "@container") && json_is_string(v) &&
                   !strcmp(json_string_value(v), "@set")) ||
                  (!strcmp(k, "@protected") && json_is_boolean(v));
        if (!ok)
            return bad(t, "keyword redefinition", "only @container @set and @protected allowed");
    }
    return 0;
}

static int parse_type(tdef *t)
{
    const json_t *v = json_object_get(t->value, "@type");
    if (!v)
        return 0;
    if (!json_is_string(v))
        return bad(t, "invalid type mapping", "@type must be a string");
    const char *type = expand(t, json_string_value(v));
    if (t->st->failed)
        return -1;
    bool ok = type && (!strcmp(type, "@id") || !strcmp(type, "@json") ||
                       !strcmp(type, "@none") || !strcmp(type, "@vocab") ||
                       jl_has_scheme(type));
    if (!ok)
        return bad(t, "invalid type mapping", "@type must be @id, @json, @none, @vocab or an IRI");
    t->def->type = type;
    return 0;
}

/* Step 13.  1: done; 0: go on; -1: error. */
static int parse_reverse(tdef *t)
{
    const json_t *v = json_object_get(t->value, "@reverse");
    if (json_object_get(t->value, "@id") || json_object_get(t->value, "@nest"))
        return bad(t, "invalid reverse property", "@reverse with @id or @nest");
    if (!json_is_string(v))
        return bad(t, "invalid IRI mapping", "@reverse must be a string");
    if (jl_keyword_form(json_string_value(v)))
        return 1;
    const char *iri = expand(t, json_string_value(v));
    if (t->st->failed)
        return -1;
    if (!iri || !strchr(iri, ':'))
        return bad(t, "invalid IRI mapping", "@reverse must expand to an IRI");
    const json_t *c = json_object_get(t->value, "@container");
    const char *cs = json_string_value(c);
    if (c && !json_is_null(c) && !(cs && (!strcmp(cs, "@set") || !strcmp(cs, "@index"))))
        return bad(t, "invalid reverse property", "@container must be @set, @index or null");
    t->def->iri = iri;
    t->def->reverse = true;
    return 0;
}

/* Steps 14.2.4, 14.2.5: a term that looks like an IRI must expand to its own mapping. */
static int check_iri_like_term(tdef *t)
{
    const char *colon = strchr(t->term, ':');
    size_t n = strlen(t->term);
    bool iri_like = (colon && colon != t->term && colon != t->term + n - 1) ||
                    strchr(t->term, '/');
    if (iri_like) {
        json_object_set(t->d->defined, t->term, json_true());
        const char *self = expand(t, t->term);
        if (t->st->failed)
            return -1;
        if (!self || strcmp(self, t->def->iri))
            return bad(t, "invalid IRI mapping", "the term expands to another IRI");
    } else if (!colon && t->simple) {
        const char *iri = t->def->iri;
        size_t m = strlen(iri);
        if (jl_is_bnode(iri) || (m && strchr(":/?#[]@", iri[m - 1])))
            t->def->prefix = true;
    }
    return 0;
}

/* Step 14: an explicit @id.  1: the term is ignored; 0: go on; -1: error. */
static int parse_id(tdef *t, const json_t *v)
{
    if (json_is_null(v))
        return 0;  /* kept without an IRI, to detect redefinitions */
    if (!json_is_string(v))
        return bad(t, "invalid IRI mapping", "@id must be a string");
    const char *s = json_string_value(v);
    if (!jl_is_keyword(s) && jl_keyword_form(s))
        return 1;
    const char *iri = expand(t, s);
    if (t->st->failed)
        return -1;
    if (!iri || !(jl_is_keyword(iri) || strchr(iri, ':')))
        return bad(t, "invalid IRI mapping", "@id must expand to an IRI, a blank node or a keyword");
    if (!strcmp(iri, "@context"))
        return bad(t, "invalid keyword alias", "@context cannot be aliased");
    t->def->iri = iri;
    return check_iri_like_term(t);
}

/* Steps 15 to 18: no explicit @id. */
static int implied_id(tdef *t)
{
    jl_state *st = t->st;
    const char *colon = strchr(t->term, ':');
    if (colon && colon != t->term) {
        const char *prefix = jl_strn(st, t->term, (size_t)(colon - t->term));
        bool compact = strncmp(colon + 1, "//", 2) != 0;
        if (compact && json_object_get(t->d->local, prefix) && jl_define(st, t->d, prefix) < 0)
            return -1;
        const jl_term *pt = compact ? jl_term_get(t->d->result, prefix) : NULL;
        t->def->iri = pt && pt->iri ? jl_printf(st, "%s%s", pt->iri, colon + 1)
                                    : t->term;
    } else if (strchr(t->term, '/')) {
        unsigned long misses = st->vocab_misses;
        const char *iri = jl_expand_iri(st, t->d->result, NULL, t->term, false, true);
        if (st->vocab_misses != misses)
            t->d->result->vocab_missed = true;
        if (!iri || !jl_has_scheme(iri))
            return bad(t, "invalid IRI mapping", "a relative IRI needs a vocabulary mapping");
        t->def->iri = iri;
    } else if (!strcmp(t->term, "@type")) {
        t->def->iri = "@type";
    } else if (t->d->result->vocab) {
        t->def->iri = jl_printf(st, "%s%s", t->d->result->vocab, t->term);
    } else {
        st->vocab_misses++;
        t->d->result->vocab_missed = true;
        return bad(t, "invalid IRI mapping", "no @id and no @vocab");
    }
    return 0;
}

static unsigned container_flag(const char *s)
{
    static const char *const names[] = {"@list", "@set", "@index", "@language",
                                        "@graph", "@id", "@type"};
    for (unsigned i = 0; s && i < sizeof names / sizeof *names; i++)
        if (!strcmp(s, names[i]))
            return 1u << i;
    return 0;
}

/* The combinations step 19.1 allows. */
static bool container_ok(unsigned f)
{
    if (f & JL_C_LIST)
        return f == JL_C_LIST;
    if (f & JL_C_GRAPH)
        return !(f & ~(unsigned)(JL_C_GRAPH | JL_C_ID | JL_C_INDEX | JL_C_SET)) &&
               !((f & JL_C_ID) && (f & JL_C_INDEX));
    unsigned rest = f & ~(unsigned)JL_C_SET;
    return (rest & (rest - 1)) == 0;
}

static int parse_container(tdef *t)
{
    const json_t *v = json_object_get(t->value, "@container");
    if (!v || (t->def->reverse && json_is_null(v)))
        return 0;
    unsigned f = container_flag(json_string_value(v));
    size_t i;
    const json_t *item;
    if (json_is_array(v))
        json_array_foreach(v, i, item) {
            unsigned one = container_flag(json_string_value(item));
            if (!one)
                return bad(t, "invalid container mapping", "unknown container");
            f |= one;
        }
    if (!f || !container_ok(f))
        return bad(t, "invalid container mapping", "not an allowed @container");
    t->def->container = f;
    if (f & JL_C_TYPE) {
        if (!t->def->type)
            t->def->type = "@id";
        if (strcmp(t->def->type, "@id") && strcmp(t->def->type, "@vocab"))
            return bad(t, "invalid type mapping", "a @type container needs @type @id or @vocab");
    }
    return 0;
}

static int parse_index(tdef *t)
{
    const json_t *v = json_object_get(t->value, "@index");
    if (!v)
        return 0;
    if (!(t->def->container & JL_C_INDEX) || !json_is_string(v))
        return bad(t, "invalid term definition", "@index needs an @index container and a string");
    const char *iri = expand(t, json_string_value(v));
    if (t->st->failed)
        return -1;
    if (!iri || !jl_has_scheme(iri))
        return bad(t, "invalid term definition", "@index must expand to an IRI");
    t->def->index = json_string_value(v);
    return 0;
}

/* Step 21: the scoped context is processed now only to report its errors early; it is
 * applied again where the term is used. */
static int parse_scoped(tdef *t)
{
    const json_t *v = json_object_get(t->value, "@context");
    if (!v)
        return 0;
    jl_defs *d = t->d;
    if (!jl_process(t->st, d->result, v, d->base_url, d->remote, JL_OVERRIDE | JL_NO_VALIDATE))
        return -1;
    t->def->has_context = true;
    t->def->context = v;
    t->def->base_url = d->base_url;
    return 0;
}

static int parse_lang_dir(tdef *t)
{
    const json_t *l = json_object_get(t->value, "@language");
    const json_t *dv = json_object_get(t->value, "@direction");
    if (json_object_get(t->value, "@type"))
        return 0;
    if (l) {
        if (!json_is_null(l) && !json_is_string(l))
            return bad(t, "invalid language mapping", "@language must be a string or null");
        t->def->has_lang = true;
        t->def->lang = json_is_string(l) ? jl_lower(t->st, json_string_value(l)) : NULL;
    }
    if (dv) {
        const char *s = json_string_value(dv);
        if (!json_is_null(dv) && !(s && (!strcmp(s, "ltr") || !strcmp(s, "rtl"))))
            return bad(t, "invalid base direction", "@direction must be ltr, rtl or null");
        t->def->has_dir = true;
        t->def->dir = s;
    }
    return 0;
}

static int parse_nest_prefix(tdef *t)
{
    const json_t *n = json_object_get(t->value, "@nest");
    const json_t *p = json_object_get(t->value, "@prefix");
    if (n) {
        const char *s = json_string_value(n);
        if (!s || (jl_is_keyword(s) && strcmp(s, "@nest")))
            return bad(t, "invalid @nest value", "@nest must be a term or @nest");
        t->def->nest = s;
    }
    if (p) {
        if (strchr(t->term, ':') || strchr(t->term, '/'))
            return bad(t, "invalid term definition", "@prefix on a compact IRI or IRI");
        if (!json_is_boolean(p))
            return bad(t, "invalid @prefix value", "@prefix must be true or false");
        t->def->prefix = json_is_true(p);
        if (t->def->prefix && t->def->iri && jl_is_keyword(t->def->iri))
            return bad(t, "invalid term definition", "a keyword alias cannot be a prefix");
    }
    return 0;
}

static int check_entries(tdef *t)
{
    static const char *const ok[] = {"@id", "@reverse", "@container", "@context",
                                     "@direction", "@index", "@language", "@nest",
                                     "@prefix", "@protected", "@type"};
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)t->value, k, v) {
        size_t i = 0;
        while (i < sizeof ok / sizeof *ok && strcmp(k, ok[i]))
            i++;
        if (i == sizeof ok / sizeof *ok)
            return bad(t, "invalid term definition", "unknown entry in the definition");
    }
    return 0;
}

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* Definitions equal but for @protected (step 27.1). */
static bool same_def(const jl_term *a, const jl_term *b)
{
    return same_str(a->iri, b->iri) && same_str(a->type, b->type) &&
           a->has_lang == b->has_lang && same_str(a->lang, b->lang) &&
           a->has_dir == b->has_dir && same_str(a->dir, b->dir) &&
           same_str(a->index, b->index) && same_str(a->nest, b->nest) &&
           a->container == b->container && a->reverse == b->reverse &&
           a->prefix == b->prefix && a->has_context == b->has_context &&
           (!a->has_context || json_equal((json_t *)a->context, (json_t *)b->context));
}

/* Steps 10 to 26 after the IRI mapping; 1: the term is ignored. */
static int parse_rest(tdef *t)
{
    int rc = 0;
    const json_t *idv = json_object_get(t->value, "@id");
    const char *ids = json_string_value(idv);
    if (json_object_get(t->value, "@reverse"))
        rc = parse_reverse(t);
    else if (idv && !(ids && !strcmp(ids, t->term)))
        rc = parse_id(t, idv);
    else
        rc = implied_id(t);
    if (rc)
        return rc;
    if (parse_container(t) < 0 || parse_index(t) < 0 || parse_scoped(t) < 0 ||
        parse_lang_dir(t) < 0 || parse_nest_prefix(t) < 0 || check_entries(t) < 0)
        return -1;
    return 0;
}

static int define(tdef *t, const jl_term *prev)
{
    const json_t *p = json_object_get(t->value, "@protected");
    t->def->protect = t->d->protect;
    if (p && !json_is_boolean(p))
        return bad(t, "invalid @protected value", "@protected must be true or false");
    if (p)
        t->def->protect = json_is_true(p);
    if (parse_type(t) < 0)
        return -1;
    int rc = parse_rest(t);
    if (rc)
        return rc < 0 ? -1 : 0;
    if (!(t->d->flags & JL_OVERRIDE) && prev && prev->protect) {
        if (!same_def(t->def, prev))
            return bad(t, "protected term redefinition", "a protected term cannot change");
        t->def = (jl_term *)prev;
    }
    jl_term_put(t->st, t->d->result, t->term, t->def);
    return 0;
}

/* A string or null definition as the map {"@id": value}; a new reference. */
static json_t *as_map(const json_t *v, bool *simple)
{
    *simple = json_is_string(v);
    if (json_is_object(v))
        return json_incref((json_t *)v);
    json_t *m = json_object();
    json_object_set(m, "@id", (json_t *)v);
    return m;
}

static int create(jl_state *st, jl_defs *d, const char *term)
{
    const json_t *raw = json_object_get(d->local, term);
    tdef t = {.st = st, .d = d, .term = term};
    if (!strcmp(term, "@type")) {
        t.value = raw;
        if (type_keyword(&t) < 0)
            return -1;
    } else if (jl_is_keyword(term)) {
        return bad(&t, "keyword redefinition", "keywords cannot be redefined");
    } else if (jl_keyword_form(term)) {
        return 0;  /* reserved for future keywords: ignored */
    }
    if (!json_is_null(raw) && !json_is_string(raw) && !json_is_object(raw))
        return bad(&t, "invalid term definition", "must be null, a string or a map");
    const jl_term *prev = jl_term_get(d->result, term);
    jl_term_put(st, d->result, term, NULL);
    json_t *map = as_map(raw, &t.simple);
    t.value = map;
    t.def = cc_alloc(st->arena, sizeof *t.def);
    int rc = define(&t, prev);
    t.def->shared = st->is_run;
    json_decref(map);
    return rc;
}

int jl_define(jl_state *st, jl_defs *d, const char *term)
{
    const json_t *state = json_object_get(d->defined, term);
    if (json_is_true(state))
        return 0;
    if (state)
        return jl_fail(st, "cyclic IRI mapping", "term \"%s\" depends on itself", term);
    if (!*term)
        return jl_fail(st, "invalid term definition", "the empty term");
    if (++st->terms_made > JL_MAX_TERMS)
        return jl_fail(st, "context overflow", "more than %d term definitions", JL_MAX_TERMS);
    json_object_set_new(d->defined, term, json_false());
    if (jl_enter(st) < 0)
        return -1;
    int rc = create(st, d, term);
    jl_leave(st);
    if (rc == 0)
        json_object_set_new(d->defined, term, json_true());
    return rc;
}
