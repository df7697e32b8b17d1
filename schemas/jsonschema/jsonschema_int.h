/* Internal interfaces shared by the jsonschema_*.c files. Not installed. */
#ifndef CC_JSONSCHEMA_INT_H
#define CC_JSONSCHEMA_INT_H

#include <stdarg.h>
#include <stddef.h>

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

#include "jsonschema.h"

/* ---- growable string -------------------------------------------------- */

/* Once an allocation fails, oom sticks and further appends are no-ops, so
   callers check it once instead of after every append. */
typedef struct {
    char *s;
    size_t len, cap;
    int oom;
} ccs_buf;

void ccs_buf_init(ccs_buf *b);
void ccs_buf_free(ccs_buf *b);
void ccs_buf_add(ccs_buf *b, const char *p, size_t n);
void ccs_buf_puts(ccs_buf *b, const char *p);
void ccs_buf_truncate(ccs_buf *b, size_t len);
/* Appends one JSON pointer token ("/" + escaped name). */
void ccs_buf_ptr_token(ccs_buf *b, const char *name, size_t n);
void ccs_buf_ptr_index(ccs_buf *b, size_t i);

/* ---- hash maps ---------------------------------------------------------- */

/* String keys are copied; values are borrowed unless a free function is
   passed to ccs_smap_free. */
typedef struct {
    char *key;
    void *val;
} ccs_sent;
typedef struct {
    ccs_sent *e;
    size_t cap, count;
} ccs_smap;

void *ccs_smap_get(const ccs_smap *m, const char *key);
/* 0 inserted, 1 key already present (value untouched), -1 out of memory. */
int ccs_smap_put(ccs_smap *m, const char *key, void *val);
void ccs_smap_free(ccs_smap *m, void (*free_val)(void *));

typedef struct {
    const void *key;
    void *val;
} ccs_pent;
typedef struct {
    ccs_pent *e;
    size_t cap, count;
} ccs_pmap;

void *ccs_pmap_get(const ccs_pmap *m, const void *key);
int ccs_pmap_put(ccs_pmap *m, const void *key, void *val);
void ccs_pmap_free(ccs_pmap *m, void (*free_val)(void *));

/* ---- URIs and JSON values ----------------------------------------------- */

/* RFC 3986 section 5.2 reference resolution; returns a malloc'd string. */
char *ccs_uri_resolve(const char *base, const char *ref);
/* Copies uri without its fragment; *frag (may be NULL) receives a malloc'd
   copy of the fragment without '#', or NULL when there is none. */
char *ccs_uri_split(const char *uri, char **frag);
/* Percent-decodes in place; returns the new length (bytes may include NUL). */
size_t ccs_percent_decode(char *s);
/* Follows a JSON pointer (already percent-decoded, length n) from root;
   NULL when a token does not exist. */
json_t *ccs_pointer_get(json_t *root, const char *ptr, size_t n);

/* JSON equality where numbers compare by value (1 == 1.0). */
int ccs_json_equal(const json_t *a, const json_t *b);
/* Returns <0, 0, >0; both arguments must be numbers. */
int ccs_num_cmp(const json_t *a, const json_t *b);
/* Hash consistent with ccs_json_equal. */
size_t ccs_json_hash(const json_t *v);
size_t ccs_utf8_length(const char *s, size_t n);
/* 1 when v nests arrays/objects deeper than limit; iterative, so it is safe
   to call on values too deep for the recursive code. -1 on OOM. */
int ccs_json_too_deep(const json_t *v, size_t limit);
/* Decodes one UTF-8 sequence at s (n bytes left); returns its length or 0. */
size_t ccs_utf8_decode(const unsigned char *s, size_t n, unsigned *cp);

/* ---- schema set internals ----------------------------------------------- */

enum { CCS_DRAFT4 = 4, CCS_DRAFT6 = 6, CCS_DRAFT7 = 7, CCS_DRAFT2019 = 2019, CCS_DRAFT2020 = 2020 };

