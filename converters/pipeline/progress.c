/* credconv progress: stacking skills blocks toward a certification.
 *
 * The catalogue is read first and kept as a small index (codes, ids, block lists and the RNCP
 * CORRESPONDANCES), copied into one arena: the records themselves are freed as they come,
 * so a 570 MB export costs its fiches' codes, not their text.  Credentials are then read
 * one record at a time; each keeps only where it came from, its learner and the index nodes
 * its achievement matches.  Evaluation walks each learner's credentials once, with per-
 * learner stamps on the index instead of cleared tables: linear in learners x credentials. */
#include "cc_progress.h"
#include "cc_hash.h"
#include "cc_issue.h"
#include "cc_jsonw.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct pg_fiche pg_fiche;
typedef struct pg_held pg_held;

typedef struct pg_corr {          /* one CORRESPONDANCE of a fiche */
    void *next;
    pg_fiche *f;
    const char *text;             /* "RNCP40344BC04 = RNCP37507BC04", as printed */
    size_t nsrc, ndest;
    int *src;                     /* block indexes in f; none: every block of f */
    unsigned long stamp;          /* the learner whose count `got` is */
    size_t got;
    const struct pg_held *by;     /* the last credential counted for it */
    struct pg_corr *next_touched;
} pg_corr;

struct pg_fiche {
    void *next;
    const char *code, *title;
    size_t nblocks;
    const char **blocks;          /* codes (or ids when a block has no code) */
    unsigned long stamp;          /* the learner the arrays below are for */
    const pg_held **held, *awarded;
    const pg_corr **via;
#define PG_MAX_NC 8
    const pg_held *nc[PG_MAX_NC]; /* credentials --verify did not count (the first few) */
    int nnc;
    pg_fiche *next_touched;
};

typedef struct pg_ref { void *next; pg_fiche *f; int block; } pg_ref;  /* block -1: the fiche */
typedef struct pg_cref { void *next; pg_corr *c; } pg_cref;

typedef struct pg_node {          /* one code or id of the catalogue */
    struct pg_node *chain;
    const char *key;
    cc_list refs;                 /* pg_ref: what it names */
    cc_list corrs;                /* pg_cref: the equivalences it is a destination of */
    unsigned long stamp;
} pg_node;

typedef struct pg_map { pg_node **slot; size_t cap, n; } pg_map;

#define PG_MAX_HITS 4
struct pg_held {                  /* one credential of a learner */
    pg_held *next;
    const char *where;            /* file:line */
    const char *what;             /* its achievement's code, else id */
    const char *verified;         /* "not verified", "valid", or why it is not counted */
    bool counted;
    pg_node *hit[PG_MAX_HITS];
    int nhit;
};

typedef struct pg_learner {
    struct pg_learner *chain, *next;
    const char *key;              /* "email" lowercased, or the hash value, or the id */
    const char *salt;             /* hashed identities */
    const char *given, *family;   /* the first names a credential gives (--issue) */
    bool hashed;
    pg_held *held, *held_tail;
    struct pg_learner *merged;    /* a hashed identity found to be a plain one's */
} pg_learner;

typedef struct pg {
    cc_progress_opts *p;
    cc_arena *a;
    pg_map index;
    cc_list fiches;
    pg_learner **lslot, *learners, *ltail;
    size_t lcap, nl;
    cc_diag_sink diag;
    int errors, io;
    bool reading_catalogue;
    long unmatched, anonymous, not_counted;
    cc_counts n;                  /* --report: read = written (counted) + rejected + filtered
                                   * (matching nothing in the catalogue) */
    cc_report *report;
    /* --verify: the verdicts of the input being read, per line (a file of records) or one */
    char **verdicts;              /* malloc'd, [0] for the whole document; NULL: not verified */
    long nverdicts;
    bool per_line;
} pg;

/* ------------------------------------------------------------ the index */

static pg_node **map_find(pg_map *m, const char *key)
{
    pg_node **s = &m->slot[cc_hash_bytes(key, strlen(key)) & (m->cap - 1)];
    while (*s && strcmp((*s)->key, key) != 0)
        s = &(*s)->chain;
    return s;
}

