/* The schema set: document ownership, the URI/anchor index built when a
   document is added, and reference resolution against that index. */
#include "cc_jsonread.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonschema_int.h"

__attribute__((format(printf, 3, 4))) static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

cc_schema_set *cc_schema_set_new(void)
{
    cc_schema_set *set = calloc(1, sizeof *set);
    if (!set)
        return NULL;
    set->docs = json_array();
    if (!set->docs) {
        free(set);
        return NULL;
    }
    set->default_draft = CCS_DRAFT2020;
    return set;
}

static void node_free(void *p)
{
    ccs_node *n = p;
    free(n->ptr);
    free(n->vals);
    free(n);
}

void ccs_target_free(void *p)
{
    ccs_target *t = p;
    if (!t)
        return;
    free(t->loc);
    free(t->anchor);
    free(t);
}

void cc_schema_set_free(cc_schema_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->nres; i++) {
        free(set->res[i]->uri);
        free(set->res[i]);
    }
    free(set->res);
    ccs_smap_free(&set->by_uri, NULL);
    ccs_smap_free(&set->anchors, free);
    ccs_pmap_free(&set->nodes, node_free);
    ccs_pmap_free(&set->targets, ccs_target_free);
    ccs_smap_free(&set->regexes, ccs_regex_free);
    json_decref(set->docs);
    free(set);
}

/* ---- dialects ----------------------------------------------------------- */

int ccs_draft_of_dialect(const char *uri)
{
    static const struct {
        const char *uri;
        int draft;
    } known[] = {
        {.uri = "https://json-schema.org/draft/2020-12/schema", .draft = CCS_DRAFT2020},
        {.uri = "https://json-schema.org/draft/2019-09/schema", .draft = CCS_DRAFT2019},
        {.uri = "http://json-schema.org/draft-07/schema", .draft = CCS_DRAFT7},
        {.uri = "http://json-schema.org/draft-06/schema", .draft = CCS_DRAFT6},
        {.uri = "http://json-schema.org/draft-04/schema", .draft = CCS_DRAFT4},
    };
    size_t n = strcspn(uri, "#");
    if (uri[n] == '#' && uri[n + 1])
        return 0;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strlen(known[i].uri) == n && !strncmp(uri, known[i].uri, n))
            return known[i].draft;
    return 0;
}

int cc_schema_set_default_dialect(cc_schema_set *set, const char *dialect_uri)
{
    int d = dialect_uri ? ccs_draft_of_dialect(dialect_uri) : 0;
    if (d != CCS_DRAFT2019 && d != CCS_DRAFT2020)
        return -1;
    set->default_draft = d;
    return 0;
}

static unsigned vocab_bit(const char *uri)
{
    static const struct {
        const char *suffix;
        unsigned bits;
    } names[] = {
        {.suffix = "2020-12/vocab/core", .bits = CCS_V_CORE},
        {.suffix = "2020-12/vocab/applicator", .bits = CCS_V_APPLICATOR},
        {.suffix = "2020-12/vocab/unevaluated", .bits = CCS_V_UNEVALUATED},
        {.suffix = "2020-12/vocab/validation", .bits = CCS_V_VALIDATION},
        {.suffix = "2020-12/vocab/meta-data", .bits = CCS_V_META},
        {.suffix = "2020-12/vocab/format-annotation", .bits = CCS_V_FORMAT_ANNOTATION},
        {.suffix = "2020-12/vocab/format-assertion", .bits = CCS_V_FORMAT_ASSERTION},
        {.suffix = "2020-12/vocab/content", .bits = CCS_V_CONTENT},
        /* 2019-09 still kept unevaluated* in the applicator vocabulary. */
        {.suffix = "2019-09/vocab/core", .bits = CCS_V_CORE},
        {.suffix = "2019-09/vocab/applicator", .bits = CCS_V_APPLICATOR | CCS_V_UNEVALUATED},
        {.suffix = "2019-09/vocab/validation", .bits = CCS_V_VALIDATION},
        {.suffix = "2019-09/vocab/meta-data", .bits = CCS_V_META},
        {.suffix = "2019-09/vocab/format", .bits = CCS_V_FORMAT_ANNOTATION},
        {.suffix = "2019-09/vocab/content", .bits = CCS_V_CONTENT},
    };
    const char *prefix = "https://json-schema.org/draft/";
    if (strncmp(uri, prefix, strlen(prefix)) != 0)
        return 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(uri + strlen(prefix), names[i].suffix))
            return names[i].bits;
    return 0;
}

