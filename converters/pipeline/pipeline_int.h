/* The pipeline's run: shared by its parts (pipeline.c: diagnostics, progress, issuing, the
 * record sink, inputs, the driver; pipeline_output.c: writers and output files; select.c:
 * --select and --active-only).  Private to converters/pipeline/. */
#ifndef CC_PIPELINE_INT_H
#define CC_PIPELINE_INT_H

#include "cc_hash.h"
#include "cc_pipeline.h"
#include "cc_bake.h"
#include "cc_issue.h"
#include "cc_jsonw.h"
#include "cc_status.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <stdbool.h>
#include <time.h>

typedef struct cc_pl_jobs cc_pl_jobs;
typedef struct cc_pl_hold cc_pl_hold;

typedef struct run {
    const cc_options *o;
    cc_counts n;
    int errors, io_error, input_error;
    int input_io;                 /* an input missing or unreadable: exit 2, the others still run */
    unsigned char *sel_state;     /* per --select: what it has matched (SEL_*) */
    int select_missed;            /* a --select matched nothing: exit 1 */
    long inactive;                /* records --active-only filtered out */
    cc_diag_sink diag;
    cc_report *report;            /* --report: open from the start, committed at the end */
    char output_error[256];       /* why the output was not kept, for the summary and report */
    const cc_format *writer_fmt;
    void *writer;                 /* single output: the open writer */
    cc_outfile out;
    FILE *out_fp;
    char **names;                 /* -O: names written by this run (a hash set) */
    size_t nnames, name_cap;
    int last_pct;
    struct timespec last_tick;
    cc_recipients recipients;     /* loaded when --recipients is given */
    cc_issuer issuer;
    cc_issue_opts issue;
    char now[21];
    int issue_stop;
    char *badge_image;            /* --badge-image as a URL or data: URI */
    cc_signer *signer;            /* convert --sign */
    cc_status_state *status;      /* --status-list: the state file that hands out indexes */
    cc_status_purpose status_purpose;
    const cc_record *writing;     /* the record a writer is writing: its diagnostics name it */
    bool grouped;                 /* -O with a grouping writer (CC_CAP_GROUPS): split at the end */
    char *group_buf;              /* what that writer wrote (out_fp is its memory stream) */
    size_t group_len;
    cc_pl_jobs *jobs;             /* --jobs N > 1 where it applies (pipeline_jobs.c), else NULL */
    cc_pl_hold *hold;             /* with jobs: the fiche being issued, kept for its credentials */
} run;

/* Across the parts. */
bool cc_pl_in_force(const run *r, const cc_achievement *a);
int cc_pl_deliver(run *r, cc_record *rec);
/* cc_write_ctx.status_entry for the run's writers (ud: the run). */
int cc_pl_status_entry(void *ud, const char *id, cc_status_ref *out);
int cc_pl_write_record(run *r, const cc_record *rec);
void cc_pl_inherit(cc_arena *a, cc_achievement *b, const cc_achievement *f);
void cc_pl_inspect_line(const run *r, const cc_record *rec);
void cc_pl_output_failed(run *r, const char *path, const char *what, int err);
/* -O with a grouping writer: what it wrote (r->group_buf, one document a line) as one file per
 * document, named after its id; frees the buffer. */
void cc_pl_split_output(run *r);
void cc_pl_report_selection(run *r);
void cc_pl_select_record(run *r, cc_record *rec, const cc_achievement *a, int *stop);

/* --jobs (pipeline_jobs.c).  start: r->jobs set when --jobs applies to this run (0), -1
 * when the threads cannot start.  submit: rec (owned from then) goes to a worker; it is
 * written, counted and freed in order, its fiche (hold) released after.  keep_diag: true when
 * the diagnostic waits behind records in flight.  drain: every record emitted, and the
 * diagnostics waiting.  deliver_owned: cc_pl_deliver then free, or with jobs the submit. */
#define CC_JOBS_IN_FLIGHT 64
int cc_pl_jobs_start(run *r);
void cc_pl_jobs_submit(run *r, cc_record *rec, cc_pl_hold *hold);
bool cc_pl_jobs_keep_diag(run *r, const cc_diag *d);
void cc_pl_jobs_drain(run *r);
void cc_pl_jobs_free(run *r);
cc_pl_hold *cc_pl_hold_new(cc_record *rec);
void cc_pl_hold_release(cc_pl_hold *h);
int cc_pl_deliver_owned(run *r, cc_record *rec, cc_pl_hold *hold);

#endif
