/* Europass EDC 1.2 writer: one europassCredential per credential record, in the schema's
 * element order, every reference section with unique ids and every idref resolving.
 *
 * Typed model fields and the "edc:" extension entries the reader kept are interleaved by
 * one order table per element: where the extension has entries of an element's name,
 * they are written (the extension wins); otherwise the typed field, if any.
 *
 * One credential alone is a plain document; from the second one on, they go in the
 * bulk-upload wrapper europassCredentials, so the first is held until we know. */
#include "cc_writecheck.h"
#include "cc_xmlw.h"
#include "edc.h"
#include "vocab/vocab.h"

#include <stdlib.h>
#include <string.h>

#define SCHEMA_LOCATION EDC_NS " http://publications.europa.eu/resource/schema/credential/genericschema_1.2.xsd"
#define MAX_LANGS 29

typedef struct writer {
    FILE *out;
    const cc_diag_sink *diag;
    int n;                        /* credentials written */
    char *first;                  /* the first one, held until a second one comes */
    size_t first_len;
    cc_wcheck_ref check;          /* each credential checked before it is written */
} writer;

typedef struct id_entry {
    void *next;
    const char *id;
} id_entry;

typedef struct doc {             /* one credential being written */
    FILE *f;
    const cc_record *r;
    const cc_credential *c;
    const cc_diag_sink *diag;
    cc_arena *a;                  /* scratch, freed after the record */
    const char *primary;
    const char *langs[MAX_LANGS];
    int nlangs;
    long langs_at;                /* where availableLanguages goes in f (-1: not yet) */
    int langs_depth;
    cc_list ids;                  /* id_entry: every id this document uses */
    cc_list orgs;                 /* cc_org copies to write in agentReferences */
    cc_list specs;                /* cc_achievement copies for learningSpecificationReferences */
    cc_list outcomes;             /* cc_outcome copies with their ids */
    cc_list assessments;          /* cc_achievement whose assessment text is written */
    const char *issuer_id, *process_id;
} doc;

/* ------------------------------------------------------------ output helpers */

static void esc(FILE *f, const char *s)
{
    cc_xml_escape(f, s, true);
}

static void ind(doc *d, int depth)
{
    cc_xml_indent(d->f, 2 * depth);
}

static void leaf(doc *d, int depth, const char *name, const char *value)
{
    if (!value)
        return;
    ind(d, depth);
    fprintf(d->f, "<%s>", name);
    esc(d->f, value);
    fprintf(d->f, "</%s>\n", name);
}

static void ref(doc *d, int depth, const char *name, const char *idref)
{
    ind(d, depth);
    fprintf(d->f, "<%s idref=\"", name);
    esc(d->f, idref);
    fputs("\"/>\n", d->f);
}

static void open_id(doc *d, int depth, const char *name, const char *id)
{
    ind(d, depth);
    fprintf(d->f, "<%s id=\"", name);
    esc(d->f, id);
    fputs("\">\n", d->f);
}

static void close_el(doc *d, int depth, const char *name)
{
    ind(d, depth);
    fprintf(d->f, "</%s>\n", name);
}

static void loss(doc *d, const char *field)
{
    if (d->diag)
        cc_diagf(d->diag, CC_NOTE, d->r->src_file, d->r->src_line, 0, cc_record_id(d->r), "loss",
                 "loss: %s not expressible in edc", field);
}

/* ------------------------------------------------------------ ids */

static bool id_used(const doc *d, const char *id)
{
    for (const id_entry *e = d->ids.head; e; e = e->next)
        if (!strcmp(e->id, id))
            return true;
    return false;
}

static void use_id(doc *d, const char *id)
{
    id_entry *e = cc_alloc(d->a, sizeof *e);
    e->id = id;
    cc_list_append(&d->ids, e);
}

/* A fresh id of this kind, unused in the document. */
static const char *new_id(doc *d, const char *kind)
{
    for (int n = 1;; n++) {
        const char *id = cc_sprintf(d->a, "urn:credconv:%s:%d", kind, n);
        if (!id_used(d, id)) {
            use_id(d, id);
            return id;
        }
    }
}

/* The ids of the entries the reader kept raw, so generated ids never collide with them. */
static void use_raw_ids(doc *d, const cc_list *ext)
{
    for (const cc_ext *e = ext->head; e; e = e->next) {
        if (!strcmp(e->name, "@id") && e->value)
            use_id(d, e->value);
        use_raw_ids(d, &e->children);
    }
}

/* ------------------------------------------------------------ text and codes */

static void add_lang(doc *d, const char *l)
{
    for (int i = 0; i < d->nlangs; i++)
        if (d->langs[i] == l)
            return;
    if (d->nlangs < MAX_LANGS)
        d->langs[d->nlangs++] = l;
}

/* TextType: one `text` per language the schema allows; NULL language = the primary one. */
static void texts(doc *d, int depth, const char *name, const cc_list *l, const char *field)
{
    const char *seen[MAX_LANGS];
    int nseen = 0;
    if (!l->n)
        return;
    ind(d, depth);
    fprintf(d->f, "<%s>\n", name);
    for (const cc_text *t = l->head; t; t = t->next) {
        const char *lang = t->lang ? cc_edc_lang(t->lang) : d->primary;
        bool dup = false;
        for (int i = 0; i < nseen; i++)
            dup = dup || seen[i] == lang;
        if (!lang || dup) {
            loss(d, cc_sprintf(d->a, "%s (language %s)", field, t->lang ? t->lang : "?"));
            continue;
        }
        seen[nseen++] = lang;
        add_lang(d, lang);
        ind(d, depth + 1);
        fprintf(d->f, "<text lang=\"%s\" content-type=\"text/plain\">", lang);
        esc(d->f, t->value);
        fputs("</text>\n", d->f);
    }
    close_el(d, depth, name);
}