static void map_grow(pg_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
    pg_node **old = m->slot;
    size_t ocap = m->cap;
    m->slot = calloc(cap, sizeof *m->slot);
    if (!m->slot)
        cc_oom();
    m->cap = cap;
    for (size_t i = 0; i < ocap; i++)
        for (pg_node *n = old[i], *nx; n; n = nx) {
            nx = n->chain;
            pg_node **s = &m->slot[cc_hash_bytes(n->key, strlen(n->key)) & (cap - 1)];
            n->chain = *s;
            *s = n;
        }
    free(old);
}

static pg_node *node_get(pg *g, const char *key)
{
    if (g->index.n * 2 >= g->index.cap)
        map_grow(&g->index);
    pg_node **s = map_find(&g->index, key);
    if (!*s) {
        *s = cc_alloc(g->a, sizeof **s);
        (*s)->key = cc_strdup(g->a, key);
        g->index.n++;
    }
    return *s;
}

static pg_node *node_lookup(pg *g, const char *key)
{
    return key && g->index.cap ? *map_find(&g->index, key) : NULL;
}

static void add_ref(pg *g, const char *key, pg_fiche *f, int block)
{
    if (!key || !*key)
        return;
    pg_node *n = node_get(g, key);
    for (pg_ref *r = n->refs.head; r; r = r->next)
        if (r->f == f && r->block == block)
            return;
    pg_ref *r = cc_alloc(g->a, sizeof *r);
    *r = (pg_ref){.f = f, .block = block};
    cc_list_append(&n->refs, r);
}

/* ------------------------------------------------------------ CORRESPONDANCES */

static const cc_ext *ext_child(const cc_ext *e, const char *name)
{
    for (const cc_ext *c = e ? e->children.head : NULL; c; c = c->next)
        if (!strcmp(c->name, name))
            return c;
    return NULL;
}

static int block_index(const pg_fiche *f, const char *code)
{
    for (size_t i = 0; i < f->nblocks; i++)
        if (!strcmp(f->blocks[i], code))
            return (int)i;
    return -1;
}

/* The codes of the BLOC_COMPETENCES/CODE children of e, into out (room for n). */
static size_t block_codes(const cc_ext *e, const char **out, size_t n)
{
    size_t k = 0;
    for (const cc_ext *b = e ? e->children.head : NULL; b; b = b->next) {
        const cc_ext *c = strcmp(b->name, "BLOC_COMPETENCES") ? NULL : ext_child(b, "CODE");
        if (c && c->value && k < n)
            out[k++] = c->value;
    }
    return k;
}

/* SOURCE blocks of this fiche = DESTINATION blocks of another (all of them needed); a
 * DESTINATION without blocks is its fiche as a whole, a missing SOURCE this whole fiche. */
static void add_corr(pg *g, pg_fiche *f, const cc_ext *e)
{
    const char *src[64], *dst[64], *fiche = NULL;
    const cc_ext *d = ext_child(e, "DESTINATION"), *nf = ext_child(d, "NUMERO_FICHE");
    size_t ns = block_codes(ext_child(e, "SOURCE"), src, 64), nd = block_codes(d, dst, 64);
    fiche = nf ? nf->value : NULL;
    if (!nd && fiche)
        dst[nd++] = fiche;
    if (!nd)
        return;
    pg_corr *c = cc_alloc(g->a, sizeof *c);
    *c = (pg_corr){.f = f, .ndest = nd, .src = cc_alloc(g->a, (ns ? ns : 1) * sizeof(int))};
    for (size_t i = 0; i < ns; i++) {
        int b = block_index(f, src[i]);
        if (b >= 0)
            c->src[c->nsrc++] = b;
    }
    if (ns && !c->nsrc)
        return;  /* its SOURCE names none of this fiche's blocks */
    char buf[1024] = "";
    size_t len = 0;
    for (size_t i = 0; i < c->nsrc && len < sizeof buf; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? " + " : "", f->blocks[c->src[i]]);
    if (!ns)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s", f->code);
    for (size_t i = 0; i < nd && len < sizeof buf; i++) {
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? " + " : " = ", dst[i]);
        pg_cref *r = cc_alloc(g->a, sizeof *r);
        r->c = c;
        cc_list_append(&node_get(g, dst[i])->corrs, r);
    }
    c->text = cc_strdup(g->a, buf);
}

