/* Issuing: an issuer file and a recipients file turn specifications (achievements) into
 * credentials, one per recipient row.  Internal to credconv. */
#ifndef CC_ISSUE_H
#define CC_ISSUE_H

#include "credconv/credconv.h"

typedef struct cc_recipient {
    long line;            /* in the CSV file, for diagnostics */
    long row;             /* 1-based data row */
    char *email, *given_name, *family_name, *achievement, *id, *issued;
    bool used;            /* an achievement of that code was found */
} cc_recipient;

typedef struct cc_recipients {
    cc_recipient *rows;   /* the good rows (bad ones were reported and counted) */
    size_t n, cap;
    long bad;             /* rows rejected while loading */
    /* One slot per distinct achievement code (open addressing): the first of its rows; next[]
     * chains the rows of one code in file order.  So a batch of one certification for many
     * graduates is one slot and a chain, not one long probing run (quadratic). */
    size_t *index;
    size_t index_cap;
    size_t *next;         /* per row: the next row with the same code, or SIZE_MAX */
} cc_recipients;

/* The text encoding of a recipients CSV (--csv-encoding).  AUTO: UTF-8 when the bytes are
 * (or after a UTF-8 byte-order mark), else Windows-1252 when no byte beyond ASCII is part of
 * a UTF-8 sequence (what Excel's "CSV" is in France); a file mixing both is read as UTF-8
 * and its rows with other bytes are refused.  CP1252 maps 0x80-0x9F by the Windows-1252
 * table (the 5 bytes it leaves undefined are refused), LATIN1 to U+0080-U+009F. */
typedef enum { CC_CSV_AUTO, CC_CSV_UTF8, CC_CSV_CP1252, CC_CSV_LATIN1 } cc_csv_encoding;
/* "utf-8" (or utf8), "cp1252" (or windows-1252), "latin1" (or iso-8859-1), any case; 0, or
 * -1 for another name. */
int cc_csv_encoding_parse(const char *name, cc_csv_encoding *out);
const char *cc_csv_encoding_name(cc_csv_encoding enc);

/* Loads and checks a recipients CSV (RFC 4180; in enc; a UTF-8 byte-order mark, CRLF, LF or
 * CR line ends; separated by ',', ';' or tabs, whichever the header line has most of; a
 * header row naming email, given_name, family_name, achievement and optionally id, issued,
 * in any case, trimmed).  Bad rows are reported with their line and the header of the
 * column at fault, and counted in ->bad.  Returns 0, or -1 when the file itself cannot be
 * used (reported). */
int cc_recipients_load(cc_recipients *r, const char *path, cc_csv_encoding enc,
                       const cc_diag_sink *diag);
/* Parses CSV text already in memory (the loader's core; also used by tests and fuzzing);
 * cc_recipients_parse detects the encoding (CC_CSV_AUTO). */
int cc_recipients_parse_as(cc_recipients *r, const char *text, size_t len, cc_csv_encoding enc,
                           const char *name, const cc_diag_sink *diag);
int cc_recipients_parse(cc_recipients *r, const char *text, size_t len, const char *name,
                        const cc_diag_sink *diag);
void cc_recipients_free(cc_recipients *r);
/* Calls fn for each row awarding `code`, in file order. */
void cc_recipients_each(cc_recipients *r, const char *code,
                        void (*fn)(void *ud, cc_recipient *row), void *ud);

typedef struct cc_issuer {
    char *id, *name, *url, *email, *siret, *country;
} cc_issuer;

/* Loads {"id", "name", "url", "email", "siret", "country"}; id and name are required,
 * country defaults to FR.  Returns 0, or -1 (reported). */
int cc_issuer_load(cc_issuer *is, const char *path, const cc_diag_sink *diag);
void cc_issuer_free(cc_issuer *is);

typedef struct cc_issue_opts {
    const cc_issuer *issuer;    /* may be NULL */
    bool hash_recipients;
    const char *id_base;        /* BASE/<uuid> ids; NULL: urn:uuid:<uuid> */
    const char *now;            /* default issue date-time */
} cc_issue_opts;

/* A credential record awarding `a` (borrowed: it must outlive the record) to the row. */
cc_record *cc_issue_credential(const cc_issue_opts *o, cc_achievement *a, const cc_recipient *row);

/* NULL when s is an absolute IRI credconv can write into XML and JSON: a scheme and ':', then
 * no space, control character or any of <>"{}|\^`, in UTF-8 that XML can carry; else what is
 * wrong (in buf).  Every option value copied into the output (--id-base, --badge-image, --kid)
 * and the issuer file's id and url are checked with it. */
const char *cc_iri_problem(const char *s, char *buf, size_t cap);
/* NULL when s is UTF-8 text XML 1.0 can carry; else what is wrong (in buf). */
const char *cc_text_problem(const char *s, char *buf, size_t cap);

/* Helpers, exposed for tests. */
bool cc_valid_email(const char *s);
/* ISO 8601 date or date-time with a time zone; a date becomes midnight UTC.  The result is
 * written to out (at most 40 bytes); false when s is not such a value. */
bool cc_normalize_datetime(const char *s, char out[40]);
/* "sha256$" + hex(SHA-256(identity ‖ salt)), into out (72 bytes). */
void cc_identity_hash(const char *identity, const char *salt, char out[72]);
/* The same with alg "sha256" or "md5"; false for another algorithm. */
bool cc_identity_hash_alg(const char *alg, const char *identity, const char *salt, char out[72]);
/* Whether value (e.g. an email) is the identity: equal to a plain one, or hashing (with the
 * identity's salt and algorithm) to a hashed one, hex compared case-insensitively. */
bool cc_identity_matches(const cc_identity *id, const char *value);
/* The issuer as an organisation of role "issuer", copied into the arena. */
cc_org *cc_issuer_org(cc_arena *a, const cc_issuer *is);
/* Random bytes from the kernel; false if none could be had. */
bool cc_random(void *buf, size_t n);
void cc_uuid4(char out[37]);
/* A name-based (version 5) UUID of a URL, in the RFC 4122 URL namespace. */
void cc_uuid5_url(const char *url, char out[37]);
/* A credential's id, from its content (docs/decisions.md): the RFC 9562 version 5 UUID, in
 * credconv's credential namespace, of issuer id, code, e-mail (lower case) and UTC issue
 * date ("" for a missing one) joined by newlines. */
void cc_credential_uuid(const char *issuer_id, const char *code, const char *email,
                        const char *issued, char out[37]);
/* The current time as an ISO 8601 UTC date-time (SOURCE_DATE_EPOCH when set). */
void cc_now(char out[21]);

#endif