/* Dialect and vocabularies named by a "$schema" value: a standard dialect,
   or a meta-schema added to the set earlier whose $vocabulary is honoured. */
static void dialect_of(const cc_schema_set *set, const char *uri, int fallback, int *draft,
                       unsigned *vocab)
{
    *draft = ccs_draft_of_dialect(uri);
    *vocab = CCS_V_DEFAULT;
    if (*draft)
        return;
    *draft = fallback;
    size_t n = strcspn(uri, "#");
    char *key = strndup(uri, n);
    ccs_resource *meta = key ? ccs_smap_get(&set->by_uri, key) : NULL;
    free(key);
    if (!meta)
        return;
    *draft = meta->draft;
    json_t *vocabs = json_object_get(meta->root, "$vocabulary");
    if (!json_is_object(vocabs))
        return;
    const char *name;
    json_t *v;
    *vocab = CCS_V_CORE; /* references work in every dialect */
    json_object_foreach(vocabs, name, v) *vocab |= vocab_bit(name);
}

/* ---- indexing ----------------------------------------------------------- */

typedef struct {
    cc_schema_set *set;
    char *err;
    size_t errlen;
    int failed;
} idx_ctx;

static void idx_oom(idx_ctx *ix)
{
    if (!ix->failed)
        set_err(ix->err, ix->errlen, "out of memory");
    ix->failed = 1;
}

static ccs_resource *new_resource(idx_ctx *ix, char *uri, json_t *root, int draft, unsigned vocab)
{
    cc_schema_set *set = ix->set;
    if (set->nres == set->capres) {
        size_t cap = set->capres ? set->capres * 2 : 16;
        ccs_resource **r = realloc(set->res, cap * sizeof *r);
        if (!r)
            goto oom;
        set->res = r;
        set->capres = cap;
    }
    ccs_resource *res = calloc(1, sizeof *res);
    if (!res)
        goto oom;
    res->uri = uri;
    res->root = root;
    res->draft = draft;
    res->vocab = vocab;
    res->recursive_anchor = json_is_true(json_object_get(root, "$recursiveAnchor"));
    set->res[set->nres++] = res;
    /* A URI already taken keeps its first resource: the document stays
       usable through its other URIs and through JSON pointers. */
    if (ccs_smap_put(&set->by_uri, uri, res) < 0)
        idx_oom(ix);
    return res;
oom:
    free(uri);
    idx_oom(ix);
    return NULL;
}

static const char *id_of(const json_t *node, int draft)
{
    const json_t *id = json_object_get(node, draft == CCS_DRAFT4 ? "id" : "$id");
    return json_is_string(id) ? json_string_value(id) : NULL;
}

/* The resource a subschema opens with its own $id, or NULL. In drafts up to
   7 an $id of "#name" is only an anchor. */
static ccs_resource *embedded_resource(idx_ctx *ix, json_t *node, const ccs_resource *parent)
{
    const char *id = id_of(node, parent->draft);
    if (!id || (parent->draft <= CCS_DRAFT7 && id[0] == '#'))
        return NULL;
    char *abs = ccs_uri_resolve(parent->uri, id);
    char *uri = abs ? ccs_uri_split(abs, NULL) : NULL;
    free(abs);
    if (!uri) {
        idx_oom(ix);
        return NULL;
    }
    int draft = parent->draft;
    unsigned vocab = parent->vocab;
    const json_t *schema = json_object_get(node, "$schema");
    if (json_is_string(schema))
        dialect_of(ix->set, json_string_value(schema), parent->draft, &draft, &vocab);
    return new_resource(ix, uri, node, draft, vocab);
}

static void add_anchor(idx_ctx *ix, const ccs_resource *res, const char *name, json_t *node,
                       int dynamic)
{
    ccs_buf key;
    ccs_buf_init(&key);
    ccs_buf_puts(&key, res->uri);
    ccs_buf_add(&key, "#", 1);
    ccs_buf_puts(&key, name);
    ccs_anchor *a = malloc(sizeof *a);
    if (key.oom || !a) {
        free(a);
        ccs_buf_free(&key);
        idx_oom(ix);
        return;
    }
    a->node = node;
    a->dynamic = dynamic;
    int rc = ccs_smap_put(&ix->set->anchors, key.s, a);
    if (rc != 0)
        free(a);
    if (rc < 0)
        idx_oom(ix);
    ccs_buf_free(&key);
}

