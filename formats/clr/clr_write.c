/* CLR 2.0 writer.  Two shapes (docs/mapping.md, docs/decisions.md):
 *
 * - an achievement record (an RNCP fiche with its skills blocks) is one ClrCredential whose
 *   credentialSubject holds the certification and its blocks as `achievement`s and one
 *   `association` per block (isPartOf the certification).  CLR requires one nested
 *   credential at least, and no learner is known: it is the issuer's EndorsementCredential
 *   of the certification, which states the structure and awards nothing;
 * - credential records (--recipients) are grouped by learner: one ClrCredential per learner,
 *   written when the writer closes, holding each of that learner's credentials as an OB 3.0
 *   credential in `verifiableCredential`, their achievements, the block-to-certification
 *   associations among them, and `partial` true while a block's certification is not held.
 *
 * The OB 3.0 parts are written by the "ob3" format itself (through the registry), so a CLR
 * carries exactly what -t ob3 writes, checked by the ob3 writer before it is used here. */
#include "cc_hash.h"
#include "cc_issue.h"
#include "cc_jsonread.h"
#include "cc_writecheck.h"
#include "clr/clr.h"
#include "jsonschema.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct held {         /* an achievement a learner holds, for associations and partial */
    char *code, *id, *part_of;
} held;

typedef struct learner {
    char *key;                /* lower-case e-mail, else subject id, else the record id */
    char *name;               /* for the CLR's name */
    json_t *subject;          /* the first credential's subject's id and identifier */
    json_t *issuer;           /* the first credential's issuer */
    json_t *creds;            /* each credential as compact JSON text (a JSON string): what is
                               * kept until the writer closes is about the size of the output */
    json_t *achievements;     /* shared with the other learners (clrw.achievements) */
    char *latest;             /* the latest validFrom of the credentials */
    held *held;
    size_t nheld, heldcap;
    const char *src_file;     /* the first row, for diagnostics */
    long src_line;
} learner;

typedef struct clrw {
    FILE *out;
    const cc_diag_sink *diag;
    const cc_format *ob3;
    cc_wcheck_ref check;
    learner *l;
    size_t n, cap;
    size_t *index, index_cap; /* open addressing over l[] by key; SIZE_MAX = empty */
    json_t *achievements;     /* every achievement held, by id: one copy for all learners */
    int (*status_entry)(void *ud, const char *id, cc_status_ref *out);  /* --status-list */
    void *status_ud;
    char now[21];
} clrw;

/* ------------------------------------------------------------ OB 3.0 parts */

/* The documents the ob3 writer makes of r (one per line), each checked by it: an array, or
 * NULL with *rc 1 (rejected, reported) or 2. */
static json_t *ob3_docs(clrw *w, const cc_record *r, int *rc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem)
        return *rc = 2, NULL;
    cc_write_ctx wc = {.out = mem, .diag = w->diag, .records_in_output = -1, .check = w->check.check};
    void *o = w->ob3->writer_open(&wc);
    *rc = o ? w->ob3->writer_record(o, r) : 2;
    int crc = o ? w->ob3->writer_close(o) : 2;
    fclose(mem);
    json_t *docs = *rc == 0 && crc == 0 ? json_array() : NULL;
    for (size_t at = 0; docs && at < len;) {
        const char *nl = memchr(buf + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (buf + at)) : len - at;
        json_t *d = n ? cc_json_loadb(buf + at, n, 0, NULL) : NULL;
        if (d)
            json_array_append_new(docs, d);
        at += n + 1;
    }
    if (*rc == 0 && (!docs || !json_array_size(docs)))
        *rc = 2;
    free(buf);
    return docs;
}

/* An Achievement document as a member of a ClrSubject: the CLR's contexts apply. */
static json_t *member(json_t *doc)
{
    json_t *m = json_deep_copy(doc);
    json_object_del(m, "@context");
    return m;
}

static json_t *clr_frame(const char *id, const char *name, json_t *issuer, const char *from)
{
    return json_pack("{s:[sss],s:s,s:[ss],s:s,s:O,s:s}", "@context", CLR_CTX_VC2, CLR_CTX,
                     CLR_CTX_OB, "id", id, "type", "VerifiableCredential", "ClrCredential",
                     "name", name, "issuer", issuer, "validFrom", from);
}

