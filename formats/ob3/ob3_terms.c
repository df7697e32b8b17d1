/* The 1EdTech validator's JSON-LD check for OB 3.0 (docs/references.md ob §3.1 "JSON-LD
 * strictness"): converters/jsonld/jsonld_terms.c, with the rules named ob3-jsonld-*. */
#include "cc_jsonld_terms.h"
#include "cc_rdf.h"
#include "ob3.h"

int cc_ob3_check_terms(const json_t *doc, cc_jsonld_cache *contexts, const cc_diag_sink *diag,
                       const char *file, long line, const char *rec)
{
    return cc_jsonld_check_terms(doc, contexts, "ob3", diag, file, line, rec);
}
