/* OB 2.0 checks: the official validator's list (docs/references.md ob §2.5), each a rule id.
 * Linked nodes are checked when ob2_resolve could fetch them; otherwise a note says what
 * was not checked, since nothing touches the network without --fetch. */
#include "cc_jsonread.h"
#include "ob2.h"
#include "cc_issue.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const issuer_types[] = {"Issuer", "Profile", NULL};
static const char *const known_terms[] = {
    "Assertion", "BadgeClass", "Issuer", "Profile", "AlignmentObject", "Criteria", "Evidence",
    "Image", "IdentityObject", "RevocationList", "CryptographicKey", "Endorsement", "Extension",
    "VerificationObject", "HostedBadge", "SignedBadge", "hosted", "signed", "FrameValidation",
    "TypeValidation", "email", "url", "telephone", "id", NULL,
};

typedef struct chk {
    ob2_doc *d;
    time_t now;
} chk;

/* IRI as the validator takes it: a scheme, or a blank-node id _:b<n>. */
static bool is_iri(const char *s)
{
    return cc_matches(s, "^[A-Za-z][A-Za-z0-9+.-]*:[^[:space:]]+$") || cc_matches(s, "^_:b[0-9]+$");
}

static bool is_http(const char *s)
{
    return s && (strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0);
}

/* ISO 8601 date-time with a time zone → time_t; false when not of that form. */
static bool parse_datetime(const char *s, time_t *out)
{
    if (!cc_matches(s, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?"
                    "(Z|[+-]([0-9]{2}:?[0-9]{2}|[0-9]{2}))$"))
        return false;
    struct tm tm = {0};
    int off_h = 0, off_m = 0;
    sscanf(s, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
           &tm.tm_min, &tm.tm_sec);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    const char *z = s + strlen(s);
    while (z > s && z[-1] != 'Z' && z[-1] != '+' && z[-1] != '-')
        z--;
    if (z[-1] != 'Z') {
        off_h = atoi(z);
        off_m = strlen(z) > 2 ? atoi(z + (z[2] == ':' ? 3 : 2)) : 0;
        if (z[-1] == '-')
            off_h = -off_h, off_m = -off_m;
    }
    *out = timegm(&tm) - off_h * 3600 - off_m * 60;
    return true;
}

static void need(chk *c, const json_t *node, const char *ptr, const char *cls, const char *const *props)
{
    for (const char *const *p = props; *p; p++)
        if (!json_object_get(node, *p))
            ob2_diag(c->d, CC_ERROR, ptr, "ob2-required", "%s needs \"%s\"", cls, *p);
}

static void check_iri(chk *c, const json_t *node, const char *key, const char *ptr)
{
    const json_t *v = json_object_get(node, key);
    if (v && !is_iri(json_string_value(v)))
        ob2_diag(c->d, CC_ERROR, ptr, "ob2-iri", "\"%s\" must be an IRI (http, https, urn:uuid…)", key);
}

/* Every type is a term of the OB 2.0 context or an IRI (docs/references.md ob §2.5 #3, RDF_TYPE). */
static void check_types(chk *c, const json_t *node, const char *ptr)
{
    const json_t *t = json_object_get(node, "type");
    size_t n = json_is_array(t) ? json_array_size(t) : t ? 1 : 0;
    if (!t || n == 0)
        ob2_diag(c->d, CC_ERROR, ptr, "ob2-type", "\"type\" is missing or empty");
    for (size_t i = 0; i < n; i++) {
        const char *s = json_string_value(json_is_array(t) ? json_array_get(t, i) : t);
        bool known = false;
        for (const char *const *k = known_terms; s && *k && !known; k++)
            known = strcmp(s, *k) == 0;
        if (!known && !(s && strchr(s, ':')))
            ob2_diag(c->d, CC_ERROR, ptr, "ob2-type", "type \"%s\" is neither an Open Badges "
                     "class nor an IRI", s ? s : "(not a string)");
    }
}

