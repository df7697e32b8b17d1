/* CASE reader: each CFPackage (one JSON document) becomes one achievement record.  The
 * CFDocument is the achievement; the isChildOf associations make the tree of its parts:
 * an item credconv wrote as a learning outcome (its type, identifier and association as
 * the writer derives them) becomes a cc_outcome of its parent, any other item an
 * achievement.  Nothing of a package is dropped that CASE can carry back: an item's other
 * properties are kept as "case:<name>" extension entries, an identifier or an association
 * the writer would not derive again is kept as read, and every association that is not a
 * tree edge (exactMatchOf, a second parent, a cycle, …) is kept on the document as read.
 * OpenSALT's date-times without a time zone are read as UTC, with a warning. */
#include "case/case.h"
#include "cc_jsonread.h"
#include "jsonschema.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* cc_is_iso_date, for a value that may be absent */
static bool is_date(const char *s)
{
    return s && cc_is_iso_date(s);
}

/* Deeper trees are kept flatter (the deeper items become parts of the document, their
 * associations kept as read): no stack for hostile nesting, and the model's JSON stays
 * within the JSON writer's depth. */
enum { MAX_DEPTH = 12 };

typedef struct rd {
    cc_read_ctx *ctx;
    long line;
    const char *rec;
    int errors;
    cc_arena *a;
    char ptr[256];
    const char *lang, *changed, *doc_identifier;
} rd;

/* One CFItem as the tree sees it. */
typedef struct item {
    const json_t *j;
    const char *identifier;
    int parent;              /* index of the parent item, -1 the document, -2 none */
    const json_t *edge;      /* the isChildOf association that made it a child */
    long long seq;           /* its sequenceNumber (LLONG_MAX: none) */
    int order;               /* position of that association, for a stable sort */
    bool visited;
} item;

typedef struct tree {
    item *items;
    size_t n;
    int *kids;               /* children of every node, grouped by parent: kid_at[p+1].. */
    size_t *kid_at;          /* n + 2 offsets, node -1 (the document) first */
    json_t *index;           /* identifier -> item index */
    json_t *others;          /* associations that are no tree edge, as read */
} tree;

static void problem(rd *c, cc_severity sev, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void problem(rd *c, cc_severity sev, const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cc_vdiag(c->ctx->diag, sev, c->ctx->in->name, c->line, 0, c->ptr, c->rec, rule, fmt, ap);
    va_end(ap);
    if (sev == CC_ERROR)
        c->errors++;
}

static const char *str(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* OpenSALT's quirks, read as what they mean: a date-time without a time zone is UTC, and a
 * sequenceNumber written as a string of digits is that number. */
static json_t *fix_datetimes(rd *c, json_t *o)
{
    const char *seq = str(o, "sequenceNumber");
    if (seq && *seq && strlen(seq) < 10 && strspn(seq, "0123456789") == strlen(seq)) {
        problem(c, CC_WARNING, "case-sequence-string",
                "sequenceNumber \"%s\" is a string: read as a number", seq);
        json_object_set_new(o, "sequenceNumber", json_integer(atoll(seq)));
    }
    const char *dt = str(o, "lastChangeDateTime");
    long long t;
    char buf[48];
    if (dt && !cc_iso_to_epoch(dt, &t) && strlen(dt) < 40) {
        snprintf(buf, sizeof buf, "%sZ", dt);
        if (cc_iso_to_epoch(buf, &t)) {
            problem(c, CC_WARNING, "case-datetime-zone",
                    "lastChangeDateTime \"%s\" has no time zone: read as UTC", dt);
            json_object_set_new(o, "lastChangeDateTime", json_string(buf));
        }
    }
    return o;
}

/* The same in every object of a value kept as read (CFDefinitions, CFRubrics), a few
 * levels deep: as deep as those classes go. */
static json_t *fix_nested(rd *c, json_t *v, int depth)
{
    if (depth > 4)
        return v;
    size_t i;
    const char *k;
    json_t *x;
    if (json_is_object(v)) {
        fix_datetimes(c, v);
        json_object_foreach(v, k, x)
            fix_nested(c, x, depth + 1);
    }
    json_array_foreach(v, i, x)
        fix_nested(c, x, depth + 1);
    return v;
}

static const char *dumps(rd *c, const json_t *v)
{
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    const char *r = cc_strdup(c->a, s ? s : "null");
    free(s);
    return r;
}

static void keep(rd *c, cc_list *ext, const char *prop, const json_t *v)
{
    cc_ext_add(c->a, ext, cc_sprintf(c->a, "case:%s", prop), dumps(c, v));
}

/* The properties of o that `own` does not name, kept. */
static void keep_rest(rd *c, cc_list *ext, const json_t *o, const char *const *own)
{
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)o, k, v) {
        bool mine = false;
        for (const char *const *p = own; *p && !mine; p++)
            mine = strcmp(*p, k) == 0;
        if (!mine)
            keep(c, ext, k, v);
    }
}

