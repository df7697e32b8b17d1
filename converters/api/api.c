/* The library's high-level entry points (include/credconv/api.h): thin wrappers over what
 * the command runs — the pipeline (cc_run) for convert and validate, the formats' readers
 * and writers, and the cores of sign and verify (converters/sign/sign_cmd.c) — so the
 * library and the command give the same results, diagnostics and exit statuses. */
#include "credconv/api.h"

#include "cc_jose.h"
#include "cc_jsonread.h"
#include "cc_pipeline.h"
#include "cc_sign.h"
#include "cc_writecheck.h"

#include <curl/curl.h>
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/xmlIO.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Where an installed library finds the bundled schemas (the Makefile sets it from PREFIX). */
#ifndef CC_SCHEMA_DIR
#define CC_SCHEMA_DIR "/usr/local/share/credconv/schemas"
#endif

const char *cc_lib_version(void)
{
    return CC_VERSION;
}

/* libxml2 reports through our own handlers; its default prints to stderr a second time. */
static void quiet_libxml(void *ctx, const char *msg, ...)
{
    (void)ctx, (void)msg;
}

/* The same process-wide settings as the command's main(), for the same reasons (see there). */
int cc_lib_init(void)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return CC_FAILED;
    xmlInitParser();
    xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader);
    xmlSetGenericErrorFunc(NULL, quiet_libxml);
    json_set_alloc_funcs(cc_json_malloc, free);
    return CC_OK;
}

void cc_lib_cleanup(void)
{
    xmlCleanupParser();
    curl_global_cleanup();
}

/* ------------------------------------------------------------ shared pieces */

/* A caller that gives no sink gets the diagnostics on stderr, as the command prints them
 * (notes, what a conversion loses, only when asked for: never here). */
static void print_stderr(void *ud, const cc_diag *d)
{
    (void)ud;
    if (d->severity != CC_NOTE)
        cc_diag_print(stderr, d);
}

static const cc_diag_sink stderr_sink = {.emit = print_stderr};

static const cc_diag_sink *sink_or_stderr(const cc_diag_sink *diag)
{
    return diag ? diag : &stderr_sink;
}

static const char *schema_dir_or_default(const char *dir)
{
    const char *env = getenv("CREDCONV_SCHEMAS");
    return dir ? dir : env && *env ? env : CC_SCHEMA_DIR;
}

/* The internal fetch options of one call: the maps split at '=' (their copies in one
 * allocation), and the call's cache (each URL fetched once per call, as once per run for
 * the command).  Freed by fetch_done. */
typedef struct api_fetch {
    cc_fetch_opts f;
    cc_url_map *maps;
    char *strings;
} api_fetch;

static void fetch_done(api_fetch *a)
{
    free(a->strings);
    free(a->maps);
    cc_fetch_cache_free(a->f.cache);
}

/* CC_OK, or CC_FAILED after a diagnostic (a map without '='). */
static int fetch_make(api_fetch *a, const cc_fetch_options *p, const cc_diag_sink *diag)
{
    *a = (api_fetch){.f = CC_FETCH_DEFAULTS};
    a->f.network = p->network;
    size_t total = 1;
    for (size_t i = 0; i < p->nmaps; i++)
        total += strlen(p->maps[i]) + 1;
    a->f.cache = cc_fetch_cache_new();
    a->maps = calloc(p->nmaps + 1, sizeof *a->maps);
    a->strings = malloc(total);
    if (!a->f.cache || !a->maps || !a->strings)
        cc_oom();
    char *m = a->strings;
    for (size_t i = 0; i < p->nmaps; i++, m += strlen(m) + 1) {
        strcpy(m, p->maps[i]);
        char *eq = strchr(m, '=');
        if (!eq || eq == m || !eq[1]) {
            cc_diagf(diag, CC_ERROR, NULL, 0, 0, NULL, "usage", "a map needs PREFIX=DIR, got '%s'", p->maps[i]);
            return CC_FAILED;
        }
        *eq = '\0';
        a->maps[i] = (cc_url_map){.prefix = m, .dir = eq + 1};
        m = eq + 1;
    }
    a->f.maps = a->maps;
    a->f.nmaps = p->nmaps;
    return CC_OK;
}

/* ------------------------------------------------------------ convert, validate */

static int find_format(const char *name, const cc_format **out, const cc_diag_sink *diag)
{
    *out = name ? cc_format_find(name) : NULL;
    if (name && !*out)
        cc_diagf(diag, CC_ERROR, NULL, 0, 0, NULL, "usage", "unknown format '%s'", name);
    return name && !*out ? CC_FAILED : CC_OK;
}

