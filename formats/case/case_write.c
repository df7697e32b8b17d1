/* CASE writer: an achievement record (a fiche) becomes one CFPackage: the fiche is the
 * CFDocument, its blocks (parts, at any depth) and their learning outcomes are CFItems, and
 * each is tied to its parent by an isChildOf CFAssociation (outcome → block → document).
 * One JSON document per line.  Identifiers are name-based (case.h), so a re-export of the
 * same fiche keeps them.  --case-version 1.0 leaves out what 1.1 added.
 *
 * The items are written in one walk of the tree and the associations in a second one: the
 * identifiers are derived again rather than kept.  A record is written to memory first and
 * checked against the bundled 1.1 schema, so a rejected record leaves nothing behind. */
#include "cc_loss.h"
#include "case/case.h"
#include "cc_jsonread.h"
#include "cc_jsonw.h"
#include "cc_writecheck.h"
#include "jsonschema.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* cc_is_iso_date, for a value that may be absent */
static bool is_date(const char *s)
{
    return s && cc_is_iso_date(s);
}

typedef struct casew {
    FILE *out;
    const cc_diag_sink *diag;
    cc_arena *scratch;      /* derived strings of the record being written */
    cc_wcheck_ref check;
    int version;            /* 10 (1.0) or 11 (1.1) */
} casew;

typedef struct cw {
    cc_jw jw;
    cc_arena *a;
    const cc_diag_sink *diag;
    const char *rec;
    const char *reject;     /* why the record cannot be written (the first reason) */
    int version;
    const char *changed;    /* the document's lastChangeDateTime */
    const char *lang;
} cw;

/* One node of the tree as the associations see it. */
typedef struct node {
    const char *identifier, *uri, *title;
} node;

