/* EDC 3 reader: each JSON document of the input (NDJSON, concatenated or pretty-printed) is
 * one credential, in any of its three shapes: the JSON-LD credential, the issuer's upload
 * form {"credential": …}, or a JAdES seal in the JWS JSON serialisation, whose payload is
 * the credential (the seal is not verified here: that is `verify`'s work).
 *
 * The model takes the issuer, the subject, the dates and the first claim (its specifiedBy
 * as the achievement); the credential as read is kept whole in the extension bag
 * (EDC3_EXT_REST) and the writer merges what it builds from the model over it, so that
 * edc3 -> edc3 keeps what the model has no field for. */
#include "cc_jose.h"
#include "cc_jsonread.h"
#include "cc_rdf.h"
#include "edc3/edc3.h"
#include "jsonschema.h"
#include "vocab/vocab.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct rd {
    cc_read_ctx *ctx;
    cc_arena *a;
    long line;
    const char *rec;
    int errors;
} rd;

static const char *dup(rd *c, const char *s)
{
    return cc_strdup(c->a, s);
}

static const char *str_of(rd *c, const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? dup(c, json_string_value(v)) : NULL;
}

/* A language map (or string, or array of strings) into a text list. */
static void texts(rd *c, const json_t *v, cc_list *l)
{
    if (json_is_string(v) || json_is_array(v)) {
        const char *s = cc_edc3_first_text(v, NULL);
        if (s)
            cc_text_add(c->a, l, NULL, dup(c, s));
        return;
    }
    const char *lang;
    const json_t *x;
    json_object_foreach((json_t *)v, lang, x) {
        const char *s = cc_edc3_first_text(x, NULL);
        if (s)
            cc_text_add(c->a, l, dup(c, lang), dup(c, s));
    }
}

static const char *first_text(rd *c, const json_t *v)
{
    const char *s = cc_edc3_first_text(v, NULL);
    return s ? dup(c, s) : NULL;
}

/* The last path segment of a concept IRI ("…/country/FRA" -> "FRA"). */
static const char *last_segment(const char *iri)
{
    const char *s = iri ? strrchr(iri, '/') : NULL;
    return s && s[1] ? s + 1 : iri;
}

static const char *concept_id(const json_t *v)
{
    return json_string_value(json_object_get(cc_edc3_item(v, 0), "id"));
}

static cc_code *concept(rd *c, const json_t *v, const char *scheme)
{
    const json_t *o = cc_edc3_item(v, 0);
    const char *id = json_string_value(json_object_get(o, "id"));
    if (!id)
        return NULL;
    cc_code *k = cc_code_new(c->a, scheme, dup(c, last_segment(id)), NULL, NULL);
    k->uri = dup(c, id);
    texts(c, json_object_get(o, "prefLabel"), &k->label);
    return k;
}

/* ------------------------------------------------------------ organisations */

static void legal_id(rd *c, cc_org *o, const json_t *v, const char *scheme)
{
    for (size_t i = 0; i < cc_edc3_count(v); i++) {
        const json_t *x = cc_edc3_item(v, i);
        const char *n = str_of(c, x, "notation");
        const char *sn = str_of(c, x, "schemeName");
        /* a registration named by its scheme (SIRET) is an identifier of that scheme */
        const char *as = scheme && !(sn && !strcmp(scheme, "registration")) ? scheme
                         : sn && !strcmp(sn, "SIRET") ? "siret" : sn ? sn : "identifier";
        if (n)
            cc_list_append(&o->identifiers, cc_code_new(c->a, as, n, NULL, NULL));
    }
}

static const char *mailbox(rd *c, const json_t *contact)
{
    for (size_t i = 0; i < cc_edc3_count(contact); i++) {
        const json_t *m = cc_edc3_item(json_object_get(cc_edc3_item(contact, i), "emailAddress"), 0);
        const char *id = json_string_value(json_object_get(m, "id"));
        if (id && !strncmp(id, "mailto:", 7))
            return dup(c, id + 7);
    }
    return NULL;
}

