/* The pipeline: each input is detected, read record by record, each record selected,
 * written and freed before the next is read, so memory does not grow with the input. */
#include "cc_hash.h"
#include "cc_pipeline.h"
#include "cc_bake.h"
#include "cc_issue.h"
#include "cc_jsonw.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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
    const cc_record *writing;     /* the record a writer is writing: its diagnostics name it */
} run;

/* ------------------------------------------------------------ diagnostics */

static void on_diag(void *ud, const cc_diag *d)
{
    run *r = ud;
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
    fprintf(stderr, "%s", d->file ? d->file : "credconv");
    if (d->line > 0)
        fprintf(stderr, ":%ld", d->line);
    if (d->line > 0 && d->col > 0)
        fprintf(stderr, ":%ld", d->col);
    fprintf(stderr, ": %s: ", cc_severity_name(d->severity));
    if (d->record)
        fprintf(stderr, "%s: ", d->record);
    fputs(d->message, stderr);
    if (d->pointer)
        fprintf(stderr, " (at %s)", *d->pointer ? d->pointer : "/");
    if (d->rule)
        fprintf(stderr, " [%s]", d->rule);
    fputc('\n', stderr);
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

/* ------------------------------------------------------------ output */

/* A file name from a record id: letters, digits, '-', '_' and '.' only, never starting
 * with '.', so no id can reach outside the output folder.  An id too long for a name keeps
 * its first 80 characters and gets the name-based UUID of the whole id: two long ids that
 * share a start still get two names, the same ones on every run.  cap >= 160. */
static void safe_name(const char *id, long index, char *out, size_t cap)
{
    size_t n = 0;
    const char *p = id ? id : "";
    for (; *p && n + 1 < cap && n < 120; p++) {
        unsigned char c = (unsigned char)*p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || (c == '.' && n > 0);
        out[n++] = ok ? (char)c : '_';
    }
    out[n] = '\0';
    if (*p) {
        char u[37];
        cc_uuid5_url(id, u);
        snprintf(out + 80, cap - 80, "-%s", u);
    }
    if (n == 0 || strspn(out, "_") == n)
        snprintf(out, cap, "record-%ld", index);
}

/* The id a -O file is named after: under --id-base, its place under the base (a credential
 * BASE/<uuid> is <uuid>.json), as linked documents are named. */
static const char *name_id(const run *r, const char *id)
{
    size_t n = r->o->id_base ? strlen(r->o->id_base) : 0;
    if (n && id && strncmp(id, r->o->id_base, n) == 0 && id[n + (id[n] == '/')])
        return id + n + (id[n] == '/');
    return id;
}

/* The names -O has written in this run: an open-addressing set, as a national export
 * gives tens of thousands of files. */
static bool name_taken(const run *r, const char *name)
{
    if (!r->name_cap)
        return false;
    for (size_t i = cc_hash_str(name) & (r->name_cap - 1); r->names[i]; i = (i + 1) & (r->name_cap - 1))
        if (strcmp(r->names[i], name) == 0)
            return true;
    return false;
}

static void remember_name(run *r, const char *name)
{
    if (2 * (r->nnames + 1) > r->name_cap) {
        size_t cap = r->name_cap ? 2 * r->name_cap : 1024;
        char **t = calloc(cap, sizeof *t);
        if (!t)
            return;
        for (size_t i = 0; i < r->name_cap; i++) {
            if (!r->names[i])
                continue;
            size_t j = cc_hash_str(r->names[i]) & (cap - 1);
            while (t[j])
                j = (j + 1) & (cap - 1);
            t[j] = r->names[i];
        }
        free(r->names);
        r->names = t;
        r->name_cap = cap;
    }
    size_t i = cc_hash_str(name) & (r->name_cap - 1);
    while (r->names[i])
        i = (i + 1) & (r->name_cap - 1);
    if ((r->names[i] = strdup(name)) != NULL)
        r->nnames++;
}

/* convert --bake: the badge just written, baked into a copy of the image beside it. */
static int bake_beside(run *r, const char *written, const char *base)
{
    const char *dot = strrchr(r->o->bake_image, '.');
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.%s", r->o->out_dir, base,
             dot && strcasecmp(dot, ".svg") == 0 ? "svg" : "png");
    int rc = cc_bake_file(r->o->bake_image, written, path, &r->diag);
    if (rc == 2)
        r->io_error = 1;
    return rc;
}

