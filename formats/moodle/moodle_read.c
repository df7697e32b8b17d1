/* Moodle reader: a competency framework CSV (tool_lpimportcsv's format, RFC 4180 with
 * fields over several lines) becomes one achievement record per framework row: the
 * competencies become its parts, and those credconv wrote as learning outcomes (an id
 * number "<parent>.<n>" under its parent) become cc_outcomes again, so a fiche written as a
 * framework reads back to the same tree.  One framework is held in memory at a time. */
#include "moodle/moodle.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
    MAX_FIELD = 1 << 20,   /* a field's bytes: a description, at most */
    MAX_FIELDS = 64,       /* per row: the format has 14 */
    MAX_DEPTH = 12,        /* Moodle frameworks have a few levels */
};

/* ------------------------------------------------------------ CSV */

typedef struct csv {
    cc_input *in;
    unsigned char buf[65536];
    size_t pos, len;
    bool eof;
    long line;             /* of the next byte */
    long row_line;         /* where the last row started */
    char *text;            /* the row's fields, each NUL-terminated */
    size_t tlen, tcap;
    size_t off[MAX_FIELDS];
    size_t nf;
} csv;

static int next(csv *c)
{
    if (c->pos == c->len) {
        c->len = c->eof ? 0 : cc_input_read(c->in, c->buf, sizeof c->buf);
        c->pos = 0;
        if (!c->len) {
            c->eof = true;
            return EOF;
        }
    }
    int ch = c->buf[c->pos++];
    c->line += ch == '\n';
    return ch;
}

static int peek(csv *c)
{
    int ch = next(c);
    if (ch != EOF) {
        c->pos--;
        c->line -= ch == '\n';
    }
    return ch;
}

static int put(csv *c, int ch)
{
    if (c->tlen + 1 >= c->tcap) {
        size_t cap = c->tcap ? c->tcap * 2 : 4096;
        char *t = realloc(c->text, cap);
        if (!t)
            return -1;
        c->text = t;
        c->tcap = cap;
    }
    c->text[c->tlen++] = (char)ch;
    return 0;
}

static int end_field(csv *c)
{
    if (c->nf == MAX_FIELDS || put(c, '\0') != 0)
        return -1;
    c->off[c->nf++] = c->tlen;
    return 0;
}

/* One field; returns the character that ended it (',', '\n' or EOF), or -2 when it is too
 * large or the row has too many fields. */
static int field(csv *c)
{
    size_t start = c->tlen;
    int ch = next(c);
    bool quoted = ch == '"';
    if (quoted)
        ch = next(c);
    for (;; ch = next(c)) {
        if (ch == EOF)
            break;
        if (quoted && ch == '"') {
            if (peek(c) != '"') {
                quoted = false;
                continue;
            }
            ch = next(c);
        } else if (!quoted && (ch == ',' || ch == '\n')) {
            break;
        } else if (!quoted && ch == '\r') {
            if (peek(c) == '\n')
                continue;
            ch = '\n';
            break;
        }
        if (c->tlen - start >= MAX_FIELD || put(c, ch) != 0)
            return -2;
    }
    return end_field(c) != 0 ? -2 : ch;
}

/* The next row: 1, 0 at the end, -1 when a field is too large or there are too many. */
static int csv_row(csv *c)
{
    c->tlen = c->nf = 0;
    c->row_line = c->line;
    if (peek(c) == EOF)
        return 0;
    int end;
    while ((end = field(c)) == ',')
        ;
    return end == -2 ? -1 : 1;
}

static const char *col(const csv *c, int i)
{
    if (i < 0 || (size_t)i >= c->nf)
        return "";
    return c->text + (i ? c->off[i - 1] : 0);
}

/* ------------------------------------------------------------ the reader's state */

typedef struct mnode {
    const char *parent, *id, *shortname, *desc, *rule, *rule_outcome, *rule_config, *crossref;
    long line;
    int parent_idx;        /* -1: top level */
    int first_kid, next_sibling;  /* children in row order; -1: none */
    bool visited;
} mnode;

typedef struct rd {
    cc_read_ctx *ctx;
    csv c;
    int map[MOODLE_NCOLS]; /* column index of each field, -1 when absent */
    cc_record *rec;        /* the framework being read */
    long rec_line;
    mnode *nodes;
    size_t n, cap;
    int top_kid;           /* the first top-level competency; -1: none */
    int errors;
    long index;
} rd;

