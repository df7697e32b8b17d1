/* credconv sign and credconv verify: option parsing, input detection, one line of verdict
 * per input.  The cryptography is in jose*.c, vcjwt.c, ob2_sig.c and edc_sig.c. */
#include "cc_jsonread.h"
#include "cc_bake.h"
#include "cc_pipeline.h"
#include "cc_sign.h"
#include "cc_jades.h"
#include "cc_status.h"
#include "cc_workers.h"
#include "cc_rdf.h"

#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char cc_sign_usage[] =
    "\n"
    "Signatures (see docs/signatures.md):\n"
    "  credconv sign   --key KEY [--alg ALG] [--kid URI | --embed-jwk] [INPUT ...]\n"
    "  credconv sign   --key KEY --suite eddsa-rdfc-2022 [--kid URI] [INPUT ...]\n"
    "  credconv sign   --key KEY --cert CERT.pem [--chain FILE] [--alg ALG] [INPUT ...]\n"
    "  credconv verify [--key KEY | --jwks FILE] [--ca FILE] [--issuer-profile FILE]\n"
    "                  [--revocation-list FILE] [verify options] [INPUT ...]\n"
    "  sign writes an Open Badges 3.0 credential as a VC-JWT, or with --suite the same\n"
    "  credential with an embedded Data Integrity proof (one JSON line), or an Open Badges\n"
    "  2.0 assertion as a compact JWS (RS256), one per line on standard output; with\n"
    "  --cert, any JSON credential as a JAdES seal (JWS JSON, unencoded payload); NDJSON\n"
    "  (one credential per line, as convert writes) is signed line by line; --jobs N signs\n"
    "  N lines at a time, the output in the input's order.\n"
    "  verify first checks the signature of each signed input (VC-JWT, Data Integrity proof,\n"
    "  OB 2.0 JWS, also baked, sealed EDC XML, JAdES seals) and prints what was checked and\n"
    "  what was not; a signature that does not check, or cannot be checked, gives exit\n"
    "  status 1.  A Data Integrity proof needs the JSON-LD contexts its credential names:\n"
    "  give --map-url PREFIX=DIR (local copies) or --fetch.  A file of records (one token\n"
    "  or one-line JSON credential per line, as convert --sign and sign write) is\n"
    "  verified line by line, each named FILE:LINE, whatever its size; --report FILE adds\n"
    "  one entry per line.\n"
    "      --key FILE        sign: the private key (PEM, JWK or Multikey); verify: the public\n"
    "                        key (PEM, certificate, JWK, Multikey, or an OB 2.0\n"
    "                        CryptographicKey)\n"
    "      --alg ALG         RS256 (default for RSA keys), ES256 (P-256) or EdDSA (Ed25519);\n"
    "                        with --cert also PS256\n"
    "      --cert CERT.pem   sign, convert --sign: seal as JAdES baseline-B with the key's\n"
    "                        certificate (x5c, x5t#S256, sigT, b64 false, crit)\n"
    "      --chain FILE      with --cert: the issuing certificates (PEM) added to x5c\n"
    "      --ca FILE         verify: trusted certificates (PEM) for JAdES seals and their\n"
    "                        timestamps; the chain must reach one at sigT\n"
    "      --kid URI         sign: name the verification key in the header by URI (with\n"
    "                        --suite: the proof's verificationMethod; without it the\n"
    "                        key's did:key, only when that is the issuer's id)\n"
    "      --embed-jwk       sign: put the public key in the header (the default)\n"
    "      --suite eddsa-rdfc-2022\n"
    "                        sign, convert --sign: embed a Data Integrity proof (Ed25519 key)\n"
    "                        instead of making a VC-JWT\n"
    "      --sign KEY        convert -t ob3, clr or ob2: write each record signed (a VC-JWT,\n"
    "                        or an OB 2.0 JWS; with --cert, edc3: a JAdES seal),\n"
    "                        one token per line or one .jwt/.jws/.json per file;\n"
    "                        --alg, --kid, --embed-jwk and --suite apply\n"
    "      --jwks FILE       verify: a JWK Set; the header kid picks the key\n"
    "      --issuer-profile FILE\n"
    "                        verify: the OB 2.0 issuer Profile; its publicKey must list\n"
    "                        the signing key\n"
    "      --revocation-list FILE\n"
    "                        verify: the OB 2.0 issuer's RevocationList\n"
    "      --status-list-file FILE\n"
    "                        verify: a status list credential (as credconv status publish\n"
    "                        writes it) for the credentialStatus entries naming its id;\n"
    "                        repeatable.  A credential with a status whose list cannot be had\n"
    "                        (this, --map-url or --fetch) is NOT CHECKED, exit 1; revoked\n"
    "                        or suspended: INVALID\n"
    "      --accept-unbound-key\n"
    "                        verify: exit 0 for a valid signature even when the key is not\n"
    "                        shown to be the issuer's (anyone could have signed: integrity\n"
    "                        only, never authorship; each such input is warned about)\n";

