/* RDF datasets for Data Integrity proofs (eddsa-rdfc-2022): JSON-LD → RDF (converters/
 * jsonld.c), RDF Dataset Canonicalization RDFC-1.0 (converters/jsonld/rdfc.c), N-Quads in and out.
 * Internal to credconv.
 *
 * Ownership: a dataset owns every string of its quads (an arena); cc_rdf_add copies. */
#ifndef CC_RDF_H
#define CC_RDF_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum { CC_RDF_NONE, CC_RDF_IRI, CC_RDF_BLANK, CC_RDF_LITERAL } cc_rdf_kind;

#define CC_XSD_STRING "http://www.w3.org/2001/XMLSchema#string"
#define CC_RDF_LANGSTRING "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

typedef struct cc_rdf_term {
    cc_rdf_kind kind;        /* CC_RDF_NONE only for the graph of a default-graph quad */
    const char *value;       /* IRI; blank node label without "_:"; literal lexical form (in a
                                literal, U+0000 is stored as the bytes C0 80, never valid UTF-8,
                                and written back as \u0000) */
    const char *datatype;    /* literal: its datatype IRI (CC_XSD_STRING for a plain string,
                                CC_RDF_LANGSTRING with a language); else NULL */
    const char *lang;        /* literal with a language tag, else NULL */
} cc_rdf_term;

typedef struct cc_rdf_quad {
    cc_rdf_term s, p, o, g;  /* g.kind == CC_RDF_NONE: the default graph */
} cc_rdf_quad;

typedef struct cc_rdf_dataset cc_rdf_dataset;

cc_rdf_dataset *cc_rdf_new(void);
void cc_rdf_free(cc_rdf_dataset *d);
/* Adds a quad (strings copied); g may be NULL for the default graph.  A quad already in the
 * dataset is not added twice (a dataset is a set).  0, or -1 for a quad RDF does not allow (a
 * literal or missing subject, a predicate that is not an IRI, a literal graph name). */
int cc_rdf_add(cc_rdf_dataset *d, const cc_rdf_term *s, const cc_rdf_term *p,
               const cc_rdf_term *o, const cc_rdf_term *g);
size_t cc_rdf_count(const cc_rdf_dataset *d);
/* The i-th quad, valid until the next cc_rdf_add (the array grows). */
const cc_rdf_quad *cc_rdf_get(const cc_rdf_dataset *d, size_t i);

/* Parses N-Quads text (RDF 1.1 N-Quads: IRIs, blank nodes, literals with datatype or language,
 * \-escapes, comments).  0, or -1 with err ("line N: why"). */
int cc_rdf_parse_nquads(cc_rdf_dataset *d, const char *text, size_t len, char *err, size_t errlen);

/* One quad in canonical N-Quads form (RDFC-1.0 §4.x / N-Quads canonical escaping), ending in
 * "\n"; a new malloc'd string. */
char *cc_rdf_quad_nquads(const cc_rdf_quad *q);

/* RDFC-1.0 with SHA-256: the canonical N-Quads document (blank nodes relabelled _:c14n0…, lines
 * sorted in code point order, each ending "\n"; "" for an empty dataset) as a new malloc'd
 * string, or NULL with err.  Fails (rather than run for ever) when Hash N-Degree Quads would be
 * called more than max_ndegree_calls times (0: a default that suits credentials, 4096).
 * issued, when not NULL, receives a new JSON object: input blank node label → canonical label
 * (without "_:"), for the test suite's "issued identifiers map" tests. */
char *cc_rdfc_canonize(const cc_rdf_dataset *d, unsigned long max_ndegree_calls, json_t **issued,
                       char *err, size_t errlen);

/* JSON-LD 1.1 → RDF (the "Deserialize JSON-LD to RDF" algorithm after expansion), for the
 * documents credentials are: contexts by URL (loaded through `load`), inline contexts,
 * type-scoped and property-scoped contexts, @protected, @vocab, compact IRIs, @container
 * @set/@list/@language/@index/@graph/@id/@type, @type coercion (@id, @vocab, @json,
 * datatypes), @language, @reverse, @included, @nest, @json literals (JCS canonical form).
 * load returns a new reference to the JSON document at url (whose "@context" is used), or
 * NULL with err; it is called once per distinct URL per conversion.
 * Returns 0, or -1 with err (a JSON-LD error: invalid term definition, loading failed, …). */
typedef json_t *(*cc_jsonld_loader)(void *ud, const char *url, char *err, size_t errlen);
int cc_jsonld_to_rdf(const json_t *doc, cc_jsonld_loader load, void *ud, cc_rdf_dataset *out,
                     char *err, size_t errlen);