static void text1(doc *d, int depth, const char *name, const char *value, const char *field)
{
    cc_text t = {.value = value};
    cc_list l = {.head = &t, .tail = &t, .n = 1};
    if (value)
        texts(d, depth, name, &l, field);
}

/* A code element: @uri, @targetFrameworkUrl, targetName (the label, else the code). */
static void code(doc *d, int depth, const char *name, const char *uri, const char *fw,
                 const cc_list *label, const char *fallback)
{
    ind(d, depth);
    fprintf(d->f, "<%s uri=\"", name);
    esc(d->f, uri);
    fputs("\" targetFrameworkUrl=\"", d->f);
    esc(d->f, fw);
    fputs("\">\n", d->f);
    if (label && label->n) {
        texts(d, depth + 1, "targetName", label, "code label");
    } else {
        cc_text t = {.lang = "en", .value = fallback};
        cc_list l = {.head = &t, .tail = &t, .n = 1};
        texts(d, depth + 1, "targetName", &l, "code label");
    }
    close_el(d, depth, name);
}

/* A model code as an EDC code of a known list (or whose scheme is the list's URL). */
static bool model_code(doc *d, int depth, const char *name, const cc_code *c)
{
    const edc_framework *f = cc_edc_framework_by_scheme(c->scheme);
    const char *fw = f ? f->url : c->scheme && !strncmp(c->scheme, "http", 4) ? c->scheme : NULL;
    const char *uri = c->uri ? c->uri : f && c->code ? cc_sprintf(d->a, "%s%s", f->base, c->code)
                                                     : NULL;
    if (!fw || !uri)
        return false;
    code(d, depth, name, uri, fw, &c->label, c->code ? c->code : uri);
    return true;
}

/* ------------------------------------------------------------ extension entries */

static const char *ext_local(const cc_ext *e, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(e->name, prefix, n) == 0 && e->name[n] ? e->name + n : NULL;
}

static void put_ext(doc *d, int depth, const cc_ext *e, const char *name)
{
    bool kids = false;
    ind(d, depth);
    fprintf(d->f, "<%s", name);
    for (const cc_ext *k = e->children.head; k; k = k->next) {
        if (k->name[0] != '@') {
            kids = true;
            continue;
        }
        fprintf(d->f, " %s=\"", k->name + 1);
        esc(d->f, k->value);
        putc('"', d->f);
    }
    if (kids) {
        fputs(">\n", d->f);
        for (const cc_ext *k = e->children.head; k; k = k->next)
            if (k->name[0] != '@')
                put_ext(d, depth + 1, k, k->name);
        close_el(d, depth, name);
    } else if (e->value && *e->value) {
        putc('>', d->f);
        esc(d->f, e->value);
        fprintf(d->f, "</%s>\n", name);
    } else {
        fputs("/>\n", d->f);
    }
}

static bool ext_has(const cc_list *ext, const char *prefix, const char *name)
{
    for (const cc_ext *e = ext ? ext->head : NULL; e; e = e->next) {
        const char *n = ext_local(e, prefix);
        if (n && !strcmp(n, name))
            return true;
    }
    return false;
}

static const cc_ext *ext_find(const cc_list *ext, const char *name)
{
    for (const cc_ext *e = ext ? ext->head : NULL; e; e = e->next)
        if (!strcmp(e->name, name))
            return e;
    return NULL;
}

typedef void (*typed_fn)(doc *d, int depth, const void *obj, const char *name);

/* Each element of `order`: the extension's entries of that name, else the typed field. */
static void interleave(doc *d, int depth, const char *const *order, typed_fn typed,
                       const void *obj, const cc_list *ext, const char *prefix)
{
    for (int i = 0; order[i]; i++) {
        if (!ext_has(ext, prefix, order[i])) {
            typed(d, depth, obj, order[i]);
            continue;
        }
        for (const cc_ext *e = ext->head; e; e = e->next) {
            const char *n = ext_local(e, prefix);
            if (n && !strcmp(n, order[i]))
                put_ext(d, depth, e, n);
        }
    }
}

/* Extension entries another format left: they cannot be written here. */
static void foreign_ext(doc *d, const cc_list *ext, const char *field)
{
    for (const cc_ext *e = ext->head; e; e = e->next) {
        if (strncmp(e->name, "edc:", 4) != 0) {
            loss(d, cc_sprintf(d->a, "%s.ext (%s…)", field, e->name));
            return;
        }
    }
}

/* ------------------------------------------------------------ planning: what goes where */

typedef struct org_entry {
    void *next;
    const cc_org *o;
    const char *id;
} org_entry;

typedef struct spec_entry {
    void *next;
    const cc_achievement *s;
    const char *id;
    const char *as_id;            /* generated assessmentSpecification, or NULL */
    const char *parent_of;        /* a generated parent: the id of its one part */
} spec_entry;

typedef struct outcome_entry {
    void *next;
    const cc_outcome *o;
    const char *id;
} outcome_entry;

static bool same_first_identifier(const cc_org *a, const cc_org *b)
{
    const cc_code *x = a->identifiers.head, *y = b->identifiers.head;
    return x && y && x->code && y->code && !strcmp(x->code, y->code) &&
           !strcmp(x->scheme ? x->scheme : "", y->scheme ? y->scheme : "");
}

