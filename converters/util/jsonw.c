#include "cc_jsonw.h"

#include <string.h>

void cc_jw_init(cc_jw *w, FILE *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->first[0] = true;
}

/* Separator before a value: a comma unless it is the first in its container or follows a key. */
static void sep(cc_jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (!w->first[w->depth])
        putc(',', w->out);
    w->first[w->depth] = false;
}

static void open(cc_jw *w, char c)
{
    sep(w);
    putc(c, w->out);
    /* Deeper than the model ever nests: clamp so commas stay right at the last level. */
    if (w->depth < CC_JW_MAX_DEPTH - 1)
        w->depth++;
    w->first[w->depth] = true;
}

static void close_(cc_jw *w, char c)
{
    putc(c, w->out);
    if (w->depth > 0)
        w->depth--;
}

void cc_jw_obj(cc_jw *w) { open(w, '{'); }
void cc_jw_obj_end(cc_jw *w) { close_(w, '}'); }
void cc_jw_arr(cc_jw *w) { open(w, '['); }
void cc_jw_arr_end(cc_jw *w) { close_(w, ']'); }

void cc_json_escape(FILE *out, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        fwrite(run, 1, (size_t)(s - run), out);
        run = s + 1;
        switch (c) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            fputs("\\u00", out);
            putc(hex[c >> 4], out);
            putc(hex[c & 15], out);
        }
    }
    fwrite(run, 1, (size_t)(s - run), out);
}

void cc_jw_key(cc_jw *w, const char *key)
{
    sep(w);
    putc('"', w->out);
    cc_json_escape(w->out, key);
    fputs("\":", w->out);
    w->after_key = true;
}

void cc_jw_str(cc_jw *w, const char *s)
{
    sep(w);
    putc('"', w->out);
    cc_json_escape(w->out, s);
    putc('"', w->out);
}

void cc_jw_int(cc_jw *w, long long v)
{
    sep(w);
    fprintf(w->out, "%lld", v);
}

void cc_jw_raw(cc_jw *w, const char *json)
{
    sep(w);
    fputs(json, w->out);
}

void cc_jw_bool(cc_jw *w, bool v)
{
    sep(w);
    fputs(v ? "true" : "false", w->out);
}

void cc_jw_kstr(cc_jw *w, const char *key, const char *s)
{
    if (!s)
        return;
    cc_jw_key(w, key);
    cc_jw_str(w, s);
}
