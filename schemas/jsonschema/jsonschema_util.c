/* Small building blocks for the validator: strings, hash maps, URIs, JSON
   pointers and value comparison. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc_hash.h"
#include "jsonschema_int.h"

/* ---- growable string -------------------------------------------------- */

void ccs_buf_init(ccs_buf *b)
{
    memset(b, 0, sizeof *b);
}

void ccs_buf_free(ccs_buf *b)
{
    free(b->s);
    ccs_buf_init(b);
}

void ccs_buf_add(ccs_buf *b, const char *p, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->oom = 1;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
    if (n)
        memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void ccs_buf_puts(ccs_buf *b, const char *p)
{
    ccs_buf_add(b, p, strlen(p));
}

void ccs_buf_truncate(ccs_buf *b, size_t len)
{
    if (b->s && len <= b->len) {
        b->len = len;
        b->s[len] = '\0';
    }
}

void ccs_buf_ptr_token(ccs_buf *b, const char *name, size_t n)
{
    ccs_buf_add(b, "/", 1);
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        if (name[i] != '~' && name[i] != '/')
            continue;
        ccs_buf_add(b, name + start, i - start);
        ccs_buf_add(b, name[i] == '~' ? "~0" : "~1", 2);
        start = i + 1;
    }
    ccs_buf_add(b, name + start, n - start);
}

void ccs_buf_ptr_index(ccs_buf *b, size_t i)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "/%zu", i);
    ccs_buf_add(b, tmp, (size_t)n);
}

/* ---- hash maps ---------------------------------------------------------- */

static size_t hash_ptr(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdu;
    x ^= x >> 33;
    return (size_t)x;
}

static ccs_sent *smap_slot(ccs_sent *e, size_t cap, const char *key)
{
    size_t i = cc_hash_str(key) & (cap - 1);
    while (e[i].key && strcmp(e[i].key, key) != 0)
        i = (i + 1) & (cap - 1);
    return &e[i];
}

static int smap_grow(ccs_smap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 16;
    ccs_sent *e = calloc(cap, sizeof *e);
    if (!e)
        return -1;
    for (size_t i = 0; i < m->cap; i++)
        if (m->e[i].key)
            *smap_slot(e, cap, m->e[i].key) = m->e[i];
    free(m->e);
    m->e = e;
    m->cap = cap;
    return 0;
}

void *ccs_smap_get(const ccs_smap *m, const char *key)
{
    if (!m->count)
        return NULL;
    return smap_slot(m->e, m->cap, key)->val;
}

int ccs_smap_put(ccs_smap *m, const char *key, void *val)
{
    if ((m->count + 1) * 4 > m->cap * 3 && smap_grow(m) < 0)
        return -1;
    ccs_sent *slot = smap_slot(m->e, m->cap, key);
    if (slot->key)
        return 1;
    slot->key = strdup(key);
    if (!slot->key)
        return -1;
    slot->val = val;
    m->count++;
    return 0;
}

void ccs_smap_free(ccs_smap *m, void (*free_val)(void *))
{
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->e[i].key)
            continue;
        free(m->e[i].key);
        if (free_val)
            free_val(m->e[i].val);
    }
    free(m->e);
    memset(m, 0, sizeof *m);
}

static ccs_pent *pmap_slot(ccs_pent *e, size_t cap, const void *key)
{
    size_t i = hash_ptr(key) & (cap - 1);
    while (e[i].key && e[i].key != key)
        i = (i + 1) & (cap - 1);
    return &e[i];
}

static int pmap_grow(ccs_pmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    ccs_pent *e = calloc(cap, sizeof *e);
    if (!e)
        return -1;
    for (size_t i = 0; i < m->cap; i++)
        if (m->e[i].key)
            *pmap_slot(e, cap, m->e[i].key) = m->e[i];
    free(m->e);
    m->e = e;
    m->cap = cap;
    return 0;
}

void *ccs_pmap_get(const ccs_pmap *m, const void *key)
{
    if (!m->count)
        return NULL;
    return pmap_slot(m->e, m->cap, key)->val;
}

int ccs_pmap_put(ccs_pmap *m, const void *key, void *val)
{
    if ((m->count + 1) * 4 > m->cap * 3 && pmap_grow(m) < 0)
        return -1;
    ccs_pent *slot = pmap_slot(m->e, m->cap, key);
    if (slot->key)
        return 1;
    slot->key = key;
    slot->val = val;
    m->count++;
    return 0;
}

