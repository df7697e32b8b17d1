/*
 * credconv — convert learning-credential records between RNCP/RS, Europass EDC and
 * Open Badges through one common model.
 *
 * Ownership rule: every record owns one arena; everything hanging off a record (strings,
 * lists, nested achievements, organisations) is allocated in that arena and freed with it
 * in one call (cc_record_free).  Nothing in the model is freed on its own.
 */
#ifndef CREDCONV_H
#define CREDCONV_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CC_VERSION "0.1.0"

/* The library's public functions (every declaration in include/credconv/): the shared
 * library is built with -fvisibility=hidden and a version script, so these alone are
 * exported (docs/API.md). */
#if defined(__GNUC__) || defined(__clang__)
#define CC_EXPORT __attribute__((visibility("default")))
#else
#define CC_EXPORT
#endif
/* cc_fatal and cc_oom do not return (in C99, C11 and C++ alike). */
#if defined(__GNUC__) || defined(__clang__)
#define CC_NORETURN __attribute__((noreturn))
#elif defined(__cplusplus)
#define CC_NORETURN [[noreturn]]
#else
#define CC_NORETURN _Noreturn
#endif
#ifdef __cplusplus
#define CC_BEGIN_DECLS extern "C" {
#define CC_END_DECLS }
#else
#define CC_BEGIN_DECLS
#define CC_END_DECLS
#endif

CC_BEGIN_DECLS
/* ---------------------------------------------------------------- out of memory */

/* The one out-of-memory policy: an allocation the library cannot do without ends the
 * process (one line on stderr, then abort()), in every module alike; no function reports
 * memory exhaustion as a bad input or an I/O error.  Callers that must survive it run
 * credconv in a process of their own.  cc_fatal is the same for the other "cannot go on"
 * failures (no random source, a digest that fails). */
CC_EXPORT CC_NORETURN void cc_fatal(const char *why);
CC_EXPORT CC_NORETURN void cc_oom(void);

/* ---------------------------------------------------------------- arena */

typedef struct cc_arena cc_arena;

CC_EXPORT cc_arena *cc_arena_new(void);
CC_EXPORT void cc_arena_free(cc_arena *a);
/* Drops every allocation but keeps the first block, so a reader that reuses one arena
 * per record does not go back to malloc for each record. */
