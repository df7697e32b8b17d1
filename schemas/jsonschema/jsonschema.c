/* Validation driver: per-validation context, error collection, subschema
   evaluation, reference following with loop detection and dynamic scope.
   The keywords themselves live in jsonschema_keywords.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonschema_int.h"

/* ---- locations ---------------------------------------------------------- */

size_t ccs_kp_push(ccs_vctx *c, const char *token, size_t n)
{
    size_t mark = c->kp.len;
    if (c->paths)
        ccs_buf_ptr_token(&c->kp, token, n);
    return mark;
}

void ccs_kp_add_token(ccs_vctx *c, const char *token, size_t n)
{
    if (c->paths)
        ccs_buf_ptr_token(&c->kp, token, n);
}

void ccs_kp_add_index(ccs_vctx *c, size_t i)
{
    if (c->paths)
        ccs_buf_ptr_index(&c->kp, i);
}

void ccs_kp_pop(ccs_vctx *c, size_t mark)
{
    if (c->paths)
        ccs_buf_truncate(&c->kp, mark);
}

size_t ccs_ip_push_key(ccs_vctx *c, const char *key, size_t n)
{
    size_t mark = c->ip.len;
    if (c->paths)
        ccs_buf_ptr_token(&c->ip, key, n);
    return mark;
}

size_t ccs_ip_push_index(ccs_vctx *c, size_t i)
{
    size_t mark = c->ip.len;
    if (c->paths)
        ccs_buf_ptr_index(&c->ip, i);
    return mark;
}

void ccs_ip_pop(ccs_vctx *c, size_t mark)
{
    if (c->paths)
        ccs_buf_truncate(&c->ip, mark);
}

/* ---- errors ------------------------------------------------------------- */