static const char *country_of(rd *c, const json_t *location)
{
    const json_t *ad = json_object_get(cc_edc3_item(location, 0), "address");
    const char *id = concept_id(json_object_get(cc_edc3_item(ad, 0), "countryCode"));
    char a2[3];
    return id && cc_vocab_country_a2(last_segment(id), a2) ? dup(c, a2) : NULL;
}

/* A MediaObject as a data: URI (the model's logo and image are URLs or data: URIs). */
static const char *media_uri(rd *c, const json_t *m)
{
    m = cc_edc3_item(m, 0);
    const char *content = json_string_value(json_object_get(m, "content"));
    const char *type = concept_id(json_object_get(m, "contentType"));
    const char *url = json_string_value(json_object_get(m, "contentURL"));
    if (!content)
        return url ? dup(c, url) : NULL;
    const char *t = type ? last_segment(type) : "PNG";
    const char *mime = !strcmp(t, "JPEG") ? "image/jpeg" : !strcmp(t, "SVG") ? "image/svg+xml"
                                                                              : "image/png";
    return cc_sprintf(c->a, "data:%s;base64,%s", mime, content);
}

static cc_org *org(rd *c, const json_t *v, const char *role)
{
    if (!json_is_object(v))
        return NULL;
    cc_org *o = cc_org_new(c->a);
    o->id = str_of(c, v, "id");
    o->role = role;
    texts(c, json_object_get(v, "legalName"), &o->name);
    legal_id(c, o, json_object_get(v, "registration"), "registration");
    legal_id(c, o, json_object_get(v, "eIDASIdentifier"), "eidas");
    legal_id(c, o, json_object_get(v, "vatIdentifier"), "vat");
    legal_id(c, o, json_object_get(v, "taxIdentifier"), "tax");
    legal_id(c, o, json_object_get(v, "identifier"), NULL);
    o->url = str_of(c, cc_edc3_item(json_object_get(v, "homepage"), 0), "contentURL");
    o->email = mailbox(c, json_object_get(v, "contactPoint"));
    o->country = country_of(c, json_object_get(v, "location"));
    if (json_object_get(v, "logo"))
        o->logo = media_uri(c, json_object_get(v, "logo"));
    return o;
}

/* ------------------------------------------------------------ the achievement */

static const struct {
    const char *type, *kind;
} spec_kinds[] = {
    {.type = "Qualification", .kind = "qualification"},
    {.type = "LearningAchievementSpecification", .kind = "learning-specification"},
    {.type = "LearningActivitySpecification", .kind = "learning-activity"},
    {.type = "LearningAssessmentSpecification", .kind = "learning-assessment"},
    {.type = "LearningEntitlementSpecification", .kind = "learning-entitlement"},
};

static const char *kind_of(const json_t *spec)
{
    for (size_t i = 0; i < sizeof spec_kinds / sizeof *spec_kinds; i++)
        if (cc_edc3_has_type(spec, spec_kinds[i].type))
            return spec_kinds[i].kind;
    return "learning-specification";
}

static void outcomes(rd *c, const json_t *v, cc_achievement *s)
{
    for (size_t i = 0; i < cc_edc3_count(v); i++) {
        const json_t *x = cc_edc3_item(v, i);
        if (!json_is_object(x))
            continue;
        cc_outcome *o = cc_alloc(c->a, sizeof *o);
        o->id = str_of(c, x, "id");
        texts(c, json_object_get(x, "title"), &o->text);
        const char *skill = concept_id(json_object_get(x, "relatedESCOSkill"));
        if (!skill)
            skill = concept_id(json_object_get(x, "relatedSkill"));
        o->uri = skill ? dup(c, skill) : NULL;
        cc_list_append(&s->outcomes, o);
    }
}

static void credits(rd *c, const json_t *v, cc_achievement *s)
{
    for (size_t i = 0; i < cc_edc3_count(v); i++) {
        const json_t *x = cc_edc3_item(v, i);
        const char *fw = concept_id(json_object_get(x, "framework"));
        const char *p = str_of(c, x, "point");
        if (p && (!fw || !strcmp(fw, CC_VOCAB_ECTS))) {
            s->credits = p;
            return;
        }
    }
}