/* Ids are the model's where it has them (raw entries refer to them); same id = same org. */
static const char *plan_org(doc *d, const cc_org *o)
{
    for (org_entry *e = d->orgs.head; e; e = e->next)
        if (e->o == o || (o->id && !strcmp(e->id, o->id)) ||
            (!o->id && !e->o->id && same_first_identifier(o, e->o)))
            return e->id;
    org_entry *e = cc_alloc(d->a, sizeof *e);
    e->o = o;
    e->id = o->id ? o->id : new_id(d, "org");
    if (o->id)
        use_id(d, o->id);
    cc_list_append(&d->orgs, e);
    return e->id;
}

/* What EDC requires of an organisation that the model may lack; NULL when complete. */
static const char *org_missing(doc *d, const cc_org *o, const char *field)
{
    const char *m = "";
    if (!o->identifiers.n)
        m = cc_sprintf(d->a, "%s %s.identifiers (registration)", m, field);
    if (!o->name.n)
        m = cc_sprintf(d->a, "%s %s.name", m, field);
    if (!o->country && !ext_has(&o->ext, "edc:", "hasLocation"))
        m = cc_sprintf(d->a, "%s %s.country", m, field);
    return *m ? m + 1 : NULL;
}

static const char *plan_outcome(doc *d, const cc_outcome *o)
{
    for (outcome_entry *e = d->outcomes.head; e; e = e->next)
        if (e->o == o || (o->id && !strcmp(e->id, o->id)))
            return e->id;
    outcome_entry *e = cc_alloc(d->a, sizeof *e);
    e->o = o;
    e->id = o->id ? o->id : new_id(d, "learningOutcome");
    if (o->id)
        use_id(d, o->id);
    cc_list_append(&d->outcomes, e);
    return e->id;
}

static spec_entry *spec_of(const doc *d, const cc_achievement *s)
{
    for (spec_entry *e = d->specs.head; e; e = e->next)
        if (e->s == s)
            return e;
    return NULL;
}

/* The specification tree, parts after their whole; a shared part is written once. */
static const char *plan_spec(doc *d, const cc_achievement *s, int depth)
{
    for (spec_entry *e = d->specs.head; e; e = e->next)
        if (e->s == s || (s->id && e->s && e->s->id && !strcmp(e->s->id, s->id)))
            return e->id;
    spec_entry *e = cc_alloc(d->a, sizeof *e);
    e->s = s;
    e->id = s->id ? s->id : new_id(d, "qualification");
    if (s->id)
        use_id(d, s->id);
    cc_list_append(&d->specs, e);
    if (s->assessment.n && !ext_has(&s->ext, "edc:", "assessmentSpecification"))
        e->as_id = new_id(d, "assessmentSpecification");
    for (const cc_outcome *o = s->outcomes.head; o; o = o->next)
        plan_outcome(d, o);
    for (const cc_achievement *p = s->parts.head; p && depth < 64; p = p->next)
        plan_spec(d, p, depth + 1);
    return e->id;
}

/* A raw specification of the document that has `id` as a part. */
static bool raw_parent(const cc_list *ext, const char *id)
{
    for (const cc_ext *e = ext->head; e; e = e->next) {
        if (strcmp(e->name, "edc:qualification") && strcmp(e->name, "edc:learningSpecification"))
            continue;
        for (const cc_ext *k = e->children.head; k; k = k->next) {
            const cc_ext *r = !strcmp(k->name, "hasPart") ? ext_find(&k->children, "@idref") : NULL;
            if (r && r->value && !strcmp(r->value, id))
                return true;
        }
    }
    return false;
}

/* A skills block alone names its fiche (part_of): the fiche becomes a qualification that
 * has the block as a part, unless the document already has that parent. */
static void plan_parent(doc *d, const cc_achievement *s, const char *id)
{
    if (!s->kind || strcmp(s->kind, "skills-block") || !s->part_of || raw_parent(&d->c->ext, id))
        return;
    spec_entry *e = cc_alloc(d->a, sizeof *e);
    e->id = new_id(d, "qualification");
    e->parent_of = id;
    cc_list_append(&d->specs, e);
}

static bool awarding(const cc_org *o)
{
    return !o->role || !strcmp(o->role, "awarding-body") || !strcmp(o->role, "issuer");
}

static void plan(doc *d)
{
    const cc_credential *c = d->c;
    use_raw_ids(d, &c->ext);
    d->issuer_id = plan_org(d, c->issuer);
    const cc_achievement *a = c->achievement;
    if (!a)
        return;
    plan_parent(d, a, plan_spec(d, a, 0));
    for (const cc_org *o = a->orgs.head; o; o = o->next) {
        const char *missing = org_missing(d, o, "achievement.organizations[]");
        if (!awarding(o))
            loss(d, cc_sprintf(d->a, "achievement.organizations (role %s)", o->role));
        else if (missing)
            loss(d, cc_sprintf(d->a, "an awarding body lacking%s", missing));
        else
            plan_org(d, o);
    }
    if (!ext_has(&c->ext, SUBJECT_PREFIX, "achievements"))
        d->process_id = new_id(d, "awardingProcess");
}

/* ------------------------------------------------------------ organisations */

static const char *const org_order[] = {
    "identifier", "type", "additionalNote", "contactPoint", "registration", "vatIdentifier",
    "taxIdentifier", "prefLabel", "altLabel", "homepage", "hasLocation", "hasAccreditation",
    "hasUnit", "unitOf", "logo", NULL,
};

static void identifier(doc *d, int depth, const char *name, const char *scheme, const char *v,
                       const char *plain)
{
    ind(d, depth);
    fprintf(d->f, "<%s", name);
    if (scheme && strcmp(scheme, plain)) {
        fputs(" schemeID=\"", d->f);
        esc(d->f, scheme);
        putc('"', d->f);
    }
    putc('>', d->f);
    esc(d->f, v);
    fprintf(d->f, "</%s>\n", name);
}