static json_t *association(const char *source, const char *target)
{
    return json_pack("{s:s,s:s,s:s,s:s}", "type", "Association", "associationType",
                     CLR_BLOCK_ASSOCIATION, "sourceId", source, "targetId", target);
}

/* ------------------------------------------------------------ checking and output */

static int check(clrw *w, const json_t *clr, const cc_record *r, const char *rec)
{
    if (cc_wcheck_off(w->check.check))
        return 0;
    cc_wcheck_sink ws;
    const cc_diag_sink *d = cc_wcheck_sink_init(&ws, w->check.check, w->diag);
    struct cc_schema_set *set = cc_wcheck_json_schema(w->check.check, CLR_SCHEMA_FILE,
                                                      CLR_SCHEMA_URI, d);
    int errors = set ? cc_clr_check_written(set, clr, d, rec) : -1;
    return cc_wcheck_verdict(w->check.check, w->diag, r, "clr", errors,
                             "fix the fields listed above in the input, --issuer or --recipients");
}

static int put(clrw *w, const json_t *clr)
{
    char *s = json_dumps(clr, JSON_COMPACT);
    int rc = !s || fprintf(w->out, "%s\n", s) < 0 || ferror(w->out) ? 2 : 0;
    free(s);
    return rc;
}

/* ------------------------------------------------------------ a fiche and its blocks */

/* The issuer of a fiche's CLR: --issuer (role "issuer"), else its first awarding body
 * with an id or a SIRET (the ob3 writer makes the Profile id of either). */
static const cc_org *fiche_issuer(const cc_achievement *a)
{
    const cc_org *pick = NULL;
    for (const cc_org *o = a->orgs.head; o; o = o->next) {
        bool usable = o->name.n && (o->id || o->identifiers.n);
        if (usable && o->role && strcmp(o->role, "issuer") == 0)
            return o;
        if (usable && !pick && (!o->role || strcmp(o->role, "awarding-body") == 0 ||
                                strcmp(o->role, "creator") == 0))
            pick = o;
    }
    return pick;
}

/* The nested credential of a fiche's CLR: the issuer endorses its certification (the
 * subject is the certification's id) and says what the record lists. */
static cc_record *structure_record(const cc_record *r, const cc_org *issuer, const char *id,
                                   const char *now)
{
    const cc_achievement *a = r->achievement;
    cc_record *s = cc_record_new(CC_REC_CREDENTIAL);
    cc_arena *m = s->arena;
    cc_credential *k = cc_alloc(m, sizeof *k);
    s->credential = k;
    s->src_file = r->src_file, s->src_line = r->src_line, s->src_index = r->src_index;
    k->id = cc_sprintf(m, "%s#structure", id);
    k->issuer = (cc_org *)issuer;  /* borrowed: r outlives s */
    k->valid_from = now;
    const char *code = a->code ? a->code : a->id;
    cc_text_add(m, &k->name, "fr", cc_sprintf(m, "%s: certification and skills blocks", code));
    cc_person *p = cc_alloc(m, sizeof *p);
    p->id = a->id;
    k->subject = p;
    cc_ext_add(m, &k->ext, "ob3:type", "[\"VerifiableCredential\",\"EndorsementCredential\"]");
    json_t *subject = json_pack("{s:[s],s:s}", "type", "EndorsementSubject", "endorsementComment",
                                cc_sprintf(m, "%s is made of %zu skills blocks, each awarded on "
                                           "its own; all of them award %s.", code, a->parts.n, code));
    char *text = json_dumps(subject, JSON_COMPACT);
    cc_ext_add(m, &k->ext, "ob3:credentialSubject", cc_strdup(m, text));
    free(text);
    json_decref(subject);
    return s;
}

static json_t *fiche_subject(json_t *achievements, json_t *structure)
{
    json_t *assoc = json_array(), *fiche = json_array_get(achievements, 0), *x;
    const char *fid = json_string_value(json_object_get(fiche, "id"));
    size_t i;
    json_array_foreach(achievements, i, x)
        if (i > 0 && fid)
            json_array_append_new(assoc, association(json_string_value(json_object_get(x, "id")), fid));
    json_t *s = json_pack("{s:[s],s:o,s:o,s:[o]}", "type", "ClrSubject", "achievement",
                          achievements, "association", assoc, "verifiableCredential", structure);
    return s;
}