__attribute__((format(printf, 1, 2))) static int usage(const char *fmt, ...)
{
    fputs("credconv: error: ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" [usage]\nTry 'credconv --help'.\n", stderr);
    return 2;
}

/* --cert, --chain (a JAdES seal: sign, convert --sign) and --ca (verify). */
static int seal_options(const cc_options *o, bool signing)
{
    const cc_sig_options *s = &o->sig;
    if ((s->cert || s->chain) && !signing)
        return usage("%s--cert and --chain go with sign and convert --sign", "");
    if (s->chain && !s->cert)
        return usage("%s--chain needs --cert (the signing key's certificate)", "");
    if (s->cert && (s->kid || s->embed_jwk || s->suite))
        return usage("%s--cert makes a JAdES seal: --kid, --embed-jwk and --suite do not apply", "");
    if (s->cert && o->to && !(o->to->sigs & CC_SIG_JADES))
        return usage("--cert: format '%s' takes no JAdES seal (see credconv formats)", o->to->name);
    if (s->ca && o->cmd != CMD_VERIFY && !(o->cmd == CMD_PROGRESS && o->verify_each))
        return usage("%s--ca goes with verify and progress --verify", "");
    return -1;
}

int cc_sig_check_options(const cc_options *o)
{
    const cc_sig_options *s = &o->sig;
    /* progress --verify takes verify's key options */
    bool verifying = o->cmd == CMD_VERIFY || (o->cmd == CMD_PROGRESS && o->verify_each);
    bool signing = o->cmd == CMD_SIGN || ((o->cmd == CMD_CONVERT || (o->cmd == CMD_PROGRESS && o->issue)) && s->sign_key);
    if (o->cmd == CMD_SIGN && !s->key)
        return usage("%ssign needs --key FILE (a private key)", "");
    if (s->sign_key && o->cmd != CMD_CONVERT && !(o->cmd == CMD_PROGRESS && o->issue))
        return usage("%s--sign goes with convert and progress --issue (sign takes --key)", "");
    if (s->key && o->cmd != CMD_SIGN && !verifying)
        return usage("%s--key goes with sign, verify and progress --verify (convert takes --sign KEY)", "");
    if ((s->alg || s->kid || s->embed_jwk) && !signing)
        return usage("%s--alg, --kid and --embed-jwk go with sign and convert --sign", "");
    if (s->kid && s->embed_jwk)
        return usage("%s--kid and --embed-jwk cannot be used together", "");
    if (s->alg && !cc_alg_from_name(s->alg) && !(s->cert && !strcmp(s->alg, "PS256")))
        return usage("unknown --alg '%s' (RS256, ES256, EdDSA; with --cert also PS256)", s->alg);
    int sr = seal_options(o, signing);
    if (sr >= 0)
        return sr;
    if ((s->jwks || s->issuer_profile || s->revocation_list || s->accept_unbound) && !verifying)
        return usage("%s--jwks, --issuer-profile, --revocation-list and --accept-unbound-key go with verify "
                     "and progress --verify", "");
    if (s->key && s->jwks)
        return usage("%s--key and --jwks cannot be used together", "");
    if (s->sign_key && o->to && !o->to->sigs)
        return usage("--sign: format '%s' has no signature here (see credconv formats)", o->to->name);
    if (s->suite && (!signing || strcmp(s->suite, "eddsa-rdfc-2022")))
        return usage(signing ? "unknown --suite '%s' (eddsa-rdfc-2022)" : "%s--suite goes with sign and "
                     "convert --sign", signing ? s->suite : "");
    if (s->suite && (s->alg || s->embed_jwk || (o->to && !(o->to->sigs & CC_SIG_DI))))
        return usage("%s--suite makes a Data Integrity proof (Ed25519): --alg, --embed-jwk and "
                     "formats without one (see credconv formats) do not apply", "");
    return -1;
}

/* ------------------------------------------------------------ diagnostics */

struct one;
static bool note_diag(struct one *x, const cc_diag *d);

/* ud: the input being verified (NULL when signing). */
static void print_diag(void *ud, const cc_diag *d)
{
    if (ud && note_diag(ud, d))
        return;
    if (d->severity == CC_NOTE)
        return;
    cc_diag_print(stderr, d);
}


static const char *shown(const char *path)
{
    return !strcmp(path, "-") ? "<stdin>" : path;
}

/* ------------------------------------------------------------ sign */

/* An OB 2.0 assertion is signed byte for byte, without the white space around it. */
static size_t lead(const char *s)
{
    return strspn(s, " \t\r\n");
}

static size_t trimmed_len(const char *s, size_t len)
{
    size_t start = lead(s);
    while (len > start && strchr(" \t\r\n", s[len - 1]))
        len--;
    return len - start;
}

/* After a Data Integrity signature with --kid, or a refusal for want of one (di-kid): the
 * controller document the issuer must publish for verifiers to bind the key. */
static void publish_hint(const char *path, const json_t *doc, const char *kid, EVP_PKEY *key,
                         const char *rule, FILE *err)
{
    if (!(rule ? !strcmp(rule, "di-kid") : kid && strncmp(kid, "did:key:", 8) != 0))
        return;
    char *hint = cc_di_publish_hint(doc, rule ? NULL : kid, key);
    if (hint)
        fprintf(err, "%s: note: %s", shown(path), hint);
    free(hint);
}

/* What sign signs with: the key, --alg, and with --cert the seal's certificates. */
typedef struct signing {
    EVP_PKEY *key;
    cc_alg alg;
    const char *alg_name;         /* --alg as given (PS256 is a seal's only) */
    STACK_OF(X509) *certs;        /* --cert [--chain]: a JAdES seal; NULL otherwise */
    cc_vcjwt_prep *prep;          /* VC-JWT header and key checks, made once for the run */
    const cc_fetch_opts *fetch;   /* the run's, or (--jobs) a worker's: its own JSON-LD state */
} signing;

/* A sign diagnostic on the stream given as ud (stderr, or a --jobs worker's buffer). */
static void print_to(void *ud, const cc_diag *d)
{
    if (d->severity != CC_NOTE)
        cc_diag_print(ud, d);
}

/* One JSON document (text, len: NUL-terminated at len) signed: a malloc'd token or line,
 * or NULL after an error reported to diag (e has its rule).  Also the library's
 * cc_sign_buffer (converters/api/api.c). */
char *cc_sign_text(const char *text, size_t len, const char *where, const cc_sig_options *a,
                   const cc_fetch_opts *fetch, EVP_PKEY *key, cc_alg alg, cc_vcjwt_prep *prep,
                   const cc_diag_sink *diag, cc_jose_err *e)
{
    json_error_t je;
    json_t *doc = cc_json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    char *token = NULL;
    if (!json_is_object(doc)) {
        cc_jose_fail(e, "sign-input", "not a JSON object (line %d: %s)", je.line, doc ? "not an object" : je.text);
    } else if (cc_is_ob2_assertion(doc)) {
        if (a->kid || a->embed_jwk || a->suite || (alg && alg != CC_ALG_RS256))
            cc_jose_fail(e, "ob2-alg", "an OB 2.0 assertion is signed RS256 with the header {\"alg\":\"RS256\"}: "
                         "--alg, --kid, --embed-jwk and --suite do not apply");
        else
            token = cc_ob2_sign(text + lead(text), trimmed_len(text, len), key, where, diag, e);
    } else if (a->suite) {
        cc_di_sign_opts d = {.key = key, .verification_method = a->kid, .fetch = fetch};
        token = cc_di_sign_line(doc, &d, e);
    } else {
        cc_vcjwt_sign_opts vo = {.key = key, .alg = alg, .kid = a->kid, .embed_jwk = a->embed_jwk || !a->kid,
                                 .prep = prep};
        if ((alg ? alg : cc_alg_for_key(key)) == CC_ALG_EDDSA)
            cc_diagf(diag, CC_WARNING, where, 0, 0, NULL, "vcjwt-eddsa",
                     "the 1EdTech validator accepts only RS256 and ES256 VC-JWTs");
        token = cc_vcjwt_sign(doc, &vo, where, diag, e);
    }
    json_decref(doc);
    if (!token)
        cc_diagf(diag, CC_ERROR, where, 0, 0, NULL, e->rule ? e->rule : "sign", "%s", e->msg);
    return token;
}

/* A JAdES seal of the document as given (without the white space around it); NULL after
 * an error reported. */
static char *seal_doc(const char *text, size_t len, const char *where, const signing *g, cc_jose_err *e,
                      const cc_diag_sink *diag)
{
    json_error_t je;
    json_t *doc = cc_json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    char *token = NULL;
    if (!json_is_object(doc)) {
        cc_jose_fail(e, "sign-input", "not a JSON object (line %d: %s)", je.line, doc ? "not an object" : je.text);
    } else {
        cc_jades_seal_opts so = {.key = g->key, .alg = g->alg_name, .certs = g->certs};
        token = cc_jades_seal(text + lead(text), trimmed_len(text, len), &so, e);
    }
    json_decref(doc);
    if (!token)
        cc_diagf(diag, CC_ERROR, where, 0, 0, NULL, e->rule ? e->rule : "sign", "%s", e->msg);
    return token;
}

/* The command's: the token on out (stdout), and after a Data Integrity signature the
 * controller document the issuer must publish (a note on err). */
static int sign_doc(const char *text, size_t len, const char *where, const cc_options *o, const signing *g,
                    FILE *out, FILE *err)
{
    cc_jose_err e = {0};
    cc_diag_sink diag = {.emit = print_to, .ud = err};
    char *token = g->certs ? seal_doc(text, len, where, g, &e, &diag)
                           : cc_sign_text(text, len, where, &o->sig, g->fetch, g->key, g->alg, g->prep,
                                          &diag, &e);
    if (o->sig.suite && !g->certs && (token || e.rule)) {
        json_t *doc = cc_json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
        if (json_is_object(doc) && !cc_is_ob2_assertion(doc))
            publish_hint(where, doc, o->sig.kid, g->key, token ? NULL : e.rule, err);
        json_decref(doc);
    }
    if (!token)
        return 1;
    fprintf(out, "%s\n", token);
    free(token);
    return 0;
}

/* ------------------------------------------------------------ sign --jobs N */

/* The run of the sign command: with --jobs each document goes to a worker, which signs it
 * into buffers of its own; the reading thread emits them in input order (stdout, stderr,
 * the exit status), so the output is that of one thread. */
typedef struct sign_run {
    const cc_options *o;
    const signing *g;
    cc_pool *pool;                /* NULL: one thread */
    int worst;                    /* the exit status so far */
} sign_run;

typedef struct sign_job {
    char *text;                   /* the document, NUL-terminated; NULL for a message */
    size_t len;
    char *where;
    char *msg;                    /* a message of the reading thread's, in its turn */
    char *out, *err;              /* what the worker wrote */
    size_t out_len, err_len;
    int rc;
} sign_job;

typedef struct sign_worker {
    const cc_options *o;
    signing g;                    /* a key, VC-JWT preparation and JSON-LD run of its own */
    cc_vcjwt_prep prep;
    cc_fetch_opts fetch;
} sign_worker;

static void sign_work(void *state, void *jp)
{
    sign_worker *w = state;
    sign_job *j = jp;
    FILE *out = open_memstream(&j->out, &j->out_len), *err = open_memstream(&j->err, &j->err_len);
    if (!out || !err)
        cc_oom();
    if (j->text)
        j->rc = sign_doc(j->text, j->len, j->where, w->o, &w->g, out, err);
    else
        fputs(j->msg, err);
    fclose(out);
    fclose(err);
}

static void sign_emit(void *ud, void *jp)
{
    sign_run *sr = ud;
    sign_job *j = jp;
    /* a reader's message emitted without a worker has no out buffer: fwrite takes none */
    if (j->out_len)
        fwrite(j->out, 1, j->out_len, stdout);
    if (j->err_len)
        fwrite(j->err, 1, j->err_len, stderr);
    sr->worst = j->rc > sr->worst ? j->rc : sr->worst;
    free(j->text), free(j->where), free(j->msg), free(j->out), free(j->err);
    free(j);
}

static sign_job *job_new(void)
{
    sign_job *j = calloc(1, sizeof *j);
    if (!j)
        cc_oom();
    return j;
}

/* One document signed now, or (--jobs) handed to a worker. */
static void sign_one(sign_run *sr, const char *text, size_t len, const char *where)
{
    if (!sr->pool) {
        int r = sign_doc(text, len, where, sr->o, sr->g, stdout, stderr);
        sr->worst = r > sr->worst ? r : sr->worst;
        return;
    }
    sign_job *j = job_new();
    if (!(j->text = malloc(len + 1)) || !(j->where = strdup(where)))
        cc_oom();
    memcpy(j->text, text, len);
    j->text[len] = '\0';
    j->len = len;
    cc_pool_submit(sr->pool, j);
}

/* A message of the reading thread's (an input that cannot be read…), in its place. */
__attribute__((format(printf, 3, 4))) static void sign_msg(sign_run *sr, int rc, const char *fmt, ...)
{
    sign_job *j = job_new();
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&j->msg, fmt, ap) < 0)
        cc_oom();
    va_end(ap);
    j->rc = rc;
    if (sr->pool) {
        cc_pool_submit(sr->pool, j);
        return;
    }
    fputs(j->msg, stderr);
    sign_emit(sr, j);
}