/* ------------------------------------------------------------ the tree */

static const char *origin_id(const json_t *as)
{
    return str(json_object_get(as, "originNodeURI"), "identifier");
}

static const char *dest_id(const json_t *as)
{
    return str(json_object_get(as, "destinationNodeURI"), "identifier");
}

static int index_of(const tree *t, const char *identifier)
{
    json_t *i = identifier ? json_object_get(t->index, identifier) : NULL;
    return i ? (int)json_integer_value(i) : -2;
}

/* On failure what is allocated stays in *t, which the caller frees (free_tree); gcc 12's
 * -fanalyzer calls that a leak, so its leak check is off for this function. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
#endif
static int load_items(rd *c, tree *t, const json_t *items)
{
    t->n = json_array_size(items);
    t->items = calloc(t->n ? t->n : 1, sizeof *t->items);
    t->index = json_object();
    if (!t->items || !t->index)
        return -1;
    for (size_t i = 0; i < t->n; i++) {
        const json_t *it = json_array_get(items, i);
        item *x = &t->items[i];
        *x = (item){.j = it, .identifier = str(it, "identifier"), .parent = -2, .seq = LLONG_MAX};
        snprintf(c->ptr, sizeof c->ptr, "/CFItems/%zu", i);
        if (!json_is_object(it) || !x->identifier || !str(it, "fullStatement")) {
            problem(c, CC_ERROR, "case-item", "a CFItem needs an identifier and a fullStatement");
            x->identifier = NULL;
        } else if (json_object_get(t->index, x->identifier) ||
                   strcmp(x->identifier, c->doc_identifier) == 0) {
            problem(c, CC_ERROR, "case-duplicate", "a second node with identifier %s", x->identifier);
            x->identifier = NULL;
        } else {
            json_object_set_new(t->index, x->identifier, json_integer((json_int_t)i));
        }
    }
    c->ptr[0] = '\0';
    return 0;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/* The first isChildOf of an item to the document or another item makes it a child. */
static void load_edges(rd *c, tree *t, const json_t *assocs)
{
    size_t j;
    const json_t *as;
    json_array_foreach(assocs, j, as) {
        snprintf(c->ptr, sizeof c->ptr, "/CFAssociations/%zu", j);
        const char *type = str(as, "associationType");
        if (!json_is_object(as) || !type || !origin_id(as) || !dest_id(as)) {
            problem(c, CC_ERROR, "case-association",
                    "a CFAssociation needs an associationType and origin and destination nodes");
            continue;
        }
        int o = index_of(t, origin_id(as));
        int d = strcmp(dest_id(as), c->doc_identifier) == 0 ? -1 : index_of(t, dest_id(as));
        if (strcmp(type, "isChildOf") == 0 && o >= 0 && d != -2 && d != o &&
            t->items[o].parent == -2) {
            item *x = &t->items[o];
            x->parent = d;
            x->edge = as;
            json_t *seq = json_object_get(as, "sequenceNumber");
            const char *s = json_string_value(seq);
            x->seq = json_is_integer(seq) ? (long long)json_integer_value(seq)
                   : s && strlen(s) < 10 && strspn(s, "0123456789") == strlen(s) && *s ? atoll(s)
                   : LLONG_MAX;
            x->order = (int)j;
        } else {
            json_array_append_new(t->others, fix_datetimes(c, json_deep_copy(as)));
        }
    }
    c->ptr[0] = '\0';
}

