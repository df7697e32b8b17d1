/* The pipeline: each input is detected, read record by record, each record selected,
 * written and freed before the next is read, so memory does not grow with the input. */
#include "cc_hash.h"
#include "cc_pipeline.h"
#include "cc_bake.h"
#include "cc_issue.h"
#include "cc_status.h"
#include "cc_jsonw.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pipeline_int.h"


/* ------------------------------------------------------------ diagnostics */

static void on_diag(void *ud, const cc_diag *d)
{
    run *r = ud;
    if (cc_pl_jobs_keep_diag(r, d))
        return;  /* --jobs: after the records in flight, where one thread reports it */
    if (d->severity == CC_ERROR)
        r->errors++;
    cc_diag here;
    if (r->writing && !d->file) {  /* a writer's diagnostic: where the record came from */
        here = *d;
        here.file = r->writing->src_file, here.line = r->writing->src_line, here.col = 0;
        here.record = d->record ? d->record : cc_record_id(r->writing);
        d = &here;
    }
    cc_report_save(r->report, d);
    if (r->o->diag) {  /* the library's caller prints, or not */
        r->o->diag->emit(r->o->diag->ud, d);
        return;
    }
    if ((r->o->quiet && d->severity != CC_ERROR) || (d->severity == CC_NOTE && !r->o->verbose))
        return;
    if (r->last_pct >= 0)
        fputs("\r\033[K", stderr);  /* clear the progress line first */
    cc_diag_print(stderr, d);
}

/* ------------------------------------------------------------ progress */

static void on_progress(void *ud, long long done, long long total)
{
    run *r = ud;
    if (total <= 0)
        return;
    int pct = (int)(done * 100 / total);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ms = (now.tv_sec - r->last_tick.tv_sec) * 1000 + (now.tv_nsec - r->last_tick.tv_nsec) / 1000000;
    if (pct == r->last_pct || (ms < 200 && pct < 100))
        return;
    r->last_pct = pct;
    r->last_tick = now;
    char bar[41];
    memset(bar, '#', (size_t)(pct * 40 / 100));
    memset(bar + pct * 40 / 100, '.', (size_t)(40 - pct * 40 / 100));
    bar[40] = '\0';
    fprintf(stderr, "\r[%s] %3d%%  %ld records", bar, pct, r->n.read);
}

static bool want_progress(const run *r, const cc_input *in)
{
    if (r->o->progress >= 0)
        return r->o->progress > 0;
    return isatty(STDERR_FILENO) && in->size > 8LL * 1024 * 1024;
}

/* ------------------------------------------------------------ issuing */

typedef struct issue_ctx {
    run *r;
    cc_achievement *a;
} issue_ctx;

/* --status-list: the credential's index, journaled in the state file before the credential
 * is written (a crash never leaves a credential whose index could be handed out again). */
static int add_status(run *r, cc_record *cred)
{
    char why[512];
    long long index;
    const char *id = cred->credential->id;
    if (!id || cc_status_assign(r->status, id, &index, why, sizeof why) != 0) {
        cc_diagf(&r->diag, CC_ERROR, cred->src_file, cred->src_line, 0, id, "status-state",
                 "no status list index: %s", id ? why : "the credential has no id");
        r->n.rejected++;
        if (id)
            r->io_error = 1;  /* the state file cannot be written: nothing more is issued */
        return 1;
    }
    cc_status_ref *ref = cc_alloc(cred->arena, sizeof *ref);
    *ref = (cc_status_ref){.purpose = cc_status_purpose_name(r->status_purpose),
                           .list = cc_status_url(r->status, r->status_purpose), .index = index};
    cc_list_append(&cred->credential->status, ref);
    return 0;
}

/* cc_write_ctx.status_entry: a CLR's own entry, journaled like a credential's. */
int cc_pl_status_entry(void *ud, const char *id, cc_status_ref *out)
{
    run *r = ud;
    char why[512];
    long long index;
    if (cc_status_assign(r->status, id, &index, why, sizeof why) != 0) {
        cc_diagf(&r->diag, CC_ERROR, NULL, 0, 0, id, "status-state", "no status list index: %s", why);
        r->io_error = 1;  /* the state file cannot be written: nothing more is issued */
        return -1;
    }
    *out = (cc_status_ref){.purpose = cc_status_purpose_name(r->status_purpose),
                           .list = cc_status_url(r->status, r->status_purpose), .index = index};
    return 0;
}