static void sign_workers_free(sign_worker *ws, size_t n)
{
    for (size_t i = 0; ws && i < n; i++) {
        EVP_PKEY_free(ws[i].g.key);
        cc_vcjwt_prep_free(&ws[i].prep);
        cc_jsonld_run_free(ws[i].fetch.jsonld);
        cc_fetch_cache_free(ws[i].fetch.cache);
    }
    free(ws);
}

/* --jobs N > 1: N workers, each with its own key (loaded again) and run state; NULL after a
 * message when one cannot be made. */
static sign_worker *sign_workers_new(const cc_options *o, const signing *g, size_t n)
{
    sign_worker *ws = calloc(n, sizeof *ws);
    if (!ws)
        cc_oom();
    for (size_t i = 0; i < n; i++) {
        sign_worker *w = &ws[i];
        *w = (sign_worker){.o = o, .g = *g, .fetch = o->fetch};
        w->fetch.cache = o->fetch.cache ? cc_fetch_cache_new() : NULL;
        w->fetch.jsonld = o->fetch.jsonld ? cc_jsonld_run_new() : NULL;
        w->g.prep = &w->prep, w->g.fetch = &w->fetch;
        if (!(w->g.key = cc_sign_key_load(o->sig.key))) {
            sign_workers_free(ws, i + 1);
            return NULL;
        }
    }
    return ws;
}

/* Reads and signs one input, streaming NDJSON line by line (defined with the line reader). */
static void sign_file(const char *path, sign_run *sr);

/* A private key that can sign (RSA ≥ 2048, P-256, Ed25519); NULL reported. */
EVP_PKEY *cc_sign_key_load(const char *path)
{
    cc_jose_err e = {0};
    EVP_PKEY *key = cc_key_load_file(path, true, NULL, &e);
    const char *why = !key ? e.msg : !cc_key_is_private(key) ? "this is a public key: signing needs the private key"
                    : !cc_alg_for_key(key) ? "only RSA, P-256 and Ed25519 keys sign (RS256, ES256, EdDSA)" : NULL;
    if (why) {
        fprintf(stderr, "%s: error: %s [%s]\n", path, why, !key ? e.rule : !cc_key_is_private(key) ? "key-not-private"
                                                                                   : "key-unsupported");
        EVP_PKEY_free(key);
        return NULL;
    }
    return key;
}

