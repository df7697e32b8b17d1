/* What `validate -f edc3` checks in a credential, and what the writer checks before it
 * writes one: the SHACL rules of EDC-generic-no-cv (structure: the minCount of each class)
 * and EDC-generic-full (the controlled vocabularies) that apply to what credconv reads and
 * writes, as C checks over the compact JSON-LD (the edc-ap terms); the JSON-LD term check;
 * and a JSON Schema given with --schema (the EBSI EDC schema, with the attestation schema
 * it refers to beside it).  Every error carries the JSON pointer of its value. */
#include "cc_fetch.h"
#include "cc_jsonread.h"
#include "cc_rdf.h"
#include "edc3/edc3.h"
#include "jsonschema.h"
#include "vocab/vocab.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct ck {
    const cc_diag_sink *diag;
    const char *file, *rec;
    long line;
    bool sealed;
    int errors;
    int depth;
    char ptr[512];
} ck;

static void err(ck *k, const char *key, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* An error at the current pointer, or at its member `key`. */
static void err(ck *k, const char *key, const char *rule, const char *fmt, ...)
{
    size_t old = key ? cc_ptr_push(k->ptr, sizeof k->ptr, key) : strlen(k->ptr);
    va_list ap;
    va_start(ap, fmt);
    cc_vdiag(k->diag, CC_ERROR, k->file, k->line, 0, k->ptr, k->rec, rule, fmt, ap);
    va_end(ap);
    k->ptr[old] = '\0';
    k->errors++;
}

/* ------------------------------------------------------------ EDC-generic-no-cv */

/* sh:minCount 1 of the active property shapes, per class (docs/references.md edc §11).  The
 * properties the EC adds when it seals (issued; the issuer's eIDAS identifier, from the
 * seal certificate) are required of a sealed credential only: an unsigned one is an upload,
 * which the issuer completes. */
static const struct {
    const char *type;
    const char *required[6];
} shapes[] = {
    {.type = "EuropeanDigitalCredential", .required = {"credentialProfiles", "displayParameter", "issuer",
                                   "credentialSubject", "validFrom", "credentialSchema"}},
    {.type = "LearningAchievement", .required = {"title", "awardedBy"}},
    {.type = "LearningActivity", .required = {"title", "awardedBy"}},
    {.type = "LearningEntitlement", .required = {"title", "awardedBy"}},
    {.type = "LearningAssessment", .required = {"title", "grade", "awardedBy"}},
    {.type = "AwardingProcess", .required = {"awardingBody"}},
    {.type = "Organisation", .required = {"legalName", "location"}},
    {.type = "Address", .required = {"countryCode"}},
    {.type = "LegalIdentifier", .required = {"notation", "spatial"}},
    {.type = "Identifier", .required = {"notation"}},
    {.type = "CreditPoint", .required = {"framework", "point"}},
    {.type = "Qualification", .required = {"title"}},
    {.type = "LearningAchievementSpecification", .required = {"title"}},
    {.type = "LearningOutcome", .required = {"title"}},
    {.type = "DisplayParameter", .required = {"title", "language", "primaryLanguage", "individualDisplay"}},
    {.type = "IndividualDisplay", .required = {"language", "displayDetail"}},
    {.type = "DisplayDetail", .required = {"image", "page"}},
    {.type = "MediaObject", .required = {"contentType", "contentEncoding", "content"}},
    {.type = "Note", .required = {"noteLiteral"}},
};

static void required(ck *k, const json_t *o, const char *type)
{
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
        if (strcmp(shapes[i].type, type) != 0)
            continue;
        for (size_t j = 0; j < 6 && shapes[i].required[j]; j++) {
            const char *p = shapes[i].required[j];
            if (!cc_edc3_count(json_object_get(o, p)))
                err(k, NULL, "edc3-shacl-min", "%s without %s (EDC-generic-no-cv: sh:minCount 1)",
                    type, p);
        }
    }
}

/* Language-tagged strings: a map of language to a string or an array of strings. */
static const char *const lang_props[] = {
    "title", "description", "legalName", "altLabel", "prefLabel", "givenName", "familyName",
    "fullName", "birthName", "noteLiteral", "definition", NULL,
};

static bool in(const char *s, const char *const *l)
{
    for (; *l; l++)
        if (!strcmp(s, *l))
            return true;
    return false;
}

