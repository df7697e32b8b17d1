/* OB 2.0 reader: JSON documents (one or many, NDJSON or concatenated) or compact JWS
 * (one per line).  Each document is upgraded if it is OB 1.x, verified (verify), its links
 * resolved, checked (validate, verify) and mapped: an Assertion gives a credential, a
 * BadgeClass an achievement; other classes are checked only. */
#include "ob2.h"
#include "ob2_map.h"
#include "cc_issue.h"
#include "cc_jsonnum.h"
#include "cc_jsonread.h"
#include "cc_jws.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MAX_JWS_INPUT = 16 << 20 };

/* ------------------------------------------------------------ OB 1.x upgrade */

/* 1.0 dates: a Unix timestamp or a bare date become an ISO date-time in UTC.  A timestamp
 * is range-checked first: gmtime has no year for 2^63 seconds (it returned NULL, and the
 * strftime that followed crashed). */
static void upgrade_date(ob2_doc *d, json_t *node, const char *from, const char *to)
{
    const json_t *v = json_object_get(node, from);
    char buf[40], why[120];
    long long secs;
    if (json_is_integer(v) || json_is_real(v)) {
        struct tm tm;
        time_t t;
        if (cc_json_to_ll(v, CC_EPOCH_MIN, CC_EPOCH_MAX, false, &secs, why, sizeof why) != 0 ||
            (t = (time_t)secs, !gmtime_r(&t, &tm))) {
            char ptr[64];
            snprintf(ptr, sizeof ptr, "/%s", from);
            ob2_diag(d, CC_ERROR, ptr, "ob2-datetime", "%s is not a Unix timestamp of the years 1 "
                     "to 9999: %s", from, why);
            return;
        }
        strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    } else if (!json_is_string(v) || !cc_normalize_datetime(json_string_value(v), buf)) {
        return;
    }
    json_object_set_new(node, to, json_string(buf));
    if (strcmp(from, to) != 0)
        json_object_del(node, from);
}

/* 0.5: recipient is a string, issuer has origin/contact. */
static void upgrade_05(ob2_doc *d)
{
    json_t *root = d->root;
    json_t *r = json_pack("{s:s, s:b, s:O}", "type", "email", "hashed",
                          strchr(json_string_value(json_object_get(root, "recipient")), '$') != NULL,
                          "identity", json_object_get(root, "recipient"));
    if (json_object_get(root, "salt"))
        json_object_set(r, "salt", json_object_get(root, "salt"));
    json_object_set_new(root, "recipient", r);
    json_t *issuer = json_object_get(json_object_get(root, "badge"), "issuer");
    if (json_is_object(issuer)) {
        json_object_set(issuer, "id", json_object_get(issuer, "origin"));
        json_object_set(issuer, "url", json_object_get(issuer, "origin"));
        if (json_object_get(issuer, "contact"))
            json_object_set(issuer, "email", json_object_get(issuer, "contact"));
    }
    upgrade_date(d, root, "issued_on", "issuedOn");
}

/* OB 1.0 baked badges may hold only {"verify": {"url": …}}: the assertion is at that URL. */
static int follow_verify_url(ob2_doc *d)
{
    const char *url = json_string_value(json_object_get(json_object_get(d->root, "verify"), "url"));
    if (!url || json_object_get(d->root, "recipient") || json_object_get(d->root, "@context"))
        return 0;
    if (!cc_fetch_possible(d->fetch, url)) {
        ob2_diag(d, CC_ERROR, "/verify/url", "ob2-fetch", "the document only points to its hosted "
                 "assertion %s: %s", url, cc_fetch_refusal(d->fetch, url));
        return -1;
    }
    long status;
    json_t *doc = ob2_fetch_json(d, url, "/verify/url", "hosted assertion", &status);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return -1;
    }
    json_decref(d->root);
    d->root = doc;
    return 0;
}