/* The usage rules of the command that the options struct cannot express by itself. */
static int check_run(const cc_options *o, const cc_diag_sink *diag)
{
    const char *why = NULL;
    if (o->cmd == CMD_CONVERT && (!o->to || !(o->to->caps & CC_CAP_WRITE)))
        why = "convert needs a format that can be written (to)";
    else if (o->out_file && o->out_dir)
        why = "out_file and out_dir cannot be used together";
    else if (o->bake_image || (o->cmd != CMD_CONVERT && (o->recipients_file || o->issuer_file)))
        why = "issuing goes with cc_convert";
    if (why)
        cc_diagf(diag, CC_ERROR, NULL, 0, 0, NULL, "usage", "%s", why);
    return why ? CC_FAILED : cc_sig_check_options(o) >= 0 ? CC_FAILED : CC_OK;
}

static void options_from(cc_options *o, const cc_convert_opts *p)
{
    /* The pipeline only reads the inputs and codes (the casts drop a const it does not need). */
    o->inputs = (char **)p->inputs, o->ninputs = p->ninputs;
    o->selects = (const char **)p->selects, o->nselects = p->nselects;
    o->out = p->out, o->out_file = p->out_file, o->out_dir = p->out_dir;
    o->schema = p->schema, o->schema_dir = schema_dir_or_default(p->schema_dir);
    o->active_only = p->active_only, o->strict = p->strict, o->verbose = p->verbose;
    o->allow_invalid = p->allow_invalid;
    o->issuer_file = p->issuer_file, o->recipients_file = p->recipients_file;
    o->hash_recipients = p->hash_recipients, o->id_base = p->id_base;
    o->badge_image = p->badge_image;
    o->sig = (cc_sig_options){.sign_key = p->sign_key, .alg = p->sign_alg, .kid = p->sign_kid,
                              .suite = p->sign_suite};
    o->max_json_size = p->max_json_size;
    o->diag = p->diag;
}

static int run_command(cc_command cmd, const cc_convert_opts *p)
{
    const cc_diag_sink *diag = sink_or_stderr(p->diag);
    cc_options o = {.cmd = cmd};
    options_from(&o, p);
    api_fetch af;
    int rc = fetch_make(&af, &p->fetch, diag);
    if (rc == CC_OK)
        rc = find_format(p->from, &o.from, diag);
    if (rc == CC_OK && cmd == CMD_CONVERT)
        rc = find_format(p->to, &o.to, diag);
    if (rc == CC_OK)
        rc = check_run(&o, diag);
    o.fetch = af.f;
    cc_counts n = {0};
    o.counts = &n;
    if (rc == CC_OK && !(o.write_check = cc_wcheck_new(o.schema_dir, o.allow_invalid)))
        cc_oom();
    if (rc == CC_OK)
        rc = cc_run(&o);
    if (p->result)
        *p->result = (cc_result){.read = n.read, .written = n.written, .rejected = n.rejected,
                                 .filtered = n.filtered, .invalid = n.invalid};
    cc_wcheck_free(o.write_check);
    fetch_done(&af);
    return rc;
}

int cc_convert(const cc_convert_opts *o)
{
    return run_command(CMD_CONVERT, o);
}

int cc_validate(const cc_convert_opts *o)
{
    return run_command(CMD_VALIDATE, o);
}

/* ------------------------------------------------------------ read, write */

int cc_read_records(const char *path, const char *from, const char *schema_dir, bool validate,
                    const cc_record_sink *sink, const cc_diag_sink *diag)
{
    diag = sink_or_stderr(diag);
    const cc_format *f = NULL;
    if (find_format(from, &f, diag) != CC_OK)
        return CC_FAILED;
    cc_input in;
    if (cc_input_open(&in, path) != 0) {
        cc_diagf(diag, CC_ERROR, path, 0, 0, NULL, "io", "cannot open: %s", *in.error ? in.error : strerror(errno));
        return CC_FAILED;
    }
    if (!f)
        f = cc_format_detect(in.peek, in.peek_len);
    int rc = CC_BAD;
    if (!f || !(f->caps & CC_CAP_READ)) {
        cc_diagf(diag, CC_ERROR, in.name, 0, 0, NULL, "detect", f ? "format '%s' cannot be read"
                 : "cannot tell the format of this input%s", f ? f->name : "");
    } else {
        cc_read_ctx ctx = {.in = &in, .sink = *sink, .diag = diag, .validate = validate,
                           .schema_dir = schema_dir_or_default(schema_dir)};
        rc = f->read(&ctx);
        if (*in.error) {
            cc_diagf(diag, CC_ERROR, in.name, 0, 0, NULL, "io", "%s", in.error);
            rc = CC_FAILED;
        }
    }
    cc_input_close(&in);
    return rc;
}

