/* Moodle writer: an achievement record (a fiche) becomes one competency framework in the
 * CSV Moodle's tool_lpimportcsv imports: the framework row, then one row per block (a
 * top-level competency) and per learning outcome (its Parent id number the block's code),
 * depth first, as Moodle's own export orders them.  The header is written before the first
 * framework; Moodle imports one framework per file (-O DIR writes one file per fiche).
 * A record is written to memory first: a rejected one leaves nothing behind. */
#include "cc_loss.h"
#include "cc_writecheck.h"
#include "moodle/moodle.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct moodlew {
    FILE *out;
    const cc_diag_sink *diag;
    cc_arena *scratch;
    cc_wcheck_ref check;  /* --allow-invalid, and whether to check at all */
    bool header_done;
} moodlew;

typedef struct mw {
    FILE *out;
    cc_arena *a;
    const cc_diag_sink *diag;
    const char *rec;
    const char *reject;
    json_t *ids;          /* id numbers written: Moodle refuses a framework that repeats one */
    long exported;        /* the Exported id sequence */
} mw;

static void loss(mw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void loss(mw *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cc_vloss(w->diag, w->rec, "moodle", fmt, ap);
    va_end(ap);
}

/* Text as the HTML Moodle's descriptions are (Description format 1). */
static const char *html(cc_arena *a, const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++)
        n += *p == '&' ? 5 : *p == '<' || *p == '>' ? 4 : 1;
    char *o = cc_alloc(a, n + 1), *q = o;
    for (const char *p = s; *p; p++) {
        const char *e = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;" : NULL;
        if (e) {
            memcpy(q, e, strlen(e));
            q += strlen(e);
        } else {
            *q++ = *p;
        }
    }
    *q = '\0';
    return o;
}

static const char *ext_value(const cc_list *ext, const char *name)
{
    for (const cc_ext *e = ext->head; e; e = e->next)
        if (strcmp(e->name, name) == 0)
            return e->value;
    return NULL;
}

/* One competency row. */
static void row(mw *w, const char *parent, const char *id, const char *text, const cc_list *ext)
{
    if (!id || !*id) {
        cc_reject_reason(&w->reject, "a block with neither a code nor an id of at most 100 characters (Id number)");
        return;
    }
    if (json_object_get(w->ids, id))
        cc_reject_reason(&w->reject, "two competencies with the same code (Id number)");
    json_object_set_new(w->ids, id, json_true());
    const char *rule = ext ? ext_value(ext, "moodle:rule") : NULL;
    const char *cols[MOODLE_NCOLS] = {
        [MOODLE_PARENT] = parent, [MOODLE_IDNUMBER] = id,
        [MOODLE_SHORTNAME] = ext && ext_value(ext, "moodle:shortname") ? ext_value(ext, "moodle:shortname")
                             : text ? cc_moodle_shortname(w->a, text) : id,
        [MOODLE_DESCRIPTION] = text ? html(w->a, text) : NULL, [MOODLE_DESCFORMAT] = "1",
        [MOODLE_RULETYPE] = rule, [MOODLE_RULEOUTCOME] = ext && ext_value(ext, "moodle:rule-outcome")
                                                          ? ext_value(ext, "moodle:rule-outcome") : "0",
        [MOODLE_RULECONFIG] = ext && ext_value(ext, "moodle:rule-config")
                                  ? ext_value(ext, "moodle:rule-config") : "null",
        [MOODLE_EXPORTID] = cc_sprintf(w->a, "%ld", ++w->exported),
    };
    for (int i = 0; i < MOODLE_NCOLS; i++)
        cc_moodle_field(w->out, cols[i], i == MOODLE_NCOLS - 1);
}

/* Outcomes are children of their achievement's row; the fiche's own (the competences it
 * certifies as a whole) are top-level competencies. */
static void outcomes(mw *w, const cc_achievement *x, const char *code, bool root)
{
    const char *comp = NULL;
    int n1 = 0, n2 = 0;
    for (const cc_outcome *o = x->outcomes.head; o; o = o->next) {
        const char *txt = cc_text_get(&o->text, NULL);
        if (!txt)
            continue;
        if (o->level == 2 && comp) {
            row(w, comp, cc_moodle_outcome_id(w->a, comp, ++n2), txt, NULL);
            continue;
        }
        comp = cc_moodle_outcome_id(w->a, code, ++n1);
        n2 = 0;
        row(w, root ? NULL : code, comp, txt, NULL);
        if (o->uri)
            loss(w, "the outcome's skill URI (%s)", o->uri);
    }
}