__attribute__((format(printf, 1, 0))) static char *vformat(const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

/* Keyword location of kw under the current schema, malloc'd. */
static char *keyword_location(const ccs_vctx *c, const char *kw)
{
    ccs_buf b;
    ccs_buf_init(&b);
    ccs_buf_puts(&b, c->kp.s ? c->kp.s + c->kp_start : "");
    if (kw)
        ccs_buf_ptr_token(&b, kw, strlen(kw));
    if (b.oom) {
        ccs_buf_free(&b);
        return NULL;
    }
    return b.s;
}

static void error_free(ccs_error *e)
{
    free(e->ip);
    free(e->kp);
    free(e->msg);
}

static int error_fill(const ccs_vctx *c, ccs_error *e, const char *kw, char *msg)
{
    char *ip = strdup(c->ip.s ? c->ip.s : "");
    char *kp = keyword_location(c, kw);
    e->msg = msg, e->ip = ip, e->kp = kp;
    return msg && ip && kp;
}

void ccs_fatal(ccs_vctx *c, const char *fmt, ...)
{
    if (c->fatal)
        return;
    c->fatal = 1;
    va_list ap;
    va_start(ap, fmt);
    char *msg = vformat(fmt, ap);
    va_end(ap);
    if (!error_fill(c, &c->fatal_err, NULL, msg)) {
        error_free(&c->fatal_err);
        memset(&c->fatal_err, 0, sizeof c->fatal_err);
    }
}

void ccs_report(ccs_vctx *c, const char *kw, const char *fmt, ...)
{
    if (c->quiet || c->fatal)
        return;
    if (c->nerrs == c->caperrs) {
        size_t cap = c->caperrs ? c->caperrs * 2 : 16;
        ccs_error *e = realloc(c->errs, cap * sizeof *e);
        if (!e) {
            ccs_fatal(c, "out of memory");
            return;
        }
        c->errs = e;
        c->caperrs = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    char *msg = vformat(fmt, ap);
    va_end(ap);
    ccs_error *e = &c->errs[c->nerrs];
    if (!error_fill(c, e, kw, msg)) {
        error_free(e);
        ccs_fatal(c, "out of memory");
        return;
    }
    c->nerrs++;
}

/* ---- annotations -------------------------------------------------------- */

void ccs_ev_mark(ccs_vctx *c, ccs_eval *e, size_t i)
{
    if (!e || e->all || i >= e->n)
        return;
    if (!e->bits && !(e->bits = calloc(e->n, 1))) {
        ccs_fatal(c, "out of memory");
        return;
    }
    e->bits[i] = 1;
}

int ccs_ev_has(const ccs_eval *e, size_t i)
{
    return e->all || (e->bits && e->bits[i]);
}

static void ev_merge(ccs_vctx *c, ccs_eval *dst, const ccs_eval *src)
{
    if (src->all)
        dst->all = 1;
    for (size_t i = 0; src->bits && !dst->all && i < src->n; i++)
        if (src->bits[i])
            ccs_ev_mark(c, dst, i);
}

static size_t ev_size(const json_t *x)
{
    return json_is_array(x) ? json_array_size(x) : json_is_object(x) ? json_object_size(x) : 0;
}

/* ---- subschema evaluation ----------------------------------------------- */

/* Entering a schema of another resource extends the dynamic scope that
   $dynamicRef and $recursiveRef search. */
static int scope_push(ccs_vctx *c)
{
    if (c->nscope && c->scope[c->nscope - 1] == c->res)
        return 0;
    if (c->nscope == c->capscope) {
        size_t cap = c->capscope ? c->capscope * 2 : 16;
        ccs_resource **s = realloc(c->scope, cap * sizeof *s);
        if (!s) {
            ccs_fatal(c, "out of memory");
            return 0;
        }
        c->scope = s;
        c->capscope = cap;
    }
    c->scope[c->nscope++] = c->res;
    return 1;
}

static int v_object(ccs_vctx *c, const json_t *s, const json_t *x, ccs_eval *ev, ccs_node *node)
{
    ccs_eval local = {.n = ev_size(x)};
    /* Annotations are only worth collecting when someone reads them: a
       caller applying us in place, or our own unevaluated* keywords. */
    int need = ev || ccs_needs_ev(s, node);
    int ok = ccs_run_keywords(c, s, x, need ? &local : NULL, node);
    if (ok && ev)
        ev_merge(c, ev, &local);
    free(local.bits);
    return ok && !c->fatal;
}

int ccs_v_schema(ccs_vctx *c, const json_t *s, const json_t *x, ccs_eval *ev)
{
    if (c->fatal)
        return 0;
    if (json_is_true(s))
        return 1;
    if (json_is_false(s)) {
        ccs_report(c, NULL, "no value is allowed here (the schema is false)");
        return 0;
    }
    if (!json_is_object(s)) {
        ccs_fatal(c, "invalid schema: a schema must be an object or a boolean");
        return 0;
    }
    if (c->depth >= CC_SCHEMA_MAX_EVAL_DEPTH || c->ip.oom || c->kp.oom) {
        ccs_fatal(c, c->depth >= CC_SCHEMA_MAX_EVAL_DEPTH ? "schema evaluation nested too deeply"
                                                          : "out of memory");
        return 0;
    }
    ccs_resource *saved = c->res;
    ccs_node *node = ccs_node_of(c->set, s);
    if (node)
        c->res = node->res;
    c->depth++;
    int pushed = scope_push(c);
    int ok = v_object(c, s, x, ev, node);
    c->nscope -= (size_t)pushed;
    c->depth--;
    c->res = saved;
    return ok;
}

int ccs_v_child(ccs_vctx *c, const json_t *s, const json_t *x)
{
    c->inst_depth++;
    int ok = ccs_v_schema(c, s, x, NULL);
    c->inst_depth--;
    return ok;
}

/* Same schema, same instance, no instance step in between: evaluation would
   repeat forever. Frames are pushed at non-decreasing instance depth, so the
   scan stops at the first frame from a shallower instance. */
static int ref_loops(const ccs_vctx *c, const json_t *target, const json_t *x)
{
    for (size_t i = c->nrefs; i-- > 0 && c->refs[i].inst_depth == c->inst_depth;)
        if (c->refs[i].schema == target && c->refs[i].inst == x)
            return 1;
    return 0;
}

static int ref_push(ccs_vctx *c, const json_t *target, const json_t *x)
{
    if (c->nrefs == c->caprefs) {
        size_t cap = c->caprefs ? c->caprefs * 2 : 16;
        ccs_refframe *r = realloc(c->refs, cap * sizeof *r);
        if (!r) {
            ccs_fatal(c, "out of memory");
            return 0;
        }
        c->refs = r;
        c->caprefs = cap;
    }
    c->refs[c->nrefs++] = (ccs_refframe){.schema = target, .inst = x, .inst_depth = c->inst_depth};
    return 1;
}

int ccs_follow(ccs_vctx *c, const json_t *target, ccs_resource *res, const char *loc,
               const json_t *x, ccs_eval *ev)
{
    if (ref_loops(c, target, x)) {
        ccs_fatal(c, "reference loop without progress at '%s'", loc);
        return 0;
    }
    if (!ref_push(c, target, x))
        return 0;
    size_t mark = c->kp.len, start = c->kp_start;
    if (c->paths) {
        ccs_buf_puts(&c->kp, loc);
        c->kp_start = mark;
    }
    ccs_resource *saved = c->res;
    c->res = res;
    int ok = ccs_v_schema(c, target, x, ev);
    c->res = saved;
    ccs_kp_pop(c, mark);
    if (c->paths)
        c->kp_start = start;
    c->nrefs--;
    return ok;
}

/* ---- entry point -------------------------------------------------------- */

static void vctx_free(ccs_vctx *c)
{
    for (size_t i = 0; i < c->nerrs; i++)
        error_free(&c->errs[i]);
    free(c->errs);
    error_free(&c->fatal_err);
    free(c->scope);
    free(c->refs);
    ccs_buf_free(&c->ip);
    ccs_buf_free(&c->kp);
    pcre2_match_data_free(c->md);
}

static void deliver(const ccs_vctx *c, cc_schema_error_fn fn, void *ud)
{
    if (!fn)
        return;
    if (c->fatal) {
        const ccs_error *e = &c->fatal_err;
        fn(ud, e->ip ? e->ip : "", e->kp ? e->kp : "", e->msg ? e->msg : "out of memory");
        return;
    }
    for (size_t i = 0; i < c->nerrs; i++)
        fn(ud, c->errs[i].ip, c->errs[i].kp, c->errs[i].msg);
}

/* Returns 1 when valid. */
static int start(ccs_vctx *c, const char *uri, const json_t *instance)
{
    char err[512];
    int deep = ccs_json_too_deep(instance, CC_SCHEMA_MAX_INSTANCE_DEPTH);
    if (deep) {
        ccs_fatal(c, deep < 0 ? "out of memory" : "instance nested deeper than %d levels",
                  CC_SCHEMA_MAX_INSTANCE_DEPTH);
        return 0;
    }
    ccs_target *t = ccs_resolve(c->set, NULL, uri, err, sizeof err);
    c->md = pcre2_match_data_create(1, NULL);
    if (!t || !c->md) {
        ccs_fatal(c, "%s", t ? "out of memory" : err);
        ccs_target_free(t);
        return 0;
    }
    c->res = t->res;
    if (c->paths)
        ccs_buf_puts(&c->kp, t->loc);
    ccs_buf_add(&c->ip, "", 0);
    int ok = ccs_v_schema(c, t->target, instance, NULL);
    ccs_target_free(t);
    return ok;
}

int ccs_validate_mode(cc_schema_set *set, const char *uri, const json_t *instance, int flags,
                      int full, cc_schema_error_fn fn, void *ud)
{
    ccs_vctx c;
    memset(&c, 0, sizeof c);
    c.set = set;
    c.assert_formats = (flags & CC_SCHEMA_FORMAT_ASSERT) != 0;
    c.paths = full;
    c.quiet = !full;
    int ok = start(&c, uri, instance);
    if (full && !ok && !c.fatal && !c.nerrs)
        ccs_report(&c, NULL, "instance is invalid");
    if (full)
        deliver(&c, fn, ud);
    int rc = c.fatal ? -1 : ok ? 0 : 1;
    vctx_free(&c);
    return rc;
}

/* Most documents a run checks are valid, so the first evaluation only asks whether: no
   location strings, no messages, every applicator stopping at its first failure.  Only when
   that says "invalid" (or fatal: that message carries a location) is the document evaluated
   again the error-collecting way.  Both evaluations are deterministic and the quiet one
   departs from the full one only after a failure, so the result, the messages and their
   order are exactly those of a single full evaluation. */
int cc_schema_validate(cc_schema_set *set, const char *uri, const json_t *instance, int flags,
                       cc_schema_error_fn fn, void *ud)
{
    if (!set || !uri || !instance) {
        if (fn)
            fn(ud, "", "", "cc_schema_validate: set, uri and instance are required");
        return -1;
    }
    if (ccs_validate_mode(set, uri, instance, flags, 0, NULL, NULL) == 0)
        return 0;
    return ccs_validate_mode(set, uri, instance, flags, 1, fn, ud);
}
