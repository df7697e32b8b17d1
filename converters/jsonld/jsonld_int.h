/* JSON-LD 1.1 → RDF, internal to converters/jsonld*.c.  Names follow the JSON-LD 1.1
 * Processing Algorithms and API (W3C Recommendation): active context, term definition,
 * IRI expansion, expansion, node map, Object to RDF.
 *
 * Ownership: one jl_state per conversion.  Its arena owns every active context, term
 * definition and every string they hold; JSON values the contexts point into are either the
 * caller's document (alive for the call) or held by st->docs / st->keep until the end. */
#ifndef JSONLD_INT_H
#define JSONLD_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "cc_rdf.h"
#include "credconv/credconv.h"

#define JL_MAX_DEPTH 512          /* nesting of documents and contexts we follow */
#define JL_MAX_REMOTE 32          /* remote contexts in one chain of inclusions */
#define JL_MAX_TERMS 100000       /* term definitions per conversion (hostile contexts) */
#define JL_MAX_LOADS 64           /* distinct remote context URLs per conversion */
/* Bytes one document's JSON-LD processing may take: the arena holding active contexts, term
 * definitions and IRIs (counted as the allocator holds it, block slack included) plus the JSON
 * of the remote contexts and of the maps context processing builds (an upper bound of what
 * jansson allocates).  Checked before each variable-size allocation (jl_reserve). */
#define JL_MAX_MEMORY (64u << 20)
#define JL_MEMO_BUCKETS 64

/* Container mapping flags. */
enum {
    JL_C_LIST = 1, JL_C_SET = 2, JL_C_INDEX = 4, JL_C_LANGUAGE = 8,
    JL_C_GRAPH = 16, JL_C_ID = 32, JL_C_TYPE = 64
};

/* Context Processing options. */
enum { JL_OVERRIDE = 1, JL_NO_PROPAGATE = 2, JL_NO_VALIDATE = 4 };

typedef struct jl_term {
    const char *iri;          /* IRI mapping (IRI, blank node, keyword); NULL: "@id": null */
    const char *type;         /* type mapping, NULL when none */
    const char *lang;         /* language mapping when has_lang (NULL: explicitly null) */
    const char *dir;          /* direction mapping when has_dir */
    const char *index;        /* index mapping (@index on an index container) */
    const char *nest;         /* nest value */
    const json_t *context;    /* scoped context when has_context (may be JSON null) */
    const char *base_url;     /* base URL for the scoped context */
    unsigned container;       /* JL_C_* */
    bool has_lang, has_dir, has_context, reverse, prefix, protect;
    bool shared;              /* made by the run's state (jsonld_run.c): lives for the run */
} jl_term;

typedef struct jl_slot {
    const char *key;
    const jl_term *def;       /* NULL: removed (the slot stays so probing still works) */
} jl_slot;

typedef struct jl_ctx {
    jl_slot *slots;           /* open addressing, cap a power of two */
    size_t cap, used;
    const char *base;         /* base IRI, NULL: none */
    const char *orig_base;    /* restored by a null context */
    const char *vocab, *lang, *dir;
    const struct jl_ctx *previous;  /* set by a non-propagated (type-scoped) context */
    bool shared;              /* made by the run's state (jsonld_run.c): lives for the run */
    /* Processing it, or a context it was made from, expanded a vocabulary-relative IRI with
     * no vocabulary mapping (jl_state.vocab_misses): copied by jl_ctx_clone. */
    bool vocab_missed;
} jl_ctx;

/* One link per remote context being processed: the "remote contexts" array. */
typedef struct jl_chain {
    const char *url;
    const struct jl_chain *next;
    int len;
} jl_chain;

typedef struct jl_memo {
    const jl_ctx *in, *out;
    const json_t *local;
    unsigned flags;
    struct jl_memo *next;
} jl_memo;