/* A document a record links to, in a file of its own beside the record's, written once
 * per run whatever the number of records linking to it. */
static int write_sibling(void *ud, const char *id, const char *data, size_t len)
{
    run *r = ud;
    char name[200], path[4096];
    safe_name(name_id(r, id), 0, name, sizeof name);
    if (name_taken(r, name))
        return 0;
    snprintf(path, sizeof path, "%s/%s", r->o->out_dir, name);
    cc_outfile of;
    if (cc_outfile_open(&of, path) != 0)
        return -1;
    if (fwrite(data, 1, len, of.fp) != len || cc_outfile_commit(&of) != 0) {
        if (of.fp)
            cc_outfile_abort(&of);
        return -1;
    }
    remember_name(r, name);
    return 0;
}

/* The output failed: the first reason is kept for the summary and the report. */
static void output_failed(run *r, const char *path, const char *what, int err)
{
    if (!*r->output_error)
        snprintf(r->output_error, sizeof r->output_error, "%s %.160s: %.60s", what, path, strerror(err));
    r->io_error = 1;
}

static int write_one_file(run *r, const cc_record *rec)
{
    char base[160], path[4096];
    safe_name(name_id(r, cc_record_id(rec)), rec->src_index, base, sizeof base);
    char name[200];
    const char *ext = r->signer ? cc_signer_extension(r->signer) : r->writer_fmt->extension;
    snprintf(name, sizeof name, "%s.%s", base, ext);
    for (int i = 2; name_taken(r, name); i++)  /* two records, one id: keep both */
        snprintf(name, sizeof name, "%s-%d.%s", base, i, ext);
    snprintf(path, sizeof path, "%s/%s", r->o->out_dir, name);
    cc_outfile of;
    if (cc_outfile_open(&of, path) != 0) {
        int e = errno;
        cc_diagf(&r->diag, CC_ERROR, path, 0, 0, NULL, "io", "cannot create: %s", strerror(e));
        output_failed(r, path, "cannot create", e);
        return 2;
    }
    cc_write_ctx wc = {of.fp, &r->diag, 1, r->o->id_base, r->o->id_base ? write_sibling : NULL, r, r->o->write_check};
    void *w = r->signer ? NULL : r->writer_fmt->writer_open(&wc);
    int rc = r->signer ? cc_signer_record(r->signer, rec, &r->diag, of.fp) : w ? r->writer_fmt->writer_record(w, rec) : 2;
    int crc = r->signer ? 0 : w ? r->writer_fmt->writer_close(w) : 2;
    if (rc == 0 && crc == 0 && cc_outfile_commit(&of) == 0) {
        remember_name(r, name);
        return r->o->bake_image ? bake_beside(r, path, base) : 0;
    }
    if (of.fp)
        cc_outfile_abort(&of);
    if (rc != 1) {
        int e = errno;
        cc_diagf(&r->diag, CC_ERROR, path, 0, 0, NULL, "io", "cannot write: %s", strerror(e));
        output_failed(r, path, "cannot write", e);
        return 2;
    }
    return 1;
}

/* Standard output cannot be taken back, so a record counts as written there only once its
 * bytes are handed to the system: flushed after each record, a failing write (a full disk, a
 * closed pipe) leaves the counts exact. */
static int write_record_now(run *r, const cc_record *rec);

static int write_record(run *r, const cc_record *rec)
{
    r->writing = rec;
    int rc = write_record_now(r, rec);
    r->writing = NULL;
    return rc;
}

static int write_record_now(run *r, const cc_record *rec)
{
    if (r->o->out_dir)
        return write_one_file(r, rec);
    int rc = r->signer ? cc_signer_record(r->signer, rec, &r->diag, r->out_fp)
                       : r->writer_fmt->writer_record(r->writer, rec);
    if (rc == 0 && !r->o->out_file && fflush(r->out_fp) != 0)
        rc = 2;
    if (rc == 2) {
        int e = errno;
        const char *path = r->o->out ? "<stream>" : r->o->out_file ? r->o->out_file : "<stdout>";
        cc_diagf(&r->diag, CC_ERROR, path, 0, 0, cc_record_id(rec), "io", "write error: %s", strerror(e));
        output_failed(r, path, "cannot write", e);
    }
    return rc;
}