int cc_sign_command(const cc_options *o)
{
    EVP_PKEY *key = cc_sign_key_load(o->sig.key);
    if (!key)
        return 2;
    cc_alg alg = o->sig.alg ? cc_alg_from_name(o->sig.alg) : CC_ALG_UNKNOWN;
    cc_jose_err e = {0};
    cc_vcjwt_prep prep = {0};  /* the header and key checks, made once for the run */
    signing sg = {.key = key, .alg = alg, .alg_name = o->sig.alg, .prep = &prep, .fetch = &o->fetch}, *g = &sg;
    if (o->sig.cert && !(sg.certs = cc_jades_load_certs(o->sig.cert, o->sig.chain, key, &e))) {
        fprintf(stderr, "credconv: error: %s [%s]\n", e.msg, e.rule);
        EVP_PKEY_free(key);
        return 2;
    }
    static const char *const stdin_only[] = {"-"};
    const char *const *in = o->ninputs ? (const char *const *)o->inputs : stdin_only;
    size_t n = o->ninputs ? o->ninputs : 1;
    sign_run sr = {.o = o, .g = g};
    size_t nw = o->jobs > 1 ? (size_t)o->jobs : 0;
    sign_worker *ws = nw ? sign_workers_new(o, g, nw) : NULL;
    void **states = nw ? calloc(nw, sizeof *states) : NULL;
    for (size_t i = 0; ws && states && i < nw; i++)
        states[i] = &ws[i];
    if (nw && (!ws || !states || !(sr.pool = cc_pool_new(nw, states, nw * 64, sign_work, sign_emit, &sr))))
        sr.worst = 2;
    for (size_t i = 0; i < n && (!nw || sr.pool); i++)
        sign_file(in[i], &sr);
    cc_pool_free(sr.pool);  /* every document emitted, in order */
    free(states);
    sign_workers_free(ws, nw);
    int worst = sr.worst;
    sk_X509_pop_free(sg.certs, X509_free);
    cc_vcjwt_prep_free(&prep);
    EVP_PKEY_free(key);
    return worst;
}

/* ------------------------------------------------------------ verify */

typedef enum { IN_UNKNOWN, IN_JWS, IN_XML, IN_JSON, IN_IMAGE } input_kind;

