/* OB 2.0 signed assertions (reference ob.md §2.4): compact JWS, RS256, the key one the
 * issuer Profile lists in publicKey, the issuer's RevocationList consulted. */
#include "cc_jsonread.h"
#include "cc_fetch.h"
#include "cc_sign.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool has_string(const json_t *v, const char *s)
{
    if (json_is_string(v))
        return strstr(json_string_value(v), s) != NULL;
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) if (json_is_string(x) && strstr(json_string_value(x), s)) return true;
    return false;
}

bool cc_is_ob2_assertion(const json_t *doc)
{
    json_t *type = json_object_get(doc, "type");
    return has_string(json_object_get(doc, "@context"), "w3id.org/openbadges/v2") ||
           (json_is_string(type) && !strcmp(json_string_value(type), "Assertion"));
}

/* verification.type: "SignedBadge" or its alias "signed". */
static bool is_signed_type(const json_t *assertion)
{
    json_t *ver = json_object_get(assertion, "verification");
    if (!ver)
        ver = json_object_get(assertion, "verify");  /* the context's alias */
    const char *t = json_string_value(json_object_get(ver, "type"));
    return t && (!strcmp(t, "SignedBadge") || !strcmp(t, "signed"));
}

static const char *creator_of(const json_t *assertion)
{
    json_t *ver = json_object_get(assertion, "verification");
    if (!ver)
        ver = json_object_get(assertion, "verify");
    return json_string_value(json_object_get(ver, "creator"));
}

/* ------------------------------------------------------------ signing */

char *cc_ob2_sign(const char *payload, size_t len, EVP_PKEY *key, const char *name,
                  const cc_diag_sink *diag, cc_jose_err *e)
{
    json_error_t je;
    json_t *a = cc_json_loadb(payload, len, JSON_REJECT_DUPLICATES, &je);
    char *token = NULL;
    if (!json_is_object(a) || !cc_is_ob2_assertion(a)) {
        cc_jose_fail(e, "ob2-assertion", "not an OB 2.0 assertion");
    } else if (!is_signed_type(a)) {
        cc_jose_fail(e, "ob2-not-signed", "verification.type is not SignedBadge: a hosted assertion is "
                     "verified by fetching its id, not by a signature");
    } else {
        if (!creator_of(a))
            cc_diagf(diag, CC_WARNING, name, 0, 0, json_string_value(json_object_get(a, "id")), "ob2-no-creator",
                     "verification.creator is not set: verifiers must guess which issuer key signed");
        /* The assertion's bytes are signed as given: re-serialising would change them. */
        json_t *h = json_pack("{s:s}", "alg", "RS256");
        token = cc_jws_sign(h, (const unsigned char *)payload, len, key, CC_ALG_RS256, e);
        json_decref(h);
    }
    json_decref(a);
    return token;
}

/* ------------------------------------------------------------ verification */

typedef struct ob2_ctx {
    const cc_verify_opts *o;
    const char *name, *record;
    const cc_diag_sink *diag;
    cc_verdict *v;
    const json_t *assertion;
    int errors;
    bool no_key;                  /* nothing to check with: "not checked", not "invalid" */
    const json_t *fetched_key;    /* the creator's CryptographicKey, fetched */
} ob2_ctx;