enum {
    CCS_V_CORE = 1u << 0,
    CCS_V_APPLICATOR = 1u << 1,
    CCS_V_UNEVALUATED = 1u << 2,
    CCS_V_VALIDATION = 1u << 3,
    CCS_V_FORMAT_ANNOTATION = 1u << 4,
    CCS_V_FORMAT_ASSERTION = 1u << 5,
    CCS_V_CONTENT = 1u << 6,
    CCS_V_META = 1u << 7,
    CCS_V_DEFAULT = 0xffu & ~(1u << 5)
};

/* A schema resource: a document root or a subschema with its own $id. */
typedef struct {
    char *uri; /* absolute, no fragment */
    json_t *root;
    int draft;
    unsigned vocab;
    int recursive_anchor; /* 2019-09 "$recursiveAnchor": true at the root */
} ccs_resource;

/* Where a schema object lives; lets a $ref target recover its base URI. */
#define CCS_MAX_PLAN 48 /* keywords the engine knows (jsonschema_keywords.c), and room */

/* Where a schema object lives; lets a $ref target recover its base URI.  The keyword plan is
   made on the node's first evaluation (ccs_plan): the indexes of the keywords it has, in
   dispatch order, for its resource's draft and vocabularies, so that each later visit
   runs those instead of looking up every keyword the engine knows. */
typedef struct {
    ccs_resource *res;
    char *ptr; /* JSON pointer from res->root */
    int planned;  /* plan below is made */
    int need_ev;  /* unevaluatedItems or unevaluatedProperties: collect annotations */
    int ref_only; /* up to draft 7, a "$ref" that makes its siblings ignored */
    unsigned char nplan;
    unsigned char plan[CCS_MAX_PLAN];
    /* Each planned keyword's value (nplan of them, malloc'd with the plan, owned by the
       node), looked up once: a schema in a set is never modified, and finding a member by
       name (hash + compare) at every visit was a fifth of the walk. */
    const json_t **vals;
} ccs_node;

typedef struct {
    json_t *node;
    int dynamic; /* declared by $dynamicAnchor */
} ccs_anchor;

/* Result of resolving a reference, cached per "$ref" string node. */
typedef struct {
    json_t *target;
    ccs_resource *res;
    char *loc;    /* absolute location "uri#pointer" for error reports */
    char *anchor; /* plain-name fragment, or NULL */
} ccs_target;

/* A compiled pattern, or the reason it did not compile. */
typedef struct {
    pcre2_code *code;
    char *error;
} ccs_regex;

struct cc_schema_set {
    json_t *docs;       /* one reference per added document */
    ccs_resource **res; /* owned resources */
    size_t nres, capres;
    ccs_smap by_uri;  /* uri -> ccs_resource* */
    ccs_smap anchors; /* "uri#name" -> ccs_anchor* (owned) */
    ccs_pmap nodes;   /* json_t* -> ccs_node* (owned) */
    ccs_pmap targets; /* "$ref" json_t* -> ccs_target* (owned) */
    ccs_smap regexes; /* pattern -> ccs_regex* (owned) */
    int default_draft;
};

int ccs_draft_of_dialect(const char *uri);
/* Resolves ref against base. Returns NULL with a reason in err. */
ccs_target *ccs_resolve(cc_schema_set *set, ccs_resource *base, const char *ref, char *err,
                        size_t errlen);
ccs_node *ccs_node_of(const cc_schema_set *set, const json_t *schema);
ccs_anchor *ccs_anchor_get(const cc_schema_set *set, const char *uri, const char *name);
void ccs_target_free(void *p);

/* Returns the compiled form of an ECMA-262 pattern (cached in the set), or
   NULL with the reason in err. */
pcre2_code *ccs_regex_get(cc_schema_set *set, const char *pattern, char *err, size_t errlen);
void ccs_regex_free(void *p);
/* Translates ECMA-262 syntax into PCRE2 syntax (malloc'd). NULL with *why
   set for syntax ECMA-262 does not allow, NULL with *why NULL on OOM. */
char *ccs_regex_translate(const char *ecma, size_t n, size_t *outlen, const char **why);
/* 1 when the pattern is a usable ECMA-262 regular expression. */
int ccs_regex_valid(const char *pattern, size_t n);

/* "hostname" (unicode 0: ASCII, A-labels checked) and "idn-hostname"
   (unicode 1) checks, in jsonschema_idna.c. */