static void loss(cw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void loss(cw *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cc_vloss(w->diag, w->rec, "case", fmt, ap);
    va_end(ap);
}

static const char *text(cw *w, const cc_list *l, const char *field)
{
    const cc_text *pick = l->head;
    for (const cc_text *t = l->head; t && w->lang; t = t->next)
        if (t->lang && strcmp(t->lang, w->lang) == 0) {
            pick = t;
            break;
        }
    if (l->n > 1)
        loss(w, "%s in more than one language", field);
    return pick ? pick->value : NULL;
}

/* A kept property ("case:<prop>") as JSON; NULL when there is none. */
static json_t *kept(const cc_list *ext, const char *prop)
{
    const cc_ext *e = cc_case_ext_find(ext, prop);
    return e && e->value ? cc_json_loads(e->value, JSON_DECODE_ANY, NULL) : NULL;
}

static const char *kept_str(cw *w, const cc_list *ext, const char *prop)
{
    json_t *j = kept(ext, prop);
    const char *s = json_is_string(j) ? cc_strdup(w->a, json_string_value(j)) : NULL;
    json_decref(j);
    return s;
}

/* Writes v (a reference taken) as compact JSON; in 1.0, an object of class c loses the
 * members 1.1 added. */
static void raw(cw *w, json_t *v, int c)
{
    if (c >= 0 && w->version == 10 && json_is_object(v)) {  /* what 1.1 added */
        const char *k;
        json_t *x;
        void *tmp;
        json_object_foreach_safe(v, tmp, k, x)
            if (cc_case_property((case_class)c, k) == 11)
                json_object_del(v, k);
    }
    if (c >= 0 && json_is_object(v)) {
        const char *k;
        json_t *x;
        void *tmp;
        json_object_foreach_safe(v, tmp, k, x)
            if (!cc_case_property((case_class)c, k)) {
                loss(w, "%s (no property of a CFAssociation)", k);
                json_object_del(v, k);
            }
    }
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    cc_jw_raw(&w->jw, s ? s : "null");
    free(s);
    json_decref(v);
}

/* The kept properties the writer does not write itself, where the class has them. */
static void rest(cw *w, const cc_list *ext, case_class c, const char *const *own)
{
    for (const cc_ext *e = ext->head; e; e = e->next) {
        if (strncmp(e->name, "case:", 5) != 0) {
            loss(w, "%s", e->name);
            continue;
        }
        const char *p = e->name + 5;
        bool mine = false;
        for (const char *const *o = own; *o && !mine; o++)
            mine = strcmp(*o, p) == 0;
        if (mine)
            continue;
        int v = cc_case_property(c, p);
        json_t *j = cc_json_loads(e->value ? e->value : "null", JSON_DECODE_ANY, NULL);
        if (!v || (v == 11 && w->version == 10) || !j) {
            loss(w, "%s", e->name);
            json_decref(j);
            continue;
        }
        cc_jw_key(&w->jw, p);
        raw(w, j, -1);
    }
}

/* extensions (1.1): the kept object with the node's code, which 1.1 has no field for on a
 * CFDocument. */
static void extensions(cw *w, const cc_list *ext, const char *code)
{
    if (w->version == 10)
        return;
    json_t *x = kept(ext, "extensions");
    if (!json_is_object(x)) {
        json_decref(x);
        x = json_object();
    }
    if (code)
        json_object_set_new(x, "humanCodingScheme", json_string(code));
    if (json_object_size(x)) {
        cc_jw_key(&w->jw, "extensions");
        raw(w, x, -1);
    } else {
        json_decref(x);
    }
}

/* ------------------------------------------------------------ what CASE cannot carry */

static void losses(cw *w, const cc_achievement *x, bool root)
{
    const struct {
        bool has;
        const char *field;
    } l[] = {
        {.has = x->criteria.n, .field = "criteria"}, {.has = x->assessment.n, .field = "assessment"},
        {.has = x->entry_requirements.n, .field = "entryRequirements"}, {.has = x->eqf_level, .field = "eqfLevel"},
        {.has = x->nqf_level, .field = "nqfLevel"}, {.has = x->credits, .field = "credits"}, {.has = x->volume, .field = "volume"},
        {.has = x->alignments.n, .field = "alignments"}, {.has = x->predecessors.n, .field = "predecessors"},
        {.has = x->successors.n, .field = "successors"}, {.has = x->image, .field = "image"}, {.has = x->type, .field = "type"},
        {.has = x->outcomes_text.n, .field = "outcomesText (the outcomes are written one by one)"},
        {.has = !root && x->homepage, .field = "homepage of a part"}, {.has = !root && x->orgs.n, .field = "organizations of a part"},
        {.has = root && x->orgs.n > 1, .field = "organizations beyond the first (creator)"},
    };
    for (size_t i = 0; i < sizeof l / sizeof l[0]; i++)
        if (l[i].has)
            loss(w, "%s.%s", x->code ? x->code : "achievement", l[i].field);
    const cc_org *o = x->orgs.head;
    if (root && o && (o->identifiers.n || o->url || o->email || o->country || o->ext.n))
        loss(w, "organization details beyond its name");
}

/* ------------------------------------------------------------ identifiers */

static const char *achievement_uuid(cw *w, const cc_achievement *x)
{
    const char *k = kept_str(w, &x->ext, "identifier");
    if (k)
        return k;
    char u[37];
    if (!cc_case_node_uuid(x->id, x->code, u)) {
        cc_reject_reason(&w->reject, "an achievement with neither an absolute id nor a code (no identifier)");
        return "00000000-0000-5000-8000-000000000000";
    }
    return cc_strdup(w->a, u);
}

static node achievement_node(cw *w, const cc_achievement *x)
{
    const char *id = achievement_uuid(w, x);
    const char *title = cc_text_get(&x->title, w->lang);
    if (!title)
        title = cc_text_get(&x->description, w->lang);
    return (node){.identifier = id, .uri = cc_case_node_uri(w->a, x->id, id), .title = title};
}

/* The outcomes of one achievement: each with its parent (the achievement, or for a
 * sub-skill the competence before it), its code and its identifier. */
typedef struct outcome_walk {
    const cc_outcome *o;
    node self, parent;
    const char *code;
    int n;              /* position under its parent, 1-based */
    bool sub;           /* a sub-skill (level 2) under the competence before it */
} outcome_walk;

typedef void (*outcome_fn)(cw *w, const outcome_walk *ow, void *ud);

static int repeats(const cc_achievement *x, const cc_outcome *upto, const char *txt)
{
    int n = 0;
    for (const cc_outcome *o = x->outcomes.head; o && o != upto; o = o->next) {
        const char *t = cc_text_get(&o->text, NULL);
        n += t && strcmp(t, txt) == 0;
    }
    return n;
}

static void each_outcome(cw *w, const cc_achievement *x, node parent, outcome_fn fn, void *ud)
{
    node comp = parent;
    const char *comp_code = NULL;
    int n1 = 0, n2 = 0;
    for (const cc_outcome *o = x->outcomes.head; o; o = o->next) {
        const char *txt = cc_text_get(&o->text, w->lang);
        if (!txt)
            continue;
        bool sub = o->level == 2 && n1 > 0;
        outcome_walk ow = {.o = o, .parent = sub ? comp : parent, .n = sub ? ++n2 : ++n1, .sub = sub};
        ow.code = x->code ? cc_case_outcome_code(w->a, sub ? comp_code : x->code, ow.n) : NULL;
        char u[37];
        cc_case_outcome_uuid(ow.parent.identifier, txt, repeats(x, o, txt), u);
        ow.self = (node){.identifier = cc_strdup(w->a, u), .title = txt};
        ow.self.uri = cc_case_node_uri(w->a, o->id, ow.self.identifier);
        if (!sub) {
            comp = ow.self;
            comp_code = ow.code;
            n2 = 0;
        }
        fn(w, &ow, ud);
    }
}

/* ------------------------------------------------------------ items */

static void outcome_item(cw *w, const outcome_walk *ow, void *ud)
{
    (void)ud;
    const cc_outcome *o = ow->o;
    cc_jw_obj(&w->jw);
    cc_jw_kstr(&w->jw, "identifier", ow->self.identifier);
    cc_jw_kstr(&w->jw, "uri", ow->self.uri);
    cc_jw_kstr(&w->jw, "fullStatement", text(w, &o->text, "outcome text"));
    cc_jw_kstr(&w->jw, "humanCodingScheme", ow->code);
    cc_jw_kstr(&w->jw, "listEnumeration", cc_sprintf(w->a, "%d", ow->n));
    cc_jw_kstr(&w->jw, "CFItemType", ow->sub ? CASE_TYPE_SUBOUTCOME : CASE_TYPE_OUTCOME);
    const cc_text *t = o->text.head;
    cc_jw_kstr(&w->jw, "language", t && t->lang ? t->lang : w->lang);
    cc_jw_kstr(&w->jw, "lastChangeDateTime", w->changed);
    cc_jw_obj_end(&w->jw);
    if (o->uri)
        loss(w, "the outcome's skill URI (%s)", o->uri);
}

static const char *const item_own[] = {
    "identifier", "uri", "fullStatement", "humanCodingScheme", "CFItemType", "language",
    "notes", "statusEndDate", "lastChangeDateTime", "extensions", "isChildOf", "orphan", NULL,
};

static void part_item(cw *w, const cc_achievement *x)
{
    node self = achievement_node(w, x);
    if (!self.title)
        cc_reject_reason(&w->reject, "a block with neither a title nor a description (CFItem.fullStatement)");
    cc_jw_obj(&w->jw);
    cc_jw_kstr(&w->jw, "identifier", self.identifier);
    cc_jw_kstr(&w->jw, "uri", self.uri);
    cc_jw_kstr(&w->jw, "fullStatement", text(w, x->title.n ? &x->title : &x->description, "title"));
    cc_jw_kstr(&w->jw, "humanCodingScheme", x->code);
    cc_jw_kstr(&w->jw, "CFItemType", cc_case_kind_to_type(x->kind));
    cc_jw_kstr(&w->jw, "language", x->language);
    if (x->title.n)
        cc_jw_kstr(&w->jw, "notes", text(w, &x->description, "description"));
    cc_jw_kstr(&w->jw, "statusEndDate", is_date(x->valid_until) ? x->valid_until : NULL);
    const char *changed = kept_str(w, &x->ext, "lastChangeDateTime");
    cc_jw_kstr(&w->jw, "lastChangeDateTime", changed ? changed : w->changed);
    rest(w, &x->ext, CASE_ITEM, item_own);
    if (w->version == 11) {
        json_t *e = kept(&x->ext, "extensions");
        if (e) {
            cc_jw_key(&w->jw, "extensions");
            raw(w, e, -1);
        }
    }
    cc_jw_obj_end(&w->jw);
    losses(w, x, false);
    each_outcome(w, x, self, outcome_item, NULL);
    for (const cc_achievement *p = x->parts.head; p; p = p->next)
        part_item(w, p);
}

/* ------------------------------------------------------------ associations */

static void link(cw *w, const char *key, node n)
{
    cc_jw_key(&w->jw, key);
    cc_jw_obj(&w->jw);
    cc_jw_kstr(&w->jw, "title", n.title ? n.title : "");
    cc_jw_kstr(&w->jw, "identifier", n.identifier);
    cc_jw_kstr(&w->jw, "uri", n.uri);
    cc_jw_obj_end(&w->jw);
}

static void child_of(cw *w, node child, node parent, int seq)
{
    char u[37];
    cc_case_child_uuid(child.identifier, parent.identifier, u);
    cc_jw_obj(&w->jw);
    cc_jw_kstr(&w->jw, "identifier", u);
    cc_jw_kstr(&w->jw, "associationType", "isChildOf");
    cc_jw_key(&w->jw, "sequenceNumber");
    cc_jw_int(&w->jw, seq);
    cc_jw_kstr(&w->jw, "uri", cc_sprintf(w->a, "urn:uuid:%s", u));
    link(w, "originNodeURI", child);
    link(w, "destinationNodeURI", parent);
    cc_jw_kstr(&w->jw, "lastChangeDateTime", w->changed);
    cc_jw_obj_end(&w->jw);
}

static void outcome_assoc(cw *w, const outcome_walk *ow, void *ud)
{
    (void)ud;
    child_of(w, ow->self, ow->parent, ow->n);
}

static void part_assocs(cw *w, const cc_achievement *x, node parent, int seq)
{
    node self = achievement_node(w, x);
    json_t *k = kept(&x->ext, "isChildOf");
    if (k)
        raw(w, k, CASE_ASSOCIATION);  /* as read: its own identifier and sequence */
    else if (!cc_case_ext_find(&x->ext, "orphan"))
        child_of(w, self, parent, seq);
    each_outcome(w, x, self, outcome_assoc, NULL);
    int n = 0;
    for (const cc_outcome *o = x->outcomes.head; o; o = o->next)
        n += o->level != 2;
    for (const cc_achievement *p = x->parts.head; p; p = p->next)
        part_assocs(w, p, self, ++n);
}

/* The other associations read from a package (exactMatchOf, precedes, …), as read. */
static void kept_assocs(cw *w, const cc_achievement *a)
{
    for (const cc_ext *e = a->ext.head; e; e = e->next) {
        if (strcmp(e->name, "case:association") != 0)
            continue;
        json_t *j = cc_json_loads(e->value ? e->value : "", 0, NULL);
        if (json_is_object(j))
            raw(w, j, CASE_ASSOCIATION);
        else
            json_decref(j);
    }
}

/* ------------------------------------------------------------ the document */

static const char *const document_own[] = {
    "identifier", "uri", "frameworkType", "caseVersion", "creator", "title",
    "lastChangeDateTime", "officialSourceURL", "description", "language", "adoptionStatus",
    "statusEndDate", "extensions", "association", "CFDefinitions", "CFRubrics",
    "package-extensions", NULL,
};

static const char *creator(cw *w, const cc_achievement *a)
{
    const cc_org *pick = NULL;
    for (const cc_org *o = a->orgs.head; o && !pick; o = o->next)
        if (o->role && strcmp(o->role, "awarding-body") == 0)
            pick = o;
    if (!pick)
        pick = a->orgs.head;
    const char *name = pick ? cc_text_get(&pick->name, w->lang) : NULL;
    if (name)
        return name;
    /* A fiche of the national registers that names no certifier (the RS 3.0 export leaves
     * them out) is promulgated by the register itself. */
    if (a->code && cc_matches(a->code, "^(RNCP|RS)[0-9]+$")) {
        cc_diagf(w->diag, CC_NOTE, NULL, 0, 0, w->rec, "case-creator",
                 "no awarding body: CFDocument.creator is France compétences, which "
                 "publishes the register");
        return "France compétences";
    }
    cc_reject_reason(&w->reject, "no awarding body with a name (CFDocument.creator)");
    return NULL;
}

static const char *adoption(cw *w, const cc_achievement *a)
{
    const char *k = kept_str(w, &a->ext, "adoptionStatus");
    return k ? k : a->active == 1 ? "Adopted" : a->active == 0 ? "Deprecated" : NULL;
}

static void document(cw *w, const cc_achievement *a, node self)
{
    cc_jw_key(&w->jw, "CFDocument");
    cc_jw_obj(&w->jw);
    cc_jw_kstr(&w->jw, "identifier", self.identifier);
    cc_jw_kstr(&w->jw, "uri", self.uri);
    if (w->version == 11) {
        cc_jw_kstr(&w->jw, "frameworkType", a->kind);
        cc_jw_kstr(&w->jw, "caseVersion", "1.1");
    }
    cc_jw_kstr(&w->jw, "creator", creator(w, a));
    const char *title = text(w, &a->title, "title");
    if (!title && a->code) {  /* the RS 3.0 export has fiches without INTITULE */
        cc_diagf(w->diag, CC_NOTE, NULL, 0, 0, w->rec, "case-title",
                 "no title: CFDocument.title is the code");
        title = a->code;
    }
    if (!title)
        cc_reject_reason(&w->reject, "no title (CFDocument.title)");
    cc_jw_kstr(&w->jw, "title", title);
    cc_jw_kstr(&w->jw, "lastChangeDateTime", w->changed);
    cc_jw_kstr(&w->jw, "officialSourceURL", a->homepage);
    cc_jw_kstr(&w->jw, "description", text(w, &a->description, "description"));
    cc_jw_kstr(&w->jw, "language", w->lang);
    cc_jw_kstr(&w->jw, "adoptionStatus", adoption(w, a));
    cc_jw_kstr(&w->jw, "statusEndDate", is_date(a->valid_until) ? a->valid_until : NULL);
    if (a->valid_until && !is_date(a->valid_until))
        loss(w, "validUntil (not a date)");
    rest(w, &a->ext, CASE_DOCUMENT, document_own);
    extensions(w, &a->ext, a->code);
    cc_jw_obj_end(&w->jw);
    if (w->version == 10 && a->code)
        loss(w, "the fiche's code on the CFDocument (1.1 extensions)");
}

static void package(cw *w, const cc_achievement *a)
{
    w->lang = a->language;
    if (!w->lang && a->title.head)
        w->lang = ((const cc_text *)a->title.head)->lang;
    w->changed = cc_case_last_change(w->a, a);
    node self = achievement_node(w, a);
    cc_jw_obj(&w->jw);
    document(w, a, self);
    losses(w, a, true);
    cc_jw_key(&w->jw, "CFItems");
    cc_jw_arr(&w->jw);
    each_outcome(w, a, self, outcome_item, NULL);
    for (const cc_achievement *p = a->parts.head; p; p = p->next)
        part_item(w, p);
    cc_jw_arr_end(&w->jw);
    cc_jw_key(&w->jw, "CFAssociations");
    cc_jw_arr(&w->jw);
    each_outcome(w, a, self, outcome_assoc, NULL);
    int n = 0;
    for (const cc_outcome *o = a->outcomes.head; o; o = o->next)
        n += o->level != 2;
    for (const cc_achievement *p = a->parts.head; p; p = p->next)
        part_assocs(w, p, self, ++n);
    kept_assocs(w, a);
    cc_jw_arr_end(&w->jw);
    json_t *defs = kept(&a->ext, "CFDefinitions");
    if (defs) {
        cc_jw_key(&w->jw, "CFDefinitions");
        raw(w, defs, -1);
    }
    json_t *rubrics = kept(&a->ext, "CFRubrics");
    if (rubrics) {
        cc_jw_key(&w->jw, "CFRubrics");
        raw(w, rubrics, -1);
    }
    json_t *px = w->version == 11 ? kept(&a->ext, "package-extensions") : NULL;
    if (px) {
        cc_jw_key(&w->jw, "extensions");
        raw(w, px, -1);
    }
    cc_jw_obj_end(&w->jw);
}

/* ------------------------------------------------------------ the check */

typedef struct errs {
    const cc_diag_sink *diag;
    const char *rec;
    int n;
} errs;

static void on_schema_error(void *ud, const char *instance, const char *keyword, const char *msg)
{
    errs *e = ud;
    (void)keyword;
    cc_diagp(e->diag, CC_ERROR, NULL, 0, instance, e->rec, "case-schema", "%s", msg);
    e->n++;
}

/* What `validate -f case` checks: the package against the bundled 1.1 schema (a 1.0
 * package, which has none of the 1.1 fields, too).  -1: the schema cannot be used. */
static int check(casew *o, const cc_diag_sink *d, const char *rec, const char *buf, size_t len)
{
    if (cc_wcheck_off(o->check.check))
        return 0;
    cc_schema_set *set = cc_wcheck_json_schema(o->check.check, CASE_SCHEMA_FILE, CASE_SCHEMA_URI, d);
    if (!set)
        return -1;
    json_t *doc = cc_json_loadb(buf, len, 0, NULL);
    if (!doc)
        return 1;
    errs e = {.diag = d, .rec = rec};
    if (cc_schema_validate(set, CASE_SCHEMA_URI, doc, CC_SCHEMA_FORMAT_ASSERT, on_schema_error, &e) < 0 &&
        !e.n)
        e.n = -1;
    json_decref(doc);
    return e.n;
}

/* ------------------------------------------------------------ the writer */

void *cc_case_writer_open(cc_write_ctx *ctx)
{
    casew *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->out = ctx->out;
    o->diag = ctx->diag;
    o->scratch = cc_arena_new();
    o->check = cc_wcheck_for(ctx);
    o->version = ctx->case_version && strcmp(ctx->case_version, "1.0") == 0 ? 10 : 11;
    return o;
}

int cc_case_writer_record(void *wp, const cc_record *r)
{
    casew *o = wp;
    const char *rec = cc_record_id(r);
    if (r->kind != CC_REC_ACHIEVEMENT) {
        cc_diagf(o->diag, CC_ERROR, r->src_file, r->src_line, 0, rec, "case-not-framework",
                 "cannot write as CASE: a credential (an award) is no competency framework; "
                 "convert the fiche it awards");
        return 1;
    }
    cc_arena_reset(o->scratch);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem)
        return 2;
    cw w = {.a = o->scratch, .diag = o->diag, .rec = rec, .version = o->version};
    cc_jw_init(&w.jw, mem);
    package(&w, r->achievement);
    putc('\n', mem);
    fclose(mem);
    int rc;
    if (w.reject) {
        cc_diagf(o->diag, CC_ERROR, r->src_file, r->src_line, 0, rec, "case-missing",
                 "cannot write as CASE: %s", w.reject);
        rc = 1;
    } else {
        cc_wcheck_sink ws;
        const cc_diag_sink *d = cc_wcheck_sink_init(&ws, o->check.check, o->diag);
        rc = cc_wcheck_verdict(o->check.check, o->diag, r, "case", check(o, d, rec, buf, len),
                               "fix the achievement's fields listed above in the input");
    }
    if (rc == 0 && (fwrite(buf, 1, len, o->out) != len || ferror(o->out)))
        rc = 2;
    free(buf);
    return rc;
}

int cc_case_writer_close(void *wp)
{
    casew *o = wp;
    cc_arena_free(o->scratch);
    cc_wcheck_release(&o->check);
    free(o);
    return 0;
}