static int by_sequence(const void *pa, const void *pb, void *ud)
{
    const tree *t = ud;
    const item *a = &t->items[*(const int *)pa], *b = &t->items[*(const int *)pb];
    if (a->seq != b->seq)
        return a->seq < b->seq ? -1 : 1;
    return a->order - b->order;
}

/* Children grouped by parent (counting sort), each group in sequence order. */
/* As load_items: what is allocated is *t's, freed by free_tree (no leak check here). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
#endif
static int group_children(tree *t)
{
    t->kid_at = calloc(t->n + 2, sizeof *t->kid_at);
    t->kids = calloc(t->n ? t->n : 1, sizeof *t->kids);
    size_t *fill = calloc(t->n + 2, sizeof *fill);
    if (!t->kid_at || !t->kids || !fill) {
        free(fill);
        return -1;
    }
    for (size_t i = 0; i < t->n; i++)
        if (t->items[i].parent != -2)
            t->kid_at[t->items[i].parent + 2]++;
    for (size_t p = 1; p < t->n + 2; p++)
        t->kid_at[p] += t->kid_at[p - 1];
    for (size_t i = 0; i < t->n; i++)
        if (t->items[i].parent != -2) {
            size_t p = (size_t)(t->items[i].parent + 1);
            t->kids[t->kid_at[p] + fill[p]++] = (int)i;
        }
    free(fill);
    for (size_t p = 0; p < t->n + 1; p++)
        qsort_r(t->kids + t->kid_at[p], t->kid_at[p + 1] - t->kid_at[p], sizeof *t->kids,
                by_sequence, t);
    return 0;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

static void free_tree(tree *t)
{
    free(t->items);
    free(t->kids);
    free(t->kid_at);
    json_decref(t->index);
    json_decref(t->others);
}

/* ------------------------------------------------------------ the model */

typedef struct builder {
    rd *c;
    tree *t;
    cc_arena *a;
} builder;

static const char *const item_own[] = {
    "identifier", "uri", "fullStatement", "humanCodingScheme", "CFItemType", "language",
    "notes", "statusEndDate", "lastChangeDateTime", NULL,
};

static const char *node_id(rd *c, const char *uri, const char *identifier)
{
    if (!uri)
        return NULL;
    char urn[64];
    snprintf(urn, sizeof urn, "urn:uuid:%s", identifier);
    return strcmp(uri, urn) == 0 ? NULL : cc_strdup(c->a, uri);
}

static const char *edge_uuid_of(const item *x)
{
    return x->edge ? str(x->edge, "identifier") : NULL;
}

static bool edge_derived(const item *x, const char *parent_identifier)
{
    char u[37];
    cc_case_child_uuid(x->identifier, parent_identifier, u);
    const char *e = edge_uuid_of(x);
    return e && strcmp(e, u) == 0;
}

static int repeats(const cc_achievement *home, const char *txt)
{
    int n = 0;
    for (const cc_outcome *o = home->outcomes.head; o; o = o->next) {
        const char *t = cc_text_get(&o->text, NULL);
        n += t && strcmp(t, txt) == 0;
    }
    return n;
}

/* Whether x is an outcome credconv wrote: its type, and the identifiers of it and of its
 * association as the writer derives them (anything else is an item of its own). */