static void register_node(idx_ctx *ix, json_t *node, ccs_resource *res, const ccs_buf *ptr)
{
    if (ccs_pmap_get(&ix->set->nodes, node))
        return;
    ccs_node *n = calloc(1, sizeof *n);  /* no plan yet */
    char *p = strdup(ptr->s ? ptr->s : "");
    if (!n || !p || ccs_pmap_put(&ix->set->nodes, node, n) < 0) {
        free(n);
        free(p);
        idx_oom(ix);
        return;
    }
    n->res = res;
    n->ptr = p;
}

static void register_anchors(idx_ctx *ix, json_t *node, ccs_resource *res)
{
    const json_t *a = json_object_get(node, "$anchor");
    if (json_is_string(a) && res->draft >= CCS_DRAFT2019)
        add_anchor(ix, res, json_string_value(a), node, 0);
    a = json_object_get(node, "$dynamicAnchor");
    if (json_is_string(a) && res->draft >= CCS_DRAFT2020)
        add_anchor(ix, res, json_string_value(a), node, 1);
    const char *id = id_of(node, res->draft);
    if (id && id[0] == '#' && id[1] && res->draft <= CCS_DRAFT7)
        add_anchor(ix, res, id + 1, node, 0);
}

/* Recursion depth is bounded: cc_schema_set_add rejects documents nested
   deeper than CC_SCHEMA_MAX_INSTANCE_DEPTH. */
static void index_node(idx_ctx *ix, json_t *node, ccs_resource *res, ccs_buf *ptr);

static void index_child(idx_ctx *ix, json_t *child, ccs_resource *res, ccs_buf *ptr, const char *kw,
                        const char *key, size_t klen, long index)
{
    size_t mark = ptr->len;
    ccs_buf_ptr_token(ptr, kw, strlen(kw));
    if (key)
        ccs_buf_ptr_token(ptr, key, klen);
    if (index >= 0)
        ccs_buf_ptr_index(ptr, (size_t)index);
    if (ptr->oom)
        idx_oom(ix);
    else
        index_node(ix, child, res, ptr);
    ccs_buf_truncate(ptr, mark);
}

/* Only keywords that hold subschemas are walked: an "$id" inside "enum" or
   "const" is data, not an identifier. */
static void index_children(idx_ctx *ix, json_t *node, ccs_resource *res, ccs_buf *ptr)
{
    static const char *const single[] = {"additionalProperties",
                                         "propertyNames",
                                         "contains",
                                         "not",
                                         "if",
                                         "then",
                                         "else",
                                         "unevaluatedItems",
                                         "unevaluatedProperties",
                                         "additionalItems",
                                         "contentSchema",
                                         "items"};
    static const char *const maps[] = {"properties",  "patternProperties", "$defs",
                                       "definitions", "dependentSchemas",  "dependencies"};
    static const char *const arrays[] = {"allOf", "anyOf", "oneOf", "prefixItems", "items"};
    for (size_t i = 0; i < sizeof single / sizeof single[0]; i++) {
        json_t *c = json_object_get(node, single[i]);
        if (json_is_object(c))
            index_child(ix, c, res, ptr, single[i], NULL, 0, -1);
    }
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++) {
        json_t *m = json_object_get(node, maps[i]), *c;
        const char *k;
        size_t klen;
        if (json_is_object(m))
            json_object_keylen_foreach(m, k, klen, c) if (json_is_object(c))
                index_child(ix, c, res, ptr, maps[i], k, klen, -1);
    }
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++) {
        json_t *a = json_object_get(node, arrays[i]);
        for (size_t j = 0; json_is_array(a) && j < json_array_size(a); j++)
            index_child(ix, json_array_get(a, j), res, ptr, arrays[i], NULL, 0, (long)j);
    }
}

static void index_body(idx_ctx *ix, json_t *node, ccs_resource *res, ccs_buf *ptr)
{
    register_node(ix, node, res, ptr);
    register_anchors(ix, node, res);
    if (!ix->failed)
        index_children(ix, node, res, ptr);
}