static bool lang_string(const json_t *v)
{
    if (!json_is_object(v) || !json_object_size(v))
        return false;
    const char *lang;
    const json_t *x;
    json_object_foreach((json_t *)v, lang, x) {
        for (size_t i = 0; i < cc_edc3_count(x); i++)
            if (!json_is_string(cc_edc3_item(x, i)))
                return false;
        if (!json_is_string(x) && !json_is_array(x))
            return false;
    }
    return true;
}

/* xsd:dateTime: a calendar date and a time, the zone optional (the EBSI schema's
 * format date-time, RFC 3339, wants one: --schema checks that). */
static const char *const datetime_props[] = {
    "validFrom", "validUntil", "issued", "issuanceDate", "expirationDate", "dateOfBirth",
    "awardingDate", "startDate", "endDate", "dateIssued", "dateModified", NULL,
};

static bool datetime(const json_t *v)
{
    long long t;
    const char *s = json_string_value(v);
    if (!s || !strchr(s, 'T') || strlen(s) > 64)
        return false;
    if (cc_iso_to_epoch(s, &t))
        return true;
    char zoned[72];
    snprintf(zoned, sizeof zoned, "%sZ", s);
    return strlen(s) >= 19 && !strpbrk(s + 19, "Z+-") && cc_iso_to_epoch(zoned, &t);
}

/* ------------------------------------------------------------ EDC-generic-full */

/* The concept schemes of the controlled vocabularies EDC-generic-full binds (sh:pattern /
 * skos:inScheme of each property), by the IRI prefix of their concepts. */
static const struct {
    const char *prop, *prefix, *scheme;
} vocabularies[] = {
    {.prop = "eqfLevel", .prefix = "http://data.europa.eu/snb/eqf/", .scheme = "EQF"},
    {.prop = "nqfLevel", .prefix = "http://data.europa.eu/snb/qdr/", .scheme = "QDR (NQF)"},
    {.prop = "countryCode", .prefix = "http://publications.europa.eu/resource/authority/country/", .scheme = "country"},
    {.prop = "spatial", .prefix = "http://publications.europa.eu/resource/authority/country/", .scheme = "country"},
    {.prop = "citizenshipCountry", .prefix = "http://publications.europa.eu/resource/authority/country/",
     .scheme = "country"},
    {.prop = "language", .prefix = "http://publications.europa.eu/resource/authority/language/", .scheme = "language"},
    {.prop = "primaryLanguage", .prefix = "http://publications.europa.eu/resource/authority/language/",
     .scheme = "language"},
    {.prop = "contentType", .prefix = "http://publications.europa.eu/resource/authority/file-type/", .scheme = "file-type"},
    {.prop = "contentEncoding", .prefix = "http://data.europa.eu/snb/encoding/", .scheme = "encoding"},
    {.prop = "framework", .prefix = "http://data.europa.eu/snb/education-credit/", .scheme = "education-credit"},
    {.prop = "thematicArea", .prefix = "http://data.europa.eu/snb/isced-f/", .scheme = "ISCED-F"},
    {.prop = "credentialProfiles", .prefix = "http://data.europa.eu/snb/credential/", .scheme = "credential type"},
};

static void vocabulary(ck *k, const char *prop, const json_t *v)
{
    for (size_t i = 0; i < sizeof vocabularies / sizeof *vocabularies; i++) {
        if (strcmp(vocabularies[i].prop, prop) != 0)
            continue;
        for (size_t j = 0; j < cc_edc3_count(v); j++) {
            const json_t *c = cc_edc3_item(v, j);
            const char *id = json_string_value(json_object_get(c, "id"));
            const char *pre = vocabularies[i].prefix;
            size_t old = json_is_array(v) ? cc_ptr_push_index(k->ptr, sizeof k->ptr, j)
                                          : strlen(k->ptr);
            if (!id || strncmp(id, pre, strlen(pre)) != 0 || !id[strlen(pre)])
                err(k, NULL, "edc3-cv", "%s is not a concept of the %s vocabulary (%s…)",
                    id ? id : "a concept without id", vocabularies[i].scheme, pre);
            else if (!strcmp(prop, "eqfLevel") && !cc_vocab_eqf_level(id))
                err(k, NULL, "edc3-cv", "%s is not an EQF level 1-8", id);
            k->ptr[old] = '\0';
        }
    }
}

/* ------------------------------------------------------------ the walk */

static void walk(ck *k, const json_t *v);