void ccs_pmap_free(ccs_pmap *m, void (*free_val)(void *))
{
    for (size_t i = 0; free_val && i < m->cap; i++)
        if (m->e[i].key)
            free_val(m->e[i].val);
    free(m->e);
    memset(m, 0, sizeof *m);
}

/* ---- URIs --------------------------------------------------------------- */

typedef struct {
    const char *s;
    size_t n;
    int has;
} uri_part;

typedef struct {
    uri_part scheme, auth, path, query, frag;
} uri_parts;

static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static size_t scheme_len(const char *u)
{
    if (!is_alpha(u[0]))
        return 0;
    size_t i = 1;
    while (is_alpha(u[i]) || is_digit(u[i]) || u[i] == '+' || u[i] == '-' || u[i] == '.')
        i++;
    return u[i] == ':' ? i : 0;
}

static void set_part(uri_part *p, const char *s, size_t n)
{
    p->s = s;
    p->n = n;
    p->has = 1;
}

static void uri_parse(const char *u, uri_parts *p)
{
    memset(p, 0, sizeof *p);
    size_t n = scheme_len(u);
    if (n) {
        set_part(&p->scheme, u, n);
        u += n + 1;
    }
    if (u[0] == '/' && u[1] == '/') {
        n = strcspn(u + 2, "/?#");
        set_part(&p->auth, u + 2, n);
        u += 2 + n;
    }
    n = strcspn(u, "?#");
    set_part(&p->path, u, n);
    u += n;
    if (*u == '?') {
        n = strcspn(u + 1, "#");
        set_part(&p->query, u + 1, n);
        u += 1 + n;
    }
    if (*u == '#')
        set_part(&p->frag, u + 1, strlen(u + 1));
}

/* RFC 3986 section 5.2.4, working on a private copy of the path. */
static void remove_dots(const char *in, size_t n, ccs_buf *out)
{
    size_t i = 0;
    while (i < n) {
        const char *p = in + i;
        size_t left = n - i;
        if (left >= 3 && !strncmp(p, "../", 3))
            i += 3;
        else if (left >= 2 && !strncmp(p, "./", 2))
            i += 2;
        else if (left >= 3 && !strncmp(p, "/./", 3))
            i += 2;
        else if (left == 2 && !strncmp(p, "/.", 2)) {
            ccs_buf_add(out, "/", 1);
            i += 2;
        } else if ((left >= 4 && !strncmp(p, "/../", 4)) || (left == 3 && !strncmp(p, "/..", 3))) {
            while (out->len && out->s[out->len - 1] != '/')
                out->len--;
            if (out->len)
                out->len--;
            ccs_buf_truncate(out, out->len);
            if (left == 3) {
                ccs_buf_add(out, "/", 1);
                i += 3;
            } else
                i += 3;
        } else if ((left == 1 && p[0] == '.') || (left == 2 && !strncmp(p, "..", 2)))
            i = n;
        else {
            size_t seg = 1;
            while (seg < left && p[seg] != '/')
                seg++;
            ccs_buf_add(out, p, seg);
            i += seg;
        }
    }
}

static void put_path(ccs_buf *out, const uri_parts *base, const uri_part *rel)
{
    if (rel->n && rel->s[0] == '/') {
        remove_dots(rel->s, rel->n, out);
        return;
    }
    ccs_buf merged;
    ccs_buf_init(&merged);
    if (base->auth.has && base->path.n == 0)
        ccs_buf_add(&merged, "/", 1);
    else {
        size_t keep = base->path.n;
        while (keep && base->path.s[keep - 1] != '/')
            keep--;
        ccs_buf_add(&merged, base->path.s, keep);
    }
    ccs_buf_add(&merged, rel->s, rel->n);
    if (merged.oom)
        out->oom = 1;
    else
        remove_dots(merged.s ? merged.s : "", merged.len, out);
    ccs_buf_free(&merged);
}

static void put_part(ccs_buf *out, const char *prefix, const uri_part *p)
{
    if (!p->has)
        return;
    ccs_buf_puts(out, prefix);
    ccs_buf_add(out, p->s, p->n);
}

