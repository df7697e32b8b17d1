/* A fast path for the JSON that credconv reads most: well-formed documents of objects, arrays,
 * strings, integers and literals.  It builds the same jansson values jansson's own loader
 * would (members in document order), but scans each string in one pass instead of one
 * indirect call per byte.  Whatever it is not sure of -- any syntax error, a duplicate key, a
 * real number, an integer of more than 18 digits, \u0000, a control character, bytes that are
 * not UTF-8, nesting past jansson's limit, flags other than REJECT_DUPLICATES -- makes it
 * give up (NULL), and the caller asks jansson, whose value or error message is then the one
 * credconv always gave. */
#include "cc_jsonfast.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FAST_MAX_DEPTH 1024  /* well inside jansson's JSON_PARSER_MAX_DEPTH (2048) */

typedef struct fp {
    const unsigned char *p, *end;
    int depth;
    char *tmp;        /* an unescaped string (malloc'd, grown) */
    size_t tmpcap;
} fp;

static json_t *value(fp *f);

static void skip_ws(fp *f)
{
    while (f->p < f->end && (*f->p == ' ' || *f->p == '\n' || *f->p == '\r' || *f->p == '\t'))
        f->p++;
}

/* Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong form, no surrogate,
 * nothing past U+10FFFF, as jansson checks), 0 when it is not one. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (!n || c > 0xF4 || (size_t)(end - p) < n)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F) || (c == 0xF0 && p[1] < 0x90) ||
        (c == 0xF4 && p[1] > 0x8F))
        return 0;
    return n;
}

static int hex4(const unsigned char *p, const unsigned char *end, unsigned *out)
{
    if (end - p < 4)
        return -1;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = p[i], d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                             : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 16;
        if (d > 15)
            return -1;
        v = v * 16 + d;
    }
    *out = v;
    return 0;
}

static int tmp_put(fp *f, size_t *len, const void *b, size_t n)
{
    if (n == 0)
        return 0;  /* nothing to copy (tmp may not exist yet) */
    if (*len + n > f->tmpcap) {
        size_t cap = (*len + n) * 2 + 64;
        char *t = realloc(f->tmp, cap);
        if (!t)
            return -1;
        f->tmp = t, f->tmpcap = cap;
    }
    memcpy(f->tmp + *len, b, n);
    *len += n;
    return 0;
}

/* One escape after the backslash at f->p; appended to tmp.  -1: give up. */
static int escape(fp *f, size_t *len)
{
    const unsigned char *p = f->p + 1;
    if (p >= f->end)
        return -1;
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *k = *p ? strchr(from, *p) : NULL;
    if (k) {
        f->p = p + 1;
        return tmp_put(f, len, &to[k - from], 1);
    }
    unsigned u, lo;
    if (*p != 'u' || hex4(p + 1, f->end, &u) || u == 0 || (u >= 0xDC00 && u <= 0xDFFF))
        return -1;
    p += 5;
    if (u >= 0xD800 && u <= 0xDBFF) {  /* a pair, or jansson's error */
        if (f->end - p < 6 || p[0] != '\\' || p[1] != 'u' || hex4(p + 2, f->end, &lo) ||
            lo < 0xDC00 || lo > 0xDFFF)
            return -1;
        u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        p += 6;
    }
    unsigned char b[4];
    size_t n = u < 0x80 ? 1 : u < 0x800 ? 2 : u < 0x10000 ? 3 : 4;
    if (n == 1)
        b[0] = (unsigned char)u;
    else if (n == 2)
        b[0] = (unsigned char)(0xC0 | (u >> 6)), b[1] = (unsigned char)(0x80 | (u & 0x3F));
    else if (n == 3)
        b[0] = (unsigned char)(0xE0 | (u >> 12)), b[1] = (unsigned char)(0x80 | ((u >> 6) & 0x3F)),
        b[2] = (unsigned char)(0x80 | (u & 0x3F));
    else
        b[0] = (unsigned char)(0xF0 | (u >> 18)), b[1] = (unsigned char)(0x80 | ((u >> 12) & 0x3F)),
        b[2] = (unsigned char)(0x80 | ((u >> 6) & 0x3F)), b[3] = (unsigned char)(0x80 | (u & 0x3F));
    f->p = p;
    return tmp_put(f, len, b, n);
}

/* The string at f->p (its opening quote): *s and *n point into the input when it has no
 * escape, else into f->tmp.  -1: give up. */
