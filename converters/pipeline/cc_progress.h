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
    bool no_lines;                /* print nothing on stdout (--issue writes credentials there) */
    /* --issue: rows of a recipients CSV are written to it (NULL: none), one per complete
     * learner x certification (the certification's code), and with `with_blocks` one per
     * block of it too (a CLR holds them); `issued` counts those learner x certifications. */
    FILE *issue_rows;
    bool with_blocks;
    long issued;
    /* Out: learners with no complete certification, and those --issue could not name (no
     * plain email: a hashed identity or an id only). */
    long incomplete, unnamed;
} cc_progress_opts;

/* Reads the catalogues, then o->inputs; prints one line (or table entry) per learner x
 * certification touched.  0, 1 (some input or credential could not be used), 2 (I/O). */
int cc_progress_run(cc_progress_opts *p);

#endif