char *ccs_uri_resolve(const char *base, const char *ref)
{
    uri_parts b, r;
    uri_parse(base ? base : "", &b);
    uri_parse(ref, &r);
    ccs_buf out;
    ccs_buf_init(&out);
    ccs_buf_add(&out, "", 0);
    const uri_parts *src = &r; /* which reference supplies scheme/authority */
    if (!r.scheme.has) {
        src = r.auth.has ? &r : &b;
        if (b.scheme.has) {
            ccs_buf_add(&out, b.scheme.s, b.scheme.n);
            ccs_buf_add(&out, ":", 1);
        }
    } else {
        ccs_buf_add(&out, r.scheme.s, r.scheme.n);
        ccs_buf_add(&out, ":", 1);
    }
    put_part(&out, "//", &src->auth);
    if (src == &r)
        remove_dots(r.path.s, r.path.n, &out);
    else if (r.path.n)
        put_path(&out, &b, &r.path);
    else
        ccs_buf_add(&out, b.path.s, b.path.n);
    if (src == &b && !r.path.n && !r.query.has)
        put_part(&out, "?", &b.query);
    else
        put_part(&out, "?", &r.query);
    put_part(&out, "#", &r.frag);
    if (out.oom) {
        ccs_buf_free(&out);
        return NULL;
    }
    return out.s;
}

char *ccs_uri_split(const char *uri, char **frag)
{
    const char *hash = strchr(uri, '#');
    size_t n = hash ? (size_t)(hash - uri) : strlen(uri);
    if (frag) {
        *frag = hash ? strdup(hash + 1) : NULL;
        if (hash && !*frag)
            return NULL;
    }
    char *u = malloc(n + 1);
    if (!u) {
        if (frag) {
            free(*frag);
            *frag = NULL;
        }
        return NULL;
    }
    memcpy(u, uri, n);
    u[n] = '\0';
    return u;
}

static int hexval(int c)
{
    if (is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

size_t ccs_percent_decode(char *s)
{
    size_t o = 0;
    for (size_t i = 0; s[i]; i++) {
        int hi, lo;
        if (s[i] == '%' && (hi = hexval(s[i + 1])) >= 0 && (lo = hexval(s[i + 2])) >= 0) {
            s[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else
            s[o++] = s[i];
    }
    s[o] = '\0';
    return o;
}

/* ---- JSON pointers ------------------------------------------------------ */

/* Unescapes one token (~1 -> '/', ~0 -> '~') into tok; returns its length. */
static size_t pointer_token(const char *p, size_t n, char *tok)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '~' && i + 1 < n && (p[i + 1] == '0' || p[i + 1] == '1')) {
            tok[o++] = p[i + 1] == '0' ? '~' : '/';
            i++;
        } else
            tok[o++] = p[i];
    }
    tok[o] = '\0';
    return o;
}

static json_t *pointer_step(json_t *cur, const char *tok, size_t n)
{
    if (json_is_object(cur))
        return json_object_getn(cur, tok, n);
    if (!json_is_array(cur) || n == 0 || (n > 1 && tok[0] == '0'))
        return NULL;
    size_t idx = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(tok[i]) || idx > (SIZE_MAX - 9) / 10)
            return NULL;
        idx = idx * 10 + (size_t)(tok[i] - '0');
    }
    return json_array_get(cur, idx);
}

json_t *ccs_pointer_get(json_t *root, const char *ptr, size_t n)
{
    if (n && ptr[0] != '/')
        return NULL;
    char *tok = malloc(n + 1);
    if (!tok)
        return NULL;
    json_t *cur = root;
    size_t i = 0;
    while (cur && i < n) {
        size_t j = i + 1;
        while (j < n && ptr[j] != '/')
            j++;
        size_t tn = pointer_token(ptr + i + 1, j - i - 1, tok);
        cur = pointer_step(cur, tok, tn);
        i = j;
    }
    free(tok);
    return cur;
}

/* ---- value comparison --------------------------------------------------- */

int ccs_num_cmp(const json_t *a, const json_t *b)
{
    if (json_is_integer(a) && json_is_integer(b)) {
        json_int_t x = json_integer_value(a), y = json_integer_value(b);
        return (x > y) - (x < y);
    }
    /* long double holds every 64-bit integer exactly on x86-64, so mixed
       comparisons do not round the integer side. */
    long double x = json_is_integer(a) ? (long double)json_integer_value(a) : json_real_value(a);
    long double y = json_is_integer(b) ? (long double)json_integer_value(b) : json_real_value(b);
    return (x > y) - (x < y);
}