static bool is_outcome(const item *x, const char *parent_identifier, int level,
                       const cc_achievement *home)
{
    const char *type = str(x->j, "CFItemType");
    if (!type || strcmp(type, level == 1 ? CASE_TYPE_OUTCOME : CASE_TYPE_SUBOUTCOME) != 0)
        return false;
    const char *txt = str(x->j, "fullStatement");
    char u[37];
    cc_case_outcome_uuid(parent_identifier, txt, repeats(home, txt), u);
    return strcmp(u, x->identifier) == 0 && edge_derived(x, parent_identifier);
}

static void add_outcome(builder *b, const item *x, int level, cc_achievement *home)
{
    cc_outcome *o = cc_alloc(b->a, sizeof *o);
    const char *lang = str(x->j, "language");
    cc_text_add(b->a, &o->text, lang ? lang : b->c->lang, str(x->j, "fullStatement"));
    o->level = level;
    o->id = node_id(b->c, str(x->j, "uri"), x->identifier);
    cc_list_append(&home->outcomes, o);
    static const char *const own[] = {"identifier", "uri", "fullStatement", "humanCodingScheme",
                                      "CFItemType", "language", "listEnumeration",
                                      "lastChangeDateTime", NULL};
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)x->j, k, v) {
        bool mine = false;
        for (const char *const *p = own; *p && !mine; p++)
            mine = strcmp(*p, k) == 0;
        if (!mine)
            cc_diagf(b->c->ctx->diag, CC_NOTE, b->c->ctx->in->name, b->c->line, 0, b->c->rec,
                     "loss", "loss: %s of learning outcome %s not expressible in the model", k,
                     x->identifier);
    }
}

/* An item that is an achievement of its own, a part of home. */
static cc_achievement *add_part(builder *b, const item *x, cc_achievement *home,
                                const char *home_identifier, bool keep_edge)
{
    rd *c = b->c;
    cc_achievement *a = cc_achievement_new(b->a);
    const json_t *j = x->j;
    a->id = node_id(c, str(j, "uri"), x->identifier);
    a->code = cc_strdup(b->a, str(j, "humanCodingScheme"));
    a->language = cc_strdup(b->a, str(j, "language"));
    const char *lang = a->language ? a->language : c->lang;
    cc_text_add(b->a, &a->title, lang, cc_strdup(b->a, str(j, "fullStatement")));
    if (str(j, "notes"))
        cc_text_add(b->a, &a->description, lang, cc_strdup(b->a, str(j, "notes")));
    if (str(j, "CFItemType"))
        a->kind = cc_case_type_to_kind(b->a, str(j, "CFItemType"));
    if (is_date(str(j, "statusEndDate")))
        a->valid_until = cc_strdup(b->a, str(j, "statusEndDate"));
    else if (json_object_get(j, "statusEndDate"))
        keep(c, &a->ext, "statusEndDate", json_object_get(j, "statusEndDate"));
    a->part_of = home->code;
    char u[37];
    if (!cc_case_node_uuid(a->id, a->code, u) || strcmp(u, x->identifier) != 0)
        keep(c, &a->ext, "identifier", json_object_get(j, "identifier"));
    json_t *fixed = fix_datetimes(c, json_deep_copy(j));
    const char *dt = str(fixed, "lastChangeDateTime");
    if (dt && (!c->changed || strcmp(dt, c->changed) != 0))
        keep(c, &a->ext, "lastChangeDateTime", json_object_get(fixed, "lastChangeDateTime"));
    json_decref(fixed);
    if (x->edge && (keep_edge || !edge_derived(x, home_identifier))) {
        json_t *e = fix_datetimes(c, json_deep_copy(x->edge));
        keep(c, &a->ext, "isChildOf", e);
        json_decref(e);
    }
    if (keep_edge)
        cc_ext_add(b->a, &a->ext, "case:orphan", "true")->is_bool = true;
    keep_rest(c, &a->ext, j, item_own);
    cc_list_append(&home->parts, a);
    return a;
}

/* The children of `node` (-1: the document).  Their home in the model is the achievement
 * `home` (identifier home_id); `node_is` says what node is: 0 an achievement, 1 a
 * competence, 2 a sub-skill (whose children can only be achievements under home). */
