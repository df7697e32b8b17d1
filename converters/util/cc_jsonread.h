/* Reading a stream of JSON documents (NDJSON, concatenated or pretty-printed) one at a time,
 * with the line each starts on.  Internal to credconv. */
#ifndef CC_JSONREAD_H
#define CC_JSONREAD_H

#include "credconv/credconv.h"

#include <jansson.h>

/* ------------------------------------------------------------ the one JSON loader
 *
 * Every JSON document credconv reads goes through cc_json_parse, so every one is read the
 * same way (docs/security.md, "JSON"):
 * - duplicate object keys are an error (JSON_REJECT_DUPLICATES is always added): parsers
 *   disagree on which value wins, so a signer and a verifier could see two documents;
 * - \u0000 in a string or a key is an error (JSON_ALLOW_NUL is never given) and integers
 *   beyond 64 bits are an error ("too big integer"): read as they are written or refused;
 * - a document is at most max_size bytes (0: CC_JSON_MAX_SIZE_DEFAULT; --max-json-size), and
 *   what jansson will allocate for it, estimated from its tokens before parsing, is at most
 *   CC_JSON_MEM_RATIO × max_size: a document of small values ({} costs jansson 78 times its
 *   size) is refused before the memory is used, not after;
 * - when the memory the estimate asks for cannot be had, the error says "out of memory"
 *   (cc_json_oom) and nothing else was allocated.
 * Errors come with jansson's line and column (err->line, err->column). */
#define CC_JSON_MAX_SIZE_DEFAULT ((size_t)16 << 20)
#define CC_JSON_MEM_RATIO 8

json_t *cc_json_parse(const char *buf, size_t len, size_t flags, size_t max_size,
                      json_error_t *err);
/* The same with the default size cap, for the call sites of json_loadb, json_loads and
 * json_load_file (err may be NULL). */
json_t *cc_json_loadb(const char *buf, size_t len, size_t flags, json_error_t *err);
/* A JSON-LD value that is a string or an array of strings (a `type`, an `@context`): whether
 * s is one of them, and the i-th string (a lone string is the 0-th; NULL past the end). */
bool cc_json_has_str(const json_t *v, const char *s);
const char *cc_json_nth_str(const json_t *v, size_t i);
json_t *cc_json_loads(const char *s, size_t flags, json_error_t *err);
json_t *cc_json_load_file(const char *path, size_t flags, json_error_t *err);
/* cc_json_loadb that reports its error through diag, as file:line:col with a rule. */
json_t *cc_json_load_diag(const char *buf, size_t len, size_t flags, const cc_diag_sink *diag,
                          const char *file);
/* The rule of a loader error: json-memory, json-too-large or json-syntax. */
const char *cc_json_error_rule(const json_error_t *err);
bool cc_json_oom(const json_error_t *err);

/* The allocator main() installs with json_set_alloc_funcs (see there): malloc, except that a
 * failure ends the process with exit status 2 and a message instead of returning NULL, which
 * jansson's lexer ignores (it drops bytes and reads on: a crash, a spin or a false error). */
void *cc_json_malloc(size_t n);

/* ------------------------------------------------------------ a stream of documents
 *
 * NDJSON, concatenated or pretty-printed documents.  Each document is framed (its bytes
 * found by a scan of brackets and strings) before it is parsed, so one that cannot be read
 * is reported and skipped and the next is read: a broken document ends where its brackets
 * close, at a raw newline inside a string (never valid JSON), or at the first line inside
 * it that starts with { or [ (where the next NDJSON record or pretty-printed document
 * starts); the rest of the line it ends on is skipped with it. */
typedef struct cc_json_stream {
    cc_input *in;
    size_t max_size;   /* per document; 0: CC_JSON_MAX_SIZE_DEFAULT */
    char *buf;         /* bytes read, not yet consumed: buf[pos..len) */
    size_t pos, len, cap;
    long line, col;    /* of buf[pos] */
    unsigned long long consumed;  /* bytes consumed in all: each call must move it on */
    bool eof, started;
} cc_json_stream;

void cc_json_stream_init(cc_json_stream *s, cc_input *in, size_t max_size);
void cc_json_stream_free(cc_json_stream *s);
/* The next document: 1 with *out set (caller decrefs) and *line its first line; 0 at the
 * end; -1 after a document that could not be read (reported through diag, *line set: the
 * stream goes on with the next); -2 the same when it was for want of memory. */
int cc_json_stream_next(cc_json_stream *s, json_t **out, long *line, const cc_diag_sink *diag);

/* Calls fn for each document of the input (each element of a top-level array being a
 * document), with the line it starts on, until fn returns non-zero.  Documents that cannot
 * be read are reported and skipped.  Returns 0, 1 when one could not be read, 2 when that
 * was for want of memory. */
typedef int (*cc_json_doc_fn)(void *ud, const json_t *doc, long line);
int cc_json_each(cc_input *in, const cc_diag_sink *diag, cc_json_doc_fn fn, void *ud);
/* The same for a reader's records (ctx->in, ctx->diag, ctx->max_json_size), except that fn is
 * also called, with doc NULL, for each document that could not be read, so the reader
 * counts it (sink.reject) and the counts add up. */
int cc_json_records(const cc_read_ctx *ctx, cc_json_doc_fn fn, void *ud);

/* Appends "/key", escaped per RFC 6901, to the JSON pointer in ptr (cap bytes, truncated if
 * need be); returns the old length, to restore with ptr[old] = '\0'. */
size_t cc_ptr_push(char *ptr, size_t cap, const char *key);
size_t cc_ptr_push_index(char *ptr, size_t cap, size_t i);

/* The JSON Schema a reader validates against: ctx->schema_path (--schema), else `bundled`
 * under ctx->schema_dir, registered as `uri`.  NULL (reported) when it cannot be loaded. */
typedef struct cc_schema_set cc_schema_set;
cc_schema_set *cc_schema_load(const cc_read_ctx *ctx, const char *bundled, const char *uri);
/* Gives back what cc_schema_load returned: freed, unless the run's cache keeps it. */
void cc_schema_release(const cc_read_ctx *ctx, cc_schema_set *set);

/* The run's compiled schemas, by file and URI, made once by main (cc_read_ctx.schemas).  A
 * schema that does not load is not kept: each input reports it, as without the cache. */
typedef struct cc_schema_cache cc_schema_cache;
cc_schema_cache *cc_schema_cache_new(void);
void cc_schema_cache_free(cc_schema_cache *c);

#endif