/* ------------------------------------------------------------ selection */

/* What a --select has matched so far; at the end of the run SEL_NONE is an error and
 * SEL_INACTIVE (matched, but only out of force under --active-only) a warning. */
enum { SEL_NONE, SEL_INACTIVE, SEL_KEPT };

static const char sel_blanks[] = " \t\r\n\v\f";

/* A code without the blanks around it: its start, and its length in *len. */
static const char *trim_code(const char *s, size_t *len)
{
    s += strspn(s, sel_blanks);
    size_t n = strlen(s);
    while (n && strchr(sel_blanks, s[n - 1]))
        n--;
    *len = n;
    return s;
}

/* Codes compare as people type them: blanks around ignored, ASCII case folded (rncp35340bc01
 * is RNCP35340BC01).  By hand, not strcasecmp: codes are ASCII, and the C library's folding
 * follows the locale. */
static bool same_code(const char *sel, const char *code)
{
    size_t ns, nc;
    sel = trim_code(sel, &ns);
    code = trim_code(code, &nc);
    for (size_t i = 0; i < ns && ns == nc; i++) {
        unsigned char a = (unsigned char)sel[i], b = (unsigned char)code[i];
        if ((a >= 'a' && a <= 'z' ? a - 32 : a) != (b >= 'a' && b <= 'z' ? b - 32 : b))
            return false;
    }
    return ns == nc;
}

static bool selected_code(const run *r, const char *code)
{
    for (size_t i = 0; code && i < r->o->nselects; i++)
        if (same_code(r->o->selects[i], code))
            return true;
    return false;
}

/* Raises every --select naming code to at least state st. */
static void mark_code(run *r, const char *code, unsigned char st)
{
    for (size_t i = 0; code && i < r->o->nselects; i++)
        if (same_code(r->o->selects[i], code) && r->sel_state[i] < st)
            r->sel_state[i] = st;
}

/* A credential answers to its own id and to its achievement's code, so --select
 * RNCP35340BC01 keeps the credentials awarding that block. */
static const char *awarded_code(const cc_record *rec)
{
    const cc_achievement *a = rec->kind == CC_REC_CREDENTIAL ? rec->credential->achievement : NULL;
    return a ? a->code : NULL;
}

/* --active-only keeps what is known to be in force; an unknown status is not. */
static bool in_force(const run *r, const cc_achievement *a)
{
    return !r->o->active_only || (a && a->active == 1);
}

/* A block taken out of its fiche keeps what it inherits: level, awarding bodies, dates. */
static void inherit(cc_arena *a, cc_achievement *b, const cc_achievement *f)
{
    if (!b->eqf_level)
        b->eqf_level = f->eqf_level;
    if (!b->nqf_level)
        b->nqf_level = f->nqf_level;
    if (!b->valid_until)
        b->valid_until = f->valid_until;
    if (b->active < 0)
        b->active = f->active;
    if (!b->homepage)
        b->homepage = f->homepage;
    if (b->orgs.n)
        return;
    for (const cc_org *o = f->orgs.head; o; o = o->next) {
        if (o->role && strcmp(o->role, "partner") == 0)
            continue;
        cc_org *copy = cc_alloc(a, sizeof *copy);
        *copy = *o;
        cc_list_append(&b->orgs, copy);
    }
}

static void inspect_line(const run *r, const cc_record *rec);

/* A record kept: written (convert), printed (inspect) or only counted. */
static int deliver(run *r, cc_record *rec)
{
    int rc = r->o->cmd == CMD_CONVERT ? write_record(r, rec) : 0;
    if (r->o->cmd == CMD_INSPECT)
        inspect_line(r, rec);
    if (rc == 0)
        r->n.written++;
    else
        r->n.rejected++;
    return rc;
}

/* The blocks of a fiche that --select names, each as a record of its own, exactly as if it
 * alone were selected; *taken counts the records taken from this one (the fiche itself
 * included), and each beyond the first is one more read.  *inactive: a named block was
 * left out by --active-only. */