typedef struct jl_state {
    cc_arena *arena;
    cc_jsonld_loader load;
    void *ud;
    json_t *docs;             /* URL → loaded document: each URL is dereferenced once */
    json_t *keep;             /* JSON built here that term definitions point into */
    json_t *bnodes;           /* the identifier map of Generate Blank Node Identifier */
    unsigned long bnode_next;
    unsigned long terms_made;
    size_t charged;           /* JSON bytes counted against JL_MAX_MEMORY (jl_charge) */
    int depth;
    jl_memo *memo[JL_MEMO_BUCKETS];  /* processed contexts, reused across sibling nodes */
    char *err;
    size_t errlen;
    bool failed;
    bool safe;                /* safe mode: anything dropped is an error (jl_unsafe) */
    bool unsafe;              /* the error is a safe-mode one */
    char ptr[512];            /* JSON pointer of the member being expanded */
    size_t ptrlen;
    struct cc_jsonld_run *run;  /* the run's processed contexts (NULL: none), jsonld_run.c */
    const jl_ctx *initial;    /* this conversion's initial context */
    bool is_run;              /* this is the run's own state: what it makes is shared */
    /* How often an IRI was expanded relative to the vocabulary with none in force, or with a
     * context marked vocab_missed: where a catch-all @vocab put in front of the document's
     * contexts (jsonld_terms.c) would have changed the result.  0: it would have changed
     * nothing. */
    unsigned long vocab_misses;
    /* cc_jsonld_to_rdf_split: the root map's member split_key is expanded into split, not
     * into the root's result; split_sure stays true while that is exactly the expansion of
     * the document without that member (a non-keyword, non-reverse property). */
    const json_t *split_root;
    const char *split_key;
    json_t *split;
    bool split_sure;
} jl_state;

/* The state of one Context Processing pass over a context definition, shared with Create
 * Term Definition and IRI Expansion (which may define terms it depends on). */
typedef struct jl_defs {
    jl_ctx *result;
    const json_t *local;      /* the context definition (a JSON object) */
    json_t *defined;          /* term → true (defined) or false (being defined) */
    const char *base_url;
    const jl_chain *remote;
    unsigned flags;           /* JL_OVERRIDE, JL_NO_VALIDATE */
    bool protect;             /* the context's @protected */
} jl_defs;

