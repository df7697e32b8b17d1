/* EDC 3 writer: each credential record becomes one ELM 3 JSON-LD credential, one per line,
 * in the form of the format name (edc3: VC 1.1 contexts, as the EC issuer seals and the
 * Europass wallet stores; edc3-vc2: VCDM 2.0, ELM 3.2, the EBSI EDC schema's form).
 *
 * The credential is built as a tree from the model; a credential read from EDC 3 had the
 * rest kept (EDC3_EXT_REST), which is merged under what the model gives (edc3.c), so what
 * the model has no field for comes back.  Each credential passes cc_edc3_check before it
 * is written (a rejected record leaves nothing behind). */
#include "cc_loss.h"
#include "cc_jsonread.h"
#include "cc_writecheck.h"
#include "edc3/edc3.h"
#include "edc3/edc3_int.h"
#include "vocab/vocab.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct edc3w {
    FILE *out;
    const cc_diag_sink *diag;
    edc3_form form;
    cc_wcheck_ref check;
} edc3w;

static void loss(wr *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void loss(wr *w, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    cc_diagf(w->diag, CC_NOTE, NULL, 0, 0, w->rec, "loss", "loss: %s not expressible in edc3",
             what);
}

/* A fresh node id, unique in the document: "urn:epass:<class>:cc<n>", in the EC's scheme
 * but never one of its "urn:epass:<class>:<n>", which the model's own ids (from EDC 1.x or
 * EDC 3) may be: two nodes of one id would be one node to JSON-LD. */
static json_t *gen_id(wr *w, const char *cls)
{
    char buf[96];
    snprintf(buf, sizeof buf, "urn:epass:%s:cc%d", cls, ++w->ids);
    return json_string(buf);
}

static bool is_iri(const char *s)
{
    return s && strchr(s, ':') && !strpbrk(s, " <>\"{}|\\^`");
}

static json_t *node(wr *w, const char *id, const char *cls, const char *type)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", is_iri(id) ? json_string(id) : gen_id(w, cls));
    json_object_set_new(o, "type", json_string(type));
    return o;
}

static void set_str(json_t *o, const char *key, const char *s)
{
    if (s)
        json_object_set_new(o, key, json_string(s));
}

static json_t *one(json_t *v)
{
    json_t *a = json_array();
    json_array_append_new(a, v);
    return a;
}

/* ------------------------------------------------------------ values */

/* The language of a text as a language map key: two letters ("fr-FR" -> "fr"), the
 * document's language when it has none ("und", NULL). */
static const char *lang_key(wr *w, const char *lang, char buf[4])
{
    if (!lang || strlen(lang) < 2 || !strcmp(lang, "und") ||
        (lang[2] && lang[2] != '-' && lang[2] != '_'))
        return w->lang;
    buf[0] = (char)(lang[0] | 0x20), buf[1] = (char)(lang[1] | 0x20), buf[2] = '\0';
    return buf;
}

json_t *cc_edc3w_langmap(wr *w, const cc_list *l)
{
    if (!l->n)
        return NULL;
    json_t *m = json_object();
    for (const cc_text *t = l->head; t; t = t->next) {
        char buf[4];
        const char *k = lang_key(w, t->lang, buf);
        json_t *had = json_object_get(m, k);
        if (!had)
            json_object_set_new(m, k, json_string(t->value));
        else if (json_is_array(had))
            json_array_append_new(had, json_string(t->value));
        else
            json_object_set_new(m, k, json_pack("[Os]", had, t->value));
    }
    return m;
}

static json_t *langmap1(wr *w, const char *s)
{
    return s ? json_pack("{ss}", w->lang, s) : NULL;
}

static void set_map(json_t *o, const char *key, json_t *m)
{
    if (m)
        json_object_set_new(o, key, m);
}

json_t *cc_edc3w_concept(const char *id, const char *scheme, const char *label_lang,
                         const char *label)
{
    json_t *c = json_pack("{ssss}", "id", id, "type", "Concept");
    if (scheme)
        json_object_set_new(c, "inScheme", json_pack("{ssss}", "id", scheme, "type",
                                                     "ConceptScheme"));
    if (label)
        json_object_set_new(c, "prefLabel", json_pack("{ss}", label_lang ? label_lang : "en",
                                                      label));
    return c;
}