static void member(ck *k, const char *key, const json_t *v)
{
    size_t old = cc_ptr_push(k->ptr, sizeof k->ptr, key);
    if (in(key, lang_props) && !lang_string(v))
        err(k, NULL, "edc3-langmap", "%s is not a language map such as {\"en\": \"…\"}", key);
    else if (in(key, datetime_props) && !datetime(v))
        err(k, NULL, "edc3-datetime", "%s is not an xsd:dateTime", key);
    vocabulary(k, key, v);
    if (strcmp(key, "@context") != 0)
        walk(k, v);
    k->ptr[old] = '\0';
}

static void walk(ck *k, const json_t *v)
{
    if (++k->depth > 64) {  /* the reader's JSON is bounded; this keeps the C stack so too */
        if (k->depth == 65)
            err(k, NULL, "edc3-depth", "nested more than 64 levels%s", "");
        k->depth--;
        return;
    }
    if (json_is_array(v)) {
        size_t i;
        const json_t *x;
        json_array_foreach(v, i, x) {
            size_t old = cc_ptr_push_index(k->ptr, sizeof k->ptr, i);
            walk(k, x);
            k->ptr[old] = '\0';
        }
    } else if (json_is_object(v)) {
        const json_t *t = json_object_get(v, "type");
        for (size_t i = 0; i < cc_edc3_count(t); i++)
            if (json_is_string(cc_edc3_item(t, i)))
                required(k, v, json_string_value(cc_edc3_item(t, i)));
        const char *key;
        const json_t *x;
        json_object_foreach((json_t *)v, key, x)
            member(k, key, x);
    }
    k->depth--;
}

/* ------------------------------------------------------------ the credential */

static bool has_string(const json_t *a, const char *s)
{
    for (size_t i = 0; i < cc_edc3_count(a); i++)
        if (json_is_string(cc_edc3_item(a, i)) && !strcmp(json_string_value(cc_edc3_item(a, i)), s))
            return true;
    return false;
}

static void form_check(ck *k, const json_t *cred, edc3_form form)
{
    const json_t *ctx = json_object_get(cred, "@context");
    const char *first = json_string_value(cc_edc3_item(ctx, 0));
    bool vc1 = first && !strcmp(first, EDC3_CTX_VC1), vc2 = first && !strcmp(first, EDC3_CTX_VC2);
    if (!vc1 && !vc2)
        err(k, "@context", "edc3-context", "the first context is neither %s (EC, ELM 3.0/3.1) "
            "nor " EDC3_CTX_VC2 " (EBSI, ELM 3.2)", EDC3_CTX_VC1);
    else if ((form == EDC3_VC1 && !vc1) || (form == EDC3_VC2 && !vc2))
        err(k, "@context", "edc3-context", "the first context is not %s",
            form == EDC3_VC1 ? EDC3_CTX_VC1 : EDC3_CTX_VC2);
    if (!has_string(ctx, EDC3_CTX_EDC))
        err(k, "@context", "edc3-context", "the contexts do not include %s", EDC3_CTX_EDC);
    const json_t *type = json_object_get(cred, "type");
    if (!has_string(type, "VerifiableCredential") || !has_string(type, "EuropeanDigitalCredential"))
        err(k, "type", "edc3-type", "type must hold VerifiableCredential and "
            "EuropeanDigitalCredential%s", "");
    const char *id = json_string_value(json_object_get(cred, "id"));
    if (!id || !strchr(id, ':'))
        err(k, "id", "edc3-id", "the credential has no IRI id%s", "");
}

/* What is added at sealing, and what only the top level may hold. */
static void sealing(ck *k, const json_t *cred)
{
    const json_t *issuer = json_object_get(cred, "issuer");
    if (!json_is_object(issuer))
        return;  /* reported by the minCount rule, or the schema */
    if (!k->sealed)
        return;
    if (!json_object_get(cred, "issued"))
        err(k, NULL, "edc3-shacl-min", "a sealed credential without issued (EDC-generic-no-cv: "
            "sh:minCount 1)%s", "");
    if (!cc_edc3_count(json_object_get(issuer, "eIDASIdentifier")))
        err(k, "issuer", "edc3-shacl-min", "the issuer of a sealed credential without "
            "eIDASIdentifier (IssuerNodeShape: eidasLegalIdentifier, exactly 1)%s", "");
}

static void subject_check(ck *k, const json_t *cred)
{
    const json_t *s = cc_edc3_item(json_object_get(cred, "credentialSubject"), 0);
    if (json_is_object(s) && cc_edc3_has_type(s, "Person") &&
        !cc_edc3_count(json_object_get(s, "hasClaim")))
        err(k, "credentialSubject", "edc3-shacl-min", "Person without hasClaim "
            "(EDC-generic-no-cv: sh:minCount 1)%s", "");
}

