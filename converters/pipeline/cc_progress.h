/* credconv progress: which blocks of which certification each learner holds, from a
 * catalogue (records that are achievements with parts) and credentials (any format the
 * registry reads).  The command line part is converters/cli/progress.c. */
#ifndef CC_PROGRESS_H
#define CC_PROGRESS_H

#include "cc_pipeline.h"

typedef struct cc_progress_opts {
    const cc_options *o;          /* schema dir, fetch, --max-json-size, -q */
    char **catalogues;            /* --catalogue, repeatable */
    size_t ncatalogues;
    bool table;                   /* a readable table instead of NDJSON */
    cc_verifier *verifier;        /* --verify: only credentials it finds valid count; NULL: none */
} cc_progress_opts;

/* Reads the catalogues, then o->inputs; prints one line (or table entry) per learner x
 * certification touched.  0, 1 (some input or credential could not be used), 2 (I/O). */
int cc_progress_run(const cc_progress_opts *p);

#endif
