/* Selection: --select codes (case-insensitive, trimmed; each one that matched nothing
 * reported), --active-only, and blocks delivered beside their fiche. */
#include "cc_hash.h"
#include "pipeline_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
bool cc_pl_in_force(const run *r, const cc_achievement *a)
{
    return !r->o->active_only || (a && a->active == 1);
}

/* A block taken out of its fiche keeps what it inherits: level, awarding bodies, dates. */
void cc_pl_inherit(cc_arena *a, cc_achievement *b, const cc_achievement *f)
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


/* A record kept: written (convert), printed (inspect) or only counted. */
/* --shard K/N: whether a record is in this run's share.  By record id (a fiche's code, a
 * credential's content-based id, else its position in its input), hashed with the same 64
 * bits on every machine, so N runs anywhere take disjoint shares that together are the
 * whole; a fiche goes with its blocks. */
static bool in_shard(const run *r, const cc_record *rec)
{
    if (r->o->shard_n <= 1)
        return true;
    return cc_hash64_str(cc_record_id(rec)) % r->o->shard_n == r->o->shard_k - 1;
}

int cc_pl_deliver(run *r, cc_record *rec)
{
    if (!in_shard(r, rec)) {
        r->n.filtered++;  /* another shard's: read = written + rejected + filtered still */
        return 0;
    }
    int rc = r->o->cmd == CMD_CONVERT ? cc_pl_write_record(r, rec) : 0;
    if (r->o->cmd == CMD_INSPECT)
        cc_pl_inspect_line(r, rec);
    if (rc == 0)
        r->n.written++;
    else
        r->n.rejected++;
    return rc;
}

/* cc_pl_deliver, owning rec: with --jobs a record of this shard goes to a worker (written,
 * counted and freed in its turn), else it is delivered now and freed. */
int cc_pl_deliver_owned(run *r, cc_record *rec, cc_pl_hold *hold)
{
    if (!r->jobs || !in_shard(r, rec)) {
        int rc = cc_pl_deliver(r, rec);
        cc_record_free(rec);
        return rc;
    }
    cc_pl_jobs_submit(r, rec, hold);
    return 0;
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
        cc_pl_inherit(rec->arena, b, f);  /* after the fiche is written: it goes out as read */
        bool kept = cc_pl_in_force(r, b);
        mark_code(r, b->code, kept ? SEL_KEPT : SEL_INACTIVE);
        *inactive |= !kept;
        if (!kept)
            continue;
        if ((*taken)++)
            r->n.read++;
        b->next = NULL;  /* written alone, not with its siblings */
        rec->achievement = b;
        if (cc_pl_deliver(r, rec) != 0 && r->o->strict)
            *stop = 1;
        b->next = next;
        rec->achievement = f;
    }
}

/* --select: the record whole when it is named, then each named block of it.  So --select
 * BLOCK --select FICHE gives both, the fiche first (before its blocks inherit from it).  A
 * record nothing is taken from counts as filtered: read = written + rejected + filtered. */
void cc_pl_select_record(run *r, cc_record *rec, const cc_achievement *a, int *stop)
{
    int taken = 0;
    bool inactive = false;
    if (selected_code(r, cc_record_id(rec)) || selected_code(r, awarded_code(rec))) {
        bool kept = cc_pl_in_force(r, a);
        mark_code(r, cc_record_id(rec), kept ? SEL_KEPT : SEL_INACTIVE);
        mark_code(r, awarded_code(rec), kept ? SEL_KEPT : SEL_INACTIVE);
        inactive = !kept;
        if (kept) {
            taken = 1;
            if (cc_pl_deliver(r, rec) != 0 && r->o->strict)
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
void cc_pl_report_selection(run *r)
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

