#include "cc_jsonfast.h"
#include "cc_jsonread.h"
#include "jsonschema.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------ the token scan */

/* What a scan of a document's bytes found: enough to frame it in a stream and to bound, before
 * jansson allocates anything, what jansson will allocate for it. */
typedef struct scan {
    long depth;                  /* open { and [ */
    bool in_str, esc, in_tok;    /* inside a string (after a backslash), a number or literal */
    size_t tok, max_tok;         /* length of the current token, of the longest */
    size_t objs, arrs, strs, str_bytes, colons, nums, lits;
} scan;

/* Bytes jansson 2.14 allocates per token with glibc malloc, chunk headers included, as
 * measured (an object 235, an array 139, a string 91 + its bytes, a member 100 + its key, a
 * number 43, true/false/null 11 for the array slot); rounded up.  The lexer's buffer grows
 * by doubling to hold the longest token: 3 times it while it grows. */
static size_t scan_cost(const scan *c)
{
    return 240 * c->objs + 144 * c->arrs + 96 * c->strs + c->str_bytes + 16 * c->colons +
           48 * c->nums + 16 * c->lits + 3 * c->max_tok + 4096;
}

/* Byte classes, looked up instead of searched for (the scan sees every byte of the input). */
enum { B_STRUCT = 1, B_STR_STOP = 2 };
static const unsigned char byte_class[256] = {
    [0] = B_STR_STOP,  /* as strchr found it: a NUL stops a string run, is not structural */
    ['{'] = B_STRUCT, ['}'] = B_STRUCT, ['['] = B_STRUCT, [']'] = B_STRUCT, [','] = B_STRUCT,
    [':'] = B_STRUCT, ['"'] = B_STRUCT | B_STR_STOP, [' '] = B_STRUCT, ['\t'] = B_STRUCT,
    ['\r'] = B_STRUCT, ['\n'] = B_STRUCT | B_STR_STOP, ['\\'] = B_STR_STOP,
};

static bool structural(int ch)
{
    return byte_class[(unsigned char)ch] & B_STRUCT;  /* a NUL is not */
}

static void tok_end(scan *c)
{
    c->str_bytes += c->tok;
    if (c->tok > c->max_tok)
        c->max_tok = c->tok;
    c->in_tok = false;
}

/* One byte; returns true when it ends a string token. */
static bool scan_byte(scan *c, int ch)
{
    if (c->in_str) {
        c->tok++;
        if (c->esc)
            c->esc = false;
        else if (ch == '\\')
            c->esc = true;
        else if (ch == '"') {
            c->in_str = false;
            tok_end(c);
            return true;
        }
        return false;
    }
    if (c->in_tok) {
        if (!structural(ch)) {
            c->tok++;
            return false;
        }
        tok_end(c);
    }
    switch (ch) {
    case '{': c->objs++, c->depth++; break;
    case '[': c->arrs++, c->depth++; break;
    case '}': case ']': c->depth--; break;
    case '"': c->in_str = true, c->strs++, c->tok = 0; break;
    case ':': c->colons++; break;
    case ',': case ' ': case '\t': case '\r': case '\n': break;
    default:
        c->in_tok = true, c->tok = 1;
        if (ch == '-' || (ch >= '0' && ch <= '9'))
            c->nums++;
        else
            c->lits++;
    }
    return false;
}

/* ------------------------------------------------------------ the loader */

static void set_error(json_error_t *err, enum json_error_code code, int line, int col,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void set_error(json_error_t *err, enum json_error_code code, int line, int col,
                      const char *fmt, ...)
{
    memset(err, 0, sizeof *err);
    err->line = line;
    err->column = col;
    snprintf(err->source, sizeof err->source, "<buffer>");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->text, sizeof err->text - 1, fmt, ap);
    va_end(ap);
    err->text[JSON_ERROR_TEXT_LENGTH - 1] = (char)code;  /* where jansson keeps the code */
}