static json_t *country(const char *a2)
{
    char a3[4], id[96];
    if (!cc_vocab_country_a3(a2, a3))
        return NULL;
    snprintf(id, sizeof id, CC_VOCAB_COUNTRY_BASE "%s", a3);
    return cc_edc3w_concept(id, "http://publications.europa.eu/resource/authority/country",
                            NULL, NULL);
}

json_t *cc_edc3w_language(const char *lang2)
{
    const char *a3 = cc_vocab_lang_a3(lang2);
    char id[96];
    snprintf(id, sizeof id, CC_VOCAB_LANGUAGE_BASE "%s", a3 ? a3 : "ENG");
    return cc_edc3w_concept(id, "http://publications.europa.eu/resource/authority/language",
                            NULL, NULL);
}

/* xsd:dateTime: a date alone is midnight UTC. */
static json_t *datetime(wr *w, const char *s)
{
    if (!s)
        return NULL;
    if (strlen(s) == 10 && cc_is_iso_date(s))
        return json_string(cc_sprintf(w->a, "%sT00:00:00Z", s));
    return json_string(s);
}

static void set_dt(wr *w, json_t *o, const char *key, const char *s)
{
    json_t *v = datetime(w, s);
    if (v)
        json_object_set_new(o, key, v);
}

static json_t *note(wr *w, const cc_list *l)
{
    json_t *m = cc_edc3w_langmap(w, l);
    if (!m)
        return NULL;
    json_t *n = node(w, NULL, "note", "Note");
    json_object_set_new(n, "noteLiteral", m);
    return n;
}

static json_t *web(wr *w, const char *url)
{
    json_t *r = node(w, NULL, "webResource", "WebResource");
    json_object_set_new(r, "contentURL", json_string(url));
    return one(r);
}

/* ------------------------------------------------------------ organisations */

/* A French SIRET is registered in France: the country of an organisation that has one. */
static const char *org_country(const cc_org *o)
{
    if (o->country)
        return o->country;
    for (const cc_code *c = o->identifiers.head; c; c = c->next)
        if (c->scheme && !strcmp(c->scheme, "siret"))
            return "FR";
    return NULL;
}

static json_t *legal_id(wr *w, const cc_code *c, const char *a2)
{
    json_t *spatial = a2 ? country(a2) : NULL;
    if (!spatial)
        return NULL;  /* a LegalIdentifier needs its country (sh:minCount 1) */
    json_t *l = node(w, NULL, "legalIdentifier", "LegalIdentifier");
    json_object_set_new(l, "notation", json_string(c->code));
    if (c->scheme && !strcmp(c->scheme, "siret"))  /* the others are named by their key */
        json_object_set_new(l, "schemeName", json_string("SIRET"));
    json_object_set_new(l, "spatial", spatial);
    return l;
}

static void org_ids(wr *w, json_t *o, const cc_org *org, const char *a2)
{
    static const char *const legal[][2] = {{"registration", "registration"},
                                           {"siret", "registration"},
                                           {"eidas", "eIDASIdentifier"},
                                           {"vat", "vatIdentifier"},
                                           {"tax", "taxIdentifier"}};
    json_t *others = json_array();
    for (const cc_code *c = org->identifiers.head; c && c->code; c = c->next) {
        const char *key = NULL;
        for (size_t i = 0; i < sizeof legal / sizeof *legal && c->scheme; i++)
            if (!strcmp(c->scheme, legal[i][0]))
                key = legal[i][1];
        json_t *l = key && !json_object_get(o, key) ? legal_id(w, c, a2) : NULL;
        if (l) {
            json_object_set_new(o, key, l);
            continue;
        }
        json_t *id = node(w, NULL, "identifier", "Identifier");
        json_object_set_new(id, "notation", json_string(c->code));
        set_str(id, "schemeName", c->scheme);
        json_array_append_new(others, id);
    }
    if (json_array_size(others))
        json_object_set_new(o, "identifier", others);
    else
        json_decref(others);
}