static void add_fiche(pg *g, const cc_achievement *a)
{
    pg_fiche *f = cc_alloc(g->a, sizeof *f);
    f->code = cc_strdup(g->a, a->code ? a->code : a->id);
    f->title = cc_strdup(g->a, cc_text_get(&a->title, "fr"));
    f->blocks = cc_alloc(g->a, (a->parts.n + 1) * sizeof *f->blocks);
    f->held = cc_alloc(g->a, (a->parts.n + 1) * sizeof *f->held);
    f->via = cc_alloc(g->a, (a->parts.n + 1) * sizeof *f->via);
    for (const cc_achievement *b = a->parts.head; b; b = b->next) {
        if (!b->code && !b->id)
            continue;
        f->blocks[f->nblocks] = cc_strdup(g->a, b->code ? b->code : b->id);
        add_ref(g, b->code, f, (int)f->nblocks);
        add_ref(g, b->id, f, (int)f->nblocks);
        f->nblocks++;
    }
    add_ref(g, a->code, f, -1);
    add_ref(g, a->id, f, -1);
    cc_list_append(&g->fiches, f);
    for (const cc_ext *e = a->ext.head; e; e = e->next)
        if (!strcmp(e->name, "rncp:CORRESPONDANCES"))
            for (const cc_ext *c = e->children.head; c; c = c->next)
                add_corr(g, f, c);
}

/* ------------------------------------------------------------ learners */

static pg_learner *learner_get(pg *g, const char *key, bool hashed, const char *salt)
{
    if (g->nl * 2 >= g->lcap) {
        size_t cap = g->lcap ? g->lcap * 2 : 1024;
        pg_learner **s = calloc(cap, sizeof *s);
        if (!s)
            cc_oom();
        for (pg_learner *l = g->learners; l; l = l->next) {
            size_t h = cc_hash_bytes(l->key, strlen(l->key)) & (cap - 1);
            l->chain = s[h];
            s[h] = l;
        }
        free(g->lslot);
        g->lslot = s, g->lcap = cap;
    }
    pg_learner **s = &g->lslot[cc_hash_bytes(key, strlen(key)) & (g->lcap - 1)];
    while (*s && strcmp((*s)->key, key) != 0)
        s = &(*s)->chain;
    if (*s)
        return *s;
    pg_learner *l = cc_alloc(g->a, sizeof *l);
    *l = (pg_learner){.key = cc_strdup(g->a, key), .hashed = hashed, .salt = cc_strdup(g->a, salt)};
    *s = l;
    g->nl++;
    if (g->ltail)
        g->ltail->next = l;
    else
        g->learners = l;
    g->ltail = l;
    return l;
}