int cc_edc3_check(const json_t *cred, edc3_form form, bool sealed, const cc_diag_sink *diag,
                  const char *file, long line, const char *rec)
{
    ck k = {.diag = diag, .file = file, .rec = rec, .line = line, .sealed = sealed};
    if (!json_is_object(cred)) {
        err(&k, NULL, "edc3-type", "a credential is a JSON object%s", "");
        return k.errors;
    }
    form_check(&k, cred, form);
    sealing(&k, cred);
    subject_check(&k, cred);
    walk(&k, cred);
    return k.errors;
}

/* ------------------------------------------------------------ JSON-LD terms */

#define UNDEFINED "urn:UNDEFINEDTERM#"
#define ISSUER_DEPENDENT "https://www.w3.org/ns/credentials/issuer-dependent#"
#define RDF_TYPE "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

static const char *caught(const char *iri)
{
    static const char *const vocabs[] = {UNDEFINED, ISSUER_DEPENDENT};
    for (int i = 0; iri && i < 2; i++)
        if (!strncmp(iri, vocabs[i], strlen(vocabs[i])))
            return iri + strlen(vocabs[i]);
    return NULL;
}

/* The undefined terms (properties, and types given with rdf:type) of the dataset, as one
 * comma-separated list in out; their number. */
static size_t undefined_terms(const cc_rdf_dataset *ds, char *out, size_t cap)
{
    json_t *seen = json_object();
    for (size_t i = 0; i < cc_rdf_count(ds); i++) {
        const cc_rdf_quad *q = cc_rdf_get(ds, i);
        const char *p = caught(q->p.value);
        const char *t = !strcmp(q->p.value, RDF_TYPE) && q->o.kind == CC_RDF_IRI
                            ? caught(q->o.value) : NULL;
        if (p)
            json_object_set_new(seen, p, json_true());
        if (t)
            json_object_set_new(seen, t, json_true());
    }
    size_t used = 0, n = 0;
    const char *term;
    json_t *v;
    out[0] = '\0';
    json_object_foreach(seen, term, v) {
        if (n++ < 10 && used < cap)
            used += (size_t)snprintf(out + used, cap - used, "%s'%.60s'", used ? ", " : "", term);
    }
    json_decref(seen);
    return n;
}

/* As the 1EdTech validator does for Open Badges: a first context whose @vocab catches what
 * no later context defines (a term JSON-LD would otherwise drop without a trace). */
int cc_edc3_check_terms(const json_t *cred, cc_jsonld_cache *contexts, const cc_diag_sink *diag,
                        const char *file, long line, const char *rec)
{
    const cc_fetch_opts *fetch = contexts->fetch;
    if (!fetch || (!fetch->network && !fetch->nmaps)) {
        cc_diagf(diag, CC_NOTE, file, line, 0, rec, "edc3-jsonld-not-checked", "JSON-LD terms "
                 "not checked: the contexts are read only with --map-url or --fetch");
        return 0;
    }
    json_t *probe = json_copy((json_t *)cred), *own = json_object_get(cred, "@context");
    json_t *ctx = json_pack("[{s:s}]", "@vocab", UNDEFINED);
    if (json_is_array(own))
        json_array_extend(ctx, own);
    else if (own)
        json_array_append(ctx, own);
    json_object_set_new(probe, "@context", ctx);
    cc_rdf_dataset *ds = cc_rdf_new();
    char msg[768] = "";
    int errors = 0;
    if (cc_jsonld_to_rdf(probe, cc_jsonld_cache_load, contexts, ds, msg, sizeof msg) != 0) {
        bool unavailable = strstr(msg, "loading remote context failed") != NULL;
        cc_diagp(diag, unavailable ? CC_WARNING : CC_ERROR, file, line, "/@context", rec,
                 unavailable ? "edc3-jsonld-not-checked" : "edc3-jsonld", "JSON-LD: %s", msg);
        errors = !unavailable;
    } else {
        size_t n = undefined_terms(ds, msg, sizeof msg);
        if (n) {
            cc_diagp(diag, CC_ERROR, file, line, "", rec, "edc3-jsonld-undefined",
                     "defined by none of the credential's contexts, so JSON-LD drops %s: %s%s",
                     n > 1 ? "them" : "it", msg, n > 10 ? " and more" : "");
            errors = 1;
        }
    }
    cc_rdf_free(ds);
    json_decref(probe);
    return errors;
}

/* ------------------------------------------------------------ --schema */