static json_t *location(wr *w, const char *a2)
{
    json_t *cc = country(a2);
    if (!cc)
        return NULL;
    json_t *ad = node(w, NULL, "address", "Address");
    json_object_set_new(ad, "countryCode", cc);
    json_t *loc = node(w, NULL, "location", "Location");
    json_object_set_new(loc, "address", one(ad));
    return one(loc);
}

json_t *cc_edc3w_org(wr *w, const cc_org *org)
{
    json_t *o = node(w, org->id, "org", "Organisation");
    const char *a2 = org_country(org);
    json_t *name = cc_edc3w_langmap(w, &org->name);
    json_t *loc = a2 ? location(w, a2) : NULL;
    if (!name)
        cc_reject_reason(&w->reject, "an organisation without a name (Organisation legalName)");
    if (!loc)
        cc_reject_reason(&w->reject, "an organisation without a country (Organisation location/address/countryCode): "
                  "give it in --issuer (\"country\")");
    set_map(o, "legalName", name);
    if (loc)
        json_object_set_new(o, "location", loc);
    org_ids(w, o, org, a2);
    if (org->url)
        json_object_set_new(o, "homepage", web(w, org->url));
    if (org->email) {
        json_t *cp = node(w, NULL, "contactPoint", "ContactPoint");
        json_object_set_new(cp, "emailAddress", one(json_pack("{ssss}", "id",
            cc_sprintf(w->a, "mailto:%s", org->email), "type", "Mailbox")));
        json_object_set_new(o, "contactPoint", one(cp));
    }
    json_t *logo = org->logo ? cc_edc3w_media(w, org->logo) : NULL;
    if (logo)
        json_object_set_new(o, "logo", logo);
    else if (org->logo)
        loss(w, "the logo URL of %s (a MediaObject holds its content)", org->id ? org->id : "an org");
    return o;
}

/* ------------------------------------------------------------ the specification */

typedef struct classes {
    const char *claim, *spec, *claim_cls, *spec_cls;
} classes;

/* The claim and specification classes of a model kind.  Levels and partial qualifications
 * exist on a Qualification only. */
static classes classes_of(const cc_achievement *a)
{
    const char *k = a->kind ? a->kind : "";
    if (!strcmp(k, "learning-activity"))
        return (classes){.claim = "LearningActivity", .spec = "LearningActivitySpecification", .claim_cls = "activity",
                         .spec_cls = "learningActivitySpec"};
    if (!strcmp(k, "learning-entitlement"))
        return (classes){.claim = "LearningEntitlement", .spec = "LearningEntitlementSpecification",
                         .claim_cls = "learningEntitlement", .spec_cls = "learningEntitlementSpec"};
    bool qualification = !strcmp(k, "qualification") || !strcmp(k, "certification") ||
                         !strcmp(k, "skills-block") || a->eqf_level || a->nqf_level;
    return (classes){.claim = "LearningAchievement", .spec = qualification ? "Qualification"
                                                          : "LearningAchievementSpecification",
                     .claim_cls = "learningAchievement", .spec_cls = qualification ? "qualification"
                                                          : "learningAchievementSpec"};
}

static json_t *nqf(wr *w, const cc_code *c)
{
    if (c->uri && !strncmp(c->uri, CC_VOCAB_QDR_BASE, strlen(CC_VOCAB_QDR_BASE)))
        return cc_edc3w_concept(c->uri, CC_VOCAB_QDR_BASE "25831c2", NULL, NULL);
    const char *label = NULL, *uri = NULL;
    if (c->scheme && !strcmp(c->scheme, "fr-nqf") && c->code && !strncmp(c->code, "NIV", 3))
        uri = cc_vocab_fr_nqf_concept(atoi(c->code + 3), &label);
    if (uri)
        return cc_edc3w_concept(uri, CC_VOCAB_QDR_BASE "25831c2", "en", label);
    loss(w, "NQF level %s (no QDR concept)", c->code ? c->code : "?");
    return NULL;
}