static void issue_one(void *ud, cc_recipient *row)
{
    issue_ctx *ic = ud;
    run *r = ic->r;
    if (r->issue_stop || r->io_error)  /* the output failed: the rest is not issued */
        return;
    cc_record *cred = cc_issue_credential(&r->issue, ic->a, row);
    cred->src_file = r->o->recipients_file;
    cred->src_line = row->line;
    cred->src_index = row->row;
    r->n.read++;
    int rc = r->status ? add_status(r, cred) : 0;
    if (rc == 0) {
        rc = cc_pl_deliver_owned(r, cred, r->hold);  /* --jobs: written in its turn */
    } else {
        cc_record_free(cred);
    }
    if (rc != 0 && r->o->strict)
        r->issue_stop = 1;
}

/* One credential per recipient row naming the fiche or one of its blocks. */
static int issue_all(run *r, cc_record *rec)
{
    cc_achievement *f = rec->achievement;
    issue_ctx ic = {.r = r, .a = f};
    cc_recipients_each(&r->recipients, f->code, issue_one, &ic);
    for (cc_achievement *b = f->parts.head; b; b = b->next) {
        cc_pl_inherit(rec->arena, b, f);
        ic.a = b;
        cc_recipients_each(&r->recipients, b->code, issue_one, &ic);
    }
    return r->issue_stop || r->io_error;
}

/* Rows whose achievement no input had: each is a record rejected. */
static void report_unused_rows(run *r)
{
    for (size_t i = 0; i < r->recipients.n; i++) {
        const cc_recipient *row = &r->recipients.rows[i];
        if (row->used)
            continue;
        cc_diagf(&r->diag, CC_ERROR, r->o->recipients_file, row->line, 0, row->email,
                 "csv-unknown-code", "no input has the achievement '%s': row skipped",
                 row->achievement);
        r->n.read++;
        r->n.rejected++;
    }
}

/* ------------------------------------------------------------ record sink */

void cc_pl_inspect_line(const run *r, const cc_record *rec)
{
    const cc_achievement *a = rec->kind == CC_REC_ACHIEVEMENT ? rec->achievement
                                                              : rec->credential->achievement;
    const char *id = cc_record_id(rec);
    printf("%s:%ld: %s %s", rec->src_file, rec->src_line, id ? id : "(no id)",
           rec->kind == CC_REC_ACHIEVEMENT ? (a->kind ? a->kind : "achievement") : "credential");
    if (a) {
        const char *t = cc_text_get(&a->title, NULL);
        if (t)
            printf(" \"%.80s%s\"", t, strlen(t) > 80 ? "…" : "");
        if (a->eqf_level)
            printf(", EQF %d", a->eqf_level);
        if (a->parts.n)
            printf(", %zu blocks", a->parts.n);
        if (a->outcomes.n)
            printf(", %zu outcomes", a->outcomes.n);
        if (a->orgs.n)
            printf(", %zu organisations", a->orgs.n);
        if (a->active >= 0)
            printf(", %s", a->active ? "active" : "inactive");
    }
    if (rec->invalid)
        printf(", INVALID (%d schema errors)", rec->invalid);
    putchar('\n');
    (void)r;
}

/* What the command line adds to every specification: the issuer and a default image. */
static void complete_achievement(run *r, cc_record *rec)
{
    cc_achievement *a = rec->kind == CC_REC_ACHIEVEMENT ? rec->achievement : NULL;
    if (!a)
        return;
    if (r->issue.issuer && !r->o->recipients_file)
        cc_list_append(&a->orgs, cc_issuer_org(rec->arena, r->issue.issuer));
    for (cc_achievement *x = a; r->badge_image && x; x = x == a ? a->parts.head : x->next)
        if (!x->image)
            x->image = r->badge_image;
}

/* --issuer with a credential: the issuer file completes what the input lacks (an OB 3.0
 * issuer has no country or registration, which EDC requires), for that organisation only. */