static char *lower(cc_arena *a, const char *s)
{
    char *d = cc_strdup(a, s);
    for (char *p = d; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return d;
}

/* The recipient: a plain email first (any case), then an email identity hash (its value
 * with its salt: two credentials hashed with the same salt compare equal), then the id. */
static pg_learner *learner_of(pg *g, cc_arena *tmp, const cc_person *p)
{
    const cc_identity *hash = NULL;
    if (p && p->email)
        return learner_get(g, lower(tmp, p->email), false, NULL);
    for (const cc_identity *i = p ? p->identifiers.head : NULL; i; i = i->next) {
        bool mail = i->type && !strcmp(i->type, "emailAddress");
        if (mail && !i->hashed && i->value)
            return learner_get(g, lower(tmp, i->value), false, NULL);
        if (mail && i->hashed && i->value && !hash)
            hash = i;
    }
    if (hash)
        return learner_get(g, cc_sprintf(tmp, "%s %s", hash->value, hash->salt ? hash->salt : ""), true, hash->salt);
    return p && p->id ? learner_get(g, p->id, false, NULL) : NULL;
}

/* A hashed identity is the plain email whose salted hash it is.  Each hashed learner is
 * checked against each plain one: hashes cannot be indexed, so this part costs
 * hashed x plain identities (nothing when the run has only one kind). */
static void merge_hashed(pg *g)
{
    for (pg_learner *h = g->learners; h; h = h->next) {
        if (!h->hashed)
            continue;
        const char *sp = strchr(h->key, ' ');
        cc_identity id = {.type = "emailAddress", .value = cc_strndup(g->a, h->key, (size_t)(sp - h->key)),
                          .hashed = true, .salt = h->salt};
        for (pg_learner *l = g->learners; l && !h->merged; l = l->next)
            if (!l->hashed && !l->merged && strchr(l->key, '@') && cc_identity_matches(&id, l->key))
                h->merged = l;
        if (!h->merged)
            continue;
        if (h->held) {
            if (h->merged->held_tail)
                h->merged->held_tail->next = h->held;
            else
                h->merged->held = h->held;
            h->merged->held_tail = h->held_tail;
        }
        h->held = h->held_tail = NULL;
    }
}

/* ------------------------------------------------------------ reading */

static void hit(pg_held *h, pg_node *n)
{
    for (int i = 0; n && i < h->nhit; i++)
        if (h->hit[i] == n)
            return;
    if (n && h->nhit < PG_MAX_HITS)
        h->hit[h->nhit++] = n;
}

static void add_credential(pg *g, const cc_record *rec)
{
    const cc_credential *c = rec->credential;
    const cc_achievement *a = c->achievement;
    pg_learner *l = learner_of(g, rec->arena, c->subject);
    const char *where = cc_sprintf(rec->arena, "%s:%ld", rec->src_file ? rec->src_file : "-", rec->src_line);
    g->n.read++;
    if (!l) {
        g->anonymous++;
        g->n.rejected++;
        cc_diagf(&g->diag, CC_WARNING, rec->src_file, rec->src_line, 0, cc_record_id(rec), "progress-no-recipient",
                 "the credential names no recipient (email, identity hash or id): not counted");
        return;
    }
    if (!l->given && !l->family && (c->subject->given_name || c->subject->family_name)) {
        l->given = cc_strdup(g->a, c->subject->given_name);
        l->family = cc_strdup(g->a, c->subject->family_name);
    }
    pg_held *h = cc_alloc(g->a, sizeof *h);
    h->where = cc_strdup(g->a, where);
    h->verified = "not verified", h->counted = true;
    if (g->p->verifier) {
        long i = g->per_line ? rec->src_line : 0;
        const char *v = g->verdicts && i >= 0 && i < g->nverdicts && g->verdicts[i] ? g->verdicts[i]
                                                                                   : "no verdict for this record";
        h->counted = !strcmp(v, "valid");
        h->verified = h->counted ? "valid" : cc_strdup(g->a, v);
        g->not_counted += !h->counted;
    }
    h->what = cc_strdup(g->a, a ? (a->code ? a->code : a->id) : NULL);
    if (a) {
        hit(h, node_lookup(g, a->code));
        hit(h, node_lookup(g, a->id));
        for (const cc_code *x = a->alignments.head; x; x = x->next) {
            hit(h, node_lookup(g, x->code));
            hit(h, node_lookup(g, x->uri));
        }
    }
    if (!h->nhit) {
        g->unmatched++;
        cc_diagf(&g->diag, CC_NOTE, rec->src_file, rec->src_line, 0, cc_record_id(rec), "progress-unmatched",
                 "%s is no block or certification of the catalogue", h->what ? h->what : "its achievement");
    }
    if (!h->counted)
        g->n.rejected++;
    else if (!h->nhit)
        g->n.filtered++;
    else
        g->n.written++;
    if (l->held_tail)
        l->held_tail->next = h;
    else
        l->held = h;
    l->held_tail = h;
}

static int on_record(void *ud, cc_record *rec)
{
    pg *g = ud;
    if (g->reading_catalogue && rec->kind == CC_REC_ACHIEVEMENT)
        add_fiche(g, rec->achievement);
    else if (!g->reading_catalogue && rec->kind == CC_REC_CREDENTIAL)
        add_credential(g, rec);
    cc_record_free(rec);
    return 0;
}

static int on_reject(void *ud, const char *file, long line, const char *id)
{
    pg *g = ud;
    (void)file, (void)line, (void)id;
    g->errors++;
    if (!g->reading_catalogue)
        g->n.read++, g->n.rejected++;
    return 0;
}

static void on_diag(void *ud, const cc_diag *d)
{
    pg *g = ud;
    if (d->severity == CC_ERROR)
        g->errors++;
    cc_report_save(g->report, d);
    if (d->severity == CC_ERROR || (!g->p->o->quiet && (d->severity == CC_WARNING || g->p->o->verbose)))
        cc_diag_print(stderr, d);
}

static void read_input(pg *g, const char *path)
{
    const cc_options *o = g->p->o;
    cc_input in;
    if (cc_input_open_member(&in, path, o->member) != 0) {
        cc_diagf(&g->diag, CC_ERROR, path, 0, 0, NULL, "io", "cannot open: %s", *in.error ? in.error : strerror(errno));
        g->io = 1;
        return;
    }
    const cc_format *f = o->from && !g->reading_catalogue ? o->from : cc_format_detect(in.peek, in.peek_len);
    if (!f || !(f->caps & CC_CAP_READ)) {
        cc_diagf(&g->diag, CC_ERROR, in.name, 0, 0, NULL, "detect", "cannot tell the format of this input");
    } else {
        cc_read_ctx ctx = {.in = &in, .sink = {.record = on_record, .reject = on_reject, .ud = g}, .diag = &g->diag,
                           .schema_dir = o->schema_dir, .fetch = &o->fetch, .max_json_size = o->max_json_size,
                           .schemas = o->schemas};
        if (f->read(&ctx) == 2 || *in.error) {
            cc_diagf(&g->diag, CC_ERROR, in.name, 0, 0, NULL, "io", "%s", *in.error ? in.error : "read error");
            g->io = 1;
        }
    }
    cc_input_close(&in);
}

/* ------------------------------------------------------------ --verify */

#define PG_MAX_VERIFY (256L << 20)

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n, fp)) > 0;) {
        n += got;
        if (n == cap && cap < (size_t)PG_MAX_VERIFY) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb)
                cc_oom();
            buf = nb, cap *= 2;
        } else if (n == cap) {
            break;  /* larger than what is verified: no verdict, so nothing counts */
        }
    }
    bool bad = ferror(fp) || (buf && n == cap && !feof(fp));
    fclose(fp);
    if (!buf || bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* A line that is a record by itself: a one-line JSON object, or a compact JWS (no blank). */
static bool record_line(const char *s, size_t n)
{
    while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n >= 2 && s[0] == '{')
        return s[n - 1] == '}';
    size_t dots = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ' || s[i] == '{' || s[i] == '<')
            return false;
        dots += s[i] == '.';
    }
    return n && dots == 2;
}

