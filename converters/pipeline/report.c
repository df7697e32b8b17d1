/* --report FILE: the JSON report of a run, one writer for every command.  The file is an
 * atomic cc_outfile, opened when the run starts and linked in at its end, so a report is
 * whole or absent.  verify's entries are written as each input is verified (streamed); the
 * run's own diagnostics are kept (up to MAX_REPORTED) and written at the end, with the counts. */
#include "cc_jsonw.h"
#include "cc_loss.h"
#include "cc_pipeline.h"
#include "cc_sign.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_REPORTED = 100000, MAX_PER_ENTRY = 32 };

typedef struct saved_diag {
    cc_diag d;
    char *strs;  /* one allocation for every string of d */
} saved_diag;

typedef struct diag_list {
    saved_diag *v;
    size_t n, cap, max, dropped;
} diag_list;

struct cc_report {
    cc_outfile of;
    cc_jw w;
    bool verdicts;
    long total, valid, invalid, not_checked;
    diag_list entry;  /* the diagnostics of the input being verified */
    diag_list run;    /* the run's own */
};

static void save(diag_list *l, const cc_diag *d)
{
    if (l->n >= l->max) {
        l->dropped++;
        return;
    }
    if (l->n == l->cap) {  /* doubling, so keeping 100,000 diagnostics stays linear */
        size_t cap = l->cap ? 2 * l->cap : 16;
        saved_diag *s = realloc(l->v, cap * sizeof *s);
        if (!s)
            cc_oom();
        l->v = s;
        l->cap = cap;
    }
    saved_diag *s = &l->v[l->n++];
    s->d = cc_diag_keep(d, &s->strs);
}

static void clear(diag_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].strs);
    free(l->v);
    *l = (diag_list){.max = l->max};
}

static void write_diags(cc_jw *w, const char *key, const diag_list *l)
{
    cc_jw_key(w, key);
    cc_jw_arr(w);
    for (size_t i = 0; i < l->n; i++) {
        const cc_diag *d = &l->v[i].d;
        cc_jw_obj(w);
        cc_jw_kstr(w, "severity", cc_severity_name(d->severity));
        cc_jw_kstr(w, "file", d->file);
        if (d->line > 0) {
            cc_jw_key(w, "line");
            cc_jw_int(w, d->line);
        }
        if (d->col > 0) {
            cc_jw_key(w, "column");
            cc_jw_int(w, d->col);
        }
        cc_jw_kstr(w, "pointer", d->pointer);
        cc_jw_kstr(w, "record", d->record);
        cc_jw_kstr(w, "rule", d->rule);
        cc_jw_kstr(w, "message", d->message);
        cc_jw_obj_end(w);
    }
    cc_jw_arr_end(w);
}

cc_report *cc_report_open(const char *path, char *const *inputs, size_t ninputs, bool verdicts)
{
    cc_report *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    if (cc_outfile_open(&r->of, path) != 0) {
        int e = errno;
        free(r);
        errno = e;
        return NULL;
    }
    r->verdicts = verdicts;
    r->entry.max = MAX_PER_ENTRY;
    r->run.max = MAX_REPORTED;
    cc_jw_init(&r->w, r->of.fp);
    cc_jw_obj(&r->w);
    cc_jw_kstr(&r->w, "credconv", CC_VERSION);
    cc_jw_key(&r->w, "inputs");
    cc_jw_arr(&r->w);
    for (size_t i = 0; i < (ninputs ? ninputs : 1); i++)
        cc_jw_str(&r->w, ninputs ? inputs[i] : "-");
    cc_jw_arr_end(&r->w);
    if (verdicts) {
        cc_jw_key(&r->w, "verdicts");
        cc_jw_arr(&r->w);
    }
    return r;
}

void cc_report_diag(cc_report *r, const cc_diag *d)
{
    if (r)
        save(&r->entry, d);
}

void cc_report_forget(cc_report *r)
{
    if (r)
        clear(&r->entry);
}

void cc_report_save(cc_report *r, const cc_diag *d)
{
    if (r)
        save(&r->run, d);
}

void cc_report_verdict(cc_report *r, const char *name, const cc_verdict *v)
{
    if (!r || !r->verdicts)
        return;
    cc_jw *w = &r->w;
    const char *status = v->status == 1 ? "valid" : v->status == 0 ? "invalid" : "not-checked";
    r->total++;
    *(v->status == 1 ? &r->valid : v->status == 0 ? &r->invalid : &r->not_checked) += 1;
    cc_jw_obj(w);
    cc_jw_kstr(w, "name", name);
    cc_jw_kstr(w, "kind", v->kind);
    cc_jw_kstr(w, "status", status);
    cc_jw_kstr(w, "reason", v->status != 1 && *v->reason ? v->reason : NULL);
    cc_jw_key(w, "bound");
    cc_jw_bool(w, v->bound);
    cc_jw_kstr(w, "binding", *v->binding ? v->binding : NULL);
    cc_jw_kstr(w, "checked", *v->checked ? v->checked : NULL);
    cc_jw_kstr(w, "unchecked", *v->unchecked ? v->unchecked : NULL);
    write_diags(w, "diagnostics", &r->entry);
    cc_jw_key(w, "diagnosticsNotListed");
    cc_jw_int(w, (long long)r->entry.dropped);
    cc_jw_obj_end(w);
    clear(&r->entry);
}

static void write_counts(cc_report *r, const cc_counts *n, const char *output_error)
{
    cc_jw *w = &r->w;
    if (r->verdicts) {
        cc_jw_arr_end(w);
        cc_jw_key(w, "verdictCounts");  /* total = valid + invalid + notChecked */
        cc_jw_obj(w);
        const char *keys[] = {"total", "valid", "invalid", "notChecked"};
        const long vals[] = {r->total, r->valid, r->invalid, r->not_checked};
        for (int i = 0; i < 4; i++) {
            cc_jw_key(w, keys[i]);
            cc_jw_int(w, vals[i]);
        }
        cc_jw_obj_end(w);
    }
    cc_jw_key(w, "records");  /* read = written + rejected + filtered */
    cc_jw_obj(w);
    const char *keys[] = {"read", "written", "rejected", "filtered", "invalid", "discarded"};
    const long vals[] = {n->read, n->written, n->rejected, n->filtered, n->invalid, n->discarded};
    for (int i = 0; i < 6; i++) {
        cc_jw_key(w, keys[i]);
        cc_jw_int(w, vals[i]);
    }
    cc_jw_obj_end(w);
    cc_jw_kstr(w, "outputError", output_error);
}

int cc_report_commit(cc_report *r, const cc_counts *n, const char *output_error)
{
    write_counts(r, n, output_error);
    write_diags(&r->w, "diagnostics", &r->run);
    cc_jw_key(&r->w, "diagnosticsNotListed");
    cc_jw_int(&r->w, (long long)r->run.dropped);
    cc_jw_obj_end(&r->w);
    fputc('\n', r->of.fp);
    int rc = cc_outfile_commit(&r->of);
    int e = errno;
    clear(&r->entry);
    clear(&r->run);
    free(r);
    errno = e;
    return rc;
}