static void complete_credential(run *r, cc_record *rec)
{
    cc_credential *c = rec->kind == CC_REC_CREDENTIAL ? rec->credential : NULL;
    const cc_issuer *is = r->issue.issuer;
    if (!c || !is || r->o->recipients_file)
        return;
    cc_org *o = c->issuer, *file = cc_issuer_org(rec->arena, is);
    if (!o) {
        c->issuer = file;
        return;
    }
    if (o->id && strcmp(o->id, is->id) != 0) {
        cc_diagf(&r->diag, CC_WARNING, rec->src_file, rec->src_line, 0, cc_record_id(rec),
                 "issuer-mismatch", "--issuer describes %s, not this credential's issuer %s: "
                 "not used", is->id, o->id);
        return;
    }
    o->id = o->id ? o->id : file->id;
    if (!o->name.n)
        o->name = file->name;
    o->url = o->url ? o->url : file->url;
    o->email = o->email ? o->email : file->email;
    o->country = o->country ? o->country : file->country;
    if (!o->identifiers.n)
        o->identifiers = file->identifiers;
}

/* verify --recipient: was the credential issued to that identity? */
static void check_recipient(run *r, const cc_record *rec)
{
    const cc_person *p = rec->kind == CC_REC_CREDENTIAL ? rec->credential->subject : NULL;
    bool yes = p && p->email && strcmp(p->email, r->o->recipient) == 0;
    for (const cc_identity *i = p ? p->identifiers.head : NULL; i && !yes; i = i->next)
        yes = cc_identity_matches(i, r->o->recipient);
    printf("%s: %s issued to %s\n", cc_record_id(rec) ? cc_record_id(rec) : rec->src_file,
           yes ? "is" : "is NOT", r->o->recipient);
    if (!yes)
        r->n.not_recipient++;
}

static int on_record(void *ud, cc_record *rec)
{
    run *r = ud;
    int stop = 0;
    complete_achievement(r, rec);
    complete_credential(r, rec);
    if (r->o->cmd == CMD_VERIFY && r->o->recipient)
        check_recipient(r, rec);
    if (r->o->recipients_file && rec->kind == CC_REC_ACHIEVEMENT) {
        /* --jobs: the credentials borrow the fiche's achievements until they are written */
        r->hold = r->jobs ? cc_pl_hold_new(rec) : NULL;
        stop = issue_all(r, rec);  /* the credentials are the records counted */
        if (r->hold)
            cc_pl_hold_release(r->hold);
        else
            cc_record_free(rec);
        r->hold = NULL;
        return stop || r->io_error;
    }
    r->n.read++;
    if (rec->invalid) {
        r->n.invalid++;
        stop = r->o->strict;
    }
    const cc_achievement *a = rec->kind == CC_REC_ACHIEVEMENT ? rec->achievement
                                                              : rec->credential->achievement;
    if (r->o->nselects) {
        cc_pl_select_record(r, rec, a, &stop);
    } else if (!cc_pl_in_force(r, a)) {
        r->n.filtered++;
        r->inactive++;
    } else {
        if (cc_pl_deliver_owned(r, rec, NULL) != 0 && r->o->strict)  /* owns rec */
            stop = 1;
        return stop || r->io_error;
    }
    cc_record_free(rec);
    return stop || r->io_error;
}

static int on_reject(void *ud, const char *file, long line, const char *id)
{
    run *r = ud;
    (void)file, (void)line, (void)id;
    r->n.read++;
    r->n.rejected++;
    return r->o->strict;
}

/* ------------------------------------------------------------ inputs */