static void spec_fields(rd *c, const json_t *spec, cc_achievement *s)
{
    s->id = str_of(c, spec, "id");
    s->kind = kind_of(spec);
    if (json_is_true(json_object_get(spec, "isPartialQualification")))
        s->kind = "skills-block";
    texts(c, json_object_get(spec, "title"), &s->title);
    texts(c, json_object_get(spec, "description"), &s->description);
    texts(c, json_object_get(cc_edc3_item(json_object_get(spec, "entryRequirement"), 0),
                             "noteLiteral"), &s->entry_requirements);
    texts(c, json_object_get(cc_edc3_item(json_object_get(spec, "learningOutcomeSummary"), 0),
                             "noteLiteral"), &s->outcomes_text);
    const json_t *ident = cc_edc3_item(json_object_get(spec, "identifier"), 0);
    s->code = str_of(c, ident, "notation");
    s->eqf_level = cc_vocab_eqf_level(concept_id(json_object_get(spec, "eqfLevel")));
    s->nqf_level = concept(c, json_object_get(spec, "nqfLevel"), "qdr");
    credits(c, json_object_get(spec, "creditPoint"), s);
    s->volume = str_of(c, spec, "volumeOfLearning");
    outcomes(c, json_object_get(spec, "learningOutcome"), s);
    const json_t *areas = json_object_get(spec, "thematicArea");
    for (size_t i = 0; i < cc_edc3_count(areas); i++) {
        cc_code *k = concept(c, cc_edc3_item(areas, i), "isced-f");
        if (k)
            cc_list_append(&s->alignments, k);
    }
    s->homepage = str_of(c, cc_edc3_item(json_object_get(spec, "homepage"), 0), "contentURL");
    const char *lang = concept_id(json_object_get(spec, "language"));
    s->language = lang ? dup(c, cc_vocab_lang_a2(last_segment(lang))
                                    ? cc_vocab_lang_a2(last_segment(lang)) : last_segment(lang))
                       : NULL;
}

/* The claim's awarding bodies, results and date; its specification as the achievement (the
 * claim itself when it names none). */
static void claim(rd *c, const json_t *cl, cc_credential *k)
{
    const json_t *spec = cc_edc3_item(json_object_get(cl, "specifiedBy"), 0);
    cc_achievement *s = k->achievement = cc_achievement_new(c->a);
    spec_fields(c, json_is_object(spec) ? spec : cl, s);
    if (!s->title.n)
        texts(c, json_object_get(cl, "title"), &s->title);
    const json_t *ap = cc_edc3_item(json_object_get(cl, "awardedBy"), 0);
    const json_t *bodies = json_object_get(ap, "awardingBody");
    for (size_t i = 0; i < cc_edc3_count(bodies); i++) {
        cc_org *o = org(c, cc_edc3_item(bodies, i), "awarding-body");
        if (o)
            cc_list_append(&s->orgs, o);
    }
    k->awarded = str_of(c, ap, "awardingDate");
    const json_t *proven = json_object_get(cl, "provenBy");
    for (size_t i = 0; i < cc_edc3_count(proven); i++) {
        const json_t *g = json_object_get(cc_edc3_item(proven, i), "grade");
        const char *t = first_text(c, json_object_get(cc_edc3_item(g, 0), "noteLiteral"));
        if (t)
            cc_text_add(c->a, &k->results, NULL, t);
    }
}

/* ------------------------------------------------------------ the subject */