static void levels(wr *w, json_t *s, const cc_achievement *a, const classes *k)
{
    bool q = !strcmp(k->spec, "Qualification");
    char eqf[64];
    if (a->eqf_level && q && cc_vocab_eqf_uri(a->eqf_level, eqf, sizeof eqf))
        json_object_set_new(s, "eqfLevel", cc_edc3w_concept(eqf, CC_VOCAB_EQF_BASE "25831c2",
            "en", cc_sprintf(w->a, "Level %d", a->eqf_level)));
    json_t *n = a->nqf_level && q ? nqf(w, a->nqf_level) : NULL;
    if (n)
        json_object_set_new(s, "nqfLevel", one(n));
    bool part = a->kind && !strcmp(a->kind, "skills-block");
    if (q && (part || (a->kind && !strcmp(a->kind, "certification"))))
        json_object_set_new(s, "isPartialQualification", json_boolean(part));
}

static void spec_credits(wr *w, json_t *s, const cc_achievement *a)
{
    if (!a->credits)
        return;
    json_t *cp = node(w, NULL, "creditPoint", "CreditPoint");
    json_object_set_new(cp, "framework", cc_edc3w_concept(CC_VOCAB_ECTS,
        "http://data.europa.eu/snb/education-credit/25831c2", "en",
        w->has_rest ? NULL : "European Credit Transfer and Accumulation System"));
    json_object_set_new(cp, "point", json_string(a->credits));
    json_object_set_new(s, "creditPoint", one(cp));
}

static void spec_outcomes(wr *w, json_t *s, const cc_achievement *a)
{
    json_t *l = json_array();
    for (const cc_outcome *o = a->outcomes.head; o; o = o->next) {
        json_t *t = cc_edc3w_langmap(w, &o->text);
        if (!t)
            continue;
        json_t *lo = node(w, o->id, "learningOutcome", "LearningOutcome");
        json_object_set_new(lo, "title", t);
        if (o->uri)  /* ESCO, else any skill framework */
            json_object_set_new(lo, strstr(o->uri, "data.europa.eu/esco/skill/")
                                        ? "relatedESCOSkill" : "relatedSkill",
                                one(cc_edc3w_concept(o->uri, NULL, NULL, NULL)));
        json_array_append_new(l, lo);
    }
    if (json_array_size(l))
        json_object_set_new(s, "learningOutcome", l);
    else
        json_decref(l);
}

static void spec_codes(wr *w, json_t *s, const cc_achievement *a)
{
    if (a->code) {
        json_t *id = node(w, NULL, "identifier", "Identifier");
        json_object_set_new(id, "notation", json_string(a->code));
        json_object_set_new(s, "identifier", id);  /* one, in the EBSI schema */
    }
    json_t *areas = json_array();
    for (const cc_code *c = a->alignments.head; c; c = c->next) {
        if (c->scheme && !strcmp(c->scheme, "isced-f") && c->code)
            json_array_append_new(areas, cc_edc3w_concept(c->uri ? c->uri
                : cc_sprintf(w->a, CC_VOCAB_ISCED_BASE "%s", c->code),
                CC_VOCAB_ISCED_BASE "25831c2", NULL, NULL));
        else
            loss(w, "alignment %s:%s", c->scheme ? c->scheme : "?", c->code ? c->code : "?");
    }
    if (json_array_size(areas))
        json_object_set_new(s, "thematicArea", areas);
    else
        json_decref(areas);
}