bool cc_json_oom(const json_error_t *err)
{
    return json_error_code(err) == json_error_out_of_memory;
}

const char *cc_json_error_rule(const json_error_t *err)
{
    return cc_json_oom(err) ? "json-memory"
           : json_error_code(err) == json_error_index_out_of_range ? "json-too-large"
                                                                    : "json-syntax";
}

/* Refuses a document the limits do not allow, before anything is allocated for it; a
 * document jansson needs much memory for is first asked of malloc in one block, so a
 * memory limit (ulimit -v) gives an error here, not a failure inside jansson's lexer. */
static bool within_limits(const scan *c, size_t len, size_t max, json_error_t *err)
{
    size_t need = scan_cost(c);
    if (len > max) {
        set_error(err, json_error_index_out_of_range, 1, 1,
                  "a JSON document of %zu bytes: larger than %zu bytes (--max-json-size)", len, max);
        return false;
    }
    if (need / CC_JSON_MEM_RATIO > max) {
        set_error(err, json_error_index_out_of_range, 1, 1,
                  "a JSON document of %zu bytes whose values would take about %zu MB in memory: "
                  "more than %d × --max-json-size (%zu bytes)", len, need >> 20, CC_JSON_MEM_RATIO, max);
        return false;
    }
    if (need >= (1u << 20)) {
        void *probe = malloc(need);
        if (!probe) {
            set_error(err, json_error_out_of_memory, 1, 1,
                      "out of memory: reading this JSON document of %zu bytes needs about %zu MB",
                      len, need >> 20);
            return false;
        }
        free(probe);
    }
    return true;
}

/* A document whose tokens were counted (c). */
static json_t *parse_scanned(const char *buf, size_t len, size_t flags, size_t max_size,
                             const scan *c, json_error_t *err)
{
    if (!within_limits(c, len, max_size ? max_size : CC_JSON_MAX_SIZE_DEFAULT, err))
        return NULL;
    flags = (flags | JSON_REJECT_DUPLICATES) & ~(size_t)JSON_ALLOW_NUL;
    /* the fast path reads what is surely well formed; jansson the rest, and says what is wrong */
    json_t *v = cc_json_fast_parse(buf, len, flags);
    if (v) {
        memset(err, 0, sizeof *err);  /* as jansson leaves it after a success */
        err->line = err->column = -1;
        snprintf(err->source, sizeof err->source, "<buffer>");
        return v;
    }
    return json_loadb(buf, len, flags, err);
}

json_t *cc_json_parse(const char *buf, size_t len, size_t flags, size_t max_size,
                      json_error_t *err)
{
    json_error_t local;
    if (!err)
        err = &local;
    scan c = {0};
    size_t max = max_size ? max_size : CC_JSON_MAX_SIZE_DEFAULT;
    for (size_t i = 0; i < len && i <= max; i++) {
        if (c.in_str && !c.esc) {  /* the bytes of a string up to a quote or backslash */
            size_t j = i;
            while (j < len && buf[j] != '"' && buf[j] != '\\')
                j++;
            c.tok += j - i;
            if ((i = j) >= len)
                break;
        }
        scan_byte(&c, (unsigned char)buf[i]);
    }
    if (c.in_tok || c.in_str)
        tok_end(&c);
    return parse_scanned(buf, len, flags, max_size, &c, err);
}

json_t *cc_json_loadb(const char *buf, size_t len, size_t flags, json_error_t *err)
{
    return cc_json_parse(buf, len, flags, 0, err);
}

json_t *cc_json_loads(const char *s, size_t flags, json_error_t *err)
{
    return cc_json_parse(s, strlen(s), flags, 0, err);
}

