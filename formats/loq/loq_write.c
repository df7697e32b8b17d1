/* LOQ writer: one Courses document per run, streamed.
 *
 * A Courses document keeps each kind of entity in its own section, in a fixed order:
 * qualifications first, then learning outcomes, assessment specifications, organisations
 * and locations.  Records come one at a time, so each record's qualifications go straight
 * to the output and its other entities are appended to one spool file per section
 * (tmpfile: on disk, not in memory); the close copies the spools in order.  Memory stays
 * one record plus one 64-bit hash per id written (organisations and locations shared by
 * many fiches are written once; a duplicate qualification is rejected, since ids and
 * identifier notations must be unique in the document).
 *
 * Each record is first rendered as a small Courses document of its own, checked with the
 * bundled XSD and the SHACL checks (loq_check.c), and only then written. */
#include "cc_writecheck.h"
#include "cc_xmlw.h"
#include "loq/loq.h"
#include "vocab/vocab.h"

#include <libxml/parser.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { S_QUAL, S_LO, S_ASS, S_AGENT, S_LOC, NSEC };

static const char *const section_names[NSEC] = {
    "learningAchievementSpecificationReferences", "learningOutcomeReferences",
    "learningAssessmentSpecificationReferences", "agentReferences", "locationReferences",
};

typedef struct writer {
    FILE *out;
    const cc_diag_sink *diag;
    cc_wcheck_ref check;
    FILE *spool[NSEC];            /* S_LO.. : the sections after the qualifications */
    cc_loq_idset seen;                   /* every id and notation written */
    long n;                       /* records written */
    bool failed;                  /* a spool could not be made */
} writer;

typedef struct shared {          /* an organisation or location of this record */
    void *next;
    const char *id;
    char *xml;
    size_t len;
} shared;

typedef struct doc {             /* one record being rendered */
    writer *w;
    const cc_record *r;
    cc_arena *a;
    FILE *f[NSEC];
    char *buf[NSEC];
    size_t len[NSEC];
    cc_list shared[NSEC];         /* S_AGENT, S_LOC: one entry per id */
    cc_list keys;                 /* shared (xml NULL): the ids and notations to be unique */
    cc_list lost;                 /* shared (xml NULL): the losses reported, once each */
    const char *lang;             /* the record's language tag */
    int nquals;
} doc;

/* ------------------------------------------------------------ output helpers */

static void esc(FILE *f, const char *s)
{
    cc_xml_escape(f, s, true);
}

static void ind(FILE *f, int depth)
{
    cc_xml_indent(f, 2 * depth);
}

static void leaf(FILE *f, int depth, const char *name, const char *value)
{
    if (!value)
        return;
    ind(f, depth);
    fprintf(f, "<%s>", name);
    esc(f, value);
    fprintf(f, "</%s>\n", name);
}

static void lang_leaf(FILE *f, int depth, const char *name, const char *lang, const char *value)
{
    ind(f, depth);
    fprintf(f, "<%s language=\"", name);
    esc(f, lang);
    fputs("\">", f);
    esc(f, value);
    fprintf(f, "</%s>\n", name);
}

static void attr_el(FILE *f, int depth, const char *name, const char *attr, const char *v)
{
    ind(f, depth);
    fprintf(f, "<%s %s=\"", name, attr);
    esc(f, v);
    fputs("\"/>\n", f);
}

static void open_id(FILE *f, int depth, const char *name, const char *id)
{
    ind(f, depth);
    fprintf(f, "<%s id=\"", name);
    esc(f, id);
    fputs("\">\n", f);
}

static void close_el(FILE *f, int depth, const char *name)
{
    ind(f, depth);
    fprintf(f, "</%s>\n", name);
}

static void loss(doc *d, const char *field)
{
    for (const shared *e = d->lost.head; e; e = e->next)
        if (!strcmp(e->id, field))
            return;
    shared *e = cc_alloc(d->a, sizeof *e);
    e->id = cc_strdup(d->a, field);
    cc_list_append(&d->lost, e);
    cc_diagf(d->w->diag, CC_NOTE, d->r->src_file, d->r->src_line, 0, cc_record_id(d->r), "loss",
             "loss: %s not expressible in loq", field);
}

static const char *text_lang(const doc *d, const cc_text *t)
{
    return t->lang && *t->lang ? t->lang : d->lang;
}