/* The verdict is kept in g->verdicts, freed with g; gcc 12's -fanalyzer does not follow it
 * there (a false "leak"), so its leak check is off for this function (make analyze). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
#endif
static void keep_verdict(pg *g, long i, const char *text, size_t len, const char *name)
{
    char why[512], *v;
    cc_verifier_check(g->p->verifier, text, len, name, why, sizeof why);
    if (i >= g->nverdicts) {
        long cap = g->nverdicts ? g->nverdicts * 2 : 64;
        while (cap <= i)
            cap *= 2;
        char **nv = realloc(g->verdicts, (size_t)cap * sizeof *nv);
        if (!nv)
            cc_oom();
        memset(nv + g->nverdicts, 0, (size_t)(cap - g->nverdicts) * sizeof *nv);
        g->verdicts = nv, g->nverdicts = cap;
    }
    if (!(v = strdup(why)))
        cc_oom();
    free(g->verdicts[i]);
    g->verdicts[i] = v;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/* A file whose first line is a whole JSON object or token, with more lines after it, is a
 * file of records: each line is verified as verify does it, and named FILE:LINE. */
static void verify_file(pg *g, const char *path)
{
    size_t len = 0;
    char *text = slurp(path, &len);
    if (!text)
        return;  /* no verdict: nothing from it counts (the reader says why it fails) */
    const char *nl = memchr(text, '\n', len);
    g->per_line = nl && record_line(text, (size_t)(nl - text)) && nl[1 + strspn(nl + 1, " \t\r\n")];
    if (!g->per_line) {
        keep_verdict(g, 0, text, len, path);
    } else {
        long no = 1;
        for (char *p = text, *e; p < text + len; p = e + 1, no++) {
            e = memchr(p, '\n', (size_t)(text + len - p));
            e = e ? e : text + len;
            if (e > p && strspn(p, " \t\r") < (size_t)(e - p)) {
                char name[4096];
                snprintf(name, sizeof name, "%s:%ld", path, no);
                keep_verdict(g, no, p, (size_t)(e - p), name);
            }
        }
    }
    free(text);
}

