/* Lexical forms for Object to RDF: the canonical xsd:double form JSON-LD uses (1.1E0,
 * 5.3E-1) and the JSON Canonicalization Scheme (RFC 8785) for rdf:JSON literals. */
#include "jsonld_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* %.15E, then the mantissa's trailing zeros dropped (one digit kept after the point) and
 * the exponent without sign "+" or leading zeros: what JSON-LD processors emit. */
void jl_double_lex(double v, char buf[40])
{
    char tmp[40];
    if (v == 0)
        v = 0;  /* -0 is written as 0 */
    snprintf(tmp, sizeof tmp, "%.15E", v);
    char *e = strchr(tmp, 'E');
    char *end = e;
    while (end > tmp + 1 && end[-1] == '0' && end[-2] != '.')
        end--;
    snprintf(buf, 40, "%.*sE%d", (int)(end - tmp), tmp, atoi(e + 1));
}

/* ------------------------------------------------------------------ JCS */

typedef struct sbuf {
    char *p;
    size_t n, cap;
} sbuf;

static void put(sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        char *p = realloc(b->p, b->cap);
        if (!p)
            cc_oom();
        b->p = p;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void puts_(sbuf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* The shortest digits that read back as v (v > 0): *exp10 is the decimal exponent of the
 * first digit. */
static void shortest_digits(double v, char digits[20], int *exp10)
{
    char tmp[40];
    for (int p = 1; p <= 17; p++) {
        snprintf(tmp, sizeof tmp, "%.*e", p - 1, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    char *e = strchr(tmp, 'e');
    size_t k = 0;
    for (char *s = tmp; s < e; s++)
        if (*s >= '0' && *s <= '9')
            digits[k++] = *s;
    while (k > 1 && digits[k - 1] == '0')
        k--;
    digits[k] = '\0';
    *exp10 = atoi(e + 1);
}

/* ECMAScript Number::toString, which RFC 8785 prescribes for numbers. */
static void put_number(sbuf *b, double v)
{
    if (v == 0) {
        puts_(b, "0");
        return;
    }
    if (v < 0) {
        puts_(b, "-");
        v = -v;
    }
    char d[20], out[64];
    int e10;
    shortest_digits(v, d, &e10);
    int k = (int)strlen(d), n = e10 + 1;
    if (k <= n && n <= 21)
        snprintf(out, sizeof out, "%s%.*s", d, n - k, "000000000000000000000");
    else if (0 < n && n <= 21)
        snprintf(out, sizeof out, "%.*s.%s", n, d, d + n);
    else if (-6 < n && n <= 0)
        snprintf(out, sizeof out, "0.%.*s%s", -n, "000000", d);
    else
        snprintf(out, sizeof out, "%c%s%se%c%d", d[0], k > 1 ? "." : "", d + 1,
                 n - 1 >= 0 ? '+' : '-', abs(n - 1));
    puts_(b, out);
}

static void put_string(sbuf *b, const char *s, size_t n)
{
    puts_(b, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        const char *named = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\b' ? "\\b"
                          : c == '\f' ? "\\f" : c == '\n' ? "\\n" : c == '\r' ? "\\r"
                          : c == '\t' ? "\\t" : NULL;
        if (named) {
            puts_(b, named);
        } else if (c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            puts_(b, esc);
        } else {
            put(b, (const char *)&c, 1);
        }
    }
    puts_(b, "\"");
}

/* The next UTF-16 code unit of a UTF-8 string (jansson guarantees valid UTF-8); *pending
 * holds the low surrogate of a code point above U+FFFF. */
static unsigned next_unit(const unsigned char **s, unsigned *pending)
{
    if (*pending) {
        unsigned u = *pending;
        *pending = 0;
        return u;
    }
    unsigned c = *(*s)++;
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    c &= extra == 3 ? 0x07 : extra == 2 ? 0x0F : extra == 1 ? 0x1F : 0x7F;
    while (extra-- > 0 && **s)
        c = (c << 6) | (*(*s)++ & 0x3F);
    if (c < 0x10000)
        return c;
    c -= 0x10000;
    *pending = 0xDC00 | (c & 0x3FF);
    return 0xD800 | (c >> 10);
}

/* RFC 8785 §3.2.3: object keys in UTF-16 code unit order. */
static int cmp_utf16(const void *a, const void *b)
{
    const unsigned char *x = *(const unsigned char *const *)a;
    const unsigned char *y = *(const unsigned char *const *)b;
    unsigned px = 0, py = 0;
    while ((*x || px) && (*y || py)) {
        unsigned ux = next_unit(&x, &px), uy = next_unit(&y, &py);
        if (ux != uy)
            return ux < uy ? -1 : 1;
    }
    return (*x || px) ? 1 : (*y || py) ? -1 : 0;
}

static int put_json(sbuf *b, const json_t *v, int depth);

static int put_object(sbuf *b, const json_t *v, int depth)
{
    size_t n;
    const char **keys = jl_sorted_keys(v, &n);
    qsort(keys, n, sizeof *keys, cmp_utf16);
    puts_(b, "{");
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (i)
            puts_(b, ",");
        put_string(b, keys[i], strlen(keys[i]));
        puts_(b, ":");
        rc = put_json(b, json_object_get(v, keys[i]), depth + 1);
    }
    puts_(b, "}");
    free(keys);
    return rc;
}

static int put_json(sbuf *b, const json_t *v, int depth)
{
    if (depth > JL_MAX_DEPTH)
        return -1;
    if (json_is_object(v))
        return put_object(b, v, depth);
    if (json_is_array(v)) {
        puts_(b, "[");
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                puts_(b, ",");
            if (put_json(b, json_array_get(v, i), depth + 1) < 0)
                return -1;
        }
        puts_(b, "]");
    } else if (json_is_string(v)) {
        put_string(b, json_string_value(v), json_string_length(v));
    } else if (json_is_number(v)) {
        put_number(b, json_number_value(v));
    } else {
        puts_(b, json_is_true(v) ? "true" : json_is_false(v) ? "false" : "null");
    }
    return 0;
}

/* The RFC 8785 serialization of v, malloc'd; NULL when v nests too deep. */
char *jl_jcs(const json_t *v)
{
    sbuf b = {0};
    puts_(&b, "");
    if (put_json(&b, v, 0) < 0) {
        free(b.p);
        return NULL;
    }
    return b.p;
}
