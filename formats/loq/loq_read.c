/* LOQ reader: a Courses document into the model, one achievement record per qualification
 * or learning achievement specification that is not part of another (its parts adopted).
 *
 * An xmlTextReader streams the input; each entity of a *References section is expanded,
 * checked (validation: the streaming XSD validation of the whole document, keys and keyrefs
 * included, and the SHACL checks of loq_check.c) and mapped, then freed.  The entities a
 * specification names (outcomes, assessments, organisations, locations) come after it in
 * the document, so the specifications wait as records until the end of the input, with
 * what they name: this reader holds the document's content, unlike the writer (the QDR
 * documents it reads are one provider's catalogue; docs/performance.md). */
#include "cc_xmlguard.h"
#include "cc_xmlschema.h"
#include "loq/loq.h"
#include "vocab/vocab.h"

#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>

typedef struct ref {
    void *next;
    const char *id;
} ref;

typedef struct spec {            /* a specification read, waiting for the end */
    void *next;
    cc_record *rec;
    const char *id, *parent;
    cc_list outcomes, assessments, orgs, parts;  /* ref */
    bool adopted;
} spec;

typedef struct entity {          /* an outcome, assessment, organisation or location */
    void *next;                   /* hash chain */
    const char *key;              /* kind letter + id */
    cc_list text;                 /* outcome title / assessment description / org name */
    const char *uri, *siret, *url, *loc;
    struct spec *sp;              /* 's': the specification of that id */
} entity;

enum { NBUCKETS = 1 << 14 };

typedef struct reader {
    cc_read_ctx *ctx;
    xmlTextReaderPtr xr;
    cc_xmlschema sch;
    loq_checker *check;
    cc_arena *a;                  /* entities, for the whole document */
    entity **bucket;
    cc_list specs;                /* spec, in document order */
    int pending;                  /* errors since the current entity began */
    int doc_errors;               /* errors outside any specification */
    spec *group;                  /* validation: the fiche whose blocks are being read */
    bool stop;                    /* the sink asked to stop */
    int fatal;
    bool root_seen;
    bool prolog_done;             /* the bytes of the root's start tag went by */
    char carry[16];               /* the prolog's last bytes, across reads */
    cc_xml_guard guard;           /* attribute counts, on the bytes before libxml2 sees them */
    long index;
} reader;

/* ------------------------------------------------------------ errors */

static void on_schema_error(void *ud, xmlErrorPtr e);

static void on_error(void *ud, xmlErrorPtr e)
{
    reader *r = ud;
    if (e->domain == XML_FROM_SCHEMASV) {  /* the reader's handler gets validity errors too */
        on_schema_error(ud, e);
        return;
    }
    if (e->level == XML_ERR_WARNING || r->fatal)
        return;
    char msg[512];
    cc_xml_error_text(e, msg, sizeof msg);
    cc_diagf(r->ctx->diag, CC_ERROR, r->ctx->in->name, e->line, e->int2, NULL,
             cc_xml_error_huge_text(e) ? "xml-huge-text" : "xml-syntax", "not well-formed XML: %s", msg);
    r->fatal = 1;
}

static void count_error(reader *r, int n)
{
    r->pending += n;
}

static void on_schema_error(void *ud, xmlErrorPtr e)
{
    reader *r = ud;
    if (r->fatal)
        return;  /* what the validator says of a document cut short adds nothing */
    char msg[512];
    cc_xml_error_text(e, msg, sizeof msg);
    cc_diagf(r->ctx->diag, CC_ERROR, r->ctx->in->name, e->line, 0, NULL, "loq-schema", "%s", msg);
    count_error(r, 1);
}

static void fail(reader *r, const char *rule, const char *msg)
{
    cc_diagf(r->ctx->diag, CC_ERROR, r->ctx->in->name, xmlTextReaderGetParserLineNumber(r->xr), 0,
             NULL, rule, "%s", msg);
    r->fatal = 1;
}

