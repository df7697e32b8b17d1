#include "cc_jsonread.h"
#include "jsonschema.h"

#include <string.h>

void cc_json_stream_init(cc_json_stream *s, cc_input *in)
{
    s->in = in;
    s->line = 1;
    s->pushback = -1;
}

static int stream_getc(cc_json_stream *s)
{
    unsigned char c;
    if (s->pushback >= 0) {
        c = (unsigned char)s->pushback;
        s->pushback = -1;
    } else if (cc_input_read(s->in, &c, 1) != 1) {
        return EOF;
    }
    if (c == '\n')
        s->line++;
    return c;
}

/* jansson stops right after a value's last byte only if it is fed one byte at a time. */
static size_t feed(void *buf, size_t buflen, void *data)
{
    if (buflen == 0)
        return 0;
    int c = stream_getc(data);
    if (c == EOF)
        return 0;
    *(unsigned char *)buf = (unsigned char)c;
    return 1;
}

/* Skips white space (and a UTF-8 byte-order mark); false at the end of the input. */
static bool skip_space(cc_json_stream *s)
{
    int c;
    while ((c = stream_getc(s)) != EOF) {
        if (c == 0xEF || c == 0xBB || c == 0xBF || strchr(" \t\r\n", c))
            continue;
        s->pushback = c;
        return true;
    }
    return false;
}

int cc_json_stream_next(cc_json_stream *s, json_t **out, long *line, const cc_diag_sink *diag)
{
    *out = NULL;
    if (!skip_space(s))
        return 0;
    *line = s->line;
    json_error_t err;
    *out = json_load_callback(feed, s, JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &err);
    if (*out)
        return 1;
    cc_diagf(diag, CC_ERROR, s->in->name, *line + err.line - 1, err.column, NULL, "json-syntax",
             "%s", err.text);
    return -1;
}

int cc_json_each(cc_input *in, const cc_diag_sink *diag, cc_json_doc_fn fn, void *ud)
{
    cc_json_stream js;
    cc_json_stream_init(&js, in);
    long line;
    json_t *j;
    int got, stop = 0;
    while (!stop && (got = cc_json_stream_next(&js, &j, &line, diag)) > 0) {
        size_t n = json_is_array(j) ? json_array_size(j) : 1;
        for (size_t i = 0; i < n && !stop; i++)
            stop = fn(ud, json_is_array(j) ? json_array_get(j, i) : j, line);
        json_decref(j);
    }
    return !stop && got < 0 ? 1 : 0;
}

size_t cc_ptr_push(char *ptr, size_t cap, const char *key)
{
    size_t old = strlen(ptr), n = old;
    if (n + 1 < cap)
        ptr[n++] = '/';
    for (; *key && n + 2 < cap; key++) {
        if (*key == '~' || *key == '/') {
            ptr[n++] = '~';
            ptr[n++] = *key == '~' ? '0' : '1';
        } else {
            ptr[n++] = *key;
        }
    }
    ptr[n] = '\0';
    return old;
}

size_t cc_ptr_push_index(char *ptr, size_t cap, size_t i)
{
    char k[24];
    snprintf(k, sizeof k, "%zu", i);
    return cc_ptr_push(ptr, cap, k);
}

cc_schema_set *cc_schema_load(const cc_read_ctx *ctx, const char *bundled, const char *uri)
{
    char path[4096], err[512];
    if (ctx->schema_path)
        snprintf(path, sizeof path, "%s", ctx->schema_path);
    else
        snprintf(path, sizeof path, "%s/%s", ctx->schema_dir ? ctx->schema_dir : ".", bundled);
    cc_schema_set *set = cc_schema_set_new();
    if (set && cc_schema_set_add_file(set, path, uri, err, sizeof err) == 0)
        return set;
    cc_diagf(ctx->diag, CC_ERROR, path, 0, 0, NULL, "schema-load", "cannot load the schema: %s",
             set ? err : "out of memory");
    cc_schema_set_free(set);
    return NULL;
}