/* Reference §2.5 #2: string @context with "v1" → 1.1; no context: string recipient → 0.5,
 * else 1.0; each is upgraded to 2.0 in place, with a warning. */
static void upgrade_legacy(ob2_doc *d)
{
    json_t *root = d->root;
    const char *ctx = json_string_value(json_object_get(root, "@context"));
    if (json_object_get(root, "@context") && !(ctx && strstr(ctx, "/v1")))
        return;
    const char *from = ctx ? "1.1" : json_is_string(json_object_get(root, "recipient")) ? "0.5" : "1.0";
    ob2_diag(d, CC_WARNING, "", "ob2-legacy", "Open Badges %s document upgraded to 2.0", from);
    if (strcmp(from, "0.5") == 0)
        upgrade_05(d);
    json_object_set_new(root, "@context", json_string(OB2_CONTEXT));
    json_t *verify = json_object_get(root, "verify");
    if (verify) {
        const char *url = json_string_value(json_object_get(verify, "url"));
        if (url && !json_object_get(root, "id"))
            json_object_set_new(root, "id", json_string(url));
        json_object_set(root, "verification", verify);
        json_object_del(root, "verify");
    }
    if (!json_object_get(root, "type") && json_object_get(root, "recipient"))
        json_object_set_new(root, "type", json_string("Assertion"));
    upgrade_date(d, root, "issuedOn", "issuedOn");
    upgrade_date(d, root, "expires", "expires");
    json_t *badge = json_object_get(root, "badge");
    if (json_is_object(badge) && !json_object_get(badge, "type"))
        json_object_set_new(badge, "type", json_string("BadgeClass"));
    json_t *issuer = json_object_get(badge, "issuer");
    if (json_is_object(issuer) && !json_object_get(issuer, "type"))
        json_object_set_new(issuer, "type", json_string("Issuer"));
}

/* ------------------------------------------------------------ one document */

static int emit_record(cc_read_ctx *ctx, ob2_doc *d, long index, bool checked)
{
    static const char *const assertion[] = {"Assertion", NULL};
    static const char *const badgeclass[] = {"BadgeClass", NULL};
    const char *lang = json_string_value(json_object_get(d->root, "@language"));
    cc_record *r = NULL;
    if (ob2_type_is(d->root, assertion)) {
        r = ob2_map_assertion(d->root, lang);
    } else if (ob2_type_is(d->root, badgeclass)) {
        r = cc_record_new(CC_REC_ACHIEVEMENT);
        r->achievement = ob2_map_badgeclass(r->arena, d->root, lang);
    }
    if (!r && checked && d->errors == 0) {
        ob2_diag(d, CC_NOTE, "", "ob2-no-record", "checked; holds no Assertion or BadgeClass, "
                 "so there is nothing to convert");
        return 0;
    }
    if (!r) {
        if (!checked)
            ob2_diag(d, CC_ERROR, "/type", "ob2-no-record", "neither an Assertion nor a BadgeClass");
        return ctx->sink.reject(ctx->sink.ud, d->file, d->line, d->record);
    }
    r->src_file = ctx->in->name;
    r->src_line = d->line;
    r->src_index = index;
    r->invalid = checked ? d->errors : 0;
    return ctx->sink.record(ctx->sink.ud, r);
}