int cc_write_record(const cc_record *r, const char *to, const char *schema_dir, char **out,
                    size_t *len, const cc_diag_sink *diag)
{
    diag = sink_or_stderr(diag);
    *out = NULL, *len = 0;
    const cc_format *f = NULL;
    if (find_format(to ? to : "", &f, diag) != CC_OK)
        return CC_FAILED;
    if (!(f->caps & CC_CAP_WRITE)) {
        cc_diagf(diag, CC_ERROR, NULL, 0, 0, NULL, "usage", "format '%s' cannot be written", f->name);
        return CC_FAILED;
    }
    char *buf = NULL;
    size_t n = 0;
    FILE *mem = open_memstream(&buf, &n);
    cc_wcheck *check = cc_wcheck_new(schema_dir_or_default(schema_dir), false);
    if (!mem || !check)  /* the one out-of-memory policy (credconv.h) */
        cc_oom();
    cc_write_ctx wc = {.out = mem, .diag = diag, .records_in_output = 1, .check = check};
    void *w = f->writer_open(&wc);
    int rc = w ? f->writer_record(w, r) : CC_FAILED;
    if (w && f->writer_close(w) != 0)
        rc = CC_FAILED;
    if (fclose(mem) != 0)
        rc = CC_FAILED;
    cc_wcheck_free(check);
    if (rc != CC_OK) {
        free(buf);
        return rc;
    }
    *out = buf, *len = n;
    return CC_OK;
}

/* ------------------------------------------------------------ sign, verify */

/* A copy that ends in a NUL, as the parsers of sign and verify read it. */
static char *nul_copy(const char *doc, size_t len)
{
    char *s = malloc(len + 1);
    if (!s)
        cc_oom();
    memcpy(s, doc, len);
    s[len] = '\0';
    return s;
}

/* The private key of o, or NULL after a diagnostic. */
static EVP_PKEY *signing_key(const cc_sign_opts *o, const cc_diag_sink *diag)
{
    cc_jose_err e = {0};
    EVP_PKEY *key = o->key_file ? cc_key_load_file(o->key_file, true, NULL, &e) : NULL;
    const char *why = !o->key_file ? "signing needs a key file" : !key ? e.msg
                    : !cc_key_is_private(key) ? "this is a public key: signing needs the private key"
                    : !cc_alg_for_key(key) ? "only RSA, P-256 and Ed25519 keys sign (RS256, ES256, EdDSA)" : NULL;
    if (!why)
        return key;
    cc_diagf(diag, CC_ERROR, o->key_file, 0, 0, NULL, !o->key_file ? "usage" : !key ? e.rule : "key-unsupported",
             "%s", why);
    EVP_PKEY_free(key);
    return NULL;
}

static int sign_usage(const cc_sign_opts *o, const cc_diag_sink *diag)
{
    const char *why = o->alg && !cc_alg_from_name(o->alg) ? "unknown alg (RS256, ES256, EdDSA)"
                    : o->suite && strcmp(o->suite, "eddsa-rdfc-2022") ? "unknown suite (eddsa-rdfc-2022)"
                    : o->kid && o->embed_jwk ? "kid and embed_jwk cannot be used together" : NULL;
    if (why)
        cc_diagf(diag, CC_ERROR, NULL, 0, 0, NULL, "usage", "%s", why);
    return why ? CC_FAILED : CC_OK;
}

int cc_sign_buffer(const char *doc, size_t len, const cc_sign_opts *o, char **out,
                   const cc_diag_sink *diag)
{
    diag = sink_or_stderr(diag);
    *out = NULL;
    if (sign_usage(o, diag) != CC_OK)
        return CC_FAILED;
    EVP_PKEY *key = signing_key(o, diag);
    char *text = key ? nul_copy(doc, len) : NULL;
    api_fetch af;
    int rc = text ? fetch_make(&af, &o->fetch, diag) : CC_FAILED;
    if (rc == CC_OK) {
        cc_sig_options s = {.kid = o->kid, .embed_jwk = o->embed_jwk, .suite = o->suite};
        cc_jose_err e = {0};
        *out = cc_sign_text(text, len, "<buffer>", &s, &af.f, key,
                            o->alg ? cc_alg_from_name(o->alg) : CC_ALG_UNKNOWN, NULL, diag, &e);
        rc = *out ? CC_OK : CC_BAD;
    }
    if (text)
        fetch_done(&af);
    free(text);
    EVP_PKEY_free(key);
    return rc;
}

