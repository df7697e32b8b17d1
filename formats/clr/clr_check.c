/* The CLR 2.0 checks a JSON Schema cannot express (ob §4, docs/references.md): the @context
 * positions, the types, the subject's id or identifier, associations between achievements
 * the record holds, and the validity period.  Run by `validate -f clr` after the schema, and
 * by the writer on each CLR it writes.  The nested credentials are checked as OB 3.0 by the
 * ob3 reader (clr_read.c). */
#include "cc_jsonread.h"
#include "clr/clr.h"
#include "jsonschema.h"

#include <string.h>
#include <time.h>

typedef struct chk {
    const cc_diag_sink *diag;
    const char *file, *rec;
    long line;
    int errors;
} chk;

static void say(chk *c, cc_severity sev, const char *rule, const char *ptr, const char *msg)
{
    cc_diagp(c->diag, sev, c->file, c->line, ptr, c->rec, rule, "%s", msg);
    if (sev == CC_ERROR)
        c->errors++;
}

/* As the 1EdTech validator reads it: VC, then CLR, then OB 3.0; the current versions pass,
 * an older CLR or OB context warns. */
static void check_context(chk *c, const json_t *ctx)
{
    const char *vc = cc_json_nth_str(ctx, 0), *clr = cc_json_nth_str(ctx, 1), *ob = cc_json_nth_str(ctx, 2);
    if (!vc || strcmp(vc, CLR_CTX_VC2) != 0) {
        bool v11 = vc && strcmp(vc, "https://www.w3.org/2018/credentials/v1") == 0;
        say(c, v11 ? CC_WARNING : CC_ERROR, "clr-context", "/@context/0",
            v11 ? "a VC Data Model 1.1 context: read as such, not a CLR 2.0 credential of VC 2.0"
                : "the first @context must be https://www.w3.org/ns/credentials/v2");
    }
    if (!cc_matches(clr, "^https://purl\\.imsglobal\\.org/spec/clr/v2p0/context(-2\\.[0-9]\\.[0-9])*\\.json$"))
        say(c, CC_ERROR, "clr-context", "/@context/1", "the second @context must be the CLR 2.0 context");
    else if (strcmp(clr, CLR_CTX) != 0)
        say(c, CC_WARNING, "clr-context-version", "/@context/1",
            "another version of the CLR 2.0 context (2.0.1 is current)");
    if (!cc_matches(ob, "^https://purl\\.imsglobal\\.org/spec/ob/v3p0/context(-3\\.[0-9]\\.[0-9])*\\.json$"))
        say(c, CC_ERROR, "clr-context", "/@context/2", "the third @context must be the OB 3.0 context");
}

static bool is_award(const json_t *vc)
{
    const json_t *t = json_object_get(vc, "type");
    return cc_json_has_str(t, "AchievementCredential") || cc_json_has_str(t, "OpenBadgeCredential");
}

const json_t *cc_clr_nested(const json_t *doc)
{
    const json_t *s = json_object_get(doc, "credentialSubject");
    return json_object_get(s, "verifiableCredential");
}

static bool id_is(const json_t *obj, const char *id)
{
    const char *v = json_string_value(json_object_get(obj, "id"));
    return v && strcmp(v, id) == 0;
}

/* Every association joins two achievements of the record (its own list, or those of its
 * nested credentials). */
static bool known_id(const json_t *doc, const char *id)
{
    const json_t *list = json_object_get(json_object_get(doc, "credentialSubject"), "achievement");
    const json_t *vcs = cc_clr_nested(doc), *x;
    size_t i;
    if (id_is(list, id))
        return true;
    json_array_foreach(list, i, x)
        if (id_is(x, id))
            return true;
    if (id_is(json_object_get(json_object_get(vcs, "credentialSubject"), "achievement"), id))
        return true;
    json_array_foreach(vcs, i, x)
        if (id_is(json_object_get(json_object_get(x, "credentialSubject"), "achievement"), id))
            return true;
    return false;
}

static void check_associations(chk *c, const json_t *doc)
{
    const json_t *list = json_object_get(json_object_get(doc, "credentialSubject"), "association"), *x;
    size_t i;
    char ptr[96];
    json_array_foreach(list, i, x) {
        static const char *const ends[] = {"sourceId", "targetId"};
        for (int e = 0; e < 2; e++) {
            const char *id = json_string_value(json_object_get(x, ends[e]));
            if (!id || known_id(doc, id))
                continue;
            snprintf(ptr, sizeof ptr, "/credentialSubject/association/%zu/%s", i, ends[e]);
            say(c, CC_WARNING, "clr-association-unknown", ptr,
                "names no achievement of this record (its own or its credentials')");
        }
    }
}

/* A CLR is about one learner: id or identifier, unless it holds no award at all (what the
 * writer makes of a fiche alone, the certification's structure). */
