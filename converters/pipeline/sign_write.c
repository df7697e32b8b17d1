/* convert --sign: a record written by the target format into memory, then signed with the
 * kind its descriptor takes (cc_format.sigs) and the options ask for, and written as one
 * line: a token, or (--suite) the credential with its proof.
 * A format that groups records (CC_CAP_GROUPS: a CLR per learner) writes when its writer
 * closes: the signer keeps that writer open and signs what it wrote at the end
 * (cc_signer_finish).  With --suite, the credentials nested in a credential (a CLR's
 * verifiableCredential) are each signed first, so they keep proofs of their own
 * (docs/signatures.md). */
#include "cc_jsonread.h"
#include "cc_pipeline.h"
#include "cc_writecheck.h"
#include "cc_sign.h"
#include "cc_jades.h"

#include <stdlib.h>
#include <string.h>

struct cc_signer {
    const cc_format *fmt;
    EVP_PKEY *key;
    cc_alg alg;
    const cc_sig_options *opts;
    const cc_fetch_opts *fetch;
    unsigned kind;  /* one CC_SIG_* */
    /* what the writer checks: off for an OB 2.0 JWS (see written()), else strict, its schema compiled
     * once for every record signed: a signed credential is never an invalid one */
    cc_wcheck *check;
    STACK_OF(X509) *certs;        /* --cert [--chain]: each record is JAdES-sealed */
    cc_vcjwt_prep prep;  /* VC-JWT header and key checks, made once for the run */
    int (*status_entry)(void *ud, const char *id, cc_status_ref *out);  /* for s->group */
    void *status_ud;
    bool groups;          /* CC_CAP_GROUPS: credential records go to one writer, signed at the end */
    void *group;          /* that writer, open from the first credential record */
    FILE *mem;            /* what it writes */
    char *buf;
    size_t len;
};

/* The signature a record of format f gets: a JAdES seal with --cert; its own kind when it has one only (OB 2.0), else
 * a Data Integrity proof when --suite asks and VC-JWT otherwise (the options were checked
 * against f->sigs before: cc_sig_check_options). */
static unsigned sig_kind(const cc_format *f, const cc_sig_options *s)
{
    if (s->cert && (f->sigs & CC_SIG_JADES))
        return CC_SIG_JADES;
    if (f->sigs & CC_SIG_OB2_JWS)
        return CC_SIG_OB2_JWS;
    return s->suite && (f->sigs & CC_SIG_DI) ? CC_SIG_DI : CC_SIG_VCJWT;
}

cc_signer *cc_signer_new(const cc_format *to, const cc_sig_options *s, const cc_fetch_opts *fetch)
{
    EVP_PKEY *key = cc_sign_key_load(s->sign_key);
    if (!key)
        return NULL;
    cc_signer *g = calloc(1, sizeof *g);
    if (!g)
        cc_oom();
    *g = (cc_signer){.fmt = to, .key = key, .alg = s->alg ? cc_alg_from_name(s->alg) : CC_ALG_UNKNOWN,
                     .opts = s, .fetch = fetch, .kind = sig_kind(to, s),
                     .groups = (to->caps & CC_CAP_GROUPS) != 0};
    g->check = g->kind == CC_SIG_OB2_JWS ? cc_wcheck_new_off() : cc_wcheck_new(NULL, false);
    if (!g->check)
        cc_oom();
    cc_jose_err e = {0};
    if (s->cert && !(g->certs = cc_jades_load_certs(s->cert, s->chain, key, &e))) {
        fprintf(stderr, "credconv: error: %s [%s]\n", e.msg, e.rule);
        cc_signer_free(g);
        return NULL;
    }
    return g;
}