static void mailbox(doc *d, int depth, const char *email)
{
    ind(d, depth);
    fputs("<contactPoint>\n", d->f);
    ind(d, depth + 1);
    fputs("<mailBox uri=\"mailto:", d->f);
    esc(d->f, email);
    fputs("\"/>\n", d->f);
    close_el(d, depth, "contactPoint");
}

static bool web_uri(const char *u)
{
    return u && (!strncmp(u, "http://", 7) || !strncmp(u, "https://", 8));
}

static void homepage(doc *d, int depth, const char *url, const char *field)
{
    if (!url)
        return;
    if (!web_uri(url)) {
        loss(d, field);
        return;
    }
    ind(d, depth);
    fputs("<homepage uri=\"", d->f);
    esc(d->f, url);
    fputs("\"/>\n", d->f);
}

static void location(doc *d, int depth, const char *country)
{
    char a3[4];
    if (!country)
        return;
    if (!cc_edc_country_a3(country, a3)) {
        loss(d, cc_sprintf(d->a, "organization.country '%s' (not ISO 3166-1)", country));
        return;
    }
    ind(d, depth);
    fputs("<hasLocation>\n", d->f);
    ind(d, depth + 1);
    fputs("<hasAddress>\n", d->f);
    code(d, depth + 2, "country", cc_sprintf(d->a, EDC_COUNTRY_FW "/%s", a3), EDC_COUNTRY_FW,
         NULL, a3);
    close_el(d, depth + 1, "hasAddress");
    close_el(d, depth, "hasLocation");
}

static void org_typed(doc *d, int depth, const void *obj, const char *name)
{
    const cc_org *o = obj;
    const cc_code *first = o->identifiers.head;
    if (!strcmp(name, "identifier")) {
        for (const cc_code *c = first ? first->next : NULL; c; c = c->next)
            identifier(d, depth, name, c->scheme, c->code, "identifier");
    } else if (!strcmp(name, "registration") && first) {
        identifier(d, depth, name, first->scheme, first->code, "registration");
    } else if (!strcmp(name, "contactPoint") && o->email) {
        mailbox(d, depth, o->email);
    } else if (!strcmp(name, "prefLabel")) {
        texts(d, depth, name, &o->name, "organization.name");
    } else if (!strcmp(name, "homepage")) {
        homepage(d, depth, o->url, "organization.url (not http/https)");
    } else if (!strcmp(name, "hasLocation")) {
        location(d, depth, o->country);
    } else if (!strcmp(name, "logo") && o->logo) {
        loss(d, "organization.logo");
    }
}

static void write_org(doc *d, int depth, const org_entry *e)
{
    open_id(d, depth, "organization", e->id);
    interleave(d, depth + 1, org_order, org_typed, e->o, &e->o->ext, "edc:");
    foreign_ext(d, &e->o->ext, "organization");
    close_el(d, depth, "organization");
}

/* ------------------------------------------------------------ specifications */

#define SPEC_HEAD                                                                              \
    "identifier", "type", "title", "altLabel", "definition", "description", "additionalNote",  \
        "homepage", "supplementaryDoc", "hasISCED-FCode", "hasEducationSubject",               \
        "volumeOfLearning", "hasECTSCreditPoints", "hasCreditPoints", "hasEducationLevel",     \
        "language", "mode", "learningSettingType", "duration", "targetGroup",                  \
        "entryRequirementsNote", "learningOutcomes", "learningActivitySpecification",          \
        "assessmentSpecification", "entitlementSpecification", "awardingOpportunities"
static const char *const ls_order[] = {SPEC_HEAD, "hasPart", "specializationOf", NULL};
static const char *const q_order[] = {
    SPEC_HEAD, "isPartialQualification", "eqfLevel", "nqfLevel", "hasAccreditation",
    "qualificationCode", "hasPart", "specializationOf", NULL,
};

static bool is_qualification(const cc_achievement *s)
{
    static const char *const kinds[] = {"qualification", "skills-block", "certification", NULL};
    for (int i = 0; s->kind && kinds[i]; i++)
        if (!strcmp(s->kind, kinds[i]))
            return true;
    return s->eqf_level || s->nqf_level;
}

static void alignments(doc *d, int depth, const cc_achievement *s)
{
    for (const cc_code *c = s->alignments.head; c; c = c->next) {
        if (c->scheme && !strcmp(c->scheme, "isced-f") && model_code(d, depth, "hasISCED-FCode", c))
            continue;
        bool noted = false;  /* one note per scheme */
        for (const cc_code *p = s->alignments.head; p != c; p = p->next)
            noted = noted || !strcmp(p->scheme ? p->scheme : "", c->scheme ? c->scheme : "");
        if (!noted)
            loss(d, cc_sprintf(d->a, "achievement.alignments (%s)", c->scheme ? c->scheme : "?"));
    }
}

static void nqf(doc *d, int depth, const cc_code *c)
{
    const edc_framework *q = cc_edc_framework_by_scheme("qdr");
    const char *label = NULL, *uri = NULL;
    if (c->code && c->scheme && !strcmp(c->scheme, "fr-nqf") && !strncmp(c->code, "NIV", 3))
        uri = cc_vocab_fr_nqf_concept(atoi(c->code + 3), &label);
    if (uri)
        code(d, depth, "nqfLevel", uri, q->url, NULL, label);
    else if ((c->scheme && !strcmp(c->scheme, "qdr")) ||
             (c->uri && !strncmp(c->uri, q->base, strlen(q->base))))
        code(d, depth, "nqfLevel", c->uri ? c->uri : cc_sprintf(d->a, "%s%s", q->base, c->code),
             q->url, &c->label, c->code ? c->code : c->uri);
    else
        loss(d, "achievement.nqfLevel (not a QDR concept)");
}

