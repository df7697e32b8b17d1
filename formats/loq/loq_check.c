/* The SHACL rules of LOQ-constraints.ttl and LOQ-constraints-mdr.ttl (ELM 3, in the
 * corpus) that the XSD cannot express and that apply to what credconv writes, as C checks
 * on the parsed entities (docs/loq-shacl.md lists each shape, what is checked and what is
 * not).  Rule ids are "loq-shacl-<Shape>", the shape's name in the .ttl file.
 *
 * Per entity (a child of a *References section): sh:uniqueLang on titles, descriptions,
 * legal names and concept labels; rdf:langString (a language tag on every literal);
 * :URLRegexRestriction on homepage URLs; :EQFLevelRestriction / :NQFLevelRestriction /
 * :ThematicAreaRestriction / :LanguageRestriction / :CountryRestriction (the concept is in
 * its scheme: the URI under the scheme's base).  Across entities: the sh:class of isPartOf
 * (a qualification is part of a qualification; the XSD has a keyref for hasPart only) and
 * the sh:class of provenBy/learningOutcome targets already come from keyrefs. */
#include "loq/loq.h"
#include "vocab/vocab.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct ref {             /* an isPartOf waiting for the end of the document */
    char *idref;
    long line;
    bool from_qualification;
} ref;

struct loq_checker {
    const cc_diag_sink *diag;
    const char *file;
    cc_loq_idset quals, lases;    /* ids seen, by kind */
    ref *refs;                    /* isPartOf naming an id not seen yet */
    size_t nr, capr;
    int errors;
};

static bool is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static const char *attr(const xmlNode *n, const char *name)
{
    const xmlAttr *a = xmlHasProp((xmlNodePtr)n, (const xmlChar *)name);
    return a && a->children && a->children->content ? (const char *)a->children->content : NULL;
}

