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

#endif
