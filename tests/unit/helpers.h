/* Shared by the cmocka tests: run a reader over a file or a string and keep what it gives. */
#ifndef TEST_HELPERS_H
#define TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cc_model_json.h"
#include "credconv/credconv.h"

#ifndef CORPUS /* the Makefile passes $(CREDCONV_CORPUS) */
#define CORPUS "../shared/corpus"
#endif
#define MAX_RECS 256

typedef struct got {
    cc_record *recs[MAX_RECS];
    int n, rejected, errors, warnings, read_rc;
    char rules[4096];   /* every diagnostic's rule, space separated */
    char last[1024];    /* the last error message, with " (at /pointer)" when it has one */
    long last_line;
} got;

static inline int got_record(void *ud, cc_record *r)
{
    got *g = ud;
    if (g->n < MAX_RECS)
        g->recs[g->n++] = r;
    else
        cc_record_free(r);
    return 0;
}

static inline int got_reject(void *ud, const char *file, long line, const char *id)
{
    (void)file, (void)line, (void)id;
    ((got *)ud)->rejected++;
    return 0;
}

static inline void got_diag(void *ud, const cc_diag *d)
{
    got *g = ud;
    if (d->severity == CC_ERROR) {
        g->errors++;
        /* as the command prints it: the message, then the JSON pointer */
        snprintf(g->last, sizeof g->last, "%s%s%s%s", d->message, d->pointer ? " (at " : "",
                 d->pointer ? (*d->pointer ? d->pointer : "/") : "", d->pointer ? ")" : "");
        g->last_line = d->line;
    } else {
        g->warnings++;
    }
    if (d->rule && strlen(g->rules) + strlen(d->rule) + 2 < sizeof g->rules) {
        strcat(g->rules, d->rule);
        strcat(g->rules, " ");
    }
}

static inline void got_free(got *g)
{
    for (int i = 0; i < g->n; i++)
        cc_record_free(g->recs[i]);
    memset(g, 0, sizeof *g);
}

static inline int read_fp(got *g, const char *format, FILE *fp, const char *name, bool validate)
{
    memset(g, 0, sizeof *g);
    cc_input in;
    assert_int_equal(cc_input_from_fp(&in, fp, name), 0);
    cc_diag_sink ds = {.emit = got_diag, .ud = g};
    cc_read_ctx ctx = {.in = &in, .sink = {.record = got_record, .reject = got_reject, .ud = g}, .diag = &ds, .schema_path = NULL, .validate = validate, .schema_dir = "schemas", .fetch = NULL, .verify = false, .max_json_size = 0, .schemas = NULL};
    const cc_format *f = cc_format_find(format);
    assert_non_null(f);
    g->read_rc = f->read(&ctx);
    return g->read_rc;
}

static inline int read_string(got *g, const char *format, const char *s)
{
    FILE *fp = fmemopen((void *)s, strlen(s), "r");
    assert_non_null(fp);
    int rc = read_fp(g, format, fp, "<test>", false);
    fclose(fp);
    return rc;
}

/* Returns 0 after reading; 1 when the corpus file is absent (the test then skips). */
static inline int read_path(got *g, const char *format, const char *path, bool validate)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        printf("SKIP: %s not found (../shared/corpus absent)\n", path);
        return 1;
    }
    read_fp(g, format, fp, path, validate);
    fclose(fp);
    return 0;
}

/* The record's model JSON; the caller frees it. */
static inline char *model_json(const cc_record *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    cc_jw w;
    cc_jw_init(&w, mem);
    cc_model_write(&w, r);
    fclose(mem);
    return buf;
}

/* Writes records with a format's writer into a string; the caller frees it. */
static inline char *write_all(const char *format, cc_record **recs, int n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    const cc_format *f = cc_format_find(format);
    cc_write_ctx wc = {.out = mem, .records_in_output = -1};
    void *w = f->writer_open(&wc);
    for (int i = 0; i < n; i++)
        assert_int_equal(f->writer_record(w, recs[i]), 0);
    assert_int_equal(f->writer_close(w), 0);
    fclose(mem);
    return buf;
}

#endif