static void losses(mw *w, const cc_achievement *x)
{
    const struct {
        bool has;
        const char *field;
    } l[] = {
        {.has = x->description.n, .field = "description"}, {.has = x->criteria.n, .field = "criteria"},
        {.has = x->assessment.n, .field = "assessment"}, {.has = x->entry_requirements.n, .field = "entryRequirements"},
        {.has = x->eqf_level, .field = "eqfLevel"}, {.has = x->nqf_level, .field = "nqfLevel"}, {.has = x->credits, .field = "credits"},
        {.has = x->volume, .field = "volume"}, {.has = x->alignments.n, .field = "alignments"}, {.has = x->orgs.n, .field = "organizations"},
        {.has = x->valid_until, .field = "validUntil"}, {.has = x->homepage, .field = "homepage"}, {.has = x->image, .field = "image"},
        {.has = x->title.n > 1, .field = "title in more than one language"},
    };
    for (size_t i = 0; i < sizeof l / sizeof l[0]; i++)
        if (l[i].has)
            loss(w, "%s.%s", x->code ? x->code : "achievement", l[i].field);
    for (const cc_ext *e = x->ext.head; e; e = e->next)
        if (strncmp(e->name, "moodle:", 7) != 0)
            loss(w, "%s", e->name);
}

/* A node's Id number: its code; without one (a CASE item from another tool, say), its id
 * when it fits Moodle's 100 characters. */
static const char *idnumber(const cc_achievement *x)
{
    if (x->code)
        return x->code;
    return x->id && strlen(x->id) <= 100 ? x->id : NULL;
}

static void part(mw *w, const cc_achievement *x, const char *parent)
{
    const char *txt = cc_text_get(&x->title, NULL);
    const char *id = idnumber(x);
    row(w, parent, id, txt ? txt : cc_text_get(&x->description, NULL), &x->ext);
    losses(w, x);
    outcomes(w, x, id, false);
    for (const cc_achievement *p = x->parts.head; p; p = p->next)
        part(w, p, id);
}

static void framework(mw *w, const cc_achievement *a)
{
    const char *id = idnumber(a);
    if (!id) {
        cc_reject_reason(&w->reject, "neither a code nor an id of at most 100 characters (the framework's Id number)");
        return;
    }
    const char *title = cc_text_get(&a->title, NULL);
    const char *sv = ext_value(&a->ext, "moodle:scale-values"),
               *sc = ext_value(&a->ext, "moodle:scale-config"),
               *tx = ext_value(&a->ext, "moodle:taxonomy");
    const char *cols[MOODLE_NCOLS] = {
        [MOODLE_IDNUMBER] = id,
        [MOODLE_SHORTNAME] = ext_value(&a->ext, "moodle:shortname") ? ext_value(&a->ext, "moodle:shortname")
                             : cc_moodle_shortname(w->a, title ? title : id),
        [MOODLE_DESCRIPTION] = title ? html(w->a, title) : NULL, [MOODLE_DESCFORMAT] = "1",
        [MOODLE_SCALEVALUES] = sv ? sv : MOODLE_DEFAULT_SCALE_VALUES,
        [MOODLE_SCALECONFIG] = sc ? sc : MOODLE_DEFAULT_SCALE_CONFIG, [MOODLE_ISFRAMEWORK] = "1",
        [MOODLE_TAXONOMY] = tx ? tx : MOODLE_DEFAULT_TAXONOMY,
    };
    json_object_set_new(w->ids, id, json_true());
    for (int i = 0; i < MOODLE_NCOLS; i++)
        cc_moodle_field(w->out, cols[i], i == MOODLE_NCOLS - 1);
    losses(w, a);
    outcomes(w, a, id, true);
    for (const cc_achievement *p = a->parts.head; p; p = p->next)
        part(w, p, NULL);
}

/* ------------------------------------------------------------ the check */

typedef struct counted {
    int records, rejected;
} counted;