static int string(fp *f, const char **s, size_t *n)
{
    const unsigned char *start = ++f->p;
    size_t len = 0;
    bool esc = false;
    while (f->p < f->end) {
        const unsigned char *run = f->p;  /* plain bytes, copied in one go once escaped */
        while (f->p < f->end) {
            unsigned c = *f->p;
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                f->p++;
            } else if (c >= 0x80) {
                size_t u = utf8_len(f->p, f->end);
                if (!u)
                    return -1;
                f->p += u;
            } else {
                break;
            }
        }
        if (esc && tmp_put(f, &len, run, (size_t)(f->p - run)) < 0)
            return -1;
        if (f->p >= f->end || *f->p < 0x20)
            return -1;
        if (*f->p == '"') {
            if (esc)
                *s = f->tmp, *n = len;
            else
                *s = (const char *)start, *n = (size_t)(f->p - start);
            f->p++;
            return 0;
        }
        if (!esc && tmp_put(f, &len, start, (size_t)(f->p - start)) < 0)
            return -1;
        esc = true;
        if (escape(f, &len) < 0)
            return -1;
    }
    return -1;
}

/* An integer of at most 18 digits (no fraction, no exponent, no leading zero). */
static json_t *number(fp *f)
{
    const unsigned char *p = f->p;
    bool neg = p < f->end && *p == '-';
    p += neg;
    const unsigned char *d = p;
    long long v = 0;
    while (p < f->end && *p >= '0' && *p <= '9' && p - d < 18)  /* 18 digits cannot overflow */
        v = v * 10 + (*p++ - '0');
    size_t n = (size_t)(p - d);
    if (!n || (n > 1 && *d == '0'))
        return NULL;
    if (p < f->end && (*p == '.' || *p == 'e' || *p == 'E' || (*p >= '0' && *p <= '9')))
        return NULL;
    f->p = p;
    return json_integer(neg ? -v : v);
}

static json_t *literal(fp *f, const char *word, json_t *v)
{
    size_t n = strlen(word);
    if ((size_t)(f->end - f->p) < n || memcmp(f->p, word, n))
        return NULL;
    f->p += n;
    return v;
}

static json_t *object(fp *f)
{
    json_t *o = json_object();
    f->p++;
    skip_ws(f);
    if (f->p < f->end && *f->p == '}') {
        f->p++;
        return o;
    }
    for (;;) {
        const char *k;
        size_t kn;
        if (f->p >= f->end || *f->p != '"' || string(f, &k, &kn) < 0)
            break;
        skip_ws(f);
        if (f->p >= f->end || *f->p != ':')
            break;
        f->p++;
        if (json_object_getn(o, k, kn))
            break;  /* a duplicate: jansson's error */
        /* a key unescaped into tmp is kept apart: the value's strings reuse tmp */
        char small[256], *key = NULL;
        if (k == f->tmp) {
            key = kn < sizeof small ? small : malloc(kn + 1);
            if (!key)
                break;
            memcpy(key, k, kn);
            key[kn] = '\0';
            k = key;
        }
        json_t *v = value(f);
        int rc = v ? json_object_setn_new_nocheck(o, k, kn, v) : -1;
        if (key && key != small)
            free(key);
        if (rc < 0)
            break;
        skip_ws(f);
        if (f->p < f->end && *f->p == ',') {
            f->p++;
            skip_ws(f);
            continue;
        }
        if (f->p < f->end && *f->p == '}') {
            f->p++;
            return o;
        }
        break;
    }
    json_decref(o);
    return NULL;
}

static json_t *array(fp *f)
{
    json_t *a = json_array();
    f->p++;
    skip_ws(f);
    if (f->p < f->end && *f->p == ']') {
        f->p++;
        return a;
    }
    for (;;) {
        json_t *v = value(f);
        if (!v || json_array_append_new(a, v) < 0)
            break;
        skip_ws(f);
        if (f->p < f->end && *f->p == ',') {
            f->p++;
            continue;
        }
        if (f->p < f->end && *f->p == ']') {
            f->p++;
            return a;
        }
        break;
    }
    json_decref(a);
    return NULL;
}

static json_t *value(fp *f)
{
    skip_ws(f);
    if (f->p >= f->end)
        return NULL;
    json_t *v = NULL;
    const char *s;
    size_t n;
    switch (*f->p) {
    case '{':
    case '[':
        if (++f->depth > FAST_MAX_DEPTH)
            return NULL;
        v = *f->p == '{' ? object(f) : array(f);
        f->depth--;
        return v;
    case '"':
        return string(f, &s, &n) < 0 ? NULL : json_stringn_nocheck(s, n);
    case 't':
        return literal(f, "true", json_true());
    case 'f':
        return literal(f, "false", json_false());
    case 'n':
        return literal(f, "null", json_null());
    default:
        return number(f);
    }
}

