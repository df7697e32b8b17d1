/* convert --jobs N (docs/ARCHITECTURE.md, "Threads"): the reader runs on the calling thread,
 * which also does everything that needs the run (completing, issuing, --status-list
 * indexes, --shard, counts); each record kept then goes to one of N workers, which writes
 * it (and signs it) into memory with a writer, write check, signer and JSON-LD run state of
 * its own; the calling thread emits the records in the order they were read: their
 * diagnostics, their bytes, their counts.  A diagnostic the calling thread reports while
 * records are in flight waits its turn behind them, so stderr and --report keep the order
 * of --jobs 1. */
#include "cc_loss.h"
#include "cc_workers.h"
#include "cc_writecheck.h"
#include "cc_rdf.h"
#include "pipeline_int.h"

#include <stdio.h>

/* ------------------------------------------------------------ kept diagnostics */

typedef struct dnode {
    struct dnode *next;
    cc_diag d;  /* its strings are in strs (cc_diag_keep), owned by the node */
    char *strs;
} dnode;

typedef struct dlist {
    dnode *head, **tail;
} dlist;

static void dlist_add(dlist *l, const cc_diag *d)
{
    dnode *n = calloc(1, sizeof *n);
    if (!n)
        cc_oom();
    n->d = cc_diag_keep(d, &n->strs);
    if (!l->tail)
        l->tail = &l->head;
    *l->tail = n;
    l->tail = &n->next;
}

static void dlist_free(dlist *l)
{
    for (dnode *n = l->head, *next; n; n = next) {
        next = n->next;
        free(n->strs);
        free(n);
    }
    *l = (dlist){0};
}

/* ------------------------------------------------------------ jobs and workers */

/* A fiche whose credentials borrow its achievements: freed when the last is emitted. */
struct cc_pl_hold {
    cc_record *rec;
    long refs;  /* only the calling thread counts */
};

typedef struct pl_job {
    cc_record *rec;     /* owned; freed once emitted */
    cc_pl_hold *hold;
    dlist pre;          /* the calling thread's diagnostics reported before this record */
    dlist own;          /* the worker's (the writer's, the check's, the signer's) */
    char *buf;          /* what the record is, written */
    size_t len;
    int rc;             /* as cc_signer_record / writer_record */
} pl_job;

typedef struct pl_worker {
    const cc_options *o;
    const cc_format *fmt;
    cc_wcheck *check;
    cc_fetch_opts fetch;  /* the run's options, with a cache and JSON-LD run state of its own */
    cc_signer *signer;
} pl_worker;

struct cc_pl_jobs {
    cc_pool *pool;
    pl_worker *workers;
    size_t n;
    dlist pending;     /* the calling thread's diagnostics since the last record submitted */
    bool replaying;
};

static void job_diag(void *ud, const cc_diag *d)
{
    dlist_add(&((pl_job *)ud)->own, d);
}

/* On a worker: the record as the run's writer or signer would write it, into memory. */
static void work(void *state, void *jp)
{
    pl_worker *w = state;
    pl_job *j = jp;
    cc_diag_sink diag = {.emit = job_diag, .ud = j};
    FILE *mem = open_memstream(&j->buf, &j->len);
    if (!mem)
        cc_oom();
    if (w->signer) {
        j->rc = cc_signer_record(w->signer, j->rec, &diag, mem);
    } else {
        cc_write_ctx wc = {.out = mem, .diag = &diag, .records_in_output = -1, .check = w->check,
                           .case_version = w->o->case_version};
        void *wr = w->fmt->writer_open(&wc);
        j->rc = wr ? w->fmt->writer_record(wr, j->rec) : 2;
        if ((wr ? w->fmt->writer_close(wr) : 2) != 0 && j->rc == 0)
            j->rc = 2;
    }
    if (fclose(mem) != 0 && j->rc == 0)
        j->rc = 2;
}

static void replay(run *r, dlist *l, const cc_record *writing)
{
    r->jobs->replaying = true;
    for (dnode *n = l->head; n; n = n->next) {
        r->writing = writing;
        r->diag.emit(r->diag.ud, &n->d);
    }
    r->writing = NULL;
    r->jobs->replaying = false;
    dlist_free(l);
}

void cc_pl_hold_release(cc_pl_hold *h)
{
    if (h && --h->refs == 0) {
        cc_record_free(h->rec);
        free(h);
    }
}

cc_pl_hold *cc_pl_hold_new(cc_record *rec)
{
    cc_pl_hold *h = malloc(sizeof *h);
    if (!h)
        cc_oom();
    *h = (cc_pl_hold){.rec = rec, .refs = 1};
    return h;
}

/* The bytes out as write_record_now puts them: flushed after each record on stdout. */
static int put(run *r, const pl_job *j)
{
    int rc = j->rc;
    if (rc == 0 && (fwrite(j->buf, 1, j->len, r->out_fp) != j->len ||
                    (!r->o->out_file && fflush(r->out_fp) != 0)))
        rc = 2;
    if (rc == 2) {
        int e = errno;
        const char *path = r->o->out_file ? r->o->out_file : "<stdout>";
        cc_diagf(&r->diag, CC_ERROR, path, 0, 0, cc_record_id(j->rec), "io", "write error: %s", strerror(e));
        cc_pl_output_failed(r, path, "cannot write", e);
    }
    return rc;
}