/* The keys and OB 2.0 documents of a verification, owned here. */
typedef struct api_keys {
    cc_verify_opts v;
    char *key_id;
    json_t *jwks, *profile, *revocation;
} api_keys;

static json_t *json_file(const char *path, const char *what, const cc_diag_sink *diag, bool *bad)
{
    if (!path || *bad)
        return NULL;
    json_error_t je;
    json_t *j = cc_json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!json_is_object(j)) {
        cc_diagf(diag, CC_ERROR, path, je.line, 0, NULL, "usage", "the %s is not a JSON object (%s)", what,
                 j ? "not an object" : je.text);
        json_decref(j);
        *bad = true;
        return NULL;
    }
    return j;
}

static int keys_load(api_keys *k, const cc_verify_options *o, const cc_diag_sink *diag)
{
    cc_jose_err e = {0};
    *k = (api_keys){.v = {.now = cc_epoch_now(), .key_file = o->key_file, .jwks_file = o->jwks_file,
                          .accept_unbound = o->accept_unbound}};
    if (o->key_file && !(k->v.key = cc_key_load_file(o->key_file, false, &k->key_id, &e))) {
        cc_diagf(diag, CC_ERROR, o->key_file, 0, 0, NULL, e.rule, "%s", e.msg);
        return CC_FAILED;
    }
    bool bad = false;
    k->jwks = json_file(o->jwks_file, "JWK Set", diag, &bad);
    k->profile = json_file(o->issuer_profile_file, "issuer profile", diag, &bad);
    k->revocation = json_file(o->revocation_list_file, "revocation list", diag, &bad);
    if (!bad && k->jwks && !json_is_array(json_object_get(k->jwks, "keys"))) {
        cc_diagf(diag, CC_ERROR, o->jwks_file, 0, 0, NULL, "usage", "a JWK Set has a \"keys\" array");
        bad = true;
    }
    k->v.key_id = k->key_id, k->v.jwks = k->jwks;
    k->v.issuer_profile = k->profile, k->v.revocation_list = k->revocation;
    return bad ? CC_FAILED : CC_OK;
}

static void keys_free(api_keys *k)
{
    EVP_PKEY_free(k->v.key);
    free(k->key_id);
    json_decref(k->jwks), json_decref(k->profile), json_decref(k->revocation);
}

static void result_from(cc_verify_result *r, const cc_verdict *v)
{
    *r = (cc_verify_result){.status = v->status, .bound = v->bound};
    snprintf(r->kind, sizeof r->kind, "%s", v->kind ? v->kind : "input");
    snprintf(r->binding, sizeof r->binding, "%s", v->binding);
    snprintf(r->checked, sizeof r->checked, "%s", v->checked);
    snprintf(r->unchecked, sizeof r->unchecked, "%s", v->unchecked);
    snprintf(r->reason, sizeof r->reason, "%s", v->reason);
}

int cc_verify_buffer(const char *doc, size_t len, const cc_verify_options *o, cc_verify_result *v,
                     const cc_diag_sink *diag)
{
    *v = (cc_verify_result){.status = -1};
    snprintf(v->kind, sizeof v->kind, "input");
    api_keys k;
    api_fetch af;
    int rc = keys_load(&k, o, sink_or_stderr(diag));
    int frc = fetch_make(&af, &o->fetch, sink_or_stderr(diag));
    char *text = rc == CC_OK && frc == CC_OK ? nul_copy(doc, len) : NULL;
    if (text) {
        k.v.fetch = &af.f;
        cc_verdict out = {.status = -1};
        /* NULL diag: cc_verify_text prints as verify prints */
        rc = cc_verify_text(text, len, o->name ? o->name : "<buffer>", &k.v, diag, &out) == 0 ? CC_OK : CC_BAD;
        result_from(v, &out);
    } else if (rc == CC_OK) {
        rc = CC_FAILED;
    }
    free(text);
    fetch_done(&af);
    keys_free(&k);
    return rc;
}