json_t *cc_json_load_file(const char *path, size_t flags, json_error_t *err)
{
    json_error_t local;
    if (!err)
        err = &local;
    cc_input in;
    if (cc_input_open(&in, path) != 0) {
        set_error(err, json_error_cannot_open_file, 0, 0, "unable to open %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t len;
    char *text = cc_input_slurp(&in, CC_JSON_MAX_SIZE_DEFAULT, &len);
    cc_input_close(&in);
    json_t *j = NULL;
    if (!text && len > CC_JSON_MAX_SIZE_DEFAULT)
        set_error(err, json_error_index_out_of_range, 1, 1, "%s: larger than %zu bytes", path,
                  CC_JSON_MAX_SIZE_DEFAULT);
    else if (!text)
        set_error(err, json_error_out_of_memory, 0, 0, "out of memory reading %s", path);
    else if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        j = cc_json_parse(text + 3, len - 3, flags, 0, err);  /* a file as Notepad saves it */
    else
        j = cc_json_parse(text, len, flags, 0, err);
    free(text);
    snprintf(err->source, sizeof err->source, "%s", path);
    return j;
}

json_t *cc_json_load_diag(const char *buf, size_t len, size_t flags, const cc_diag_sink *diag,
                          const char *file)
{
    json_error_t err;
    json_t *j = cc_json_parse(buf, len, flags, 0, &err);
    if (!j)
        cc_diagf(diag, CC_ERROR, file, err.line, err.column, NULL, cc_json_error_rule(&err),
                 "%s (line %d, column %d)", err.text, err.line, err.column);
    return j;
}

void *cc_json_malloc(size_t n)
{
    void *p = malloc(n);
    if (!p && n) {
        static const char msg[] = "credconv: error: out of memory inside the JSON library "
                                  "(jansson cannot report it safely): stopped [json-memory]\n";
        if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0)
            _exit(2);
        exit(2);
    }
    return p;
}

/* ------------------------------------------------------------ the stream */

enum { CHUNK = 1 << 16 };

void cc_json_stream_init(cc_json_stream *s, cc_input *in, size_t max_size)
{
    *s = (cc_json_stream){.in = in, .max_size = max_size ? max_size : CC_JSON_MAX_SIZE_DEFAULT,
                          .line = 1, .col = 1};
}

void cc_json_stream_free(cc_json_stream *s)
{
    free(s->buf);
    s->buf = NULL;
}

/* Reads more bytes after moving buf[pos..len) to the start: 1, 0 at the end of the input,
 * -1 when memory for a larger buffer fails. */
static int refill(cc_json_stream *s)
{
    if (s->eof)
        return 0;
    if (s->buf)  /* the first call has no buffer yet */
        memmove(s->buf, s->buf + s->pos, s->len - s->pos);
    s->len -= s->pos;
    s->pos = 0;
    if (s->cap - s->len < CHUNK) {
        size_t cap = s->cap ? 2 * s->cap : 4 * CHUNK;
        char *b = realloc(s->buf, cap);
        if (!b)
            return -1;
        s->buf = b;
        s->cap = cap;
    }
    size_t got = cc_input_read(s->in, s->buf + s->len, CHUNK);
    s->len += got;
    s->eof = got == 0;
    return got > 0;
}

/* Moves pos to `to`, counting lines and columns (in characters, as jansson does). */
static void consume(cc_json_stream *s, size_t to)
{
    for (; s->pos < to; s->pos++, s->consumed++) {
        if (s->buf[s->pos] == '\n')
            s->line++, s->col = 1;
        else if (((unsigned char)s->buf[s->pos] & 0xC0) != 0x80)
            s->col++;
    }
}

/* Moves pos past white space (and a UTF-8 byte-order mark at the start); false at the end. */
static bool skip_space(cc_json_stream *s)
{
    for (;;) {
        if (s->pos >= s->len && refill(s) <= 0)
            return false;
        if (!s->started && s->len - s->pos < 3 && !s->eof && refill(s) < 0)
            return false;
        const char *p = s->buf + s->pos;
        if (!s->started && s->len - s->pos >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) {
            s->pos += 3;
            continue;
        }
        s->started = true;
        if (!*p || !strchr(" \t\r\n", *p))  /* a NUL is no white space */
            return true;
        consume(s, s->pos + 1);
    }
}

/* Skips to the end of the line (the rest of a line a bad document ends on). */
static void skip_line(cc_json_stream *s)
{
    for (;;) {
        if (s->pos >= s->len && refill(s) <= 0)
            return;
        char *nl = memchr(s->buf + s->pos, '\n', s->len - s->pos);
        consume(s, nl ? (size_t)(nl - s->buf) : s->len);
        if (nl)
            return;
    }
}

/* One document's place in buf: [start, end).  A document larger than the cap, or than the
 * memory there is, is dropped: its bytes are consumed as they are scanned, not kept. */
typedef struct frame {
    size_t start, end;
    size_t restart;              /* has_restart: the first line inside it starting with { or [ */
    bool has_restart;
    bool dropped, lost, oom;     /* lost: dropped before the restart line was seen */
    bool broken;                 /* a raw newline inside a string ended it */
    scan c;
} frame;

/* Keeps the bytes of the next chunk in view; false at the end of the input. */
static bool frame_more(cc_json_stream *s, frame *f, size_t *i)
{
    size_t shift = s->pos;
    int r = refill(s);
    *i -= shift, f->start -= f->start >= shift ? shift : f->start;
    if (f->has_restart && !f->dropped)
        f->restart -= shift;
    if (r < 0) {  /* no memory to keep the document: drop it, read on */
        f->oom = f->dropped = f->lost = true;  /* its bytes are gone, the restart line too */
        f->has_restart = false;
        consume(s, s->len);
        *i = s->pos;
        return frame_more(s, f, i);
    }
    return r > 0;
}

/* Inside a string, the bytes up to the next quote, backslash or newline in one go (a 100 MB
 * string is most of what a scan sees).  True when the document is to end here: it passed
 * the cap and the next document's line was already seen. */
static bool string_run(cc_json_stream *s, frame *f, size_t *i, int *prev)
{
    size_t j = *i;
    while (j < s->len && !(byte_class[(unsigned char)s->buf[j]] & B_STR_STOP))
        j++;
    if (j == *i)
        return false;
    f->c.tok += j - *i;
    *prev = (unsigned char)s->buf[j - 1];
    if (!f->dropped && j - f->start > s->max_size) {
        f->dropped = true, f->lost = !f->has_restart;
        if (f->has_restart) {
            *i = j;
            return true;
        }
    }
    if (f->dropped)
        consume(s, j);
    *i = j;
    return false;
}

/* Finds where the document at s->pos ends. */
static void find_frame(cc_json_stream *s, frame *f)
{
    *f = (frame){.start = s->pos};
    int first = (unsigned char)s->buf[s->pos], prev = -1;
    bool nested = first == '{' || first == '[', bare = !nested && first != '"', at_bol = s->col == 1;
    size_t i = s->pos;
    for (;; i++) {
        if (i >= s->len && !frame_more(s, f, &i))
            break;
        if (f->c.in_str && !f->c.esc) {
            if (string_run(s, f, &i, &prev))
                break;
            if (i >= s->len && !frame_more(s, f, &i))
                break;
        }
        int ch = (unsigned char)s->buf[i];
        if (at_bol && prev == '\n' && !f->has_restart && (ch == '{' || ch == '[')) {
            f->has_restart = true, f->restart = i;
            if (f->dropped)
                break;  /* the next document starts here */
        }
        if ((bare && i > f->start && structural(ch)) || (ch == '\n' && f->c.in_str)) {
            f->broken = ch == '\n' && f->c.in_str;
            break;
        }
        bool str_end = scan_byte(&f->c, ch);
        prev = ch;
        if ((i == f->start && strchr("}],:", ch)) || (nested && f->c.depth == 0) ||
            (first == '"' && str_end)) {
            i++;
            break;
        }
        if (!f->dropped && i + 1 - f->start > s->max_size) {
            f->dropped = true, f->lost = !f->has_restart;
            if (f->has_restart)
                break;
        }
        if (f->dropped)
            consume(s, i + 1);
    }
    if (f->c.in_tok || f->c.in_str)
        tok_end(&f->c);
    f->end = i;
}

static void report(const cc_json_stream *s, const cc_diag_sink *diag, long line, long col,
                   const json_error_t *err)
{
    long l = err->line > 1 ? line + err->line - 1 : line;
    long c = err->line > 1 ? err->column : col + (err->column > 0 ? err->column - 1 : 0);
    cc_diagf(diag, CC_ERROR, s->in->name, l, c, NULL, cc_json_error_rule(err), "%s", err->text);
}

int cc_json_stream_next(cc_json_stream *s, json_t **out, long *line, const cc_diag_sink *diag)
{
    *out = NULL;
    if (!skip_space(s))
        return 0;
    long col = s->col;
    *line = s->line;
    unsigned long long before = s->consumed;
    frame f;
    find_frame(s, &f);
    json_error_t err;
    if (!f.dropped) {
        *out = parse_scanned(s->buf + f.start, f.end - f.start, 0, s->max_size, &f.c, &err);
        if (*out) {
            consume(s, f.end);
            return 1;
        }
    }
    size_t resume = f.has_restart ? f.restart : f.end;
    if (f.has_restart && !f.lost) {  /* the broken lines' own error, not the next record's */
        size_t n = f.restart - f.start;
        while (n > 1 && strchr("\r\n", s->buf[f.start + n - 1]))
            n--;  /* so the error is on the broken line, not at the start of the next */
        json_decref(cc_json_parse(s->buf + f.start, n, 0, s->max_size, &err));
    } else if (f.oom) {
        set_error(&err, json_error_out_of_memory, 1, 1, "out of memory holding this JSON document: skipped");
    } else if (f.end - f.start >= 3 && !memcmp(s->buf + f.start, "\xEF\xBB\xBF", 3)) {
        set_error(&err, json_error_invalid_syntax, 1, 1,
                  "a byte-order mark (U+FEFF) inside the stream, where a document starts: only "
                  "one at the very start of the input is skipped (were files with one concatenated?)");
    } else if (f.dropped) {
        set_error(&err, json_error_index_out_of_range, 1, 1,
                  "a JSON document larger than %zu bytes (--max-json-size): skipped", s->max_size);
    }
    report(s, diag, *line, col, &err);
    consume(s, resume > s->pos ? resume : s->pos);
    if (!f.has_restart && !f.broken)
        skip_line(s);
    if (s->consumed == before && s->pos < s->len)
        consume(s, s->pos + 1);  /* a restart at the very start: step over it, never loop */
    return cc_json_oom(&err) ? -2 : -1;
}

/* Calls fn for the documents of the input; bad_too: also with NULL for one not read. */
static int each(cc_input *in, size_t max, const cc_diag_sink *diag, cc_json_doc_fn fn, void *ud,
                bool bad_too)
{
    cc_json_stream js;
    cc_json_stream_init(&js, in, max);
    long line;
    json_t *j;
    int got, stop = 0, rc = 0;
    while (!stop && (got = cc_json_stream_next(&js, &j, &line, diag)) != 0) {
        if (got < 0) {
            rc = got == -2 ? 2 : rc > 1 ? rc : 1;
            stop = bad_too ? fn(ud, NULL, line) : 0;
            continue;
        }
        size_t n = json_is_array(j) ? json_array_size(j) : 1;
        for (size_t i = 0; i < n && !stop; i++)
            stop = fn(ud, json_is_array(j) ? json_array_get(j, i) : j, line);
        json_decref(j);
    }
    cc_json_stream_free(&js);
    return rc;
}

int cc_json_each(cc_input *in, const cc_diag_sink *diag, cc_json_doc_fn fn, void *ud)
{
    return each(in, 0, diag, fn, ud, false);
}

int cc_json_records(const cc_read_ctx *ctx, cc_json_doc_fn fn, void *ud)
{
    return each(ctx->in, ctx->max_json_size, ctx->diag, fn, ud, true);
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

enum { SCHEMA_CACHE_SLOTS = 8 };  /* a run reads a format or two: more are compiled per input */

struct cc_schema_cache {
    struct {
        char *key;  /* path "\n" uri */
        cc_schema_set *set;
    } slot[SCHEMA_CACHE_SLOTS];
};

cc_schema_cache *cc_schema_cache_new(void)
{
    return calloc(1, sizeof(cc_schema_cache));
}

void cc_schema_cache_free(cc_schema_cache *c)
{
    for (size_t i = 0; c && i < SCHEMA_CACHE_SLOTS; i++) {
        free(c->slot[i].key);
        cc_schema_set_free(c->slot[i].set);
    }
    free(c);
}

static bool cached(const cc_schema_cache *c, const cc_schema_set *set)
{
    for (size_t i = 0; c && i < SCHEMA_CACHE_SLOTS; i++)
        if (c->slot[i].set == set)
            return true;
    return false;
}

void cc_schema_release(const cc_read_ctx *ctx, cc_schema_set *set)
{
    if (!cached(ctx->schemas, set))
        cc_schema_set_free(set);
}

/* Keeps set under key in the first free slot (none free: the caller frees it).
 * gcc 12's -fanalyzer loses the key once stored in its slot of the cache (a false "leak":
 * the cache's free frees every slot's key), so its leak check is off for this one function
 * (make analyze). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
#endif
static void keep(cc_schema_cache *c, const char *key, cc_schema_set *set)
{
    for (size_t i = 0; c && i < SCHEMA_CACHE_SLOTS; i++)
        if (!c->slot[i].set) {
            if ((c->slot[i].key = strdup(key)) != NULL)
                c->slot[i].set = set;
            return;
        }
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

cc_schema_set *cc_schema_load(const cc_read_ctx *ctx, const char *bundled, const char *uri)
{
    char path[4096], err[512], key[4608];
    if (ctx->schema_path)
        snprintf(path, sizeof path, "%s", ctx->schema_path);
    else
        snprintf(path, sizeof path, "%s/%s", ctx->schema_dir ? ctx->schema_dir : ".", bundled);
    snprintf(key, sizeof key, "%s\n%s", path, uri);
    for (size_t i = 0; ctx->schemas && i < SCHEMA_CACHE_SLOTS; i++)
        if (ctx->schemas->slot[i].key && !strcmp(ctx->schemas->slot[i].key, key))
            return ctx->schemas->slot[i].set;
    cc_schema_set *set = cc_schema_set_new();
    if (set && cc_schema_set_add_file(set, path, uri, err, sizeof err) == 0) {
        keep(ctx->schemas, key, set);
        return set;
    }
    cc_diagf(ctx->diag, CC_ERROR, path, 0, 0, NULL, "schema-load", "cannot load the schema: %s",
             set ? err : "out of memory");
    cc_schema_set_free(set);
    return NULL;
}

bool cc_json_has_str(const json_t *v, const char *s)
{
    if (json_is_string(v))
        return strcmp(json_string_value(v), s) == 0;
    size_t i;
    const json_t *x;
    json_array_foreach(v, i, x)
        if (json_is_string(x) && strcmp(json_string_value(x), s) == 0)
            return true;
    return false;
}

const char *cc_json_nth_str(const json_t *v, size_t i)
{
    return json_string_value(json_is_array(v) ? json_array_get(v, i) : i ? NULL : v);
}
