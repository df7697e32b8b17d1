/* The pipeline: inputs → reader → selection → writer, with counts and diagnostics.
 * Internal to the credconv program. */
#ifndef CC_PIPELINE_H
#define CC_PIPELINE_H

#include "cc_fetch.h"
#include "cc_outfile.h"
#include "credconv.h"

typedef enum { CMD_CONVERT, CMD_VALIDATE, CMD_INSPECT, CMD_BAKE, CMD_UNBAKE, CMD_VERIFY } cc_command;

typedef struct cc_options {
    cc_command cmd;
    const cc_format *from;        /* NULL: detect per input */
    const cc_format *to;
    const char *out_file;         /* -o */
    const char *out_dir;          /* -O */
    const char *report_file;
    const char *schema;           /* --schema */
    const char *schema_dir;       /* where the bundled schemas are */
    const char *issuer_file;      /* --issuer */
    const char *recipients_file;  /* --recipients: one credential per row */
    bool hash_recipients;
    const char *id_base;
    const char *bake_image;       /* bake --image, convert --bake: the image to bake into */
    const char *badge_image;      /* --badge-image: for achievements that have none */
    const char *recipient;        /* verify --recipient */
    cc_fetch_opts fetch;          /* --fetch, --map-url and the limits */
    const char **selects;
    size_t nselects;
    bool active_only, strict, quiet, verbose;  /* verbose: notes (e.g. losses) on stderr too */
    int progress;                 /* -1 auto (terminal and large input), 0 never, 1 always */
    char **inputs;
    size_t ninputs;
} cc_options;

typedef struct cc_counts {
    long read, written, rejected, filtered, invalid, not_recipient;
} cc_counts;

/* Runs one command; returns the exit status (0, 1, 2). */
int cc_run(const cc_options *opts);

#endif