static void error(ob2_ctx *c, const char *rule, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void error(ob2_ctx *c, const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cc_vdiag(c->diag, CC_ERROR, c->name, 0, 0, NULL, c->record, rule, fmt, ap);
    va_end(ap);
    c->errors++;
}

/* The id of a node given as an IRI string or an object with an id. */
static const char *node_id(const json_t *v)
{
    return json_is_string(v) ? json_string_value(v) : json_string_value(json_object_get(v, "id"));
}

/* The entry of the profile's publicKey (one or many, IRIs or embedded CryptographicKeys)
 * whose id is creator; NULL when the issuer does not list it. */
static const json_t *listed_key(const json_t *profile, const char *creator)
{
    json_t *pk = json_object_get(profile, "publicKey");
    if (!json_is_array(pk))
        return node_id(pk) && !strcmp(node_id(pk), creator) ? pk : NULL;
    size_t i;
    json_t *x;
    json_array_foreach(pk, i, x) if (node_id(x) && !strcmp(node_id(x), creator)) return x;
    return NULL;
}

/* The key: the issuer profile's embedded publicKeyPem, else --key.  The creator must be a
 * key the issuer lists (never one it does not link), and --key must be that key. */
static EVP_PKEY *pick_key(ob2_ctx *c, const char *creator, bool *owned, const char **src)
{
    const json_t *profile = c->o->issuer_profile;
    *owned = false;
    if (profile && creator) {
        const json_t *entry = listed_key(profile, creator);
        if (!entry) {
            error(c, "ob2-creator-unlisted", "the signing key %.200s is not in the issuer's publicKey", creator);
            return NULL;
        }
        const char *pem = json_string_value(json_object_get(entry, "publicKeyPem"));
        if (!pem)  /* listed by its IRI: the key document itself, fetched */
            pem = json_string_value(json_object_get(c->fetched_key, "publicKeyPem"));
        cc_jose_err e = {0};
        EVP_PKEY *k = pem ? cc_key_from_pem(pem, strlen(pem), &e) : NULL;
        if (k) {
            *owned = true;
            *src = c->fetched_key ? "the key the issuer lists, fetched" : "the issuer profile's publicKey";
            return k;
        }
    } else if (!profile) {
        CC_VERDICT_ADD(c->v, unchecked, "that the issuer lists the key (no --issuer-profile)");
    }
    if (!c->o->key) {
        c->no_key = true;
        error(c, "jws-no-key", "no key: give the issuer's CryptographicKey (or its PEM) with --key%s%.200s",
              creator ? "; the assertion names " : "", creator ? creator : "");
        return NULL;
    }
    if (creator && c->o->key_id && strcmp(creator, c->o->key_id)) {
        error(c, "ob2-creator-mismatch", "the assertion was signed by %.200s, but --key is %.200s", creator,
              c->o->key_id);
        return NULL;
    }
    *src = c->o->key_file;
    return c->o->key;
}

/* Revoked when the assertion id (or legacy uid) is in revokedAssertions. */
static void check_revocation(ob2_ctx *c)
{
    const json_t *profile = c->o->issuer_profile, *list = c->o->revocation_list;
    const char *named = json_string_value(json_object_get(profile, "revocationList"));
    if (!list) {
        if (named)
            CC_VERDICT_ADD(c->v, unchecked, "revocation (give %s with --revocation-list)", named);
        return;
    }
    const char *lid = json_string_value(json_object_get(list, "id"));
    if (named && lid && strcmp(named, lid))
        cc_diagf(c->diag, CC_WARNING, c->name, 0, 0, c->record, "ob2-revocation-list",
                 "the issuer's revocation list is %.200s; --revocation-list is %.200s", named, lid);
    const char *id = json_string_value(json_object_get(c->assertion, "id"));
    const char *uid = json_string_value(json_object_get(c->assertion, "uid"));
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(list, "revokedAssertions"), i, x) {
        const char *rid = json_is_string(x) ? json_string_value(x) : json_string_value(json_object_get(x, "id"));
        const char *ruid = json_string_value(json_object_get(x, "uid"));
        if ((rid && id && !strcmp(rid, id)) || (ruid && uid && !strcmp(ruid, uid))) {
            const char *why = json_string_value(json_object_get(x, "revocationReason"));
            error(c, "ob2-revoked", "the assertion is revoked%s%.300s", why ? ": " : "", why ? why : "");
            return;
        }
    }
    CC_VERDICT_ADD(c->v, checked, "not revoked");
}

/* issuedOn not in the future; expires not passed. */
static void check_dates(ob2_ctx *c)
{
    long long t;
    const char *issued = json_string_value(json_object_get(c->assertion, "issuedOn"));
    const char *expires = json_string_value(json_object_get(c->assertion, "expires"));
    if (issued && cc_iso_to_epoch(issued, &t) && t > c->o->now)
        error(c, "ob2-in-future", "issuedOn %s is in the future", issued);
    if (expires && cc_iso_to_epoch(expires, &t) && t <= c->o->now)
        error(c, "ob2-expired", "the assertion expired on %s", expires);
}

/* An embedded BadgeClass names its issuer: it must be the profile given. */
static void check_issuer_link(ob2_ctx *c)
{
    const json_t *profile = c->o->issuer_profile;
    json_t *badge = json_object_get(c->assertion, "badge");
    const char *issuer = node_id(json_object_get(badge, "issuer"));
    if (!profile)
        return;
    const char *pid = node_id(profile);
    if (!json_is_object(badge))
        CC_VERDICT_ADD(c->v, unchecked, "that the profile is the badge's issuer (the badge is a link)");
    else if (!issuer || !pid || strcmp(issuer, pid))
        error(c, "ob2-issuer-mismatch", "the badge's issuer is %.200s, but --issuer-profile is %.200s",
              issuer ? issuer : "absent", pid ? pid : "without id");
}

