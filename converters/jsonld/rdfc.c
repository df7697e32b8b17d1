/* RDF Dataset Canonicalization, RDFC-1.0 (W3C Recommendation, 21 May 2024), with SHA-256.
 *
 * Blank nodes are numbered in order of first appearance (subject, object, graph name of each
 * quad in dataset order); every map of the algorithm is keyed by that number.  An identifier
 * issuer is an array over all blank nodes, so copying one (which Hash N-Degree Quads does for
 * every permutation) is two memcpy.
 *
 * Work is bounded twice.  First the calls to Hash N-Degree Quads: the limit the Recommendation
 * suggests, which the test suite's poison graphs trip.  Second, with max calls × 1024 as the
 * budget: the permutations tried plus the related hashes computed (a group of related blank
 * nodes that earlier groups already labelled has n! permutations and needs no call at all),
 * and 4 × recursion depth × blank nodes (each level of the recursion holds a few issuers, each
 * an array over all the blank nodes: this bounds their memory). */
#include "cc_hash.h"
#include "cc_rdf.h"
#include "credconv/credconv.h"

#include <limits.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE SIZE_MAX
#define HEX_MAX (EVP_MAX_MD_SIZE * 2 + 1)
#define DEFAULT_MAX_CALLS 4096UL
#define STEPS_PER_CALL 1024UL
#define POISON_CALLS "too many Hash N-Degree Quads calls (RDFC-1.0 poison limit)"
#define POISON_WORK "too much work in Hash N-Degree Quads (RDFC-1.0 poison limit)"

/* ------------------------------------------------------------ small tools */

static void *xrealloc(void *p, size_t n)
{
    /* malloc for NULL, as realloc would: gcc 12's analyzer takes two realloc(NULL) for a
     * double free. */
    p = p ? realloc(p, n ? n : 1) : malloc(n ? n : 1);
    if (!p) {
        cc_oom();
    }
    return p;
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        cc_oom();
    }
    return p;
}

/* A growable string, always NUL-terminated once anything was put. */
typedef struct {
    char *s;
    size_t n, cap;
} str;