static int handle_doc(cc_read_ctx *ctx, cc_schema_set *schema, json_t *root, long line, bool jws,
                      long index)
{
    ob2_doc d = {.root = root, .file = ctx->in->name, .line = line, .diag = ctx->diag, .fetch = ctx->fetch,
                 .signed_jws = jws, .verify = ctx->verify, .validate = ctx->validate, .schema = schema};
    if (!json_is_object(root)) {
        ob2_diag(&d, CC_ERROR, "", "ob2-not-object", "an Open Badges document is a JSON object");
        json_decref(root);
        return ctx->sink.reject(ctx->sink.ud, d.file, line, NULL);
    }
    if (follow_verify_url(&d) != 0) {
        json_decref(d.root);
        return ctx->sink.reject(ctx->sink.ud, d.file, line, NULL);
    }
    upgrade_legacy(&d);
    bool checked = ctx->validate || ctx->verify;
    if (d.errors && !checked) {  /* a 1.x date that has no 2.0 form: nothing sound to convert */
        json_decref(d.root);
        return ctx->sink.reject(ctx->sink.ud, d.file, line, NULL);
    }
    if (jws && !ctx->verify)  /* verify checks the signature first (converters/sign/sign_cmd.c) */
        ob2_diag(&d, CC_NOTE, "", "ob2-signature-not-checked",
                 "signed assertion: the payload is read, the signature is not checked");
    if (ctx->verify)
        ob2_verify_hosted(&d);
    char *rec = json_string_value(json_object_get(d.root, "id")) ? strdup(json_string_value(json_object_get(d.root, "id"))) : NULL;
    d.record = rec;
    ob2_resolve(&d);
    if (checked)
        ob2_check(&d);
    int rc = emit_record(ctx, &d, index, checked);
    json_decref(d.root);
    free(rec);
    return rc;
}

/* Compact JWS, one per line. */
static int read_jws(cc_read_ctx *ctx, cc_schema_set *schema)
{
    size_t len;
    char *buf = cc_input_slurp(ctx->in, MAX_JWS_INPUT, &len);
    if (!buf) {
        cc_diagf(ctx->diag, CC_ERROR, ctx->in->name, 0, 0, NULL, "io", "cannot read (or larger "
                 "than %d MB)", MAX_JWS_INPUT >> 20);
        return 1;
    }
    long line = 0, index = 0;
    int stop = 0;
    for (char *p = buf, *nl; !stop && p < buf + len; p = nl + 1) {
        nl = strchr(p, '\n');
        if (!nl)
            nl = buf + len;
        *nl = '\0';
        line++;
        size_t n;
        if (strspn(p, " \t\r") == strlen(p))
            continue;
        char *payload = cc_jws_payload(p, strlen(p), &n);
        json_t *root = payload ? cc_json_loadb(payload, n, JSON_REJECT_DUPLICATES, NULL) : NULL;
        free(payload);
        if (!root) {
            cc_diagf(ctx->diag, CC_ERROR, ctx->in->name, line, 0, NULL, "ob2-jws",
                     "not a compact JWS with a JSON payload");
            stop = ctx->sink.reject(ctx->sink.ud, ctx->in->name, line, NULL);
            continue;
        }
        stop = handle_doc(ctx, schema, root, line, true, ++index);
    }
    free(buf);
    return 0;
}

typedef struct reading {
    cc_read_ctx *ctx;
    cc_schema_set *schema;
    long index;
} reading;

static int json_doc(void *ud, const json_t *doc, long line)
{
    reading *rd = ud;
    return handle_doc(rd->ctx, rd->schema, json_incref((json_t *)doc), line, false, ++rd->index);
}

static int read_json(cc_read_ctx *ctx, cc_schema_set *schema)
{
    reading rd = {.ctx = ctx, .schema = schema};
    return cc_json_each(ctx->in, ctx->diag, json_doc, &rd);
}

int cc_ob2_read(cc_read_ctx *ctx)
{
    cc_schema_set *schema = NULL;
    if (ctx->validate || ctx->verify) {
        schema = ob2_load_schema(ctx);
        if (!schema)
            return 2;
    }
    size_t i = 0;
    while (i < ctx->in->peek_len && (isspace(ctx->in->peek[i]) || ctx->in->peek[i] >= 0xEF))
        i++;
    bool jws = i < ctx->in->peek_len && ctx->in->peek[i] != '{' && ctx->in->peek[i] != '[';
    int rc = jws ? read_jws(ctx, schema) : read_json(ctx, schema);
    cc_schema_release(ctx, schema);
    return rc;
}
