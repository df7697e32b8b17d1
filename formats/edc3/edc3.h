/* Internal to the EDC 3 format module (formats/edc3/): Europass Digital Credentials on the
 * European Learning Model v3, JSON-LD (issue 15).  Two write forms share one reader:
 * - "edc3": W3C VC 1.1 contexts + edc-ap (ELM 3.0/3.1), what the EC issuer seals and the
 *   Europass wallet stores;
 * - "edc3-vc2": VCDM 2.0 + edc-ap (ELM 3.2), the form the EBSI EDC JSON Schema describes.
 * The mapping is documented in docs/mapping.md ("EDC 3"). */
#ifndef CC_EDC3_H
#define CC_EDC3_H

#include "credconv.h"

#include <jansson.h>

#define EDC3_CTX_VC1 "https://www.w3.org/2018/credentials/v1"
#define EDC3_CTX_VC2 "https://www.w3.org/ns/credentials/v2"
#define EDC3_CTX_EDC "http://data.europa.eu/snb/model/context/edc-ap"
#define EDC3_SHACL_FULL "http://data.europa.eu/snb/model/ap/edc-generic-full"
/* Everything of a credential the model has no field for: the credential as read, minus
 * what the model took (edc3 -> edc3 puts it back). */
#define EDC3_EXT_REST "edc3:credential"

typedef enum { EDC3_VC1 = 1, EDC3_VC2 = 2 } edc3_form;

/* ---------------------------------------------------------------- the reader (edc3_read.c) */

/* The credential a document holds: the document itself, the "credential" of the issuer's
 * upload form, or the payload of a JAdES JWS JSON serialisation (then *sealed is set).
 * New reference, or NULL (reported, rule edc3-not-credential / edc3-jws). */
json_t *cc_edc3_unwrap(const json_t *doc, bool *sealed, const cc_diag_sink *diag,
                       const char *file, long line, size_t max_size);
int cc_edc3_read(cc_read_ctx *ctx);

/* ---------------------------------------------------------------- checks (edc3_check.c) */

/* The SHACL rules of EDC-generic-no-cv / EDC-generic-full that apply to a credential, as C
 * checks (rule ids "edc3-shacl-*" and "edc3-cv-*"), each error with its JSON pointer; the
 * properties the EC adds at sealing (issued, the issuer's eIDAS identifier) are required
 * only of a sealed credential.  form 0: either form.  Returns the number of errors. */
int cc_edc3_check(const json_t *cred, edc3_form form, bool sealed, const cc_diag_sink *diag,
                  const char *file, long line, const char *rec);

/* Every term of the credential defined by its contexts (read through --map-url or --fetch;
 * a note when they cannot be read).  Returns the number of errors. */
struct cc_jsonld_cache;
int cc_edc3_check_terms(const json_t *cred, struct cc_jsonld_cache *contexts,
                        const cc_diag_sink *diag, const char *file, long line, const char *rec);

/* A JSON Schema file (--schema) with the documents its relative $refs name beside it (the
 * EBSI schema's ./vcdm2.0-attestation-schema/schema.json), registered at the URIs those
 * $refs resolve to.  NULL (reported) when it cannot be loaded. */
typedef struct edc3_schema {
    struct cc_schema_set *set;
    char uri[2048];               /* what the schema is registered as: its $id */
} edc3_schema;
edc3_schema *cc_edc3_schema_load(const char *path, const cc_diag_sink *diag);
void cc_edc3_schema_free(edc3_schema *s);
/* 0 valid, else the number of errors (reported with their pointers); -1 unusable. */
int cc_edc3_schema_check(edc3_schema *s, const json_t *cred, const cc_diag_sink *diag,
                         const char *file, long line, const char *rec);

/* ---------------------------------------------------------------- the writer (edc3_write.c) */

void *cc_edc3_writer_open_vc1(cc_write_ctx *ctx);
void *cc_edc3_writer_open_vc2(cc_write_ctx *ctx);
int cc_edc3_writer_record(void *w, const cc_record *r);
int cc_edc3_writer_close(void *w);

/* ---------------------------------------------------------------- shared (edc3.c) */

/* The first string of a language map / string / array of strings, and its language. */
const char *cc_edc3_first_text(const json_t *v, const char **lang);
/* Single values and arrays alike: item i of "p": v or "p": [v]. */
size_t cc_edc3_count(const json_t *v);
const json_t *cc_edc3_item(const json_t *v, size_t i);
bool cc_edc3_has_type(const json_t *obj, const char *type);

#endif
