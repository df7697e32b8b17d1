/* Open Badges 2.0: shared by the reader, the checks and the writer (internal). */
#ifndef OB2_H
#define OB2_H

#include "cc_fetch.h"
#include "credconv/credconv.h"
#include "jsonschema.h"

#include <jansson.h>

#define OB2_CONTEXT "https://w3id.org/openbadges/v2"

/* One input document being read: a JSON tree whose linked nodes (badge, issuer) are
 * replaced by the documents fetched for them, so checks and mapping see one tree. */
typedef struct ob2_doc {
    json_t *root;                 /* owned */
    const char *file;
    long line;
    const char *record;           /* id, for diagnostics */
    const cc_diag_sink *diag;
    const cc_fetch_opts *fetch;
    int errors;
    bool signed_jws;              /* came as a compact JWS */
    bool verify, validate;        /* the command: a linked document claiming another id is an
                                   * error for verify, a warning for validate (as the validator
                                   * has it), and never used by verify or convert */
    cc_schema_set *schema;        /* validate/verify: the OB 2.0 JSON Schema, else NULL */
} ob2_doc;

void ob2_diag(ob2_doc *d, cc_severity sev, const char *ptr, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The first type of node that is one of names (NULL-terminated), or NULL. */
const char *ob2_type_is(const json_t *node, const char *const *names);
/* A string property, or the "id" of an object value (image, criteria, evidence). */
const char *ob2_id_of(const json_t *v);
/* Fetches url as JSON (what: "BadgeClass", "issuer"…; NULL for a document that is no OB node,
 * such as an extension's JSON Schema, whose "id" is a schema keyword): a new reference, or
 * NULL (reported at ptr).  A document whose id is not the URL it came from (cc_url_same) is
 * refused (NULL) unless validating.  *status gets the HTTP status (0: no answer). */
json_t *ob2_fetch_json(ob2_doc *d, const char *url, const char *ptr, const char *what, long *status);
/* A linked document (what: "BadgeClass", "issuer") left as its IRI: a note when it was not
 * fetched for want of --fetch, an error when --fetch cannot follow it (another scheme). */
void ob2_not_fetched(ob2_doc *d, const char *ptr, const char *what, const char *url);

/* Replaces linked badge and issuer IRIs by their documents, where they can be fetched. */
void ob2_resolve(ob2_doc *d);
/* The validator's checks (docs/references.md ob §2.5) and the JSON Schema; returns the errors found. */
int ob2_check(ob2_doc *d);
int cc_ob2_read(cc_read_ctx *ctx);  /* 0, 1 (a bad input) or 2 (I/O) */
void *ob2_writer_open(cc_write_ctx *ctx);
int ob2_writer_record(void *w, const cc_record *r);
int ob2_writer_close(void *w);
/* Each node typed Extension against the JSON Schema its context names (formats/ob2/ob2_ext.c). */
void ob2_check_extensions(ob2_doc *d);
/* The schema for validate/verify: ctx->schema_path, else the bundled schemas/ob2. */
cc_schema_set *ob2_load_schema(const cc_read_ctx *ctx);
#define OB2_SCHEMA_FILE "ob2/ob2.schema.json"
#define OB2_SCHEMA_URI "https://credconv.invalid/validate/ob2.json"
/* Hosted verification (verify): fetch the assertion by its id, 410 and revoked. */
int ob2_verify_hosted(ob2_doc *d);

#endif
