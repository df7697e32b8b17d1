/* Internal to the CLR 2.0 format module (formats/clr/).  The mapping is documented in
 * docs/mapping.md ("CLR 2.0").  A CLR is a frame around Open Badges 3.0 documents: the
 * achievements and the nested credentials are written and read by the "ob3" format, reached
 * through the registry (cc_format_find), never through its header. */
#ifndef CC_CLR_H
#define CC_CLR_H

#include "credconv/credconv.h"

#include <jansson.h>

#define CLR_CTX_VC2 "https://www.w3.org/ns/credentials/v2"
#define CLR_CTX "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
#define CLR_CTX_OB "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

/* The bundled schema `validate -f clr` uses, and the URI it is registered under. */
#define CLR_SCHEMA_FILE "clr2/clr2.schema.json"
#define CLR_SCHEMA_URI "https://credconv.invalid/validate/clr2.json"

/* The association a skills block has with its certification (docs/decisions.md). */
#define CLR_BLOCK_ASSOCIATION "isPartOf"

/* The checks beyond the schema (clr_check.c): @context positions, types, the subject's id or
 * identifier, associations naming achievements of the record, the validity period.
 * Returns the number of errors. */
int cc_clr_check(const json_t *doc, const cc_diag_sink *diag, const char *file, long line,
                 const char *rec);

/* A VC Data Model 1.1 document as the VC 2.0 one it maps to (context, issuanceDate,
 * expirationDate), itself and its nested credentials: a new reference. */
json_t *cc_clr_as_vc2(const json_t *doc);

/* What `validate -f clr` checks in one CLR written: the schema and cc_clr_check.  The
 * writer runs it on each CLR; returns the number of errors (-1: no schema). */
struct cc_schema_set;
int cc_clr_check_written(struct cc_schema_set *set, const json_t *doc, const cc_diag_sink *diag,
                         const char *rec);

/* The nested credentials of a ClrSubject, as an array (a single object is one item):
 * borrowed, never NULL for an object subject. */
const json_t *cc_clr_nested(const json_t *doc);

int cc_clr_read(cc_read_ctx *ctx);
void *cc_clr_writer_open(cc_write_ctx *ctx);
int cc_clr_writer_record(void *w, const cc_record *r);
int cc_clr_writer_close(void *w);

#endif