static int run_input(run *r, const char *path)
{
    cc_fetch_input(&r->o->fetch, path);  /* this input's fetches count against its deadline */
    cc_input in;
    if (cc_input_open_member(&in, path, r->o->member) != 0) {
        cc_diagf(&r->diag, CC_ERROR, path, 0, 0, NULL, "io", "cannot open: %s",
                 *in.error ? in.error : strerror(errno));
        r->input_io = 1;
        return 2;
    }
    const cc_format *f = r->o->from ? r->o->from : cc_format_detect(in.peek, in.peek_len);
    int rc = 0;
    if (in.peek_len == 0) {
        cc_diagf(&r->diag, CC_ERROR, in.name, 0, 0, NULL, "input-empty", "empty input");
        rc = 1;
    } else if (!f) {
        cc_diagf(&r->diag, CC_ERROR, in.name, 0, 0, NULL, "detect",
                 "cannot tell the format of this input; name it with -f (see 'credconv formats')");
        rc = 1;
    } else if (!(f->caps & CC_CAP_READ)) {
        cc_diagf(&r->diag, CC_ERROR, in.name, 0, 0, NULL, "usage", "format '%s' cannot be read",
                 f->name);
        rc = 2;
    } else if ((r->o->cmd == CMD_VALIDATE || r->o->cmd == CMD_VERIFY) && !(f->caps & CC_CAP_VALIDATE)) {
        cc_diagf(&r->diag, CC_ERROR, in.name, 0, 0, NULL, "usage",
                 "format '%s' has no schema to validate against", f->name);
        rc = 2;
    } else {
        if (want_progress(r, &in)) {
            in.progress = on_progress;
            in.progress_ud = r;
            r->last_pct = 0;
        }
        cc_read_ctx ctx = {.in = &in, .sink = {.record = on_record, .reject = on_reject, .ud = r}, .diag = &r->diag, .schema_path = r->o->schema,
                           .validate = r->o->cmd == CMD_VALIDATE, .schema_dir = r->o->schema_dir, .fetch = &r->o->fetch,
                           .verify = r->o->cmd == CMD_VERIFY, .max_json_size = r->o->max_json_size, .schemas = r->o->schemas};
        rc = f->read(&ctx);
        if (*in.error) {  /* the reader saw an early end; this says why */
            cc_diagf(&r->diag, CC_ERROR, in.name, 0, 0, NULL, "io", "%s", in.error);
            rc = 2;
        }
        if (r->last_pct >= 0)
            fputs("\r\033[K", stderr);
        r->last_pct = -1;
    }
    cc_input_close(&in);
    if (rc == 1)
        r->input_error = 1;
    if (rc == 2)  /* reading this input failed (an output failure has set io_error itself) */
        r->input_io = 1;
    return rc;
}

/* ------------------------------------------------------------ driver */

static int open_output(run *r)
{
    if (r->o->out_dir) {
        if (mkdir(r->o->out_dir, 0755) != 0 && errno != EEXIST) {
            cc_diagf(&r->diag, CC_ERROR, r->o->out_dir, 0, 0, NULL, "io", "cannot create: %s",
                     strerror(errno));
            return -1;
        }
        r->grouped = (r->writer_fmt->caps & CC_CAP_GROUPS) != 0;
        if (!r->grouped)
            return 0;
        if (!(r->out_fp = open_memstream(&r->group_buf, &r->group_len)))
            return -1;
    } else {
        r->out_fp = r->o->out ? r->o->out : stdout;  /* the library's caller may give a stream */
    }
    if (r->o->out_file && !r->o->out) {
        if (cc_outfile_open(&r->out, r->o->out_file) != 0) {
            cc_diagf(&r->diag, CC_ERROR, r->o->out_file, 0, 0, NULL, "io", "cannot create: %s",
                     strerror(errno));
            return -1;
        }
        r->out_fp = r->out.fp;
    }
    if (r->signer)
        return 0;  /* one token per line: no document around them */
    cc_write_ctx wc = {.out = r->out_fp, .diag = &r->diag, .records_in_output = -1, .check = r->o->write_check,
                       .case_version = r->o->case_version,
                       .status_entry = r->status ? cc_pl_status_entry : NULL, .status_ud = r};
    r->writer = r->writer_fmt->writer_open(&wc);
    return r->writer ? 0 : -1;
}

/* -o FILE after a write error is not kept: the records counted written are lost with it, so
 * they are counted rejected (discarded), never written. */
static void discard_written(run *r)
{
    r->n.discarded += r->n.written;
    r->n.rejected += r->n.written;
    r->n.written = 0;
}

static void close_output(run *r)
{
    if ((r->o->out_dir && !r->grouped) || (!r->writer && !r->signer))
        return;
    const char *path = r->o->out ? "<stream>" : r->o->out_file ? r->o->out_file : "<stdout>";
    if (r->writer && r->writer_fmt->writer_close(r->writer) != 0)
        cc_pl_output_failed(r, path, "cannot write", errno);
    long lost = 0;
    int frc = r->io_error ? 0 : cc_signer_finish(r->signer, &r->diag, r->out_fp, &lost);
    if (frc == 2)
        cc_pl_output_failed(r, path, "cannot write", errno);
    r->n.written -= lost;  /* in a learner's CLR that could not be signed (reported) */
    r->n.rejected += lost;
    if (r->grouped) {
        cc_pl_split_output(r);
        if (r->io_error)
            discard_written(r);  /* some files may be there, but the output failed */
        return;
    }
    if (r->o->out_file && !r->o->out) {
        /* Records already converted are kept even after a bad input; only an I/O failure
         * discards the file. */
        if (r->io_error) {
            cc_outfile_abort(&r->out);
            discard_written(r);
        } else if (cc_outfile_commit(&r->out) != 0) {
            int e = errno;
            cc_diagf(&r->diag, CC_ERROR, path, 0, 0, NULL, "io", "cannot write: %s", strerror(e));
            cc_pl_output_failed(r, path, "cannot write", e);
            discard_written(r);
        }
    } else if (fflush(r->out_fp) != 0) {
        int e = errno;
        cc_diagf(&r->diag, CC_ERROR, path, 0, 0, NULL, "io", "write error: %s", strerror(e));
        cc_pl_output_failed(r, path, "cannot write", e);
    }
}