static json_t *spec(wr *w, const cc_achievement *a, int depth)
{
    classes k = classes_of(a);
    json_t *s = node(w, a->id, k.spec_cls, k.spec);
    json_t *title = cc_edc3w_langmap(w, &a->title);
    if (!title)
        cc_reject_reason(&w->reject, "an achievement without a title");
    set_map(s, "title", title);
    set_map(s, "description", cc_edc3w_langmap(w, &a->description));
    spec_codes(w, s, a);
    levels(w, s, a, &k);
    spec_credits(w, s, a);
    set_str(s, "volumeOfLearning", a->volume);
    json_t *n = note(w, &a->entry_requirements);
    if (n)
        json_object_set_new(s, "entryRequirement", n);
    spec_outcomes(w, s, a);
    n = note(w, &a->outcomes_text);
    if (n && strcmp(k.spec, "LearningActivitySpecification") != 0)
        json_object_set_new(s, "learningOutcomeSummary", n);
    else
        json_decref(n);
    if (a->homepage)
        json_object_set_new(s, "homepage", web(w, a->homepage));
    if (a->language)
        json_object_set_new(s, "language", cc_edc3w_language(a->language));
    json_t *parts = json_array();
    for (const cc_achievement *p = a->parts.head; p && depth < 8; p = p->next)
        json_array_append_new(parts, spec(w, p, depth + 1));
    if (json_array_size(parts))
        json_object_set_new(s, "hasPart", parts);
    json_decref(json_array_size(parts) ? NULL : parts);
    return s;
}

/* ------------------------------------------------------------ the claim */

static json_t *awarding(wr *w, const cc_credential *c, const cc_achievement *a)
{
    json_t *ap = node(w, NULL, "awardingProcess", "AwardingProcess"), *bodies = json_array();
    for (const cc_org *o = a->orgs.head; o; o = o->next) {
        if (o->role && strcmp(o->role, "awarding-body") != 0)
            continue;
        if (!org_country(o) || !o->name.n) {  /* ELM 3 requires both: not invented */
            loss(w, "awarding body %s (no %s)", o->id ? o->id : cc_text_get(&o->name, NULL) ?
                 cc_text_get(&o->name, NULL) : "?", o->name.n ? "country" : "name");
            continue;
        }
        json_array_append_new(bodies, cc_edc3w_org(w, o));
    }
    if (!json_array_size(bodies) && c->issuer)  /* the issuer awards what it issues */
        json_array_append_new(bodies, cc_edc3w_org(w, c->issuer));
    json_object_set_new(ap, "awardingBody", bodies);
    set_dt(w, ap, "awardingDate", c->awarded);
    return ap;
}

/* One assessment per result, awarded by the claim's process (ELM 3 requires awardedBy). */
static json_t *assessments(wr *w, const cc_credential *c, json_t *title, const json_t *ap)
{
    json_t *l = json_array();
    for (const cc_text *t = c->results.head; t; t = t->next) {
        json_t *as = node(w, NULL, "learningAssessment", "LearningAssessment");
        if (!w->has_rest)  /* a kept assessment has its own */
            json_object_set_new(as, "awardedBy", json_deep_copy(ap));
        if (!w->has_rest)  /* the model has no title of its own for an assessment */
            json_object_set_new(as, "title", json_deep_copy(title));
        json_t *g = node(w, NULL, "note", "Note");
        json_object_set_new(g, "noteLiteral", langmap1(w, t->value));
        json_object_set_new(as, "grade", g);
        json_array_append_new(l, as);
    }
    return l;
}

/* A credential whose achievement names no specification (EDC 1.x allows it): the claim
 * alone, titled by the credential, awarded by the issuer. */
static json_t *bare_claim(wr *w, const cc_credential *c)
{
    json_t *cl = node(w, NULL, "learningAchievement", "LearningAchievement");
    cc_achievement none = {0};
    json_object_set_new(cl, "awardedBy", awarding(w, c, &none));
    json_t *title = cc_edc3w_langmap(w, &c->name);
    if (!title)
        cc_reject_reason(&w->reject, "a credential without a title or an achievement");
    set_map(cl, "title", title);
    return cl;
}

