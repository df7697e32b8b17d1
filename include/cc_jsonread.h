/* Reading a stream of JSON documents (NDJSON, concatenated or pretty-printed) one at a time,
 * with the line each starts on.  Internal to credconv. */
#ifndef CC_JSONREAD_H
#define CC_JSONREAD_H

#include "credconv.h"

#include <jansson.h>

typedef struct cc_json_stream {
    cc_input *in;
    long line;     /* line of the next byte */
    int pushback;  /* -1 when empty */
} cc_json_stream;

void cc_json_stream_init(cc_json_stream *s, cc_input *in);
/* The next document: 1 with *out set (caller decrefs) and *line its first line; 0 at the end;
 * -1 on a syntax error, reported through diag (the stream cannot be resynchronised).
 * Duplicate keys are an error; nesting deeper than jansson's limit is an error. */
int cc_json_stream_next(cc_json_stream *s, json_t **out, long *line, const cc_diag_sink *diag);

/* Calls fn for each document of the input (each element of a top-level array being a
 * document), with the line it starts on, until fn returns non-zero.  Returns 0, or 1 after a
 * syntax error (reported). */
typedef int (*cc_json_doc_fn)(void *ud, const json_t *doc, long line);
int cc_json_each(cc_input *in, const cc_diag_sink *diag, cc_json_doc_fn fn, void *ud);

/* Appends "/key", escaped per RFC 6901, to the JSON pointer in ptr (cap bytes, truncated if
 * need be); returns the old length, to restore with ptr[old] = '\0'. */
size_t cc_ptr_push(char *ptr, size_t cap, const char *key);
size_t cc_ptr_push_index(char *ptr, size_t cap, size_t i);

/* The JSON Schema a reader validates against: ctx->schema_path (--schema), else `bundled`
 * under ctx->schema_dir, registered as `uri`.  NULL (reported) when it cannot be loaded. */
typedef struct cc_schema_set cc_schema_set;
cc_schema_set *cc_schema_load(const cc_read_ctx *ctx, const char *bundled, const char *uri);

#endif