CC_EXPORT void cc_arena_reset(cc_arena *a);
CC_EXPORT void *cc_alloc(cc_arena *a, size_t size);              /* zeroed; aborts on OOM */
CC_EXPORT char *cc_strdup(cc_arena *a, const char *s);          /* NULL stays NULL */
CC_EXPORT char *cc_strndup(cc_arena *a, const char *s, size_t n);
CC_EXPORT char *cc_sprintf(cc_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
CC_EXPORT size_t cc_arena_used(const cc_arena *a);

/* ---------------------------------------------------------------- lists */

/* Every list item starts with a `void *next` member, so one list type and one append
 * serve every item type, and `for (T *x = l.head; x; x = x->next)` reads naturally. */
typedef struct cc_list {
    void *head;
    void *tail;
    size_t n;
} cc_list;

CC_EXPORT void cc_list_append(cc_list *l, void *item);

/* ---------------------------------------------------------------- model */

typedef struct cc_text {          /* one language version of a human-readable string */
    void *next;
    const char *lang;             /* BCP 47, or NULL when unknown */
    const char *value;
} cc_text;

typedef struct cc_code {          /* a coded value: level, NSF, ROME, Formacode, identifier… */
    void *next;
    const char *scheme;           /* short scheme name, see docs/model.md (e.g. "nsf", "siret") */
    const char *code;
    cc_list label;                /* cc_text */
    const char *uri;
} cc_code;

typedef struct cc_ext {           /* a value a format carries that the model has no field for */
    void *next;
    const char *name;             /* top level: "<format>:<NAME>", e.g. "rncp:ETAT_FICHE" */
    const char *value;            /* leaf text, or NULL for a group */
    bool is_bool;                 /* value is "true" / "false" */
    cc_list children;             /* cc_ext */
} cc_ext;

typedef struct cc_org {
    void *next;
    const char *id;
    const char *role;             /* "awarding-body", "partner", "issuer", … */
    cc_list name;                 /* cc_text */
    cc_list identifiers;          /* cc_code: scheme "siret", … */
    const char *url;
    const char *email;
    const char *country;          /* ISO 3166-1 alpha-2 */
    const char *logo;
    cc_list ext;                  /* cc_ext */
} cc_org;

typedef struct cc_outcome {       /* one learning outcome */
    void *next;
    cc_list text;                 /* cc_text */
    int level;                    /* 1 = competence, 2 = sub-skill; 0 = not given */
    const char *uri;              /* e.g. an ESCO skill */
    const char *id;               /* the outcome's own id (EDC learningOutcome/@id), if any */
} cc_outcome;

typedef struct cc_achievement cc_achievement;
struct cc_achievement {           /* a specification: what can be awarded */
    void *next;
    const char *id;
    const char *code;             /* "RNCP35340", "RNCP35340BC01" */
    const char *kind;             /* "certification", "skills-block", "course", "badge", … */
    cc_code *type;                /* e.g. the RNCP "ABREGE" (BTS, CAP…) */
    cc_list title;                /* cc_text */
    cc_list description;
    cc_list criteria;
    cc_list assessment;
    cc_list entry_requirements;
    cc_list outcomes_text;        /* the raw outcome text, before splitting */
    cc_list outcomes;             /* cc_outcome */
    int eqf_level;                /* 0 = none */
    cc_code *nqf_level;
    const char *credits;          /* ECTS, as a decimal string */
    const char *volume;           /* ISO 8601 duration */
    cc_list alignments;           /* cc_code */
    cc_list orgs;                 /* cc_org: awarding bodies, partners */
    cc_list parts;                /* cc_achievement */
    const char *part_of;          /* code of the parent achievement */
    cc_list predecessors;         /* cc_code (code only) */
    cc_list successors;
    const char *homepage;
    const char *image;            /* URL or data: URI */
    const char *valid_until;      /* ISO 8601 date */
    int active;                   /* -1 unknown, 0 no, 1 yes */
    const char *language;
    cc_list ext;                  /* cc_ext */
};

typedef struct cc_identity {     /* how a person is identified: plain or salted-hashed */
    void *next;
    const char *type;             /* OB identityType: "emailAddress", "name", "studentId"… */
    const char *value;            /* plain value, or "sha256$<hex>" / "md5$<hex>" when hashed */
    bool hashed;
    const char *salt;
} cc_identity;

typedef struct cc_person {
    const char *id;
    const char *given_name;
    const char *family_name;
    const char *full_name;
    const char *email;
    const char *birth_date;
    cc_list identifiers;          /* cc_identity */
} cc_person;

typedef struct cc_credential {    /* an award */
    const char *id;
    cc_list name;
    cc_list description;
    cc_org *issuer;
    const char *issued;           /* ISO 8601 date-time */
    const char *valid_from;
    const char *valid_until;
    const char *awarded;
    cc_person *subject;
    cc_achievement *achievement;
    cc_list results;              /* cc_text */
    cc_list evidence;             /* cc_code: uri + label */
    cc_list ext;
    cc_list status;               /* cc_status_ref: where its status is published */
} cc_credential;

/* A credential's entry in a status list (issuing with --status-list): the W3C Bitstring
 * Status List entry a writer turns into credentialStatus. */
typedef struct cc_status_ref {
    struct cc_status_ref *next;
    const char *purpose;          /* "revocation" or "suspension" */
    const char *list;             /* the status list credential's URL */
    long long index;              /* the credential's bit in it */
} cc_status_ref;

typedef enum { CC_REC_ACHIEVEMENT = 1, CC_REC_CREDENTIAL = 2 } cc_record_kind;

typedef struct cc_record {
    cc_arena *arena;
    cc_record_kind kind;
    cc_achievement *achievement;  /* CC_REC_ACHIEVEMENT */
    cc_credential *credential;    /* CC_REC_CREDENTIAL */
    const char *src_file;         /* where it came from, for diagnostics */
    long src_line;
    long src_index;               /* 1-based position in its input */
    int invalid;                  /* schema errors the reader found in it (validation) */
    struct cc_record *adopted;    /* records whose data this one took over (cc_record_adopt) */
} cc_record;

CC_EXPORT cc_record *cc_record_new(cc_record_kind kind);
CC_EXPORT void cc_record_free(cc_record *r);  /* with every record it adopted */
/* `parent` takes `child` over, arena and all: what `parent` now points at in `child` (a block
 * moved into its fiche, say) lives as long as `parent`. */
CC_EXPORT void cc_record_adopt(cc_record *parent, cc_record *child);
CC_EXPORT const char *cc_record_id(const cc_record *r);  /* code, else id, else "#index" */

/* Small constructors used by every reader. */
CC_EXPORT cc_text *cc_text_add(cc_arena *a, cc_list *l, const char *lang, const char *value);
CC_EXPORT const char *cc_text_get(const cc_list *l, const char *lang);  /* lang, else first */
CC_EXPORT cc_code *cc_code_new(cc_arena *a, const char *scheme, const char *code, const char *label_lang,
                     const char *label);
CC_EXPORT cc_ext *cc_ext_add(cc_arena *a, cc_list *l, const char *name, const char *value);
CC_EXPORT cc_achievement *cc_achievement_new(cc_arena *a);
CC_EXPORT cc_org *cc_org_new(cc_arena *a);

/* ---------------------------------------------------------------- diagnostics */

typedef enum { CC_NOTE, CC_WARNING, CC_ERROR } cc_severity;

typedef struct cc_diag {
    cc_severity severity;
    const char *file;
    long line, col;               /* 0 when not known */
    const char *pointer;          /* JSON pointer, or NULL */
    const char *record;           /* record id, or NULL */
    const char *rule;             /* e.g. "rncp-no-numero" */
    const char *message;
} cc_diag;

typedef struct cc_diag_sink {
    void (*emit)(void *ud, const cc_diag *d);
    void *ud;
} cc_diag_sink;

CC_EXPORT void cc_diagf(const cc_diag_sink *s, cc_severity sev, const char *file, long line, long col,
              const char *record, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
/* The same with the JSON pointer of the value concerned ("" for the whole document), which
 * the command prints as "(at /ptr)" and --report keeps as a field of its own. */
CC_EXPORT void cc_diagp(const cc_diag_sink *s, cc_severity sev, const char *file, long line,
              const char *pointer, const char *record, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
CC_EXPORT const char *cc_severity_name(cc_severity s);  /* "error", "warning", "note" */
/* The form every command prints:  file:line:col: severity: record: message (at /ptr) [rule] */
CC_EXPORT void cc_diag_print(FILE *f, const cc_diag *d);
CC_EXPORT void cc_vdiag(const cc_diag_sink *s, cc_severity sev, const char *file, long line, long col,
              const char *pointer, const char *record, const char *rule, const char *fmt,
              va_list ap) __attribute__((format(printf, 9, 0)));

/* ---------------------------------------------------------------- input */

/* A byte source with a peek buffer, so detection can look at the first bytes of stdin
 * and the reader still gets every byte. */
typedef struct cc_input {
    FILE *fp;
    const char *name;             /* "-" shows as "<stdin>" */
    unsigned char peek[4096];
    size_t peek_len, peek_pos;
    long long size;               /* -1 when not a regular file */
    long long consumed;
    bool owned;                   /* closed by cc_input_close */
    void (*progress)(void *ud, long long done, long long total);
    void *progress_ud;
    struct cc_decoder *dec;       /* a gzip or zip input: what it holds is read */
    char error[256];              /* why opening or reading failed, when errno cannot say */
} cc_input;

CC_EXPORT int cc_input_open(cc_input *in, const char *path);  /* 0, or -1 with errno (and error) */
/* The same, reading the zip member named member (NULL: the first .xml member). */
CC_EXPORT int cc_input_open_member(cc_input *in, const char *path, const char *member);
/* The same over a stream the caller owns (and closes), e.g. from fmemopen. */
CC_EXPORT int cc_input_from_fp(cc_input *in, FILE *fp, const char *name);
CC_EXPORT void cc_input_close(cc_input *in);
CC_EXPORT size_t cc_input_read(cc_input *in, void *buf, size_t n);  /* 0 at EOF or error */
/* The rest of the input in one malloc'd, NUL-terminated buffer (for formats that need a
 * whole document: images, JWS lines); NULL when it is larger than max or memory fails. */
CC_EXPORT char *cc_input_slurp(cc_input *in, size_t max, size_t *len);
/* True when s matches the POSIX extended regular expression re (false for a NULL s). */
CC_EXPORT bool cc_matches(const char *s, const char *re);

/* ---------------------------------------------------------------- formats */

/* What a reader gives each record to.  The callee takes ownership of the record.
 * Returns 0 to go on, non-zero to stop the read (e.g. --strict after an error). */
typedef struct cc_record_sink {
    int (*record)(void *ud, cc_record *r);
    /* A record the reader could not map (already reported).  Same return convention. */
    int (*reject)(void *ud, const char *file, long line, const char *record_id);
    void *ud;
} cc_record_sink;

typedef struct cc_read_ctx {
    cc_input *in;
    cc_record_sink sink;
    const cc_diag_sink *diag;
    const char *schema_path;      /* validation: NULL = the format's own schema */
    bool validate;                /* check against the schema while reading */
    const char *schema_dir;       /* where the bundled schemas are */
    const struct cc_fetch_opts *fetch;  /* linked documents (cc_fetch.h); NULL: none fetched */
    bool verify;                  /* `verify`: also hosted verification and revocation */
    size_t max_json_size;         /* --max-json-size: bytes per JSON document; 0: the default */
    struct cc_schema_cache *schemas;  /* the run's compiled schemas (cc_jsonread.h), so that a
                                   * thousand input files compile theirs once; NULL: per input */
} cc_read_ctx;

/* A writer's state lives in one allocation its `open` returns. */
typedef struct cc_write_ctx {
    FILE *out;
    const cc_diag_sink *diag;
    int records_in_output;        /* how many records will go to this output: 1 or -1 (many) */
    /* -O DIR with --id-base: a writer may put documents its record links to (an OB 2.0
     * BadgeClass, an issuer Profile) in files of their own beside it.  `sibling` writes
     * `data` as the document whose id is `id` (under `id_base`), once per run; 0 or -1. */
    const char *id_base;
    int (*sibling)(void *ud, const char *id, const char *data, size_t len);
    void *sibling_ud;
    /* Each record's output is checked with its format's own validation before it is
     * written (converters/pipeline/cc_writecheck.h): the run's check, shared by every writer it opens,
     * compiles each schema once and knows --allow-invalid.  NULL: the writer makes its
     * own (bundled schemas, an invalid record rejected). */
    struct cc_wcheck *check;
    /* --case-version: "1.0" leaves out what CASE 1.1 added; NULL: 1.1. */
    const char *case_version;
    /* --status-list: the status entry of a document the writer makes itself of several
     * records and names by `id` (a CLR 2.0 of a learner's credentials, which each have their
     * own): its index comes from the same state file.  0, or -1 (reported: the document is
     * not written).  NULL: issued without status. */
    int (*status_entry)(void *ud, const char *id, cc_status_ref *out);
    void *status_ud;
    /* A caller that goes on with the record's JSON document (convert --sign) may ask for
     * the tree the writer's check parsed from what it wrote: a writer that has one stores a
     * json_t * the caller then owns here (a one-document record that passed its check),
     * else leaves it NULL and the caller parses the text.  NULL: not asked. */
    void **doc_out;
} cc_write_ctx;

enum {
    CC_CAP_READ = 1,
    CC_CAP_WRITE = 2,
    CC_CAP_VALIDATE = 4,
    /* The writer puts several records into one document, written when it closes (clr: one
     * record per learner).  With -O DIR the pipeline keeps one writer for the run and splits
     * what it wrote, one file per line, each named after the document's id. */
    CC_CAP_GROUPS = 8,
    /* Each record is written on its own (a line or lines of its own; open and close write
     * nothing): with --jobs N, N writers of the format write records side by side. */
    CC_CAP_LINES = 16,
    /* --status-list: the writer gives each credential the status entry the pipeline hands
     * it (cc_credential.status: a BitstringStatusListEntry; ob2: the issuer's revocationList). */
    CC_CAP_STATUS = 32,
};

/* The signatures `convert --sign` / `sign` make over a format's written records: the
 * descriptor says which (cc_format.sigs), the signing stage picks one from them and the
 * options, never from the format's name.  VC-JWT and Data Integrity are the W3C VC
 * signatures, shared by every format whose records are VCs. */
enum {
    CC_SIG_VCJWT = 1,   /* a compact JWS of the credential (default) */
    CC_SIG_DI = 2,      /* an embedded Data Integrity proof (--suite eddsa-rdfc-2022) */
    CC_SIG_OB2_JWS = 4, /* an OB 2.0 signed assertion (RS256 JWS, verification SignedBadge) */
    CC_SIG_JADES = 8,   /* a JAdES seal: JWS JSON, unencoded payload, x5c (--cert) */
};

/* read returns 0 (all read), 1 (an input error stopped it or a record was bad; reported) or
 * 2 (an I/O error). */
typedef struct cc_format {
    const char *name;
    const char *description;
    const char *extension;        /* for -O DIR file names */
    unsigned caps;                /* CC_CAP_* */
    unsigned sigs;                /* CC_SIG_*: 0 when its records are not signed */
    /* Confidence 0..100 that these first bytes are this format. */
    int (*bid)(const unsigned char *buf, size_t len);
    int (*read)(cc_read_ctx *ctx);
    void *(*writer_open)(cc_write_ctx *ctx);
    /* 0 written, 1 record rejected (reported), 2 output error. */
    int (*writer_record)(void *w, const cc_record *r);
    int (*writer_close)(void *w);  /* finishes the document and frees w; 0 or 2 */
} cc_format;

CC_EXPORT const cc_format *const *cc_formats(void);      /* NULL-terminated */
CC_EXPORT const cc_format *cc_format_find(const char *name);
CC_EXPORT const cc_format *cc_format_detect(const unsigned char *buf, size_t len);

/* ---------------------------------------------------------------- dates & misc */

/* "dd/mm/yyyy" → "yyyy-mm-dd" in out (11 bytes); false when s is not such a date. */
CC_EXPORT bool cc_date_fr_to_iso(const char *s, char out[11]);
CC_EXPORT bool cc_date_iso_to_fr(const char *s, char out[11]);
CC_EXPORT bool cc_is_iso_date(const char *s);
/* ISO 8601 date-time with a zone (or a date = midnight UTC) → seconds since the epoch;
 * false when s is not one (a real calendar date, a time zone required with a time). */
CC_EXPORT bool cc_iso_to_epoch(const char *s, long long *out);
/* Writes code point cp (≤ 0x10FFFF) as UTF-8 to out (4 bytes room); returns the length. */
CC_EXPORT size_t cc_utf8_encode(unsigned cp, char *out);

CC_END_DECLS

#endif
