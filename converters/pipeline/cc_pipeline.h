/* The pipeline: inputs → reader → selection → writer, with counts and diagnostics.
 * Internal to the credconv program. */
#ifndef CC_PIPELINE_H
#define CC_PIPELINE_H

#include "cc_fetch.h"
#include "cc_issue.h"
#include "cc_outfile.h"
#include "credconv/credconv.h"

typedef enum { CMD_CONVERT, CMD_VALIDATE, CMD_INSPECT, CMD_BAKE, CMD_UNBAKE, CMD_VERIFY, CMD_SIGN,
               CMD_CONTEXTS, CMD_PROGRESS } cc_command;

/* The signature options (sign, verify, convert --sign): file names and choices, read by
 * converters/sign/sign_cmd.c. */
typedef struct cc_sig_options {
    const char *key, *alg, *kid, *jwks, *issuer_profile, *revocation_list;
    const char *sign_key;         /* convert --sign */
    const char *suite;            /* --suite: a Data Integrity proof instead of a VC-JWT */
    const char *cert, *chain;     /* --cert, --chain: a JAdES seal (sign, convert --sign) */
    const char *ca;               /* verify --ca: trust anchors for JAdES seals */
    bool embed_jwk;
    bool accept_unbound;          /* verify --accept-unbound-key */
    char **status_files;          /* verify --status-list-file (repeatable) */
    size_t nstatus_files;
} cc_sig_options;

/* --report FILE: one JSON document per run, made whole or not at all (an atomic cc_outfile).
 * verify adds one entry per verified input or line as it goes (cc_report_verdict, streamed:
 * memory does not grow with the number of tokens), then the pipeline over the inputs a reader
 * takes finishes the same document with its counts and diagnostics. */
typedef struct cc_report cc_report;
struct cc_verdict;

typedef struct cc_options {
    cc_command cmd;
    const cc_format *from;        /* NULL: detect per input */
    const cc_format *to;
    const char *out_file;         /* -o */
    const char *out_dir;          /* -O */
    const char *report_file;
    cc_report *report;            /* verify: the report already open, which cc_run finishes */
    const char *schema;           /* --schema */
    const char *member;           /* --member: the zip member to read */
    const char *mirror;           /* contexts --mirror URL */
    const char *schema_dir;       /* where the bundled schemas are */
    bool allow_invalid;           /* --allow-invalid: write a record that fails validation */
    struct cc_wcheck *write_check;  /* what writers check: made by main from the two above */
    struct cc_schema_cache *schemas;  /* what readers validate against, compiled once (main) */
    const char *issuer_file;      /* --issuer */
    const char *recipients_file;  /* --recipients: one credential per row */
    cc_csv_encoding csv_encoding; /* --csv-encoding (default: detected) */
    bool hash_recipients;
    const char *id_base;
    const char *bake_image;       /* bake --image, convert --bake: the image to bake into */
    const char *badge_image;      /* --badge-image: for achievements that have none */
    const char *case_version;     /* --case-version 1.0|1.1 (NULL: 1.1) */
    const char *recipient;        /* verify --recipient */
    /* --status-list URL, --status-state FILE, --status-purpose P: issue with credentialStatus
     * (converters/status/) */
    const char *status_list, *status_state, *status_purpose;
    cc_fetch_opts fetch;          /* --fetch, --map-url and the limits */
    cc_sig_options sig;           /* --key, --alg, --kid, --embed-jwk, --jwks, … , --sign */
    const char **selects;
    size_t nselects;
    bool active_only, strict, quiet, verbose;  /* verbose: notes (e.g. losses) on stderr too */
    int progress;                 /* -1 auto (terminal and large input), 0 never, 1 always */
    unsigned long shard_k, shard_n; /* --shard K/N: this run writes share K of N (0/0: all) */
    size_t max_json_size;         /* --max-json-size (0: CC_JSON_MAX_SIZE_DEFAULT) */
    long jobs;                    /* --jobs N, resolved (0 for --jobs 0 is the cores): <= 1 one thread */
    char **catalogues;            /* progress --catalogue (repeatable) */
    size_t ncatalogues;
    bool json;                    /* progress --json: NDJSON on a terminal too */
    bool verify_each;             /* progress --verify: count only credentials verify finds valid */
    bool issue;                   /* progress --issue: issue each complete certification */
    bool require_complete;        /* progress --require-complete: exit 1 for a learner with none */
    /* The recipients CSV as text (progress --issue makes it); recipients_file then only names
     * it in diagnostics. */
    const char *recipients_csv;
    size_t recipients_csv_len;
    char **inputs;
    size_t ninputs;
    /* The library (converters/api/api.c) runs the pipeline too; for it, NULL or 0 is the
     * command's behaviour.  diag: every diagnostic goes there instead of stderr, and no
     * summary line is printed; out: the output stream instead of stdout; counts: the run's
     * counts, copied there at the end. */
    const cc_diag_sink *diag;
    FILE *out;
    struct cc_counts *counts;
} cc_options;

