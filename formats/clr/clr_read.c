/* CLR 2.0 reader: one ClrCredential per JSON document (NDJSON, concatenated or pretty).
 *
 * Validation (`validate -f clr`, verify): the bundled schema, the checks of clr_check.c and
 * the JSON-LD term check on the whole record; each nested credential is also handed to the
 * OB 3.0 reader with validation on, so it is judged as `validate -f ob3` judges it.
 *
 * Mapping: a record of a learner gives one credential record per nested credential (read by
 * the ob3 format, through the registry); a record that awards nothing (a certification's
 * structure, as the writer makes of a fiche) gives its achievements, the blocks back inside
 * their certification. */
#include "cc_fetch.h"
#include "cc_jsonld_terms.h"
#include "cc_jsonread.h"
#include "cc_rdf.h"
#include "clr/clr.h"
#include "jsonschema.h"

#include <stdlib.h>
#include <string.h>

typedef struct clrrd {
    cc_read_ctx *ctx;
    cc_schema_set *set;        /* validation: the schema, else NULL */
    cc_jsonld_cache contexts;  /* validation: the contexts read, kept between documents */
    const cc_format *ob3;
    long index;
} clrrd;

/* One CLR being mapped: what its nested reads deliver goes through here. */
typedef struct doc_ctx {
    clrrd *r;
    long line;
    const char *rec;
    const char *prefix;        /* JSON pointer of the nested document in the CLR */
    int invalid;               /* the CLR's own errors: given to its first record */
    int delivered, stop;
} doc_ctx;

static int on_record(void *ud, cc_record *rec)
{
    doc_ctx *d = ud;
    cc_read_ctx *ctx = d->r->ctx;
    rec->src_file = ctx->in->name;
    rec->src_line = d->line;
    rec->src_index = ++d->r->index;
    rec->invalid += d->invalid;
    d->invalid = 0;
    d->delivered++;
    return d->stop = ctx->sink.record(ctx->sink.ud, rec);
}

static int on_reject(void *ud, const char *file, long line, const char *id)
{
    doc_ctx *d = ud;
    (void)file, (void)line;
    ++d->r->index;
    return d->stop = d->r->ctx->sink.reject(d->r->ctx->sink.ud, d->r->ctx->in->name, d->line,
                                            id ? id : d->rec);
}

/* A nested reader's diagnostic: at the CLR's line, its pointer inside the CLR. */
static void on_diag(void *ud, const cc_diag *x)
{
    doc_ctx *d = ud;
    cc_diag y = *x;
    char ptr[512];
    if (x->pointer) {
        snprintf(ptr, sizeof ptr, "%s%s", d->prefix, x->pointer);
        y.pointer = ptr;
    }
    y.line = d->line;
    y.col = 0;
    y.record = x->record ? x->record : d->rec;
    cc_diag_sink *to = (cc_diag_sink *)d->r->ctx->diag;
    to->emit(to->ud, &y);
}

/* text (NDJSON) read by the ob3 format; validate: judged as `validate -f ob3` would. */
static int read_ob3(doc_ctx *d, const char *text, size_t len, bool validate, const char *prefix)
{
    cc_read_ctx *ctx = d->r->ctx;
    FILE *fp = fmemopen((void *)text, len, "r");
    cc_input in;
    if (!fp || cc_input_from_fp(&in, fp, ctx->in->name) != 0) {
        if (fp)
            fclose(fp);
        return 2;
    }
    d->prefix = prefix;
    cc_diag_sink diag = {.emit = on_diag, .ud = d};
    cc_read_ctx sub = *ctx;
    sub.in = &in;
    sub.sink = (cc_record_sink){.record = on_record, .reject = on_reject, .ud = d};
    sub.diag = &diag;
    sub.validate = validate;
    sub.verify = validate && ctx->verify;
    sub.schema_path = NULL;  /* a --schema names the CLR schema, not OB 3.0's */
    int rc = d->r->ob3->read(&sub);
    cc_input_close(&in);
    fclose(fp);
    return rc;
}

static bool is_award(const json_t *vc)
{
    const json_t *t = json_object_get(vc, "type"), *x;
    size_t i;
    json_array_foreach(t, i, x)
        if (json_is_string(x) && (!strcmp(json_string_value(x), "AchievementCredential") ||
                                  !strcmp(json_string_value(x), "OpenBadgeCredential")))
            return true;
    return false;
}

/* Each nested credential, one at a time. */
static int read_credentials(doc_ctx *d, const json_t *vcs)
{
    size_t n = json_is_array(vcs) ? json_array_size(vcs) : 1;
    for (size_t i = 0; i < n && !d->stop; i++) {
        const json_t *vc = json_is_array(vcs) ? json_array_get(vcs, i) : vcs;
        char prefix[96];
        snprintf(prefix, sizeof prefix, json_is_array(vcs) ? "/credentialSubject/verifiableCredential/%zu"
                                                            : "/credentialSubject/verifiableCredential", i);
        char *text = json_is_object(vc) ? json_dumps(vc, JSON_COMPACT) : NULL;
        if (!text) {
            cc_diagp(d->r->ctx->diag, CC_ERROR, d->r->ctx->in->name, d->line, prefix, d->rec,
                     "clr-nested", "a nested credential must be a JSON object");
            on_reject(d, NULL, 0, NULL);
            continue;
        }
        int rc = read_ob3(d, text, strlen(text), d->r->set != NULL, prefix);
        free(text);
        if (rc == 2)
            return 2;
    }
    return 0;
}