static void print_summary(const run *r)
{
    if (r->o->quiet || r->o->diag)
        return;
    if (r->o->cmd == CMD_VALIDATE || r->o->cmd == CMD_VERIFY)
        fprintf(stderr, "credconv: %ld records read, %ld valid, %ld invalid, %ld rejected\n",
                r->n.read, r->n.read - r->n.invalid - r->n.rejected, r->n.invalid, r->n.rejected);
    if (r->o->cmd == CMD_VERIFY && r->o->recipient)
        fprintf(stderr, "credconv: %ld of %ld records issued to %s\n",
                r->n.read - r->n.rejected - r->n.not_recipient, r->n.read, r->o->recipient);
    else if (r->o->cmd == CMD_CONVERT && (r->n.rejected || r->n.filtered || r->errors))
        fprintf(stderr, "credconv: %ld records read, %ld written, %ld rejected, %ld filtered\n",
                r->n.read, r->n.written, r->n.rejected, r->n.filtered);
    if (r->o->cmd == CMD_CONVERT && *r->output_error)
        fprintf(stderr, r->n.discarded ? "credconv: %s: the file is not kept, so none of the %ld records "
                "converted before is written\n" : "credconv: %s: the run stopped there%.0ld\n",
                r->output_error, r->n.discarded);
}

/* --badge-image: a URL as is; a PNG or SVG file as a data: URI (BadgeClass images may be). */
static int load_badge_image(run *r)
{
    const char *img = r->o->badge_image;
    if (!img || strstr(img, "://")) {
        r->badge_image = img ? strdup(img) : NULL;
        return 0;
    }
    FILE *fp = fopen(img, "rb");
    size_t len = 0;
    unsigned char *b = fp ? cc_slurp(fp, 4 << 20, &len) : NULL;
    if (fp)
        fclose(fp);
    cc_image_kind k = b ? cc_image_detect(b, len) : CC_IMAGE_NONE;
    if (k != CC_IMAGE_NONE)
        r->badge_image = cc_data_uri(k == CC_IMAGE_PNG ? "image/png" : "image/svg+xml", b, len);
    free(b);
    if (!r->badge_image)
        cc_diagf(&r->diag, CC_ERROR, img, 0, 0, NULL, "usage", "--badge-image needs a URL or a "
                 "PNG or SVG file (at most 4 MB)");
    return r->badge_image ? 0 : -1;
}

/* --status-list URL --status-state FILE [--status-purpose P]: the state file, created for
 * this issuer when new; a URL already recorded for the purpose must be the same. */
static int open_status(run *r)
{
    const cc_options *o = r->o;
    if (!o->status_list)
        return 0;
    char why[1024];
    if (cc_status_purpose_parse(o->status_purpose ? o->status_purpose : "revocation", &r->status_purpose) != 0) {
        cc_diagf(&r->diag, CC_ERROR, NULL, 0, 0, NULL, "usage", "--status-purpose is revocation or suspension");
        return -1;
    }
    cc_status_init init = {.issuer = r->issuer.id};
    init.url[r->status_purpose] = o->status_list;
    r->status = cc_status_state_open(o->status_state, &init, why, sizeof why);
    if (!r->status)
        cc_diagf(&r->diag, CC_ERROR, o->status_state, 0, 0, NULL, "status-state", "%s", why);
    return r->status ? 0 : -1;
}