/* read = written + rejected + filtered.  discarded: records converted but lost with an output
 * that could not be written (-o FILE not kept, a stdout write error); they count as rejected,
 * never as written. */
typedef struct cc_counts {
    long read, written, rejected, filtered, invalid, not_recipient, discarded;
} cc_counts;

/* credconv --version: its version and the libraries' (converters/cli/version.c). */
void cc_print_version(FILE *out);
/* The report (converters/pipeline/report.c).  open: NULL with errno set.  verdicts: the run is verify's,
 * so the document has a "verdicts" array.  cc_report_diag keeps a diagnostic for the next
 * verdict entry (at most a few dozen per entry); cc_report_save one of the run's own (at most
 * 100,000).  commit writes the counts and diagnostics and links the file in: 0, or -1 with
 * errno (nothing is left); it frees the report either way. */
cc_report *cc_report_open(const char *path, char *const *inputs, size_t ninputs, bool verdicts);
void cc_report_diag(cc_report *r, const cc_diag *d);
void cc_report_forget(cc_report *r);  /* the kept diagnostics belong to no entry: dropped */
void cc_report_verdict(cc_report *r, const char *name, const struct cc_verdict *v);
void cc_report_save(cc_report *r, const cc_diag *d);
int cc_report_commit(cc_report *r, const cc_counts *n, const char *output_error);

/* Runs one command; returns the exit status (0, 1, 2). */
int cc_run(const cc_options *opts);
/* converters/cli/progress.c: credconv progress (the library part: cc_progress.h). */
int cc_progress_command(const cc_options *o);

/* converters/sign/sign_cmd.c: the sign command; verify (the signature pass, then cc_run over
 * the inputs a reader takes); the option checks of the signature options (-1 to go on,
 * or 2 after a usage error); the option's -h text. */
int cc_sign_command(const cc_options *o);
int cc_verify_command(cc_options *o);
int cc_sig_check_options(const cc_options *o);
/* converters/cli/status_cmd.c: credconv status publish|revoke|suspend|reinstate|show. */
int cc_status_command(int argc, char **argv);
extern const char cc_status_usage[];
extern const char cc_sign_usage[];
/* progress --verify: verify's checks (and its key options) on one document or record line,
 * quietly (-v prints the diagnostics).  new: NULL after a message (a key that does not load).
 * check: 1 valid (key bound to the issuer, or --accept-unbound-key), else 0 with the reason
 * (verify's rule id, "valid" when valid) in why. */
typedef struct cc_verifier cc_verifier;
cc_verifier *cc_verifier_new(const cc_options *o);
int cc_verifier_check(cc_verifier *v, const char *text, size_t len, const char *name, char *why, size_t cap);
void cc_verifier_free(cc_verifier *v);

/* convert --sign: each record is written by the target format into memory, then signed
 * (ob3: VC-JWT; ob2: JWS with verification SignedBadge) and written as one token line. */
typedef struct cc_signer cc_signer;
/* fetch: where a Data Integrity proof's contexts come from (--suite). */
cc_signer *cc_signer_new(const cc_format *to, const cc_sig_options *s, const cc_fetch_opts *fetch);
/* 0 written, 1 record rejected (reported), 2 output error. */
int cc_signer_record(cc_signer *s, const cc_record *rec, const cc_diag_sink *diag, FILE *out);
/* What a grouping format (clr: one record per learner) wrote of the records given since the
 * last call, signed, to out: 0, 1 (one could not be signed, reported; *lost: how many of the
 * records given it held, not written after all) or 2.  Called once, before the output
 * closes (with -O, before the pipeline splits it into files: CC_CAP_GROUPS). */
/* --status-list: how the grouping writer the signer keeps gets a document's own status entry
 * (cc_write_ctx.status_entry). */
void cc_signer_set_status(cc_signer *s, int (*entry)(void *ud, const char *id, cc_status_ref *out), void *ud);
int cc_signer_finish(cc_signer *s, const cc_diag_sink *diag, FILE *out, long *lost);
const char *cc_signer_extension(const cc_signer *s);  /* "jwt", "jws", or "json" (--suite) */
void cc_signer_free(cc_signer *s);

#endif