/* Texts with one value per language (SHACL uniqueLang): a second one of a language is lost. */
static void texts(doc *d, FILE *f, int depth, const char *name, const cc_list *l, const char *field)
{
    for (const cc_text *t = l->head; t; t = t->next) {
        bool dup = false;
        for (const cc_text *p = l->head; p != t; p = p->next)
            dup = dup || !strcmp(text_lang(d, p), text_lang(d, t));
        if (dup)
            loss(d, cc_sprintf(d->a, "%s (a second text in one language)", field));
        else if (t->value && *t->value)
            lang_leaf(f, depth, name, text_lang(d, t), t->value);
    }
}

/* A Note holds one literal: the first language; the others are lost. */
static void note(doc *d, FILE *f, int depth, const char *name, const cc_list *l, const char *field)
{
    const cc_text *t = l->head;
    if (!t || !t->value || !*t->value)
        return;
    ind(f, depth);
    fprintf(f, "<%s>\n", name);
    lang_leaf(f, depth + 1, "noteLiteral", text_lang(d, t), t->value);
    close_el(f, depth, name);
    if (t->next)
        loss(d, cc_sprintf(d->a, "%s (texts beyond the first language)", field));
}

static void concept(FILE *f, int depth, const char *name, const char *uri, const cc_list *label,
                    const char *notation)
{
    ind(f, depth);
    fprintf(f, "<%s uri=\"", name);
    esc(f, uri);
    fputs("\">\n", f);
    for (const cc_text *t = label ? label->head : NULL; t; t = t->next)
        if (t->value && *t->value) {
            lang_leaf(f, depth + 1, "skos:prefLabel", t->lang ? t->lang : "fr", t->value);
            break;  /* one prefLabel: the SHACL concept shape wants one per language */
        }
    leaf(f, depth + 1, "skos:notation", notation);
    close_el(f, depth, name);
}

static void homepage(FILE *f, int depth, const char *url)
{
    ind(f, depth);
    fputs("<homepage>\n", f);
    leaf(f, depth + 1, "contentUrl", url);
    close_el(f, depth, "homepage");
}

/* "yyyy-mm-dd" or "dd/mm/yyyy" as an xs:dateTime at midnight UTC; NULL when it is neither. */
static const char *date_time(cc_arena *a, const char *s)
{
    char iso[11];
    if (s && cc_date_fr_to_iso(s, iso))
        s = iso;
    if (!s || strlen(s) < 10 || !cc_is_iso_date(cc_strndup(a, s, 10)))
        return NULL;
    return cc_sprintf(a, "%.10sT00:00:00Z", s);
}

static const cc_ext *ext_find(const cc_list *ext, const char *name)
{
    for (const cc_ext *e = ext->head; e; e = e->next)
        if (e->name && !strcmp(e->name, name))
            return e;
    return NULL;
}

/* ------------------------------------------------------------ ids */