static void index_node(idx_ctx *ix, json_t *node, ccs_resource *res, ccs_buf *ptr)
{
    if (!json_is_object(node) || ix->failed)
        return;
    if (node == res->root) {
        index_body(ix, node, res, ptr);
        return;
    }
    ccs_resource *sub = embedded_resource(ix, node, res);
    if (!sub) {
        if (!ix->failed)
            index_body(ix, node, res, ptr);
        return;
    }
    ccs_buf subptr; /* pointers restart at each resource root */
    ccs_buf_init(&subptr);
    ccs_buf_add(&subptr, "", 0);
    index_body(ix, node, sub, &subptr);
    ccs_buf_free(&subptr);
}

/* ---- adding documents --------------------------------------------------- */

/* Absolute URI for the document root, without fragment; NULL + err when
   neither an $id nor a retrieval URI gives one. */
static char *root_uri(json_t *schema, const char *retrieval_uri, int draft, char *err,
                      size_t errlen)
{
    const char *id = json_is_object(schema) ? id_of(schema, draft) : NULL;
    if (id && draft <= CCS_DRAFT7 && id[0] == '#')
        id = NULL;
    if (!id && !retrieval_uri) {
        set_err(err, errlen, "schema has neither an $id nor a retrieval URI");
        return NULL;
    }
    char *abs = ccs_uri_resolve(retrieval_uri, id ? id : "");
    char *frag = NULL;
    char *uri = abs ? ccs_uri_split(abs, &frag) : NULL;
    free(abs);
    if (uri && frag && *frag) {
        set_err(err, errlen, "schema URI '%s#%s' must not have a fragment", uri, frag);
        free(uri);
        uri = NULL;
    } else if (!uri)
        set_err(err, errlen, "out of memory");
    free(frag);
    return uri;
}

static int check_free_uri(cc_schema_set *set, const char *uri, char *err, size_t errlen)
{
    if (!ccs_smap_get(&set->by_uri, uri))
        return 0;
    set_err(err, errlen, "a schema with URI '%s' was already added", uri);
    return -1;
}

/* The retrieval URI also names the root when $id says something else, so
   that references written against either keep working. */
static int add_alias(idx_ctx *ix, const char *retrieval_uri, ccs_resource *res)
{
    char *alias = retrieval_uri ? ccs_uri_split(retrieval_uri, NULL) : NULL;
    int rc = 0;
    if (alias && strcmp(alias, res->uri) != 0 && ccs_smap_put(&ix->set->by_uri, alias, res) < 0)
        rc = -1;
    if (retrieval_uri && !alias)
        rc = -1;
    free(alias);
    if (rc < 0)
        idx_oom(ix);
    return rc;
}

int cc_schema_set_add(cc_schema_set *set, json_t *schema, const char *retrieval_uri, char *err,
                      size_t errlen)
{
    if (!set || !schema || !(json_is_object(schema) || json_is_boolean(schema))) {
        set_err(err, errlen, "a schema must be a JSON object or boolean");
        return -1;
    }
    /* Checked up front so that no recursive code (indexing, equality,
       json_dumps in messages) ever walks a deeper tree, and so that a
       rejected document leaves the set untouched. */
    int deep = ccs_json_too_deep(schema, CC_SCHEMA_MAX_INSTANCE_DEPTH);
    if (deep) {
        set_err(err, errlen, deep < 0 ? "out of memory" : "schema nested deeper than %d levels",
                CC_SCHEMA_MAX_INSTANCE_DEPTH);
        return -1;
    }
    int draft = set->default_draft;
    unsigned vocab = CCS_V_DEFAULT;
    const json_t *dialect = json_object_get(schema, "$schema");
    if (json_is_string(dialect))
        dialect_of(set, json_string_value(dialect), draft, &draft, &vocab);
    char *uri = root_uri(schema, retrieval_uri, draft, err, errlen);
    if (!uri)
        return -1;
    if (check_free_uri(set, uri, err, errlen) < 0) {
        free(uri);
        return -1;
    }
    /* Hold the reference before indexing: the index points into the tree. */
    if (json_array_append(set->docs, schema) < 0) {
        free(uri);
        set_err(err, errlen, "out of memory");
        return -1;
    }
    idx_ctx ix = {.set = set, .err = err, .errlen = errlen};
    ccs_resource *res = new_resource(&ix, uri, schema, draft, vocab);
    if (res && add_alias(&ix, retrieval_uri, res) == 0) {
        ccs_buf ptr;
        ccs_buf_init(&ptr);
        ccs_buf_add(&ptr, "", 0);
        index_node(&ix, schema, res, &ptr);
        ccs_buf_free(&ptr);
    }
    return ix.failed ? -1 : 0;
}