static json_t *parse_assertion(ob2_ctx *c, const cc_jws *j)
{
    json_error_t je;
    json_t *a = cc_json_loadb((const char *)j->payload, j->payload_len, JSON_REJECT_DUPLICATES, &je);
    if (!json_is_object(a)) {
        error(c, "ob2-assertion", "the payload is not a JSON object%s%s", a ? "" : ": ", a ? "" : je.text);
        json_decref(a);
        return NULL;
    }
    c->record = json_string_value(json_object_get(a, "id"));
    if (!is_signed_type(a))
        error(c, "ob2-not-signed", "verification.type is not SignedBadge");
    if (j->alg != CC_ALG_RS256)
        error(c, "ob2-alg", "OB 2.0 signatures are RS256; this one is %s", cc_alg_name(j->alg));
    return a;
}

static int verify_with(const cc_jws *j, cc_verify_opts *o, const char *name,
                       const cc_diag_sink *diag, cc_verdict *v, json_t *held[3]);

/* A linked document (the creator's CryptographicKey, its owner Profile, the Profile's
 * revocation list) through --fetch or --map-url; NULL (reported) when it cannot be had. */
static json_t *fetch_doc(ob2_ctx *c, const char *url, const char *what)
{
    cc_fetched res;
    if (!url || !c->o->fetch || !cc_fetch_possible(c->o->fetch, url))
        return NULL;
    json_t *doc = NULL;
    if (cc_fetch(c->o->fetch, url, &res) == 0 && res.status == 200)
        doc = cc_json_loadb(res.body, res.len, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(doc)) {
        cc_diagf(c->diag, CC_WARNING, c->name, 0, 0, c->record, "ob2-fetch-key",
                 "the %s %.200s cannot be had: %s", what, url,
                 res.status && res.status != 200 ? "HTTP error" : doc ? "not a JSON object" : res.error);
        json_decref(doc);
        doc = NULL;
    }
    cc_fetched_free(&res);
    return doc;
}

/* What --issuer-profile and --revocation-list would give, fetched from the assertion's
 * links: the creator key's owner is the issuer Profile, which names its revocation list. */
static void fetch_links(ob2_ctx *c, const char *creator, cc_verify_opts *local, json_t *held[3])
{
    held[0] = fetch_doc(c, creator, "signing key");
    const char *owner = json_string_value(json_object_get(held[0], "owner"));
    held[1] = c->o->issuer_profile ? NULL : fetch_doc(c, owner, "key owner (issuer Profile)");
    if (held[1])
        local->issuer_profile = held[1];
    const char *list = json_string_value(json_object_get(local->issuer_profile, "revocationList"));
    held[2] = c->o->revocation_list ? NULL : fetch_doc(c, list, "revocation list");
    if (held[2])
        local->revocation_list = held[2];
}

int cc_ob2_verify(const cc_jws *j, const cc_verify_opts *o, const char *name,
                  const cc_diag_sink *diag, cc_verdict *v)
{
    cc_verify_opts local = *o;
    json_t *held[3] = {NULL, NULL, NULL};
    int rc = verify_with(j, &local, name, diag, v, held);
    for (int i = 0; i < 3; i++)
        json_decref(held[i]);
    return rc;
}

static int verify_with(const cc_jws *j, cc_verify_opts *o, const char *name,
                       const cc_diag_sink *diag, cc_verdict *v, json_t *held[3])
{
    v->kind = "OB 2.0 signed assertion";
    ob2_ctx c = {o, name, NULL, diag, v, NULL, 0, false, NULL};
    json_t *a = parse_assertion(&c, j);
    if (!a || c.errors) {
        json_decref(a);
        return v->status = 0;
    }
    c.assertion = a;
    if (!o->issuer_profile || !o->revocation_list) {
        fetch_links(&c, creator_of(a), o, held);
        c.fetched_key = held[0];
    }
    bool owned;
    const char *src = NULL;
    EVP_PKEY *k = pick_key(&c, creator_of(a), &owned, &src);
    if (!k) {
        json_decref(a);
        return v->status = c.no_key ? -1 : 0;
    }
    cc_jose_err e = {0};
    int rc = cc_jws_verify(j, k, &e);
    if (owned)
        EVP_PKEY_free(k);
    if (rc != 1) {
        error(&c, e.rule ? e.rule : "jws-signature", "%s", e.msg);
    } else {
        CC_VERDICT_ADD(v, checked, "signature valid (RS256, key from %s%s%s)", src,
                       creator_of(a) ? ", creator " : "", creator_of(a) ? creator_of(a) : "");
        if (o->issuer_profile)
            CC_VERDICT_ADD(v, checked, "the issuer lists the key");
        v->bound = o->issuer_profile || o->key;
        CC_VERDICT_ADD(v, binding, "%s", o->issuer_profile ? "the issuer profile lists the key"
                                         : o->key ? "the key was given (--key)" : "no issuer profile lists the key");
        check_issuer_link(&c);
        check_revocation(&c);
        check_dates(&c);
    }
    json_decref(a);
    return v->status = c.errors ? 0 : 1;
}