static input_kind detect(const char *s, size_t len)
{
    if (cc_image_detect((const unsigned char *)s, len) != CC_IMAGE_NONE)
        return IN_IMAGE;
    const char *p = s + strspn(s, " \t\r\n");
    if (!strncmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    if (*p == '<')
        return IN_XML;
    if (*p == '{')
        return IN_JSON;
    return cc_jws_looks(s, len) ? IN_JWS : IN_UNKNOWN;
}

/* What verify does with one input. */
typedef struct one {
    const char *name;
    cc_verdict v;
    cc_diag_sink sink;
    bool report;                  /* print a verdict line */
    bool quiet;                   /* verify -q: only errors on stderr (the verdict lines stay) */
    bool pipeline;                /* a reader takes it too: validation, hosted, --recipient */
    cc_report *rep;               /* --report, or NULL */
    const cc_diag_sink *user;     /* the library's caller's sink: it, not stderr, gets them */
} one;

static one one_new(const char *name, cc_report *rep)
{
    return (one){.name = name, .v = {.status = -1, .kind = "input"}, .sink = {.emit = print_diag},
                 .report = true, .rep = rep};
}

/* Keeps d for the verdict; true when it is not to be printed: the library's caller has taken
 * it, or it is a warning under verify -q (errors only on stderr; the verdict lines stay). */
static bool note_diag(one *x, const cc_diag *d)
{
    if (d->severity == CC_ERROR && !*x->v.reason && d->rule)
        snprintf(x->v.reason, sizeof x->v.reason, "%s", d->rule);
    cc_report_diag(x->rep, d);
    if (x->user)
        x->user->emit(x->user->ud, d);
    return x->user != NULL || (x->quiet && d->severity != CC_ERROR);
}

static void verify_jws(const char *text, size_t len, const cc_verify_opts *o, one *x)
{
    cc_jws j;
    cc_jose_err e = {0};
    if (cc_jws_parse(text, len, &j, &e)) {
        x->v.kind = "JWS";
        cc_diagf(&x->sink, CC_ERROR, x->name, 0, 0, NULL, e.rule, "%s", e.msg);
        x->v.status = 0;
        return;
    }
    json_t *payload = cc_json_loadb((const char *)j.payload, j.payload_len, 0, NULL);
    j.claims = payload;  /* parsed once, for the claims too */
    bool ob2 = payload && cc_is_ob2_assertion(payload);
    if (ob2)
        cc_ob2_verify(&j, o, x->name, &x->sink, &x->v);
    else if (cc_vcjwt_verify(&j, o, x->name, &x->sink, &x->v) == 1 && json_is_object(payload)) {
        json_t *vc = json_object_get(payload, "vc");  /* a VC 1.1 token carries it in its vc claim */
        json_t *cred = json_is_object(vc) ? vc : payload;
        cc_verify_nested(cred, o, x->name, &x->sink, &x->v);
        cc_status_verify(cred, o, o->status_files, x->name, &x->sink, &x->v);
    }
    x->pipeline = ob2;  /* no reader takes a VC-JWT yet */
    json_decref(payload);
    cc_jws_free(&j);
}

/* A JWS JSON (a JAdES-sealed credential) goes to the pipeline when the format that bids for
 * it takes JAdES seals (its descriptor says so: edc3, whose reader reads the sealed payload,
 * the bytes just verified): its checks then run too.  Another reader would take the JWS
 * wrapper for a credential; the flattened form is left to the seal's verdict. */
static bool jws_json_reader(const char *text, size_t len, const json_t *doc)
{
    if (!json_is_array(json_object_get(doc, "signatures")))
        return false;  /* the flattened form: the readers take the general one */
    const cc_format *f = cc_format_detect((const unsigned char *)text, len < 4096 ? len : 4096);
    return f && (f->sigs & CC_SIG_JADES) && (f->caps & CC_CAP_READ);
}

/* A JSON document: its embedded Data Integrity proofs are checked here; OB 2.0 hosted
 * assertions are verified by the pipeline (--fetch), which also validates every document. */
static void verify_json(const char *text, size_t len, const cc_verify_opts *o, one *x)
{
    json_t *doc = cc_json_load_diag(text, len, 0, &x->sink, x->name);
    if (!doc) {  /* duplicate keys, NUL, bad syntax (reported): JSON two parsers could read apart */
        x->v.kind = "JSON";
        x->v.status = 0;
        x->pipeline = false;  /* the reader would only say the same again */
        return;
    }
    x->pipeline = true;
    if (cc_jades_is_jws_json(doc)) {
        cc_jades_verify(doc, o, x->name, &x->sink, &x->v);
        x->pipeline = jws_json_reader(text, len, doc);
        json_decref(doc);
        return;
    }
    if (json_is_object(doc) && json_object_get(doc, "proof") && !cc_is_ob2_assertion(doc)) {
        if (cc_di_verify(doc, o, x->name, &x->sink, &x->v) == 1)
            cc_verify_nested(doc, o, x->name, &x->sink, &x->v);
        cc_status_verify(doc, o, o->status_files, x->name, &x->sink, &x->v);
        /* a CLR 2.0 or other VC credential has its proof checked, but no reader validates it */
        x->pipeline = cc_format_detect((const unsigned char *)text, len) != NULL;
        json_decref(doc);
        return;
    }
    if (doc && cc_is_ob2_assertion(doc) && !json_object_get(doc, "proof")) {
        json_t *ver = json_object_get(doc, "verification");
        const char *t = json_string_value(json_object_get(ver ? ver : json_object_get(doc, "verify"), "type"));
        x->report = t && (!strcmp(t, "SignedBadge") || !strcmp(t, "signed"));
        if (x->report)
            cc_diagf(&x->sink, CC_ERROR, x->name, 0, 0, NULL, "ob2-signed-json",
                     "a signed OB 2.0 assertion is verified in its JWS form; this JSON copy carries no signature");
    } else {
        cc_diagf(&x->sink, CC_ERROR, x->name, 0, 0, NULL, "proof-unsupported",
                 json_object_get(doc, "proof") ? "an OB 2.0 assertion carries no embedded proof"
                                               : "a JSON document without a signature or proof: nothing to verify");
    }
    x->v.kind = "JSON";
    json_decref(doc);
}

static void verify_text(const char *text, size_t len, const cc_verify_opts *o, bool *xmlsec_ready, one *x);

/* A baked image: its payload is verified like a file of its own. */
static void verify_image(const char *img, size_t len, const cc_verify_opts *o, bool *xmlsec_ready, one *x)
{
    char *payload = NULL, err[256] = "";
    size_t plen = 0;
    cc_badge_version ver;
    x->pipeline = true;
    if (cc_unbake((const unsigned char *)img, len, &payload, &plen, &ver, err, sizeof err)) {
        x->v.kind = "baked image";
        cc_diagf(&x->sink, CC_ERROR, x->name, 0, 0, NULL, "bake-payload", "%s", err);
        return;
    }
    if (detect(payload, plen) == IN_IMAGE || detect(payload, plen) == IN_XML)
        cc_diagf(&x->sink, CC_ERROR, x->name, 0, 0, NULL, "bake-payload", "the baked payload is not a badge");
    else
        verify_text(payload, plen, o, xmlsec_ready, x);
    free(payload);
}

static void verify_text(const char *text, size_t len, const cc_verify_opts *o, bool *xmlsec_ready, one *x)
{
    switch (detect(text, len)) {
    case IN_JWS: verify_jws(text, len, o, x); break;
    case IN_JSON: verify_json(text, len, o, x); break;
    case IN_IMAGE: verify_image(text, len, o, xmlsec_ready, x); break;
    case IN_XML:
        if (!*xmlsec_ready && cc_xmlsec_init() == 0)
            *xmlsec_ready = true;
        if (*xmlsec_ready)
            cc_edc_verify(text, len, x->name, o, &x->sink, &x->v);
        else
            cc_diagf(&x->sink, CC_ERROR, x->name, 0, 0, NULL, "xmlsec-init", "libxmlsec1 cannot be initialised");
        break;
    default:
        cc_diagf(&x->sink, CC_ERROR, x->name, 0, 0, NULL, "verify-input",
                 "not a JWS, a VC-JWT, a baked badge or an EDC XML document");
    }
}

static int report(one *x, bool recipient, bool accept_unbound);

/* ------------------------------------------------------------ reading inputs */

/* A token file or an NDJSON file of credentials is read one line at a time, whatever its
 * size: only a line is held, and a line is at most MAX_LINE bytes (a token's own limit).  A
 * single document (pretty-printed JSON, XML, an image) is read whole, at most MAX_DOC. */
enum { MAX_LINE = CC_JWS_MAX_TOKEN, MAX_DOC = CC_JWS_MAX_TOKEN };

typedef struct line_reader {
    FILE *fp;
    char *buf;                    /* the line, without its newline, NUL-terminated */
    size_t len, cap;
    long no;                      /* its number */
    bool too_long;                /* longer than MAX_LINE: buf holds its start only */
    bool failed;                  /* a read error (errno says which) */
    size_t bpos, bend;            /* the part of blk not taken yet */
    char blk[65536];              /* read ahead with read(2), a block or what a pipe has: a
                                   * line is found with memchr, not a stdio call per byte
                                   * (7 % of verify), and a line on a pipe is taken as soon
                                   * as it is there.  fp's own buffer is never used, so
                                   * read_document's fread goes on where blk ends. */
} line_reader;

/* Refills blk: false at the end of the input or on an error (l->failed). */
static bool refill(line_reader *l)
{
    ssize_t got;
    do
        got = read(fileno(l->fp), l->blk, sizeof l->blk);
    while (got < 0 && errno == EINTR);
    l->failed = got < 0;
    l->bpos = 0, l->bend = got > 0 ? (size_t)got : 0;
    return got > 0;
}

static bool grow(char **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : 4096;
    while (c < need)
        c *= 2;
    char *b = realloc(*buf, c);
    if (!b)
        return false;
    *buf = b, *cap = c;
    return true;
}

/* Appends n bytes of the current line, keeping at most MAX_LINE (the rest is skipped). */
static bool take(line_reader *l, const char *p, size_t n)
{
    size_t room = MAX_LINE - l->len;  /* l->len never passes MAX_LINE */
    if (n > room)
        l->too_long = true, n = room;
    if (n && !grow(&l->buf, &l->cap, l->len + n + 1))
        return false;
    memcpy(l->buf + l->len, p, n);
    l->len += n;
    return true;
}

/* The next line: 1, 0 at the end of the input, -1 on a read error or no memory. */
static int read_line(line_reader *l)
{
    bool any = false;
    l->len = 0, l->too_long = false;
    if (!grow(&l->buf, &l->cap, 1))
        return -1;
    for (;;) {
        if (l->bpos == l->bend && !refill(l))
            break;
        any = true;
        const char *p = l->blk + l->bpos;
        const char *nl = memchr(p, '\n', l->bend - l->bpos);
        size_t n = nl ? (size_t)(nl - p) : l->bend - l->bpos;
        if (!take(l, p, n))
            return -1;
        l->bpos += n + (nl != NULL);
        if (nl)
            break;
    }
    l->buf[l->len] = '\0';
    if (l->failed)
        return -1;
    l->no += any;
    return any;
}

static bool blank(const line_reader *l)
{
    return !l->too_long && strspn(l->buf, " \t\r") == l->len;
}

static size_t bom(const char *s)
{
    return strncmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/* A line that is a record by itself: a compact JWS, or a whole JSON object. */
static bool record_line(const char *s, size_t len)
{
    size_t skip = bom(s);
    s += skip, len -= skip;
    const char *p = s + strspn(s, " \t\r");
    if (*p != '{')
        return cc_jws_looks(s, len);
    json_t *doc = json_loadb(s, len, 0, NULL);
    bool yes = json_is_object(doc);
    json_decref(doc);
    return yes;
}

/* One line of a file of records, named FILE:LINE; *pipeline is set when a reader takes a
 * JSON line (the pipeline reads such files as a stream of documents too). */
static int verify_line(const char *text, size_t len, const char *where, const cc_verify_opts *o,
                       bool recipient, bool *xmlsec_ready, bool *pipeline, cc_report *rep)
{
    one x = one_new(where, rep);
    x.sink.ud = &x;
    x.quiet = o->quiet;
    size_t skip = bom(text);
    verify_text(text + skip, len - skip, o, xmlsec_ready, &x);
    if (detect(text + skip, len - skip) == IN_JSON)
        *pipeline |= x.pipeline;
    else
        x.pipeline = false;  /* a file of tokens: no reader takes it */
    return report(&x, recipient, o->accept_unbound);
}

/* A line past MAX_LINE is not read: it is reported NOT CHECKED and the next one is read. */
static int line_too_long(const char *where, cc_report *rep)
{
    one x = one_new(where, rep);
    x.sink.ud = &x;
    cc_diagf(&x.sink, CC_ERROR, where, 0, 0, NULL, "verify-limit",
             "a line longer than %d MiB: not read (one token or credential per line is at most that)",
             MAX_LINE >> 20);
    return report(&x, false, false);
}

typedef struct verify_run {
    const cc_verify_opts *o;
    bool recipient;
    bool xmlsec_ready;
    cc_report *rep;
} verify_run;

/* The records of a file of records, from the line in l on; first: the first record's line,
 * already read (kept apart so a file of one record is named FILE, not FILE:1). */
static int verify_lines(verify_run *vr, line_reader *l, const char *first, size_t flen, long fno,
                        const char *name, bool *pipeline)
{
    char where[4200];
    snprintf(where, sizeof where, "%s:%ld", name, fno);
    int worst = verify_line(first, flen, where, vr->o, vr->recipient, &vr->xmlsec_ready, pipeline, vr->rep);
    int rc = 1;
    for (; rc == 1; rc = read_line(l)) {
        if (blank(l))
            continue;
        snprintf(where, sizeof where, "%s:%ld", name, l->no);
        int r = l->too_long ? line_too_long(where, vr->rep)
                            : verify_line(l->buf, l->len, where, vr->o, vr->recipient, &vr->xmlsec_ready,
                                          pipeline, vr->rep);
        worst = r > worst ? r : worst;
    }
    if (rc < 0) {
        fprintf(stderr, "%s:%ld: error: cannot read: %s [io]\n", name, l->no + 1, strerror(errno));
        worst = 2;
    }
    return worst;
}

/* A single document: the lines read so far (blank ones kept as newlines, so line numbers hold)
 * and the rest of the input, at most MAX_DOC in all.  NULL: too large (*big) or unreadable. */
static char *read_document(line_reader *l, size_t *len, bool *big)
{
    size_t cap = 0, n = (size_t)(l->no > 0 ? l->no - 1 : 0);
    char *text = NULL;
    size_t ahead = l->bend - l->bpos;  /* read from the input already, not yet a line */
    *big = l->too_long;
    if (*big || !grow(&text, &cap, n + l->len + 2 + ahead + 65536))
        return free(text), NULL;
    memset(text, '\n', n);
    memcpy(text + n, l->buf, l->len);
    n += l->len;
    if (l->no > 0)
        text[n++] = '\n';
    memcpy(text + n, l->blk + l->bpos, ahead);
    n += ahead, l->bpos = l->bend;
    if (n > MAX_DOC) {
        *big = true;
        return free(text), NULL;
    }
    for (size_t got; (got = fread(text + n, 1, cap - n - 1, l->fp)) > 0;) {
        n += got;
        if (n > MAX_DOC) {
            *big = true;
            return free(text), NULL;
        }
        if (n + 1 == cap && !grow(&text, &cap, cap + 1))
            return free(text), NULL;
    }
    if (ferror(l->fp))
        return free(text), NULL;
    text[n] = '\0';
    *len = n;
    return text;
}

/* ------------------------------------------------------------ sign: the input */

/* The lines of an NDJSON input after the first record (first, at line fno): each signed on
 * its own, named FILE:LINE, one token out per line, a bad line reported and the others
 * signed.  A file of one record is named FILE, as verify names it. */
static void sign_lines(line_reader *l, char *first, size_t flen, long fno, const char *path, sign_run *sr)
{
    char where[4200];
    int rc;
    while ((rc = read_line(l)) == 1 && blank(l))
        ;
    if (rc == 1 || rc < 0)
        snprintf(where, sizeof where, "%s:%ld", shown(path), fno);
    else
        snprintf(where, sizeof where, "%s", shown(path));
    sign_one(sr, first + bom(first), flen - bom(first), where);
    for (; rc == 1; rc = read_line(l)) {
        if (blank(l))
            continue;
        snprintf(where, sizeof where, "%s:%ld", shown(path), l->no);
        if (l->too_long)
            sign_msg(sr, 1, "%s: error: a line longer than %d MiB: not signed [sign-input]\n", where,
                     MAX_LINE >> 20);
        else
            sign_one(sr, l->buf, l->len, where);
    }
    if (rc < 0)
        sign_msg(sr, 2, "%s:%ld: error: cannot read: %s [io]\n", shown(path), l->no + 1, strerror(errno));
}

/* An input whose first non-blank line is a whole JSON object is NDJSON (as convert writes
 * it), read a line at a time whatever its size; anything else (a pretty-printed
 * credential) is one document, read whole up to MAX_DOC. */
static void sign_file(const char *path, sign_run *sr)
{
    FILE *fp = !strcmp(path, "-") ? stdin : fopen(path, "rb");
    if (!fp) {
        sign_msg(sr, 2, "%s: error: cannot read: %s [io]\n", shown(path), strerror(errno));
        return;
    }
    line_reader l = {.fp = fp};
    int rc;
    while ((rc = read_line(&l)) == 1 && blank(&l))
        ;
    if (rc == 1 && !l.too_long && record_line(l.buf, l.len)) {
        char *first = strdup(l.buf);
        size_t flen = l.len;
        if (!first)
            cc_oom();
        sign_lines(&l, first, flen, l.no, path, sr);
        free(first);
    } else if (rc < 0) {
        sign_msg(sr, 2, "%s: error: cannot read: %s [io]\n", shown(path), strerror(errno));
    } else {
        size_t len = 0;
        bool big;
        char *text = read_document(&l, &len, &big);
        if (!text)
            sign_msg(sr, big ? 1 : 2, "%s: error: %s [%s]\n", shown(path), big ? "larger than the largest "
                     "document signed" : strerror(errno), big ? "sign-input" : "io");
        else
            sign_one(sr, text, len, shown(path));
        free(text);
    }
    free(l.buf);
    if (fp != stdin)
        fclose(fp);
}

/* A single document, or a file of one record: one verdict named as the input. */
static int verify_document(verify_run *vr, line_reader *l, const char *name, bool *pipeline)
{
    size_t len = 0;
    bool big;
    char *text = read_document(l, &len, &big);
    one x = one_new(name, vr->rep);
    x.sink.ud = &x;
    x.quiet = vr->o->quiet;
    if (!text && !big) {
        fprintf(stderr, "%s: error: cannot read: %s [io]\n", name, strerror(errno));
        return 2;
    }
    if (text)
        verify_text(text, len, vr->o, &vr->xmlsec_ready, &x);
    else
        cc_diagf(&x.sink, CC_ERROR, name, 0, 0, NULL, "verify-limit",
                 "larger than %d MiB: a single document (JSON, XML, an image) is read whole, at most that; "
                 "a file of one token or credential per line may be of any size", MAX_DOC >> 20);
    free(text);
    *pipeline = x.pipeline;
    return report(&x, vr->recipient, vr->o->accept_unbound);
}

/* A file of records, from its first record (in l); -1 on a read error.  A file of one
 * record is a document like any other, named FILE. */
static int verify_records(verify_run *vr, line_reader *l, const char *name, bool *pipeline)
{
    size_t flen = l->len;
    long fno = l->no;
    char *first = malloc(flen + 1);
    if (!first)
        return -1;
    memcpy(first, l->buf, flen + 1);
    int rc;
    while ((rc = read_line(l)) == 1 && blank(l))
        ;
    if (rc == 0) {  /* l->buf has held the first line: it is large enough for it again */
        memcpy(l->buf, first, flen + 1);
        l->len = flen, l->no = fno;
        rc = verify_document(vr, l, name, pipeline);
    } else if (rc == 1) {
        rc = verify_lines(vr, l, first, flen, fno, name, pipeline);
    }
    free(first);
    return rc;
}

/* One input: 0 verified (or left to the pipeline), 1 not, 2 unreadable.  path is what is
 * read, name what is shown (standard input is read from its spooled copy).  Its first line
 * that is not blank decides: a record by itself (a token, a one-line JSON object) makes it a
 * file of records, verified line by line; anything else is one document. */
static int verify_one(verify_run *vr, const char *path, const char *name, bool *pipeline)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "%s: error: cannot read: %s [io]\n", name, strerror(errno));
        return 2;
    }
    line_reader l = {.fp = fp};
    int rc;
    while ((rc = read_line(&l)) == 1 && blank(&l))
        ;
    if (rc == 1 && !l.too_long && record_line(l.buf, l.len))
        rc = verify_records(vr, &l, name, pipeline);
    else if (rc >= 0)
        rc = verify_document(vr, &l, name, pipeline);
    if (rc < 0) {
        fprintf(stderr, "%s: error: cannot read: %s [io]\n", name, strerror(errno));
        rc = 2;
    }
    fclose(fp);
    free(l.buf);
    return rc;
}