int cc_schema_set_add_file(cc_schema_set *set, const char *path, const char *retrieval_uri,
                           char *err, size_t errlen)
{
    json_error_t jerr;
    json_t *doc = cc_json_load_file(path, JSON_DECODE_ANY, &jerr);
    if (!doc) {
        set_err(err, errlen, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
        return -1;
    }
    int rc = cc_schema_set_add(set, doc, retrieval_uri, err, errlen);
    json_decref(doc);
    return rc;
}

/* ---- lookups ------------------------------------------------------------ */

ccs_node *ccs_node_of(const cc_schema_set *set, const json_t *schema)
{
    return ccs_pmap_get(&set->nodes, schema);
}

ccs_anchor *ccs_anchor_get(const cc_schema_set *set, const char *uri, const char *name)
{
    ccs_buf key;
    ccs_buf_init(&key);
    ccs_buf_puts(&key, uri);
    ccs_buf_add(&key, "#", 1);
    ccs_buf_puts(&key, name);
    ccs_anchor *a = key.oom ? NULL : ccs_smap_get(&set->anchors, key.s);
    ccs_buf_free(&key);
    return a;
}

static char *location(const ccs_resource *res, const char *ptr)
{
    ccs_buf b;
    ccs_buf_init(&b);
    ccs_buf_puts(&b, res->uri);
    ccs_buf_add(&b, "#", 1);
    ccs_buf_puts(&b, ptr);
    return b.oom ? (ccs_buf_free(&b), NULL) : b.s;
}

/* Fills t->target/res from the fragment: empty, JSON pointer or anchor. */
static int resolve_fragment(cc_schema_set *set, ccs_resource *r, char *frag, ccs_target *t,
                            char *err, size_t errlen)
{
    t->res = r;
    if (!frag || !*frag) {
        t->target = r->root;
        return 0;
    }
    size_t n = ccs_percent_decode(frag);
    if (frag[0] == '/') {
        t->target = ccs_pointer_get(r->root, frag, n);
    } else {
        ccs_anchor *a = ccs_anchor_get(set, r->uri, frag);
        t->target = a ? a->node : NULL;
        t->anchor = strdup(frag);
        if (!t->anchor) {
            set_err(err, errlen, "out of memory");
            return -1;
        }
    }
    if (!t->target) {
        set_err(err, errlen, "%s '%s' not found in '%s'",
                frag[0] == '/' ? "JSON pointer" : "anchor", frag, r->uri);
        return -1;
    }
    return 0;
}

ccs_target *ccs_resolve(cc_schema_set *set, ccs_resource *base, const char *ref, char *err,
                        size_t errlen)
{
    char *abs = ccs_uri_resolve(base ? base->uri : NULL, ref), *frag = NULL;
    char *uri = abs ? ccs_uri_split(abs, &frag) : NULL;
    ccs_target *t = uri ? calloc(1, sizeof *t) : NULL;
    if (!t) {
        set_err(err, errlen, "out of memory");
        goto fail;
    }
    ccs_resource *r = ccs_smap_get(&set->by_uri, uri);
    if (!r) {
        set_err(err, errlen, "cannot resolve reference '%s': no schema with URI '%s'", abs, uri);
        goto fail;
    }
    if (resolve_fragment(set, r, frag, t, err, errlen) < 0)
        goto fail;
    ccs_node *n = ccs_node_of(set, t->target);
    if (n)
        t->res = n->res;
    t->loc = n ? location(n->res, n->ptr) : strdup(abs);
    if (!t->loc) {
        set_err(err, errlen, "out of memory");
        goto fail;
    }
    free(abs);
    free(uri);
    free(frag);
    return t;
fail:
    ccs_target_free(t);
    free(abs);
    free(uri);
    free(frag);
    return NULL;
}