static void problem(rd *r, cc_severity sev, long line, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void problem(rd *r, cc_severity sev, long line, const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *id = r->rec ? cc_record_id(r->rec) : NULL;
    cc_vdiag(r->ctx->diag, sev, r->ctx->in->name, line, 0, NULL, id, rule, fmt, ap);
    va_end(ap);
    if (sev == CC_ERROR)
        r->errors++;
}

static const char *get(rd *r, int field)
{
    return col(&r->c, r->map[field]);
}

static const char *copy(rd *r, int field)
{
    const char *s = get(r, field);
    return *s ? cc_strdup(r->rec->arena, s) : NULL;
}

/* A description's text: its HTML tags dropped, the entities Moodle and credconv write
 * decoded; the short name when it is empty. */
static const char *text_of(cc_arena *a, const char *desc, const char *shortname)
{
    if (!desc || !*desc)
        return shortname;
    static const struct {
        const char *ent, *ch;
    } ents[] = {{.ent = "&amp;", .ch = "&"}, {.ent = "&lt;", .ch = "<"}, {.ent = "&gt;", .ch = ">"}, {.ent = "&quot;", .ch = "\""}, {.ent = "&#39;", .ch = "'"},
                {.ent = "&nbsp;", .ch = "\xC2\xA0"}};
    char *o = cc_alloc(a, strlen(desc) + 1), *q = o;
    for (const char *p = desc; *p;) {
        if (*p == '<') {
            const char *gt = strchr(p, '>');
            if (gt && (!strncasecmp(p, "<br", 3) || !strncasecmp(p, "</p>", 4)) && q > o && gt[1])
                *q++ = '\n';
            p = gt ? gt + 1 : p + strlen(p);
            continue;
        }
        size_t k = 0;
        while (*p == '&' && k < sizeof ents / sizeof ents[0] && strncmp(p, ents[k].ent, strlen(ents[k].ent)))
            k++;
        if (*p == '&' && k < sizeof ents / sizeof ents[0]) {
            memcpy(q, ents[k].ch, strlen(ents[k].ch));
            q += strlen(ents[k].ch);
            p += strlen(ents[k].ent);
        } else {
            *q++ = *p++;
        }
    }
    *q = '\0';
    return *o ? o : shortname;
}

/* ------------------------------------------------------------ the header */

static int header(rd *r)
{
    if (csv_row(&r->c) != 1) {
        problem(r, CC_ERROR, 1, "moodle-header", "no header row");
        return -1;
    }
    for (int i = 0; i < MOODLE_NCOLS; i++) {
        r->map[i] = -1;
        for (size_t k = 0; k < r->c.nf; k++) {
            if (strcasecmp(col(&r->c, (int)k), cc_moodle_columns[i]) == 0)
                r->map[i] = (int)k;
        }
    }
    static const int required[] = {MOODLE_PARENT, MOODLE_IDNUMBER, MOODLE_SHORTNAME,
                                   MOODLE_ISFRAMEWORK};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (r->map[required[i]] < 0) {
            problem(r, CC_ERROR, 1, "moodle-header", "the header has no column \"%s\"",
                    cc_moodle_columns[required[i]]);
            return -1;
        }
    return 0;
}

/* ------------------------------------------------------------ a framework */

static bool is_default(const char *v, const char *def)
{
    return !v || !*v || strcmp(v, def) == 0;
}

/* A short name of its own (not the first characters of the text) is kept. */
static void keep_shortname(cc_arena *a, cc_list *ext, const char *shortname, const char *text)
{
    if (shortname && text && strcmp(shortname, cc_moodle_shortname(a, text)) != 0)
        cc_ext_add(a, ext, "moodle:shortname", shortname);
}

static void start_framework(rd *r)
{
    cc_record *rec = cc_record_new(CC_REC_ACHIEVEMENT);
    r->rec = rec;
    r->rec_line = r->c.row_line;
    r->n = 0;
    r->errors = 0;
    cc_arena *a = rec->arena;
    cc_achievement *x = rec->achievement;
    x->code = copy(r, MOODLE_IDNUMBER);
    const char *t = text_of(a, copy(r, MOODLE_DESCRIPTION), copy(r, MOODLE_SHORTNAME));
    if (t && !(x->code && strcmp(t, x->code) == 0))  /* the writer's stand-in for no title */
        cc_text_add(a, &x->title, NULL, t);
    keep_shortname(a, &x->ext, copy(r, MOODLE_SHORTNAME), t ? t : x->code);
    x->kind = x->code && cc_matches(x->code, "^(RNCP|RS)[0-9]+$") ? "certification" : "framework";
    static const struct {
        int col;
        const char *def, *ext;
    } kept[] = {{.col = MOODLE_SCALEVALUES, .def = MOODLE_DEFAULT_SCALE_VALUES, .ext = "moodle:scale-values"},
                {.col = MOODLE_SCALECONFIG, .def = MOODLE_DEFAULT_SCALE_CONFIG, .ext = "moodle:scale-config"},
                {.col = MOODLE_TAXONOMY, .def = MOODLE_DEFAULT_TAXONOMY, .ext = "moodle:taxonomy"}};
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        if (!is_default(get(r, kept[i].col), kept[i].def))
            cc_ext_add(a, &x->ext, kept[i].ext, copy(r, kept[i].col));
    if (!x->code)
        problem(r, CC_ERROR, r->c.row_line, "moodle-idnumber", "the framework row has no Id number");
}

static int add_node(rd *r)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        mnode *m = realloc(r->nodes, cap * sizeof *m);
        if (!m)
            return -1;
        r->nodes = m;
        r->cap = cap;
    }
    r->nodes[r->n++] = (mnode){
        .parent = copy(r, MOODLE_PARENT), .id = copy(r, MOODLE_IDNUMBER),
        .shortname = copy(r, MOODLE_SHORTNAME), .desc = copy(r, MOODLE_DESCRIPTION),
        .rule = copy(r, MOODLE_RULETYPE), .rule_outcome = copy(r, MOODLE_RULEOUTCOME),
        .rule_config = copy(r, MOODLE_RULECONFIG), .crossref = copy(r, MOODLE_CROSSREF),
        .line = r->c.row_line, .parent_idx = -1, .first_kid = -1, .next_sibling = -1,
    };
    return 0;
}