static void deliver_blocks(run *r, cc_record *rec, int *taken, bool *inactive, int *stop)
{
    cc_achievement *f = rec->achievement;
    for (cc_achievement *b = f->parts.head, *next; b && !*stop && !r->io_error; b = next) {
        next = b->next;
        if (!selected_code(r, b->code))
            continue;
        inherit(rec->arena, b, f);  /* after the fiche is written: it goes out as read */
        bool kept = in_force(r, b);
        mark_code(r, b->code, kept ? SEL_KEPT : SEL_INACTIVE);
        *inactive |= !kept;
        if (!kept)
            continue;
        if ((*taken)++)
            r->n.read++;
        b->next = NULL;  /* written alone, not with its siblings */
        rec->achievement = b;
        if (deliver(r, rec) != 0 && r->o->strict)
            *stop = 1;
        b->next = next;
        rec->achievement = f;
    }
}

/* --select: the record whole when it is named, then each named block of it.  So --select
 * BLOCK --select FICHE gives both, the fiche first (before its blocks inherit from it).  A
 * record nothing is taken from counts as filtered: read = written + rejected + filtered. */
static void select_record(run *r, cc_record *rec, const cc_achievement *a, int *stop)
{
    int taken = 0;
    bool inactive = false;
    if (selected_code(r, cc_record_id(rec)) || selected_code(r, awarded_code(rec))) {
        bool kept = in_force(r, a);
        mark_code(r, cc_record_id(rec), kept ? SEL_KEPT : SEL_INACTIVE);
        mark_code(r, awarded_code(rec), kept ? SEL_KEPT : SEL_INACTIVE);
        inactive = !kept;
        if (kept) {
            taken = 1;
            if (deliver(r, rec) != 0 && r->o->strict)
                *stop = 1;
        }
    }
    if (rec->kind == CC_REC_ACHIEVEMENT)
        deliver_blocks(r, rec, &taken, &inactive, stop);
    if (!taken) {
        r->n.filtered++;
        r->inactive += inactive;
    }
}

/* The end of the run: a --select that matched nothing is an error (a mistyped code must not
 * pass for an empty result); one matched only out of force, a warning, as is --active-only
 * leaving nothing at all (an export of lapsed fiches is not a mistake). */
static void report_selection(run *r)
{
    for (size_t i = 0; i < r->o->nselects; i++) {
        size_t n;
        const char *code = trim_code(r->o->selects[i], &n);
        bool again = false;  /* the same code given twice is reported once */
        for (size_t j = 0; j < i && !again; j++)
            again = same_code(r->o->selects[j], r->o->selects[i]);
        if (again || r->sel_state[i] == SEL_KEPT)
            continue;
        if (r->sel_state[i] == SEL_NONE)
            r->select_missed = 1;
        cc_diagf(&r->diag, r->sel_state[i] == SEL_NONE ? CC_ERROR : CC_WARNING, NULL, 0, 0, NULL,
                 r->sel_state[i] == SEL_NONE ? "select-unmatched" : "select-inactive",
                 r->sel_state[i] == SEL_NONE ? "--select '%.*s' matches no fiche, block or "
                 "credential in the inputs read" : "--select '%.*s': not known to be in "
                 "force, so --active-only left it out", (int)(n < 200 ? n : 200), code);
    }
    if (r->o->active_only && r->inactive && !r->n.written)
        cc_diagf(&r->diag, CC_WARNING, NULL, 0, 0, NULL, "active-only-empty",
                 "--active-only left out %ld records not known to be in force, and no "
                 "record is kept",
                 r->inactive);
}

/* ------------------------------------------------------------ issuing */

typedef struct issue_ctx {
    run *r;
    cc_achievement *a;
} issue_ctx;

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
    if (deliver(r, cred) != 0 && r->o->strict)
        r->issue_stop = 1;
    cc_record_free(cred);
}

