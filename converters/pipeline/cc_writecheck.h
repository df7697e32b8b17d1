/* What a writer checks before it writes a record (issue 12 item 2): each record's output is
 * checked with its own format's validation, the same schema `validate -f FMT` uses, and a
 * record whose output would not validate is rejected (or, with --allow-invalid, written with
 * a warning).  One cc_wcheck per run: every schema is compiled once, however many writers
 * the run opens (-O DIR opens one per record). */
#ifndef CC_WRITECHECK_H
#define CC_WRITECHECK_H

#include "credconv/credconv.h"

#include <jansson.h>

typedef struct cc_wcheck cc_wcheck;
struct cc_schema_set;

/* schema_dir NULL: found as the command finds it (cc_default_schema_dir). */
cc_wcheck *cc_wcheck_new(const char *schema_dir, bool allow_invalid);
/* A check that checks nothing: for a caller that writes something else than what the writer
 * renders (convert --sign -t ob2 replaces the verification before signing). */
cc_wcheck *cc_wcheck_new_off(void);
bool cc_wcheck_off(const cc_wcheck *c);
void cc_wcheck_free(cc_wcheck *c);
bool cc_wcheck_allow_invalid(const cc_wcheck *c);

/* The bundled schemas: $CREDCONV_SCHEMAS, else beside the program (build tree), else
 * ../share/credconv/schemas (installed).  buf holds the path when it is not the variable's. */
const char *cc_default_schema_dir(char *buf, size_t cap);

/* A writer's check: the run's (ctx->check), else one of its own, freed with it. */
typedef struct cc_wcheck_ref {
    cc_wcheck *check;
    bool owned;
} cc_wcheck_ref;
cc_wcheck_ref cc_wcheck_for(const cc_write_ctx *ctx);
void cc_wcheck_release(cc_wcheck_ref *ref);

/* The sink a check reports to: under --allow-invalid every error becomes a warning. */
typedef struct cc_wcheck_sink {
    cc_diag_sink sink;
    const cc_diag_sink *to;
    bool downgrade;
} cc_wcheck_sink;
const cc_diag_sink *cc_wcheck_sink_init(cc_wcheck_sink *s, const cc_wcheck *c,
                                        const cc_diag_sink *to);

/* The XML document buf[0..len) against the bundled XSD `xsd` (compiled once per run): the
 * number of errors, each reported (record `rec`, rule `rule`, with its line in the output);
 * -1 when the schema cannot be loaded (reported). */
int cc_wcheck_xml(cc_wcheck *c, const char *xsd, const char *buf, size_t len,
                  const cc_diag_sink *diag, const char *rec, const char *rule);

/* The same on a document the caller parsed (and frees), for a writer that checks more than
 * the XSD on it (LOQ's SHACL checks): one parse for both. */
struct _xmlDoc;
int cc_wcheck_xml_doc(cc_wcheck *c, const char *xsd, struct _xmlDoc *doc,
                      const cc_diag_sink *diag, const char *rec, const char *rule);

/* The bundled JSON Schema `bundled` registered as `uri`, compiled once per run; NULL when
 * it cannot be loaded (reported). */
struct cc_schema_set *cc_wcheck_json_schema(cc_wcheck *c, const char *bundled, const char *uri,
                                            const cc_diag_sink *diag);

/* After a check found `errors`: 0 (write it) when there were none or --allow-invalid is
 * given (a warning says so), else 1 after an error naming the record, the format and what
 * to add (`hint`, may be NULL).  -1 errors (no schema) always rejects. */
int cc_wcheck_verdict(const cc_wcheck *c, const cc_diag_sink *diag, const cc_record *r,
                      const char *fmt, int errors, const char *hint);

#endif
