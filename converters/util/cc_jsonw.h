/* A small streaming JSON writer: keys in the order the caller gives them, no tree built.
 * Internal to credconv (not installed). */
#ifndef CC_JSONW_H
#define CC_JSONW_H

#include <stdbool.h>
#include <stdio.h>

#define CC_JW_MAX_DEPTH 64

/* A growable text buffer a writer can render into instead of a FILE (no stdio call per
 * key and value; a writer keeps one for the run and empties it per record). */
typedef struct cc_jwbuf {
    char *data;   /* NUL-terminated after every write; owned, cc_jwbuf_free */
    size_t len, cap;
} cc_jwbuf;

void cc_jwbuf_put(cc_jwbuf *b, const char *s, size_t n);  /* aborts on OOM, like the arena */
void cc_jwbuf_free(cc_jwbuf *b);

typedef struct cc_jw {
    FILE *out;             /* where the text goes, unless buf is set */
    cc_jwbuf *buf;
    int depth;
    bool first[CC_JW_MAX_DEPTH];  /* nothing written yet at this depth */
    bool after_key;
} cc_jw;

void cc_jw_init(cc_jw *w, FILE *out);
/* The same writer appending to b (which keeps what it has). */
void cc_jw_init_buf(cc_jw *w, cc_jwbuf *b);
/* Text written as is, between values (no separator): newlines, brackets around documents. */
void cc_jw_put(cc_jw *w, const char *s);
void cc_jw_obj(cc_jw *w);
void cc_jw_obj_end(cc_jw *w);
void cc_jw_arr(cc_jw *w);
void cc_jw_arr_end(cc_jw *w);
void cc_jw_key(cc_jw *w, const char *key);
void cc_jw_str(cc_jw *w, const char *s);
void cc_jw_int(cc_jw *w, long long v);
void cc_jw_bool(cc_jw *w, bool v);
/* Already-serialised JSON text as one value; the caller vouches for its syntax (e.g. the
 * output of json_dumps), so a format can carry values it does not model. */
void cc_jw_raw(cc_jw *w, const char *json);
/* key + string, skipped when s is NULL: the common case for optional fields. */
void cc_jw_kstr(cc_jw *w, const char *key, const char *s);
/* Writes s as a JSON string body (no quotes) to out. */
void cc_json_escape(FILE *out, const char *s);

#endif
