#include "cc_jsonread.h"

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