static int write_fiche(clrw *w, const cc_record *r)
{
    const cc_achievement *a = r->achievement;
    const cc_org *issuer = fiche_issuer(a);
    if (!issuer || !a->id) {
        cc_diagf(w->diag, CC_ERROR, NULL, 0, 0, cc_record_id(r), "clr-missing",
                 "cannot write as CLR 2.0: %s", a->id ? "no issuer (give --issuer FILE, or an "
                 "awarding body with an id or a SIRET)" : "the achievement has no id");
        return 1;
    }
    int rc;
    json_t *docs = ob3_docs(w, r, &rc);
    if (!docs)
        return rc;
    char u[37], *key = NULL;
    if (asprintf(&key, "credconv:clr:%s", a->id) < 0)
        cc_oom();
    cc_uuid5_url(key, u);
    free(key);
    char id[48];
    snprintf(id, sizeof id, "urn:uuid:%s", u);
    cc_record *s = structure_record(r, issuer, id, w->now);
    json_t *sdocs = ob3_docs(w, s, &rc), *clr = NULL;
    cc_record_free(s);
    if (sdocs) {
        json_t *structure = json_incref(json_array_get(sdocs, 0)), *achievements = json_array(), *x;
        size_t i;
        json_array_foreach(docs, i, x)
            json_array_append_new(achievements, member(x));
        const char *title = json_string_value(json_object_get(json_array_get(docs, 0), "name"));
        char *name = NULL;
        if (asprintf(&name, "%s (%s): certification and skills blocks", title ? title : "?",
                     a->code ? a->code : a->id) < 0)
            cc_oom();
        clr = clr_frame(id, name, json_object_get(structure, "issuer"), w->now);
        free(name);
        json_t *subject = fiche_subject(achievements, structure);
        if (clr && subject)
            json_object_set_new(clr, "credentialSubject", subject);
        else
            json_decref(subject);
        rc = clr ? check(w, clr, r, cc_record_id(r)) : 2;
    }
    if (clr && rc == 0)
        rc = put(w, clr);
    json_decref(clr);
    json_decref(sdocs);
    json_decref(docs);
    return rc;
}

/* ------------------------------------------------------------ learners */