/* A valid signature by a key that is not shown to be the issuer's proves integrity only:
 * anyone can sign a credential naming any issuer.  So it is not "valid" unless the user
 * accepts that risk by name (--accept-unbound-key). */
static void apply_binding(one *x, bool accept_unbound)
{
    if (x->v.status != 1 || x->v.bound)
        return;
    const char *why = *x->v.binding ? x->v.binding : "nothing shows that the key is the issuer's";
    if (accept_unbound) {
        cc_diagf(&x->sink, CC_WARNING, x->name, 0, 0, NULL, "key-not-bound",
                 "the signature is valid but the key is not shown to be the issuer's (%s); accepted by "
                 "--accept-unbound-key", why);
        char rest[sizeof x->v.unchecked];
        snprintf(rest, sizeof rest, "%s", x->v.unchecked);  /* who signed comes first: it matters most */
        snprintf(x->v.unchecked, sizeof x->v.unchecked, "who signed (%.1000s)%s%.500s", why, *rest ? "; " : "", rest);
        return;
    }
    cc_diagf(&x->sink, CC_ERROR, x->name, 0, 0, NULL, "key-not-bound",
             "the signature is valid but the key is not shown to be the issuer's (%s): give the issuer's key "
             "(--key, --jwks), or --accept-unbound-key to accept integrity alone", why);
    x->v.status = 0;
}