json_t *cc_json_fast_parse(const char *buf, size_t len, size_t flags)
{
    if ((flags & ~(size_t)JSON_REJECT_DUPLICATES) != 0)
        return NULL;
    fp f = {.p = (const unsigned char *)buf, .end = (const unsigned char *)buf + len};
    skip_ws(&f);
    json_t *v = f.p < f.end && (*f.p == '{' || *f.p == '[') ? value(&f) : NULL;
    skip_ws(&f);
    if (v && f.p != f.end) {  /* something after the document: jansson says what */
        json_decref(v);
        v = NULL;
    }
    free(f.tmp);
    return v;
}

/* ------------------------------------------------------------ output */

/* json_dumps(v, JSON_COMPACT) as jansson 2.14 writes it: members in their order, separators
 * without spaces, strings escaped as its dump_string does (\" \\ \b \f \n \r \t, other
 * control characters \u00XX, the rest as is).  A real number (its formatting is jansson's
 * own) or a string that is not UTF-8 makes the fast path give up to json_dumps. */
typedef struct out {
    char *p;
    size_t len, cap;
} out;

static int put_bytes(out *o, const void *b, size_t n)
{
    if (o->len + n + 1 > o->cap) {
        size_t cap = (o->len + n + 1) * 2 + 256;
        char *p = realloc(o->p, cap);
        if (!p)
            return -1;
        o->p = p, o->cap = cap;
    }
    memcpy(o->p + o->len, b, n);
    o->len += n;
    return 0;
}

static int put_string(out *o, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n, *run = p;
    if (put_bytes(o, "\"", 1) < 0)
        return -1;
    while (p < end) {
        unsigned c = *p;
        if (c >= 0x20 && c != '"' && c != '\\') {
            size_t u = c < 0x80 ? 1 : utf8_len(p, end);
            if (!u)
                return -1;
            p += u;
            continue;
        }
        char seq[8];
        const char *t = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\b' ? "\\b" : c == '\f' ? "\\f"
                        : c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;
        if (!t) {
            snprintf(seq, sizeof seq, "\\u%04X", c);
            t = seq;
        }
        if (put_bytes(o, run, (size_t)(p - run)) < 0 || put_bytes(o, t, strlen(t)) < 0)
            return -1;
        run = ++p;
    }
    return put_bytes(o, run, (size_t)(p - run)) < 0 || put_bytes(o, "\"", 1) < 0 ? -1 : 0;
}

static int put_value(out *o, const json_t *v, int depth)
{
    char num[32];
    if (depth > FAST_MAX_DEPTH)
        return -1;
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *k;
        size_t kn;
        json_t *m;
        bool first = true;
        if (put_bytes(o, "{", 1) < 0)
            return -1;
        json_object_keylen_foreach((json_t *)v, k, kn, m) {
            if ((!first && put_bytes(o, ",", 1) < 0) || put_string(o, k, kn) < 0 ||
                put_bytes(o, ":", 1) < 0 || put_value(o, m, depth + 1) < 0)
                return -1;
            first = false;
        }
        return put_bytes(o, "}", 1);
    }
    case JSON_ARRAY:
        if (put_bytes(o, "[", 1) < 0)
            return -1;
        for (size_t i = 0; i < json_array_size(v); i++)
            if ((i && put_bytes(o, ",", 1) < 0) || put_value(o, json_array_get(v, i), depth + 1) < 0)
                return -1;
        return put_bytes(o, "]", 1);
    case JSON_STRING:
        return put_string(o, json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return put_bytes(o, num, strlen(num));
    case JSON_TRUE:
        return put_bytes(o, "true", 4);
    case JSON_FALSE:
        return put_bytes(o, "false", 5);
    case JSON_NULL:
        return put_bytes(o, "null", 4);
    default:
        return -1;  /* a real */
    }
}

char *cc_json_dumps_compact(const json_t *v)
{
    out o = {0};
    if ((json_is_object(v) || json_is_array(v)) && put_value(&o, v, 1) == 0) {
        o.p[o.len] = '\0';
        return o.p;
    }
    free(o.p);
    return json_dumps(v, JSON_COMPACT);
}