static time_t check_datetime(chk *c, const json_t *node, const char *key, const char *ptr)
{
    const char *s = json_string_value(json_object_get(node, key));
    time_t t = 0;
    if (json_object_get(node, key) && !parse_datetime(s, &t))
        ob2_diag(c->d, CC_ERROR, ptr, "ob2-datetime", "\"%s\" must be an ISO 8601 date-time "
                 "with a time zone, e.g. 2016-12-31T23:59:59Z", key);
    return t;
}

/* ------------------------------------------------------------ images */

static void check_data_uri(chk *c, const char *uri, const char *ptr)
{
    if (strncmp(uri, "data:image/png", 14) != 0 && strncmp(uri, "data:image/svg+xml", 18) != 0)
        ob2_diag(c->d, CC_ERROR, ptr, "ob2-image-type", "a data: URI image must be PNG or SVG");
}

static void check_fetched_image(chk *c, const char *url, const char *ptr)
{
    cc_fetched res;
    if (cc_fetch(c->d->fetch, url, &res) != 0 || res.status != 200) {
        ob2_diag(c->d, CC_ERROR, ptr, "ob2-image-fetch", "image %s cannot be fetched: %s", url,
                 res.status ? "HTTP error" : res.error);
    } else if (!(res.len > 8 && memcmp(res.body, "\x89PNG", 4) == 0) && !strstr(res.body, "<svg")) {
        ob2_diag(c->d, CC_ERROR, ptr, "ob2-image-type", "image %s is neither PNG nor SVG", url);
    }
    cc_fetched_free(&res);
}

static void check_image(chk *c, const json_t *node, const char *ptr, bool in_assertion)
{
    const char *uri = ob2_id_of(json_object_get(node, "image"));
    char p[256];
    snprintf(p, sizeof p, "%s/image", ptr);
    if (!json_object_get(node, "image"))
        return;
    if (!uri) {
        ob2_diag(c->d, CC_ERROR, p, "ob2-image", "\"image\" must be an IRI or an Image with an id");
    } else if (strncmp(uri, "data:", 5) == 0) {
        if (in_assertion)
            ob2_diag(c->d, CC_ERROR, p, "ob2-image-data-uri", "an Assertion image must not be a "
                     "data: URI (the baked image is served at a URL)");
        else
            check_data_uri(c, uri, p);
    } else if (cc_fetch_possible(c->d->fetch, uri)) {
        check_fetched_image(c, uri, p);
    }
}

/* ------------------------------------------------------------ classes */

static void check_issuer(chk *c, const json_t *node, const char *ptr)
{
    static const char *const req[] = {"id", "type", "name", "url", "email", NULL};
    check_types(c, node, ptr);
    if (!ob2_type_is(node, issuer_types)) {
        ob2_diag(c->d, CC_ERROR, ptr, "ob2-issuer-type", "an issuer must be of type Issuer or Profile");
        return;
    }
    need(c, node, ptr, "an issuer Profile", req);
    check_iri(c, node, "id", ptr);
    check_iri(c, node, "url", ptr);
    const char *id = json_string_value(json_object_get(node, "id"));
    if (id && !is_http(id))
        ob2_diag(c->d, CC_WARNING, ptr, "ob2-issuer-non-http", "the issuer id %s is not an HTTP URL, "
                 "so its profile cannot be retrieved", id);
    const char *email = json_string_value(json_object_get(node, "email"));
    if (json_object_get(node, "email") && !cc_matches(email, "^[^@[:space:]]+@[^@[:space:]]+$"))
        ob2_diag(c->d, CC_ERROR, ptr, "ob2-email", "\"email\" is not an email address");
    const char *tel = json_string_value(json_object_get(node, "telephone"));
    if (json_object_get(node, "telephone") && !cc_matches(tel, "^\\+?[1-9][0-9]{1,14}(;ext=[0-9]+)?$"))
        ob2_diag(c->d, CC_ERROR, ptr, "ob2-telephone", "\"telephone\" is not an E.164 number");
    check_image(c, node, ptr, false);
}