static int object_equal(const json_t *a, const json_t *b)
{
    if (json_object_size(a) != json_object_size(b))
        return 0;
    const char *key;
    size_t klen;
    json_t *va;
    json_object_keylen_foreach((json_t *)a, key, klen, va)
    {
        const json_t *vb = json_object_getn(b, key, klen);
        if (!vb || !ccs_json_equal(va, vb))
            return 0;
    }
    return 1;
}

int ccs_json_equal(const json_t *a, const json_t *b)
{
    if (json_is_number(a) && json_is_number(b))
        return ccs_num_cmp(a, b) == 0;
    if (json_typeof(a) != json_typeof(b))
        return 0;
    switch (json_typeof(a)) {
    case JSON_STRING:
        return json_string_length(a) == json_string_length(b) &&
               !memcmp(json_string_value(a), json_string_value(b), json_string_length(a));
    case JSON_ARRAY:
        if (json_array_size(a) != json_array_size(b))
            return 0;
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!ccs_json_equal(json_array_get(a, i), json_array_get(b, i)))
                return 0;
        return 1;
    case JSON_OBJECT:
        return object_equal(a, b);
    default:
        return 1;
    }
}

size_t ccs_json_hash(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_INTEGER:
    case JSON_REAL: {
        /* Hash through double so that 1 and 1.0 collide; equal values then
           get compared exactly. */
        /* -0.0 == 0: both hash as 0.0.  (A union, not memcpy: gcc 12's analyzer takes
         * memcpy of a double for a read of uninitialised bytes.) */
        union { double d; uint64_t bits; } u = {.d = json_number_value(v)};
        if (u.d == 0)
            u.d = 0;
        return hash_ptr((const void *)(uintptr_t)(u.bits ^ 0x9e3779b97f4a7c15u));
    }
    case JSON_STRING:
        return cc_hash_bytes(json_string_value(v), json_string_length(v));
    case JSON_ARRAY: {
        size_t h = 0x12345;
        for (size_t i = 0; i < json_array_size(v); i++)
            h = h * 31 + ccs_json_hash(json_array_get(v, i));
        return h;
    }
    case JSON_OBJECT: {
        size_t h = 0x54321;
        const char *key;
        size_t klen;
        json_t *val;
        /* Sum, because member order does not matter for equality. */
        json_object_keylen_foreach((json_t *)v, key, klen, val) h +=
            cc_hash_bytes(key, klen) * 31 + ccs_json_hash(val);
        return h;
    }
    default:
        return (size_t)json_typeof(v) * 0x9e3779b9u;
    }
}

size_t ccs_utf8_length(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += ((unsigned char)s[i] & 0xC0) != 0x80;
    return count;
}

size_t ccs_utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
    if (!n)
        return 0;
    unsigned c = s[0];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (!len || len > n)
        return 0;
    if (len == 1) {
        *cp = c;
        return 1;
    }
    unsigned v = c & (0x7Fu >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    *cp = v;
    return len;
}

typedef struct {
    const json_t *v;
    size_t idx;
    void *iter;
} depth_frame;

/* Next array/object child of f, or NULL when f has none left. */
static const json_t *next_container(depth_frame *f)
{
    for (;;) {
        const json_t *child = NULL;
        if (json_is_array(f->v)) {
            if (f->idx >= json_array_size(f->v))
                return NULL;
            child = json_array_get(f->v, f->idx++);
        } else {
            json_t *obj = (json_t *)f->v;
            f->iter = f->iter ? json_object_iter_next(obj, f->iter) : json_object_iter(obj);
            if (!f->iter)
                return NULL;
            child = json_object_iter_value(f->iter);
        }
        if (json_is_array(child) || json_is_object(child))
            return child;
    }
}

int ccs_json_too_deep(const json_t *v, size_t limit)
{
    if (!json_is_array(v) && !json_is_object(v))
        return 0;
    if (limit == 0)
        return 1;
    depth_frame *st = malloc(limit * sizeof *st);
    if (!st)
        return -1;
    size_t top = 0;
    st[0] = (depth_frame){.v = v};
    int deep = 0;
    for (;;) {
        const json_t *child = next_container(&st[top]);
        if (!child) {
            if (top-- == 0)
                break;
            continue;
        }
        if (top + 1 >= limit) {
            deep = 1;
            break;
        }
        st[++top] = (depth_frame){.v = child};
    }
    free(st);
    return deep;
}