static void children(builder *b, int node, cc_achievement *home, const char *home_id, int node_is,
                     int depth)
{
    tree *t = b->t;
    const char *parent_identifier = node == -1 ? b->c->doc_identifier : t->items[node].identifier;
    size_t slot = (size_t)(node + 1);
    for (size_t i = t->kid_at[slot]; i < t->kid_at[slot + 1]; i++) {
        int k = t->kids[i];
        item *x = &t->items[k];
        if (x->visited || !x->identifier)
            continue;
        x->visited = true;
        int level = node_is == 0 ? 1 : node_is == 1 ? 2 : 0;
        if (level && is_outcome(x, parent_identifier, level, home)) {
            add_outcome(b, x, level, home);
            if (depth < MAX_DEPTH)
                children(b, k, home, home_id, level, depth + 1);
            continue;
        }
        /* under an outcome, an item goes to the outcome's achievement: its association,
         * which names the outcome, is kept as read */
        cc_achievement *a = add_part(b, x, home, home_id, node_is != 0);
        if (depth < MAX_DEPTH)
            children(b, k, a, x->identifier, 0, depth + 1);
    }
}

/* Items no isChildOf chain links to the document (none, a cycle, too deep): parts of the
 * document, their association (if any) kept as read. */
static void orphans(builder *b, cc_achievement *root)
{
    for (size_t i = 0; i < b->t->n; i++) {
        item *x = &b->t->items[i];
        if (x->visited || !x->identifier)
            continue;
        x->visited = true;
        cc_achievement *a = add_part(b, x, root, b->c->doc_identifier, true);
        children(b, (int)i, a, x->identifier, 0, MAX_DEPTH / 2);
    }
}

/* ------------------------------------------------------------ the document */

static const char *const document_own[] = {
    "identifier", "uri", "frameworkType", "caseVersion", "creator", "title",
    "lastChangeDateTime", "officialSourceURL", "description", "language", "adoptionStatus",
    "statusEndDate", "extensions", NULL,
};

/* A 1.0 package has no place for the fiche's code: blocks coded RNCPnnnnnBCnn (or RS…)
 * under one fiche give it back. */
static const char *code_from_blocks(builder *b, const cc_achievement *root)
{
    const char *code = NULL;
    size_t len = 0;
    for (const cc_achievement *p = root->parts.head; p; p = p->next) {
        const char *bc = p->code ? strstr(p->code, "BC") : NULL;
        if (!bc || !cc_matches(p->code, "^(RNCP|RS)[0-9]+BC[0-9]+$") ||
            (code && ((size_t)(bc - p->code) != len || strncmp(code, p->code, len) != 0)))
            return NULL;
        code = p->code;
        len = (size_t)(bc - p->code);
    }
    return code ? cc_strndup(b->a, code, len) : NULL;
}

static void document_extensions(builder *b, cc_achievement *root, const json_t *ext)
{
    if (!json_is_object(ext))
        return;
    json_t *rest = json_deep_copy(ext);
    const char *code = str(rest, "humanCodingScheme");
    if (code) {
        root->code = cc_strdup(b->a, code);
        json_object_del(rest, "humanCodingScheme");
    }
    if (json_object_size(rest))
        keep(b->c, &root->ext, "extensions", rest);
    json_decref(rest);
}

static void document_status(builder *b, cc_achievement *root, const json_t *d)
{
    const char *status = str(d, "adoptionStatus");
    if (status && strcmp(status, "Adopted") == 0)
        root->active = 1;
    else if (status && strcmp(status, "Deprecated") == 0)
        root->active = 0;
    else if (json_object_get(d, "adoptionStatus"))
        keep(b->c, &root->ext, "adoptionStatus", json_object_get(d, "adoptionStatus"));
    const char *end = str(d, "statusEndDate");
    if (is_date(end))
        root->valid_until = cc_strdup(b->a, end);
    else if (json_object_get(d, "statusEndDate"))
        keep(b->c, &root->ext, "statusEndDate", json_object_get(d, "statusEndDate"));
}