static int load_issuing(run *r)
{
    const cc_options *o = r->o;
    if (load_badge_image(r) != 0)
        return -1;
    cc_now(r->now);
    r->issue = (cc_issue_opts){.hash_recipients = o->hash_recipients, .id_base = o->id_base, .now = r->now};
    if (o->issuer_file) {
        if (cc_issuer_load(&r->issuer, o->issuer_file, &r->diag) != 0)
            return -1;
        r->issue.issuer = &r->issuer;
    }
    if (o->recipients_file) {
        if ((o->recipients_csv ? cc_recipients_parse(&r->recipients, o->recipients_csv, o->recipients_csv_len,
                                                     o->recipients_file, &r->diag)
                               : cc_recipients_load(&r->recipients, o->recipients_file, o->csv_encoding, &r->diag)) != 0)
            return -1;
        r->n.read += r->recipients.bad;
        r->n.rejected += r->recipients.bad;
    }
    return open_status(r);
}

/* --report: opened before any work, so an unwritable report path costs nothing. */
static int open_report(run *r)
{
    const cc_options *o = r->o;
    r->report = o->report;
    if (r->report || !o->report_file)
        return 0;
    r->report = cc_report_open(o->report_file, o->inputs, o->ninputs, false);
    if (!r->report)
        fprintf(stderr, "%s: error: cannot write the report: %s [io]\n", o->report_file, strerror(errno));
    return r->report ? 0 : -1;
}

static int run_inputs(run *r)
{
    const cc_options *o = r->o;
    static const char *const stdin_only[] = {"-"};
    const char *const *inputs = o->ninputs ? (const char *const *)o->inputs : stdin_only;
    size_t n = o->ninputs ? o->ninputs : 1;
    for (size_t i = 0; i < n && !r->io_error; i++) {
        if (run_input(r, inputs[i]) != 0 && o->strict)
            break;
        if (o->strict && (r->n.rejected || r->n.invalid))
            break;
    }
    cc_pl_jobs_drain(r);  /* --jobs: every record written, in order, before the end's lines */
    if (o->recipients_file && !r->io_error)
        report_unused_rows(r);
    if (o->cmd == CMD_CONVERT)
        close_output(r);
    /* A run stopped early (--strict, an output failure) has not seen every code. */
    if (!r->io_error && !(o->strict && (r->n.rejected || r->n.invalid || r->input_error)))
        cc_pl_report_selection(r);
    int status = r->io_error || r->input_io ? 2 : (r->input_error || r->n.rejected || r->n.invalid || r->n.not_recipient || r->select_missed) ? 1 : 0;
    if (o->cmd == CMD_VERIFY && o->recipient && r->n.read == 0)
        status = 1;  /* nothing read: certainly not issued to them */
    return status;
}

int cc_run(const cc_options *o)
{
    run r = {.o = o, .last_pct = -1};
    r.diag = (cc_diag_sink){.emit = on_diag, .ud = &r};
    if (o->cmd == CMD_BAKE)
        return cc_bake_file(o->bake_image, o->inputs[0], o->out_file, &r.diag);
    if (o->cmd == CMD_UNBAKE)
        return cc_unbake_file(o->inputs[0], o->out_file, &r.diag);
    r.writer_fmt = o->to;
    if (open_report(&r) != 0)
        return 2;
    int status = 0;
    if (o->nselects && !(r.sel_state = calloc(o->nselects, 1))) {
        status = 2;
    } else if (load_issuing(&r) != 0) {
        status = 2;
    } else if (o->sig.sign_key && !(r.signer = cc_signer_new(o->to, &o->sig, &o->fetch))) {
        status = 2;
    } else if (o->cmd == CMD_CONVERT && open_output(&r) != 0) {
        status = 2;
    } else if (cc_pl_jobs_start(&r) != 0) {
        status = 2;
    } else {
        if (r.signer && r.status)  /* a signed CLR's own entry (cc_write_ctx.status_entry) */
            cc_signer_set_status(r.signer, cc_pl_status_entry, &r);
        status = run_inputs(&r);
    }
    cc_pl_jobs_free(&r);
    print_summary(&r);
    if (o->counts)
        *o->counts = r.n;
    if (r.report && cc_report_commit(r.report, &r.n, *r.output_error ? r.output_error : NULL) != 0) {
        fprintf(stderr, "%s: error: cannot write the report: %s [io]\n", o->report_file, strerror(errno));
        status = 2;
    }
    free(r.badge_image);
    free(r.sel_state);
    cc_signer_free(r.signer);
    cc_status_state_close(r.status);
    cc_recipients_free(&r.recipients);
    cc_issuer_free(&r.issuer);
    for (size_t i = 0; i < r.name_cap; i++)
        free(r.names[i]);
    free(r.names);
    return status;
}
