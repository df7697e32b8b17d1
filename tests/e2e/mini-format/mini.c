/* The smallest whole format, for docs/ADDING-A-FORMAT.md and tests/e2e/e2e_add_format.sh,
 * which copies it to formats/mini/mini.c of a scratch tree, adds its registry line and
 * builds: a format is one folder and one line.  "mini" is a text file whose first line is
 * "#credconv-mini" and each other line "CODE<TAB>TITLE": one achievement per line. */
#include "credconv/credconv.h"

#include <stdlib.h>
#include <string.h>

#define MINI_MAGIC "#credconv-mini\n"

static int mini_bid(const unsigned char *buf, size_t len)
{
    return len >= strlen(MINI_MAGIC) && !memcmp(buf, MINI_MAGIC, strlen(MINI_MAGIC)) ? 100 : 0;
}

/* One "CODE\tTITLE" line into a record (the sink owns it), or a rejected line. */
static int mini_line(cc_read_ctx *ctx, char *line, long no, long index)
{
    char *tab = strchr(line, '\t');
    if (!tab || tab == line || !tab[1]) {
        cc_diagf(ctx->diag, CC_ERROR, ctx->in->name, no, 1, NULL, "mini-line", "expected CODE<TAB>TITLE");
        return ctx->sink.reject(ctx->sink.ud, ctx->in->name, no, NULL);
    }
    *tab = '\0';
    cc_record *r = cc_record_new(CC_REC_ACHIEVEMENT);
    r->src_file = ctx->in->name, r->src_line = no, r->src_index = index;
    r->achievement->code = cc_strdup(r->arena, line);
    r->achievement->kind = "certification";
    cc_text_add(r->arena, &r->achievement->title, NULL, tab + 1);
    return ctx->sink.record(ctx->sink.ud, r);
}

static int mini_read(cc_read_ctx *ctx)
{
    char buf[4096];
    size_t used = 0, n;
    long no = 0, index = 0;
    int stop = 0;
    while (!stop && (n = cc_input_read(ctx->in, buf + used, sizeof buf - 1 - used)) > 0) {
        used += n;
        char *nl;
        while (!stop && (nl = memchr(buf, '\n', used))) {
            *nl = '\0';
            if (++no > 1 && nl > buf)
                stop = mini_line(ctx, buf, no, ++index);
            used -= (size_t)(nl + 1 - buf);
            memmove(buf, nl + 1, used);
        }
        if (used == sizeof buf - 1) {  /* a line longer than the buffer: refused, not cut */
            cc_diagf(ctx->diag, CC_ERROR, ctx->in->name, no + 1, 1, NULL, "mini-line", "line too long");
            return 1;
        }
    }
    return 0;
}

static void *mini_open(cc_write_ctx *ctx)
{
    fputs(MINI_MAGIC, ctx->out);
    return ctx->out;  /* the writer's whole state: its output */
}

static int mini_record(void *w, const cc_record *r)
{
    const cc_achievement *a = r->achievement;
    const cc_text *t = a ? a->title.head : NULL;  /* the first title, whatever its language */
    if (!a || !a->code || !t)
        return 1;
    fprintf(w, "%s\t%s\n", a->code, t->value);
    return ferror((FILE *)w) ? 2 : 0;
}

static int mini_close(void *w)
{
    return ferror((FILE *)w) ? 2 : 0;
}

const cc_format cc_format_mini = {
    .name = "mini",
    .description = "the minimal example format (docs/ADDING-A-FORMAT.md)",
    .extension = "txt",
    .caps = CC_CAP_READ | CC_CAP_WRITE,
    .bid = mini_bid,
    .read = mini_read,
    .writer_open = mini_open,
    .writer_record = mini_record,
    .writer_close = mini_close,
};
