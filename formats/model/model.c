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
    /* The tag is the first key the writer puts out (a hand-edited file may move it): no other
     * format's document has it, so it outbids any other JSON format's marker. */
    return memmem(buf, len, "\"" CC_MODEL_TAG "\"", sizeof CC_MODEL_TAG + 1) ? 100 : 0;
}

typedef struct reading {
    cc_read_ctx *ctx;
    long index;
} reading;

static int emit(void *ud, const json_t *j, long line)
{
    reading *rd = ud;
    cc_read_ctx *ctx = rd->ctx;
    cc_record *r = j ? cc_model_read(j, ctx->in->name, line, ctx->diag) : NULL;  /* NULL: not JSON */
    ++rd->index;
    if (!r)
        return ctx->sink.reject(ctx->sink.ud, ctx->in->name, line, NULL);
    r->src_file = ctx->in->name;
    r->src_line = line;
    r->src_index = rd->index;
    return ctx->sink.record(ctx->sink.ud, r);
}

static int model_read(cc_read_ctx *ctx)
{
    reading rd = {.ctx = ctx};
    return cc_json_records(ctx, emit, &rd);
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