/* ------------------------------------------------------------ tree helpers */

static bool is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static const char *attr(cc_arena *a, const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp((xmlNodePtr)n, (const xmlChar *)name);
    const char *s = v ? cc_strdup(a, (const char *)v) : NULL;
    xmlFree(v);
    return s;
}

static const char *content(cc_arena *a, const xmlNode *n)
{
    xmlChar *v = xmlNodeGetContent((xmlNodePtr)n);
    const char *s = v ? cc_strdup(a, (const char *)v) : NULL;
    xmlFree(v);
    return s;
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
    for (const xmlNode *x = n ? n->children : NULL; x; x = x->next)
        if (is(x, name))
            return x;
    return NULL;
}

static const char *child_text(cc_arena *a, const xmlNode *n, const char *name)
{
    const xmlNode *c = child(n, name);
    return c ? content(a, c) : NULL;
}

static void lang_texts(cc_arena *a, cc_list *l, const xmlNode *n, const char *name)
{
    for (const xmlNode *x = n->children; x; x = x->next)
        if (is(x, name))
            cc_text_add(a, l, attr(a, x, "language"), content(a, x));
}

static void refs(cc_arena *a, cc_list *l, const xmlNode *n, const char *name)
{
    for (const xmlNode *x = n->children; x; x = x->next)
        if (is(x, name)) {
            ref *e = cc_alloc(a, sizeof *e);
            e->id = attr(a, x, "idref");
            if (e->id)
                cc_list_append(l, e);
        }
}

/* The last path segment of a URI: a concept's code. */
static const char *tail(const char *uri)
{
    const char *s = uri ? strrchr(uri, '/') : NULL;
    return s ? s + 1 : uri;
}

/* ------------------------------------------------------------ entities */

static size_t hash(const char *s)
{
    return (size_t)(cc_loq_hash("", s) % NBUCKETS);
}

static entity *put(reader *r, char kind, const char *id)
{
    entity *e = cc_alloc(r->a, sizeof *e);
    e->key = cc_sprintf(r->a, "%c%s", kind, id);
    size_t h = hash(e->key);
    e->next = r->bucket[h];
    r->bucket[h] = e;
    return e;
}

static const entity *get(const reader *r, char kind, const char *id)
{
    char key[2048];
    snprintf(key, sizeof key, "%c%s", kind, id);
    for (const entity *e = r->bucket[hash(key)]; e; e = e->next)
        if (!strcmp(e->key, key))
            return e;
    return NULL;
}

static void read_entity(reader *r, const xmlNode *n, const char *id)
{
    if (is(n, "learningOutcome")) {
        entity *e = put(r, 'o', id);
        lang_texts(r->a, &e->text, n, "title");
        const xmlNode *s = child(n, "relatedESCOSkill");
        e->uri = s ? attr(r->a, s, "uri") : NULL;
    } else if (is(n, "learningAssessmentSpecification")) {
        entity *e = put(r, 'a', id);
        lang_texts(r->a, &e->text, n, "description");
        if (!e->text.head)
            lang_texts(r->a, &e->text, n, "title");
    } else if (is(n, "organisation")) {
        entity *e = put(r, 'g', id);
        lang_texts(r->a, &e->text, n, "legalName");
        const xmlNode *reg = child(n, "registration");
        const char *scheme = child_text(r->a, reg, "schemeName");
        if (reg && (!scheme || !strcasecmp(scheme, "SIRET")))
            e->siret = child_text(r->a, reg, "notation");
        e->url = child_text(r->a, child(n, "homepage"), "contentUrl");
        const xmlNode *loc = child(n, "location");
        e->loc = loc ? attr(r->a, loc, "idref") : NULL;
    } else if (is(n, "location")) {
        const xmlNode *cc = child(child(n, "address"), "countryCode");
        put(r, 'l', id)->uri = cc ? attr(r->a, cc, "uri") : NULL;
    }
}

