/* Format "model": the common model as JSON, one record per line (NDJSON); a reader also
 * takes concatenated or pretty-printed objects, and a top-level array of records. */
#include "cc_model_json.h"

#include <stdlib.h>
#include <string.h>

static int model_bid(const unsigned char *buf, size_t len)
{
    size_t i = 0;
    while (i < len && strchr(" \t\r\n[", buf[i]))
        i++;
    if (i >= len || buf[i] != '{')
        return 0;
    /* The tag is the first key the writer puts out; a hand-edited file may move it. */
    return memmem(buf, len, "\"" CC_MODEL_TAG "\"", sizeof CC_MODEL_TAG + 1) ? 90 : 0;
}

typedef struct feed {
    cc_input *in;
    long line;      /* line of the next byte */
    int pushback;   /* -1 when empty */
} feed;

static int feed_getc(feed *f)
{
    unsigned char c;
    if (f->pushback >= 0) {
        c = (unsigned char)f->pushback;
        f->pushback = -1;
    } else if (cc_input_read(f->in, &c, 1) != 1) {
        return EOF;
    }
    if (c == '\n')
        f->line++;
    return c;
}

/* jansson stops right after a value's last byte only if it is fed one byte at a time. */
static size_t feed_cb(void *buf, size_t buflen, void *data)
{
    if (buflen == 0)
        return 0;
    int c = feed_getc(data);
    if (c == EOF)
        return 0;
    *(unsigned char *)buf = (unsigned char)c;
    return 1;
}

/* Skips white space; false at end of input. */
static bool skip_space(feed *f)
{
    int c;
    while ((c = feed_getc(f)) != EOF) {
        if (!strchr(" \t\r\n", c)) {
            if (c == '\n')
                f->line--;
            f->pushback = c;
            return true;
        }
    }
    return false;
}

static int emit(cc_read_ctx *ctx, const json_t *j, long line, long *index)
{
    cc_record *r = cc_model_read(j, ctx->in->name, line, ctx->diag);
    ++*index;
    if (!r) {
        return ctx->sink.reject(ctx->sink.ud, ctx->in->name, line, NULL);
    }
    r->src_file = ctx->in->name;
    r->src_line = line;
    r->src_index = *index;
    return ctx->sink.record(ctx->sink.ud, r);
}

static int model_read(cc_read_ctx *ctx)
{
    feed f = {ctx->in, 1, -1};
    long index = 0;
    while (skip_space(&f)) {
        long line = f.line;
        json_error_t err;
        json_t *j = json_load_callback(feed_cb, &f,
                                       JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &err);
        if (!j) {
            cc_diagf(ctx->diag, CC_ERROR, ctx->in->name, line + err.line - 1, err.column, NULL,
                     "json-syntax", "%s", err.text);
            return 1;  /* the rest of the stream cannot be resynchronised */
        }
        int stop = 0;
        if (json_is_array(j)) {
            size_t i;
            json_t *e;
            json_array_foreach(j, i, e) {
                if ((stop = emit(ctx, e, line, &index)) != 0)
                    break;
            }
        } else {
            stop = emit(ctx, j, line, &index);
        }
        json_decref(j);
        if (stop)
            return 0;
    }
    return 0;
}

typedef struct model_writer {
    FILE *out;
} model_writer;

static void *model_open(cc_write_ctx *ctx)
{
    model_writer *w = calloc(1, sizeof *w);
    if (w)
        w->out = ctx->out;
    return w;
}

static int model_record(void *wp, const cc_record *r)
{
    model_writer *w = wp;
    cc_jw jw;
    cc_jw_init(&jw, w->out);
    cc_model_write(&jw, r);
    putc('\n', w->out);
    return ferror(w->out) ? 2 : 0;
}

static int model_close(void *w)
{
    free(w);
    return 0;
}

const cc_format cc_format_model = {
    .name = "model",
    .description = "credconv common model as JSON (NDJSON, one record per line)",
    .extension = "json",
    .caps = CC_CAP_READ | CC_CAP_WRITE,
    .bid = model_bid,
    .read = model_read,
    .writer_open = model_open,
    .writer_record = model_record,
    .writer_close = model_close,
};