/* The same, in safe mode when safe is true (as jsonld.js's "safe" option, which Data
 * Integrity verifiers use): whatever the algorithms would drop silently (a member under a
 * term no context defines, a keyword-like key, a relative IRI for @id, @type or an
 * IRI-typed value, a free-floating value, an object with only @value, @list, @id or
 * @language at the top, a bad language tag or datatype, a relative or blank-node predicate
 * in the RDF) is an error: -2, err naming the event and the member's JSON pointer. */
int cc_jsonld_to_rdf_mode(const json_t *doc, cc_jsonld_loader load, void *ud, bool safe,
                          cc_rdf_dataset *out, char *err, size_t errlen);

/* A loader for cc_jsonld_to_rdf that reads contexts only through --map-url or --fetch
 * (converters/jsonld/jsonld_load.c), each URL once per cache.  Pass the cache as the loader's ud. */
struct cc_fetch_opts;
typedef struct cc_jsonld_cache {
    const struct cc_fetch_opts *fetch;  /* NULL: nothing can be read */
    json_t *docs;                       /* url → document */
} cc_jsonld_cache;
void cc_jsonld_cache_init(cc_jsonld_cache *c, const struct cc_fetch_opts *fetch);
void cc_jsonld_cache_free(cc_jsonld_cache *c);
/* err says why, without the URL (the JSON-LD processor names it). */
json_t *cc_jsonld_cache_load(void *ud, const char *url, char *err, size_t errlen);

/* A run's JSON-LD contexts (converters/jsonld/jsonld_run.c), made once by main and reached
 * through cc_fetch_opts.jsonld: the context documents loaded (by URL), and each processed
 * active context for a given @context list or scoped context, so that a run of 10,000
 * credentials naming the same two contexts loads, parses and processes them once.  What
 * cannot be shared (an inline context in the document, a failure) is processed per
 * conversion as without it: the RDF and every error are the same. */
typedef struct cc_jsonld_run cc_jsonld_run;
cc_jsonld_run *cc_jsonld_run_new(void);
void cc_jsonld_run_free(cc_jsonld_run *r);
/* The run's document cache (its loader reads through fetch). */
cc_jsonld_cache *cc_jsonld_run_cache(cc_jsonld_run *r, const struct cc_fetch_opts *fetch);
/* A slot the run keeps for the Data Integrity verifier's resolved keys (di_proof.c), NULL
 * until it sets it; free_fn(*slot) is called when the run is freed.  Per run, so per worker
 * thread when each has its own run.  NULL when r is NULL. */
void **cc_jsonld_run_keys(cc_jsonld_run *r, void (*free_fn)(void *));
/* The same for the set of documents whose terms check is known to report nothing
 * (jsonld_terms.c, cc_jsonld_terms_vouch). */
void **cc_jsonld_run_terms(cc_jsonld_run *r, void (*free_fn)(void *));
/* cc_jsonld_to_rdf_mode with the run's processed contexts (run may be NULL). */
int cc_jsonld_to_rdf_run(const json_t *doc, cc_jsonld_loader load, void *ud, bool safe,
                         cc_jsonld_run *run, cc_rdf_dataset *out, char *err, size_t errlen);

/* The catch-all vocabularies of the terms check (jsonld_terms.c): what no context defines
 * expands into the first (the check's own @vocab) or, under a VC 2.0 context, the second. */
#define CC_JSONLD_UNDEFINED "urn:UNDEFINEDTERM#"
#define CC_JSONLD_ISSUER_DEPENDENT "https://www.w3.org/ns/credentials/issuer-dependent#"

/* One expansion for two conversions (Data Integrity verify, issue 17): out receives, in safe
 * mode, the RDF of doc without its member key (the credential without its proof), exactly as
 * cc_jsonld_to_rdf_run(doc minus key, ..., true, ...) gives it, from one expansion of the
 * whole document.  *clean: true when that expansion also shows that cc_jsonld_check_terms
 * on the whole document reports nothing (no undefined term, no error).  0; 1 when the split
 * cannot stand for the separate conversion (key absent or not a plain property, any error,
 * anything unusual): then out may hold quads, and the caller converts doc minus key itself. */
int cc_jsonld_to_rdf_split(const json_t *doc, const char *key, cc_jsonld_loader load, void *ud,
                           cc_jsonld_run *run, cc_rdf_dataset *out, bool *clean, char *err,
                           size_t errlen);

#endif