/* ------------------------------------------------------------ specifications */

static void concepts(cc_arena *a, cc_achievement *s, const xmlNode *n)
{
    for (const xmlNode *x = n->children; x; x = x->next) {
        const char *uri = x->type == XML_ELEMENT_NODE ? attr(a, x, "uri") : NULL;
        if (!uri)
            continue;
        const char *notation = child_text(a, x, "notation");
        const xmlNode *pl = child(x, "prefLabel");
        const char *label = pl ? content(a, pl) : NULL, *lang = pl ? attr(a, pl, "language") : NULL;
        if (is(x, "type") && !strncmp(uri, LOQ_URN "rncp-abrege:", strlen(LOQ_URN "rncp-abrege:")))
            s->type = cc_code_new(a, "rncp-abrege", notation ? notation : tail(uri), lang, label);
        else if (is(x, "ISCEDFCode") && strcmp(uri, CC_VOCAB_ISCED_BASE "99"))
            cc_list_append(&s->alignments, cc_code_new(a, "isced-f", tail(uri), lang, label));
        else if (is(x, "educationSubject")) {
            const char *scheme = !strncmp(uri, LOQ_URN "nsf:", strlen(LOQ_URN "nsf:")) ? "nsf"
                               : !strncmp(uri, LOQ_URN "formacode:", strlen(LOQ_URN "formacode:")) ? "formacode"
                               : "education-subject";
            cc_code *c = cc_code_new(a, scheme, notation ? notation : tail(uri), lang, label);
            if (!strcmp(scheme, "education-subject"))
                c->uri = uri;
            cc_list_append(&s->alignments, c);
        } else if (is(x, "language")) {
            char tag[4];
            if (!s->language && cc_vocab_lang_tag(tail(uri), tag))
                s->language = cc_strdup(a, tag);
        } else if (is(x, "EQFLevel")) {
            s->eqf_level = cc_vocab_eqf_level(uri);
        } else if (is(x, "NQFLevel") && !s->nqf_level) {
            int lv = cc_vocab_fr_nqf_level(uri);
            s->nqf_level = lv ? cc_code_new(a, "fr-nqf", cc_sprintf(a, "NIV%d", lv), "fr", cc_sprintf(a, "Niveau %d", lv))
                              : cc_code_new(a, "qdr", tail(uri), NULL, NULL);
            if (!lv)
                s->nqf_level->uri = uri;
        }
    }
}

static void date_ext(cc_arena *a, cc_achievement *s, const char *v)
{
    if (v && strlen(v) >= 10)
        cc_ext_add(a, &s->ext, "rncp:DATE_DECISION", cc_strndup(a, v, 10));
}

/* The fields of a qualification or learning achievement specification that are its own;
 * what it names by idref waits in p for the end of the document. */
static void map_spec(spec *p, const xmlNode *n)
{
    cc_arena *a = p->rec->arena;
    cc_achievement *s = p->rec->achievement;
    s->id = p->id;
    const xmlNode *idf = child(n, "identifier");
    s->code = child_text(a, idf, "notation");
    const char *issued = child_text(a, idf, "issued");
    lang_texts(a, &s->title, n, "title");
    lang_texts(a, &s->description, n, "description");
    s->homepage = child_text(a, child(n, "homepage"), "contentUrl");
    const char *status = child_text(a, n, "status");
    s->active = !status ? -1 : !strcmp(status, "active") ? 1 : !strcmp(status, "inactive") ? 0 : -1;
    concepts(a, s, n);
    s->volume = child_text(a, n, "volumeOfLearning");
    const xmlNode *cp = child(n, "creditPoint");
    const xmlNode *fw = child(cp, "framework");
    const char *fwu = fw ? attr(a, fw, "uri") : NULL;
    if (fwu && !strcmp(fwu, CC_VOCAB_ECTS))
        s->credits = child_text(a, cp, "point");
    const xmlNode *er = child(n, "entryRequirement");
    if (er)
        lang_texts(a, &s->entry_requirements, er, "noteLiteral");
    refs(a, &p->outcomes, n, "learningOutcome");
    refs(a, &p->assessments, n, "provenBy");
    refs(a, &p->parts, n, "hasPart");
    const xmlNode *po = child(n, "isPartOf");
    p->parent = po ? attr(a, po, "idref") : NULL;
    const xmlNode *ao = child(n, "awardingOpportunity");
    if (ao) {
        refs(a, &p->orgs, ao, "awardingBody");
        const xmlNode *t = child(ao, "temporal");
        const char *start = child_text(a, t, "startDate"), *end = child_text(a, t, "endDate");
        if (!issued)
            issued = start;
        if (end && strlen(end) >= 10)
            s->valid_until = cc_strndup(a, end, 10);
    }
    date_ext(a, s, issued);
    const char *partial = child_text(a, n, "isPartialQualification");
    s->kind = (partial && !strcmp(partial, "true")) || p->parent ? "skills-block" : "certification";
}