/* The verdict line of one input; 0 verified (or left to the pipeline), 1 not. */
static int report(one *x, bool recipient, bool accept_unbound)
{
    if (!x->report && x->v.status == -1) {
        cc_report_forget(x->rep);  /* its diagnostics are the pipeline's to report */
        return 0;  /* an OB 2.0 hosted assertion: the pipeline verifies it */
    }
    if (recipient && !x->pipeline && x->v.status == 1) {
        cc_diagf(&x->sink, CC_ERROR, x->name, 0, 0, NULL, "verify-recipient",
                 "--recipient is not checked on a %s yet", x->v.kind);
        x->v.status = 0;
    }
    apply_binding(x, accept_unbound);
    if (x->v.status == 1)
        printf("%s: %s: %s%s%s%s%s\n", x->name, x->v.kind, x->v.checked, x->v.bound ? "; key bound to the issuer: " : "",
               x->v.bound ? x->v.binding : "", *x->v.unchecked ? "; not evaluated: " : "", x->v.unchecked);
    else
        printf("%s: %s: %s (%s)\n", x->name, x->v.kind, x->v.status == 0 ? "INVALID" : "NOT CHECKED",
               *x->v.reason ? x->v.reason : "?");
    cc_report_verdict(x->rep, x->name, &x->v);
    return x->v.status == 1 ? 0 : 1;
}

static json_t *load_json(const char *path, const char *what)
{
    json_error_t je;
    json_t *j = cc_json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!json_is_object(j)) {
        fprintf(stderr, "%s: error: the %s is not a JSON object (line %d: %s) [usage]\n", path, what, je.line,
                j ? "not an object" : je.text);
        json_decref(j);
        return NULL;
    }
    return j;
}

/* The keys and OB 2.0 documents of the options; all owned by the caller.  0 or 2. */
typedef struct keyring {
    cc_verify_opts o;
    cc_status_files status_files;
    char *key_id;
    json_t *jwks, *profile, *revocation;
} keyring;

static int keyring_load(const cc_sig_options *s, keyring *k)
{
    cc_jose_err e = {0};
    k->o.now = cc_epoch_now();
    if (s->key && !(k->o.key = cc_key_load_file(s->key, false, &k->key_id, &e))) {
        fprintf(stderr, "%s: error: %s [%s]\n", s->key, e.msg, e.rule);
        return 2;
    }
    k->o.key_file = s->key, k->o.key_id = k->key_id, k->o.jwks_file = s->jwks;
    k->o.accept_unbound = s->accept_unbound;
    k->o.ca_file = s->ca;
    for (size_t i = 0; i < s->nstatus_files; i++)
        if (access(s->status_files[i], R_OK) != 0) {
            fprintf(stderr, "%s: error: --status-list-file: %s [io]\n", s->status_files[i], strerror(errno));
            return 2;
        }
    k->status_files = (cc_status_files){.paths = s->status_files, .n = s->nstatus_files};
    k->o.status_files = &k->status_files;
    if ((s->jwks && !(k->jwks = load_json(s->jwks, "JWK Set"))) ||
        (s->issuer_profile && !(k->profile = load_json(s->issuer_profile, "issuer profile"))) ||
        (s->revocation_list && !(k->revocation = load_json(s->revocation_list, "revocation list"))))
        return 2;
    if (k->jwks && !json_is_array(json_object_get(k->jwks, "keys"))) {
        fprintf(stderr, "%s: error: a JWK Set has a \"keys\" array [usage]\n", s->jwks);
        return 2;
    }
    k->o.jwks = k->jwks, k->o.issuer_profile = k->profile, k->o.revocation_list = k->revocation;
    return 0;
}

static void keyring_free(keyring *k)
{
    EVP_PKEY_free(k->o.key);
    free(k->key_id);
    json_decref(k->jwks), json_decref(k->profile), json_decref(k->revocation);
}

