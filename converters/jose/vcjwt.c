/* OB 3.0 VC-JWT (docs/references.md ob §3.6): signing a credential, verifying a token. */
#include "cc_jsonfast.h"
#include "cc_jsonread.h"
#include "cc_controller.h"
#include "cc_fetch.h"
#include "cc_jsonnum.h"
#include "cc_multikey.h"
#include "cc_sign.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cc_verdict_add(char *field, size_t cap, const char *fmt, ...)
{
    size_t n = strlen(field);
    if (n && n + 2 < cap) {
        memcpy(field + n, "; ", 3);
        n += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    if (n < cap)
        vsnprintf(field + n, cap - n, fmt, ap);
    va_end(ap);
}

/* The credential facts the claims mirror; pointers into the credential JSON. */
typedef struct facts {
    const char *issuer, *id, *subject, *valid_from, *valid_until;
    const char *from_name, *until_name;  /* validFrom or VC 1.1 issuanceDate, … */
} facts;

static facts credential_facts(const json_t *c)
{
    facts f = {0};
    json_t *iss = json_object_get(c, "issuer");
    f.issuer = json_is_string(iss) ? json_string_value(iss) : json_string_value(json_object_get(iss, "id"));
    f.id = json_string_value(json_object_get(c, "id"));
    f.subject = json_string_value(json_object_get(json_object_get(c, "credentialSubject"), "id"));
    f.from_name = json_object_get(c, "validFrom") ? "validFrom" : "issuanceDate";
    f.until_name = json_object_get(c, "validUntil") ? "validUntil" : "expirationDate";
    f.valid_from = json_string_value(json_object_get(c, f.from_name));
    f.valid_until = json_string_value(json_object_get(c, f.until_name));
    return f;
}

/* ------------------------------------------------------------ signing */

static const char *const claim_names[] = {"iss", "jti", "sub", "nbf", "exp", "iat", "aud", NULL};

static json_t *make_header(const cc_vcjwt_sign_opts *o, cc_alg alg, cc_jose_err *e)
{
    json_t *h = json_pack("{s:s, s:s}", "alg", cc_alg_name(alg), "typ", "JWT");
    if (o->kid)
        json_object_set_new(h, "kid", json_string(o->kid));
    if (o->embed_jwk) {
        json_t *jwk = cc_jwk_public(o->key, e);
        if (!jwk) {
            json_decref(h);
            return NULL;
        }
        json_object_set_new(h, "jwk", jwk);
    }
    return h;
}

/* The credential plus its claims, in the credential's own member order. */
static json_t *make_payload(const json_t *cred, const facts *f, const char *name,
                            const cc_diag_sink *diag, cc_jose_err *e)
{
    long long from, until = 0;
    if (!f->issuer || !f->id || !f->valid_from) {
        cc_jose_fail(e, "vcjwt-credential", "the credential needs %s to be signed as a VC-JWT (claims iss, "
                     "jti, nbf)", !f->issuer ? "issuer.id" : !f->id ? "an id" : "validFrom");
        return NULL;
    }
    if (!cc_iso_to_epoch(f->valid_from, &from) || (f->valid_until && !cc_iso_to_epoch(f->valid_until, &until))) {
        cc_jose_fail(e, "vcjwt-credential", "%s is not an ISO 8601 date-time with a time zone",
                     cc_iso_to_epoch(f->valid_from, &from) ? f->until_name : f->from_name);
        return NULL;
    }
    json_t *p = json_copy((json_t *)cred);  /* only its own members change: the rest is shared */
    for (const char *const *c = claim_names; *c; c++)
        json_object_del(p, *c);  /* a re-signed credential gets fresh claims */
    json_object_set_new(p, "iss", json_string(f->issuer));
    json_object_set_new(p, "jti", json_string(f->id));
    if (f->subject)
        json_object_set_new(p, "sub", json_string(f->subject));
    else
        cc_diagf(diag, CC_WARNING, name, 0, 0, f->id, "vcjwt-no-sub",
                 "credentialSubject has no id: the token has no sub claim (OB 3.0 lists it as required)");
    json_object_set_new(p, "nbf", json_integer(from));
    if (f->valid_until)
        json_object_set_new(p, "exp", json_integer(until));
    return p;
}

void cc_vcjwt_prep_free(cc_vcjwt_prep *p)
{
    free(p->header);
    *p = (cc_vcjwt_prep){0};
}

/* The header, encoded: the run's when it has one, else made (and kept in p when given). */
static char *encoded_header(const cc_vcjwt_sign_opts *o, cc_alg alg, cc_vcjwt_prep *p, cc_jose_err *e)
{
    if (p && p->header)
        return strdup(p->header);
    json_t *header = make_header(o, alg, e);
    char *hjson = header ? json_dumps(header, JSON_COMPACT) : NULL;
    json_decref(header);
    if (header && !hjson)
        cc_jose_fail(e, "sign-failed", "the header cannot be serialised");
    char *h64 = hjson ? cc_b64u_encode((const unsigned char *)hjson, strlen(hjson)) : NULL;
    free(hjson);
    if (p && h64)
        p->header = strdup(h64);
    return h64;
}

/* header.payload.signature, as cc_jws_sign makes it, the key checks made once per run. */
static char *jws_token(char *h64, const char *body, EVP_PKEY *k, cc_alg alg, cc_vcjwt_prep *p,
                       cc_jose_err *e)
{
    char *p64 = cc_b64u_encode((const unsigned char *)body, strlen(body));
    char *input = NULL, *token = NULL;
    if (asprintf(&input, "%s.%s", h64, p64) < 0)
        cc_oom();
    free(p64);
    unsigned char *sig = NULL;
    size_t siglen;
    bool ok = (p && p->key_ok) || !cc_jws_sign_check(k, alg, e);
    if (ok && p)
        p->key_ok = true;
    if (ok && !cc_jws_sign_checked(k, alg, (const unsigned char *)input, strlen(input), &sig, &siglen, e)) {
        char *s64 = cc_b64u_encode(sig, siglen);
        if (asprintf(&token, "%s.%s", input, s64) < 0)
            cc_oom();
        free(s64);
    }
    free(sig), free(input);
    return token;
}

char *cc_vcjwt_sign(const json_t *credential, const cc_vcjwt_sign_opts *o, const char *name,
                    const cc_diag_sink *diag, cc_jose_err *e)
{
    if (!json_is_object(credential)) {
        cc_jose_fail(e, "vcjwt-credential", "a credential is a JSON object");
        return NULL;
    }
    cc_vcjwt_prep *p = o->prep;
    cc_alg alg = p && p->alg ? p->alg : o->alg ? o->alg : cc_alg_for_key(o->key);
    if (!(p && p->alg) && cc_alg_check_key(alg, o->key, e))
        return NULL;
    if (p)
        p->alg = alg;
    facts f = credential_facts(credential);
    json_t *payload = make_payload(credential, &f, name, diag, e);
    char *h64 = payload ? encoded_header(o, alg, p, e) : NULL;
    char *body = h64 ? cc_json_dumps_compact(payload) : NULL;
    char *token = body ? jws_token(h64, body, o->key, alg, p, e) : NULL;
    free(body), free(h64);
    json_decref(payload);
    return token;
}

/* ------------------------------------------------------------ the key */

/* The keys of a JWKS whose kid is kid (any key when kid is NULL) that suit alg, in order;
 * the first whose signature checks wins. */
static int verify_with_jwks(const cc_jws *j, const cc_verify_opts *o, const char *kid, cc_verdict *v,
                            cc_jose_err *e)
{
    json_t *keys = json_object_get(o->jwks, "keys");
    size_t i;
    json_t *jwk;
    int tried = 0, rc = 0;
    json_array_foreach(keys, i, jwk) {
        const char *k_kid = json_string_value(json_object_get(jwk, "kid"));
        if (kid && (!k_kid || strcmp(kid, k_kid)))
            continue;
        EVP_PKEY *k = cc_key_from_jwk(jwk, false, e);
        if (!k || (!kid && cc_alg_for_key(k) != j->alg)) {
            EVP_PKEY_free(k);
            if (kid)
                return -1;
            continue;
        }
        tried++;
        rc = cc_jws_verify(j, k, e);
        EVP_PKEY_free(k);
        if (rc == 1) {
            CC_VERDICT_ADD(v, checked, "signature valid (%s, key %s%s from %s)", cc_alg_name(j->alg),
                           k_kid ? "kid " : "#", k_kid ? k_kid : "", o->jwks_file);
            v->bound = true;
            CC_VERDICT_ADD(v, binding, "the key was given (--jwks %s)", o->jwks_file);
            return 1;
        }
        if (rc < 0 || kid)
            return rc;
    }
    if (!tried)
        cc_jose_fail(e, "jws-no-key", kid ? "no key of %s has kid \"%.200s\"" : "no key of %s suits alg %s",
                     o->jwks_file, kid ? kid : cc_alg_name(j->alg));
    return tried ? rc : -1;
}

/* The key a kid URL dereferences to (OB 3.0: "kid: URI dereferencing to a JWK"): a JWK, a
 * JWK Set (the entry of that kid, or the only one), or a verification method carrying a
 * publicKeyJwk.  The fragment is not sent; it names the key in a set. */
static EVP_PKEY *key_at_url(const cc_verify_opts *o, const char *kid, cc_jose_err *e)
{
    char url[2048];
    snprintf(url, sizeof url, "%.*s", (int)strcspn(kid, "#"), kid);
    char why[300];
    json_t *doc = cc_fetch_json(o->fetch, url, NULL, why, sizeof why);
    if (!doc) {
        cc_jose_fail(e, "jws-kid-fetch", "kid %.200s cannot be fetched: %s", kid, why);
        return NULL;
    }
    const json_t *jwk = json_object_get(doc, "publicKeyJwk") ? json_object_get(doc, "publicKeyJwk") : doc;
    json_t *keys = json_object_get(doc, "keys");
    if (json_is_array(keys)) {
        jwk = json_array_size(keys) == 1 ? json_array_get(keys, 0) : NULL;
        size_t i;
        json_t *x;
        json_array_foreach(keys, i, x) {
            const char *k = json_string_value(json_object_get(x, "kid"));
            if (k && (!strcmp(k, kid) || (strchr(kid, '#') && !strcmp(k, strchr(kid, '#') + 1))))
                jwk = x;
        }
    }
    EVP_PKEY *key = json_is_object(jwk) ? cc_key_from_jwk(jwk, false, e) : NULL;
    if (!key && !e->rule)
        cc_jose_fail(e, "jws-kid-fetch", "kid %.200s is not a JWK, a JWK Set or a verification "
                     "method with a publicKeyJwk", kid);
    json_decref(doc);
    return key;
}

/* The token's issuer: its iss claim, else the credential's issuer id. */
static char *token_issuer(const cc_jws *j)
{
    json_t *claims = cc_json_loadb((const char *)j->payload, j->payload_len, 0, NULL);
    json_t *cred = json_is_object(json_object_get(claims, "vc")) ? json_object_get(claims, "vc") : claims;
    const char *iss = json_string_value(json_object_get(claims, "iss"));
    if (!iss)
        iss = credential_facts(cred).issuer;
    char *out = iss ? strdup(iss) : NULL;
    json_decref(claims);
    return out;
}

/* A kid URL binds only when the issuer's own controller document (converters/sign/controller.c)
 * lists it under assertionMethod; its JWK is then the one that document gives, else the one
 * the kid URL serves. */
static int verify_with_kid_url(const cc_jws *j, const cc_verify_opts *o, const char *kid,
                               cc_verdict *v, cc_jose_err *e)
{
    char *iss = token_issuer(j);
    cc_controller c;
    int listed = cc_controller_lookup(o->fetch, iss, kid, "assertionMethod", &c);
    const json_t *jwk = json_object_get(c.method, "publicKeyJwk");
    EVP_PKEY *k = jwk ? cc_key_from_jwk(jwk, false, e) : key_at_url(o, kid, e);
    int rc = k ? cc_jws_verify(j, k, e) : -1;
    EVP_PKEY_free(k);
    if (rc == 1) {
        CC_VERDICT_ADD(v, checked, "signature valid (%s, key %s kid %.200s)", cc_alg_name(j->alg),
                       jwk ? "the issuer's controller document gives for" : "fetched from", kid);
        v->bound = listed == 1;
        CC_VERDICT_ADD(v, binding, "%s", c.why);
    }
    cc_controller_free(&c);
    free(iss);
    return rc;
}

/* A did:key kid is the key itself: no network.  When the token's iss is that DID, the key
 * is the issuer's. */
static int verify_with_did_key(const cc_jws *j, const char *kid, cc_verdict *v, cc_jose_err *e)
{
    EVP_PKEY *k = cc_did_key_public(kid, e);
    int rc = k ? cc_jws_verify(j, k, e) : -1;
    EVP_PKEY_free(k);
    if (rc == 1) {
        json_t *claims = cc_json_loadb((const char *)j->payload, j->payload_len, 0, NULL);
        bool bound = cc_did_of(json_string_value(json_object_get(claims, "iss")), kid);
        json_decref(claims);
        CC_VERDICT_ADD(v, checked, "signature valid (%s, did:key%s)", cc_alg_name(j->alg),
                       bound ? ", which is the issuer" : "");
        v->bound = bound;
        CC_VERDICT_ADD(v, binding, bound ? "the issuer's id is that did:key" : "the did:key is not the issuer's id");
    }
    return rc;
}

/* Picks the key (--key, --jwks, header jwk, did:key or kid URL) and checks the signature: 1, 0, or -1
 * when no key could be had (the verdict says why). */
static int check_signature(const cc_jws *j, const cc_verify_opts *o, const char *name,
                           const cc_diag_sink *diag, cc_verdict *v, cc_jose_err *e)
{
    const char *kid = json_string_value(json_object_get(j->header, "kid"));
    json_t *hjwk = json_object_get(j->header, "jwk");
    if (o->key) {
        if (kid && o->key_id && strcmp(kid, o->key_id))
            cc_diagf(diag, CC_WARNING, name, 0, 0, NULL, "jws-kid-mismatch",
                     "the header names kid %.200s; --key is %.200s (used anyway)", kid, o->key_id);
        int rc = cc_jws_verify(j, o->key, e);
        if (rc == 1) {
            CC_VERDICT_ADD(v, checked, "signature valid (%s, key from %s)", cc_alg_name(j->alg), o->key_file);
            v->bound = true;
            CC_VERDICT_ADD(v, binding, "the key was given (--key %s)", o->key_file);
        }
        return rc;
    }
    if (o->jwks)
        return verify_with_jwks(j, o, kid, v, e);
    if (hjwk) {
        EVP_PKEY *k = cc_key_from_jwk(hjwk, false, e);
        int rc = k ? cc_jws_verify(j, k, e) : -1;
        EVP_PKEY_free(k);
        if (rc == 1) {
            CC_VERDICT_ADD(v, checked, "signature valid (%s, key from header jwk)", cc_alg_name(j->alg));
            CC_VERDICT_ADD(v, binding, "the token carries its own key in its header jwk");
        }
        return rc;
    }
    if (kid && !strncmp(kid, "did:key:", 8))
        return verify_with_did_key(j, kid, v, e);
    if (kid && o->fetch && cc_fetch_possible(o->fetch, kid))
        return verify_with_kid_url(j, o, kid, v, e);
    if (kid)
        cc_jose_fail(e, "jws-no-key", "the key is named by kid %.200s, which is not fetched: give "
                     "--fetch (or --map-url), or the key with --key or --jwks", kid);
    else
        cc_jose_fail(e, "jws-no-key", "the token carries no key (no jwk, no kid): give one with --key or --jwks");
    return -1;
}

/* ------------------------------------------------------------ claims and times */

typedef struct claims_ctx {
    const json_t *payload;
    const char *name, *record;
    const cc_diag_sink *diag;
    int errors;
} claims_ctx;

static void claim_error(claims_ctx *c, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void claim_error(claims_ctx *c, const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cc_vdiag(c->diag, CC_ERROR, c->name, 0, 0, NULL, c->record, rule, fmt, ap);
    va_end(ap);
    c->errors++;
}

/* The same about one claim, with its JSON pointer in the payload. */
static void claim_error_at(claims_ctx *c, const char *claim, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void claim_error_at(claims_ctx *c, const char *claim, const char *rule, const char *fmt, ...)
{
    char ptr[80];
    snprintf(ptr, sizeof ptr, "/%s", claim);
    va_list ap;
    va_start(ap, fmt);
    cc_vdiag(c->diag, CC_ERROR, c->name, 0, 0, ptr, c->record, rule, fmt, ap);
    va_end(ap);
    c->errors++;
}

/* A string claim against the credential value it mirrors: a mismatch is an error, an
 * absent claim a warning (interop: DCPV's own sample has no sub). */
static void string_claim(claims_ctx *c, const char *claim, const char *want, const char *what)
{
    json_t *v = json_object_get(c->payload, claim);
    if (!v) {
        if (want)
            cc_diagf(c->diag, CC_WARNING, c->name, 0, 0, c->record, "vcjwt-claim-missing",
                     "no %s claim (it should be %s)", claim, what);
        return;
    }
    if (!json_is_string(v) || !want || strcmp(json_string_value(v), want))
        claim_error(c, "vcjwt-claim-mismatch", "claim %s is %.200s, but %s is %.200s", claim,
                    json_is_string(v) ? json_string_value(v) : "not a string", what, want ? want : "absent");
}

/* A NumericDate claim against an ISO 8601 credential date; *out receives its value. */
static void date_claim(claims_ctx *c, const char *claim, const char *iso, const char *what, long long *out)
{
    json_t *v = json_object_get(c->payload, claim);
    long long t;
    bool have_iso = iso && cc_iso_to_epoch(iso, &t);
    if (iso && !have_iso)
        claim_error(c, "vcjwt-credential", "%s %.64s is not an ISO 8601 date-time with a zone", what, iso);
    if (!v) {
        if (have_iso)
            *out = t;
        if (iso)
            cc_diagf(c->diag, CC_WARNING, c->name, 0, 0, c->record, "vcjwt-claim-missing",
                     "no %s claim (it should be %s as a NumericDate)", claim, what);
        return;
    }
    if (!json_is_integer(v) && !json_is_real(v)) {
        claim_error_at(c, claim, "vcjwt-claim-mismatch", "claim %s is not a NumericDate", claim);
        return;
    }
    /* Range first: a double beyond long long (-1e300) has no defined conversion. */
    char why[120];
    long long n;
    if (cc_json_to_ll(v, CC_EPOCH_MIN, CC_EPOCH_MAX, true, &n, why, sizeof why) != 0) {
        claim_error_at(c, claim, "vcjwt-numericdate", "claim %s is not a NumericDate of the years "
                       "1 to 9999: %s", claim, why);
        return;
    }
    *out = n;
    if (!iso)
        claim_error(c, "vcjwt-claim-mismatch", "claim %s is set but the credential has no %s", claim, what);
    else if (have_iso && t != *out)
        claim_error(c, "vcjwt-claim-mismatch", "claim %s is %lld, but %s %s is %lld", claim, *out, what, iso, t);
}

static void check_times(claims_ctx *c, long long now, long long nbf, long long exp, cc_verdict *v)
{
    if (nbf != LLONG_MIN && now < nbf)
        claim_error(c, "vcjwt-not-yet-valid", "the credential is not valid before %lld (now %lld)", nbf, now);
    if (exp != LLONG_MIN && now >= exp)
        claim_error(c, "vcjwt-expired", "the credential expired at %lld (now %lld)", exp, now);
    if (!c->errors)
        CC_VERDICT_ADD(v, checked, "valid now%s", exp == LLONG_MIN ? " (no expiry)" : "");
}

/* Warnings about what OB 3.0 does not allow but readers tolerate. */
static void interop_warnings(const cc_jws *j, claims_ctx *c)
{
    const char *key;
    json_t *val;
    json_object_foreach(j->header, key, val) {
        if (strcmp(key, "alg") && strcmp(key, "kid") && strcmp(key, "jwk") && strcmp(key, "typ"))
            cc_diagf(c->diag, CC_WARNING, c->name, 0, 0, c->record, "vcjwt-header",
                     "header parameter %.64s: OB 3.0 allows only alg, kid, jwk and typ", key);
    }
    static const char *const extra[] = {"iat", "aud", NULL};
    for (const char *const *x = extra; *x; x++)
        if (json_object_get(c->payload, *x))
            cc_diagf(c->diag, CC_WARNING, c->name, 0, 0, c->record, "vcjwt-claim-extra",
                     "claim %s: allowed, but OB 3.0 gives it no meaning (not checked)", *x);
}

/* The claims against the credential, then the times; the payload is already trusted. */
static int check_claims(const cc_jws *j, const cc_verify_opts *o, const char *name,
                        const cc_diag_sink *diag, cc_verdict *v)
{
    json_error_t je;
    /* the caller's parse when it made one that worked (the same loader, the same flags) */
    json_t *payload = j->claims ? json_incref((json_t *)j->claims)
                                : cc_json_loadb((const char *)j->payload, j->payload_len, JSON_REJECT_DUPLICATES, &je);
    if (!json_is_object(payload)) {
        cc_diagf(diag, CC_ERROR, name, 0, 0, NULL, "vcjwt-payload", "the payload is not a JSON object%s%s",
                 payload ? "" : ": ", payload ? "" : je.text);
        json_decref(payload);
        return 0;
    }
    json_t *cred = json_object_get(payload, "vc");
    bool v11 = json_is_object(cred);
    if (!v11)
        cred = payload;
    facts f = credential_facts(cred);
    claims_ctx c = {.payload = payload, .name = name, .record = f.id, .diag = diag};
    if (v11)
        cc_diagf(diag, CC_WARNING, name, 0, 0, f.id, "vcjwt-vc-claim",
                 "VC Data Model 1.1 token (credential in a vc claim): accepted, but OB 3.0 signs the "
                 "credential itself");
    interop_warnings(j, &c);
    string_claim(&c, "iss", f.issuer, "issuer.id");
    string_claim(&c, "jti", f.id, "the credential id");
    string_claim(&c, "sub", f.subject, "credentialSubject.id");
    long long nbf = LLONG_MIN, exp = LLONG_MIN;
    date_claim(&c, "nbf", f.valid_from, f.from_name, &nbf);
    date_claim(&c, "exp", f.valid_until, f.until_name, &exp);
    if (!c.errors)
        CC_VERDICT_ADD(v, checked, "claims match the credential");
    check_times(&c, o->now, nbf, exp, v);
    json_decref(payload);
    return c.errors ? 0 : 1;
}

int cc_vcjwt_verify(const cc_jws *j, const cc_verify_opts *o, const char *name,
                    const cc_diag_sink *diag, cc_verdict *v)
{
    v->kind = "VC-JWT";
    cc_jose_err e = {0};
    int rc = check_signature(j, o, name, diag, v, &e);
    if (rc != 1) {
        cc_diagf(diag, CC_ERROR, name, 0, 0, NULL, e.rule ? e.rule : "jws-signature", "%s", e.msg);
        /* No key, or a key that cannot be used: nothing was checked, which is not "valid". */
        return v->status = rc < 0 && e.rule && !strcmp(e.rule, "jws-no-key") ? -1 : 0;
    }
    rc = check_claims(j, o, name, diag, v);
    CC_VERDICT_ADD(v, unchecked, "credential status, schema, issuer trust");
    return v->status = rc;
}
