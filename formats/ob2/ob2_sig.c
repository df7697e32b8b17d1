/* OB 2.0 signed assertions (docs/references.md ob §2.4): compact JWS, RS256, the key one the
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

/* The documents a verification reads besides the token, each fetched at most once (owned). */
enum { H_BADGE, H_PROFILE, H_KEY, H_LIST, H_COUNT };

typedef struct ob2_ctx {
    const cc_verify_opts *o;
    const char *name, *record;
    const cc_diag_sink *diag;
    cc_verdict *v;
    const json_t *assertion;
    int errors;
    bool no_key;                  /* nothing to check with: "not checked", not "invalid" */
    json_t *held[H_COUNT];
    const json_t *badge;          /* the BadgeClass: embedded, or fetched from the badge IRI */
    const json_t *profile;        /* the issuer: --issuer-profile, else the Profile fetched from
                                   * the BadgeClass's issuer IRI; NULL when neither */
    const char *why_no_profile;   /* when profile is NULL: why, for the binding */
    bool bound;                   /* the key is shown to be the issuer's */
    char binding[256];
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

static void set_binding(ob2_ctx *c, bool bound, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_binding(ob2_ctx *c, bool bound, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->binding, sizeof c->binding, fmt, ap);
    va_end(ap);
    c->bound = bound;
}

/* The id of a node given as an IRI string or an object with an id. */
static const char *node_id(const json_t *v)
{
    return json_is_string(v) ? json_string_value(v) : json_string_value(json_object_get(v, "id"));
}

static bool same_id(const char *a, const char *b)
{
    return a && b && (!strcmp(a, b) || cc_url_same(a, b));
}

/* The entry of the profile's publicKey (one or many, IRIs or embedded CryptographicKeys)
 * whose id is creator; NULL when the issuer does not list it. */
static const json_t *listed_key(const json_t *profile, const char *creator)
{
    json_t *pk = json_object_get(profile, "publicKey");
    if (!json_is_array(pk))
        return same_id(node_id(pk), creator) ? pk : NULL;
    size_t i;
    json_t *x;
    json_array_foreach(pk, i, x) if (same_id(node_id(x), creator)) return x;
    return NULL;
}

/* A linked document (BadgeClass, issuer Profile, CryptographicKey, RevocationList) through
 * --fetch or --map-url; NULL (reported) when it cannot be had, or when its id is not the URL
 * it came from (after redirects): such a document cannot speak for the id it claims. */
static json_t *fetch_doc(ob2_ctx *c, const char *url, const char *what)
{
    cc_fetched res;
    if (!url || !c->o->fetch || !cc_fetch_possible(c->o->fetch, url))
        return NULL;
    json_t *doc = NULL;
    if (cc_fetch(c->o->fetch, url, &res) == 0 && res.status == 200)
        doc = cc_json_loadb(res.body, res.len, JSON_REJECT_DUPLICATES, NULL);
    const char *id = json_string_value(json_object_get(doc, "id"));
    if (!json_is_object(doc)) {
        cc_diagf(c->diag, CC_WARNING, c->name, 0, 0, c->record, "ob2-fetch-key",
                 "the %s %.200s cannot be had: %s", what, url,
                 res.status && res.status != 200 ? "HTTP error" : doc ? "not a JSON object" : res.error);
        json_decref(doc);
        doc = NULL;
    } else if (!id || !cc_url_same(id, res.url)) {
        error(c, "ob2-linked-id", "the %s fetched from %.200s%s%.200s%s holds the document of %.200s: a document "
              "cannot speak for another id, so it is not used", what, url, strcmp(url, res.url) ? ", redirected to " : "",
              strcmp(url, res.url) ? res.url : "", strcmp(url, res.url) ? "," : "", id ? id : "(no id)");
        json_decref(doc);
        doc = NULL;
    }
    cc_fetched_free(&res);
    return doc;
}

/* The BadgeClass: embedded in the (signed) assertion, or fetched from its IRI. */
static void find_badge(ob2_ctx *c)
{
    const json_t *b = json_object_get(c->assertion, "badge");
    if (json_is_object(b))
        c->badge = b;
    else if (json_is_string(b))
        c->badge = c->held[H_BADGE] = fetch_doc(c, json_string_value(b), "BadgeClass");
}

/* The issuer Profile.  --issuer-profile must be the BadgeClass's issuer when the BadgeClass is
 * known.  Otherwise the Profile at the BadgeClass's issuer IRI, fetched even when the BadgeClass
 * embeds one: an embedded Profile is signed by the very key in question, so it cannot vouch
 * for it. */
static void find_profile(ob2_ctx *c)
{
    const char *issuer = node_id(json_object_get(c->badge, "issuer"));
    if (c->o->issuer_profile) {
        c->profile = c->o->issuer_profile;
        const char *pid = node_id(c->profile);
        if (!c->badge)
            CC_VERDICT_ADD(c->v, unchecked, "that the profile is the badge's issuer (the BadgeClass is not at hand)");
        else if (!same_id(issuer, pid))
            error(c, "ob2-issuer-mismatch", "the badge's issuer is %.200s, but --issuer-profile is %.200s",
                  issuer ? issuer : "absent", pid ? pid : "without id");
        return;
    }
    if (!c->badge) {
        c->why_no_profile = "the BadgeClass, which names the issuer, is not at hand (give --fetch or --map-url)";
        return;
    }
    c->profile = c->held[H_PROFILE] = fetch_doc(c, issuer, "issuer Profile");
    if (!c->profile)
        c->why_no_profile = "the issuer Profile named by the BadgeClass cannot be had (give --issuer-profile, "
                            "--fetch or --map-url)";
}

static EVP_PKEY *pem_key(const char *pem)
{
    cc_jose_err e = {0};
    return pem ? cc_key_from_pem(pem, strlen(pem), &e) : NULL;
}

/* --key, and nothing else: a key named by the token (its creator) never replaces the one the
 * user pinned.  The creator must be that key, and listed by --issuer-profile when given. */
static EVP_PKEY *pinned_key(ob2_ctx *c, const char *creator, const char **src)
{
    const json_t *entry = creator ? listed_key(c->o->issuer_profile, creator) : NULL;
    EVP_PKEY *listed = pem_key(json_string_value(json_object_get(entry, "publicKeyPem")));
    if (creator && c->o->key_id && !same_id(creator, c->o->key_id))
        error(c, "ob2-creator-mismatch", "the assertion was signed by %.200s, but --key is %.200s", creator,
              c->o->key_id);
    else if (c->o->issuer_profile && creator && !entry)
        error(c, "ob2-creator-unlisted", "the signing key %.200s is not in the issuer's publicKey", creator);
    else if (listed && EVP_PKEY_eq(listed, c->o->key) != 1)
        error(c, "ob2-creator-mismatch", "--issuer-profile lists %.200s with another key than --key", creator);
    EVP_PKEY_free(listed);
    if (c->errors)
        return NULL;
    set_binding(c, true, "the key was given (--key)");
    *src = c->o->key_file;
    return c->o->key;
}

/* The creator's CryptographicKey document, fetched: its key, and whether it binds (its owner
 * is the issuer Profile that lists it). */
static EVP_PKEY *creator_doc_key(ob2_ctx *c, const char *creator, const json_t *entry, const char **src)
{
    const json_t *doc = c->held[H_KEY] = fetch_doc(c, creator, "signing key");
    EVP_PKEY *k = pem_key(json_string_value(json_object_get(doc, "publicKeyPem")));
    const char *owner = json_string_value(json_object_get(doc, "owner")), *pid = node_id(c->profile);
    if (!k)
        return NULL;
    if (!c->profile)
        set_binding(c, false, "%s", c->why_no_profile);
    else if (!entry)
        set_binding(c, false, "the issuer Profile %.80s does not list %.80s in its publicKey", pid ? pid : "(no id)", creator);
    else if (!same_id(owner, pid))
        set_binding(c, false, "the key's owner is %.80s, not the issuer %.80s", owner ? owner : "absent", pid ? pid : "(no id)");
    else
        set_binding(c, true, "the issuer Profile %.90s lists the key, and the key names it as owner", pid);
    *src = c->bound ? "the key the issuer lists, fetched" : "the creator's key document, fetched";
    return k;
}

/* Without --key: the key the issuer Profile embeds for the creator, else the creator's key
 * document.  Bound only through the BadgeClass's issuer (find_profile). */
static EVP_PKEY *issuer_key(ob2_ctx *c, const char *creator, const char **src)
{
    const json_t *entry = creator && c->profile ? listed_key(c->profile, creator) : NULL;
    const char *pid = node_id(c->profile), *owner = json_string_value(json_object_get(entry, "owner"));
    if (c->o->issuer_profile && creator && !entry) {
        error(c, "ob2-creator-unlisted", "the signing key %.200s is not in the issuer's publicKey", creator);
        return NULL;
    }
    EVP_PKEY *k = pem_key(json_string_value(json_object_get(entry, "publicKeyPem")));
    if (k) {  /* embedded in the issuer's own Profile */
        *src = "the issuer profile's publicKey";
        if (owner && !same_id(owner, pid))
            set_binding(c, false, "the key's owner is %.80s, not the issuer %.80s", owner, pid ? pid : "(no id)");
        else
            set_binding(c, true, "the issuer Profile %.150s embeds the key", pid ? pid : "(no id)");
        return k;
    }
    k = creator ? creator_doc_key(c, creator, entry, src) : NULL;
    if (!k) {
        c->no_key = true;
        error(c, "jws-no-key", "no key: give the issuer's CryptographicKey (or its PEM) with --key%s%.200s%s",
              creator ? "; the assertion names " : "", creator ? creator : "",
              creator && !cc_fetch_possible(c->o->fetch, creator) ? " (give --fetch or --map-url to fetch it)" : "");
    }
    return k;
}

/* Revoked when the assertion id (or legacy uid) is in revokedAssertions.  The list is
 * --revocation-list, else the one the issuer Profile names, fetched. */
static void check_revocation(ob2_ctx *c)
{
    const char *named = json_string_value(json_object_get(c->profile, "revocationList"));
    if (!c->profile)  /* the Profile embedded in the BadgeClass still says where the list is */
        named = json_string_value(json_object_get(json_object_get(c->badge, "issuer"), "revocationList"));
    const json_t *list = c->o->revocation_list;
    if (!list && named)
        list = c->held[H_LIST] = fetch_doc(c, named, "revocation list");
    if (!list) {
        if (named)
            CC_VERDICT_ADD(c->v, unchecked, "revocation (give %s with --revocation-list)", named);
        else if (!c->profile)
            CC_VERDICT_ADD(c->v, unchecked, "revocation (the issuer Profile, which names the list, is not at hand)");
        return;
    }
    const char *lid = json_string_value(json_object_get(list, "id"));
    if (named && lid && !same_id(named, lid))
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

/* The signature, with the key picked above; then revocation and dates.  v->bound and
 * v->binding say exactly what tied the key to the issuer, or why nothing did. */
static int check_signature(ob2_ctx *c, const cc_jws *j, EVP_PKEY *k, const char *src)
{
    const char *creator = creator_of(c->assertion);
    cc_jose_err e = {0};
    if (cc_jws_verify(j, k, &e) != 1) {
        error(c, e.rule ? e.rule : "jws-signature", "%s", e.msg);
        return 0;
    }
    CC_VERDICT_ADD(c->v, checked, "signature valid (RS256, key from %s%s%s)", src, creator ? ", creator " : "",
                   creator ? creator : "");
    if (creator && listed_key(c->profile, creator))
        CC_VERDICT_ADD(c->v, checked, "the issuer lists the key");
    c->v->bound = c->bound;
    snprintf(c->v->binding, sizeof c->v->binding, "%s", c->binding);
    check_revocation(c);
    check_dates(c);
    return c->errors ? 0 : 1;
}

static int verify_with(ob2_ctx *c, const cc_jws *j)
{
    const char *creator = creator_of(c->assertion);
    find_badge(c);
    find_profile(c);
    if (c->errors)
        return 0;
    const char *src = NULL;
    EVP_PKEY *k = c->o->key ? pinned_key(c, creator, &src) : issuer_key(c, creator, &src);
    if (!k)
        return c->no_key ? -1 : 0;
    int rc = check_signature(c, j, k, src);
    if (k != c->o->key)
        EVP_PKEY_free(k);
    return rc;
}

int cc_ob2_verify(const cc_jws *j, const cc_verify_opts *o, const char *name,
                  const cc_diag_sink *diag, cc_verdict *v)
{
    v->kind = "OB 2.0 signed assertion";
    v->bound = false;
    ob2_ctx c = {.o = o, .name = name, .diag = diag, .v = v};
    json_t *a = parse_assertion(&c, j);
    int rc = 0;
    if (a && !c.errors) {
        c.assertion = a;
        rc = verify_with(&c, j);
    }
    for (int i = 0; i < H_COUNT; i++)
        json_decref(c.held[i]);
    json_decref(a);
    return v->status = rc;
}