static cc_achievement *document(builder *b, json_t *d)
{
    rd *c = b->c;
    cc_achievement *root = cc_achievement_new(b->a);
    c->lang = cc_strdup(b->a, str(d, "language"));
    root->language = c->lang;
    root->id = node_id(c, str(d, "uri"), c->doc_identifier);
    cc_text_add(b->a, &root->title, c->lang, cc_strdup(b->a, str(d, "title")));
    if (str(d, "description"))
        cc_text_add(b->a, &root->description, c->lang, cc_strdup(b->a, str(d, "description")));
    root->homepage = cc_strdup(b->a, str(d, "officialSourceURL"));
    cc_org *o = cc_org_new(b->a);
    o->role = "awarding-body";
    cc_text_add(b->a, &o->name, c->lang, cc_strdup(b->a, str(d, "creator")));
    cc_list_append(&root->orgs, o);
    document_extensions(b, root, json_object_get(d, "extensions"));
    document_status(b, root, d);
    if (str(d, "frameworkType"))
        root->kind = cc_strdup(b->a, str(d, "frameworkType"));
    char u[37];
    if (!cc_case_node_uuid(root->id, root->code, u) || strcmp(u, c->doc_identifier) != 0)
        keep(c, &root->ext, "identifier", json_object_get(d, "identifier"));
    keep(c, &root->ext, "lastChangeDateTime", json_object_get(d, "lastChangeDateTime"));
    keep_rest(c, &root->ext, d, document_own);
    return root;
}

/* What the writer puts in the required title and creator of a fiche that has none (the
 * code; the register's publisher) is read back as nothing. */
static void placeholders(cc_achievement *root)
{
    const char *title = cc_text_get(&root->title, NULL);
    if (root->code && title && strcmp(title, root->code) == 0)
        root->title = (cc_list){0};
    const cc_org *o = root->orgs.head;
    const char *name = o ? cc_text_get(&o->name, NULL) : NULL;
    if (root->code && cc_matches(root->code, "^(RNCP|RS)[0-9]+$") && name &&
        strcmp(name, "France compétences") == 0)
        root->orgs = (cc_list){0};
}

/* ------------------------------------------------------------ a package */

static const char *const package_own[] = {"CFDocument", "CFItems", "CFAssociations", NULL};

static int build(builder *b, cc_achievement **out, const json_t *pkg)
{
    rd *c = b->c;
    json_t *d = fix_datetimes(c, json_deep_copy(json_object_get(pkg, "CFDocument")));
    c->changed = cc_strdup(b->a, str(d, "lastChangeDateTime"));
    cc_achievement *root = document(b, d);
    json_decref(d);
    tree *t = b->t;
    if (load_items(c, t, json_object_get(pkg, "CFItems")) != 0 || !(t->others = json_array()))
        return -1;
    load_edges(c, t, json_object_get(pkg, "CFAssociations"));
    if (group_children(t) != 0)
        return -1;
    children(b, -1, root, c->doc_identifier, 0, 0);
    orphans(b, root);
    size_t i;
    json_t *as;
    json_array_foreach(t->others, i, as)
        keep(c, &root->ext, "association", as);
    if (!root->code && (root->code = code_from_blocks(b, root)) != NULL) {
        for (cc_achievement *p = root->parts.head; p; p = p->next)
            p->part_of = root->code;
        if (!root->kind)
            root->kind = "certification";
    }
    if (!root->kind)
        root->kind = "framework";
    placeholders(root);
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)pkg, k, v) {
        bool mine = false;
        for (const char *const *p = package_own; *p && !mine; p++)
            mine = strcmp(*p, k) == 0;
        if (mine)
            continue;
        json_t *fixed = fix_nested(c, json_deep_copy(v), 0);
        keep(c, &root->ext, strcmp(k, "extensions") == 0 ? "package-extensions" : k, fixed);
        json_decref(fixed);
    }
    *out = root;
    return 0;
}