/* Parents by id number; the framework's own id number as a parent is the top level. */
static void link_parents(rd *r, json_t *index)
{
    const char *fw = r->rec->achievement->code;
    for (size_t i = 0; i < r->n; i++) {
        mnode *m = &r->nodes[i];
        if (!m->id) {
            problem(r, CC_ERROR, m->line, "moodle-idnumber", "a competency without an Id number");
        } else if (json_object_get(index, m->id) || (fw && strcmp(m->id, fw) == 0)) {
            problem(r, CC_ERROR, m->line, "moodle-duplicate", "a second competency with Id number %s",
                    m->id);
        } else {
            json_object_set_new(index, m->id, json_integer((json_int_t)i));
        }
    }
    for (size_t i = 0; i < r->n; i++) {
        mnode *m = &r->nodes[i];
        if (!m->parent || (fw && strcmp(m->parent, fw) == 0))
            continue;
        json_t *p = json_object_get(index, m->parent);
        if (!p || (size_t)json_integer_value(p) == i)
            problem(r, CC_ERROR, m->line, "moodle-parent", "Parent id number %s names no competency "
                    "of this framework", m->parent);
        else
            m->parent_idx = (int)json_integer_value(p);
    }
    /* children lists, in row order: one pass from the end, each pushed at its parent's head */
    r->top_kid = -1;
    for (size_t i = r->n; i-- > 0;) {
        mnode *m = &r->nodes[i];
        int *head = m->parent_idx < 0 ? &r->top_kid : &r->nodes[m->parent_idx].first_kid;
        m->next_sibling = *head;
        *head = (int)i;
    }
}

static void keep_rule(rd *r, cc_achievement *x, const mnode *m)
{
    cc_arena *a = r->rec->arena;
    if (m->rule) {
        cc_ext_add(a, &x->ext, "moodle:rule", m->rule);
        if (m->rule_outcome)
            cc_ext_add(a, &x->ext, "moodle:rule-outcome", m->rule_outcome);
        if (m->rule_config)
            cc_ext_add(a, &x->ext, "moodle:rule-config", m->rule_config);
    }
    if (m->crossref)
        problem(r, CC_NOTE, m->line, "loss", "loss: cross-referenced competencies of %s not "
                "expressible in the model", m->id);
}

/* Whether node i can be a learning outcome of the given level: a sub-skill has no
 * children, a competence only sub-skills ("<its id number>.<n>", without children).
 * Another tree under a dotted code (CCSS.Math.Content.6.RP.A.3 under …6.RP.A) stays parts. */
static bool outcome_shaped(const rd *r, int i, int level)
{
    for (int k = r->nodes[i].first_kid; k >= 0; k = r->nodes[k].next_sibling)
        if (level == 2 || !cc_moodle_is_outcome_id(r->nodes[k].id, r->nodes[i].id) ||
            r->nodes[k].first_kid >= 0)
            return false;
    return true;
}

/* The children of node `k` (-1: the framework), under achievement `home`; `is` says what k
 * is: 0 an achievement, 1 a competence, 2 a sub-skill. */