static int count_record(void *ud, cc_record *r)
{
    ((counted *)ud)->records++;
    cc_record_free(r);
    return 0;
}

static int count_reject(void *ud, const char *file, long line, const char *id)
{
    (void)file, (void)line, (void)id;
    ((counted *)ud)->rejected++;
    return 0;
}

/* What `validate -f moodle` says of the framework written (the header before it): the
 * reader's own checks, run on the bytes.  The number of errors (0: one framework read). */
static int check(const moodlew *o, const cc_diag_sink *d, const char *buf, size_t len, bool header)
{
    if (cc_wcheck_off(o->check.check))
        return 0;
    char *text = NULL;
    size_t tlen = 0;
    FILE *mem = open_memstream(&text, &tlen);
    if (!mem)
        return -1;
    for (int i = 0; header && i < MOODLE_NCOLS; i++)
        cc_moodle_field(mem, cc_moodle_columns[i], i == MOODLE_NCOLS - 1);
    fwrite(buf, 1, len, mem);
    fclose(mem);
    FILE *in_fp = fmemopen(text, tlen, "r");
    counted n = {0};
    cc_input in;
    int rc = -1;
    if (in_fp && cc_input_from_fp(&in, in_fp, "output") == 0) {
        cc_read_ctx ctx = {.in = &in, .sink = {.record = count_record, .reject = count_reject, .ud = &n}, .diag = d};
        rc = cc_moodle_read(&ctx) != 0 || n.records != 1 || n.rejected ? 1 : 0;
    }
    if (in_fp)
        fclose(in_fp);
    free(text);
    return rc;
}

void *cc_moodle_writer_open(cc_write_ctx *ctx)
{
    moodlew *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->out = ctx->out;
    o->diag = ctx->diag;
    o->scratch = cc_arena_new();
    o->check = cc_wcheck_for(ctx);
    return o;
}

int cc_moodle_writer_record(void *wp, const cc_record *r)
{
    moodlew *o = wp;
    const char *rec = cc_record_id(r);
    if (r->kind != CC_REC_ACHIEVEMENT) {
        cc_diagf(o->diag, CC_ERROR, r->src_file, r->src_line, 0, rec, "moodle-not-framework",
                 "cannot write as a Moodle framework: a credential (an award) is no competency "
                 "framework; convert the fiche it awards");
        return 1;
    }
    cc_arena_reset(o->scratch);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem)
        return 2;
    /* Moodle's importer keeps the last framework row of a file and puts every competency
     * of the file in it */
    if (o->header_done)
        cc_diagf(o->diag, CC_WARNING, r->src_file, r->src_line, 0, rec, "moodle-one-per-file",
                 "a second framework in this file: Moodle imports one framework per file "
                 "(give -O DIR, or --select one fiche)");
    mw w = {.out = mem, .a = o->scratch, .diag = o->diag, .rec = rec, .ids = json_object()};
    framework(&w, r->achievement);
    fclose(mem);
    json_decref(w.ids);
    int rc = 0;
    if (w.reject) {
        cc_diagf(o->diag, CC_ERROR, r->src_file, r->src_line, 0, rec, "moodle-missing",
                 "cannot write as a Moodle framework: %s", w.reject);
        rc = 1;
    } else {
        cc_wcheck_sink ws;
        const cc_diag_sink *d = cc_wcheck_sink_init(&ws, o->check.check, o->diag);
        rc = cc_wcheck_verdict(o->check.check, o->diag, r, "moodle", check(o, d, buf, len, true),
                               "fix the achievement's fields listed above in the input");
    }
    for (int i = 0; rc == 0 && !o->header_done && i < MOODLE_NCOLS; i++)
        cc_moodle_field(o->out, cc_moodle_columns[i], i == MOODLE_NCOLS - 1);
    if (rc == 0 && (fwrite(buf, 1, len, o->out) != len || ferror(o->out)))
        rc = 2;
    else if (rc == 0)
        o->header_done = true;
    free(buf);
    return rc;
}

int cc_moodle_writer_close(void *wp)
{
    moodlew *o = wp;
    cc_arena_free(o->scratch);
    cc_wcheck_release(&o->check);
    free(o);
    return 0;
}
