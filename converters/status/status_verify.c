/* verify: the credentialStatus of a credential whose signature checked (cc_status.h).
 * A status is "active" only on a list credconv had, whose own signature checked with a key
 * bound to the issuer (or accepted by --accept-unbound-key), whose issuer is the
 * credential's, and whose bits decoded within the bounds: anything less is NOT CHECKED or
 * INVALID, never active. */
#include "cc_fetch.h"
#include "cc_jsonread.h"
#include "cc_status.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sctx {
    const json_t *cred;
    const cc_verify_opts *o;
    const cc_status_files *files;
    const char *name;
    const cc_diag_sink *diag;
    cc_verdict *v;
    const char *url;              /* the list being read, for messages */
} sctx;

/* The verdict after a status problem: status -1 (NOT CHECKED) or 0 (INVALID), the rule as
 * the reason (whatever error came first). */
__attribute__((format(printf, 4, 5))) static void fail(sctx *c, int status, const char *rule, const char *fmt, ...)
{
    char msg[1600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cc_diagf(c->diag, CC_ERROR, c->name, 0, 0, NULL, rule, "credential status: %s", msg);
    /* INVALID (revoked, a forged list) outweighs NOT CHECKED (a list not to be had) */
    if (status == 0 || c->v->status == 1)
        snprintf(c->v->reason, sizeof c->v->reason, "%s", rule);
    c->v->status = status == 0 ? 0 : c->v->status == 1 ? -1 : c->v->status;
}

/* The list's own diagnostics are about the list: warnings here, prefixed with its URL; the
 * verdict on the credential is the one error fail() gives. */
static void list_diag(void *ud, const cc_diag *d)
{
    const sctx *c = ud;
    char msg[2048];
    snprintf(msg, sizeof msg, "status list %s: %s", c->url, d->message);
    cc_diag w = *d;
    w.severity = d->severity == CC_ERROR ? CC_WARNING : d->severity;
    w.message = msg;
    c->diag->emit(c->diag->ud, &w);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (size_t got = 1; fp && got;) {
        if (n + 65536 + 1 > cap) {
            char *b = cap > CC_JSON_MAX_SIZE_DEFAULT ? NULL : realloc(buf, cap = cap ? cap * 2 : 65536 * 2);
            if (!b)
                break;
            buf = b;
        }
        got = fread(buf + n, 1, cap - n - 1, fp);
        n += got;
    }
    bool ok = fp && !ferror(fp) && feof(fp) && buf;
    if (fp)
        fclose(fp);
    if (!ok)
        return free(buf), NULL;
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* The text of the list at url: a --status-list-file whose credential has that id, else a
 * --map-url file or --fetch.  NULL with why. */
static char *list_text(sctx *c, size_t *len, char *why, size_t cap)
{
    for (size_t i = 0; c->files && i < c->files->n; i++) {
        char w[256];
        char *t = read_file(c->files->paths[i], len);
        json_t *j = t ? cc_status_list_parse(t, *len, w, sizeof w) : NULL;
        bool same = j && json_is_string(json_object_get(j, "id")) &&
                    !strcmp(json_string_value(json_object_get(j, "id")), c->url);
        json_decref(j);
        if (same)
            return t;
        free(t);
    }
    if (!cc_fetch_possible(c->o->fetch, c->url)) {
        const char *r = cc_fetch_refusal(c->o->fetch, c->url);
        snprintf(why, cap, "%s", r ? r : "give --status-list-file, --map-url or --fetch");
        return NULL;
    }
    cc_fetched res = {0};
    if (cc_fetch(c->o->fetch, c->url, &res) != 0 || res.status != 200) {
        snprintf(why, cap, "%s", res.status && res.status != 200 ? "the server did not answer 200" : res.error);
        cc_fetched_free(&res);
        return NULL;
    }
    *len = res.len;
    return res.body;  /* taken over from res */
}

/* The list's signature, with the keys of the credential's verification: 1 good and bound (or
 * accepted unbound), else 0 after fail(). */
static int list_signature(sctx *c, const char *text, size_t len, const json_t *list)
{
    cc_verdict lv = {.status = -1, .kind = "status list"};
    cc_diag_sink sink = {.emit = list_diag, .ud = c};
    size_t lead = strspn(text, " \t\r\n");
    if (text[lead] == '{') {
        if (!json_object_get(list, "proof"))
            return fail(c, 0, "status-list-invalid", "the list %s carries no signature", c->url), 0;
        cc_di_verify(list, c->o, c->url, &sink, &lv);
    } else {
        cc_jws j;
        cc_jose_err e = {0};
        while (len > lead && strchr(" \t\r\n", text[len - 1]))
            len--;
        if (cc_jws_parse(text + lead, len - lead, &j, &e) != 0)
            return fail(c, 0, "status-list-invalid", "the list %s: %s", c->url, e.msg), 0;
        cc_vcjwt_verify(&j, c->o, c->url, &sink, &lv);
        cc_jws_free(&j);
    }
    if (lv.status != 1)
        return fail(c, lv.status == 0 ? 0 : -1, lv.status == 0 ? "status-list-invalid" : "status-unavailable",
                    "the signature of the list %s does not check (%s)", c->url, *lv.reason ? lv.reason : "?"), 0;
    /* --accept-unbound-key is for the credential alone: a list anyone could have signed would
     * let anyone make a revoked credential active */
    if (!lv.bound)
        return fail(c, 0, "status-list-invalid", "the list %s is signed by a key not shown to be the issuer's (%s); "
                    "--accept-unbound-key does not apply to status lists", c->url,
                    *lv.binding ? lv.binding : "no binding"), 0;
    return 1;
}

/* The list at c->url, checked; its bits (malloc'd) or NULL after fail(). */
static uint8_t *list_bits(sctx *c, cc_status_purpose want, size_t *nbytes)
{
    char why[512] = "";
    size_t len = 0;
    char *text = list_text(c, &len, why, sizeof why);
    if (!text)
        return fail(c, -1, "status-unavailable", "the list %s cannot be had: %s", c->url, why), NULL;
    json_t *list = cc_status_list_parse(text, len, why, sizeof why);
    uint8_t *bits = NULL;
    cc_status_purpose p;
    const char *li = cc_status_issuer_of(list), *ci = cc_status_issuer_of(c->cred);
    const char *id = json_string_value(json_object_get(list, "id"));
    long long until;
    const char *vu = json_string_value(json_object_get(list, "validUntil"));
    if (!list)
        fail(c, 0, "status-list-invalid", "the list %s: %s", c->url, why);
    else if (!li || !ci || strcmp(li, ci))
        fail(c, 0, "status-list-issuer", "the list %s is issued by %s, not by the credential's issuer", c->url,
             li ? li : "(no issuer)");
    else if (vu && cc_iso_to_epoch(vu, &until) && until <= c->o->now)
        fail(c, -1, "status-unavailable", "the list %s expired at %s", c->url, vu);
    else if (list_signature(c, text, len, list) &&
             cc_status_list_bits(list, &p, &bits, nbytes, why, sizeof why) != 0)
        fail(c, 0, "status-list-invalid", "the list %s: %s", c->url, why);
    else if (bits && p != want)
        fail(c, 0, "status-list-invalid", "the list %s is a %s list", c->url, cc_status_purpose_name(p)),
            free(bits), bits = NULL;
    if (bits && (!id || strcmp(id, c->url)))  /* as the spec's algorithm and other verifiers: a warning */
        cc_diagf(c->diag, CC_WARNING, c->name, 0, 0, NULL, "status-list-id", "credential status: the list at %s "
                 "names itself %s; it is read as the issuer's list at that URL (its signature and issuer checked)",
                 c->url, id ? id : "(no id)");
    json_decref(list);
    free(text);
    return bits;
}

static long long entry_index(const json_t *e)
{
    const json_t *ix = json_object_get(e, "statusListIndex");
    if (json_is_integer(ix))
        return json_integer_value(ix);
    const char *s = json_string_value(ix);
    if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 12 || (s[0] == '0' && s[1]))
        return -1;
    return strtoll(s, NULL, 10);
}

static void bitstring_entry(sctx *c, const json_t *e)
{
    cc_status_purpose p;
    const char *purpose = json_string_value(json_object_get(e, "statusPurpose"));
    long long i = entry_index(e);
    const json_t *size = json_object_get(e, "statusSize");
    c->url = json_string_value(json_object_get(e, "statusListCredential"));
    if (cc_status_purpose_parse(purpose, &p) != 0)
        return fail(c, -1, "status-unsupported", "statusPurpose '%s' is not checked (revocation, suspension)",
                    purpose ? purpose : "(none)");
    if (size && !(json_is_integer(size) && json_integer_value(size) == 1))
        return fail(c, -1, "status-unsupported", "a statusSize other than 1 is not checked");
    if (!c->url || i < 0)
        return fail(c, 0, "status-entry", "a BitstringStatusListEntry needs statusListCredential and a "
                    "statusListIndex (a whole number)");
    size_t nbytes = 0;
    uint8_t *bits = list_bits(c, p, &nbytes);
    if (!bits)
        return;
    if (i >= (long long)nbytes * 8) {
        fail(c, 0, "status-entry", "statusListIndex is past the end of the list %s", c->url);
    } else if (cc_status_bit(bits, i)) {
        fail(c, 0, p == CC_STATUS_REVOCATION ? "status-revoked" : "status-suspended", "%s (list %s)",
             p == CC_STATUS_REVOCATION ? "REVOKED" : "SUSPENDED", c->url);
    } else {
        CC_VERDICT_ADD(c->v, checked, "status: not %s (list %s, index %lld)",
                       p == CC_STATUS_REVOCATION ? "revoked" : "suspended", c->url, i);
    }
    free(bits);
}

/* 1EdTech's revocation list: a JSON document at the entry's id whose revokedCredential
 * entries name revoked credentials (revoked true or absent). */
static void revocation_list_entry(sctx *c, const json_t *e)
{
    char why[512] = "";
    size_t len = 0;
    c->url = json_string_value(json_object_get(e, "id"));
    char *text = c->url ? list_text(c, &len, why, sizeof why) : NULL;
    if (!text)
        return fail(c, -1, "status-unavailable", "the 1EdTech revocation list %s cannot be had: %s",
                    c->url ? c->url : "(no id)", why);
    json_t *list = cc_json_loadb(text, len, 0, NULL);
    free(text);
    const json_t *arr = json_object_get(list, "revokedCredential");
    const char *id = json_string_value(json_object_get(c->cred, "id"));
    bool revoked = false;
    size_t k;
    json_t *x;
    json_array_foreach(arr, k, x) {
        const json_t *r = json_object_get(x, "revoked");
        const char *xid = json_string_value(json_object_get(x, "id"));
        revoked |= id && xid && !strcmp(xid, id) && (!r || json_is_true(r));
    }
    if (!json_is_array(arr))
        fail(c, 0, "status-list-invalid", "the 1EdTech revocation list %s has no revokedCredential array",
             c->url);
    else if (revoked)
        fail(c, 0, "status-revoked", "REVOKED (1EdTech revocation list %s)", c->url);
    else
        CC_VERDICT_ADD(c->v, checked, "status: not revoked (1EdTech revocation list %s, unsigned)", c->url);
    json_decref(list);
}

static void one_entry(sctx *c, const json_t *e)
{
    const json_t *t = json_object_get(e, "type");
    const char *type = json_string_value(json_is_array(t) ? json_array_get(t, 0) : t);
    if (type && !strcmp(type, "BitstringStatusListEntry"))
        bitstring_entry(c, e);
    else if (type && !strcmp(type, "1EdTechRevocationList"))
        revocation_list_entry(c, e);
    else
        fail(c, -1, "status-unsupported", "a credentialStatus of type '%s' is not checked",
             type ? type : "(none)");
}

void cc_status_verify(const json_t *cred, const cc_verify_opts *o, const cc_status_files *files,
                      const char *name, const cc_diag_sink *diag, cc_verdict *v)
{
    const json_t *st = json_object_get(cred, "credentialStatus");
    if (!st || v->status != 1 || (!v->bound && !o->accept_unbound))
        return;  /* not valid, or key-not-bound: that is the verdict, the status is not evaluated */
    sctx c = {.cred = cred, .o = o, .files = files, .name = name, .diag = diag, .v = v};
    char *u = strstr(v->unchecked, "credential status, ");  /* evaluated now */
    if (u)
        memmove(u, u + 19, strlen(u + 19) + 1);
    if (json_is_array(st)) {
        size_t i;
        json_t *e;
        json_array_foreach(st, i, e)
            one_entry(&c, e);
    } else {
        one_entry(&c, st);
    }
}