static void subject(rd *c, const json_t *v, cc_credential *k)
{
    cc_person *p = k->subject = cc_alloc(c->a, sizeof *p);
    p->id = str_of(c, v, "id");
    p->given_name = first_text(c, json_object_get(v, "givenName"));
    p->family_name = first_text(c, json_object_get(v, "familyName"));
    p->full_name = first_text(c, json_object_get(v, "fullName"));
    p->birth_date = str_of(c, v, "dateOfBirth");
    p->email = mailbox(c, json_object_get(v, "contactPoint"));
    static const char *const ids[] = {"nationalID", "identifier"};
    for (size_t j = 0; j < 2; j++) {
        const json_t *l = json_object_get(v, ids[j]);
        for (size_t i = 0; i < cc_edc3_count(l); i++) {
            const json_t *x = cc_edc3_item(l, i);
            const char *n = str_of(c, x, "notation");
            if (!n)
                continue;
            cc_identity *id = cc_alloc(c->a, sizeof *id);
            const char *sn = str_of(c, x, "schemeName");
            id->type = j == 0 ? "nationalID" : sn ? sn : "identifier";
            id->value = n;
            cc_list_append(&p->identifiers, id);
        }
    }
    const json_t *claims = json_object_get(v, "hasClaim");
    if (cc_edc3_count(claims) > 1)
        cc_diagp(c->ctx->diag, CC_WARNING, c->ctx->in->name, c->line, "/credentialSubject/hasClaim",
                 c->rec, "edc3-many-claims", "%zu claims: the model's achievement is the first; "
                 "the others are kept only in the edc3 extension", cc_edc3_count(claims));
    if (cc_edc3_count(claims))
        claim(c, cc_edc3_item(claims, 0), k);
}

/* ------------------------------------------------------------ the credential */

/* What a converted credential does not take with it: the seal, and the properties of the
 * other data model form (written again from the model's dates). */