static void to_sink(reader *r, cc_record *rec)
{
    rec->src_index = ++r->index;
    if (r->ctx->sink.record(r->ctx->sink.ud, rec))
        r->stop = true;
}

/* Validation needs no model content, only a record per fiche to count valid or invalid: a
 * specification is handed over when the next one that is not its part begins, so memory
 * stays flat (the XSD's key tables aside) however large the document. */
static void validate_spec(reader *r, spec *p)
{
    spec *g = r->group;
    if (g && p->parent && !strcmp(p->parent, g->id)) {
        g->rec->invalid += p->rec->invalid;
        cc_record_free(p->rec);
        return;
    }
    if (g)
        to_sink(r, g->rec);
    r->group = p;
}

static void read_spec(reader *r, const xmlNode *n, const char *id)
{
    spec *p = cc_alloc(r->a, sizeof *p);
    p->rec = cc_record_new(CC_REC_ACHIEVEMENT);
    p->id = cc_strdup(p->rec->arena, id);
    p->rec->src_file = r->ctx->in->name;
    p->rec->src_line = xmlGetLineNo((xmlNodePtr)n);
    map_spec(p, n);
    p->rec->invalid = r->pending;
    r->pending = 0;
    if (r->ctx->validate) {
        validate_spec(r, p);
        return;
    }
    cc_list_append(&r->specs, p);
    if (!get(r, 's', id))
        put(r, 's', id)->sp = p;
}

/* ------------------------------------------------------------ the end of the document */

static cc_org *org_of(reader *r, cc_arena *a, const char *id)
{
    const entity *e = get(r, 'g', id);
    if (!e)
        return NULL;
    cc_org *o = cc_org_new(a);
    o->id = cc_strdup(a, id);
    o->role = "awarding-body";
    for (const cc_text *t = e->text.head; t; t = t->next)
        cc_text_add(a, &o->name, cc_strdup(a, t->lang), cc_strdup(a, t->value));
    if (e->siret)
        cc_list_append(&o->identifiers, cc_code_new(a, "siret", cc_strdup(a, e->siret), NULL, NULL));
    o->url = cc_strdup(a, e->url);
    const entity *l = e->loc ? get(r, 'l', e->loc) : NULL;
    char a2[4];
    if (l && l->uri && cc_vocab_lang_tag(tail(l->uri), a2) && !strcmp(tail(l->uri), "FRA"))
        o->country = "FR";  /* the one country credconv writes; others stay unknown */
    return o;
}

static void copy_texts(cc_arena *a, cc_list *to, const cc_list *from)
{
    for (const cc_text *t = from->head; t; t = t->next)
        cc_text_add(a, to, cc_strdup(a, t->lang), cc_strdup(a, t->value));
}

