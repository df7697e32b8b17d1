/* The 1EdTech validator's JSON-LD check (JsonLDValidationProbe), for any credential format
 * read as JSON-LD (OB 3.0, CLR 2.0): every property and type must be defined by the
 * document's contexts.  Internal to credconv. */
#ifndef CC_JSONLD_TERMS_H
#define CC_JSONLD_TERMS_H

#include "credconv/credconv.h"

#include <jansson.h>

struct cc_jsonld_cache;
typedef struct cc_jsonld_run cc_jsonld_run;

/* Expands doc (with a catch-all @vocab in front of its contexts) and reports, as one error
 * of rule "<prefix>-jsonld-undefined", the terms no context defines; "<prefix>-jsonld" when
 * expansion fails, a note "<prefix>-jsonld-not-checked" when no context can be read (no
 * --map-url, no --fetch).  Returns the number of errors (0 or 1). */
int cc_jsonld_check_terms(const json_t *doc, struct cc_jsonld_cache *contexts, const char *prefix,
                          const cc_diag_sink *diag, const char *file, long line, const char *rec);

/* Records, for the rest of the run, that cc_jsonld_check_terms on doc reports nothing (what
 * cc_jsonld_to_rdf_split found while the Data Integrity check converted it), so that the
 * check, run again on the same document by the reader (verify's second pass), does not
 * expand and convert it a second time.  Kept by the SHA-256 of doc's compact JSON text: the
 * check is skipped only for a document equal to this one, whatever file it comes from.
 * Nothing is kept without a run, or past RUN_TERMS_MAX documents. */
void cc_jsonld_terms_vouch(cc_jsonld_run *run, const json_t *doc);

#endif