int ccs_hostname_ok(const char *s, size_t n, int unicode);

/* ---- validation --------------------------------------------------------- */

/* Annotations for unevaluatedItems/unevaluatedProperties: which array items
   or object members (by iteration order) some keyword has evaluated. */
typedef struct {
    unsigned char *bits; /* lazily allocated, n entries */
    size_t n;
    int all;
} ccs_eval;

typedef struct {
    const json_t *schema, *inst;
    size_t inst_depth;
} ccs_refframe;

typedef struct {
    char *ip, *kp, *msg;
} ccs_error;

/* Per-validation state; nothing here outlives cc_schema_validate. */
typedef struct {
    cc_schema_set *set;
    int assert_formats;
    ccs_buf ip;      /* instance location */
    ccs_buf kp;      /* keyword location; the current one starts at kp_start */
    size_t kp_start; /* $ref restarts the location at the target's URI */
    int quiet;       /* >0 while only validity matters (anyOf branches, not, ...) */
    int paths;       /* locations kept in ip and kp: only the error-collecting run needs them */
    int fatal;
    size_t depth, inst_depth;
    ccs_resource *res;    /* resource of the schema being evaluated */
    ccs_resource **scope; /* dynamic scope, outermost first */
    size_t nscope, capscope;
    ccs_refframe *refs; /* references being followed, for loop detection */
    size_t nrefs, caprefs;
    ccs_error *errs;
    size_t nerrs, caperrs;
    ccs_error fatal_err;
    pcre2_match_data *md;
} ccs_vctx;

#if defined(__GNUC__)
#define CCS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CCS_PRINTF(a, b)
#endif

/* One evaluation, as cc_schema_validate returns it.  full 0: valid-or-not only (quiet from
   the root, no locations, fn never called); full 1: every error collected with its locations
   and delivered to fn.  cc_schema_validate runs the first and, unless it says valid, the
   second; the unit tests compare the two. */
int ccs_validate_mode(cc_schema_set *set, const char *uri, const json_t *instance, int flags,
                      int full, cc_schema_error_fn fn, void *ud);

void ccs_report(ccs_vctx *c, const char *kw, const char *fmt, ...) CCS_PRINTF(3, 4);
void ccs_fatal(ccs_vctx *c, const char *fmt, ...) CCS_PRINTF(2, 3);

/* Evaluates schema s against x at the current locations; ev (may be NULL)
   collects annotations when s is applied in place. 1 valid, 0 invalid. */
int ccs_v_schema(ccs_vctx *c, const json_t *s, const json_t *x, ccs_eval *ev);
/* Evaluates s against x, a child of the current instance. */
int ccs_v_child(ccs_vctx *c, const json_t *s, const json_t *x);
/* Follows a resolved reference in place. */
int ccs_follow(ccs_vctx *c, const json_t *target, ccs_resource *res, const char *loc,
               const json_t *x, ccs_eval *ev);
/* Applies every keyword of schema object s (jsonschema_keywords.c). */
/* node: s's (NULL when s is not indexed): its keyword plan is used, made on first use. */
int ccs_run_keywords(ccs_vctx *c, const json_t *s, const json_t *x, ccs_eval *ev, ccs_node *node);
/* Whether v_object must collect annotations for s (unevaluated* keywords). */
int ccs_needs_ev(const json_t *s, ccs_node *node);

/* Location steps; without c->paths (the valid-or-not run) they do nothing and cost nothing. */
size_t ccs_kp_push(ccs_vctx *c, const char *token, size_t n);
void ccs_kp_add_token(ccs_vctx *c, const char *token, size_t n);
void ccs_kp_add_index(ccs_vctx *c, size_t i);
size_t ccs_ip_push_key(ccs_vctx *c, const char *key, size_t n);
size_t ccs_ip_push_index(ccs_vctx *c, size_t i);
void ccs_kp_pop(ccs_vctx *c, size_t mark);
void ccs_ip_pop(ccs_vctx *c, size_t mark);

void ccs_ev_mark(ccs_vctx *c, ccs_eval *e, size_t i);
int ccs_ev_has(const ccs_eval *e, size_t i);

#endif