/* What the specification names, copied into its record. */
static void resolve(reader *r, spec *p)
{
    cc_arena *a = p->rec->arena;
    cc_achievement *s = p->rec->achievement;
    for (const ref *x = p->outcomes.head; x; x = x->next) {
        const entity *e = get(r, 'o', x->id);
        if (!e)
            continue;
        cc_outcome *o = cc_alloc(a, sizeof *o);
        o->id = cc_strdup(a, x->id);
        o->uri = cc_strdup(a, e->uri);
        o->level = 1;
        copy_texts(a, &o->text, &e->text);
        cc_list_append(&s->outcomes, o);
    }
    for (const ref *x = p->assessments.head; x; x = x->next) {
        const entity *e = get(r, 'a', x->id);
        if (e)
            copy_texts(a, &s->assessment, &e->text);
    }
    for (const ref *x = p->orgs.head; x; x = x->next) {
        cc_org *o = org_of(r, a, x->id);
        if (o)
            cc_list_append(&s->orgs, o);
    }
}

static spec *find_spec(reader *r, const char *id)
{
    const entity *e = id ? get(r, 's', id) : NULL;
    return e ? e->sp : NULL;
}

/* A fiche's own outcomes are those not also a block's (the writer names the blocks'
 * outcomes from a fiche that has none of its own). */
static void drop_block_outcomes(cc_achievement *f)
{
    cc_list kept = {0};
    for (cc_outcome *o = f->outcomes.head, *next; o; o = next) {
        next = o->next;
        bool in_block = false;
        for (const cc_achievement *b = f->parts.head; !in_block && b; b = b->next)
            for (const cc_outcome *q = b->outcomes.head; !in_block && q; q = q->next)
                in_block = q->id && o->id && !strcmp(q->id, o->id);
        o->next = NULL;
        if (!in_block)
            cc_list_append(&kept, o);
    }
    f->outcomes = kept;
}

/* Blocks into their fiches (isPartOf, else the fiche's hasPart), then every record that is
 * not part of another to the sink, in document order. */
static void emit(reader *r)
{
    for (spec *p = r->specs.head; p; p = p->next)
        resolve(r, p);
    for (spec *p = r->specs.head; p; p = p->next)
        for (const ref *x = p->parts.head; x; x = x->next) {
            spec *c = find_spec(r, x->id);
            if (c && !c->parent && c != p)
                c->parent = p->id;
        }
    for (spec *p = r->specs.head; p; p = p->next) {
        spec *f = find_spec(r, p->parent);
        if (!f || f == p || f->parent)
            continue;  /* a part of a part stays a record of its own */
        p->adopted = true;
        p->rec->achievement->part_of = f->rec->achievement->code;
        cc_list_append(&f->rec->achievement->parts, p->rec->achievement);
        f->rec->invalid += p->rec->invalid;
        cc_record_adopt(f->rec, p->rec);
        p->rec = NULL;  /* the fiche's now */
    }
    bool first = true;
    for (spec *p = r->specs.head; p; p = p->next) {
        if (p->adopted)
            continue;
        drop_block_outcomes(p->rec->achievement);
        if (first)
            p->rec->invalid += r->doc_errors;  /* keyrefs and the like: the document's */
        first = false;
        cc_record *rec = p->rec;
        p->rec = NULL;
        to_sink(r, rec);
        if (r->stop)
            break;
    }
}

/* ------------------------------------------------------------ walking the document */

static const char *const entity_sections[] = {
    "learningAchievementSpecificationReferences", "learningOutcomeReferences",
    "learningAssessmentSpecificationReferences", "agentReferences", "locationReferences", NULL,
};

static bool known_section(const char *name)
{
    for (int i = 0; entity_sections[i]; i++)
        if (!strcmp(name, entity_sections[i]))
            return true;
    return false;
}