static void forget_verdicts(pg *g)
{
    for (long i = 0; i < g->nverdicts; i++)
        free(g->verdicts[i]);
    free(g->verdicts);
    g->verdicts = NULL, g->nverdicts = 0, g->per_line = false;
}

/* ------------------------------------------------------------ evaluation */

typedef struct pg_eval {
    unsigned long stamp;
    pg_fiche *touched, *ttail;
    pg_corr *corrs;
} pg_eval;

static void touch(pg_eval *e, pg_fiche *f)
{
    if (f->stamp == e->stamp)
        return;
    f->stamp = e->stamp;
    f->awarded = NULL;
    f->nnc = 0;
    memset(f->held, 0, (f->nblocks + 1) * sizeof *f->held);
    memset(f->via, 0, (f->nblocks + 1) * sizeof *f->via);
    f->next_touched = NULL;
    if (e->ttail)
        e->ttail->next_touched = f;
    else
        e->touched = f;
    e->ttail = f;
}

static void count_node(pg_eval *e, pg_node *n, const pg_held *h)
{
    if (n->stamp == e->stamp)
        return;  /* a learner holding a block twice counts it once */
    n->stamp = e->stamp;
    for (pg_ref *r = n->refs.head; r; r = r->next) {
        touch(e, r->f);
        if (r->block < 0 && !r->f->awarded)
            r->f->awarded = h;
        else if (r->block >= 0 && !r->f->held[r->block])
            r->f->held[r->block] = h;
    }
    for (pg_cref *cr = n->corrs.head; cr; cr = cr->next) {
        pg_corr *c = cr->c;
        if (c->stamp != e->stamp) {
            c->stamp = e->stamp, c->got = 0;
            c->next_touched = e->corrs;
            e->corrs = c;
        }
        c->got++;
        c->by = h;
    }
}

static void apply_corrs(pg_eval *e)
{
    for (pg_corr *c = e->corrs; c; c = c->next_touched) {
        if (c->got < c->ndest)
            continue;
        touch(e, c->f);
        for (size_t i = 0; i < (c->nsrc ? c->nsrc : c->f->nblocks); i++) {
            int b = c->nsrc ? c->src[i] : (int)i;
            if (!c->f->via[b])
                c->f->via[b] = c;
        }
    }
}

static void jw_held(cc_jw *w, const pg_held *h)
{
    cc_jw_kstr(w, "credential", h->where);
    cc_jw_kstr(w, "achievement", h->what);
    cc_jw_kstr(w, "verified", h->verified);
}