/* On the calling thread, in order. */
static void emit(void *ud, void *jp)
{
    run *r = ud;
    pl_job *j = jp;
    replay(r, &j->pre, NULL);
    if (r->io_error) {
        r->n.read--;  /* the output failed before: with one thread it would not have been read */
        dlist_free(&j->own);
    } else {
        r->jobs->replaying = true;  /* a write error's diagnostic is in its place already */
        replay(r, &j->own, j->rec);
        r->jobs->replaying = true;
        if (put(r, j) == 0)
            r->n.written++;
        else
            r->n.rejected++;
        r->jobs->replaying = false;
    }
    free(j->buf);
    cc_record_free(j->rec);
    cc_pl_hold_release(j->hold);
    free(j);
}

void cc_pl_jobs_submit(run *r, cc_record *rec, cc_pl_hold *hold)
{
    pl_job *j = calloc(1, sizeof *j);
    if (!j)
        cc_oom();
    j->rec = rec;
    j->hold = hold;
    if (hold)
        hold->refs++;
    j->pre = r->jobs->pending;  /* they come out before it, as with one thread */
    r->jobs->pending = (dlist){0};
    cc_pool_submit(r->jobs->pool, j);
}

bool cc_pl_jobs_keep_diag(run *r, const cc_diag *d)
{
    if (!r->jobs || r->jobs->replaying || cc_pool_pending(r->jobs->pool) == 0)
        return false;
    dlist_add(&r->jobs->pending, d);
    return true;
}

void cc_pl_jobs_drain(run *r)
{
    if (!r->jobs)
        return;
    cc_pool_drain(r->jobs->pool);
    replay(r, &r->jobs->pending, NULL);
}

/* Where several threads give the same bytes as one: each record written on its own into a
 * line of its own, nothing that depends on the records before it (names under -O, a
 * grouping writer, --select's blocks) and no early stop that depends on a record's outcome
 * (--strict).  Anything else runs on one thread (docs/ARCHITECTURE.md). */
static bool jobs_apply(const run *r)
{
    const cc_options *o = r->o;
    if (o->jobs <= 1 || o->cmd != CMD_CONVERT || o->strict || o->out_dir || o->nselects)
        return false;
    if (r->writer_fmt->caps & CC_CAP_GROUPS)
        return false;
    return r->signer || (r->writer_fmt->caps & CC_CAP_LINES);
}

static void worker_init(pl_worker *w, const run *r)
{
    const cc_options *o = r->o;
    *w = (pl_worker){.o = o, .fmt = r->writer_fmt, .fetch = o->fetch};
    w->fetch.cache = o->fetch.cache ? cc_fetch_cache_new() : NULL;
    w->fetch.jsonld = o->fetch.jsonld ? cc_jsonld_run_new() : NULL;
    if (r->signer && !(w->signer = cc_signer_new(o->to, &o->sig, &w->fetch)))
        cc_oom();  /* the same key loaded for the run a moment ago */
    if (!r->signer && !(w->check = cc_wcheck_new(o->schema_dir, o->allow_invalid)))
        cc_oom();
}

static void worker_free(pl_worker *w)
{
    cc_signer_free(w->signer);
    cc_wcheck_free(w->check);
    cc_fetch_cache_free(w->fetch.cache);
    cc_jsonld_run_free(w->fetch.jsonld);
}

int cc_pl_jobs_start(run *r)
{
    if (!jobs_apply(r))
        return 0;
    cc_pl_jobs *js = calloc(1, sizeof *js);
    size_t n = (size_t)r->o->jobs;
    pl_worker *ws = calloc(n, sizeof *ws);
    void **states = calloc(n, sizeof *states);
    if (!js || !ws || !states)
        cc_oom();
    for (size_t i = 0; i < n; i++) {
        worker_init(&ws[i], r);
        states[i] = &ws[i];
    }
    *js = (cc_pl_jobs){.workers = ws, .n = n};
    /* CC_JOBS_IN_FLIGHT records per worker: enough to keep every worker busy while the
     * calling thread emits, few enough to bound memory (docs/ARCHITECTURE.md) */
    js->pool = cc_pool_new(n, states, n * CC_JOBS_IN_FLIGHT, work, emit, r);
    free(states);
    r->jobs = js;
    if (!js->pool) {
        cc_pl_jobs_free(r);
        return -1;
    }
    return 0;
}

void cc_pl_jobs_free(run *r)
{
    cc_pl_jobs *js = r->jobs;
    if (!js)
        return;
    cc_pool_free(js->pool);  /* drains first: nothing submitted is lost */
    dlist_free(&js->pending);
    for (size_t i = 0; i < js->n; i++)
        worker_free(&js->workers[i]);
    free(js->workers);
    free(js);
    r->jobs = NULL;
}
