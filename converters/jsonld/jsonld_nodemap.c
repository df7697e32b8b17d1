/* Node Map Generation (JSON-LD 1.1 API §7.2.2) and Generate Blank Node Identifier (§7.4):
 * every node of the expanded document gathered by graph and id, blank nodes relabelled
 * _:b0, _:b1, ... in document order (keys visited in code point order).
 *
 * Property values are not de-duplicated here as the spec's "add if not already there"
 * would: the RDF dataset is a set, so duplicates vanish there, and the node map stays
 * linear in the size of the document. */
#include "jsonld_int.h"

#include <stdlib.h>
#include <string.h>

const char *jl_new_bnode(jl_state *st, const char *old)
{
    const json_t *known = old ? json_object_get(st->bnodes, old) : NULL;
    if (known)
        return json_string_value(known);
    const char *id = jl_printf(st, "_:b%lu", st->bnode_next++);
    if (old)
        json_object_set_new(st->bnodes, old, json_string(id));
    return id;
}

typedef struct nmap {
    jl_state *st;
    json_t *graphs;           /* graph name → (id → node) */
} nmap;

/* Where an element sits: the algorithm's active graph, subject, property and list. */
typedef struct at {
    const char *graph;
    const char *subject;      /* NULL at the top of a graph */
    json_t *rsubject;         /* the referencing node of a reverse property, or NULL */
    const char *prop;
    json_t *list;             /* the list object being filled, or NULL */
} at;

static json_t *graph_of(nmap *m, const char *name)
{
    json_t *g = json_object_get(m->graphs, name);
    if (!g) {
        g = json_object();
        json_object_set_new(m->graphs, name, g);
    }
    return g;
}

static json_t *node_of(json_t *graph, const char *id)
{
    json_t *node = json_object_get(graph, id);
    if (!node) {
        node = json_pack("{s:s}", "@id", id);
        json_object_set_new(graph, id, node);
    }
    return node;
}

/* Adds v (taken over) to the list being filled or to the subject's property. */
static void attach(nmap *m, const at *a, json_t *v)
{
    if (a->list) {
        json_array_append_new(json_object_get(a->list, "@list"), v);
    } else if (a->subject && a->prop) {
        jl_add_value(node_of(graph_of(m, a->graph), a->subject), a->prop, v);
    } else {
        json_decref(v);  /* a free-floating value: expansion already drops these */
    }
}

static int gen(nmap *m, const json_t *elem, const at *a);

static int gen_list(nmap *m, const json_t *elem, const at *a)
{
    json_t *result = json_pack("{s:[]}", "@list");
    at b = *a;
    b.list = result;
    if (gen(m, json_object_get(elem, "@list"), &b) < 0) {
        json_decref(result);
        return -1;
    }
    attach(m, a, result);
    return 0;
}

static const char *node_id(nmap *m, const json_t *elem)
{
    const char *id = json_string_value(json_object_get(elem, "@id"));
    if (!id || jl_is_bnode(id))
        return jl_new_bnode(m->st, id);
    return id;
}

static int node_types_index(nmap *m, json_t *node, const json_t *elem)
{
    size_t i;
    const json_t *t;
    json_array_foreach(json_object_get(elem, "@type"), i, t) {
        const char *s = json_string_value(t);
        if (s)
            jl_add_value(node, "@type", json_string(jl_is_bnode(s) ? jl_new_bnode(m->st, s) : s));
    }
    const json_t *idx = json_object_get(elem, "@index"), *have = json_object_get(node, "@index");
    if (idx && have && !json_equal((json_t *)idx, (json_t *)have))
        return jl_fail(m->st, "conflicting indexes", "node %s",
                       json_string_value(json_object_get(node, "@id")));
    if (idx)
        json_object_set(node, "@index", (json_t *)idx);
    return 0;
}

static int node_reverse(nmap *m, const char *id, const json_t *elem, const at *a)
{
    const json_t *rmap = json_object_get(elem, "@reverse");
    if (!rmap)
        return 0;
    json_t *ref = json_pack("{s:s}", "@id", id);
    size_t n;
    const char **props = jl_sorted_keys(rmap, &n);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        at b = {.graph = a->graph, .rsubject = ref, .prop = props[i]};
        rc = gen(m, json_object_get(rmap, props[i]), &b);
    }
    free(props);
    json_decref(ref);
    return rc;
}

static int node_properties(nmap *m, const char *id, json_t *node, const json_t *elem,
                           const at *a)
{
    size_t n;
    const char **keys = jl_sorted_keys(elem, &n);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (jl_is_keyword(keys[i]))
            continue;  /* @id, @type, @index, @reverse, @graph, @included: done above */
        const char *p = jl_is_bnode(keys[i]) ? jl_new_bnode(m->st, keys[i]) : keys[i];
        if (!json_object_get(node, p))
            json_object_set_new(node, p, json_array());
        at b = {.graph = a->graph, .subject = id, .prop = p};
        rc = gen(m, json_object_get(elem, keys[i]), &b);
    }
    free(keys);
    return rc;
}

/* Step 6: a node object (a graph object too). */
static int gen_node(nmap *m, const json_t *elem, const at *a)
{
    const char *id = node_id(m, elem);
    json_t *node = node_of(graph_of(m, a->graph), id);
    if (a->rsubject)
        jl_add_value(node, a->prop, json_incref(a->rsubject));
    else if (a->prop)
        attach(m, a, json_pack("{s:s}", "@id", id));
    if (node_types_index(m, node, elem) < 0 || node_reverse(m, id, elem, a) < 0)
        return -1;
    const json_t *g = json_object_get(elem, "@graph");
    at in_graph = {.graph = id};
    if (g && gen(m, g, &in_graph) < 0)
        return -1;
    const json_t *inc = json_object_get(elem, "@included");
    at included = {.graph = a->graph};
    if (inc && gen(m, inc, &included) < 0)
        return -1;
    return node_properties(m, id, node, elem, a);
}

static int gen(nmap *m, const json_t *elem, const at *a)
{
    if (jl_enter(m->st) < 0)
        return -1;
    int rc = 0;
    size_t i;
    const json_t *item;
    if (json_is_array(elem))
        json_array_foreach(elem, i, item)
            if (rc == 0)
                rc = gen(m, item, a);
    if (json_is_object(elem)) {
        if (json_object_get(elem, "@value"))
            attach(m, a, json_incref((json_t *)elem));
        else if (json_object_get(elem, "@list"))
            rc = gen_list(m, elem, a);
        else
            rc = gen_node(m, elem, a);
    }
    jl_leave(m->st);
    return rc;
}

/* graphs: a map holding "@default"; filled with every graph of the expanded document. */
int jl_node_map(jl_state *st, const json_t *expanded, json_t *graphs)
{
    nmap m = {.st = st, .graphs = graphs};
    at top = {.graph = "@default"};
    return gen(&m, expanded, &top);
}