static void violation(loq_checker *c, const xmlNode *n, const char *rec, const char *shape,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void violation(loq_checker *c, const xmlNode *n, const char *rec, const char *shape,
                      const char *fmt, ...)
{
    char rule[80], msg[600];
    snprintf(rule, sizeof rule, "loq-shacl-%s", shape);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cc_diagf(c->diag, CC_ERROR, c->file, n ? xmlGetLineNo((xmlNodePtr)n) : 0, 0, rec, rule, "%s", msg);
    c->errors++;
}

/* ------------------------------------------------------------ literals */

static bool lang_tag(const char *s)
{
    size_t n = s ? strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") : 0;
    if (n < 1 || n > 8)
        return false;
    for (s += n; *s == '-';) {
        n = strspn(s + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
        if (n < 1 || n > 8)
            return false;
        s += 1 + n;
    }
    return *s == '\0';
}

/* The children of n named `name`: each a langString (sh:datatype rdf:langString) and, when
 * unique_lang, at most one per language (sh:uniqueLang true). */
static void lang_strings(loq_checker *c, const xmlNode *n, const char *rec, const char *shape,
                         const char *name, bool unique_lang)
{
    for (const xmlNode *x = n->children; x; x = x->next) {
        if (!is(x, name))
            continue;
        const char *l = attr(x, "language");
        if (!lang_tag(l)) {
            violation(c, x, rec, shape, "<%s> has language '%s', not a language tag (rdf:langString)",
                      name, l ? l : "");
            continue;
        }
        for (const xmlNode *p = n->children; unique_lang && p != x; p = p->next)
            if (is(p, name) && attr(p, "language") && !strcasecmp(attr(p, "language"), l)) {
                violation(c, x, rec, shape, "a second <%s> in language '%s' (sh:uniqueLang)", name, l);
                break;
            }
    }
}

/* ------------------------------------------------------------ concepts and URLs */

static void concept_labels(loq_checker *c, const xmlNode *n, const char *rec)
{
    for (const xmlNode *x = n->children; x; x = x->next)
        if (x->type == XML_ELEMENT_NODE && attr(x, "uri"))
            lang_strings(c, x, rec, "ConceptShape", "prefLabel", true);
}

/* The :URLRegexRestriction of homepage contentUrl: an http(s) URL. */
static bool http_url(const char *u)
{
    if (!u || (strncasecmp(u, "http://", 7) && strncasecmp(u, "https://", 8)))
        return false;
    const char *host = strstr(u, "//") + 2;
    return *host && *host != '/' && !strpbrk(u, " \t\r\n<>\"");
}

static void homepages(loq_checker *c, const xmlNode *n, const char *rec, const char *shape)
{
    for (const xmlNode *x = n->children; x; x = x->next) {
        if (!is(x, "homepage"))
            continue;
        for (const xmlNode *u = x->children; u; u = u->next)
            if (is(u, "contentUrl")) {
                xmlChar *v = xmlNodeGetContent(u);
                if (!http_url((const char *)v))
                    violation(c, u, rec, "URLRegexRestriction", "homepage of a %s: '%s' is not an http(s) URL",
                              shape, v ? (const char *)v : "");
                xmlFree(v);
            }
    }
}

/* The mdr shapes' sh:hasValue on skos:inScheme: the concept belongs to the scheme, so its
 * URI is under the scheme's base. */
static void in_scheme(loq_checker *c, const xmlNode *n, const char *rec, const char *name,
                      const char *base, const char *shape)
{
    for (const xmlNode *x = n->children; x; x = x->next) {
        const char *u = is(x, name) ? attr(x, "uri") : NULL;
        if (u && strncmp(u, base, strlen(base)))
            violation(c, x, rec, shape, "<%s uri=\"%s\"> is not a concept of its scheme", name, u);
        else if (u && !strcmp(name, "EQFLevel") && !cc_vocab_eqf_level(u))
            violation(c, x, rec, shape, "<%s uri=\"%s\"> is not an EQF level 1-8", name, u);
    }
}

/* ------------------------------------------------------------ entities */

static bool known(const loq_checker *c, const char *id, bool qual_only)
{
    uint64_t h = cc_loq_hash("s", id);
    return cc_loq_idset_has(&c->quals, h) || (!qual_only && cc_loq_idset_has(&c->lases, h));
}

static void part_of(loq_checker *c, const xmlNode *n, bool qual)
{
    for (const xmlNode *x = n->children; x; x = x->next) {
        const char *r = is(x, "isPartOf") ? attr(x, "idref") : NULL;
        if (!r || known(c, r, qual))
            continue;  /* the whole fiche comes before its blocks: most are known already */
        if (c->nr == c->capr) {
            size_t nc = c->capr ? 2 * c->capr : 64;
            ref *g = realloc(c->refs, nc * sizeof *g);
            if (!g)
                return;
            c->refs = g;
            c->capr = nc;
        }
        c->refs[c->nr++] = (ref){.idref = strdup(r), .line = xmlGetLineNo((xmlNodePtr)x), .from_qualification = qual};
    }
}

static void specification(loq_checker *c, const xmlNode *n, const char *rec, bool qual)
{
    const char *shape = qual ? "QualificationShape" : "LearningAchievementSpecificationShape";
    lang_strings(c, n, rec, shape, "title", true);
    lang_strings(c, n, rec, shape, "description", true);
    homepages(c, n, rec, shape);
    concept_labels(c, n, rec);
    in_scheme(c, n, rec, "ISCEDFCode", CC_VOCAB_ISCED_BASE, "ThematicAreaRestriction");
    in_scheme(c, n, rec, "language", CC_VOCAB_LANGUAGE_BASE, "LanguageRestriction");
    in_scheme(c, n, rec, "EQFLevel", CC_VOCAB_EQF_BASE, "EQFLevelRestriction");
    in_scheme(c, n, rec, "NQFLevel", CC_VOCAB_QDR_BASE, "NQFLevelRestriction");
    for (const xmlNode *x = n->children; x; x = x->next)
        if (is(x, "entryRequirement") || is(x, "learningOutcomeSummary"))
            lang_strings(c, x, rec, "NoteShape", "noteLiteral", false);
        else if (is(x, "identifier"))
            lang_strings(c, x, rec, "IdentifierShape", "schemeAgency", false);
    const char *id = attr(n, "id");
    if (id)
        cc_loq_idset_add(qual ? &c->quals : &c->lases, cc_loq_hash("s", id));
    part_of(c, n, qual);
}

static void organisation(loq_checker *c, const xmlNode *n, const char *rec)
{
    lang_strings(c, n, rec, "OrganisationShape", "legalName", true);
    homepages(c, n, rec, "OrganisationShape");
    for (const xmlNode *x = n->children; x; x = x->next)
        if (is(x, "registration"))
            in_scheme(c, x, rec, "spatial", CC_VOCAB_COUNTRY_BASE, "CountryRestriction");
}

int cc_loq_check_entity(loq_checker *c, const xmlNode *n, const char *rec)
{
    int before = c->errors;
    if (is(n, "qualification") || is(n, "learningAchievementSpecification"))
        specification(c, n, rec, is(n, "qualification"));
    else if (is(n, "learningOutcome"))
        lang_strings(c, n, rec, "LearningOutcomeShape", "title", true);
    else if (is(n, "learningAssessmentSpecification")) {
        lang_strings(c, n, rec, "LearningAssessmentSpecificationShape", "title", true);
        lang_strings(c, n, rec, "LearningAssessmentSpecificationShape", "description", true);
    } else if (is(n, "organisation"))
        organisation(c, n, rec);
    else if (is(n, "location"))
        for (const xmlNode *x = n->children; x; x = x->next)
            if (is(x, "address"))
                in_scheme(c, x, rec, "countryCode", CC_VOCAB_COUNTRY_BASE, "CountryRestriction");
    return c->errors - before;
}

/* ------------------------------------------------------------ the checker */

loq_checker *cc_loq_checker_new(const cc_diag_sink *diag, const char *file)
{
    loq_checker *c = calloc(1, sizeof *c);
    if (c) {
        c->diag = diag;
        c->file = file;
    }
    return c;
}

/* The isPartOf shapes: a qualification is part of a qualification (QualificationShape
 * sh:class elm:Qualification), a learning achievement specification of either. */
int cc_loq_checker_finish(loq_checker *c)
{
    int before = c->errors;
    for (size_t i = 0; i < c->nr; i++) {
        const ref *r = &c->refs[i];
        if (known(c, r->idref, r->from_qualification))
            continue;
        cc_diagf(c->diag, CC_ERROR, c->file, r->line, 0, NULL,
                 r->from_qualification ? "loq-shacl-QualificationShape"
                                       : "loq-shacl-LearningAchievementSpecificationShape",
                 "isPartOf names '%s', which is not a %s of the document (sh:class)", r->idref,
                 r->from_qualification ? "qualification" : "qualification or specification");
        c->errors++;
    }
    return c->errors - before;
}

void cc_loq_checker_free(loq_checker *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nr; i++)
        free(c->refs[i].idref);
    cc_loq_idset_free(&c->quals);
    cc_loq_idset_free(&c->lases);
    free(c->refs);
    free(c);
}

int cc_loq_check_doc(xmlDocPtr doc, const cc_diag_sink *diag, const char *file, const char *rec)
{
    loq_checker *c = cc_loq_checker_new(diag, file);
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!c || !root)
        return 1;
    for (const xmlNode *s = root->children; s; s = s->next)
        for (const xmlNode *e = s->type == XML_ELEMENT_NODE ? s->children : NULL; e; e = e->next)
            if (e->type == XML_ELEMENT_NODE)
                cc_loq_check_entity(c, e, rec);
    cc_loq_checker_finish(c);
    int n = c->errors;
    cc_loq_checker_free(c);
    return n;
}
