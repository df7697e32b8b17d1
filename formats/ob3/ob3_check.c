/* The OB 3.0 verification steps that a JSON Schema cannot express (docs/references.md ob §3.1,
 * §3.8): the @context order, the credential types, a subject with id or identifier, the
 * validity period against the current time, and the classes the 1EdTech validator's
 * probes check by type (issuer Profile, IdentityObject, Evidence, IdentifierEntry…).
 * Run by `credconv validate -f ob3` after the schema. */
#include "cc_jsonread.h"
#include "jsonschema.h"
#include "ob3.h"

#include <string.h>
#include <time.h>

typedef struct chk {
    const cc_diag_sink *diag;
    const char *file, *rec;
    long line;
    int errors;
    time_t now;
} chk;

static void say(chk *c, cc_severity sev, const char *rule, const char *ptr, const char *msg)
{
    cc_diagp(c->diag, sev, c->file, c->line, ptr, c->rec, rule, "%s", msg);
    if (sev == CC_ERROR)
        c->errors++;
}

/* By position, as the 1EdTech validator does: the exact URI passes, an alias or another
 * version warns, anything else is an error. */
static void check_context(chk *c, const json_t *ctx)
{
    const char *vc = cc_json_nth_str(ctx, 0), *ob = cc_json_nth_str(ctx, 1);
    if (!vc || strcmp(vc, "https://www.w3.org/ns/credentials/v2") != 0) {
        bool v11 = vc && strcmp(vc, "https://www.w3.org/2018/credentials/v1") == 0;
        say(c, v11 ? CC_WARNING : CC_ERROR, "ob3-context", "/@context/0",
            v11 ? "a VC Data Model 1.1 context: read as such, not an OB 3.0 credential of VC 2.0"
                : "the first @context must be https://www.w3.org/ns/credentials/v2");
    }
    if (ob && strcmp(ob, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json") == 0)
        return;
    if (cc_matches(ob, "^https://purl\\.imsglobal\\.org/spec/ob/v3p0/context(-[0-9]+\\.[0-9]+\\.[0-9]+)*\\.json$") ||
        (ob && strcmp(ob, "https://purl.imsglobal.org/spec/ob/v3p0/context/ob_v3p0.jsonld") == 0))
        say(c, CC_WARNING, "ob3-context-version", "/@context/1",
            "an alias or another version of the OB 3.0 context (3.0.3 is current)");
    else
        say(c, CC_ERROR, "ob3-context", "/@context/1",
            "the second @context must be the OB 3.0 context");
}

static void check_type(chk *c, const json_t *types, const char *ptr, const char *want,
                       const char *rule)
{
    if (!cc_json_has_str(types, want)) {
        char msg[160];
        snprintf(msg, sizeof msg, "type must contain %s", want);
        say(c, CC_ERROR, rule, ptr, msg);
    }
}

/* Each object of a one-or-many property must carry its class in `type`. */
static void check_each(chk *c, const json_t *v, const char *ptr, const char *want,
                       const char *rule)
{
    char p[256];
    for (size_t i = 0; i < (json_is_array(v) ? json_array_size(v) : v ? 1 : 0); i++) {
        const json_t *x = json_is_array(v) ? json_array_get(v, i) : v;
        if (!json_is_object(x))
            continue;
        snprintf(p, sizeof p, json_is_array(v) ? "%s/%zu/type" : "%s/type", ptr, i);
        check_type(c, json_object_get(x, "type"), p, want, rule);
    }
}

static void check_dates(chk *c, const json_t *doc)
{
    const char *from = json_string_value(json_object_get(doc, "validFrom"));
    const char *until = json_string_value(json_object_get(doc, "validUntil"));
    if (!from)
        from = json_string_value(json_object_get(doc, "issuanceDate"));
    if (!until)
        until = json_string_value(json_object_get(doc, "expirationDate"));
    long long f, u;
    if (from && cc_iso_to_epoch(from, &f) && f > c->now)
        say(c, CC_ERROR, "ob3-not-yet-valid", "/validFrom", "the credential is not valid yet");
    if (until && cc_iso_to_epoch(until, &u) && u < c->now)
        say(c, CC_ERROR, "ob3-expired", "/validUntil", "the credential has expired");
}

static void check_issuer(chk *c, const json_t *issuer)
{
    if (!json_is_object(issuer)) {
        if (issuer)
            say(c, CC_ERROR, "ob3-issuer-profile", "/issuer",
                "the issuer must be embedded as a Profile (an IRI alone is not accepted)");
        return;
    }
    check_type(c, json_object_get(issuer, "type"), "/issuer/type", "Profile",
               "ob3-issuer-profile");
    check_each(c, json_object_get(issuer, "otherIdentifier"), "/issuer/otherIdentifier",
               "IdentifierEntry", "ob3-issuer-profile");
    check_each(c, json_object_get(issuer, "parentOrg"), "/issuer/parentOrg", "Profile",
               "ob3-issuer-profile");
}

static void check_subject(chk *c, const json_t *s, bool achievement_credential)
{
    if (!json_is_object(s))
        return;  /* the schema says so */
    if (achievement_credential) {
        check_type(c, json_object_get(s, "type"), "/credentialSubject/type",
                   "AchievementSubject", "ob3-subject");
        const json_t *ids = json_object_get(s, "identifier");
        if (!json_object_get(s, "id") && !(json_is_array(ids) ? json_array_size(ids) : ids != NULL))
            say(c, CC_ERROR, "ob3-subject-id", "/credentialSubject",
                "the subject needs an id or at least one identifier");
    }
    check_each(c, json_object_get(s, "identifier"), "/credentialSubject/identifier",
               "IdentityObject", "ob3-subject");
    check_each(c, json_object_get(s, "result"), "/credentialSubject/result", "Result",
               "ob3-subject");
    check_each(c, json_object_get(s, "source"), "/credentialSubject/source", "Profile",
               "ob3-subject");
    const json_t *a = json_object_get(s, "achievement");
    check_each(c, json_object_get(a, "resultDescription"),
               "/credentialSubject/achievement/resultDescription", "ResultDescription",
               "ob3-subject");
}

int cc_ob3_check(const json_t *doc, const cc_diag_sink *diag, const char *file, long line,
                 const char *rec)
{
    chk c = {.diag = diag, .file = file, .rec = rec, .line = line, .now = time(NULL)};
    const json_t *types = json_object_get(doc, "type");
    if (cc_json_has_str(types, "Achievement") && !cc_json_has_str(types, "VerifiableCredential"))
        return 0;  /* a bare Achievement: the schema is all there is */
    check_context(&c, json_object_get(doc, "@context"));
    check_type(&c, types, "/type", "VerifiableCredential", "ob3-type");
    bool endorsement = cc_json_has_str(types, "EndorsementCredential");
    if (!endorsement && !cc_json_has_str(types, "OpenBadgeCredential") && !cc_json_has_str(types, "AchievementCredential"))
        say(&c, CC_ERROR, "ob3-type", "/type",
            "type must contain OpenBadgeCredential (or AchievementCredential)");
    check_dates(&c, doc);
    check_issuer(&c, json_object_get(doc, "issuer"));
    check_subject(&c, json_object_get(doc, "credentialSubject"), !endorsement);
    check_each(&c, json_object_get(doc, "evidence"), "/evidence", "Evidence", "ob3-evidence");
    return c.errors;
}

/* ------------------------------------------------------------ what the writer checks */

typedef struct schema_errs {
    const cc_diag_sink *diag;
    const char *rec;
    int n;
} schema_errs;

static void on_schema_error(void *ud, const char *instance, const char *keyword, const char *msg)
{
    schema_errs *e = ud;
    (void)keyword;
    cc_diagp(e->diag, CC_ERROR, NULL, 0, instance, e->rec, "ob3-schema", "%s", msg);
    e->n++;
}

void cc_ob3_schema_uri(const json_t *doc, char *uri, size_t cap)
{
    const json_t *t = json_object_get(doc, "type");
    const char *def = cc_json_has_str(t, "EndorsementCredential") ? "#/$defs/EndorsementCredential"
                      : cc_json_has_str(t, "Achievement") && !cc_json_has_str(t, "VerifiableCredential")
                          ? "#/$defs/Achievement" : "";
    snprintf(uri, cap, OB3_SCHEMA_URI "%s", def);
}

int cc_ob3_check_written(struct cc_schema_set *set, const json_t *doc, const cc_diag_sink *diag,
                         const char *rec)
{
    char uri[128];
    cc_ob3_schema_uri(doc, uri, sizeof uri);
    schema_errs e = {.diag = diag, .rec = rec};
    if (cc_schema_validate(set, uri, doc, CC_SCHEMA_FORMAT_ASSERT, on_schema_error, &e) < 0)
        return -1;
    return e.n + cc_ob3_check(doc, diag, NULL, 0, rec);
}
