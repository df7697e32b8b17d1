/* The 1EdTech validator's JSON-LD check (JsonLDValidationProbe; docs/references.md ob §3.1 "JSON-LD
 * strictness"): every property and type of a credential must be defined by its contexts.
 * An undefined term is dropped by JSON-LD without a trace, so, as the validator does, the
 * credential is expanded with a first context whose @vocab catches what no later context
 * defines (urn:UNDEFINEDTERM#…).  A VC 2.0 context that has its own @vocab sends undefined
 * terms to the issuer-dependent vocabulary instead: those are caught too.  Run by validate
 * and verify when the contexts can be read (--map-url, --fetch). */
#include "cc_fetch.h"
#include "cc_rdf.h"
#include "ob3.h"

#include <string.h>

#define ISSUER_DEPENDENT "https://www.w3.org/ns/credentials/issuer-dependent#"
#define UNDEFINED "urn:UNDEFINEDTERM#"
#define RDF_TYPE "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

/* The term of an IRI in one of the two catch-all vocabularies, or NULL. */
static const char *caught(const char *iri)
{
    static const char *const vocabs[] = {UNDEFINED, ISSUER_DEPENDENT};
    for (int i = 0; iri && i < 2; i++)
        if (!strncmp(iri, vocabs[i], strlen(vocabs[i])))
            return iri + strlen(vocabs[i]);
    return NULL;
}

/* The undefined terms of a dataset (properties, and the types given with rdf:type), each
 * once, into a JSON set. */
static void undefined_terms(const cc_rdf_dataset *ds, json_t *seen)
{
    for (size_t i = 0; i < cc_rdf_count(ds); i++) {
        const cc_rdf_quad *q = cc_rdf_get(ds, i);
        const char *p = caught(q->p.value);
        const char *t = !strcmp(q->p.value, RDF_TYPE) && q->o.kind == CC_RDF_IRI ? caught(q->o.value)
                                                                               : NULL;
        if (p)
            json_object_set_new(seen, p, json_true());
        if (t)
            json_object_set_new(seen, t, json_true());
    }
}

/* One error naming the undefined terms (the first ten); 1, or 0 when there are none. */
static int report_undefined(const json_t *seen, const cc_diag_sink *diag, const char *file,
                            long line, const char *rec)
{
    char list[768] = "";
    size_t used = 0, shown = 0;
    const char *term;
    json_t *v;
    json_object_foreach((json_t *)seen, term, v) {
        if (shown++ < 10 && used < sizeof list)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s'%.60s'", used ? ", " : "", term);
    }
    if (!shown)
        return 0;
    if (shown > 10 && used < sizeof list)
        snprintf(list + used, sizeof list - used, " and %zu more", shown - 10);
    cc_diagf(diag, CC_ERROR, file, line, 0, rec, "ob3-jsonld-undefined", "defined by none of the "
             "credential's contexts, so JSON-LD drops %s: %s", shown > 1 ? "them" : "it", list);
    return 1;
}

/* doc with the catch-all context in front of its own. */
static json_t *with_catch_all(const json_t *doc)
{
    json_t *probe = json_copy((json_t *)doc), *own = json_object_get(doc, "@context");
    json_t *ctx = json_pack("[{s:s}]", "@vocab", UNDEFINED);
    if (json_is_array(own))
        json_array_extend(ctx, own);
    else if (own)
        json_array_append(ctx, own);
    json_object_set_new(probe, "@context", ctx);
    return probe;
}

int cc_ob3_check_terms(const json_t *doc, cc_jsonld_cache *contexts, const cc_diag_sink *diag,
                       const char *file, long line, const char *rec)
{
    const cc_fetch_opts *fetch = contexts->fetch;
    if (!fetch || (!fetch->network && !fetch->nmaps)) {
        cc_diagf(diag, CC_NOTE, file, line, 0, rec, "ob3-jsonld-not-checked", "JSON-LD terms not "
                 "checked: the contexts are read only with --map-url or --fetch");
        return 0;
    }
    cc_rdf_dataset *ds = cc_rdf_new();
    json_t *seen = json_object();
    char err[512] = "";
    int errors = 0;
    json_t *probe = with_catch_all(doc);
    /* the run's contexts, loaded and processed once, when main made them */
    cc_jsonld_run *run = fetch->jsonld;
    if (run)
        contexts = cc_jsonld_run_cache(run, fetch);
    if (cc_jsonld_to_rdf_run(probe, cc_jsonld_cache_load, contexts, false, run, ds, err, sizeof err) != 0) {
        bool unavailable = strstr(err, "loading remote context failed") != NULL;
        cc_diagf(diag, unavailable ? CC_WARNING : CC_ERROR, file, line, 0, rec,
                 unavailable ? "ob3-jsonld-not-checked" : "ob3-jsonld", "JSON-LD: %s", err);
        errors = !unavailable;
    } else {
        undefined_terms(ds, seen);
        errors = report_undefined(seen, diag, file, line, rec);
    }
    json_decref(seen);
    json_decref(probe);
    cc_rdf_free(ds);
    return errors;
}