void cc_signer_free(cc_signer *s)
{
    if (!s)
        return;
    if (s->group) {  /* not finished (an error before the end): nothing more is written */
        s->fmt->writer_close(s->group);
        fclose(s->mem);
        free(s->buf);
    }
    EVP_PKEY_free(s->key);
    cc_wcheck_free(s->check);
    sk_X509_pop_free(s->certs, X509_free);
    cc_vcjwt_prep_free(&s->prep);
    free(s);
}

const char *cc_signer_extension(const cc_signer *s)
{
    return s->kind == CC_SIG_OB2_JWS ? "jws" : s->kind == CC_SIG_VCJWT ? "jwt" : "json";
}

/* The record as the format writes it on its own; NULL when the writer rejected it (*rc 1,
 * reported) or failed (*rc 2). */
static json_t *written(cc_signer *s, const cc_record *rec, const cc_diag_sink *diag, int *rc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem)
        cc_oom();
    /* ob2: the writer's hosted verification is replaced by SignedBadge before signing, so
     * what it would check is not what is signed: not checked there (docs/decisions.md).
     * ob3: the signed credential is the document written, checked by the writer. */
    void *tree = NULL;  /* the checked tree, when the writer keeps it (cc_write_ctx.doc_out) */
    cc_write_ctx wc = {.out = mem, .diag = diag, .records_in_output = 1, .check = s->check,
                       .doc_out = &tree};
    void *w = s->fmt->writer_open(&wc);
    *rc = w ? s->fmt->writer_record(w, rec) : 2;
    int crc = w ? s->fmt->writer_close(w) : 2;
    fclose(mem);
    json_t *doc = tree;
    if (*rc != 0 || crc != 0) {
        json_decref(doc);
        doc = NULL;
    } else if (!doc) {
        doc = cc_json_loadb(buf, len, 0, NULL);
    }
    if (*rc == 0 && !doc)
        *rc = 2;
    free(buf);
    return doc;
}

/* An OB 2.0 assertion is signed as a SignedBadge, its creator the --kid when given. */
static char *sign_ob2(cc_signer *s, json_t *doc, const char *id, const cc_diag_sink *diag, cc_jose_err *e)
{
    json_t *ver = json_pack("{s:s}", "type", "SignedBadge");
    if (s->opts->kid)
        json_object_set_new(ver, "creator", json_string(s->opts->kid));
    json_object_set_new(doc, "verification", ver);
    char *bytes = json_dumps(doc, JSON_COMPACT);
    char *tok = bytes ? cc_ob2_sign(bytes, strlen(bytes), s->key, id, diag, e) : NULL;
    free(bytes);
    return tok;
}

/* --suite: each credential nested in doc (a CLR's) gets its own proof, same key and method. */
static int sign_nested(json_t *doc, const cc_di_sign_opts *d, cc_jose_err *e)
{
    json_t *vcs = json_object_get(json_object_get(doc, "credentialSubject"), "verifiableCredential"), *vc;
    size_t i;
    json_array_foreach(vcs, i, vc) {
        if (json_object_get(vc, "proof"))
            continue;  /* already signed: kept as it is */
        json_t *signed_vc = cc_di_sign(vc, d, e);
        if (!signed_vc)
            return -1;
        json_array_set_new(vcs, i, signed_vc);
    }
    return 0;
}