/* One credential per recipient row naming the fiche or one of its blocks. */
static int issue_all(run *r, cc_record *rec)
{
    cc_achievement *f = rec->achievement;
    issue_ctx ic = {r, f};
    cc_recipients_each(&r->recipients, f->code, issue_one, &ic);
    for (cc_achievement *b = f->parts.head; b; b = b->next) {
        inherit(rec->arena, b, f);
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

static void inspect_line(const run *r, const cc_record *rec)
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
        stop = issue_all(r, rec);  /* the credentials are the records counted */
        cc_record_free(rec);
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
        select_record(r, rec, a, &stop);
    } else if (!in_force(r, a)) {
        r->n.filtered++;
        r->inactive++;
    } else if (deliver(r, rec) != 0 && r->o->strict) {
        stop = 1;
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
        cc_read_ctx ctx = {&in, {on_record, on_reject, r}, &r->diag, r->o->schema,
                           r->o->cmd == CMD_VALIDATE, r->o->schema_dir, &r->o->fetch,
                           r->o->cmd == CMD_VERIFY, r->o->max_json_size};
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
        return 0;
    }
    r->out_fp = r->o->out ? r->o->out : stdout;
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
    cc_write_ctx wc = {.out = r->out_fp, .diag = &r->diag, .records_in_output = -1, .check = r->o->write_check};
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
    if (r->o->out_dir || (!r->writer && !r->signer))
        return;
    const char *path = r->o->out ? "<stream>" : r->o->out_file ? r->o->out_file : "<stdout>";
    if (r->writer && r->writer_fmt->writer_close(r->writer) != 0)
        output_failed(r, path, "cannot write", errno);
    if (r->o->out_file && !r->o->out) {
        /* Records already converted are kept even after a bad input; only an I/O failure
         * discards the file. */
        if (r->io_error) {
            cc_outfile_abort(&r->out);
            discard_written(r);
        } else if (cc_outfile_commit(&r->out) != 0) {
            int e = errno;
            cc_diagf(&r->diag, CC_ERROR, path, 0, 0, NULL, "io", "cannot write: %s", strerror(e));
            output_failed(r, path, "cannot write", e);
            discard_written(r);
        }
    } else if (fflush(r->out_fp) != 0) {
        int e = errno;
        cc_diagf(&r->diag, CC_ERROR, path, 0, 0, NULL, "io", "write error: %s", strerror(e));
        output_failed(r, path, "cannot write", e);
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

static int load_issuing(run *r)
{
    const cc_options *o = r->o;
    if (load_badge_image(r) != 0)
        return -1;
    cc_now(r->now);
    r->issue = (cc_issue_opts){NULL, o->hash_recipients, o->id_base, r->now};
    if (o->issuer_file) {
        if (cc_issuer_load(&r->issuer, o->issuer_file, &r->diag) != 0)
            return -1;
        r->issue.issuer = &r->issuer;
    }
    if (o->recipients_file) {
        if (cc_recipients_load(&r->recipients, o->recipients_file, o->csv_encoding, &r->diag) != 0)
            return -1;
        r->n.read += r->recipients.bad;
        r->n.rejected += r->recipients.bad;
    }
    return 0;
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
    static char *const stdin_only[] = {"-"};
    char *const *inputs = o->ninputs ? o->inputs : stdin_only;
    size_t n = o->ninputs ? o->ninputs : 1;
    for (size_t i = 0; i < n && !r->io_error; i++) {
        if (run_input(r, inputs[i]) != 0 && o->strict)
            break;
        if (o->strict && (r->n.rejected || r->n.invalid))
            break;
    }
    if (o->recipients_file && !r->io_error)
        report_unused_rows(r);
    if (o->cmd == CMD_CONVERT)
        close_output(r);
    /* A run stopped early (--strict, an output failure) has not seen every code. */
    if (!r->io_error && !(o->strict && (r->n.rejected || r->n.invalid || r->input_error)))
        report_selection(r);
    int status = r->io_error || r->input_io ? 2 : (r->input_error || r->n.rejected || r->n.invalid || r->n.not_recipient || r->select_missed) ? 1 : 0;
    if (o->cmd == CMD_VERIFY && o->recipient && r->n.read == 0)
        status = 1;  /* nothing read: certainly not issued to them */
    return status;
}

int cc_run(const cc_options *o)
{
    run r = {.o = o, .last_pct = -1};
    r.diag = (cc_diag_sink){on_diag, &r};
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
    } else {
        status = run_inputs(&r);
    }
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
    cc_recipients_free(&r.recipients);
    cc_issuer_free(&r.issuer);
    for (size_t i = 0; i < r.name_cap; i++)
        free(r.names[i]);
    free(r.names);
    return status;
}