static json_t *claim(wr *w, const cc_credential *c)
{
    const cc_achievement *a = c->achievement;
    if (!a)
        return bare_claim(w, c);
    classes k = classes_of(a);
    json_t *cl = node(w, NULL, k.claim_cls, k.claim);
    json_t *title = cc_edc3w_langmap(w, &a->title);
    if (!title)
        title = cc_edc3w_langmap(w, &c->name);
    json_t *ap = awarding(w, c, a);
    json_object_set_new(cl, "awardedBy", ap);
    json_t *proven = title && !strcmp(k.claim, "LearningAchievement")
                         ? assessments(w, c, title, ap) : json_array();
    if (json_array_size(proven))
        json_object_set_new(cl, "provenBy", proven);
    else
        json_decref(proven);
    if (c->results.n && strcmp(k.claim, "LearningAchievement") != 0)
        loss(w, "the results of a %s", k.claim);
    json_object_set_new(cl, "specifiedBy", spec(w, a, 0));
    if (w->has_rest)  /* the claim's own title, when it had one, is in the rest */
        json_decref(title);
    else
        set_map(cl, "title", title);
    return cl;
}

/* ------------------------------------------------------------ the subject */

static void identities(wr *w, json_t *s, const cc_person *p)
{
    json_t *l = json_array();
    for (const cc_identity *i = p->identifiers.head; i; i = i->next) {
        if (i->hashed || !i->value) {
            loss(w, "a hashed identity of the holder");
            continue;
        }
        if (i->type && (!strcmp(i->type, "emailAddress") || !strcmp(i->type, "nationalID")))
            continue;  /* the contact point; a national id needs its country */
        json_t *id = node(w, NULL, "identifier", "Identifier");
        json_object_set_new(id, "notation", json_string(i->value));
        set_str(id, "schemeName", i->type);
        json_array_append_new(l, id);
    }
    if (json_array_size(l))
        json_object_set_new(s, "identifier", l);
    else
        json_decref(l);
}

static json_t *subject(wr *w, const cc_credential *c)
{
    const cc_person *p = c->subject;
    json_t *s = node(w, p ? p->id : NULL, "person", "Person");
    if (p) {
        identities(w, s, p);
        set_map(s, "givenName", langmap1(w, p->given_name));
        set_map(s, "familyName", langmap1(w, p->family_name));
        set_map(s, "fullName", langmap1(w, p->full_name));
        set_dt(w, s, "dateOfBirth", p->birth_date);
        if (p->email) {
            json_t *cp = node(w, NULL, "contactPoint", "ContactPoint");
            json_object_set_new(cp, "emailAddress", one(json_pack("{ssss}", "id",
                cc_sprintf(w->a, "mailto:%s", p->email), "type", "Mailbox")));
            json_object_set_new(s, "contactPoint", one(cp));
        }
    }
    json_object_set_new(s, "hasClaim", one(claim(w, c)));
    return s;
}

/* ------------------------------------------------------------ the credential */

static const char *holder_name(const cc_person *p, cc_arena *a)
{
    if (!p)
        return NULL;
    if (p->full_name)
        return p->full_name;
    if (p->given_name && p->family_name)
        return cc_sprintf(a, "%s %s", p->given_name, p->family_name);
    return p->given_name ? p->given_name : p->family_name;
}

static json_t *display(wr *w, const cc_credential *c, json_t *title)
{
    json_t *d = node(w, NULL, "displayParameter", "DisplayParameter");
    if (w->has_rest) {  /* the credential's own picture, in the rest */
        json_object_set_new(d, "title", title);
        return d;
    }
    json_object_set_new(d, "title", title);
    set_map(d, "description", cc_edc3w_langmap(w, &c->description));
    json_object_set_new(d, "language", one(cc_edc3w_language(w->lang)));
    json_object_set_new(d, "primaryLanguage", cc_edc3w_language(w->lang));
    json_t *detail = node(w, NULL, "displayDetail", "DisplayDetail");
    json_object_set_new(detail, "page", json_integer(1));
    json_t *img = cc_edc3w_display_image(w, cc_edc3_first_text(title, NULL),
        holder_name(c->subject, w->a), c->issuer ? cc_text_get(&c->issuer->name, w->lang) : NULL,
        c->valid_from ? c->valid_from : c->issued);
    if (img)
        json_object_set_new(detail, "image", img);
    json_t *ind = node(w, NULL, "individualDisplay", "IndividualDisplay");
    json_object_set_new(ind, "language", cc_edc3w_language(w->lang));
    json_object_set_new(ind, "displayDetail", one(detail));
    json_object_set_new(d, "individualDisplay", one(ind));
    return d;
}