/* The achievements as OB 3.0 Achievement documents, one per line (the CLR's schema has
 * checked them): the ob3 reader puts each block back into the certification before it. */
static int read_achievements(doc_ctx *d, const json_t *list, const json_t *issuer)
{
    char *buf = NULL;
    size_t len = 0, i;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem)
        return 2;
    json_t *x;
    json_array_foreach(list, i, x) {
        json_t *doc = json_deep_copy(x);
        json_object_set_new(doc, "@context", json_pack("[ss]", CLR_CTX_VC2, CLR_CTX_OB));
        /* the record's issuer is the certification's own when it names no creator, so
         * writing it again has an issuer (docs/mapping.md) */
        if (i == 0 && json_is_object(issuer) && !json_object_get(doc, "creator"))
            json_object_set(doc, "creator", (json_t *)issuer);
        char *s = json_dumps(doc, JSON_COMPACT);
        if (s)
            fprintf(mem, "%s\n", s);
        free(s);
        json_decref(doc);
    }
    fclose(mem);
    int rc = len ? read_ob3(d, buf, len, false, "/credentialSubject/achievement") : 0;
    free(buf);
    return rc;
}

/* ------------------------------------------------------------ validation */

typedef struct validation {
    doc_ctx *d;
    int errors;
} validation;

static void on_schema_error(void *ud, const char *instance, const char *keyword, const char *msg)
{
    validation *v = ud;
    (void)keyword;
    cc_diagp(v->d->r->ctx->diag, CC_ERROR, v->d->r->ctx->in->name, v->d->line, instance,
             v->d->rec, "clr-schema", "%s", msg);
    v->errors++;
}

static int validate(doc_ctx *d, const json_t *doc)
{
    clrrd *r = d->r;
    validation v = {.d = d};
    json_t *vc2 = cc_clr_as_vc2(doc);
    if (cc_schema_validate(r->set, CLR_SCHEMA_URI, vc2, CC_SCHEMA_FORMAT_ASSERT, on_schema_error, &v) < 0 &&
        !v.errors)
        v.errors = 1;
    json_decref(vc2);
    const char *file = r->ctx->in->name;
    return v.errors + cc_clr_check(doc, r->ctx->diag, file, d->line, d->rec) +
           cc_jsonld_check_terms(doc, &r->contexts, "clr", r->ctx->diag, file, d->line, d->rec);
}

/* ------------------------------------------------------------ the reader */

static int emit(void *ud, const json_t *doc, long line)
{
    clrrd *r = ud;
    cc_read_ctx *ctx = r->ctx;
    doc_ctx d = {.r = r, .line = line};
    if (!doc) {  /* not JSON (reported): a record of its own, rejected */
        ++r->index;
        return ctx->sink.reject(ctx->sink.ud, ctx->in->name, line, NULL);
    }
    const json_t *id = json_object_get(doc, "id");
    if (json_is_string(id) && json_string_length(id) < 256)
        d.rec = json_string_value(id);
    d.invalid = r->set ? validate(&d, doc) : 0;
    const json_t *s = json_object_get(doc, "credentialSubject"), *vcs = cc_clr_nested(doc), *x;
    bool awards = is_award(vcs);
    size_t i;
    json_array_foreach(vcs, i, x)
        awards |= is_award(x);
    int rc = awards ? read_credentials(&d, vcs) : read_achievements(&d, json_object_get(s, "achievement"),
                                                                   json_object_get(doc, "issuer"));
    if (rc == 2)
        return 2;
    if (!d.delivered && !d.stop) {
        cc_diagf(ctx->diag, CC_ERROR, ctx->in->name, line, 0, d.rec, "clr-empty",
                 "not a CLR 2.0 record credconv can map: no nested credential awards anything and "
                 "it lists no achievement");
        ++r->index;
        d.stop = ctx->sink.reject(ctx->sink.ud, ctx->in->name, line, d.rec);
    }
    return d.stop;
}

int cc_clr_read(cc_read_ctx *ctx)
{
    bool checked = ctx->validate || ctx->verify;  /* verify validates what it verified */
    clrrd r = {.ctx = ctx, .ob3 = cc_format_find("ob3")};
    if (!r.ob3)
        return 2;
    if (checked && !(r.set = cc_schema_load(ctx, CLR_SCHEMA_FILE, CLR_SCHEMA_URI)))
        return 1;
    cc_jsonld_cache_init(&r.contexts, ctx->fetch);
    int rc = cc_json_records(ctx, emit, &r);
    cc_schema_release(ctx, r.set);
    cc_jsonld_cache_free(&r.contexts);
    return rc;
}