static void children(rd *r, int k, cc_achievement *home, int is, int depth)
{
    cc_arena *a = r->rec->arena;
    const char *kid = k < 0 ? home->code : r->nodes[k].id;
    for (int i = k < 0 ? r->top_kid : r->nodes[k].first_kid; i >= 0; i = r->nodes[i].next_sibling) {
        mnode *m = &r->nodes[i];
        if (m->visited || !m->id)
            continue;
        m->visited = true;
        if (depth >= MAX_DEPTH) {
            problem(r, CC_ERROR, m->line, "moodle-depth", "deeper than %d levels", MAX_DEPTH);
            continue;
        }
        const char *txt = text_of(a, m->desc, m->shortname);
        if (is < 2 && cc_moodle_is_outcome_id(m->id, kid) && outcome_shaped(r, i, is + 1)) {
            cc_outcome *o = cc_alloc(a, sizeof *o);
            cc_text_add(a, &o->text, NULL, txt ? txt : m->id);
            o->level = is + 1;
            cc_list_append(&home->outcomes, o);
            if (m->rule || m->crossref)
                problem(r, CC_NOTE, m->line, "loss", "loss: the rule and cross references of "
                        "learning outcome %s not expressible in the model", m->id);
            children(r, i, home, is + 1, depth + 1);
            continue;
        }
        if (is)
            problem(r, CC_WARNING, m->line, "moodle-under-outcome", "%s, under a learning "
                    "outcome, is read as a part of %s", m->id, home->code ? home->code : "its framework");
        cc_achievement *x = cc_achievement_new(a);
        x->code = m->id;
        x->kind = cc_matches(m->id, "^(RNCP|RS)[0-9]+BC[0-9]+$") ? "skills-block" : "competency";
        if (txt && strcmp(txt, m->id) != 0)
            cc_text_add(a, &x->title, NULL, txt);
        keep_shortname(a, &x->ext, m->shortname, txt ? txt : m->id);
        x->part_of = home->code;
        keep_rule(r, x, m);
        cc_list_append(&home->parts, x);
        children(r, i, x, 0, depth + 1);
    }
}

/* The framework read so far becomes a record (or is rejected). */
static int finish_framework(rd *r)
{
    if (!r->rec)
        return 0;
    json_t *index = json_object();
    if (!index)
        return -1;
    link_parents(r, index);
    json_decref(index);
    children(r, -1, r->rec->achievement, 0, 0);
    for (size_t i = 0; i < r->n; i++)
        if (!r->nodes[i].visited && r->nodes[i].id && r->nodes[i].parent_idx >= 0)
            problem(r, CC_ERROR, r->nodes[i].line, "moodle-parent",
                    "%s is not under the framework: its parents make a cycle", r->nodes[i].id);
    cc_record *rec = r->rec;
    r->rec = NULL;
    rec->src_file = r->ctx->in->name;
    rec->src_line = r->rec_line;
    rec->src_index = ++r->index;
    if (r->errors) {
        int stop = r->ctx->sink.reject(r->ctx->sink.ud, r->ctx->in->name, r->rec_line,
                                       cc_record_id(rec));
        cc_record_free(rec);
        return stop;
    }
    return r->ctx->sink.record(r->ctx->sink.ud, rec);
}

/* ------------------------------------------------------------ the reader */

static bool blank_row(const csv *c)
{
    return c->nf == 1 && !*col(c, 0);
}

static int rows(rd *r)
{
    int got, stop = 0;
    while (!stop && (got = csv_row(&r->c)) != 0) {
        if (got < 0) {
            problem(r, CC_ERROR, r->c.row_line, "moodle-csv", "a field longer than %d bytes or a row "
                    "of more than %d fields", MAX_FIELD, MAX_FIELDS);
            return 1;
        }
        if (blank_row(&r->c))
            continue;
        if (strcmp(get(r, MOODLE_ISFRAMEWORK), "1") == 0) {
            stop = finish_framework(r);
            if (!stop)
                start_framework(r);
        } else if (!r->rec) {
            problem(r, CC_ERROR, r->c.row_line, "moodle-no-framework",
                    "a competency before any framework row (Is framework = 1)");
            stop = r->ctx->sink.reject(r->ctx->sink.ud, r->ctx->in->name, r->c.row_line, NULL);
            r->errors = 0;
        } else if (add_node(r) != 0) {
            problem(r, CC_ERROR, r->c.row_line, "moodle-memory", "out of memory");
            return 2;
        }
    }
    return stop ? 0 : finish_framework(r) < 0 ? 2 : 0;
}

int cc_moodle_read(cc_read_ctx *ctx)
{
    rd *r = calloc(1, sizeof *r);
    if (!r)
        return 2;
    r->ctx = ctx;
    r->c.in = ctx->in;
    r->c.line = 1;
    /* a byte-order mark (Excel, Moodle's "UTF-8 with BOM" export) */
    if (peek(&r->c) == 0xEF && r->c.len - r->c.pos >= 3 && !memcmp(r->c.buf + r->c.pos, "\xEF\xBB\xBF", 3))
        r->c.pos += 3;
    int rc = header(r) != 0 ? 1 : rows(r);
    if (r->rec)
        cc_record_free(r->rec);
    free(r->nodes);
    free(r->c.text);
    free(r);
    return rc;
}