static void head(wr *w, json_t *d, const cc_credential *c)
{
    bool vc2 = w->form == EDC3_VC2;
    json_object_set_new(d, "@context", json_pack("[ss]", vc2 ? EDC3_CTX_VC2 : EDC3_CTX_VC1,
                                                 EDC3_CTX_EDC));
    if (is_iri(c->id))
        json_object_set_new(d, "id", json_string(c->id));
    else
        cc_reject_reason(&w->reject, "a credential without an IRI id");
    json_object_set_new(d, "type", vc2 ? json_pack("[sss]", "VerifiableCredential",
                                                   "VerifiableAttestation",
                                                   "EuropeanDigitalCredential")
                                       : json_pack("[ss]", "VerifiableCredential",
                                                   "EuropeanDigitalCredential"));
    json_object_set_new(d, "credentialProfiles", one(cc_edc3w_concept(
        "http://data.europa.eu/snb/credential/e34929035b",
        "http://data.europa.eu/snb/credential/25831c2", "en", "Generic")));
    json_object_set_new(d, "credentialSchema", one(json_pack("{ssss}", "id", EDC3_SHACL_FULL,
                                                             "type", "ShaclValidator2017")));
}

static void dates(wr *w, json_t *d, const cc_credential *c)
{
    const char *from = c->valid_from ? c->valid_from : c->issued ? c->issued : c->awarded;
    if (!from)
        cc_reject_reason(&w->reject, "a credential without a date (validFrom, issued or awarded)");
    set_dt(w, d, "validFrom", from);
    /* the EBSI schema requires issued: the VCDM 2.0 form says so with validFrom */
    set_dt(w, d, "issued", c->issued ? c->issued : w->form == EDC3_VC2 ? from : NULL);
    set_dt(w, d, "validUntil", c->valid_until);
    if (w->form == EDC3_VC1) {  /* VC 1.1 requires issuanceDate; its name for validUntil */
        set_dt(w, d, "issuanceDate", c->issued ? c->issued : from);
        set_dt(w, d, "expirationDate", c->valid_until);
    }
}

/* The language of the document: its achievement's, else its first title's, else English. */
static const char *doc_lang(const cc_credential *c)
{
    const cc_achievement *a = c->achievement;
    const cc_list *l = a && a->title.n ? &a->title : &c->name;
    const char *lang = a && a->language ? a->language : l->n ? ((cc_text *)l->head)->lang : NULL;
    return lang && cc_vocab_lang_a3(lang) ? lang : "en";
}

static void foreign_ext(wr *w, const cc_credential *c)
{
    int n = 0;
    const char *first = NULL;
    for (const cc_ext *e = c->ext.head; e; e = e->next)
        if (strncmp(e->name, "edc3:", 5) != 0 && n++ == 0)
            first = e->name;
    if (n)
        loss(w, "%d entr%s of another format's extension bag (%s%s)", n, n == 1 ? "y" : "ies",
             first, n > 1 ? ", …" : "");
}

/* credentialStatus (issuing with --status-list): a W3C Bitstring Status List entry, which the
 * VC 2.0 context defines (the VC 1.1 form's context does not: there it is refused). */
static void status(wr *w, json_t *d, const cc_credential *c)
{
    const cc_status_ref *s = c->status.head;
    if (!s)
        return;
    if (w->form != EDC3_VC2 || s->next) {
        cc_reject_reason(&w->reject, w->form != EDC3_VC2 ? "a status list entry needs the VCDM 2.0 form (-t edc3-vc2)"
                                      : "more than one status entry");
        return;
    }
    char ix[24];
    snprintf(ix, sizeof ix, "%lld", s->index);
    json_t *e = json_pack("{s:s++,s:s,s:s,s:s,s:s}", "id", s->list, "#", ix, "type", "BitstringStatusListEntry",
                          "statusPurpose", s->purpose, "statusListIndex", ix, "statusListCredential", s->list);
    json_object_set_new(d, "credentialStatus", e);
}