static void print_json(const pg_learner *l, const pg_fiche *f, bool complete)
{
    cc_jw w;
    cc_jw_init(&w, stdout);
    cc_jw_obj(&w);
    cc_jw_kstr(&w, "learner", l->key);
    cc_jw_kstr(&w, "certification", f->code);
    cc_jw_kstr(&w, "title", f->title);
    cc_jw_key(&w, "complete");
    cc_jw_bool(&w, complete);
    if (f->awarded) {
        cc_jw_key(&w, "awarded");
        cc_jw_obj(&w), jw_held(&w, f->awarded), cc_jw_obj_end(&w);
    }
    cc_jw_key(&w, "held");
    cc_jw_arr(&w);
    for (size_t i = 0; i < f->nblocks; i++)
        if (f->held[i]) {
            cc_jw_obj(&w), cc_jw_kstr(&w, "block", f->blocks[i]), jw_held(&w, f->held[i]), cc_jw_obj_end(&w);
        }
    cc_jw_arr_end(&w);
    cc_jw_key(&w, "equivalent");
    cc_jw_arr(&w);
    for (size_t i = 0; i < f->nblocks; i++)
        if (!f->held[i] && f->via[i]) {
            cc_jw_obj(&w), cc_jw_kstr(&w, "block", f->blocks[i]);
            cc_jw_kstr(&w, "correspondance", f->via[i]->text);
            cc_jw_kstr(&w, "credential", f->via[i]->by->where), cc_jw_obj_end(&w);
        }
    cc_jw_arr_end(&w);
    cc_jw_key(&w, "missing");
    cc_jw_arr(&w);
    for (size_t i = 0; i < f->nblocks; i++)
        if (!f->held[i] && !f->via[i])
            cc_jw_str(&w, f->blocks[i]);
    cc_jw_arr_end(&w);
    if (f->nnc) {
        cc_jw_key(&w, "notCounted");
        cc_jw_arr(&w);
        for (int i = 0; i < f->nnc; i++)
            cc_jw_obj(&w), jw_held(&w, f->nc[i]), cc_jw_obj_end(&w);
        cc_jw_arr_end(&w);
    }
    cc_jw_obj_end(&w);
    putchar('\n');
}

static void print_table(const pg_learner *l, const pg_fiche *f, bool complete, size_t have)
{
    printf("%s  %s  %s (%zu/%zu blocks)%s%s\n", l->key, f->code, complete ? "COMPLETE" : "incomplete", have,
           f->nblocks, f->title ? "  " : "", f->title ? f->title : "");
    if (f->awarded)
        printf("    awarded     %-16s %s (%s)\n", f->code, f->awarded->where, f->awarded->verified);
    for (size_t i = 0; i < f->nblocks; i++) {
        if (f->held[i])
            printf("    held        %-16s %s (%s)\n", f->blocks[i], f->held[i]->where, f->held[i]->verified);
        else if (f->via[i])
            printf("    equivalent  %-16s through %s, %s (%s)\n", f->blocks[i], f->via[i]->text,
                   f->via[i]->by->where, f->via[i]->by->verified);
        else
            printf("    missing     %s\n", f->blocks[i]);
    }
    for (int i = 0; i < f->nnc; i++)
        printf("    not counted %-16s %s (%s)\n", f->nc[i]->what ? f->nc[i]->what : "?", f->nc[i]->where,
               f->nc[i]->verified);
}

/* A credential --verify did not count still names the certifications it would have touched. */
static void not_counted(pg_eval *e, const pg_held *h)
{
    for (int i = 0; i < h->nhit; i++)
        for (pg_ref *r = h->hit[i]->refs.head; r; r = r->next) {
            touch(e, r->f);
            if (r->f->nnc < PG_MAX_NC && (!r->f->nnc || r->f->nc[r->f->nnc - 1] != h))
                r->f->nc[r->f->nnc++] = h;
        }
}

/* One CSV field, quoted (RFC 4180) so that a name with a comma or a quote stays one field. */
static void csv_field(FILE *fp, const char *s, char sep)
{
    fputc('"', fp);
    for (; s && *s; s++)
        *s == '"' ? fputs("\"\"", fp) : fputc(*s, fp);
    fputc('"', fp);
    fputc(sep, fp);
}

static void issue_row(FILE *fp, const pg_learner *l, const char *code)
{
    csv_field(fp, l->key, ','), csv_field(fp, l->given, ','), csv_field(fp, l->family, ',');
    csv_field(fp, code, '\n');
}

/* --issue: the rows awarding a complete certification; a learner known by no plain email
 * cannot be named in a new credential (a hash cannot be turned back into the address). */