static void check_criteria(chk *c, const json_t *v, const char *ptr)
{
    if (json_is_string(v) && !is_iri(json_string_value(v)))
        ob2_diag(c->d, CC_ERROR, ptr, "ob2-criteria", "criteria must be a URL or a Criteria object");
    if (json_is_object(v) && !json_object_get(v, "id") && !json_is_string(json_object_get(v, "narrative")))
        ob2_diag(c->d, CC_ERROR, ptr, "ob2-criteria", "embedded criteria without an id need a narrative");
}

static void check_alignment(chk *c, const json_t *node, const char *ptr)
{
    static const char *const req[] = {"targetName", "targetUrl", NULL};
    need(c, node, ptr, "an AlignmentObject", req);
    check_iri(c, node, "targetUrl", ptr);
}

static void check_badgeclass(chk *c, const json_t *node, const char *ptr)
{
    static const char *const req[] = {"id", "type", "name", "description", "criteria", "issuer", NULL};
    char p[256];
    need(c, node, ptr, "a BadgeClass", req);
    check_types(c, node, ptr);
    check_iri(c, node, "id", ptr);
    if (!json_object_get(node, "image"))  /* required by the spec, not by the validator */
        ob2_diag(c->d, CC_WARNING, ptr, "ob2-badgeclass-image", "a BadgeClass should have an image");
    check_image(c, node, ptr, false);
    snprintf(p, sizeof p, "%s/criteria", ptr);
    check_criteria(c, json_object_get(node, "criteria"), p);
    const json_t *al = json_object_get(node, "alignment");
    for (size_t i = 0; json_is_array(al) ? i < json_array_size(al) : i < (al ? 1u : 0u); i++) {
        snprintf(p, sizeof p, "%s/alignment%s%zu", ptr, json_is_array(al) ? "/" : "", i);
        check_alignment(c, json_is_array(al) ? json_array_get(al, i) : al, json_is_array(al) ? p : ptr);
    }
    const json_t *issuer = json_object_get(node, "issuer");
    snprintf(p, sizeof p, "%s/issuer", ptr);
    if (json_is_object(issuer))
        check_issuer(c, issuer, p);
    else if (json_is_string(issuer))
        ob2_not_fetched(c->d, p, "issuer", json_string_value(issuer));
}

static void check_identity(chk *c, const json_t *r, const char *ptr)
{
    static const char *const req[] = {"identity", "type", NULL};
    need(c, r, ptr, "a recipient IdentityObject", req);
    const char *id = json_string_value(json_object_get(r, "identity"));
    const char *type = json_string_value(json_object_get(r, "type"));
    bool hashed = json_is_true(json_object_get(r, "hashed"));
    bool hash_form = cc_matches(id, "^(md5\\$[0-9a-fA-F]{32}|sha256\\$[0-9a-fA-F]{64})$");
    if (hashed && !hash_form)
        ob2_diag(c->d, CC_ERROR, ptr, "ob2-identity-hash", "a hashed identity must be sha256$<64 "
                 "hex digits> or md5$<32 hex digits>");
    if (!hashed && hash_form)
        ob2_diag(c->d, CC_ERROR, ptr, "ob2-identity-hash", "the identity has the hash form but "
                 "\"hashed\" is not true");
    if (!hashed && type && strcmp(type, "email") == 0 && !cc_matches(id, "^[^@]+@[^@]+$"))
        ob2_diag(c->d, CC_ERROR, ptr, "ob2-email", "the recipient identity is not an email address");
}