/* Standard input is read twice (signatures, then the pipeline): it is copied, a block at a
 * time, into a file, which then stands in for standard input, so the pipeline still reads "-"
 * and says <stdin>. */
static char *spool_stdin(void)
{
    char path[] = "/tmp/credconv-stdin-XXXXXX", buf[65536];
    int fd = mkstemp(path);
    FILE *fp = fd >= 0 ? fdopen(fd, "wb") : NULL;
    bool ok = fp != NULL;
    for (size_t got; ok && (got = fread(buf, 1, sizeof buf, stdin)) > 0;)
        ok = fwrite(buf, 1, got, fp) == got;
    if (ferror(stdin))
        ok = false;
    if (fp && fclose(fp))
        ok = false;
    else if (!fp && fd >= 0)
        close(fd);
    if (ok && !freopen(path, "rb", stdin))
        ok = false;
    if (!ok) {
        if (fd >= 0)
            unlink(path);
        fprintf(stderr, "<stdin>: error: cannot keep standard input in a temporary file [io]\n");
        return NULL;
    }
    return strdup(path);
}

/* paths: what to read for each of the inputs in (the spooled copy for "-"). */
static int verify_inputs(verify_run *vr, char *const *in, char **paths, size_t n, char **keep, size_t *nkeep)
{
    int worst = 0;
    for (size_t i = 0; i < n; i++) {
        bool pipeline = false;
        cc_fetch_input(vr->o->fetch, in[i]);  /* the pipeline's pass over it keeps this count */
        int r = verify_one(vr, paths[i], shown(in[i]), &pipeline);
        worst = r > worst ? r : worst;
        if (pipeline)
            keep[(*nkeep)++] = in[i];
    }
    if (vr->xmlsec_ready)
        cc_xmlsec_shutdown();
    return worst;
}

/* The pipeline over the inputs a reader takes (validation, hosted verification,
 * --recipient); it finishes the report, which is committed here when it does not run. */
static int verify_pipeline(cc_options *o, char **keep, size_t nkeep, int rc, cc_report *rep)
{
    if (rc < 2 && nkeep) {
        o->inputs = keep, o->ninputs = nkeep, o->report = rep;
        int r = cc_run(o);
        return r > rc ? r : rc;
    }
    if (rep && cc_report_commit(rep, &(cc_counts){0}, NULL) != 0) {
        fprintf(stderr, "%s: error: cannot write the report: %s [io]\n", o->report_file, strerror(errno));
        rc = 2;
    }
    return rc;
}

int cc_verify_command(cc_options *o)
{
    char dash[] = "-", *stdin_only[] = {dash};  /* writable: the input list is char ** */
    char *const *in = o->ninputs ? o->inputs : stdin_only;
    size_t n = o->ninputs ? o->ninputs : 1;
    char **list = calloc(n, sizeof *list), **keep = calloc(n, sizeof *keep), *spooled = NULL;
    keyring k = {0};
    int rc = list && keep ? keyring_load(&o->sig, &k) : 2;
    k.o.fetch = &o->fetch;
    k.o.quiet = o->quiet;
    cc_report *rep = NULL;
    if (rc == 0 && o->report_file && !(rep = cc_report_open(o->report_file, in, n, true))) {
        fprintf(stderr, "%s: error: cannot write the report: %s [io]\n", o->report_file, strerror(errno));
        rc = 2;
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (!strcmp(in[i], "-") && !spooled && !(spooled = spool_stdin()))
            rc = 2;
        list[i] = !strcmp(in[i], "-") ? spooled : in[i];
    }
    size_t nkeep = 0;
    verify_run vr = {.o = &k.o, .recipient = o->recipient != NULL, .rep = rep};
    if (rc == 0)
        rc = verify_inputs(&vr, in, list, n, keep, &nkeep);
    rc = verify_pipeline(o, keep, nkeep, rc, rep);
    if (spooled)
        unlink(spooled);
    free(spooled), free(list), free(keep);
    keyring_free(&k);
    return rc;
}

/* ------------------------------------------------------------ one document, quietly */

/* progress --verify: the checks of verify on one document or record line, its verdict
 * returned instead of printed.  The binding rule is verify's (apply_binding). */
struct cc_verifier {
    keyring k;
    bool xmlsec_ready, verbose;
};

typedef struct quiet_one {
    one x;
    bool verbose;
} quiet_one;

static void verifier_diag(void *ud, const cc_diag *d)
{
    quiet_one *q = ud;
    note_diag(&q->x, d);
    if (q->verbose && d->severity != CC_NOTE)
        cc_diag_print(stderr, d);
}

cc_verifier *cc_verifier_new(const cc_options *o)
{
    cc_verifier *v = calloc(1, sizeof *v);
    if (!v)
        cc_oom();
    if (keyring_load(&o->sig, &v->k) != 0) {
        keyring_free(&v->k);
        free(v);
        return NULL;
    }
    v->k.o.fetch = &o->fetch;
    v->verbose = o->verbose;
    return v;
}

int cc_verifier_check(cc_verifier *v, const char *text, size_t len, const char *name, char *why, size_t cap)
{
    quiet_one q = {.x = one_new(name, NULL), .verbose = v->verbose};
    q.x.sink = (cc_diag_sink){.emit = verifier_diag, .ud = &q};
    verify_text(text, len, &v->k.o, &v->xmlsec_ready, &q.x);
    if (q.x.v.status == -1 && !*q.x.v.reason)
        snprintf(q.x.v.reason, sizeof q.x.v.reason, "%s", "no signature checked here");
    apply_binding(&q.x, v->k.o.accept_unbound);
    snprintf(why, cap, "%s", q.x.v.status == 1 ? "valid" : *q.x.v.reason ? q.x.v.reason : "not checked");
    return q.x.v.status == 1;
}

void cc_verifier_free(cc_verifier *v)
{
    if (!v)
        return;
    if (v->xmlsec_ready)
        cc_xmlsec_shutdown();
    keyring_free(&v->k);
    free(v);
}

/* The library's cc_verify_buffer (converters/api/api.c): one document's signature, as verify
 * checks an input that is one document, its diagnostics to diag (NULL: printed), the key
 * binding rule applied, no verdict line printed.  0 valid, 1 not. */
int cc_verify_text(const char *text, size_t len, const char *name, const cc_verify_opts *o,
                   const cc_diag_sink *diag, cc_verdict *v)
{
    one x = one_new(name, NULL);
    x.sink.ud = &x;
    x.user = diag;
    bool xmlsec_ready = false;
    size_t skip = len >= 3 ? bom(text) : 0;
    verify_text(text + skip, len - skip, o, &xmlsec_ready, &x);
    if (xmlsec_ready)
        cc_xmlsec_shutdown();
    if (x.v.status == -1 && !x.report && !*x.v.reason)  /* a hosted OB 2.0 assertion */
        snprintf(x.v.reason, sizeof x.v.reason, "ob2-hosted");
    apply_binding(&x, o->accept_unbound);
    *v = x.v;
    return x.v.status == 1 ? 0 : 1;
}
