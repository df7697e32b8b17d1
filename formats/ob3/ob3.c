/* Format "ob3": Open Badges 3.0 (OpenBadgeCredential / AchievementCredential, and bare
 * Achievement documents), one JSON document per line.  This file holds the descriptor and
 * the vocabulary tables the reader and the writer share, so both directions map alike. */
#include "cc_jsonread.h"
#include "ob3.h"

#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof a / sizeof a[0])

/* ------------------------------------------------------------ achievementType */

/* The model's kinds and the closest AchievementType (docs/references.md ob §3.3).  An RNCP/RS
 * certification is "Certificate" (knowledge and skills of an occupation, held for life),
 * not "Certification" (time-limited and renewable); a skills block is a "Competency". */
static const struct {
    const char *kind, *type;
} kinds[] = {
    {.kind = "certification", .type = "Certificate"}, {.kind = "skills-block", .type = "Competency"},
    {.kind = "course", .type = "Course"},             {.kind = "badge", .type = "Badge"},
    {.kind = "micro-credential", .type = "MicroCredential"},
};

static const char *const achievement_types[] = {
    "Achievement", "ApprenticeshipCertificate", "Assessment", "Assignment", "AssociateDegree",
    "Award", "Badge", "BachelorDegree", "Certificate", "CertificateOfCompletion",
    "Certification", "CommunityService", "Competency", "Course", "CoCurricular", "Degree",
    "Diploma", "DoctoralDegree", "Fieldwork", "GeneralEducationDevelopment",
    "JourneymanCertificate", "LearningProgram", "License", "Membership",
    "ProfessionalDoctorate", "QualityAssuranceCredential", "MasterCertificate", "MasterDegree",
    "MicroCredential", "ResearchDoctorate", "SecondarySchoolDiploma",
};

static bool in_list(const char *s, const char *const *l, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(s, l[i]) == 0)
            return true;
    return false;
}

/* An enumeration member as is; a kind of our own as "ext:<kind>" (the extensible form),
 * with the characters the schema pattern does not allow replaced by '-'. */