/* The id must be in the issuer's verification scope (docs/references.md ob §2.4, ob §2.5 #9). */
static void check_scope(chk *c, const char *id, const json_t *issuer, const char *ptr)
{
    const json_t *pol = json_object_get(issuer, "verification");
    const json_t *sw = json_object_get(pol, "startsWith"), *ao = json_object_get(pol, "allowedOrigins");
    const char *iid = json_string_value(json_object_get(issuer, "id"));
    char host[256] = "", ihost[256] = "";
    sscanf(id, "%*[a-z]://%255[^/?#]", host);
    if (iid)
        sscanf(iid, "%*[a-z]://%255[^/?#]", ihost);
    size_t n;
    bool ok = false;
    if (sw) {
        n = json_is_array(sw) ? json_array_size(sw) : 1;
        for (size_t i = 0; i < n && !ok; i++) {
            const char *pre = json_string_value(json_is_array(sw) ? json_array_get(sw, i) : sw);
            ok = pre && strncmp(id, pre, strlen(pre)) == 0;
        }
    } else if (ao) {
        n = json_is_array(ao) ? json_array_size(ao) : 1;
        for (size_t i = 0; i < n && !ok; i++) {
            const char *o = json_string_value(json_is_array(ao) ? json_array_get(ao, i) : ao);
            ok = o && strcmp(o, host) == 0;
        }
    } else {
        ok = !is_http(iid) || strcmp(host, ihost) == 0;  /* non-HTTP issuer: warned about */
    }
    if (!ok)
        ob2_diag(c->d, CC_ERROR, ptr, "ob2-verification-scope", "the hosted assertion id %s is "
                 "outside the issuer's verification policy (%s)", id,
                 sw ? "startsWith" : ao ? "allowedOrigins" : "the issuer's own host");
}

/* The issuer's revocation list must not list the assertion (by id, or legacy uid). */
static void check_revocation_list(chk *c, const json_t *a, const json_t *issuer)
{
    const char *url = json_string_value(json_object_get(issuer, "revocationList"));
    if (!url || !cc_fetch_possible(c->d->fetch, url))
        return;
    long status;
    json_t *list = ob2_fetch_json(c->d, url, "/badge/issuer/revocationList", "RevocationList", &status);
    const json_t *rev = json_object_get(list, "revokedAssertions");
    const char *id = json_string_value(json_object_get(a, "id"));
    const char *uid = json_string_value(json_object_get(a, "uid"));
    for (size_t i = 0; i < json_array_size(rev); i++) {
        const json_t *e = json_array_get(rev, i);
        const char *eid = ob2_id_of(e), *euid = json_string_value(json_object_get(e, "uid"));
        if ((id && eid && strcmp(id, eid) == 0) || (uid && euid && strcmp(uid, euid) == 0)) {
            const char *why = json_string_value(json_object_get(e, "revocationReason"));
            ob2_diag(c->d, CC_ERROR, "", "ob2-revoked", "revoked: listed in %s%s%s", url,
                     why ? ": " : "", why ? why : "");
        }
    }
    json_decref(list);
}

static void check_verification(chk *c, const json_t *a)
{
    static const char *const hosted[] = {"hosted", "HostedBadge", NULL};
    static const char *const signd[] = {"signed", "SignedBadge", NULL};
    const json_t *v = json_object_get(a, "verification");
    const char *id = json_string_value(json_object_get(a, "id"));
    const json_t *issuer = json_object_get(json_object_get(a, "badge"), "issuer");
    if (!v)
        return;
    if (!ob2_type_is(v, hosted) && !ob2_type_is(v, signd)) {
        ob2_diag(c->d, CC_ERROR, "/verification", "ob2-verification", "verification type must be "
                 "hosted (HostedBadge) or signed (SignedBadge)");
    } else if (ob2_type_is(v, hosted) && id) {
        if (!is_http(id))
            ob2_diag(c->d, CC_ERROR, "/id", "ob2-verification", "a hosted assertion's id must be "
                     "the HTTP URL it is served at");
        else if (json_is_object(issuer))
            check_scope(c, id, issuer, "/id");
    }
    if (json_is_object(issuer))
        check_revocation_list(c, a, issuer);
}

static void check_dates(chk *c, const json_t *a)
{
    time_t issued = check_datetime(c, a, "issuedOn", "/issuedOn");
    time_t expires = check_datetime(c, a, "expires", "/expires");
    if (issued && issued > c->now)
        ob2_diag(c->d, CC_ERROR, "/issuedOn", "ob2-issued-in-future", "issued in the future");
    if (expires && issued && expires < issued)
        ob2_diag(c->d, CC_ERROR, "/expires", "ob2-expires-before-issued", "expires before it was issued");
    else if (expires && expires < c->now)
        ob2_diag(c->d, CC_ERROR, "/expires", "ob2-expired", "expired");
}