static void check_subject(chk *c, const json_t *doc)
{
    const json_t *s = json_object_get(doc, "credentialSubject"), *vcs = cc_clr_nested(doc), *x;
    if (!json_is_object(s))
        return;
    if (!cc_json_has_str(json_object_get(s, "type"), "ClrSubject"))
        say(c, CC_ERROR, "clr-subject", "/credentialSubject/type", "type must contain ClrSubject");
    if (json_object_get(s, "id") || json_object_get(s, "identifier"))
        return;
    bool awards = is_award(vcs);
    size_t i;
    json_array_foreach(vcs, i, x)
        awards |= is_award(x);
    say(c, awards ? CC_ERROR : CC_NOTE, awards ? "clr-subject" : "clr-no-learner", "/credentialSubject",
        awards ? "the learner has neither id nor identifier"
               : "a record of no learner: it lists achievements and awards none");
}

static void check_dates(chk *c, const json_t *doc)
{
    long long t, now = (long long)time(NULL);
    const char *from = json_string_value(json_object_get(doc, "validFrom"));
    const char *until = json_string_value(json_object_get(doc, "validUntil"));
    if (from && cc_iso_to_epoch(from, &t) && t > now)
        say(c, CC_ERROR, "clr-not-yet-valid", "/validFrom", "the record is not valid yet");
    if (until && cc_iso_to_epoch(until, &t) && t < now)
        say(c, CC_ERROR, "clr-expired", "/validUntil", "the record has expired");
}

int cc_clr_check(const json_t *doc, const cc_diag_sink *diag, const char *file, long line,
                 const char *rec)
{
    chk c = {.diag = diag, .file = file, .rec = rec, .line = line};
    if (!json_is_object(doc)) {
        say(&c, CC_ERROR, "clr-type", "", "a CLR is a JSON object");
        return c.errors;
    }
    check_context(&c, json_object_get(doc, "@context"));
    const json_t *t = json_object_get(doc, "type");
    if (!cc_json_has_str(t, "VerifiableCredential") || !cc_json_has_str(t, "ClrCredential"))
        say(&c, CC_ERROR, "clr-type", "/type", "type must contain VerifiableCredential and ClrCredential");
    const json_t *issuer = json_object_get(doc, "issuer");
    if (!json_is_object(issuer) || !cc_json_has_str(json_object_get(issuer, "type"), "Profile"))
        say(&c, CC_ERROR, "clr-issuer-profile", "/issuer",
            "the issuer must be embedded as an object whose type contains Profile");
    check_subject(&c, doc);
    check_associations(&c, doc);
    check_dates(&c, doc);
    return c.errors;
}

/* ------------------------------------------------------------ VC 1.1 */

static json_t *one_as_vc2(json_t *copy)
{
    json_t *ctx = json_object_get(copy, "@context");
    const char *first = json_string_value(json_is_array(ctx) ? json_array_get(ctx, 0) : ctx);
    if (!first || strcmp(first, "https://www.w3.org/2018/credentials/v1") != 0)
        return copy;
    json_array_set_new(ctx, 0, json_string(CLR_CTX_VC2));
    static const char *const renames[][2] = {{"issuanceDate", "validFrom"},
                                             {"expirationDate", "validUntil"}};
    for (size_t i = 0; i < 2; i++) {
        json_t *v = json_object_get(copy, renames[i][0]);
        if (v && !json_object_get(copy, renames[i][1])) {
            json_object_set(copy, renames[i][1], v);
            json_object_del(copy, renames[i][0]);
        }
    }
    return copy;
}

json_t *cc_clr_as_vc2(const json_t *doc)
{
    json_t *copy = one_as_vc2(json_deep_copy(doc));
    json_t *vcs = (json_t *)cc_clr_nested(copy), *x;
    size_t i;
    json_array_foreach(vcs, i, x)
        one_as_vc2(x);
    if (json_is_object(vcs))
        one_as_vc2(vcs);
    return copy;
}

/* ------------------------------------------------------------ the writer's check */

typedef struct schema_errs {
    const cc_diag_sink *diag;
    const char *rec;
    int n;
} schema_errs;

static void on_schema_error(void *ud, const char *instance, const char *keyword, const char *msg)
{
    schema_errs *e = ud;
    (void)keyword;
    cc_diagp(e->diag, CC_ERROR, NULL, 0, instance, e->rec, "clr-schema", "%s", msg);
    e->n++;
}

int cc_clr_check_written(struct cc_schema_set *set, const json_t *doc, const cc_diag_sink *diag,
                         const char *rec)
{
    schema_errs e = {.diag = diag, .rec = rec};
    if (cc_schema_validate(set, CLR_SCHEMA_URI, doc, CC_SCHEMA_FORMAT_ASSERT, on_schema_error, &e) < 0)
        return -1;
    return e.n + cc_clr_check(doc, diag, NULL, 0, rec);
}
