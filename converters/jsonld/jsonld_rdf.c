/* Deserialize JSON-LD to RDF (JSON-LD 1.1 API §8.1.2) with Object to RDF (§8.2) and List to
 * RDF (§8.3); produceGeneralizedRdf false, rdfDirection null (a @direction is dropped, the
 * language kept).  Only well-formed quads are emitted: relative IRIs, blank node
 * predicates, bad datatypes and bad language tags are skipped, as the spec says. */
#include "jsonld_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define XSD "http://www.w3.org/2001/XMLSchema#"

typedef struct emit {
    jl_state *st;
    cc_rdf_dataset *out;
    const cc_rdf_term *g;     /* NULL: the default graph */
} emit;

static cc_rdf_term node_term(const char *id)
{
    if (jl_is_bnode(id))
        return (cc_rdf_term){.kind = CC_RDF_BLANK, .value = id + 2};
    return (cc_rdf_term){.kind = CC_RDF_IRI, .value = id};
}

static bool node_ok(const char *id)
{
    return id && (jl_is_bnode(id) || jl_iri_ok(id));
}

static int add(emit *e, const cc_rdf_term *s, const char *p, const cc_rdf_term *o)
{
    cc_rdf_term pt = {.kind = CC_RDF_IRI, .value = p};
    if (cc_rdf_add(e->out, s, &pt, o, e->g) < 0)
        return jl_fail(e->st, "out of memory", "adding a quad");
    return 0;
}

/* A JSON integer or an integral double below 1e21: xsd:integer's form. */
static bool integral(const json_t *v)
{
    if (json_is_integer(v))
        return true;
    double d = json_real_value(v);
    if (d != d || d >= 1e21 || d <= -1e21)  /* NaN (never parsed) and beyond: no integer cast */
        return false;
    if (d >= 4503599627370496.0 || d <= -4503599627370496.0)
        return true;  /* 2^52 and beyond every double is an integer */
    return (double)(long long)d == d;
}

static const char *number_lex(emit *e, const json_t *v, const char **dt)
{
    char buf[64];
    bool dbl = *dt && !strcmp(*dt, XSD "double");
    if (dbl || !integral(v)) {
        jl_double_lex(json_number_value(v), buf);
        if (!*dt)
            *dt = XSD "double";
    } else {
        /* Through a double, as JSON numbers are in the JavaScript processors that sign
         * credentials: an integer beyond 2^53 gets their rounding, hence their hash. */
        double d = json_number_value(v);
        snprintf(buf, sizeof buf, "%.0f", d == 0 ? 0.0 : d);
        if (!*dt)
            *dt = XSD "integer";
    }
    return jl_str(e->st, buf);
}

static const char *json_lex(emit *e, const json_t *v)
{
    char *j = jl_jcs(v);
    if (!j) {
        jl_fail(e->st, "nesting too deep", "a JSON literal nests more than %d levels",
                JL_MAX_DEPTH);
        return NULL;
    }
    const char *lex = jl_str(e->st, j);
    free(j);
    return lex;
}

/* A value object's literal; o->kind stays CC_RDF_NONE when it is not well-formed. */
static int literal(emit *e, const json_t *item, cc_rdf_term *o)
{
    const json_t *v = json_object_get(item, "@value"), *t = json_object_get(item, "@type");
    const char *dt = json_string_value(t), *lang = json_string_value(json_object_get(item, "@language"));
    const char *lex = NULL;
    if ((t && !dt) || (dt && strcmp(dt, "@json") && !jl_iri_ok(dt)) || (lang && !jl_lang_ok(lang)))
        return jl_unsafe(e->st, "ill-formed literal (datatype or language)", dt ? dt : lang);
    if (dt && !strcmp(dt, "@json")) {
        if (!(lex = json_lex(e, v)))
            return -1;
        dt = RDF "JSON";
    } else if (json_is_boolean(v)) {
        lex = json_is_true(v) ? "true" : "false";
        dt = dt ? dt : XSD "boolean";
    } else if (json_is_number(v)) {
        lex = number_lex(e, v, &dt);
    } else if (json_is_string(v)) {
        lex = json_string_value(v);
        dt = dt ? dt : lang ? CC_RDF_LANGSTRING : CC_XSD_STRING;
    } else {
        return 0;
    }
    bool tagged = !strcmp(dt, CC_RDF_LANGSTRING) && lang;
    *o = (cc_rdf_term){.kind = CC_RDF_LITERAL, .value = lex, .datatype = dt, .lang = tagged ? lang : NULL};
    return 0;
}

static int object_term(emit *e, const json_t *item, cc_rdf_term *o);

