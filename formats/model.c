/* Format "model": the common model as JSON, one record per line (NDJSON); a reader also
 * takes concatenated or pretty-printed objects, and a top-level array of records. */
#include "cc_jsonread.h"
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
    cc_json_stream js;
    cc_json_stream_init(&js, ctx->in);
    long index = 0, line;
    json_t *j;
    int got;
    while ((got = cc_json_stream_next(&js, &j, &line, ctx->diag)) > 0) {
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
    return got < 0 ? 1 : 0;
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