const char *cc_ob3_kind_to_type(cc_arena *a, const char *kind)
{
    for (size_t i = 0; i < N(kinds); i++)
        if (strcmp(kind, kinds[i].kind) == 0)
            return kinds[i].type;
    if (in_list(kind, achievement_types, N(achievement_types)) || strncmp(kind, "ext:", 4) == 0)
        return kind;
    char *t = cc_sprintf(a, "ext:%s", kind);
    for (char *p = t + 4; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", *p))
            *p = '-';
    return t;
}

const char *cc_ob3_type_to_kind(cc_arena *a, const char *type)
{
    for (size_t i = 0; i < N(kinds); i++)
        if (strcmp(type, kinds[i].type) == 0)
            return kinds[i].kind;
    if (strncmp(type, "ext:", 4) == 0 && type[4])
        return cc_strdup(a, type + 4);
    return cc_strdup(a, type);
}

/* ------------------------------------------------------------ frameworks */

/* targetUrl patterns (docs/mapping.md explains the choice of each).  "rncp" and "rs"
 * name the fiche a block belongs to; "eqf" is the model's eqfLevel. */
static const ob3_framework frameworks[] = {
    {.scheme = "eqf", .name = "European Qualifications Framework", .url_prefix = OB3_EQF_URL, .url_suffix = ""},
    {.scheme = "rome", .name = "ROME (Répertoire opérationnel des métiers et des emplois)",
     .url_prefix = "https://candidat.francetravail.fr/metierscope/fiche-metier/", .url_suffix = ""},
    {.scheme = "nsf", .name = "NSF (Nomenclature des spécialités de formation)",
     .url_prefix = "https://www.insee.fr/fr/information/2406153#nsf-", .url_suffix = ""},
    {.scheme = "formacode", .name = "Formacode", .url_prefix = "https://centre-inffo.fr/centre-inffo/le-formacode#formacode-", .url_suffix = ""},
    {.scheme = "rncp", .name = "RNCP (Répertoire national des certifications professionnelles)",
     .url_prefix = "https://www.francecompetences.fr/recherche/rncp/", .url_suffix = "/", .digits = true},
    {.scheme = "rs", .name = "RS (Répertoire spécifique)", .url_prefix = "https://www.francecompetences.fr/recherche/rs/", .url_suffix = "/",
     .digits = true},
};

const ob3_framework *cc_ob3_framework_by_scheme(const char *scheme)
{
    for (size_t i = 0; scheme && i < N(frameworks); i++)
        if (strcmp(scheme, frameworks[i].scheme) == 0)
            return &frameworks[i];
    return NULL;
}

const ob3_framework *cc_ob3_framework_by_name(const char *name)
{
    for (size_t i = 0; name && i < N(frameworks); i++)
        if (strcmp(name, frameworks[i].name) == 0)
            return &frameworks[i];
    return NULL;
}

char *cc_ob3_framework_url(cc_arena *a, const ob3_framework *f, const char *code)
{
    if (!f || !f->url_prefix || !code)
        return NULL;
    if (!f->digits)
        return cc_sprintf(a, "%s%s%s", f->url_prefix, code, f->url_suffix);
    size_t skip = strcspn(code, "0123456789");
    return cc_sprintf(a, "%s%s%s", f->url_prefix, code + skip, f->url_suffix);
}

/* ------------------------------------------------------------ identifier types */

static const char *const identifier_types[] = {
    "name", "sourcedId", "systemId", "productId", "userName", "accountId", "emailAddress",
    "nationalIdentityNumber", "isbn", "issn", "lisSourcedId", "oneRosterSourcedId",
    "sisSourcedId", "ltiContextId", "ltiDeploymentId", "ltiToolId", "ltiPlatformId",
    "ltiUserId", "identifier",
};

bool cc_ob3_is_identifier_type(const char *t)
{
    return in_list(t, identifier_types, N(identifier_types));
}

/* identityType is an extensible enumeration: any other type (EDC's "Student Card", the
 * pre-release "email") is an "ext:" value, the schema's pattern for extensions.  The
 * reader applies it too, so a round trip does not change the model. */
const char *cc_ob3_identity_type(cc_arena *a, const char *type)
{
    if (!type)
        return "identifier";
    if (cc_ob3_is_identifier_type(type) || strncmp(type, "ext:", 4) == 0)
        return type;
    char *t = cc_sprintf(a, "ext:%s", type);
    for (char *c = t + 4; *c; c++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_", *c))
            *c = '_';
    return t;
}

/* ------------------------------------------------------------ extension bag */

static bool parses_as_json(const char *s)
{
    json_t *j = cc_json_loads(s, JSON_DECODE_ANY, NULL);
    json_decref(j);
    return j != NULL;
}

/* The value is kept in its write shape (arrays for multi-valued properties), so what the
 * writer puts out reads back to the same entry. */
void cc_ob3_ext_keep(cc_arena *a, cc_list *ext, const char *prop, const json_t *v)
{
    const char *name = cc_sprintf(a, "ob3:%s", prop);
    if (json_is_boolean(v)) {
        cc_ext_add(a, ext, name, json_is_true(v) ? "true" : "false")->is_bool = true;
        return;
    }
    json_t *shaped = cc_ob3_shape(prop, json_deep_copy(v));
    if (json_is_string(shaped) && !parses_as_json(json_string_value(shaped))) {
        cc_ext_add(a, ext, name,
                   cc_strndup(a, json_string_value(shaped), json_string_length(shaped)));
    } else {
        char *text = json_dumps(shaped, JSON_COMPACT | JSON_ENCODE_ANY);
        cc_ext_add(a, ext, name, cc_strdup(a, text ? text : "null"));
        free(text);
    }
    json_decref(shaped);
}

const cc_ext *cc_ob3_ext_find(const cc_list *ext, const char *prop)
{
    for (const cc_ext *e = ext->head; e; e = e->next)
        if (strncmp(e->name, "ob3:", 4) == 0 && strcmp(e->name + 4, prop) == 0)
            return e;
    return NULL;
}

json_t *cc_ob3_ext_json(const cc_ext *e)
{
    if (e->is_bool)
        return json_boolean(e->value && strcmp(e->value, "true") == 0);
    if (!e->value)
        return json_null();
    json_t *j = cc_json_loads(e->value, JSON_DECODE_ANY, NULL);
    return j ? j : json_string(e->value);
}

/* ------------------------------------------------------------ write shape */

static const char *const multi_valued[] = {
    "proof", "evidence", "alignment", "credentialSchema", "endorsement", "endorsementJwt",
    "otherIdentifier", "result", "resultDescription", "rubricCriterionLevel", "related", "tag",
    "termsOfUse", "allowedValue",
};
static const char *const array_typed[] = {
    "AchievementSubject", "Achievement", "Profile", "Address", "Alignment", "Evidence",
    "Result", "ResultDescription", "RubricCriterionLevel", "Related", "EndorsementSubject",
};

static bool needs_array(const char *key, const json_t *v)
{
    if (strcmp(key, "type") == 0)
        return json_is_string(v) && in_list(json_string_value(v), array_typed, N(array_typed));
    /* Result.resultDescription is a single IRI; Achievement's is a list of objects */
    if (strcmp(key, "resultDescription") == 0 && json_is_string(v))
        return false;
    return in_list(key, multi_valued, N(multi_valued)) && !json_is_array(v);
}

json_t *cc_ob3_shape(const char *key, json_t *v)
{
    if (key && needs_array(key, v)) {
        json_t *a = json_array();
        json_array_append_new(a, v);
        v = a;
    }
    size_t i;
    const char *k;
    json_t *e;
    json_array_foreach(v, i, e)
        json_array_set_new(v, i, cc_ob3_shape(NULL, json_incref(e)));
    json_object_foreach(v, k, e)  /* replacing a member keeps the iteration valid */
        json_object_set_new(v, k, cc_ob3_shape(k, json_incref(e)));
    return v;
}

/* ------------------------------------------------------------ descriptor */

static int ob3_bid(const unsigned char *buf, size_t len)
{
    size_t i = 0;
    while (i < len && strchr(" \t\r\n[", buf[i]))
        i++;
    if (i >= len || buf[i] != '{')
        return 0;
    /* A CLR holds OB 3.0 credentials (and their context): the clr bid (92, 95) outbids
     * these, so the registry gives it to the CLR reader without this bid knowing CLR. */
#define HAS(s) (memmem(buf, len, s, sizeof s - 1) != NULL)
    if (HAS(OB3_CTX_OB_PREFIX))
        return 90;
    if (HAS("\"OpenBadgeCredential\"") || HAS("\"AchievementCredential\"") ||
        HAS("\"Achievement\""))
        return 70;
#undef HAS
    return 0;
}

const cc_format cc_format_ob3 = {
    .name = "ob3",
    .description = "Open Badges 3.0 JSON-LD: OpenBadgeCredential or Achievement, one per line",
    .extension = "json",
    .caps = CC_CAP_READ | CC_CAP_WRITE | CC_CAP_VALIDATE | CC_CAP_LINES | CC_CAP_STATUS,
    .sigs = CC_SIG_VCJWT | CC_SIG_DI,
    .bid = ob3_bid,
    .read = cc_ob3_read,
    .writer_open = cc_ob3_writer_open,
    .writer_record = cc_ob3_writer_record,
    .writer_close = cc_ob3_writer_close,
};