/* List to RDF: the head of the collection in *head, its triples added. */
static int list_to_rdf(emit *e, const json_t *list, cc_rdf_term *head)
{
    size_t n = json_array_size(list);
    if (!n) {
        *head = (cc_rdf_term){.kind = CC_RDF_IRI, .value = RDF "nil"};
        return 0;
    }
    if (jl_reserve(e->st, n * sizeof(const char *)) < 0)
        return -1;
    const char **bn = cc_alloc(e->st->arena, n * sizeof *bn);
    for (size_t i = 0; i < n; i++)
        bn[i] = jl_new_bnode(e->st, NULL);
    for (size_t i = 0; i < n; i++) {
        cc_rdf_term s = node_term(bn[i]), first = {0};
        cc_rdf_term rest = i + 1 < n ? node_term(bn[i + 1])
                                     : (cc_rdf_term){.kind = CC_RDF_IRI, .value = RDF "nil"};
        if (object_term(e, json_array_get(list, i), &first) < 0)
            return -1;
        if (first.kind != CC_RDF_NONE && add(e, &s, RDF "first", &first) < 0)
            return -1;
        if (add(e, &s, RDF "rest", &rest) < 0)
            return -1;
    }
    *head = node_term(bn[0]);
    return 0;
}

/* Object to RDF; o->kind stays CC_RDF_NONE for a resource to ignore. */
static int object_term(emit *e, const json_t *item, cc_rdf_term *o)
{
    *o = (cc_rdf_term){0};
    if (jl_enter(e->st) < 0)
        return -1;
    int rc = 0;
    const char *id = json_string_value(json_object_get(item, "@id"));
    if (jl_is_list_obj(item))
        rc = list_to_rdf(e, json_object_get(item, "@list"), o);
    else if (jl_is_value_obj(item))
        rc = literal(e, item, o);
    else if (node_ok(id))
        *o = node_term(id);
    else
        rc = jl_unsafe(e->st, "relative object reference", id);
    jl_leave(e->st);
    return rc;
}

static int property_triples(emit *e, const cc_rdf_term *s, const char *p, const json_t *vals)
{
    bool type = !strcmp(p, "@type");
    size_t i;
    const json_t *item;
    json_array_foreach(vals, i, item) {
        cc_rdf_term o = {0};
        const char *t = json_string_value(item);
        if (type && node_ok(t))
            o = node_term(t);
        else if (type && jl_unsafe(e->st, "relative type reference", t) < 0)
            return -1;
        else if (!type && object_term(e, item, &o) < 0)
            return -1;
        if (o.kind != CC_RDF_NONE && add(e, s, type ? RDF "type" : p, &o) < 0)
            return -1;
    }
    return 0;
}

static int node_triples(emit *e, const char *id, const json_t *node)
{
    cc_rdf_term s = node_term(id);
    size_t n;
    const char **props = jl_sorted_keys(node, &n);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const char *p = props[i];
        bool skip = strcmp(p, "@type") && (jl_is_keyword(p) || jl_is_bnode(p) || !jl_iri_ok(p));
        if (skip && !jl_is_keyword(p))
            rc = jl_unsafe(e->st, jl_is_bnode(p) ? "blank node predicate" : "relative property reference", p);
        else if (!skip)
            rc = property_triples(e, &s, p, json_object_get(node, p));
    }
    free(props);
    return rc;
}

static int graph_triples(emit *e, const char *name, const json_t *graph)
{
    cc_rdf_term g = node_term(name);
    e->g = strcmp(name, "@default") ? &g : NULL;
    size_t n;
    const char **ids = jl_sorted_keys(graph, &n);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        if (node_ok(ids[i]))
            rc = node_triples(e, ids[i], json_object_get(graph, ids[i]));
        else
            rc = jl_unsafe(e->st, "relative subject reference", ids[i]);
    free(ids);
    return rc;
}

int jl_to_rdf(jl_state *st, const json_t *expanded, cc_rdf_dataset *out)
{
    json_t *graphs = json_pack("{s:{}}", "@default");
    int rc = jl_node_map(st, expanded, graphs);
    emit e = {.st = st, .out = out};
    size_t n;
    const char **names = jl_sorted_keys(graphs, &n);
    for (size_t i = 0; i < n && rc == 0; i++)
        if (!strcmp(names[i], "@default") || node_ok(names[i]))
            rc = graph_triples(&e, names[i], json_object_get(graphs, names[i]));
        else
            rc = jl_unsafe(st, "relative graph reference", names[i]);
    free(names);
    json_decref(graphs);
    return rc;
}