static json_t *credential(wr *w, const cc_credential *c)
{
    char lang[4];
    snprintf(lang, sizeof lang, "%.2s", doc_lang(c));
    w->lang = cc_strdup(w->a, lang);
    const cc_ext *rest = NULL;
    for (const cc_ext *e = c->ext.head; e && !rest; e = e->next)
        rest = !strcmp(e->name, EDC3_EXT_REST) && e->value ? e : NULL;
    w->has_rest = rest != NULL;
    json_t *d = json_object();
    head(w, d, c);
    json_t *title = cc_edc3w_langmap(w, &c->name);
    if (!title && c->achievement)
        title = cc_edc3w_langmap(w, &c->achievement->title);
    if (!title)
        cc_reject_reason(&w->reject, "a credential without a title");
    json_object_set_new(d, "displayParameter", display(w, c, title ? title : json_object()));
    if (c->issuer)
        json_object_set_new(d, "issuer", cc_edc3w_org(w, c->issuer));
    else
        cc_reject_reason(&w->reject, "a credential without an issuer");
    json_object_set_new(d, "credentialSubject", subject(w, c));
    dates(w, d, c);
    status(w, d, c);
    foreign_ext(w, c);
    json_t *kept = rest ? cc_json_loads(rest->value, 0, NULL) : NULL;
    if (kept)
        cc_edc3w_merge(d, kept);
    json_decref(kept);
    return d;
}

/* ------------------------------------------------------------ the writer */

static void *writer_open(cc_write_ctx *ctx, edc3_form form)
{
    edc3w *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->out = ctx->out;
    o->diag = ctx->diag;
    o->form = form;
    o->check = cc_wcheck_for(ctx);
    return o;
}

void *cc_edc3_writer_open_vc1(cc_write_ctx *ctx)
{
    return writer_open(ctx, EDC3_VC1);
}

void *cc_edc3_writer_open_vc2(cc_write_ctx *ctx)
{
    return writer_open(ctx, EDC3_VC2);
}

/* What `validate -f edc3` checks: the SHACL-derived rules and the form. */
static int check(edc3w *o, const cc_record *r, const json_t *doc)
{
    if (cc_wcheck_off(o->check.check))
        return 0;
    cc_wcheck_sink ws;
    const cc_diag_sink *d = cc_wcheck_sink_init(&ws, o->check.check, o->diag);
    int errors = cc_edc3_check(doc, o->form, false, d, NULL, 0, cc_record_id(r));
    return cc_wcheck_verdict(o->check.check, o->diag, r, o->form == EDC3_VC2 ? "edc3-vc2" : "edc3",
                             errors, "fix the fields listed above in the input, --issuer or "
                             "--recipients");
}

int cc_edc3_writer_record(void *wp, const cc_record *r)
{
    edc3w *o = wp;
    if (r->kind != CC_REC_CREDENTIAL) {
        cc_diagf(o->diag, CC_ERROR, r->src_file, r->src_line, 0, cc_record_id(r), "edc3-missing",
                 "cannot write as EDC 3: an achievement alone is no credential; give "
                 "--recipients (and --issuer) to issue it");
        return 1;
    }
    cc_arena *a = cc_arena_new();
    wr w = {.a = a, .diag = o->diag, .rec = cc_record_id(r), .form = o->form};
    json_t *doc = credential(&w, r->credential);
    int rc = 0;
    if (w.reject) {
        cc_diagf(o->diag, CC_ERROR, r->src_file, r->src_line, 0, w.rec, "edc3-missing",
                 "cannot write as EDC 3: %s", w.reject);
        rc = 1;
    } else {
        rc = check(o, r, doc);
    }
    if (rc == 0 && (json_dumpf(doc, o->out, JSON_COMPACT) != 0 ||
                    putc('\n', o->out) == EOF || ferror(o->out)))
        rc = 2;
    json_decref(doc);
    cc_arena_free(a);
    return rc;
}

int cc_edc3_writer_close(void *wp)
{
    edc3w *o = wp;
    cc_wcheck_release(&o->check);
    free(o);
    return 0;
}