static void refs(doc *d, int depth, const char *wrap, const char *name, const spec_entry *e)
{
    const cc_achievement *s = e->s;
    if (!s->outcomes.n)
        return;
    ind(d, depth);
    fprintf(d->f, "<%s>\n", wrap);
    for (const cc_outcome *o = s->outcomes.head; o; o = o->next)
        ref(d, depth + 1, name, plan_outcome(d, o));
    close_el(d, depth, wrap);
}

static void spec_typed(doc *d, int depth, const void *obj, const char *n)
{
    const spec_entry *e = obj;
    const cc_achievement *s = e->s;
    if (!strcmp(n, "identifier")) leaf(d, depth, n, s->code);
    else if (!strcmp(n, "type") && s->type && !model_code(d, depth, n, s->type))
        loss(d, cc_sprintf(d->a, "achievement.type (%s)", s->type->scheme ? s->type->scheme : "?"));
    else if (!strcmp(n, "title")) texts(d, depth, n, &s->title, "achievement.title");
    else if (!strcmp(n, "description")) texts(d, depth, n, &s->description, "achievement.description");
    else if (!strcmp(n, "homepage")) homepage(d, depth, s->homepage, "achievement.homepage");
    else if (!strcmp(n, "hasISCED-FCode")) alignments(d, depth, s);
    else if (!strcmp(n, "volumeOfLearning") && s->volume) leaf(d, depth, n, s->volume);
    else if (!strcmp(n, "hasECTSCreditPoints")) leaf(d, depth, n, s->credits);
    else if (!strcmp(n, "entryRequirementsNote"))
        texts(d, depth, n, &s->entry_requirements, "achievement.entryRequirements");
    else if (!strcmp(n, "learningOutcomes")) refs(d, depth, n, "learningOutcome", e);
    else if (!strcmp(n, "assessmentSpecification") && e->as_id) ref(d, depth, n, e->as_id);
    else if (!strcmp(n, "isPartialQualification") && s->kind && !strcmp(s->kind, "skills-block"))
        leaf(d, depth, n, "true");
    else if (!strcmp(n, "eqfLevel") && s->eqf_level)
        code(d, depth, n, cc_sprintf(d->a, "http://data.europa.eu/snb/eqf/%d", s->eqf_level),
             cc_edc_framework_by_scheme("eqf")->url, NULL,
             cc_sprintf(d->a, "Level %d", s->eqf_level));
    else if (!strcmp(n, "nqfLevel") && s->nqf_level) nqf(d, depth, s->nqf_level);
    else if (!strcmp(n, "hasPart")) {
        for (const cc_achievement *p = s->parts.head; p; p = p->next)
            ref(d, depth, n, spec_of(d, p) ? spec_of(d, p)->id : plan_spec(d, p, 0));
    }
}

/* Model fields of a specification EDC has no element for. */
static void spec_losses(doc *d, const cc_achievement *s)
{
    const struct { bool set; const char *field; } f[] = {
        {.set = s->criteria.n > 0, .field = "achievement.criteria"},
        {.set = s->outcomes_text.n > 0, .field = "achievement.outcomesText (outcomes are written)"},
        {.set = s->predecessors.n > 0, .field = "achievement.predecessors"},
        {.set = s->successors.n > 0, .field = "achievement.successors"},
        {.set = s->image != NULL, .field = "achievement.image"},
        {.set = s->valid_until != NULL, .field = "achievement.validUntil"},
        {.set = s->active >= 0, .field = "achievement.active"},
        {.set = s->language != NULL, .field = "achievement.language"},
        {.set = s->eqf_level && !is_qualification(s), .field = "achievement.eqfLevel"},
    };
    for (size_t i = 0; i < sizeof f / sizeof *f; i++)
        if (f[i].set)
            loss(d, f[i].field);
    for (const cc_outcome *o = s->outcomes.head; o; o = o->next)
        if (o->level) {
            loss(d, "achievement.outcomes[].level");
            break;
        }
    foreign_ext(d, &s->ext, "achievement");
}

static void write_spec(doc *d, int depth, const spec_entry *e)
{
    if (e->parent_of) {  /* the fiche of a skills block: its number and its part */
        open_id(d, depth, "qualification", e->id);
        leaf(d, depth + 1, "identifier", d->c->achievement->part_of);
        ref(d, depth + 1, "hasPart", e->parent_of);
        close_el(d, depth, "qualification");
        return;
    }
    bool q = is_qualification(e->s);
    open_id(d, depth, q ? "qualification" : "learningSpecification", e->id);
    interleave(d, depth + 1, q ? q_order : ls_order, spec_typed, e, &e->s->ext, "edc:");
    close_el(d, depth, q ? "qualification" : "learningSpecification");
    spec_losses(d, e->s);
}

/* ------------------------------------------------------------ outcomes, assessments, process */