static char *kept_rest(const json_t *cred)
{
    json_t *rest = json_copy((json_t *)cred);
    static const char *const drop[] = {"@context", "type", "proof", "issuanceDate",
                                       "expirationDate", "issued", "validFrom", "validUntil"};
    for (size_t i = 0; i < sizeof drop / sizeof *drop; i++)
        json_object_del(rest, drop[i]);
    char *s = json_dumps(rest, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(rest);
    return s;
}

static cc_record *map(rd *c, const json_t *cred)
{
    cc_record *r = cc_record_new(CC_REC_CREDENTIAL);
    c->a = r->arena;
    cc_credential *k = r->credential;
    k->id = str_of(c, cred, "id");
    const json_t *dp = cc_edc3_item(json_object_get(cred, "displayParameter"), 0);
    texts(c, json_object_get(dp, "title"), &k->name);
    texts(c, json_object_get(dp, "description"), &k->description);
    k->issued = str_of(c, cred, "issued");
    if (!k->issued)
        k->issued = str_of(c, cred, "issuanceDate");
    k->valid_from = str_of(c, cred, "validFrom");
    k->valid_until = str_of(c, cred, "validUntil");
    if (!k->valid_until)
        k->valid_until = str_of(c, cred, "expirationDate");
    k->issuer = org(c, json_object_get(cred, "issuer"), "issuer");
    const json_t *subj = cc_edc3_item(json_object_get(cred, "credentialSubject"), 0);
    if (json_is_object(subj))
        subject(c, subj, k);
    const json_t *ev = json_object_get(cred, "evidence");
    for (size_t i = 0; i < cc_edc3_count(ev); i++) {
        const char *id = str_of(c, cc_edc3_item(ev, i), "id");
        if (id) {
            cc_code *e = cc_code_new(c->a, "evidence", NULL, NULL, NULL);
            e->uri = id;
            cc_list_append(&k->evidence, e);
        }
    }
    char *rest = kept_rest(cred);
    cc_ext_add(c->a, &k->ext, EDC3_EXT_REST, dup(c, rest ? rest : "{}"));
    free(rest);
    return r;
}

/* ------------------------------------------------------------ unwrapping */

static json_t *payload_of(const json_t *doc, const cc_diag_sink *diag, const char *file,
                          long line, size_t max_size)
{
    const json_t *p = json_object_get(doc, "payload");
    const char *s = json_string_value(p);
    size_t n = json_string_length(p);
    unsigned char *decoded = NULL;
    if (n && s[0] != '{') {  /* b64 not false: the payload is base64url (RFC 7515) */
        size_t len = 0;
        decoded = cc_b64u_decode(s, n, &len);
        s = (const char *)decoded;
        n = len;
    }
    json_error_t err;
    json_t *cred = s ? cc_json_parse(s, n, 0, max_size, &err) : NULL;
    if (!cred)
        cc_diagp(diag, CC_ERROR, file, line, "/payload", NULL, "edc3-jws",
                 "the JWS payload is not a JSON credential%s%s", s ? ": " : "", s ? err.text : "");
    free(decoded);
    return cred;
}

json_t *cc_edc3_unwrap(const json_t *doc, bool *sealed, const cc_diag_sink *diag,
                       const char *file, long line, size_t max_size)
{
    *sealed = false;
    json_t *cred = NULL;
    if (json_is_string(json_object_get(doc, "payload")) &&
        json_is_array(json_object_get(doc, "signatures"))) {
        *sealed = true;
        cred = payload_of(doc, diag, file, line, max_size);
    } else if (json_is_object(json_object_get(doc, "credential")) &&
               !json_object_get(doc, "type")) {
        cred = json_incref(json_object_get(doc, "credential"));
    } else {
        cred = json_incref((json_t *)doc);
    }
    if (cred && !cc_edc3_has_type(cred, "EuropeanDigitalCredential")) {
        cc_diagp(diag, CC_ERROR, file, line, *sealed ? "/payload/type" : "/type", NULL,
                 "edc3-not-credential", "not a Europass credential: no type "
                 "EuropeanDigitalCredential%s", json_object_get(cred, "@graph") ?
                 " (an @graph document: expected one credential object)" : "");
        json_decref(cred);
        cred = NULL;
    }
    return cred;
}

/* ------------------------------------------------------------ validation and the reader */

typedef struct holder {
    cc_read_ctx *ctx;
    edc3_schema *set;          /* --schema, else NULL */
    cc_jsonld_cache contexts;  /* the JSON-LD contexts read, kept for the next document */
    long index;
} holder;

static int check(holder *h, const json_t *cred, bool sealed, long line, const char *rec)
{
    cc_read_ctx *ctx = h->ctx;
    int errors = cc_edc3_check(cred, 0, sealed, ctx->diag, ctx->in->name, line, rec);
    errors += cc_edc3_check_terms(cred, &h->contexts, ctx->diag, ctx->in->name, line, rec);
    if (h->set) {
        int e = cc_edc3_schema_check(h->set, cred, ctx->diag, ctx->in->name, line, rec);
        errors += e < 0 ? 1 : e;
    }
    return errors;
}

static int emit(void *ud, const json_t *doc, long line)
{
    holder *h = ud;
    cc_read_ctx *ctx = h->ctx;
    ++h->index;
    if (!doc)
        return ctx->sink.reject(ctx->sink.ud, ctx->in->name, line, NULL);
    bool sealed;
    json_t *cred = cc_edc3_unwrap(doc, &sealed, ctx->diag, ctx->in->name, line, ctx->max_json_size);
    if (!cred)
        return ctx->sink.reject(ctx->sink.ud, ctx->in->name, line, NULL);
    const char *id = json_string_value(json_object_get(cred, "id"));
    rd c = {.ctx = ctx, .line = line, .rec = id};
    if (sealed)
        cc_diagf(ctx->diag, CC_NOTE, ctx->in->name, line, 0, id, "edc3-seal-not-verified",
                 "JAdES seal not verified here (read as the credential it seals); "
                 "a conversion does not keep it");
    if (json_object_get(doc, "deliveryDetails"))
        cc_diagp(ctx->diag, CC_NOTE, ctx->in->name, line, "/deliveryDetails", id, "loss",
                 "loss: the upload form's deliveryDetails are not kept");
    int invalid = ctx->validate || ctx->verify ? check(h, cred, sealed, line, id) : 0;
    cc_record *r = map(&c, cred);
    json_decref(cred);
    r->src_file = ctx->in->name;
    r->src_line = line;
    r->src_index = h->index;
    r->invalid = invalid;
    return ctx->sink.record(ctx->sink.ud, r);
}

int cc_edc3_read(cc_read_ctx *ctx)
{
    holder h = {.ctx = ctx};
    if ((ctx->validate || ctx->verify) && ctx->schema_path) {
        h.set = cc_edc3_schema_load(ctx->schema_path, ctx->diag);
        if (!h.set)
            return 1;
    }
    cc_jsonld_cache_init(&h.contexts, ctx->fetch);
    int rc = cc_json_records(ctx, emit, &h);
    cc_edc3_schema_free(h.set);
    cc_jsonld_cache_free(&h.contexts);
    return rc;
}