static void entity_node(reader *r)
{
    xmlNode *n = xmlTextReaderExpand(r->xr);
    if (!n) {
        if (!r->fatal)
            fail(r, "xml-syntax", "cannot read an entity of the document");
        return;
    }
    const char *id = attr(r->a, n, "id");
    if (r->check)
        count_error(r, cc_loq_check_entity(r->check, n, NULL));
    bool is_spec = is(n, "qualification") || is(n, "learningAchievementSpecification");
    if (!id && is_spec && !r->ctx->validate) {  /* validating, the schema says so */
        cc_diagf(r->ctx->diag, CC_ERROR, r->ctx->in->name, xmlGetLineNo(n), 0, NULL, "loq-no-id",
                 "a <%s> without its required id: not read", (const char *)n->name);
        if (r->ctx->sink.reject(r->ctx->sink.ud, r->ctx->in->name, xmlGetLineNo(n), NULL))
            r->stop = true;
    }
    if (!id)
        return;
    if (is_spec)
        read_spec(r, n, id);
    else if (!r->ctx->validate)
        read_entity(r, n, id);
}

/* True when the current node's subtree is done with. */
static bool visit(reader *r)
{
    int type = xmlTextReaderNodeType(r->xr);
    if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
        fail(r, "xml-doctype", "DOCTYPE declarations are refused (no DTD or entity is loaded)");
        return true;
    }
    if (type != XML_READER_TYPE_ELEMENT)
        return false;
    int depth = xmlTextReaderDepth(r->xr);
    const char *name = (const char *)xmlTextReaderConstLocalName(r->xr);
    const xmlChar *ns = xmlTextReaderConstNamespaceUri(r->xr);
    if (depth == 0) {
        if (!ns || strcmp((const char *)ns, LOQ_NS) || strcmp(name, "Courses")) {
            fail(r, "loq-root", "the root element is not Courses in the LOQ namespace " LOQ_NS);
            return true;
        }
        r->root_seen = true;
        return false;
    }
    if (depth == 1) {
        if (known_section(name))
            return false;
        cc_diagf(r->ctx->diag, CC_NOTE, r->ctx->in->name, xmlTextReaderGetParserLineNumber(r->xr), 0,
                 NULL, "loss", "loss: %s not read into the model", name);
        return !r->ctx->validate;  /* validation reads on, to check it */
    }
    if (depth == 2) {
        r->doc_errors += r->pending;
        r->pending = 0;
        entity_node(r);
        return true;
    }
    return false;
}

/* A DOCTYPE is refused before libxml2 sees it: no DTD, so no entity is ever declared
 * (external entities, expansion bombs).  The prolog is scanned up to the root's start tag. */
static bool doctype_in_prolog(reader *r, const char *buf, size_t n)
{
    char win[16 + 4096];
    for (size_t off = 0; off < n && !r->prolog_done; off += 4096) {
        size_t k = n - off < 4096 ? n - off : 4096, c = strlen(r->carry);
        memcpy(win, r->carry, c);
        memcpy(win + c, buf + off, k);
        for (size_t i = 0; i + 1 < c + k; i++) {
            if (win[i] != '<')
                continue;
            if (i + 9 <= c + k && !strncmp(win + i, "<!DOCTYPE", 9))
                return true;
            char x = win[i + 1];
            if ((x >= 'A' && x <= 'Z') || (x >= 'a' && x <= 'z') || x == '_' || x == ':') {
                r->prolog_done = true;
                break;
            }
        }
        size_t keep = c + k < 8 ? c + k : 8;
        memcpy(r->carry, win + c + k - keep, keep);
        r->carry[keep] = '\0';
    }
    return false;
}

