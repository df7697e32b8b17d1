/*
 * credconv/api.h — the library's high-level entry points: read, convert (and issue),
 * write, validate, sign and verify.  Include this header (it includes credconv.h, the
 * model).  docs/API.md explains it around a complete example (examples/convert_verify.c).
 *
 * One convention for every entry point here:
 *   - the return value is the command's exit status: CC_OK (0) it worked and everything
 *     was good, CC_BAD (1) an input, record or signature is bad (reported), CC_FAILED (2)
 *     a usage or I/O error (reported; the work may be partly done); running out of memory
 *     ends the process (cc_oom, the library's one policy: credconv.h);
 *   - every problem is reported, with file:line or a JSON pointer and a rule id, to the
 *     cc_diag_sink given (a cc_diag each; its strings live only during the call), or, when
 *     the sink is NULL, printed on stderr exactly as the command prints it;
 *   - nothing touches the network unless `fetch` is set; --map-url style maps
 *     ("PREFIX=DIR", or "URL=FILE") work without it;
 *   - options structs are zero-initialised by the caller (designated initialisers): every
 *     field's zero is its default, and fields are only ever added at the end.
 * The library keeps no global mutable state; cc_lib_init sets the process-wide settings
 * the command sets (once, before any other call).  libxmlsec1 is set up and torn down
 * around each EDC seal check (process-wide): call the library from one thread at a time.
 */
#ifndef CREDCONV_API_H
#define CREDCONV_API_H

#include "credconv/credconv.h"

CC_BEGIN_DECLS

enum { CC_OK = 0, CC_BAD = 1, CC_FAILED = 2 };

/* "0.1.0": the library's version (CC_VERSION is the header's). */
CC_EXPORT const char *cc_lib_version(void);

/* Process-wide set-up, as the command does it, once before any other call and before any
 * thread is started: libxml2 initialised with a loader that never reaches the network and
 * its generic error printer silenced (errors come through the diag sinks instead), libcurl
 * initialised, and jansson's allocator set to one that ends the process (status 2, with a
 * message) rather than let jansson's lexer ignore a failed allocation.  Returns CC_OK or
 * CC_FAILED.  cc_lib_cleanup undoes it, at the end of the program. */
CC_EXPORT int cc_lib_init(void);
CC_EXPORT void cc_lib_cleanup(void);

/* What a run read and did (the counts the command prints and --report keeps):
 * read = written + rejected + filtered. */
typedef struct cc_result {
    long read, written, rejected, filtered, invalid;
} cc_result;

/* Where linked documents come from, for every entry point that may need one. */
typedef struct cc_fetch_options {
    bool network;                   /* --fetch: http(s) allowed (public addresses only) */
    const char *const *maps;        /* --map-url "PREFIX=DIR" or "URL=FILE"; nmaps of them */
    size_t nmaps;
} cc_fetch_options;

/* ------------------------------------------------------------ convert, validate */

/* The options of cc_convert and cc_validate: the command's, by the same names. */
typedef struct cc_convert_opts {
    const char *from;               /* -f: a format name; NULL: detected per input */
    const char *to;                 /* -t: the format written (cc_convert; required) */
    const char *const *inputs;      /* file paths (.gz/.zip read as what they hold); "-" or */
    size_t ninputs;                 /* none at all: standard input */
    FILE *out;                      /* the output stream (cc_convert); NULL: out_file, else */
    const char *out_file;           /* stdout.  -o FILE: written atomically */
    const char *out_dir;            /* -O DIR: one file per record */
    const char *schema_dir;         /* the bundled schemas; NULL: $CREDCONV_SCHEMAS, else
                                     * the installed ones (pkg-config --variable=schemadir) */
    const char *schema;             /* --schema FILE (cc_validate) */
    const char *const *selects;     /* --select CODE, nselects of them */
    size_t nselects;
    bool active_only, strict, allow_invalid, verbose;  /* verbose: notes (losses) too */
    const char *issuer_file;        /* --issuer FILE: issuing (cc_convert) */
    const char *recipients_file;    /* --recipients FILE: one credential per CSV row */
    bool hash_recipients;
    const char *id_base;
    const char *badge_image;        /* --badge-image URL|FILE */
    const char *sign_key;           /* --sign KEY: each record written signed */
    const char *sign_alg, *sign_kid, *sign_suite;  /* --alg, --kid, --suite */
    cc_fetch_options fetch;
    size_t max_json_size;           /* --max-json-size; 0: the default (16 MiB) */
    const cc_diag_sink *diag;       /* NULL: stderr, as the command */
    cc_result *result;              /* may be NULL */
} cc_convert_opts;