static void write_outcome(doc *d, int depth, const outcome_entry *e)
{
    const cc_outcome *o = e->o;
    const char *esco = "http://data.europa.eu/esco/skill/";
    open_id(d, depth, "learningOutcome", e->id);
    if (o->text.n)
        texts(d, depth + 1, "prefLabel", &o->text, "achievement.outcomes[].text");
    else
        text1(d, depth + 1, "prefLabel", o->uri ? o->uri : "-", "achievement.outcomes[].text");
    if (o->uri && !strncmp(o->uri, esco, strlen(esco)))
        code(d, depth + 1, "relatedEscoSkill", o->uri, "http://data.europa.eu/esco/model#Skill",
             &o->text, o->uri);
    else if (web_uri(o->uri))
        code(d, depth + 1, "relatedSkill", o->uri,
             cc_strndup(d->a, o->uri, (size_t)(strrchr(o->uri, '/') - o->uri)), &o->text, o->uri);
    else if (o->uri)
        loss(d, "achievement.outcomes[].uri (not http/https)");
    close_el(d, depth, "learningOutcome");
}

static void write_assessment(doc *d, int depth, const spec_entry *e)
{
    open_id(d, depth, "assessmentSpecification", e->as_id);
    texts(d, depth + 1, "description", &e->s->assessment, "achievement.assessment");
    close_el(d, depth, "assessmentSpecification");
}

/* xs:dateTime from a model date or date-time. */
static const char *date_time(doc *d, const char *s)
{
    return s && cc_is_iso_date(s) ? cc_sprintf(d->a, "%sT00:00:00", s) : s;
}

static void write_process(doc *d, int depth)
{
    const cc_achievement *a = d->c->achievement;
    int bodies = 0;
    open_id(d, depth, "awardingProcess", d->process_id);
    for (const cc_org *o = a->orgs.head; o; o = o->next) {
        if (awarding(o) && !org_missing(d, o, "")) {
            ref(d, depth + 1, "awardingBody", plan_org(d, o));
            bodies++;
        }
    }
    if (!bodies)
        ref(d, depth + 1, "awardingBody", d->issuer_id);
    leaf(d, depth + 1, "date", date_time(d, d->c->awarded));
    close_el(d, depth, "awardingProcess");
}

/* ------------------------------------------------------------ subject */

static const char *const subject_order[] = {
    "identifier", "type", "prefLabel", "altLabel", "additionalNote", "contactPoint", "nationalId",
    "fullName", "givenNames", "familyName", "birthName", "patronymicName", "dateOfBirth",
    "placeOfBirth", "gender", "citizenshipCountry", "hasLocation", "achievements", "activities",
    "entitlements", NULL,
};

/* The awarded achievement, when the reader kept none: specified by the model's achievement,
 * derived from one assessment per result, awarded by the planned process. */
static void achievements(doc *d, int depth)
{
    const cc_credential *c = d->c;
    const cc_list *title = c->achievement->title.n ? &c->achievement->title : &c->name;
    ind(d, depth);
    fputs("<achievements>\n", d->f);
    open_id(d, depth + 1, "learningAchievement", new_id(d, "learningAchievement"));
    texts(d, depth + 2, "title", title, "achievement.title");
    for (const cc_text *r = c->results.head; r; r = r->next) {
        open_id(d, depth + 2, "wasDerivedFrom", new_id(d, "assessment"));
        texts(d, depth + 3, "title", title, "achievement.title");
        leaf(d, depth + 3, "grade", r->value);
        close_el(d, depth + 2, "wasDerivedFrom");
    }
    ref(d, depth + 2, "wasAwardedBy", d->process_id);
    ref(d, depth + 2, "specifiedBy", spec_of(d, c->achievement)->id);
    close_el(d, depth + 1, "learningAchievement");
    close_el(d, depth, "achievements");
}


/* EDC requires given and family names; OB 3.0 carries only a full name (an identifier of
 * type "name"), which is then split at its last space. */
static const char *name_part(cc_arena *a, const cc_person *p, bool given)
{
    const char *have = given ? p->given_name : p->family_name;
    const char *sp = p->full_name ? strrchr(p->full_name, ' ') : NULL;
    if (have || p->given_name || p->family_name || !sp || sp == p->full_name || !sp[1])
        return have;
    return given ? cc_strndup(a, p->full_name, (size_t)(sp - p->full_name)) : sp + 1;
}

static void subject_typed(doc *d, int depth, const void *obj, const char *n)
{
    const cc_person *p = obj;
    if (!strcmp(n, "identifier")) {
        for (const cc_identity *i = p->identifiers.head; i; i = i->next) {
            if (i->hashed)
                loss(d, "subject.identifiers (hashed)");
            else
                identifier(d, depth, n, i->type, i->value, "");
        }
    } else if (!strcmp(n, "contactPoint") && p->email) {
        mailbox(d, depth, p->email);
    } else if (!strcmp(n, "fullName")) {
        text1(d, depth, n, p->full_name, "subject.fullName");
    } else if (!strcmp(n, "givenNames")) {
        if (!p->given_name && name_part(d->a, p, true))
            cc_diagf(d->diag, CC_WARNING, NULL, 0, 0, cc_record_id(d->r), "edc-name-split",
                     "given and family names taken from the full name '%s'", p->full_name);
        text1(d, depth, n, name_part(d->a, p, true), "subject.givenName");
    } else if (!strcmp(n, "familyName")) {
        text1(d, depth, n, name_part(d->a, p, false), "subject.familyName");
    } else if (!strcmp(n, "dateOfBirth") && p->birth_date) {
        leaf(d, depth, n, cc_strndup(d->a, p->birth_date, 10));  /* xs:date */
    } else if (!strcmp(n, "achievements") && d->c->achievement) {
        achievements(d, depth);
    }
}

static void write_subject(doc *d, int depth)
{
    const cc_person *p = d->c->subject;
    open_id(d, depth, "credentialSubject", p->id ? p->id : "urn:epass:person:1");
    interleave(d, depth + 1, subject_order, subject_typed, p, &d->c->ext, SUBJECT_PREFIX);
    close_el(d, depth, "credentialSubject");
}