static void str_put(str *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = b->cap ? b->cap : 128;
        while (b->n + n + 1 > b->cap)
            b->cap *= 2;
        b->s = xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void str_puts(str *b, const char *s)
{
    str_put(b, s, strlen(s));
}

/* "_:" prefix number, the label an issuer gave. */
static void str_label(str *b, const char *prefix, size_t number)
{
    char label[48];
    str_put(b, label, (size_t)snprintf(label, sizeof label, "_:%s%zu", prefix, number));
}

static int cmp_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ------------------------------------------------------------ identifier issuers */

/* id[b]: the number issued to blank node b, or NONE; order: blank nodes in issue order. */
typedef struct {
    size_t *id, *order, n, nb;
} issuer;

static void issuer_init(issuer *is, size_t nb)
{
    is->id = xrealloc(NULL, nb * sizeof *is->id);
    is->order = xrealloc(NULL, nb * sizeof *is->order);
    is->n = 0;
    is->nb = nb;
    for (size_t i = 0; i < nb; i++)
        is->id[i] = NONE;
}

static void issuer_copy(issuer *dst, const issuer *src)
{
    issuer_init(dst, src->nb);
    memcpy(dst->id, src->id, src->nb * sizeof *src->id);
    memcpy(dst->order, src->order, src->n * sizeof *src->order);
    dst->n = src->n;
}

static void issuer_free(issuer *is)
{
    free(is->id);
    free(is->order);
    is->id = is->order = NULL;
}

static size_t issue(issuer *is, size_t b)
{
    if (is->id[b] == NONE) {
        is->id[b] = is->n;
        is->order[is->n++] = b;
    }
    return is->id[b];
}

/* ------------------------------------------------------------ the canonicalization state */

typedef struct {
    const char *label;     /* the input label, in the dataset */
    size_t *quads, nq, capq; /* the quads it appears in, each once */
    char hash[HEX_MAX];    /* Hash First Degree Quads */
} bnode;

typedef struct {
    const cc_rdf_dataset *d;
    const EVP_MD *md;
    size_t (*qb)[3];       /* per quad: the blank node of its subject, object, graph, or NONE */
    bnode *bn;
    size_t nb, capb;
    size_t *table, ntable; /* label → blank node, open addressing */
    issuer canon;          /* prefix c14n */
    unsigned long calls, max_calls, steps, max_steps;
    size_t depth;          /* of Hash N-Degree Quads calls */
    char *err;
    size_t errlen;
} state;

static int fail(state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(state *st, const char *fmt, ...)
{
    if (st->err && st->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(st->err, st->errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Counts a unit of work against the bound for permutations and related hashes. */
static int step(state *st)
{
    return ++st->steps > st->max_steps ? fail(st, "%s", POISON_WORK) : 0;
}

static void digest_hex(const state *st, const char *data, size_t len, char out[HEX_MAX])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    if (!EVP_Digest(data, len, md, &n, st->md, NULL)) {
        cc_fatal("message digest failed");
    }
    for (unsigned i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    out[2 * n] = '\0';
}

/* The subject, object or graph name of q (k = 0, 1, 2): where blank nodes may be. */
static cc_rdf_term *component(cc_rdf_quad *q, int k)
{
    return k == 0 ? &q->s : k == 1 ? &q->o : &q->g;
}

/* The number of the blank node labelled `label`, numbering it when it is new. */
static size_t bnode_of(state *st, const char *label)
{
    size_t mask = st->ntable - 1, i = cc_hash_str(label) & mask;
    for (; st->table[i] != NONE; i = (i + 1) & mask)
        if (!strcmp(st->bn[st->table[i]].label, label))
            return st->table[i];
    if (st->nb == st->capb) {
        st->capb = st->capb ? 2 * st->capb : 16;
        st->bn = xrealloc(st->bn, st->capb * sizeof *st->bn);
    }
    st->table[i] = st->nb;
    st->bn[st->nb] = (bnode){.label = label};
    return st->nb++;
}

/* Quad i is one of b's — once, even when it names b twice (then it is already the last). */
static void note_quad(bnode *b, size_t i)
{
    if (b->nq > 0 && b->quads[b->nq - 1] == i)
        return;
    if (b->nq == b->capq) {
        b->capq = b->capq ? 2 * b->capq : 4;
        b->quads = xrealloc(b->quads, b->capq * sizeof *b->quads);
    }
    b->quads[b->nq++] = i;
}

/* The blank node to quads map. */
static void map_blank_nodes(state *st, size_t nquads)
{
    /* At most 3 blank nodes a quad: the table stays at most half full. */
    for (st->ntable = 16; st->ntable < 6 * nquads; st->ntable *= 2)
        ;
    st->table = xrealloc(NULL, st->ntable * sizeof *st->table);
    for (size_t i = 0; i < st->ntable; i++)
        st->table[i] = NONE;
    st->qb = xrealloc(NULL, nquads * sizeof *st->qb);
    for (size_t i = 0; i < nquads; i++) {
        cc_rdf_quad q = *cc_rdf_get(st->d, i);
        for (int k = 0; k < 3; k++) {
            const cc_rdf_term *t = component(&q, k);
            st->qb[i][k] = t->kind == CC_RDF_BLANK ? bnode_of(st, t->value) : NONE;
            if (st->qb[i][k] != NONE)
                note_quad(&st->bn[st->qb[i][k]], i);
        }
    }
}

static void state_free(state *st)
{
    for (size_t i = 0; i < st->nb; i++)
        free(st->bn[i].quads);
    free(st->bn);
    free(st->qb);
    free(st->table);
    issuer_free(&st->canon);
}

/* ------------------------------------------------------------ Hash First Degree Quads */

/* Quad i with every blank node relabelled: `self` as _:a, the others _:z — or, when self is
 * NONE, by their canonical identifiers. */
static char *relabelled_nquads(const state *st, size_t i, size_t self)
{
    cc_rdf_quad q = *cc_rdf_get(st->d, i);
    char names[3][48];
    for (int k = 0; k < 3; k++) {
        size_t b = st->qb[i][k];
        if (b == NONE)
            continue;
        if (self == NONE)
            snprintf(names[k], sizeof names[k], "c14n%zu", st->canon.id[b]);
        else
            snprintf(names[k], sizeof names[k], "%s", b == self ? "a" : "z");
        component(&q, k)->value = names[k];
    }
    return cc_rdf_quad_nquads(&q);
}

static void hash_first_degree(state *st, size_t b)
{
    bnode *n = &st->bn[b];
    char **lines = xrealloc(NULL, n->nq * sizeof *lines);
    for (size_t i = 0; i < n->nq; i++)
        lines[i] = relabelled_nquads(st, n->quads[i], b);
    qsort(lines, n->nq, sizeof *lines, cmp_strings);
    str all = {0};
    for (size_t i = 0; i < n->nq; i++) {
        str_puts(&all, lines[i]);
        free(lines[i]);
    }
    digest_hex(st, all.s, all.n, n->hash);
    free(all.s);
    free(lines);
}

/* ------------------------------------------------------------ Hash Related Blank Node */

static void hash_related(const state *st, size_t related, size_t quad, const issuer *is,
                         char position, char out[HEX_MAX])
{
    str in = {0};
    str_put(&in, &position, 1);
    if (position != 'g') {
        str_puts(&in, "<");
        str_puts(&in, cc_rdf_get(st->d, quad)->p.value);
        str_puts(&in, ">");
    }
    if (st->canon.id[related] != NONE)
        str_label(&in, "c14n", st->canon.id[related]);
    else if (is->id[related] != NONE)
        str_label(&in, "b", is->id[related]);
    else
        str_puts(&in, st->bn[related].hash);
    digest_hex(st, in.s, in.n, out);
    free(in.s);
}

/* ------------------------------------------------------------ Hash N-Degree Quads */

/* An entry of the hash to related blank nodes map. */
typedef struct {
    char hash[HEX_MAX];
    size_t b;
} related;

/* What Hash N-Degree Quads returns: a hash and the issuer that produced it. */
typedef struct {
    char hash[HEX_MAX];
    issuer is;
} ndegree;

static int hash_ndegree(state *st, size_t id, const issuer *in, ndegree *out);

/* By related hash, then blank node number, so a group's first permutation is in ascending
 * order and next_permutation walks them all. */
static int cmp_related(const void *a, const void *b)
{
    const related *x = a, *y = b;
    int c = strcmp(x->hash, y->hash);
    return c ? c : (x->b > y->b) - (x->b < y->b);
}

/* The hash to related blank nodes map, as a sorted list: every blank node other than id in a
 * quad that mentions id, with its related hash; a node met in several quads is listed each
 * time, as the map holds lists. */
static int related_map(state *st, size_t id, const issuer *is, related **out, size_t *count)
{
    const bnode *n = &st->bn[id];
    related *r = xrealloc(NULL, 3 * n->nq * sizeof *r);
    size_t nr = 0;
    for (size_t i = 0; i < n->nq; i++) {
        size_t q = n->quads[i];
        for (int k = 0; k < 3; k++) {
            size_t b = st->qb[q][k];
            if (b == NONE || b == id)
                continue;
            if (step(st) != 0) {
                free(r);
                return -1;
            }
            hash_related(st, b, q, is, "sog"[k], r[nr].hash);
            r[nr++].b = b;
        }
    }
    qsort(r, nr, sizeof *r, cmp_related);
    *out = r;
    *count = nr;
    return 0;
}

/* The next permutation in lexicographic order (repeated elements give each order once). */
static bool next_permutation(size_t *a, size_t n)
{
    size_t i = n;
    while (i > 1 && a[i - 2] >= a[i - 1])
        i--;
    if (i <= 1)
        return false;
    size_t j = n - 1;
    while (a[j] <= a[i - 2])
        j--;
    size_t t = a[i - 2];
    a[i - 2] = a[j], a[j] = t;
    for (size_t lo = i - 1, hi = n - 1; lo < hi; lo++, hi--)
        t = a[lo], a[lo] = a[hi], a[hi] = t;
    return true;
}

/* The permutation loop's early exit: this permutation can no longer beat the chosen path. */
static bool worse(const str *path, const str *chosen)
{
    return chosen->n && path->n >= chosen->n && strcmp(path->s, chosen->s) > 0;
}

/* One permutation of a group, extending path and copy: 1 when pruned, 0 when the path is
 * complete, -1 on the poison limit. */
static int try_permutation(state *st, const size_t *perm, size_t k, issuer *copy, str *path,
                           const str *chosen)
{
    size_t *recursion = xrealloc(NULL, k * sizeof *recursion), nrec = 0;
    int rc = 0;
    for (size_t i = 0; i < k && rc == 0; i++) {
        size_t b = perm[i];
        if (st->canon.id[b] != NONE) {
            str_label(path, "c14n", st->canon.id[b]);
        } else {
            if (copy->id[b] == NONE)
                recursion[nrec++] = b;
            str_label(path, "b", issue(copy, b));
        }
        rc = worse(path, chosen);
    }
    for (size_t i = 0; i < nrec && rc == 0; i++) {
        ndegree res;
        if (hash_ndegree(st, recursion[i], copy, &res) != 0) {
            rc = -1;
            break;
        }
        str_label(path, "b", issue(copy, recursion[i]));
        str_puts(path, "<");
        str_puts(path, res.hash);
        str_puts(path, ">");
        issuer_free(copy);
        *copy = res.is;
        rc = worse(path, chosen);
    }
    free(recursion);
    return rc;
}

/* One group of related blank nodes sharing a hash: appends the least path over their
 * permutations to data, and leaves in *cur the issuer that gave it. */
static int choose_path(state *st, const related *group, size_t k, issuer *cur, str *data)
{
    size_t *perm = xrealloc(NULL, k * sizeof *perm);
    for (size_t i = 0; i < k; i++)
        perm[i] = group[i].b;
    str chosen = {0};
    issuer chosen_is = {0};
    int rc = 0;
    do {
        if ((rc = step(st)) != 0)
            break;
        issuer copy;
        issuer_copy(&copy, cur);
        str path = {0};
        rc = try_permutation(st, perm, k, &copy, &path, &chosen);
        if (rc == 0 && (chosen.n == 0 || strcmp(path.s, chosen.s) < 0)) {
            str t = chosen;
            chosen = path, path = t;
            issuer ti = chosen_is;
            chosen_is = copy, copy = ti;
        }
        free(path.s);
        issuer_free(&copy);
        rc = rc < 0 ? rc : 0;
    } while (rc == 0 && next_permutation(perm, k));
    if (rc == 0) {
        str_put(data, chosen.s, chosen.n);
        issuer_free(cur);
        *cur = chosen_is;
    } else {
        issuer_free(&chosen_is);
    }
    free(chosen.s);
    free(perm);
    return rc;
}

/* Hash N-Degree Quads itself (hash_ndegree below counts the call and the depth first). */
static int ndegree_body(state *st, size_t id, const issuer *in, ndegree *out)
{
    related *rel;
    size_t nrel;
    if (related_map(st, id, in, &rel, &nrel) != 0)
        return -1;
    issuer cur;
    issuer_copy(&cur, in);
    str data = {0};
    int rc = 0;
    for (size_t i = 0, j; i < nrel && rc == 0; i = j) {
        for (j = i + 1; j < nrel && !strcmp(rel[j].hash, rel[i].hash); j++)
            ;
        str_puts(&data, rel[i].hash);
        rc = choose_path(st, rel + i, j - i, &cur, &data);
    }
    if (rc == 0) {
        digest_hex(st, data.s ? data.s : "", data.n, out->hash);
        out->is = cur;
    } else {
        issuer_free(&cur);
    }
    free(data.s);
    free(rel);
    return rc;
}

/* Hash N-Degree Quads: the hash of blank node id's n-degree neighbourhood, labelling
 * unlabelled neighbours on the way; out->is is a new issuer (in is left as it was). */
static int hash_ndegree(state *st, size_t id, const issuer *in, ndegree *out)
{
    if (++st->calls > st->max_calls)
        return fail(st, "%s", POISON_CALLS);
    if ((st->depth + 1) * st->nb > st->max_steps / 4)
        return fail(st, "%s", POISON_WORK);
    st->depth++;
    int rc = ndegree_body(st, id, in, out);
    st->depth--;
    return rc;
}

/* ------------------------------------------------------------ the canonicalization algorithm */

/* A hash path list entry; seq keeps the sort stable, so equal hashes keep the list's order. */
typedef struct {
    ndegree r;
    size_t seq;
} hash_path;

static int cmp_hash_path(const void *a, const void *b)
{
    const hash_path *x = a, *y = b;
    int c = strcmp(x->r.hash, y->r.hash);
    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* One group of blank nodes sharing a first-degree hash: Hash N-Degree Quads from each not yet
 * labelled, then canonical identifiers in the order of the results' hashes. */
static int issue_group(state *st, const size_t *group, size_t k)
{
    hash_path *paths = xcalloc(k, sizeof *paths);
    size_t np = 0;
    int rc = 0;
    for (size_t i = 0; i < k && rc == 0; i++) {
        if (st->canon.id[group[i]] != NONE)
            continue;
        issuer tmp;
        issuer_init(&tmp, st->nb);
        issue(&tmp, group[i]);
        rc = hash_ndegree(st, group[i], &tmp, &paths[np].r);
        issuer_free(&tmp);
        if (rc == 0)
            paths[np].seq = np, np++;
    }
    if (rc == 0) {
        qsort(paths, np, sizeof *paths, cmp_hash_path);
        for (size_t i = 0; i < np; i++)
            for (size_t j = 0; j < paths[i].r.is.n; j++)
                issue(&st->canon, paths[i].r.is.order[j]);
    }
    for (size_t i = 0; i < np; i++)
        issuer_free(&paths[i].r.is);
    free(paths);
    return rc;
}

typedef struct {
    const char *hash;
    size_t b;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = strcmp(x->hash, y->hash);
    return c ? c : (x->b > y->b) - (x->b < y->b);
}

/* The end of the run of equal hashes that starts at ord[i]. */
static size_t run_end(const keyed *ord, size_t n, size_t i)
{
    size_t j = i + 1;
    while (j < n && !strcmp(ord[j].hash, ord[i].hash))
        j++;
    return j;
}

/* A canonical identifier for every blank node: first those whose first-degree hash is unique,
 * in hash order, then the groups that share one. */
static int issue_canonical(state *st)
{
    keyed *ord = xrealloc(NULL, st->nb * sizeof *ord);
    for (size_t b = 0; b < st->nb; b++) {
        hash_first_degree(st, b);
        ord[b] = (keyed){.hash = st->bn[b].hash, .b = b};
    }
    qsort(ord, st->nb, sizeof *ord, cmp_keyed);
    for (size_t i = 0, j; i < st->nb; i = j)
        if ((j = run_end(ord, st->nb, i)) == i + 1)
            issue(&st->canon, ord[i].b);
    size_t *group = xrealloc(NULL, st->nb * sizeof *group);
    int rc = 0;
    for (size_t i = 0, j; i < st->nb && rc == 0; i = j) {
        j = run_end(ord, st->nb, i);
        for (size_t k = i; k < j; k++)
            group[k - i] = ord[k].b;
        if (j - i > 1)
            rc = issue_group(st, group, j - i);
    }
    free(group);
    free(ord);
    return rc;
}

/* The quads relabelled, serialized, sorted, without duplicates. */
static char *serialize(const state *st)
{
    size_t nq = cc_rdf_count(st->d);
    char **lines = xrealloc(NULL, nq * sizeof *lines);
    for (size_t i = 0; i < nq; i++)
        lines[i] = relabelled_nquads(st, i, NONE);
    qsort(lines, nq, sizeof *lines, cmp_strings);
    str out = {0};
    str_put(&out, "", 0);
    for (size_t i = 0; i < nq; i++)
        if (i == 0 || strcmp(lines[i], lines[i - 1]) != 0)
            str_puts(&out, lines[i]);
    for (size_t i = 0; i < nq; i++)
        free(lines[i]);
    free(lines);
    return out.s;
}

static json_t *issued_map(const state *st)
{
    json_t *m = json_object();
    for (size_t b = 0; m && b < st->nb; b++) {
        char v[48];
        snprintf(v, sizeof v, "c14n%zu", st->canon.id[b]);
        json_object_set_new(m, st->bn[b].label, json_string(v));
    }
    return m;
}

/* The algorithm with any hash function (the test suite also has SHA-384 cases). */
static char *canonize_with(const cc_rdf_dataset *d, const EVP_MD *md, unsigned long max_calls,
                           json_t **issued, char *err, size_t errlen)
{
    state st = {.d = d, .md = md, .err = err, .errlen = errlen};
    if (issued)
        *issued = NULL;
    if (!d) {
        fail(&st, "no dataset");
        return NULL;
    }
    st.max_calls = max_calls ? max_calls : DEFAULT_MAX_CALLS;
    st.max_steps = st.max_calls > ULONG_MAX / STEPS_PER_CALL ? ULONG_MAX
                 : st.max_calls * STEPS_PER_CALL;
    map_blank_nodes(&st, cc_rdf_count(d));
    issuer_init(&st.canon, st.nb);
    char *out = NULL;
    if (issue_canonical(&st) == 0) {
        out = serialize(&st);
        if (issued)
            *issued = issued_map(&st);
    }
    state_free(&st);
    return out;
}

char *cc_rdfc_canonize(const cc_rdf_dataset *d, unsigned long max_ndegree_calls, json_t **issued,
                       char *err, size_t errlen)
{
    return canonize_with(d, EVP_sha256(), max_ndegree_calls, issued, err, errlen);
}
