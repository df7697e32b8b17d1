#include "cc_jsonw.h"

#include <stdlib.h>
#include <string.h>

#include "credconv/credconv.h"  /* cc_oom: the library's one policy on OOM */

/* gcc 12's -fanalyzer loses the store of realloc's result through b when b was reached
 * through a cc_jw of unknown origin (cc_jw_kstr -> emit_c), and reports the buffer leaked
 * where it is still b->data, which cc_jwbuf_free frees (test_jsonw under make asan:
 * LeakSanitizer finds no leak). */
#if defined(__GNUC__) && !defined(__clang__)  /* clang has no such warning (and says so) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
#endif
void cc_jwbuf_put(cc_jwbuf *b, const char *s, size_t n)
{
    if (b->cap - b->len <= n) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap - b->len <= n)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d)
            cc_oom();
        b->data = d, b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

void cc_jwbuf_free(cc_jwbuf *b)
{
    free(b->data);
    *b = (cc_jwbuf){0};
}

void cc_jw_init(cc_jw *w, FILE *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->first[0] = true;
}

void cc_jw_init_buf(cc_jw *w, cc_jwbuf *b)
{
    cc_jw_init(w, NULL);
    w->buf = b;
}

/* n bytes of s to the buffer or the FILE. */
static void emit(cc_jw *w, const char *s, size_t n)
{
    if (w->buf)
        cc_jwbuf_put(w->buf, s, n);
    else
        fwrite(s, 1, n, w->out);
}

static void emit_c(cc_jw *w, char c)
{
    if (w->buf)
        cc_jwbuf_put(w->buf, &c, 1);
    else
        putc(c, w->out);
}

void cc_jw_put(cc_jw *w, const char *s)
{
    emit(w, s, strlen(s));
}

/* The bytes JSON strings escape: control characters, '"' and '\\'. */
static const unsigned char must_escape[256] = {
    [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1,
    [0x07] = 1, [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1,
    [0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1,
    [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1,
    [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1, ['"'] = 1, ['\\'] = 1};

/* The escape of c (a byte of must_escape other than NUL) into e: its length. */
static size_t escape_of(unsigned char c, char e[7])
{
    static const char hex[] = "0123456789abcdef";
    const char *two = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n"
                    : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;
    if (two) {
        memcpy(e, two, 2);
        return 2;
    }
    memcpy(e, "\\u00", 4);
    e[4] = hex[c >> 4], e[5] = hex[c & 15];
    return 6;
}

/* s as a JSON string body: plain runs in one piece each. */
static void escape_to(cc_jw *w, const char *s)
{
    const char *run = s;
    for (;; s++) {
        unsigned char c = (unsigned char)*s;
        if (!must_escape[c])
            continue;
        emit(w, run, (size_t)(s - run));
        if (!c)
            return;
        char e[7];
        emit(w, e, escape_of(c, e));
        run = s + 1;
    }
}

/* Separator before a value: a comma unless it is the first in its container or follows a key. */
static void sep(cc_jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (!w->first[w->depth])
        emit_c(w, ',');
    w->first[w->depth] = false;
}

static void open(cc_jw *w, char c)
{
    sep(w);
    emit_c(w, c);
    /* Deeper than the model ever nests: clamp so commas stay right at the last level. */
    if (w->depth < CC_JW_MAX_DEPTH - 1)
        w->depth++;
    w->first[w->depth] = true;
}

static void close_(cc_jw *w, char c)
{
    emit_c(w, c);
    if (w->depth > 0)
        w->depth--;
}

void cc_jw_obj(cc_jw *w) { open(w, '{'); }
void cc_jw_obj_end(cc_jw *w) { close_(w, '}'); }
void cc_jw_arr(cc_jw *w) { open(w, '['); }
void cc_jw_arr_end(cc_jw *w) { close_(w, ']'); }

void cc_json_escape(FILE *out, const char *s)
{
    cc_jw w;
    cc_jw_init(&w, out);
    escape_to(&w, s);
}

void cc_jw_key(cc_jw *w, const char *key)
{
    sep(w);
    emit_c(w, '"');
    escape_to(w, key);
    emit(w, "\":", 2);
    w->after_key = true;
}

void cc_jw_str(cc_jw *w, const char *s)
{
    sep(w);
    emit_c(w, '"');
    escape_to(w, s);
    emit_c(w, '"');
}

void cc_jw_int(cc_jw *w, long long v)
{
    sep(w);
    char n[24];
    emit(w, n, (size_t)snprintf(n, sizeof n, "%lld", v));
}

void cc_jw_raw(cc_jw *w, const char *json)
{
    sep(w);
    cc_jw_put(w, json);
}

void cc_jw_bool(cc_jw *w, bool v)
{
    sep(w);
    cc_jw_put(w, v ? "true" : "false");
}

void cc_jw_kstr(cc_jw *w, const char *key, const char *s)
{
    if (!s)
        return;
    cc_jw_key(w, key);
    cc_jw_str(w, s);
}
