/* convert --sign: a record written by the target format into memory, then signed with the
 * kind its descriptor takes (cc_format.sigs) and the options ask for, and written as one
 * line: a token, or (--suite) the credential with its proof. */
#include "cc_jsonread.h"
#include "cc_pipeline.h"
#include "cc_writecheck.h"
#include "cc_sign.h"

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
    cc_vcjwt_prep prep;  /* VC-JWT header and key checks, made once for the run */
};

/* The signature a record of format f gets: its own kind when it has one only (OB 2.0), else
 * a Data Integrity proof when --suite asks and VC-JWT otherwise (the options were checked
 * against f->sigs before: cc_sig_check_options). */
static unsigned sig_kind(const cc_format *f, const cc_sig_options *s)
{
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
                     .opts = s, .fetch = fetch, .kind = sig_kind(to, s)};
    g->check = g->kind == CC_SIG_OB2_JWS ? cc_wcheck_new_off() : cc_wcheck_new(NULL, false);
    if (!g->check)
        cc_oom();
    return g;
}

void cc_signer_free(cc_signer *s)
{
    if (!s)
        return;
    EVP_PKEY_free(s->key);
    cc_wcheck_free(s->check);
    cc_vcjwt_prep_free(&s->prep);
    free(s);
}

const char *cc_signer_extension(const cc_signer *s)
{
    return s->kind == CC_SIG_OB2_JWS ? "jws" : s->kind == CC_SIG_DI ? "json" : "jwt";
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
    cc_write_ctx wc = {.out = mem, .diag = diag, .records_in_output = 1, .check = s->check};
    void *w = s->fmt->writer_open(&wc);
    *rc = w ? s->fmt->writer_record(w, rec) : 2;
    int crc = w ? s->fmt->writer_close(w) : 2;
    fclose(mem);
    json_t *doc = *rc == 0 && crc == 0 ? cc_json_loadb(buf, len, 0, NULL) : NULL;
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

int cc_signer_record(cc_signer *s, const cc_record *rec, const cc_diag_sink *diag, FILE *out)
{
    int rc;
    json_t *doc = written(s, rec, diag, &rc);
    if (!doc)
        return rc;
    const char *id = cc_record_id(rec);
    cc_jose_err e = {0};
    char *tok;
    if (s->kind == CC_SIG_OB2_JWS) {
        tok = s->alg && s->alg != CC_ALG_RS256 ? NULL : sign_ob2(s, doc, rec->src_file, diag, &e);
        if (!tok && !e.rule)
            cc_jose_fail(&e, "ob2-alg", "an OB 2.0 assertion is signed RS256");
    } else if (s->kind == CC_SIG_DI) {
        cc_di_sign_opts d = {.key = s->key, .verification_method = s->opts->kid, .fetch = s->fetch};
        tok = cc_di_sign_line(doc, &d, &e);
    } else {
        cc_vcjwt_sign_opts vo = {.key = s->key, .alg = s->alg, .kid = s->opts->kid,
                                 .embed_jwk = s->opts->embed_jwk || !s->opts->kid, .prep = &s->prep};
        tok = cc_vcjwt_sign(doc, &vo, rec->src_file, diag, &e);
    }
    json_decref(doc);
    if (!tok) {
        cc_diagf(diag, CC_ERROR, rec->src_file, rec->src_line, 0, id, e.rule, "cannot sign: %s", e.msg);
        return 1;
    }
    int bad = fprintf(out, "%s\n", tok) < 0;
    free(tok);
    return bad ? 2 : 0;
}