/* ------------------------------------------------------------ reference sections */

/* Typed entries of a section, then the raw entries the reader kept for it.  `dry` counts. */
static int section_entries(doc *d, int depth, const char *section, bool dry)
{
    int n = 0;
    if (!strcmp(section, "learningSpecificationReferences")) {
        for (const spec_entry *e = d->specs.head; e; e = e->next, n++)
            if (!dry)
                write_spec(d, depth, e);
    } else if (!strcmp(section, "learningOutcomeReferences")) {
        for (const outcome_entry *e = d->outcomes.head; e; e = e->next, n++)
            if (!dry)
                write_outcome(d, depth, e);
    } else if (!strcmp(section, "assessmentSpecificationReferences")) {
        for (const spec_entry *e = d->specs.head; e; e = e->next)
            if (e->as_id && ++n && !dry)
                write_assessment(d, depth, e);
    } else if (!strcmp(section, "agentReferences")) {
        for (const org_entry *e = d->orgs.head; e; e = e->next, n++)
            if (!dry)
                write_org(d, depth, e);
    } else if (!strcmp(section, "awardingProcessReferences") && d->process_id) {
        n++;
        if (!dry)
            write_process(d, depth);
    }
    for (const cc_ext *e = d->c->ext.head; e; e = e->next) {
        const char *entry = ext_local(e, "edc:");
        const char *s = entry ? cc_edc_section_of(entry) : NULL;
        if (s && !strcmp(s, section) && ++n && !dry)
            put_ext(d, depth, e, entry);
    }
    return n;
}

static void section(doc *d, int depth, const char *name)
{
    if (!section_entries(d, depth + 1, name, true))
        return;
    ind(d, depth);
    fprintf(d->f, "<%s>\n", name);
    section_entries(d, depth + 1, name, false);
    close_el(d, depth, name);
}

/* ------------------------------------------------------------ the credential */

static const char *const root_order[] = {
    "identifier", "type", "primaryLanguage", "availableLanguages", "cred:validFrom",
    "cred:issued", "cred:validUntil", "cred:issuer", "title", "description", "credentialSubject",
    "learningSpecificationReferences", "learningOutcomeReferences",
    "learningActivitySpecificationReferences", "assessmentSpecificationReferences",
    "entitlementSpecificationReferences", "learningOpportunityReferences", "agentReferences",
    "awardingProcessReferences", "accreditationReferences", "scoringSchemeReferences",
    "semanticFrameworkReferences", "displayParameters", "attachmentList", "proof",
    "childCredentials", NULL,
};

static void root_typed(doc *d, int depth, const void *obj, const char *n)
{
    const cc_credential *c = obj;
    if (!strcmp(n, "type")) {
        code(d, depth, n, "http://data.europa.eu/snb/credential/e34929035b",
             "http://data.europa.eu/snb/credential/25831c2", NULL, "Generic");
    } else if (!strcmp(n, "primaryLanguage")) {
        leaf(d, depth, n, d->primary);
    } else if (!strcmp(n, "availableLanguages")) {
        d->langs_at = ftell(d->f);  /* written by render(), once every text is */
        d->langs_depth = depth;
    } else if (!strcmp(n, "cred:validFrom")) leaf(d, depth, n, date_time(d, c->valid_from));
    else if (!strcmp(n, "cred:issued")) leaf(d, depth, n, date_time(d, c->issued));
    else if (!strcmp(n, "cred:validUntil")) leaf(d, depth, n, date_time(d, c->valid_until));
    else if (!strcmp(n, "cred:issuer")) ref(d, depth, n, d->issuer_id);
    else if (!strcmp(n, "title"))
        texts(d, depth, n, c->name.n ? &c->name : &c->achievement->title, "credential.name");
    else if (!strcmp(n, "description")) texts(d, depth, n, &c->description, "credential.description");
    else if (!strcmp(n, "credentialSubject")) write_subject(d, depth);
    else if (strstr(n, "References")) section(d, depth, n);
    else if (!strcmp(n, "proof")) leaf(d, depth, n, "");  /* unsigned: an empty proof */
}

static void write_credential(doc *d)
{
    const cc_credential *c = d->c;
    plan(d);
    fputs("<europassCredential xmlns=\"" EDC_NS "\" xmlns:cred=\"" EDC_CRED_NS "\"\n"
          "    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
          "    xsi:schemaLocation=\"" SCHEMA_LOCATION "\"\n    xsdVersion=\"0.10.0\" cred:id=\"",
          d->f);
    esc(d->f, c->id);
    fputs("\">\n", d->f);
    interleave(d, 1, root_order, root_typed, c, &c->ext, "edc:");
    fputs("</europassCredential>\n", d->f);
    if (c->evidence.n)
        loss(d, "credential.evidence");
    foreign_ext(d, &c->ext, "credential");
}

/* The first language of the credential's name (or its achievement's title), else English. */
static const char *primary_lang(const cc_credential *c)
{
    const cc_list *ls[] = {&c->name, c->achievement ? &c->achievement->title : NULL};
    for (int i = 0; i < 2; i++)
        for (const cc_text *t = ls[i] ? ls[i]->head : NULL; t; t = t->next)
            if (cc_edc_lang(t->lang))
                return cc_edc_lang(t->lang);
    return "en";
}