static bool absolute_uri(const char *s)
{
    if (!s || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
        return false;
    size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
    return s[n] == ':' && !strpbrk(s, " \t\r\n<>\"{}|\\^`");
}

/* Letters, digits and "-._" kept, anything else '-': a URN segment from free text. */
static const char *urn_part(cc_arena *a, const char *s)
{
    char *t = cc_strdup(a, s);
    for (char *p = t; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._", *p))
            *p = '-';
    return t;
}

static const char *spec_id(doc *d, const cc_achievement *s)
{
    if (absolute_uri(s->id))
        return s->id;
    return s->code ? cc_sprintf(d->a, LOQ_URN "qualification:%s", urn_part(d->a, s->code)) : NULL;
}

/* An entity that belongs to a specification: its id with a fragment of its own. */
static const char *sub_id(doc *d, const char *spec, const char *what)
{
    return cc_sprintf(d->a, "%s%s%s", spec, strchr(spec, '#') ? "-" : "#", what);
}

static const char *siret_of(const cc_org *o)
{
    for (const cc_code *c = o->identifiers.head; c; c = c->next)
        if (c->scheme && !strcmp(c->scheme, "siret") && c->code && *c->code)
            return c->code;
    return NULL;
}

static const char *org_id(doc *d, const cc_org *o)
{
    if (absolute_uri(o->id))
        return o->id;
    const char *siret = siret_of(o);
    if (siret)
        return cc_sprintf(d->a, LOQ_URN "org:siret:%s", urn_part(d->a, siret));
    const char *name = cc_text_get(&o->name, "fr");
    return name ? cc_sprintf(d->a, LOQ_URN "org:%s", urn_part(d->a, name)) : NULL;
}

/* The organisation's country as the authority code: a SIRET is a French registration. */
static const char *org_country(const cc_org *o)
{
    if (siret_of(o) || (o->country && !strcasecmp(o->country, "FR")))
        return "FRA";
    return NULL;
}

/* ------------------------------------------------------------ levels */

typedef struct level {
    int eqf;
    const char *nqf_uri, *nqf_label;
} level;

static level level_of(const cc_achievement *s)
{
    level l = {.eqf = s->eqf_level};
    const cc_code *n = s->nqf_level;
    if (n && n->uri && !strncmp(n->uri, CC_VOCAB_QDR_BASE, strlen(CC_VOCAB_QDR_BASE))) {
        l.nqf_uri = n->uri;
        l.nqf_label = cc_text_get(&n->label, "en");
    } else if (n && n->code && n->scheme && !strcmp(n->scheme, "fr-nqf") && !strncmp(n->code, "NIV", 3)) {
        l.nqf_uri = cc_vocab_fr_nqf_concept(atoi(n->code + 3), &l.nqf_label);
    }
    if (l.eqf < 1 || l.eqf > 8)
        l.eqf = 0;
    return l;
}

/* ------------------------------------------------------------ shared entities */

/* Closes f, the memory stream of one entity, and keeps its text once per id. */
static void add_shared(doc *d, int sec, const char *id, FILE *f, char **xml, size_t *len)
{
    bool ok = fclose(f) == 0;
    for (const shared *e = d->shared[sec].head; ok && e; e = e->next)
        if (!strcmp(e->id, id))
            ok = false;
    if (ok) {
        shared *e = cc_alloc(d->a, sizeof *e);
        *e = (shared){.id = id, .xml = cc_strndup(d->a, *xml, *len), .len = *len};
        cc_list_append(&d->shared[sec], e);
    }
    free(*xml);
}

static const char *location(doc *d, const char *country)
{
    const char *id = cc_sprintf(d->a, LOQ_URN "location:%s", country);
    char *xml = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&xml, &len);
    if (!f)
        return NULL;
    open_id(f, 2, "location", id);
    ind(f, 3);
    fputs("<address>\n", f);
    attr_el(f, 4, "countryCode", "uri", cc_sprintf(d->a, CC_VOCAB_COUNTRY_BASE "%s", country));
    close_el(f, 3, "address");
    close_el(f, 2, "location");
    add_shared(d, S_LOC, id, f, &xml, &len);
    return id;
}

static void registration(FILE *f, const char *siret)
{
    ind(f, 3);
    fputs("<registration>\n", f);
    leaf(f, 4, "skos:notation", siret);
    lang_leaf(f, 4, "schemeAgency", "fr", "Insee");
    leaf(f, 4, "schemeName", "SIRET");
    attr_el(f, 4, "spatial", "uri", CC_VOCAB_COUNTRY_BASE "FRA");
    close_el(f, 3, "registration");
}

/* An awarding body as an organisation (legal name, SIRET, homepage, location); its id, or
 * NULL when LOQ cannot hold it (no name, or no country for the location it requires). */
static const char *organisation(doc *d, const cc_org *o)
{
    const char *id = org_id(d, o), *country = org_country(o);
    if (!id || !o->name.head || !country) {
        loss(d, "an awarding body with no name or no country (LOQ requires both)");
        return NULL;
    }
    const char *loc = location(d, country);
    char *xml = NULL;
    size_t len = 0;
    FILE *f = loc ? open_memstream(&xml, &len) : NULL;
    if (!f)
        return NULL;
    open_id(f, 2, "organisation", id);
    texts(d, f, 3, "legalName", &o->name, "organisation name");
    if (siret_of(o))
        registration(f, siret_of(o));
    if (o->url && absolute_uri(o->url))
        homepage(f, 3, o->url);
    attr_el(f, 3, "location", "idref", loc);
    close_el(f, 2, "organisation");
    add_shared(d, S_AGENT, id, f, &xml, &len);
    if (o->email)
        loss(d, "organisation e-mail");
    if (o->logo)
        loss(d, "organisation logo");
    for (const cc_code *c = o->identifiers.head; c; c = c->next)
        if (!c->scheme || strcmp(c->scheme, "siret"))
            loss(d, cc_sprintf(d->a, "organisation identifier of scheme %s", c->scheme ? c->scheme : "(none)"));
    for (const cc_ext *e = o->ext.head; e; e = e->next)
        loss(d, cc_sprintf(d->a, "organisation %s", e->name ? e->name : "extension"));
    return id;
}

/* ------------------------------------------------------------ specifications */

static void key(doc *d, const char *k)
{
    shared *e = cc_alloc(d->a, sizeof *e);
    e->id = k;
    cc_list_append(&d->keys, e);
}

typedef struct spec {            /* what one qualification element needs */
    const cc_achievement *s;
    const char *id, *parent_id;
    level lv;
    bool qualification;           /* else a learningAchievementSpecification */
    bool partial;
} spec;

/* A fiche without competences of its own attests those of its blocks (an RNCP certification
 * is the set of its blocks): it names their outcomes, which the blocks write. */
static int block_outcomes(doc *d, const spec *p, FILE *q)
{
    int n = 0;
    for (const cc_achievement *c = p->s->parts.head; c; c = c->next) {
        const char *cid = spec_id(d, c);
        int k = 0;
        for (const cc_outcome *o = c->outcomes.head; cid && o; o = o->next)
            if (o->text.head && ++n)
                attr_el(q, 3, "learningOutcome", "idref", sub_id(d, cid, cc_sprintf(d->a, "lo%d", ++k)));
        if (cid && !k && c->outcomes_text.head && ++n)
            attr_el(q, 3, "learningOutcome", "idref", sub_id(d, cid, "lo1"));
    }
    return n;
}

static int outcomes(doc *d, const spec *p, FILE *q)
{
    int n = 0;
    FILE *lo = d->f[S_LO];
    for (const cc_outcome *o = p->s->outcomes.head; o; o = o->next) {
        if (!o->text.head)
            continue;
        const char *id = sub_id(d, p->id, cc_sprintf(d->a, "lo%d", ++n));
        open_id(lo, 2, "learningOutcome", id);
        texts(d, lo, 3, "title", &o->text, "learning outcome text");
        if (o->uri && absolute_uri(o->uri))
            concept(lo, 3, "relatedESCOSkill", o->uri, NULL, NULL);
        close_el(lo, 2, "learningOutcome");
        attr_el(q, 3, "learningOutcome", "idref", id);
        if (o->level > 1)
            loss(d, "learning outcome nesting (a sub-skill is written as an outcome of its own)");
    }
    if (n == 0 && p->s->outcomes_text.head) {  /* the text was not split: one outcome */
        const char *id = sub_id(d, p->id, "lo1");
        open_id(lo, 2, "learningOutcome", id);
        texts(d, lo, 3, "title", &p->s->outcomes_text, "learning outcome text");
        close_el(lo, 2, "learningOutcome");
        attr_el(q, 3, "learningOutcome", "idref", id);
        n = 1;
    }
    return n ? n : block_outcomes(d, p, q);
}

static void assessment(doc *d, const spec *p, FILE *q)
{
    if (!p->s->assessment.head)
        return;
    const char *id = sub_id(d, p->id, "assessment");
    FILE *f = d->f[S_ASS];
    open_id(f, 2, "learningAssessmentSpecification", id);
    const char *title = cc_text_get(&p->s->title, "fr");
    lang_leaf(f, 3, "title", "fr", cc_sprintf(d->a, "Modalités d'évaluation : %s",
                                               title ? title : p->s->code ? p->s->code : id));
    texts(d, f, 3, "description", &p->s->assessment, "assessment text");
    close_el(f, 2, "learningAssessmentSpecification");
    attr_el(q, 3, "provenBy", "idref", id);
}

static void identifier(doc *d, FILE *q, const cc_achievement *s)
{
    if (!s->code)
        return;
    ind(q, 3);
    fputs("<identifier>\n", q);
    leaf(q, 4, "skos:notation", s->code);
    lang_leaf(q, 4, "schemeAgency", "fr", "France Compétences");
    const cc_ext *dd = ext_find(&s->ext, "rncp:DATE_DECISION");
    leaf(q, 4, "issued", dd ? date_time(d->a, dd->value) : NULL);
    leaf(q, 4, "schemeName", !strncasecmp(s->code, "RS", 2) ? "RS" : "RNCP");
    close_el(q, 3, "identifier");
}

/* The register a code belongs to (RNCP or RS), and the RNCP "abrégé" (BTS, CAP…), as
 * concepts of credconv's own: no ELM vocabulary lists them. */
static void types(doc *d, FILE *q, const cc_achievement *s)
{
    if (s->code && !strncasecmp(s->code, "RS", 2) && !s->part_of) {
        cc_list l = {0};
        cc_text_add(d->a, &l, "fr", "Répertoire spécifique");
        concept(q, 3, "type", LOQ_URN "repertoire:RS", &l, "RS");
    } else if (s->code && !strncasecmp(s->code, "RNCP", 4)) {
        cc_list l = {0};
        cc_text_add(d->a, &l, "fr", "Répertoire national des certifications professionnelles");
        concept(q, 3, "type", LOQ_URN "repertoire:RNCP", &l, "RNCP");
    }
    if (s->type && s->type->code)
        concept(q, 3, "type", cc_sprintf(d->a, LOQ_URN "%s:%s", s->type->scheme ? s->type->scheme : "type",
                                         urn_part(d->a, s->type->code)),
                &s->type->label, s->type->code);
}

/* ISCED-F only from the model (an ELM input); NSF and Formacode have no public crosswalk to
 * it, so the field is "99 Field unknown" (ISCEDFCode is required) and they are written as
 * education subjects (docs/mapping.md). */
static void fields(doc *d, FILE *q, const cc_achievement *s)
{
    int isced = 0;
    for (const cc_code *c = s->alignments.head; c; c = c->next)
        if (c->scheme && !strcmp(c->scheme, "isced-f") && c->code && ++isced)
            attr_el(q, 3, "ISCEDFCode", "uri", cc_sprintf(d->a, CC_VOCAB_ISCED_BASE "%s", c->code));
    if (!isced)
        attr_el(q, 3, "ISCEDFCode", "uri", CC_VOCAB_ISCED_BASE "99");
    for (const cc_code *c = s->alignments.head; c; c = c->next) {
        if (!c->scheme || !c->code || !strcmp(c->scheme, "isced-f"))
            continue;
        if (!strcmp(c->scheme, "nsf") || !strcmp(c->scheme, "formacode") ||
            !strcmp(c->scheme, "education-subject"))
            concept(q, 3, "educationSubject", c->uri && absolute_uri(c->uri) ? c->uri :
                    cc_sprintf(d->a, LOQ_URN "%s:%s", c->scheme, urn_part(d->a, c->code)),
                    &c->label, c->code);
        else
            loss(d, cc_sprintf(d->a, "alignments of scheme %s", c->scheme));
    }
}

static void awarding(doc *d, FILE *q, const spec *p)
{
    const cc_achievement *s = p->s;
    int n = 0;
    for (const cc_org *o = s->orgs.head; o; o = o->next) {
        if (!o->role || strcmp(o->role, "awarding-body")) {
            loss(d, cc_sprintf(d->a, "organisation in role %s", o->role ? o->role : "(none)"));
            continue;
        }
        const char *id = organisation(d, o);
        if (!id)
            continue;
        if (n++ == 0) {
            ind(q, 3);
            fputs("<awardingOpportunity>\n", q);
        }
        attr_el(q, 4, "awardingBody", "idref", id);
    }
    if (!n) {
        if (s->valid_until)
            loss(d, "end of registration (no awarding body to carry it)");
        return;
    }
    const cc_ext *dd = ext_find(&s->ext, "rncp:DATE_DECISION");
    const char *start = dd ? date_time(d->a, dd->value) : NULL, *end = date_time(d->a, s->valid_until);
    if (start || end) {
        ind(q, 4);
        fputs("<temporal>\n", q);
        leaf(q, 5, "startDate", start);
        leaf(q, 5, "endDate", end);
        close_el(q, 4, "temporal");
    }
    attr_el(q, 4, "learningAchievementSpecification", "idref", p->id);
    close_el(q, 3, "awardingOpportunity");
}

static void spec_losses(doc *d, const cc_achievement *s)
{
    if (s->criteria.head)
        loss(d, "criteria");
    if (s->predecessors.head || s->successors.head)
        loss(d, "predecessors and successors (former and new codes)");
    if (s->image)
        loss(d, "image");
    for (const cc_ext *e = s->ext.head; e; e = e->next)
        if (e->name && strcmp(e->name, "rncp:DATE_DECISION"))
            loss(d, cc_sprintf(d->a, "%s", e->name));
}

/* One qualification (or learning achievement specification) element, in the XSD order of
 * RestrictedSpecificationType, then LearningAchievementSpecificationType, then
 * QualificationType.  Returns false when LOQ cannot hold it (reported). */
static bool write_spec(doc *d, const spec *p)
{
    const cc_achievement *s = p->s;
    FILE *q = d->f[S_QUAL];
    const char *el = p->qualification ? "qualification" : "learningAchievementSpecification";
    open_id(q, 2, el, p->id);
    key(d, p->id);
    if (s->code)
        key(d, cc_sprintf(d->a, "notation %s", s->code));
    identifier(d, q, s);
    texts(d, q, 3, "title", &s->title, "title");
    texts(d, q, 3, "description", &s->description, "description");
    if (s->homepage && absolute_uri(s->homepage))
        homepage(q, 3, s->homepage);
    if (s->active >= 0 && !s->part_of && !p->parent_id)
        leaf(q, 3, "status", s->active ? "active" : "inactive");
    types(d, q, s);
    fields(d, q, s);
    leaf(q, 3, "volumeOfLearning", s->volume);
    if (s->credits) {
        ind(q, 3);
        fputs("<creditPoint>\n", q);
        attr_el(q, 4, "framework", "uri", CC_VOCAB_ECTS);
        leaf(q, 4, "point", s->credits);
        close_el(q, 3, "creditPoint");
    }
    char l3[4];
    if (cc_vocab_lang_authority(s->language ? s->language : d->lang, l3))
        attr_el(q, 3, "language", "uri", cc_sprintf(d->a, CC_VOCAB_LANGUAGE_BASE "%s", l3));
    note(d, q, 3, "entryRequirement", &s->entry_requirements, "entry requirements");
    int n = outcomes(d, p, q);
    assessment(d, p, q);
    for (const cc_achievement *c = s->parts.head; c; c = c->next)
        attr_el(q, 3, "hasPart", "idref", spec_id(d, c));
    if (p->parent_id)
        attr_el(q, 3, "isPartOf", "idref", p->parent_id);
    awarding(d, q, p);
    if (p->qualification) {
        if (p->partial)
            leaf(q, 3, "isPartialQualification", "true");
        char eqf[64];
        cc_vocab_eqf_uri(p->lv.eqf, eqf, sizeof eqf);
        attr_el(q, 3, "EQFLevel", "uri", eqf);
        attr_el(q, 3, "NQFLevel", "uri", p->lv.nqf_uri);
    }
    close_el(q, 2, el);
    spec_losses(d, s);
    if (n == 0)
        cc_diagf(d->w->diag, CC_ERROR, d->r->src_file, d->r->src_line, 0, cc_record_id(d->r),
                 "loq-no-outcome", "%s has no learning outcome: LOQ requires at least one",
                 s->code ? s->code : p->id);
    return n > 0;
}

/* The fiche, then each of its blocks as a partial qualification tied both ways (hasPart
 * from the fiche, isPartOf from the block).  A block inherits the fiche's levels and kind:
 * a keyref wants hasPart of a qualification to name a qualification. */
static bool write_tree(doc *d, const cc_achievement *s)
{
    const char *id = spec_id(d, s);
    if (!id || !s->title.head) {
        cc_diagf(d->w->diag, CC_ERROR, d->r->src_file, d->r->src_line, 0, cc_record_id(d->r),
                 "loq-missing", "cannot write a LOQ qualification without %s",
                 id ? "a title" : "a code or an id");
        return false;
    }
    level lv = level_of(s);
    spec p = {.s = s, .id = id, .lv = lv, .qualification = lv.eqf && lv.nqf_uri,
              .partial = s->part_of != NULL};
    if (s->part_of)
        loss(d, "isPartOf (the block is written alone, without its fiche)");
    if (!p.qualification)
        cc_diagf(d->w->diag, CC_NOTE, d->r->src_file, d->r->src_line, 0, cc_record_id(d->r),
                 "loq-no-level", "%s has %s: written as a learningAchievementSpecification, "
                 "not a qualification (which requires both levels)", s->code ? s->code : id,
                 lv.eqf ? "no NQF concept for its level" : "no EQF level");
    bool ok = write_spec(d, &p);
    d->nquals++;
    for (const cc_achievement *c = s->parts.head; ok && c; c = c->next) {
        spec b = {.s = c, .id = spec_id(d, c), .parent_id = id, .lv = lv,
                  .qualification = p.qualification, .partial = true};
        if (!b.id || !c->title.head) {
            cc_diagf(d->w->diag, CC_ERROR, d->r->src_file, d->r->src_line, 0, cc_record_id(d->r),
                     "loq-missing", "a block of %s has no code or no title", s->code ? s->code : id);
            return false;
        }
        ok = write_spec(d, &b);
        d->nquals++;
    }
    return ok;
}

/* ------------------------------------------------------------ documents */

static const char *const HEAD =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Courses xmlns=\"" LOQ_NS "\" xmlns:skos=\"" LOQ_SKOS_NS "\" xsdVersion=\"3.1.0\">\n";
static const char *const TAIL = "</Courses>\n";

static void doc_free(doc *d)
{
    for (int i = 0; i < NSEC; i++) {
        if (d->f[i])
            fclose(d->f[i]);
        free(d->buf[i]);
    }
    cc_arena_free(d->a);
}

static bool doc_open(doc *d, writer *w, const cc_record *r)
{
    *d = (doc){.w = w, .r = r, .a = cc_arena_new()};
    const cc_achievement *s = r->achievement;
    const cc_text *t = s->title.head;
    d->lang = s->language ? s->language : t && t->lang ? t->lang : "fr";
    for (int i = 0; i < NSEC; i++)
        if (!(d->f[i] = open_memstream(&d->buf[i], &d->len[i])))
            return false;
    return true;
}

/* Closes the section streams, so buf/len hold each section's text. */
static bool doc_flush(doc *d)
{
    bool ok = true;
    for (int i = 0; i < NSEC; i++) {
        ok = fclose(d->f[i]) == 0 && ok;
        d->f[i] = NULL;
    }
    return ok;
}

static void put_section(FILE *f, const doc *d, int sec)
{
    bool any = d->len[sec] > 0 || d->shared[sec].head;
    if (!any)
        return;
    fprintf(f, "  <%s>\n", section_names[sec]);
    fwrite(d->buf[sec], 1, d->len[sec], f);
    for (const shared *e = d->shared[sec].head; e; e = e->next)
        fwrite(e->xml, 1, e->len, f);
    fprintf(f, "  </%s>\n", section_names[sec]);
}

/* The record alone as a Courses document: what is checked before anything is written. */
static char *standalone(const doc *d, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        return NULL;
    fputs(HEAD, f);
    for (int i = 0; i < NSEC; i++)
        put_section(f, d, i);
    fputs(TAIL, f);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* One parse of the record's document for both checks: the bundled XSD, then the SHACL ones. */
static int check(writer *w, const cc_record *r, const char *buf, size_t len)
{
    if (cc_wcheck_off(w->check.check))
        return 0;
    cc_wcheck_sink ws;
    const cc_diag_sink *ds = cc_wcheck_sink_init(&ws, w->check.check, w->diag);
    xmlDocPtr x = xmlReadMemory(buf, (int)len, "output", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    int errors = 1;  /* not well formed: cannot happen, the writer escapes every value */
    if (x) {
        errors = cc_wcheck_xml_doc(w->check.check, LOQ_XSD, x, ds, cc_record_id(r), "loq-schema");
        if (errors >= 0)
            errors += cc_loq_check_doc(x, ds, NULL, cc_record_id(r));
        xmlFreeDoc(x);
    }
    return cc_wcheck_verdict(w->check.check, w->diag, r, "loq", errors, NULL);
}

/* ------------------------------------------------------------ the writer */

void *cc_loq_writer_open(cc_write_ctx *ctx)
{
    writer *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->out = ctx->out;
    w->diag = ctx->diag;
    w->check = cc_wcheck_for(ctx);
    for (int i = S_LO; i < NSEC; i++)
        w->failed = !(w->spool[i] = tmpfile()) || w->failed;
    return w;
}

/* An id or notation of the record already in the document. */
static const char *duplicate(const writer *w, const doc *d)
{
    for (const shared *e = d->keys.head; e; e = e->next)
        if (cc_loq_idset_has(&w->seen, cc_loq_hash("k", e->id)))
            return e->id;
    return NULL;
}

/* Appends the record's entities: qualifications to the output, the rest to the spools, the
 * organisations and locations only once per run. */
static int commit(writer *w, const doc *d)
{
    if (w->n == 0) {
        fputs(HEAD, w->out);
        fprintf(w->out, "  <%s>\n", section_names[S_QUAL]);
    }
    fwrite(d->buf[S_QUAL], 1, d->len[S_QUAL], w->out);
    for (int i = S_LO; i < NSEC; i++) {
        fwrite(d->buf[i], 1, d->len[i], w->spool[i]);
        for (const shared *e = d->shared[i].head; e; e = e->next) {
            uint64_t h = cc_loq_hash(i == S_AGENT ? "o" : "l", e->id);
            if (cc_loq_idset_has(&w->seen, h))
                continue;
            if (!cc_loq_idset_add(&w->seen, h))
                return 2;
            fwrite(e->xml, 1, e->len, w->spool[i]);
        }
    }
    for (const shared *e = d->keys.head; e; e = e->next)
        if (!cc_loq_idset_add(&w->seen, cc_loq_hash("k", e->id)))
            return 2;
    w->n++;
    bool err = ferror(w->out);
    for (int i = S_LO; i < NSEC; i++)
        err = err || ferror(w->spool[i]);
    return err ? 2 : 0;
}

int cc_loq_writer_record(void *wp, const cc_record *r)
{
    writer *w = wp;
    if (w->failed)
        return 2;
    if (r->kind != CC_REC_ACHIEVEMENT) {
        cc_diagf(w->diag, CC_ERROR, r->src_file, r->src_line, 0, cc_record_id(r),
                 "loq-not-achievement",
                 "a credential (an award to a person) has no place in LOQ, which publishes the "
                 "qualifications themselves: convert the catalogue without --recipients");
        return 1;
    }
    doc d;
    if (!doc_open(&d, w, r)) {
        doc_free(&d);
        return 2;
    }
    bool ok = write_tree(&d, r->achievement);
    int rc = doc_flush(&d) ? 0 : 2;
    const char *dup = rc == 0 && ok ? duplicate(w, &d) : NULL;
    if (dup)
        cc_diagf(w->diag, CC_ERROR, r->src_file, r->src_line, 0, cc_record_id(r), "loq-duplicate",
                 "not written: %s is already in the document (LOQ ids and identifier notations "
                 "are unique)", dup);
    if (rc == 0 && (!ok || dup))
        rc = 1;
    if (rc == 0) {
        size_t len = 0;
        char *buf = standalone(&d, &len);
        rc = buf ? check(w, r, buf, len) : 2;
        free(buf);
    }
    if (rc == 0)
        rc = commit(w, &d);
    doc_free(&d);
    return rc;
}

/* Copies a spool into the output as its section. */
static int copy_section(writer *w, int sec)
{
    FILE *f = w->spool[sec];
    long size = ftell(f);
    if (size <= 0)
        return size < 0 ? 2 : 0;
    rewind(f);
    fprintf(w->out, "  <%s>\n", section_names[sec]);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (fwrite(buf, 1, n, w->out) != n)
            return 2;
    fprintf(w->out, "  </%s>\n", section_names[sec]);
    return ferror(f) ? 2 : 0;
}

int cc_loq_writer_close(void *wp)
{
    writer *w = wp;
    int rc = w->failed ? 2 : 0;
    if (w->n == 0)
        fputs(HEAD, w->out);
    else
        fprintf(w->out, "  </%s>\n", section_names[S_QUAL]);
    for (int i = S_LO; i < NSEC && rc == 0 && !w->failed; i++)
        rc = copy_section(w, i);
    fputs(TAIL, w->out);
    if (ferror(w->out))
        rc = 2;
    for (int i = S_LO; i < NSEC; i++)
        if (w->spool[i])
            fclose(w->spool[i]);
    cc_loq_idset_free(&w->seen);
    cc_wcheck_release(&w->check);
    free(w);
    return rc;
}