/* jsonld.c: errors, depth, term map, small predicates. */
int jl_fail(jl_state *st, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int jl_enter(jl_state *st);
void jl_leave(jl_state *st);
/* Safe mode (as jsonld.js's "safe" option): what the algorithms drop silently, a member no
 * context defines, a relative IRI, a free-floating value, is an error here, so nothing a
 * signature seems to cover is left out of the signed RDF.  0 when not in safe mode. */
int jl_unsafe(jl_state *st, const char *event, const char *what);
/* The JSON pointer of the entry being expanded: push a member name or an index, pop back
 * to the length push returned. */
size_t jl_ptr_push(jl_state *st, const char *key);
size_t jl_ptr_push_index(jl_state *st, size_t i);
void jl_ptr_pop(jl_state *st, size_t len);
jl_ctx *jl_ctx_new(jl_state *st, const char *base);
jl_ctx *jl_ctx_clone(jl_state *st, const jl_ctx *c);
const jl_term *jl_term_get(const jl_ctx *c, const char *term);
void jl_term_put(jl_state *st, jl_ctx *c, const char *term, const jl_term *def);
bool jl_ctx_has_protected(const jl_ctx *c);
bool jl_is_keyword(const char *s);
bool jl_keyword_form(const char *s);
const char **jl_sorted_keys(const json_t *obj, size_t *n);
int jl_cmp_str(const void *a, const void *b);
const char *jl_str(jl_state *st, const char *s);
const char *jl_lower(jl_state *st, const char *s);

/* The memory budget (JL_MAX_MEMORY): jl_reserve fails the conversion ("context overflow")
 * when n more bytes would pass it, before they are allocated.  The string makers return ""
 * once it has failed (st->failed then stops the algorithms at their next step); jl_charge
 * counts JSON held outside the arena (uncharged with a negative n when freed). */
int jl_reserve(jl_state *st, size_t n);
int jl_charge(jl_state *st, long long n);
size_t jl_json_cost(const json_t *v);
const char *jl_strn(jl_state *st, const char *s, size_t n);
const char *jl_printf(jl_state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* jsonld_iri.c */
const char *jl_expand_iri(jl_state *st, const jl_ctx *act, jl_defs *defs, const char *value,
                          bool doc_rel, bool vocab);
const char *jl_resolve(jl_state *st, const char *base, const char *ref);
bool jl_has_scheme(const char *s);
bool jl_iri_ok(const char *s);
bool jl_lang_ok(const char *s);
bool jl_is_bnode(const char *s);
/* An absolute IRI, a blank node identifier or a keyword: what an @id or @type may expand to
 * without being dropped. */
bool jl_iri_like(const char *s);

/* jsonld_ctx.c, jsonld_term.c */
const jl_ctx *jl_process(jl_state *st, const jl_ctx *act, const json_t *local,
                         const char *base_url, const jl_chain *remote, unsigned flags);
/* stable: local belongs to a shared term definition (it lives for the run). */
const jl_ctx *jl_apply(jl_state *st, const jl_ctx *act, const json_t *local,
                       const char *base_url, unsigned flags, bool stable);
/* jsonld_run.c: the run's result of Context Processing for act and local, computed once
 * per run in the run's own state; NULL when it cannot be shared (the caller processes it). */
const jl_ctx *jl_run_apply(jl_state *st, const jl_ctx *act, const json_t *local,
                           const char *base_url, unsigned flags, bool stable);
int jl_define(jl_state *st, jl_defs *d, const char *term);

/* The expansion of one map's entries (steps 13 to 20 of the Expansion Algorithm). */
typedef struct xp {
    jl_state *st;
    const jl_ctx *act;        /* the active context for the entries */
    const jl_ctx *tsc;        /* the type-scoped context: before the node's types applied */
    const char *prop;         /* the active property */
    const char *base_url;
    const char *input_type;   /* the node's expanded last type (for @json values) */
    json_t *result;
    json_t *nests;            /* nesting keys met, as a set */
} xp;

/* jsonld_expand.c, jsonld_entries.c, jsonld_keyword.c, jsonld_expmap.c */
int jl_expand_entries(xp *x, const json_t *elem);
int jl_expand_finish(xp *x, json_t **out);
int jl_keyword_entry(xp *x, const char *key, const char *kw, const json_t *value);
json_t *jl_as_array(json_t *v);
int jl_expand(jl_state *st, const jl_ctx *act, const char *prop, const json_t *elem,
              const char *base_url, bool from_map, json_t **out);
json_t *jl_expand_value(jl_state *st, const jl_ctx *act, const char *prop, const json_t *v);
int jl_expand_lang_map(jl_state *st, const jl_ctx *act, const char *key, const json_t *value,
                       json_t **out);
int jl_expand_index_map(jl_state *st, const jl_ctx *act, const char *key, const json_t *value,
                        const char *base_url, json_t **out);
void jl_add_value(json_t *obj, const char *key, json_t *v);
void jl_add_value_to(json_t *arr, json_t *v);
bool jl_is_value_obj(const json_t *v);
bool jl_is_list_obj(const json_t *v);
bool jl_is_graph_obj(const json_t *v);

/* jsonld_nodemap.c, jsonld_rdf.c, jsonld_lex.c */
int jl_node_map(jl_state *st, const json_t *expanded, json_t *graphs);
int jl_to_rdf(jl_state *st, const json_t *expanded, cc_rdf_dataset *out);
const char *jl_new_bnode(jl_state *st, const char *old);
void jl_double_lex(double v, char buf[40]);
char *jl_jcs(const json_t *v);

#endif
