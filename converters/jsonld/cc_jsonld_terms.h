/* The 1EdTech validator's JSON-LD check (JsonLDValidationProbe), for any credential format
 * read as JSON-LD (OB 3.0, CLR 2.0): every property and type must be defined by the
 * document's contexts.  Internal to credconv. */
#ifndef CC_JSONLD_TERMS_H
#define CC_JSONLD_TERMS_H

#include "credconv/credconv.h"

#include <jansson.h>

struct cc_jsonld_cache;

/* Expands doc (with a catch-all @vocab in front of its contexts) and reports, as one error
 * of rule "<prefix>-jsonld-undefined", the terms no context defines; "<prefix>-jsonld" when
 * expansion fails, a note "<prefix>-jsonld-not-checked" when no context can be read (no
 * --map-url, no --fetch).  Returns the number of errors (0 or 1). */
int cc_jsonld_check_terms(const json_t *doc, struct cc_jsonld_cache *contexts, const char *prefix,
                          const cc_diag_sink *diag, const char *file, long line, const char *rec);

#endif
