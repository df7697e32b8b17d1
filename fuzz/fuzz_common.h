/* Shared by the libFuzzer targets: run one format's reader over the fuzz input, write every
 * record it gives with the same format's writer and as model JSON, free everything. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc_model_json.h"
#include "credconv/credconv.h"

/* The entry point libFuzzer calls, declared here so each target has its prototype. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct fuzz_out {
    FILE *mem;
    const cc_format *writer_fmt;
    void *writer;
} fuzz_out;

static int fuzz_record(void *ud, cc_record *r)
{
    fuzz_out *o = ud;
    cc_jw w;
    cc_jw_init(&w, o->mem);
    cc_model_write(&w, r);
    if (o->writer)
        o->writer_fmt->writer_record(o->writer, r);
    cc_record_free(r);
    return 0;
}

/* A copy of the input with a NUL after it, for the parsers that take C strings. */
static inline char *fuzz_cstring(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s) {
        memcpy(s, data, size);
        s[size] = '\0';
    }
    return s;
}

static int fuzz_reject(void *ud, const char *file, long line, const char *id)
{
    (void)ud, (void)file, (void)line, (void)id;
    return 0;
}

static void fuzz_diag(void *ud, const cc_diag *d)
{
    (void)ud, (void)d;
}

static void fuzz_format(const char *name, const uint8_t *data, size_t size, const char *schemas)
{
    const cc_format *f = cc_format_find(name);
    FILE *in_fp = fmemopen((void *)data, size ? size : 1, "r");
    if (!f || !in_fp)
        return;
    if (!size)
        fgetc(in_fp);  /* fmemopen refuses size 0: read past the one byte instead */
    char *buf = NULL;
    size_t len = 0;
    fuzz_out o = {.mem = open_memstream(&buf, &len), .writer_fmt = f};
    cc_diag_sink ds = {.emit = fuzz_diag};
    cc_write_ctx wc = {.out = o.mem, .diag = &ds, .records_in_output = -1};
    if (f->writer_open)
        o.writer = f->writer_open(&wc);
    cc_input in;
    if (cc_input_from_fp(&in, in_fp, "fuzz") == 0) {
        /* Designated: a field added to cc_read_ctx later starts zeroed (no fetching). */
        cc_read_ctx ctx = {.in = &in, .sink = {.record = fuzz_record, .reject = fuzz_reject, .ud = &o}, .diag = &ds,
                           .validate = schemas != NULL, .schema_dir = schemas};
        f->read(&ctx);
    }
    if (o.writer)
        f->writer_close(o.writer);
    fclose(o.mem);
    free(buf);
    fclose(in_fp);
}

#endif