static int io_read(void *ud, char *buf, int len)
{
    reader *r = ud;
    size_t n = cc_input_read(r->ctx->in, buf, (size_t)len);
    if (!cc_xml_guard_feed(&r->guard, buf, n)) {
        cc_diagf(r->ctx->diag, CC_ERROR, r->ctx->in->name, r->guard.tag_line, 0, NULL, r->guard.rule,
                 "%s", r->guard.rule && !strcmp(r->guard.rule, "xml-encoding")
                 ? "the document is in an encoding credconv does not read for LOQ (UTF-8, UTF-16, "
                   "US-ASCII, ISO-8859-n and windows-125n are read)"
                 : "an element has more than 256 attributes (namespace declarations included): "
                   "refused before parsing (no LOQ element needs more)");
        r->fatal = 1;
        return -1;
    }
    if (!r->prolog_done && doctype_in_prolog(r, buf, n)) {
        cc_diagf(r->ctx->diag, CC_ERROR, r->ctx->in->name, 0, 0, NULL, "xml-doctype",
                 "DOCTYPE declarations are refused (no DTD or entity is loaded)");
        r->fatal = 1;
        return -1;
    }
    return (int)n;
}

static int io_close(void *ud)
{
    (void)ud;
    return 0;
}

/* The last fiche, with the errors no fiche was reading (keyrefs are checked at the end of
 * the document); errors with no fiche to count them make the input invalid. */
static int validate_end(reader *r)
{
    spec *g = r->group;
    r->group = NULL;
    if (g) {
        g->rec->invalid += r->doc_errors;
        if (!r->stop)
            to_sink(r, g->rec);
        else
            cc_record_free(g->rec);
        return 0;
    }
    if (!r->doc_errors)
        return 0;
    cc_diagf(r->ctx->diag, CC_ERROR, r->ctx->in->name, 0, 0, NULL, "loq-schema",
             "the document is invalid and holds no qualification or specification");
    return 1;
}

static void reader_free(reader *r)
{
    for (spec *p = r->specs.head; p; p = p->next)
        if (p->rec)
            cc_record_free(p->rec);  /* records never handed to the sink */
    xmlFreeTextReader(r->xr);
    cc_xmlschema_free(&r->sch);
    cc_loq_checker_free(r->check);
    free(r->bucket);
    cc_arena_free(r->a);
}

int cc_loq_read(cc_read_ctx *ctx)
{
    reader r = {.ctx = ctx, .a = cc_arena_new(), .bucket = calloc(NBUCKETS, sizeof(entity *)),
                .guard = {.max_attrs = 256, .check_encoding = true, .line = 1}};
    if (!r.bucket || (ctx->validate && cc_xmlschema_load(&r.sch, ctx, LOQ_XSD) != 0)) {
        reader_free(&r);
        return 2;
    }
    r.xr = xmlReaderForIO(io_read, io_close, &r, ctx->in->name, NULL,
                          XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA);
    if (!r.xr) {
        reader_free(&r);
        return 2;
    }
    xmlTextReaderSetStructuredErrorHandler(r.xr, on_error, &r);
    if (ctx->validate) {
        xmlSchemaSetValidStructuredErrors(r.sch.vctxt, on_schema_error, &r);
        r.check = cc_loq_checker_new(ctx->diag, ctx->in->name);
        if (!r.check || xmlTextReaderSchemaValidateCtxt(r.xr, r.sch.vctxt, 0) != 0)
            fail(&r, "schema-load", "cannot validate with the LOQ schema");
    }
    int ret = r.fatal ? -1 : xmlTextReaderRead(r.xr);
    while (ret == 1 && !r.fatal && !r.stop)
        ret = visit(&r) ? xmlTextReaderNext(r.xr) : xmlTextReaderRead(r.xr);
    if (ret < 0 && !r.fatal)
        fail(&r, "xml-syntax", "not well-formed XML");
    r.doc_errors += r.pending + (r.check && !r.fatal ? cc_loq_checker_finish(r.check) : 0);
    if (!r.fatal && !r.root_seen)
        fail(&r, "loq-root", "no Courses element in the input");
    int rc = r.fatal ? 1 : 0;
    if (!r.fatal && ctx->validate)
        rc = validate_end(&r);
    else if (!r.fatal && !r.stop)
        emit(&r);
    if (r.group && r.group->rec)  /* stopped, or fatal */
        cc_record_free(r.group->rec);
    reader_free(&r);
    return rc;
}