/* credconv convert: each input read and each record written by o->to.  CC_OK, CC_BAD (a
 * record rejected or invalid, an input bad, a --select matching nothing), CC_FAILED. */
CC_EXPORT int cc_convert(const cc_convert_opts *o);
/* credconv validate: each input checked against its format's schema (o->to unused). */
CC_EXPORT int cc_validate(const cc_convert_opts *o);

/* ------------------------------------------------------------ read, write */

/* Reads one input (a path, "-": stdin) in format `from` (NULL: detected) and gives each
 * record to sink, which takes ownership (cc_record_free).  schema_dir as in
 * cc_convert_opts; validate: check each record against the format's schema too (a record
 * with errors has r->invalid > 0).  CC_OK, CC_BAD (not well formed, not a known format),
 * CC_FAILED (unreadable). */
CC_EXPORT int cc_read_records(const char *path, const char *from, const char *schema_dir,
                              bool validate, const cc_record_sink *sink,
                              const cc_diag_sink *diag);

/* One record written by format `to` as a whole document into memory (*out, malloc'd,
 * NUL-terminated, *len bytes; the caller frees it), checked by that format's validation
 * first (schema_dir as in cc_convert_opts).  CC_OK, CC_BAD (rejected: reported),
 * CC_FAILED. */
CC_EXPORT int cc_write_record(const cc_record *r, const char *to, const char *schema_dir,
                              char **out, size_t *len, const cc_diag_sink *diag);

/* ------------------------------------------------------------ sign, verify */

typedef struct cc_sign_opts {
    const char *key_file;           /* the private key: PEM, JWK or Multikey (required) */
    const char *alg;                /* RS256, ES256, EdDSA; NULL: from the key */
    const char *kid;                /* the header kid, or the proof's verificationMethod */
    bool embed_jwk;                 /* the public key in the header (default without kid) */
    const char *suite;              /* "eddsa-rdfc-2022": an embedded Data Integrity proof */
    cc_fetch_options fetch;         /* the JSON-LD contexts of a Data Integrity proof */
} cc_sign_opts;

/* credconv sign, for one document (an OB 3.0 credential: a VC-JWT, or with suite the
 * credential with a proof, one line of JSON; an OB 2.0 assertion: a compact JWS).  *out:
 * malloc'd, NUL-terminated, without a newline.  CC_OK, CC_BAD (the document cannot be
 * signed: reported), CC_FAILED (the key cannot be read or cannot sign). */
CC_EXPORT int cc_sign_buffer(const char *doc, size_t len, const cc_sign_opts *o, char **out,
                             const cc_diag_sink *diag);

typedef struct cc_verify_options {
    const char *key_file;           /* --key: the issuer's public key (PEM, certificate,
                                     * JWK, Multikey, OB 2.0 CryptographicKey) */
    const char *jwks_file;          /* --jwks */
    const char *issuer_profile_file;   /* --issuer-profile (OB 2.0) */
    const char *revocation_list_file;  /* --revocation-list (OB 2.0) */
    bool accept_unbound;            /* --accept-unbound-key */
    cc_fetch_options fetch;         /* kid URLs, controller documents, contexts */
    const char *name;               /* how diagnostics name the document; NULL: "<buffer>" */
} cc_verify_options;

/* What a verification found: the command's verdict line. */
typedef struct cc_verify_result {
    int status;                     /* 1 valid, 0 invalid, -1 not checked */
    bool bound;                     /* the key is shown to be the issuer's */
    char kind[64];                  /* "VC-JWT", "Data Integrity proof", "EDC e-seal", … */
    char binding[1000];             /* how the key was bound, or why it is not */
    char checked[768];              /* what was checked and found good */
    char unchecked[1600];           /* what was not evaluated */
    char reason[64];                /* the rule of the first error */
} cc_verify_result;

/* credconv verify's signature check of one document: a VC-JWT, an OB 2.0 JWS, a JSON-LD
 * credential with a Data Integrity proof, a baked PNG/SVG, a sealed EDC XML document.  A
 * valid signature by a key not shown to be the issuer's is status 0 (key-not-bound) unless
 * accept_unbound.  The content (schema, hosted OB 2.0 assertions) is cc_validate's.
 * CC_OK only for status 1; CC_BAD otherwise; CC_FAILED when a key file cannot be read. */
CC_EXPORT int cc_verify_buffer(const char *doc, size_t len, const cc_verify_options *o,
                               cc_verify_result *v, const cc_diag_sink *diag);

CC_END_DECLS

#endif