static cc_record *read_package(rd *c, const json_t *pkg)
{
    const json_t *d = json_object_get(pkg, "CFDocument");
    c->doc_identifier = str(d, "identifier");
    if (!json_is_object(pkg) || !json_is_object(d) || !c->doc_identifier || !str(d, "title") ||
        !str(d, "creator")) {
        problem(c, CC_ERROR, "case-no-document",
                "not a CFPackage: no CFDocument with an identifier, a title and a creator");
        return NULL;
    }
    if (json_object_get(pkg, "CFItems") && !json_is_array(json_object_get(pkg, "CFItems"))) {
        problem(c, CC_ERROR, "case-items", "CFItems is not an array");
        return NULL;
    }
    cc_record *r = cc_record_new(CC_REC_ACHIEVEMENT);
    tree t = {0};
    builder b = {.c = c, .t = &t, .a = r->arena};
    c->a = r->arena;
    c->rec = cc_strdup(r->arena, str(d, "title"));
    cc_achievement *root = NULL;
    int rc = build(&b, &root, pkg);
    free_tree(&t);
    if (rc != 0) {
        problem(c, CC_ERROR, "case-memory", "out of memory");
        cc_record_free(r);
        return NULL;
    }
    r->achievement = root;
    return r;
}

/* ------------------------------------------------------------ validation and the reader */

typedef struct reading {
    cc_read_ctx *ctx;
    cc_schema_set *set;
    long index;
} reading;

typedef struct schema_errs {
    rd *c;
    int n;
} schema_errs;

static void on_schema_error(void *ud, const char *instance, const char *keyword, const char *msg)
{
    schema_errs *e = ud;
    (void)keyword;
    snprintf(e->c->ptr, sizeof e->c->ptr, "%s", instance);
    problem(e->c, CC_ERROR, "case-schema", "%s", msg);
    e->c->ptr[0] = '\0';
    e->n++;
}

static int validate(cc_schema_set *set, rd *c, const json_t *doc)
{
    schema_errs e = {.c = c};
    if (cc_schema_validate(set, CASE_SCHEMA_URI, doc, CC_SCHEMA_FORMAT_ASSERT, on_schema_error, &e) < 0 &&
        !e.n)
        e.n = 1;
    c->errors = 0;  /* an invalid package is still mapped when it can be */
    return e.n;
}

static int emit(void *ud, const json_t *doc, long line)
{
    reading *g = ud;
    cc_read_ctx *ctx = g->ctx;
    long index = ++g->index;
    if (!doc)
        return ctx->sink.reject(ctx->sink.ud, ctx->in->name, line, NULL);
    rd c = {.ctx = ctx, .line = line};
    const char *title = str(json_object_get(doc, "CFDocument"), "title");
    c.rec = title && strlen(title) < 256 ? title : NULL;
    int invalid = g->set ? validate(g->set, &c, doc) : 0;
    cc_record *r = read_package(&c, doc);
    if (r && c.errors) {
        cc_record_free(r);
        r = NULL;
    }
    if (!r)
        return ctx->sink.reject(ctx->sink.ud, ctx->in->name, line, c.rec);
    r->src_file = ctx->in->name;
    r->src_line = line;
    r->src_index = index;
    r->invalid = invalid;
    return ctx->sink.record(ctx->sink.ud, r);
}

int cc_case_read(cc_read_ctx *ctx)
{
    cc_schema_set *set = NULL;
    if (ctx->validate || ctx->verify) {
        set = cc_schema_load(ctx, CASE_SCHEMA_FILE, CASE_SCHEMA_URI);
        if (!set)
            return 1;
    }
    reading g = {.ctx = ctx, .set = set};
    int rc = cc_json_records(ctx, emit, &g);
    cc_schema_release(ctx, set);  /* the run's cache may keep it */
    return rc;
}