/* The base of a URI for a relative reference: everything up to its last '/'. */
static void resolve(const char *base, const char *ref, char *out, size_t cap)
{
    const char *slash = strrchr(base, '/');
    size_t n = slash ? (size_t)(slash - base + 1) : 0;
    if (!strncmp(ref, "./", 2))
        ref += 2;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, base, n);
    out[n] = '\0';
    size_t m = strlen(ref);
    if (m > cap - n - 1)
        m = cap - n - 1;
    memcpy(out + n, ref, m);
    out[n + m] = '\0';
}

/* A $ref to a document beside the schema: relative, no scheme, no way up or out. */
static bool local_ref(const char *r)
{
    return r && r[0] != '#' && r[0] != '/' && !strstr(r, "://") && !strstr(r, "..") &&
           !strchr(r, ':');
}

static int add_refs(cc_schema_set *set, const json_t *v, const char *base, const char *dir,
                    json_t *done, int depth, char *e, size_t elen)
{
    if (depth > 64)
        return 0;
    const char *key;
    const json_t *x;
    size_t i;
    json_array_foreach((json_t *)v, i, x)
        if (add_refs(set, x, base, dir, done, depth + 1, e, elen))
            return -1;
    json_object_foreach((json_t *)v, key, x) {
        const char *r = !strcmp(key, "$ref") ? json_string_value(x) : NULL;
        if (!local_ref(r)) {
            if (add_refs(set, x, base, dir, done, depth + 1, e, elen))
                return -1;
            continue;
        }
        char file[PATH_MAX], uri[2048], why[512];
        size_t n = strcspn(r, "#");
        snprintf(file, sizeof file, "%s/%.*s", dir, (int)n, r);
        snprintf(uri, sizeof uri, "%.*s", (int)n, r);
        char abs[2048];
        resolve(base, uri, abs, sizeof abs);
        if (json_object_get(done, abs))
            continue;
        json_object_set_new(done, abs, json_true());
        if (cc_schema_set_add_file(set, file, abs, why, sizeof why) != 0) {
            snprintf(e, elen, "its $ref %.200s: %.250s", r, why);
            return -1;
        }
    }
    return 0;
}

void cc_edc3_schema_free(edc3_schema *s)
{
    if (s)
        cc_schema_set_free(s->set);
    free(s);
}

edc3_schema *cc_edc3_schema_load(const char *path, const cc_diag_sink *diag)
{
    json_error_t je;
    json_t *doc = cc_json_load_file(path, 0, &je);
    cc_schema_set *set = doc ? cc_schema_set_new() : NULL;
    char e[512] = "", dir[PATH_MAX], base[2048];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    const char *id = json_string_value(json_object_get(doc, "$id"));
    snprintf(base, sizeof base, "%s", id ? id : "urn:credconv:edc3-schema");
    json_t *done = json_object();
    bool ok = set && cc_schema_set_add(set, doc, base, e, sizeof e) == 0 &&
              add_refs(set, doc, base, dir, done, 0, e, sizeof e) == 0;
    json_decref(done);
    json_decref(doc);
    edc3_schema *out = ok ? calloc(1, sizeof *out) : NULL;
    if (out) {
        out->set = set;
        snprintf(out->uri, sizeof out->uri, "%s", base);
        return out;
    }
    cc_diagf(diag, CC_ERROR, path, 0, 0, NULL, "schema-load", "cannot load the schema%s%s",
             doc || !je.text[0] ? (e[0] ? ": " : " or a document it refers to beside it") : ": ",
             doc || !je.text[0] ? e : je.text);
    cc_schema_set_free(set);
    return NULL;
}

typedef struct sv {
    const cc_diag_sink *diag;
    const char *file, *rec;
    long line;
    int n;
} sv;

static void on_schema_error(void *ud, const char *instance, const char *keyword, const char *msg)
{
    sv *s = ud;
    (void)keyword;
    cc_diagp(s->diag, CC_ERROR, s->file, s->line, instance, s->rec, "edc3-schema", "%s", msg);
    s->n++;
}

int cc_edc3_schema_check(edc3_schema *schema, const json_t *cred, const cc_diag_sink *diag,
                         const char *file, long line, const char *rec)
{
    sv s = {.diag = diag, .file = file, .rec = rec, .line = line};
    int rc = cc_schema_validate(schema->set, schema->uri, cred, CC_SCHEMA_FORMAT_ASSERT,
                                on_schema_error, &s);
    if (rc < 0)
        return s.n ? s.n : -1;
    return s.n ? s.n : rc;
}