static char *learner_key(const cc_record *r)
{
    const cc_person *p = r->credential->subject;
    const char *k = p && p->email ? p->email : p && p->id ? p->id : cc_record_id(r);
    char *s = strdup(k ? k : "");
    for (char *c = s; p && p->email && *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return s;
}

static void index_put(size_t *index, size_t cap, const learner *l, size_t i)
{
    size_t h = cc_hash_str(l[i].key) & (cap - 1);
    while (index[h] != SIZE_MAX)
        h = (h + 1) & (cap - 1);
    index[h] = i;
}

static void index_grow(clrw *w)
{
    size_t cap = w->index_cap ? 2 * w->index_cap : 256;
    size_t *t = malloc(cap * sizeof *t);
    if (!t)
        cc_oom();
    memset(t, 0xFF, cap * sizeof *t);
    for (size_t i = 0; i < w->n; i++)
        index_put(t, cap, w->l, i);
    free(w->index);
    w->index = t;
    w->index_cap = cap;
}

static learner *learner_for(clrw *w, const cc_record *r, json_t *cred)
{
    char *key = learner_key(r);
    for (size_t h = w->index_cap ? cc_hash_str(key) & (w->index_cap - 1) : 0;
         w->index_cap && w->index[h] != SIZE_MAX; h = (h + 1) & (w->index_cap - 1))
        if (strcmp(w->l[w->index[h]].key, key) == 0) {
            free(key);
            return &w->l[w->index[h]];
        }
    if (w->n == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 64;
        w->l = realloc(w->l, w->cap * sizeof *w->l);
        if (!w->l)
            cc_oom();
    }
    if (2 * (w->n + 1) > w->index_cap)
        index_grow(w);
    const cc_person *p = r->credential->subject;
    learner *l = &w->l[w->n];
    const json_t *cs = json_object_get(cred, "credentialSubject");
    *l = (learner){.key = key, .creds = json_array(), .achievements = json_array(),
                   .subject = json_pack("{s:O*,s:O*}", "id", json_object_get(cs, "id"),
                                        "identifier", json_object_get(cs, "identifier")),
                   .issuer = json_incref(json_object_get(cred, "issuer")),
                   .src_file = r->src_file, .src_line = r->src_line};
    if (p && (p->given_name || p->family_name) &&
        asprintf(&l->name, "%s%s%s", p->given_name ? p->given_name : "",
                 p->given_name && p->family_name ? " " : "", p->family_name ? p->family_name : "") < 0)
        cc_oom();
    index_put(w->index, w->index_cap, w->l, w->n++);
    return l;
}

static bool holds(const learner *l, const char *code)
{
    for (size_t i = 0; code && i < l->nheld; i++)
        if (l->held[i].code && strcmp(l->held[i].code, code) == 0)
            return true;
    return false;
}

static void hold(clrw *w, learner *l, const cc_achievement *a, json_t *achievement)
{
    const char *id = json_string_value(json_object_get(achievement, "id"));
    for (size_t i = 0; i < l->nheld; i++)
        if (id && l->held[i].id && strcmp(l->held[i].id, id) == 0)
            return;  /* awarded twice: one achievement, two credentials */
    if (l->nheld == l->heldcap) {
        l->heldcap = l->heldcap ? 2 * l->heldcap : 8;
        l->held = realloc(l->held, l->heldcap * sizeof *l->held);
        if (!l->held)
            cc_oom();
    }
    l->held[l->nheld++] = (held){.code = a->code ? strdup(a->code) : NULL, .id = id ? strdup(id) : NULL,
                                 .part_of = a->part_of ? strdup(a->part_of) : NULL};
    json_t *shared = id ? json_object_get(w->achievements, id) : NULL;
    if (!shared) {
        shared = json_deep_copy(achievement);
        if (id)
            json_object_set_new(w->achievements, id, shared);
        else
            json_array_append_new(l->achievements, shared);
    }
    if (id)
        json_array_append(l->achievements, shared);
}

static bool awards(const json_t *cred)
{
    const json_t *t = json_object_get(cred, "type"), *x;
    size_t i;
    json_array_foreach(t, i, x)
        if (json_is_string(x) && (!strcmp(json_string_value(x), "OpenBadgeCredential") ||
                                  !strcmp(json_string_value(x), "AchievementCredential")))
            return true;
    return false;
}

static int add_credential(clrw *w, const cc_record *r)
{
    int rc;
    json_t *docs = ob3_docs(w, r, &rc);
    if (!docs)
        return rc;
    json_t *cred = json_array_get(docs, 0);
    if (!awards(cred)) {
        cc_diagf(w->diag, CC_ERROR, NULL, 0, 0, cc_record_id(r), "clr-not-award",
                 "cannot write as CLR 2.0: a learner's record holds the credentials awarded to "
                 "them, and this one awards nothing (an endorsement)");
        json_decref(docs);
        return 1;
    }
    learner *l = learner_for(w, r, cred);
    char *text = json_dumps(cred, JSON_COMPACT);
    if (!text)
        cc_oom();
    json_array_append_new(l->creds, json_string(text));
    free(text);
    const char *from = json_string_value(json_object_get(cred, "validFrom"));
    if (from && (!l->latest || strcmp(from, l->latest) > 0)) {  /* UTC date-times: as strings */
        free(l->latest);
        l->latest = strdup(from);
    }
    json_t *ach = json_object_get(json_object_get(cred, "credentialSubject"), "achievement");
    if (ach && r->credential->achievement)
        hold(w, l, r->credential->achievement, ach);
    json_decref(docs);
    return 0;
}

/* The learner's record: subject as in the credentials, then what they hold. */
static json_t *learner_subject(const learner *l, bool *partial)
{
    json_t *s = json_object(), *assoc = json_array();
    json_object_set(s, "id", json_object_get(l->subject, "id"));
    json_object_set_new(s, "type", json_pack("[s]", "ClrSubject"));
    json_object_set(s, "identifier", json_object_get(l->subject, "identifier"));
    *partial = false;
    for (size_t i = 0; i < l->nheld; i++) {
        const char *parent = l->held[i].part_of;
        if (!parent)
            continue;
        if (!holds(l, parent)) {
            *partial = true;  /* a block of a certification not (yet) awarded */
            continue;
        }
        for (size_t j = 0; j < l->nheld; j++)
            if (l->held[j].code && strcmp(l->held[j].code, parent) == 0 && l->held[i].id && l->held[j].id)
                json_array_append_new(assoc, association(l->held[i].id, l->held[j].id));
    }
    json_object_set(s, "achievement", l->achievements);
    if (json_array_size(assoc))
        json_object_set(s, "association", assoc);
    json_decref(assoc);
    json_t *creds = json_array(), *text;
    size_t i;
    json_array_foreach(l->creds, i, text)
        json_array_append_new(creds, cc_json_loadb(json_string_value(text), json_string_length(text), 0, NULL));
    json_object_set_new(s, "verifiableCredential", creds);
    return s;
}

/* --status-list: the CLR's own BitstringStatusListEntry, as the ob3 writer gives each nested
 * credential (a verifier checks both: the record revoked as a whole, or one of its awards). */
static int clr_status(clrw *w, json_t *clr, const char *id)
{
    cc_status_ref s;
    if (!w->status_entry)
        return 0;
    if (w->status_entry(w->status_ud, id, &s) != 0)
        return -1;
    char ix[24];
    snprintf(ix, sizeof ix, "%lld", s.index);
    json_t *e = json_pack("{s:s++,s:s,s:s,s:s,s:s}", "id", s.list, "#", ix, "type", "BitstringStatusListEntry",
                          "statusPurpose", s.purpose, "statusListIndex", ix, "statusListCredential", s.list);
    if (!e)
        cc_oom();
    json_object_set_new(clr, "credentialStatus", e);
    return 0;
}

static int write_learner(clrw *w, const learner *l)
{
    const char *issuer_id = json_string_value(json_object_get(l->issuer, "id"));
    char u[37], id[48];
    cc_credential_uuid(issuer_id, "ClrCredential", l->key, "", u);
    snprintf(id, sizeof id, "urn:uuid:%s", u);
    char *name = NULL;
    if (asprintf(&name, "Comprehensive Learner Record of %s", l->name ? l->name : l->key) < 0)
        cc_oom();
    bool partial;
    json_t *clr = l->issuer && l->latest ? clr_frame(id, name, l->issuer, l->latest) : NULL;
    free(name);
    if (!clr) {  /* the ob3 writer gives every credential both: not expected */
        cc_diagf(w->diag, CC_ERROR, l->src_file, l->src_line, 0, l->key, "clr-missing",
                 "cannot write as CLR 2.0: the learner's credentials have no issuer or validFrom");
        return 1;
    }
    json_t *subject = learner_subject(l, &partial);
    json_object_set_new(clr, "partial", json_boolean(partial));
    json_object_set_new(clr, "credentialSubject", subject);
    cc_record where = {.src_file = l->src_file, .src_line = l->src_line};
    int rc = clr_status(w, clr, id) != 0 ? 2 : check(w, clr, &where, l->key);
    if (rc == 0)
        rc = put(w, clr);
    json_decref(clr);
    return rc;
}

static void learner_free(learner *l)
{
    for (size_t i = 0; i < l->nheld; i++) {
        free(l->held[i].code);
        free(l->held[i].id);
        free(l->held[i].part_of);
    }
    free(l->held);
    free(l->key);
    free(l->name);
    free(l->latest);
    json_decref(l->subject);
    json_decref(l->issuer);
    json_decref(l->creds);
    json_decref(l->achievements);
}

/* ------------------------------------------------------------ the writer */

void *cc_clr_writer_open(cc_write_ctx *ctx)
{
    clrw *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->out = ctx->out;
    w->diag = ctx->diag;
    w->ob3 = cc_format_find("ob3");
    w->achievements = json_object();
    w->check = cc_wcheck_for(ctx);
    w->status_entry = ctx->status_entry;
    w->status_ud = ctx->status_ud;
    cc_now(w->now);
    if (!w->ob3) {
        json_decref(w->achievements);
        cc_wcheck_release(&w->check);
        free(w);
        return NULL;
    }
    return w;
}

int cc_clr_writer_record(void *wp, const cc_record *r)
{
    clrw *w = wp;
    return r->kind == CC_REC_ACHIEVEMENT ? write_fiche(w, r) : add_credential(w, r);
}

/* The learners' records, in the order each first appeared. */
int cc_clr_writer_close(void *wp)
{
    clrw *w = wp;
    int rc = 0;
    for (size_t i = 0; i < w->n; i++) {
        int x = rc == 2 ? 2 : write_learner(w, &w->l[i]);
        rc = x > rc ? x : rc;
        learner_free(&w->l[i]);
    }
    free(w->l);
    free(w->index);
    json_decref(w->achievements);
    cc_wcheck_release(&w->check);
    free(w);
    return rc == 2 ? 2 : 0;
}