static void issue_rows(pg *g, const pg_learner *l, const pg_fiche *f, bool *unnamed)
{
    FILE *fp = g->p->issue_rows;
    if (l->hashed || !strchr(l->key, '@')) {
        if (!*unnamed)
            cc_diagf(&g->diag, CC_ERROR, l->held->where, 0, 0, l->key, "progress-issue",
                     "%s is complete but the learner has no plain email address (a hashed identity or "
                     "an id only): not issued", f->code);
        *unnamed = true;
        return;
    }
    g->p->issued++;
    issue_row(fp, l, f->code);
    for (size_t i = 0; g->p->with_blocks && i < f->nblocks; i++)
        issue_row(fp, l, f->blocks[i]);
}

static void report_learner(pg *g, const pg_learner *l, pg_eval *e)
{
    bool any = false, unnamed = false;
    for (const pg_held *h = l->held; h; h = h->next)
        for (int i = 0; h->counted && i < h->nhit; i++)
            count_node(e, h->hit[i], h);
    for (const pg_held *h = l->held; h; h = h->next)
        if (!h->counted)
            not_counted(e, h);
    apply_corrs(e);
    for (pg_fiche *f = e->touched; f; f = f->next_touched) {
        size_t have = 0;
        for (size_t i = 0; i < f->nblocks; i++)
            have += f->held[i] || f->via[i];
        bool complete = f->awarded || (f->nblocks && have == f->nblocks);
        any |= complete;
        if (complete && g->p->issue_rows && f->code)
            issue_rows(g, l, f, &unnamed);
        if (g->p->no_lines)
            ;
        else if (g->p->table)
            print_table(l, f, complete, have);
        else
            print_json(l, f, complete);
    }
    if (!any && g->p->o->require_complete)
        cc_diagf(&g->diag, CC_ERROR, l->held->where, 0, 0, l->key, "progress-incomplete",
                 "no certification of the catalogue is complete for this learner");
    g->p->incomplete += !any;
    g->p->unnamed += unnamed;
}

int cc_progress_run(cc_progress_opts *p)
{
    pg g = {.p = p, .a = cc_arena_new()};
    g.diag = (cc_diag_sink){.emit = on_diag, .ud = &g};
    if (p->o->report_file && !(g.report = cc_report_open(p->o->report_file, p->o->inputs, p->o->ninputs, false))) {
        fprintf(stderr, "%s: error: cannot write the report: %s [io]\n", p->o->report_file, strerror(errno));
        cc_arena_free(g.a);
        return 2;
    }
    g.reading_catalogue = true;
    for (size_t i = 0; i < p->ncatalogues; i++)
        read_input(&g, p->catalogues[i]);
    if (!g.fiches.n && !g.io)
        cc_diagf(&g.diag, CC_ERROR, p->catalogues[0], 0, 0, NULL, "progress-catalogue",
                 "no achievement with blocks in the catalogue");
    g.reading_catalogue = false;
    for (size_t i = 0; g.fiches.n && i < p->o->ninputs; i++) {
        if (p->verifier)
            verify_file(&g, p->o->inputs[i]);
        read_input(&g, p->o->inputs[i]);
        forget_verdicts(&g);
    }
    merge_hashed(&g);
    unsigned long stamp = 0;
    size_t nlearners = 0;
    for (pg_learner *l = g.learners; l; l = l->next) {
        if (l->merged || !l->held)
            continue;
        nlearners++;
        pg_eval e = {.stamp = ++stamp};
        report_learner(&g, l, &e);
    }
    int rc = fflush(stdout) != 0 || ferror(stdout) ? 2 : g.io ? 2 : g.errors || g.not_counted ? 1 : 0;
    if (!p->o->quiet)
        fprintf(stderr, "credconv: %zu fiches in the catalogue, %zu learners, %ld credentials matching nothing%s",
                g.fiches.n, nlearners, g.unmatched, p->verifier ? "" : "\n");
    if (!p->o->quiet && p->verifier)
        fprintf(stderr, ", %ld not counted (not valid)\n", g.not_counted);
    if (g.report && cc_report_commit(g.report, &g.n, rc == 2 ? "the output was not written whole" : NULL) != 0) {
        fprintf(stderr, "%s: error: cannot write the report: %s [io]\n", p->o->report_file, strerror(errno));
        rc = 2;
    }
    free(g.index.slot);
    free(g.lslot);
    cc_arena_free(g.a);
    return rc;
}