/* What EDC requires that the record lacks, as model field names; NULL when complete. */
static const char *missing(cc_arena *a, const cc_credential *c)
{
    doc tmp = {.a = a};
    const char *m = "";
    if (!c->id) m = cc_sprintf(a, "%s credential.id", m);
    if (!c->issued) m = cc_sprintf(a, "%s credential.issued", m);
    if (!c->name.n && !(c->achievement && c->achievement->title.n))
        m = cc_sprintf(a, "%s credential.name (or achievement.title)", m);
    if (!c->issuer) m = cc_sprintf(a, "%s credential.issuer", m);
    else if (org_missing(&tmp, c->issuer, "credential.issuer"))
        m = cc_sprintf(a, "%s %s", m, org_missing(&tmp, c->issuer, "credential.issuer"));
    if (!c->subject) m = cc_sprintf(a, "%s credential.subject", m);
    if (c->subject && !name_part(a, c->subject, true))
        m = cc_sprintf(a, "%s credential.subject.givenName", m);
    if (c->subject && !name_part(a, c->subject, false))
        m = cc_sprintf(a, "%s credential.subject.familyName", m);
    return *m ? m + 1 : NULL;
}

static void available_languages(doc *d)
{
    ind(d, d->langs_depth);
    fputs("<availableLanguages>\n", d->f);
    for (int i = 0; i < d->nlangs; i++)
        leaf(d, d->langs_depth + 1, "language", d->langs[i]);
    close_el(d, d->langs_depth, "availableLanguages");
}

/* availableLanguages comes before the texts whose languages it lists: the credential is
 * rendered with its place marked, and the list goes there once every text is written. */
static int render(writer *w, const cc_record *r, char **buf, size_t *len)
{
    doc d = {.r = r, .c = r->credential, .a = cc_arena_new(), .diag = w->diag, .langs_at = -1};
    char *body = NULL;
    size_t body_len = 0;
    d.primary = primary_lang(d.c);
    add_lang(&d, d.primary);
    bool bad = !(d.f = open_memstream(&body, &body_len));
    if (!bad) {
        write_credential(&d);
        bad = ferror(d.f) | fclose(d.f);
    }
    FILE *f = bad ? NULL : open_memstream(buf, len);
    if (f) {
        size_t at = d.langs_at >= 0 ? (size_t)d.langs_at : 0;
        fwrite(body, 1, at, f);
        d.f = f;
        if (d.langs_at >= 0)
            available_languages(&d);
        fwrite(body + at, 1, body_len - at, f);
        bad = ferror(f) | fclose(f);
    }
    free(body);
    cc_arena_free(d.a);
    if (bad || !f) {
        free(*buf);
        *buf = NULL;
        return 2;
    }
    return 0;
}

/* ------------------------------------------------------------ the writer */

void *cc_edc_writer_open(cc_write_ctx *ctx)
{
    writer *w = calloc(1, sizeof *w);
    if (w) {
        w->out = ctx->out;
        w->diag = ctx->diag;
        w->check = cc_wcheck_for(ctx);
    }
    return w;
}

static const char *const DECL = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
static const char *const WRAP = "<europassCredentials xmlns=\"" EDC_UPLOAD_NS "\">\n";

/* The credential is checked against the bundled EDC 1.2 XSD, what `validate -f edc` reads
 * it with, before it is written or held. */
static int check(writer *w, const cc_record *r, const char *buf, size_t len)
{
    cc_wcheck_sink ws;
    const cc_diag_sink *d = cc_wcheck_sink_init(&ws, w->check.check, w->diag);
    int errors = cc_wcheck_xml(w->check.check, EDC_XSD, buf, len, d, cc_record_id(r),
                               "edc-schema");
    return cc_wcheck_verdict(w->check.check, w->diag, r, "edc", errors,
                             "EDC 1.2 requires what is listed above (an EDC 1.0/1.1 input "
                             "may lack it): add it to the input");
}

int cc_edc_writer_record(void *wp, const cc_record *r)
{
    writer *w = wp;
    if (r->kind != CC_REC_CREDENTIAL) {
        cc_diagf(w->diag, CC_ERROR, r->src_file, r->src_line, 0, cc_record_id(r),
                 "edc-not-credential",
                 "an achievement (a specification, e.g. an RNCP fiche) is not an EDC credential: "
                 "a credential needs an issuer and a recipient; convert with --issuer FILE.json "
                 "and --recipients FILE.csv");
        return 1;
    }
    cc_arena *a = cc_arena_new();
    const char *m = missing(a, r->credential);
    if (m)
        cc_diagf(w->diag, CC_ERROR, r->src_file, r->src_line, 0, cc_record_id(r), "edc-missing",
                 "cannot write an EDC credential: missing %s (required by EDC 1.2)", m);
    cc_arena_free(a);
    if (m)
        return 1;
    char *buf = NULL;
    size_t len = 0;
    if (render(w, r, &buf, &len) != 0)
        return 2;
    int rc = check(w, r, buf, len);
    if (rc != 0) {
        free(buf);
        return rc;
    }
    if (w->n == 0) {  /* held: alone, it is written without the wrapper */
        w->first = buf;
        w->first_len = len;
    } else {
        if (w->n == 1) {
            fputs(DECL, w->out);
            fputs(WRAP, w->out);
            fwrite(w->first, 1, w->first_len, w->out);
            free(w->first);
            w->first = NULL;
        }
        fwrite(buf, 1, len, w->out);
        free(buf);
    }
    w->n++;
    return ferror(w->out) ? 2 : 0;
}

int cc_edc_writer_close(void *wp)
{
    writer *w = wp;
    if (w->n == 1) {
        fputs(DECL, w->out);
        fwrite(w->first, 1, w->first_len, w->out);
    } else if (w->n > 1) {
        fputs("</europassCredentials>\n", w->out);
    }
    int rc = ferror(w->out) ? 2 : 0;
    free(w->first);
    cc_wcheck_release(&w->check);
    free(w);
    return rc;
}