/* The signed line of a document the format wrote (NULL: e set). */
static char *sign_written(cc_signer *s, json_t *doc, const char *src, const cc_diag_sink *diag, cc_jose_err *e)
{
    if (s->kind == CC_SIG_JADES) {  /* the record as its writer wrote it, sealed unencoded */
        char *bytes = cc_jades_eidas_issuer(doc, s->certs, e) ? NULL : json_dumps(doc, JSON_COMPACT);
        cc_jades_seal_opts so = {.key = s->key, .alg = s->opts->alg, .certs = s->certs};
        char *tok = bytes ? cc_jades_seal(bytes, strlen(bytes), &so, e) : NULL;
        free(bytes);
        return tok;
    }
    if (s->kind == CC_SIG_OB2_JWS) {
        char *tok = s->alg && s->alg != CC_ALG_RS256 ? NULL : sign_ob2(s, doc, src, diag, e);
        if (!tok && !e->rule)
            cc_jose_fail(e, "ob2-alg", "an OB 2.0 assertion is signed RS256");
        return tok;
    }
    if (s->kind == CC_SIG_DI) {
        cc_di_sign_opts d = {.key = s->key, .verification_method = s->opts->kid, .fetch = s->fetch};
        return sign_nested(doc, &d, e) != 0 ? NULL : cc_di_sign_line(doc, &d, e);
    }
    cc_vcjwt_sign_opts vo = {.key = s->key, .alg = s->alg, .kid = s->opts->kid,
                             .embed_jwk = s->opts->embed_jwk || !s->opts->kid, .prep = &s->prep};
    return cc_vcjwt_sign(doc, &vo, src, diag, e);
}

static int sign_out(cc_signer *s, json_t *doc, const char *src, long line, const char *id,
                    const cc_diag_sink *diag, FILE *out)
{
    cc_jose_err e = {0};
    char *tok = sign_written(s, doc, src, diag, &e);
    if (!tok) {
        cc_diagf(diag, CC_ERROR, src, line, 0, id, e.rule, "cannot sign: %s", e.msg);
        return 1;
    }
    int bad = fprintf(out, "%s\n", tok) < 0;
    free(tok);
    return bad ? 2 : 0;
}

void cc_signer_set_status(cc_signer *s, int (*entry)(void *ud, const char *id, cc_status_ref *out), void *ud)
{
    s->status_entry = entry;
    s->status_ud = ud;
}

/* A credential record for a grouping format: to the writer that groups them. */
static int group_record(cc_signer *s, const cc_record *rec, const cc_diag_sink *diag)
{
    if (!s->group) {
        s->mem = open_memstream(&s->buf, &s->len);
        cc_write_ctx wc = {.out = s->mem, .diag = diag, .records_in_output = -1, .check = s->check,
                           .status_entry = s->status_entry, .status_ud = s->status_ud};
        s->group = s->mem ? s->fmt->writer_open(&wc) : NULL;
        if (!s->group)
            return 2;
    }
    return s->fmt->writer_record(s->group, rec);
}

int cc_signer_record(cc_signer *s, const cc_record *rec, const cc_diag_sink *diag, FILE *out)
{
    if (s->groups && rec->kind == CC_REC_CREDENTIAL)
        return group_record(s, rec, diag);
    int rc;
    json_t *doc = written(s, rec, diag, &rc);
    if (!doc)
        return rc;
    rc = sign_out(s, doc, rec->src_file, rec->src_line, cc_record_id(rec), diag, out);
    json_decref(doc);
    return rc;
}

int cc_signer_finish(cc_signer *s, const cc_diag_sink *diag, FILE *out, long *lost)
{
    *lost = 0;
    if (!s || !s->group)
        return 0;
    int rc = s->fmt->writer_close(s->group);
    s->group = NULL;
    fclose(s->mem);
    for (size_t at = 0; rc != 2 && at < s->len;) {
        const char *nl = memchr(s->buf + at, '\n', s->len - at);
        size_t n = nl ? (size_t)(nl - (s->buf + at)) : s->len - at;
        json_t *doc = n ? cc_json_loadb(s->buf + at, n, 0, NULL) : NULL;
        int x = doc ? sign_out(s, doc, NULL, 0, json_string_value(json_object_get(doc, "id")), diag, out) : 0;
        if (x == 1)  /* one record a credential: those of this CLR are not written */
            *lost += (long)json_array_size(json_object_get(json_object_get(doc, "credentialSubject"),
                                                           "verifiableCredential"));
        json_decref(doc);
        rc = x > rc ? x : rc;
        at += n + 1;
    }
    free(s->buf);
    s->buf = NULL;
    return rc;
}