static void check_assertion(chk *c, const json_t *a)
{
    static const char *const req[] = {"id", "type", "recipient", "badge", "verification", "issuedOn", NULL};
    if (json_is_true(json_object_get(a, "revoked"))) {
        const char *why = json_string_value(json_object_get(a, "revocationReason"));
        ob2_diag(c->d, CC_ERROR, "/revoked", "ob2-revoked", "revoked%s%s", why ? ": " : "", why ? why : "");
        return;  /* a revoked assertion needs only id and revoked */
    }
    need(c, a, "", "an Assertion", req);
    check_types(c, a, "");
    check_iri(c, a, "id", "");
    if (json_is_object(json_object_get(a, "recipient")))
        check_identity(c, json_object_get(a, "recipient"), "/recipient");
    check_dates(c, a);
    check_image(c, a, "", true);
    const json_t *badge = json_object_get(a, "badge");
    if (json_is_object(badge))
        check_badgeclass(c, badge, "/badge");
    else if (json_is_string(badge))
        ob2_not_fetched(c->d, "/badge", "BadgeClass", json_string_value(badge));
    check_verification(c, a);
}

static void check_context(chk *c, const json_t *root)
{
    const json_t *ctx = json_object_get(root, "@context");
    size_t n = json_is_array(ctx) ? json_array_size(ctx) : 1;
    bool ok = false;
    for (size_t i = 0; i < n && !ok; i++) {
        const json_t *e = json_is_array(ctx) ? json_array_get(ctx, i) : ctx;
        ok = json_is_object(e) || (json_is_string(e) && strcmp(json_string_value(e), OB2_CONTEXT) == 0);
    }
    if (!ok)
        ob2_diag(c->d, CC_ERROR, "/@context", "ob2-context", "@context must be \"" OB2_CONTEXT "\"");
}

static void check_schema(ob2_doc *d);

int ob2_check(ob2_doc *d)
{
    static const char *const assertion[] = {"Assertion", NULL};
    static const char *const badgeclass[] = {"BadgeClass", NULL};
    static const char *const alignment[] = {"AlignmentObject", NULL};
    char now[21];
    cc_now(now);
    chk c = {.d = d};
    parse_datetime(now, &c.now);
    int before = d->errors;
    check_context(&c, d->root);
    if (ob2_type_is(d->root, assertion))
        check_assertion(&c, d->root);
    else if (ob2_type_is(d->root, badgeclass))
        check_badgeclass(&c, d->root, "");
    else if (ob2_type_is(d->root, issuer_types) && ob2_type_is(d->root, (const char *const[]){"Issuer", NULL}))
        check_issuer(&c, d->root, "");
    else if (ob2_type_is(d->root, alignment))
        check_alignment(&c, d->root, ""), check_types(&c, d->root, "");
    else
        check_types(&c, d->root, "");
    ob2_check_extensions(d);
    check_schema(d);
    return d->errors - before;
}

/* ------------------------------------------------------------ JSON Schema */

cc_schema_set *ob2_load_schema(const cc_read_ctx *ctx)
{
    return cc_schema_load(ctx, OB2_SCHEMA_FILE, OB2_SCHEMA_URI);
}

static void on_schema_error(void *ud, const char *instance, const char *keyword, const char *msg)
{
    (void)keyword;
    ob2_diag(ud, CC_ERROR, instance, "ob2-schema", "%s", msg);
}

/* Structure, after the linked badge and issuer were put in place (ob2_resolve). */
static void check_schema(ob2_doc *d)
{
    if (d->schema && cc_schema_validate(d->schema, OB2_SCHEMA_URI, d->root,
                                        CC_SCHEMA_FORMAT_ASSERT, on_schema_error, d) < 0)
        ob2_diag(d, CC_ERROR, "", "ob2-schema", "the schema could not be applied");
}
