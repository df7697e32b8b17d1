/* The keywords. Each handler gets the schema object s, the keyword's value
   v, the instance x and the schema's annotation collector ev (NULL when no
   one needs annotations) and returns 1 when the instance passes. */
#include <float.h>
#include <math.h> /* isfinite only: the library must link without -lm */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonschema_int.h"

typedef int (*kw_fn)(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x, ccs_eval *ev);

static int bad_schema(ccs_vctx *c, const char *kw, const char *what)
{
    ccs_fatal(c, "invalid schema: '%s' must be %s", kw, what);
    return 0;
}

/* Stops a keyword loop early once the answer is known and nobody wants the
   remaining errors. */
static int stop(const ccs_vctx *c, int ok)
{
    return c->fatal || (!ok && c->quiet);
}

/* Applies sub to x itself, at keyword location kw[/tok | /idx]. */
static int in_place(ccs_vctx *c, const json_t *sub, const json_t *x, ccs_eval *ev, const char *kw,
                    const char *tok, long idx)
{
    size_t km = ccs_kp_push(c, kw, strlen(kw));
    if (tok)
        ccs_kp_add_token(c, tok, strlen(tok));
    if (idx >= 0)
        ccs_kp_add_index(c, (size_t)idx);
    int ok = ccs_v_schema(c, sub, x, ev);
    ccs_kp_pop(c, km);
    return ok;
}

/* Applies sub to item i of array x, at keyword location kw[/sidx]. */
static int on_item(ccs_vctx *c, const json_t *sub, const json_t *x, size_t i, const char *kw,
                   long sidx)
{
    size_t km = ccs_kp_push(c, kw, strlen(kw));
    if (sidx >= 0)
        ccs_kp_add_index(c, (size_t)sidx);
    size_t im = ccs_ip_push_index(c, i);
    int ok;
    if (json_is_false(sub)) {
        ccs_report(c, NULL, "item %zu is not allowed here ('%s' is false)", i, kw);
        ok = 0;
    } else
        ok = ccs_v_child(c, sub, json_array_get(x, i));
    ccs_ip_pop(c, im);
    ccs_kp_pop(c, km);
    return ok;
}

/* Applies sub to member key of an object, at keyword location kw[/skey]. */
static int on_member(ccs_vctx *c, const json_t *sub, const char *key, size_t klen,
                     const json_t *val, const char *kw, const char *skey)
{
    size_t km = ccs_kp_push(c, kw, strlen(kw));
    if (skey)
        ccs_kp_add_token(c, skey, strlen(skey));
    size_t im = ccs_ip_push_key(c, key, klen);
    int ok;
    if (json_is_false(sub)) {
        ccs_report(c, NULL, "property '%s' is not allowed here ('%s' is false)", key, kw);
        ok = 0;
    } else
        ok = ccs_v_child(c, sub, val);
    ccs_ip_pop(c, im);
    ccs_kp_pop(c, km);
    return ok;
}

/* 1 match, 0 no match, -1 fatal (bad pattern or matcher failure). */
static int re_match(ccs_vctx *c, const char *pattern, const char *s, size_t n)
{
    char err[512];
    pcre2_code *re = ccs_regex_get(c->set, pattern, err, sizeof err);
    if (!re) {
        ccs_fatal(c, "%s", err);
        return -1;
    }
    int rc = pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, c->md, NULL);
    if (rc >= 0)
        return 1;
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(rc, msg, sizeof msg);
    ccs_fatal(c, "matching pattern '%s' failed: %s", pattern, (char *)msg);
    return -1;
}

static const char *type_name(const json_t *x)
{
    switch (json_typeof(x)) {
    case JSON_OBJECT:
        return "object";
    case JSON_ARRAY:
        return "array";
    case JSON_STRING:
        return "string";
    case JSON_INTEGER:
        return "integer";
    case JSON_REAL:
        return "number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "boolean";
    default:
        return "null";
    }
}

static double dabs(double d)
{
    return d < 0 ? -d : d;
}

/* Every double of magnitude 2^52 or more is an integer; below it the cast is defined (NaN,
 * which no parsed JSON holds, is refused before it). */
static int integral(double d)
{
    if (d != d)
        return 0;
    return dabs(d) >= 4503599627370496.0 || (double)(long long)d == d;
}

static void num_text(const json_t *v, char *buf, size_t n)
{
    if (json_is_integer(v))
        snprintf(buf, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else
        snprintf(buf, n, "%.17g", json_number_value(v));
}

/* A non-negative integer keyword value (2.0 counts) into *out. */
static int count_of(ccs_vctx *c, const char *kw, const json_t *v, size_t *out)
{
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (size_t)json_integer_value(v);
        return 1;
    }
    double d = json_is_real(v) ? json_real_value(v) : -1;
    if (d >= 0 && integral(d)) {
        *out = d >= 1.8e19 ? SIZE_MAX : (size_t)d;
        return 1;
    }
    return bad_schema(c, kw, "a non-negative integer");
}

/* ---- references --------------------------------------------------------- */

/* Resolved reference, cached in the set per "$ref" value node. */
static const ccs_target *target_of(ccs_vctx *c, const json_t *v, const char *kw)
{
    if (!json_is_string(v)) {
        bad_schema(c, kw, "a string");
        return NULL;
    }
    ccs_target *t = ccs_pmap_get(&c->set->targets, v);
    if (t)
        return t;
    char err[512];
    t = ccs_resolve(c->set, c->res, json_string_value(v), err, sizeof err);
    if (!t) {
        ccs_fatal(c, "%s", err);
        return NULL;
    }
    if (ccs_pmap_put(&c->set->targets, v, t) < 0) {
        ccs_target_free(t);
        ccs_fatal(c, "out of memory");
        return NULL;
    }
    return t;
}

static int kw_ref(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x, ccs_eval *ev)
{
    (void)s;
    const ccs_target *t = target_of(c, v, "$ref");
    return t && ccs_follow(c, t->target, t->res, t->loc, x, ev);
}

/* Follows target whose location is res->uri + "#" + ptr. */
static int follow_dynamic(ccs_vctx *c, const json_t *target, ccs_resource *res, const char *ptr,
                          const json_t *x, ccs_eval *ev)
{
    if (!c->paths) /* the location is only for messages, which this run does not make */
        return ccs_follow(c, target, res, "", x, ev);
    ccs_buf loc;
    ccs_buf_init(&loc);
    ccs_buf_puts(&loc, res->uri);
    ccs_buf_add(&loc, "#", 1);
    ccs_buf_puts(&loc, ptr);
    int ok = 0;
    if (loc.oom)
        ccs_fatal(c, "out of memory");
    else
        ok = ccs_follow(c, target, res, loc.s, x, ev);
    ccs_buf_free(&loc);
    return ok;
}

/* 2020-12: when the static target carries a matching $dynamicAnchor, the
   outermost resource in the dynamic scope declaring that anchor wins. */
static int kw_dynamic_ref(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x,
                          ccs_eval *ev)
{
    (void)s;
    const ccs_target *t = target_of(c, v, "$dynamicRef");
    if (!t)
        return 0;
    const json_t *da = json_object_get(t->target, "$dynamicAnchor");
    if (!t->anchor || !json_is_string(da) || strcmp(json_string_value(da), t->anchor) != 0)
        return ccs_follow(c, t->target, t->res, t->loc, x, ev);
    for (size_t i = 0; i < c->nscope; i++) {
        const ccs_anchor *a = ccs_anchor_get(c->set, c->scope[i]->uri, t->anchor);
        const ccs_node *n = a && a->dynamic ? ccs_node_of(c->set, a->node) : NULL;
        if (n)
            return follow_dynamic(c, a->node, n->res, n->ptr, x, ev);
    }
    return ccs_follow(c, t->target, t->res, t->loc, x, ev);
}

/* 2019-09: "$recursiveRef" re-targets to the outermost resource with
   "$recursiveAnchor": true, if the static target has one too. */
static int kw_recursive_ref(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x,
                            ccs_eval *ev)
{
    (void)s;
    const ccs_target *t = target_of(c, v, "$recursiveRef");
    if (!t)
        return 0;
    if (json_is_true(json_object_get(t->target, "$recursiveAnchor")))
        for (size_t i = 0; i < c->nscope; i++)
            if (c->scope[i]->recursive_anchor)
                return follow_dynamic(c, c->scope[i]->root, c->scope[i], "", x, ev);
    return ccs_follow(c, t->target, t->res, t->loc, x, ev);
}

/* ---- in-place applicators ----------------------------------------------- */

static int schema_array(ccs_vctx *c, const char *kw, const json_t *v)
{
    return json_is_array(v) && json_array_size(v) ? 1 : bad_schema(c, kw, "a non-empty array");
}

static int kw_all_of(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x, ccs_eval *ev)
{
    (void)s;
    if (!schema_array(c, "allOf", v))
        return 0;
    int ok = 1;
    for (size_t i = 0; i < json_array_size(v) && !stop(c, ok); i++)
        ok &= in_place(c, json_array_get(v, i), x, ev, "allOf", NULL, (long)i);
    return ok;
}

static int kw_any_of(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x, ccs_eval *ev)
{
    (void)s;
    if (!schema_array(c, "anyOf", v))
        return 0;
    int any = 0;
    c->quiet++;
    /* With annotations wanted, every branch must run: each valid one adds. */
    for (size_t i = 0; i < json_array_size(v) && !c->fatal && !(any && !ev); i++)
        any |= in_place(c, json_array_get(v, i), x, ev, "anyOf", NULL, (long)i);
    c->quiet--;
    if (!any)
        ccs_report(c, "anyOf", "value does not match any of the %zu schemas in anyOf",
                   json_array_size(v));
    return any && !c->fatal;
}

static int kw_one_of(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x, ccs_eval *ev)
{
    (void)s;
    if (!schema_array(c, "oneOf", v))
        return 0;
    size_t count = 0, first = 0, second = 0;
    c->quiet++;
    for (size_t i = 0; i < json_array_size(v) && !c->fatal && count < 2; i++)
        if (in_place(c, json_array_get(v, i), x, ev, "oneOf", NULL, (long)i)) {
            *(count ? &second : &first) = i;
            count++;
        }
    c->quiet--;
    if (count == 0)
        ccs_report(c, "oneOf", "value does not match any of the schemas in oneOf");
    else if (count > 1)
        ccs_report(c, "oneOf", "value matches oneOf schemas %zu and %zu, expected exactly one",
                   first, second);
    return count == 1 && !c->fatal;
}

static int kw_not(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x, ccs_eval *ev)
{
    (void)s;
    (void)ev;
    c->quiet++;
    int matched = in_place(c, v, x, NULL, "not", NULL, -1);
    c->quiet--;
    if (c->fatal)
        return 0;
    if (matched)
        ccs_report(c, "not", "value must not match the schema in 'not'");
    return !matched;
}

static int kw_if(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x, ccs_eval *ev)
{
    c->quiet++;
    int cond = in_place(c, v, x, ev, "if", NULL, -1);
    c->quiet--;
    if (c->fatal)
        return 0;
    const char *branch = cond ? "then" : "else";
    const json_t *b = json_object_get(s, branch);
    return b ? in_place(c, b, x, ev, branch, NULL, -1) : 1;
}

static int kw_dependent_schemas(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x,
                                ccs_eval *ev)
{
    (void)s;
    if (!json_is_object(v))
        return bad_schema(c, "dependentSchemas", "an object");
    if (!json_is_object(x))
        return 1;
    const char *key;
    json_t *sub;
    int ok = 1;
    json_object_foreach((json_t *)v, key, sub)
    {
        if (stop(c, ok))
            break;
        if (json_object_get(x, key))
            ok &= in_place(c, sub, x, ev, "dependentSchemas", key, -1);
    }
    return ok;
}

static int require_all(ccs_vctx *c, const char *kw, const json_t *names, const json_t *x,
                       const char *because)
{
    if (!json_is_array(names))
        return bad_schema(c, kw, "an array of strings");
    int ok = 1;
    for (size_t i = 0; i < json_array_size(names); i++) {
        const json_t *n = json_array_get(names, i);
        if (!json_is_string(n))
            return bad_schema(c, kw, "an array of strings");
        if (json_object_getn(x, json_string_value(n), json_string_length(n)))
            continue;
        ok = 0;
        if (because)
            ccs_report(c, kw, "property '%s' is required because '%s' is present",
                       json_string_value(n), because);
        else
            ccs_report(c, kw, "required property '%s' is missing", json_string_value(n));
    }
    return ok;
}

/* "dependencies" (drafts up to 7) mixes dependentRequired and
   dependentSchemas; later drafts split it but it is still honoured, as the
   suite's optional compatibility tests expect. */
static int kw_dependencies(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x,
                           ccs_eval *ev)
{
    (void)s;
    if (!json_is_object(v))
        return bad_schema(c, "dependencies", "an object");
    if (!json_is_object(x))
        return 1;
    const char *key;
    json_t *dep;
    int ok = 1;
    json_object_foreach((json_t *)v, key, dep)
    {
        if (stop(c, ok))
            break;
        if (!json_object_get(x, key))
            continue;
        if (json_is_array(dep))
            ok &= require_all(c, "dependencies", dep, x, key);
        else
            ok &= in_place(c, dep, x, ev, "dependencies", key, -1);
    }
    return ok;
}

/* ---- object applicators ------------------------------------------------- */

static int kw_properties(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x,
                         ccs_eval *ev)
{
    (void)s;
    if (!json_is_object(v))
        return bad_schema(c, "properties", "an object");
    if (!json_is_object(x))
        return 1;
    const char *key;
    size_t klen, i = 0;
    json_t *val;
    int ok = 1;
    json_object_keylen_foreach((json_t *)x, key, klen, val)
    {
        if (stop(c, ok))
            break;
        const json_t *sub = json_object_getn(v, key, klen);
        if (sub) {
            ok &= on_member(c, sub, key, klen, val, "properties", key);
            ccs_ev_mark(c, ev, i);
        }
        i++;
    }
    return ok;
}

/* Applies every matching patternProperties entry to one member; *matched
   tells additionalProperties whether any pattern claimed it. */
static int pattern_member(ccs_vctx *c, const json_t *pats, const char *key, size_t klen,
                          const json_t *val, int apply, int *matched)
{
    const char *pat;
    json_t *sub;
    int ok = 1;
    *matched = 0;
    json_object_foreach((json_t *)pats, pat, sub)
    {
        int m = re_match(c, pat, key, klen);
        if (m < 0)
            return 0;
        if (!m)
            continue;
        *matched = 1;
        if (!apply)
            return 1;
        ok &= on_member(c, sub, key, klen, val, "patternProperties", pat);
        if (stop(c, ok))
            break;
    }
    return ok;
}

static int kw_pattern_properties(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x,
                                 ccs_eval *ev)
{
    (void)s;
    if (!json_is_object(v))
        return bad_schema(c, "patternProperties", "an object");
    if (!json_is_object(x))
        return 1;
    const char *key;
    size_t klen, i = 0;
    json_t *val;
    int ok = 1, matched;
    json_object_keylen_foreach((json_t *)x, key, klen, val)
    {
        if (stop(c, ok))
            break;
        ok &= pattern_member(c, v, key, klen, val, 1, &matched);
        if (matched)
            ccs_ev_mark(c, ev, i);
        i++;
    }
    return ok;
}

static int kw_additional_properties(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x,
                                    ccs_eval *ev)
{
    if (!json_is_object(x))
        return 1;
    const json_t *props = json_object_get(s, "properties");
    const json_t *pats = json_object_get(s, "patternProperties");
    const char *key;
    size_t klen, i = 0;
    json_t *val;
    int ok = 1, matched = 0;
    json_object_keylen_foreach((json_t *)x, key, klen, val)
    {
        if (stop(c, ok))
            break;
        size_t idx = i++;
        if (json_is_object(props) && json_object_getn(props, key, klen))
            continue;
        if (json_is_object(pats) &&
            (!pattern_member(c, pats, key, klen, val, 0, &matched) || matched))
            continue;
        ok &= on_member(c, v, key, klen, val, "additionalProperties", NULL);
        ccs_ev_mark(c, ev, idx);
    }
    return ok && !c->fatal;
}

static int kw_property_names(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x,
                             ccs_eval *ev)
{
    (void)s;
    (void)ev;
    if (!json_is_object(x))
        return 1;
    const char *key;
    size_t klen;
    json_t *val;
    int ok = 1;
    json_object_keylen_foreach((json_t *)x, key, klen, val)
    {
        if (stop(c, ok))
            break;
        json_t *name = json_stringn_nocheck(key, klen);
        if (!name) {
            ccs_fatal(c, "out of memory");
            return 0;
        }
        c->quiet++;
        int r = in_place(c, v, name, NULL, "propertyNames", NULL, -1);
        c->quiet--;
        json_decref(name);
        if (r || c->fatal)
            continue;
        ok = 0;
        size_t im = ccs_ip_push_key(c, key, klen);
        ccs_report(c, "propertyNames", "property name '%s' does not match propertyNames", key);
        ccs_ip_pop(c, im);
    }
    return ok && !c->fatal;
}

/* ---- array applicators -------------------------------------------------- */

static int tuple(ccs_vctx *c, const char *kw, const json_t *v, const json_t *x, ccs_eval *ev)
{
    if (!json_is_array(v))
        return bad_schema(c, kw, "an array");
    int ok = 1;
    size_t n = json_array_size(x) < json_array_size(v) ? json_array_size(x) : json_array_size(v);
    for (size_t i = 0; i < n && !stop(c, ok); i++) {
        ok &= on_item(c, json_array_get(v, i), x, i, kw, (long)i);
        ccs_ev_mark(c, ev, i);
    }
    return ok;
}

static int rest_items(ccs_vctx *c, const char *kw, const json_t *v, const json_t *x, size_t from,
                      ccs_eval *ev)
{
    int ok = 1;
    for (size_t i = from; i < json_array_size(x) && !stop(c, ok); i++)
        ok &= on_item(c, v, x, i, kw, -1);
    if (ev)
        ev->all = 1; /* together with the tuple before it, every item is covered */
    return ok;
}

static int kw_prefix_items(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x,
                           ccs_eval *ev)
{
    (void)s;
    return json_is_array(x) ? tuple(c, "prefixItems", v, x, ev) : 1;
}

static int kw_items(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x, ccs_eval *ev)
{
    if (!json_is_array(x))
        return 1;
    if (json_is_array(v)) /* array form: drafts up to 2019-09 */
        return tuple(c, "items", v, x, ev);
    size_t from = 0;
    const json_t *prefix = json_object_get(s, "prefixItems");
    if (c->res->draft >= CCS_DRAFT2020 && json_is_array(prefix))
        from = json_array_size(prefix);
    return rest_items(c, "items", v, x, from, ev);
}

static int kw_additional_items(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x,
                               ccs_eval *ev)
{
    const json_t *items = json_object_get(s, "items");
    if (!json_is_array(x) || !json_is_array(items))
        return 1;
    return rest_items(c, "additionalItems", v, x, json_array_size(items), ev);
}

static int contains_bounds(ccs_vctx *c, const json_t *s, size_t *min, size_t *max)
{
    const json_t *lo = json_object_get(s, "minContains");
    const json_t *hi = json_object_get(s, "maxContains");
    *min = 1;
    *max = SIZE_MAX;
    if (c->res->draft < CCS_DRAFT2019)
        return 1;
    return (!lo || count_of(c, "minContains", lo, min)) &&
           (!hi || count_of(c, "maxContains", hi, max));
}

static int kw_contains(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x, ccs_eval *ev)
{
    size_t min, max, count = 0;
    if (!json_is_array(x) || !contains_bounds(c, s, &min, &max))
        return !c->fatal;
    /* Only 2020-12 lets contains count as evaluating items. */
    ccs_eval *mark = c->res->draft >= CCS_DRAFT2020 ? ev : NULL;
    for (size_t i = 0; i < json_array_size(x) && !c->fatal; i++) {
        if (!mark && max == SIZE_MAX && count >= min)
            break;
        c->quiet++;
        int r = on_item(c, v, x, i, "contains", -1);
        c->quiet--;
        if (r) {
            count++;
            ccs_ev_mark(c, mark, i);
        }
    }
    if (c->fatal)
        return 0;
    if (count < min)
        ccs_report(c, json_object_get(s, "minContains") ? "minContains" : "contains",
                   "array contains %zu matching item(s), at least %zu required", count, min);
    if (count > max)
        ccs_report(c, "maxContains", "array contains %zu matching items, at most %zu allowed",
                   count, max);
    return count >= min && count <= max;
}

/* ---- unevaluated -------------------------------------------------------- */

static int kw_unevaluated_items(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x,
                                ccs_eval *ev)
{
    (void)s;
    if (!json_is_array(x) || !ev)
        return 1;
    int ok = 1;
    for (size_t i = 0; i < json_array_size(x) && !stop(c, ok); i++) {
        if (ccs_ev_has(ev, i))
            continue;
        ok &= on_item(c, v, x, i, "unevaluatedItems", -1);
        ccs_ev_mark(c, ev, i);
    }
    return ok;
}

static int kw_unevaluated_properties(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x,
                                     ccs_eval *ev)
{
    (void)s;
    if (!json_is_object(x) || !ev)
        return 1;
    const char *key;
    size_t klen, i = 0;
    json_t *val;
    int ok = 1;
    json_object_keylen_foreach((json_t *)x, key, klen, val)
    {
        if (stop(c, ok))
            break;
        size_t idx = i++;
        if (ccs_ev_has(ev, idx))
            continue;
        ok &= on_member(c, v, key, klen, val, "unevaluatedProperties", NULL);
        ccs_ev_mark(c, ev, idx);
    }
    return ok;
}

/* ---- assertions: any type ----------------------------------------------- */

/* Index of type name n (length len) in type_is's order, -1 for none: the first letter and
   the length pick the one candidate, so a check costs one comparison, not a list of them. */
static int type_index(const char *n, size_t len)
{
    static const char *const names[] = {"null",   "boolean", "object", "array",
                                        "number", "string",  "integer"};
    int k;
    switch (n[0]) {
    case 'n':
        k = len == 4 ? 0 : 4;
        break;
    case 'b':
        k = 1;
        break;
    case 'o':
        k = 2;
        break;
    case 'a':
        k = 3;
        break;
    case 's':
        k = 5;
        break;
    case 'i':
        k = 6;
        break;
    default:
        return -1;
    }
    return strlen(names[k]) == len && memcmp(n, names[k], len) == 0 ? k : -1;
}

static int type_is(ccs_vctx *c, const json_t *t, const json_t *x)
{
    int k = json_is_string(t) ? type_index(json_string_value(t), json_string_length(t)) : -1;
    switch (k) {
    case 0:
        return json_is_null(x);
    case 1:
        return json_is_boolean(x);
    case 2:
        return json_is_object(x);
    case 3:
        return json_is_array(x);
    case 4:
        return json_is_number(x);
    case 5:
        return json_is_string(x);
    case 6: /* 1.0 is an integer too */
        return json_is_integer(x) || (json_is_real(x) && integral(json_real_value(x)));
    default:
        return bad_schema(c, "type", "a type name or an array of type names") - 1;
    }
}

static int kw_type(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x, ccs_eval *ev)
{
    (void)s;
    (void)ev;
    int ok = 0;
    if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v) && !ok; i++)
            ok = type_is(c, json_array_get(v, i), x);
    } else
        ok = type_is(c, v, x);
    if (ok < 0)
        return 0;
    if (!ok && !c->quiet) { /* quiet: no message is kept, so none is made */
        char *want = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        ccs_report(c, "type", "expected type %s, got %s", want ? want : "?", type_name(x));
        free(want);
    }
    return ok;
}

static int kw_enum(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x, ccs_eval *ev)
{
    (void)s;
    (void)ev;
    if (!json_is_array(v))
        return bad_schema(c, "enum", "an array");
    for (size_t i = 0; i < json_array_size(v); i++)
        if (ccs_json_equal(json_array_get(v, i), x))
            return 1;
    ccs_report(c, "enum", "value is not one of the %zu values allowed by enum", json_array_size(v));
    return 0;
}

static int kw_const(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x, ccs_eval *ev)
{
    (void)s;
    (void)ev;
    if (ccs_json_equal(v, x))
        return 1;
    if (c->quiet)
        return 0;
    char *want = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    ccs_report(c, "const", "value must be %.200s", want ? want : "the const value");
    free(want);
    return 0;
}

/* ---- assertions: numbers ------------------------------------------------ */

/* Exact remainder test for positive doubles: scaling m by powers of two is
   exact, and each subtraction r - t with t <= r < 2t is exact (Sterbenz). */
static int exact_multiple(double x, double m)
{
    double r = dabs(x), t = m;
    while (t <= r / 2)
        t *= 2;
    for (; t >= m; t /= 2)
        if (r >= t)
            r -= t;
    return r == 0;
}

static int multiple_of(const json_t *x, const json_t *m)
{
    if (json_is_integer(x) && json_is_integer(m))
        return json_integer_value(x) % json_integer_value(m) == 0;
    double xv = json_number_value(x), mv = json_number_value(m);
    double q = xv / mv;
    if (!isfinite(q)) /* huge x, tiny m: the division overflowed */
        return exact_multiple(xv, mv);
    if (dabs(q) >= 4503599627370496.0)
        return 1;
    /* x and m are rounded binary values (0.01 is not exact), so accept a
       quotient within a few ulps of an integer. */
    double nearest = (double)(long long)(q + (q < 0 ? -0.5 : 0.5));
    double scale = dabs(q) > 1 ? dabs(q) : 1;
    return dabs(q - nearest) <= scale * 8 * DBL_EPSILON;
}

static int kw_multiple_of(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x,
                          ccs_eval *ev)
{
    (void)s;
    (void)ev;
    if (!json_is_number(v) || json_number_value(v) <= 0)
        return bad_schema(c, "multipleOf", "a number greater than 0");
    if (!json_is_number(x) || multiple_of(x, v))
        return 1;
    char a[40], b[40];
    num_text(x, a, sizeof a);
    num_text(v, b, sizeof b);
    ccs_report(c, "multipleOf", "%s is not a multiple of %s", a, b);
    return 0;
}

/* Shared by the four bounds: `sign` is +1 for upper bounds (x above v is
   bad) and -1 for lower bounds. */
static int bound(ccs_vctx *c, const char *kw, const json_t *v, const json_t *x, int sign,
                 int exclusive, const char *rel)
{
    if (!json_is_number(v))
        return bad_schema(c, kw, "a number");
    if (!json_is_number(x))
        return 1;
    int side = ccs_num_cmp(x, v) * sign; /* >0: beyond the bound */
    if (exclusive ? side < 0 : side <= 0)
        return 1;
    char a[40], b[40];
    num_text(x, a, sizeof a);
    num_text(v, b, sizeof b);
    ccs_report(c, kw, "%s must be %s %s", a, rel, b);
    return 0;
}

static int kw_maximum(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x, ccs_eval *ev)
{
    (void)s;
    (void)ev;
    return bound(c, "maximum", v, x, 1, 0, "at most");
}

static int kw_exclusive_maximum(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x,
                                ccs_eval *ev)
{
    (void)s;
    (void)ev;
    return json_is_boolean(v) ? 1 : bound(c, "exclusiveMaximum", v, x, 1, 1, "less than");
}

static int kw_minimum(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x, ccs_eval *ev)
{
    (void)s;
    (void)ev;
    return bound(c, "minimum", v, x, -1, 0, "at least");
}

static int kw_exclusive_minimum(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x,
                                ccs_eval *ev)
{
    (void)s;
    (void)ev;
    return json_is_boolean(v) ? 1 : bound(c, "exclusiveMinimum", v, x, -1, 1, "greater than");
}

/* ---- assertions: strings ------------------------------------------------ */

static int length_bound(ccs_vctx *c, const char *kw, const json_t *v, const json_t *x, int max)
{
    size_t limit;
    if (!count_of(c, kw, v, &limit))
        return 0;
    if (!json_is_string(x))
        return 1;
    size_t len = ccs_utf8_length(json_string_value(x), json_string_length(x));
    if (max ? len <= limit : len >= limit)
        return 1;
    ccs_report(c, kw, "string has %zu characters, %s %zu allowed", len,
               max ? "at most" : "at least", limit);
    return 0;
}

static int kw_max_length(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x,
                         ccs_eval *ev)
{
    (void)s;
    (void)ev;
    return length_bound(c, "maxLength", v, x, 1);
}

static int kw_min_length(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x,
                         ccs_eval *ev)
{
    (void)s;
    (void)ev;
    return length_bound(c, "minLength", v, x, 0);
}

static int kw_pattern(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x, ccs_eval *ev)
{
    (void)s;
    (void)ev;
    if (!json_is_string(v))
        return bad_schema(c, "pattern", "a string");
    if (!json_is_string(x))
        return 1;
    int m = re_match(c, json_string_value(v), json_string_value(x), json_string_length(x));
    if (m == 0)
        ccs_report(c, "pattern", "string does not match pattern '%s'", json_string_value(v));
    return m == 1;
}

static int kw_format(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x, ccs_eval *ev)
{
    (void)s;
    (void)ev;
    if (!json_is_string(v))
        return bad_schema(c, "format", "a string");
    int assert = c->assert_formats || (c->res->vocab & CCS_V_FORMAT_ASSERTION);
    if (!assert || !json_is_string(x))
        return 1;
    const char *f = json_string_value(v);
    if (cc_schema_check_format(f, json_string_value(x), json_string_length(x)) != 0)
        return 1; /* valid, or a format this engine does not know */
    ccs_report(c, "format", "string is not a valid '%s'", f);
    return 0;
}

/* ---- assertions: arrays and objects ------------------------------------- */

/* maxItems/minItems/maxProperties/minProperties; n is the instance size
   when the instance has the right type, otherwise the check does not apply. */
static int size_bound(ccs_vctx *c, const char *kw, const json_t *v, int applies, size_t n, int max,
                      const char *what)
{
    size_t limit;
    if (!count_of(c, kw, v, &limit))
        return 0;
    if (!applies || (max ? n <= limit : n >= limit))
        return 1;
    ccs_report(c, kw, "%s has %zu %s, %s %zu allowed", what[0] == 'i' ? "array" : "object", n, what,
               max ? "at most" : "at least", limit);
    return 0;
}

static int kw_max_items(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x,
                        ccs_eval *ev)
{
    (void)s;
    (void)ev;
    return size_bound(c, "maxItems", v, json_is_array(x), json_array_size(x), 1, "items");
}

static int kw_min_items(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x,
                        ccs_eval *ev)
{
    (void)s;
    (void)ev;
    return size_bound(c, "minItems", v, json_is_array(x), json_array_size(x), 0, "items");
}

static int kw_max_properties(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x,
                             ccs_eval *ev)
{
    (void)s;
    (void)ev;
    return size_bound(c, "maxProperties", v, json_is_object(x), json_object_size(x), 1,
                      "properties");
}

static int kw_min_properties(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x,
                             ccs_eval *ev)
{
    (void)s;
    (void)ev;
    return size_bound(c, "minProperties", v, json_is_object(x), json_object_size(x), 0,
                      "properties");
}

typedef struct {
    size_t hash, index;
} hashed_item;

static int cmp_hashed(const void *a, const void *b)
{
    const hashed_item *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Finds two equal items in O(n log n): sort by a hash that agrees with
   ccs_json_equal, then compare only within runs of equal hashes. */
static int find_duplicate(ccs_vctx *c, const json_t *x, size_t *a, size_t *b)
{
    size_t n = json_array_size(x);
    hashed_item *h = malloc(n * sizeof *h);
    if (!h) {
        ccs_fatal(c, "out of memory");
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        h[i] = (hashed_item){.hash = ccs_json_hash(json_array_get(x, i)), .index = i};
    qsort(h, n, sizeof *h, cmp_hashed);
    int found = 0;
    for (size_t i = 0; i < n && !found; i++)
        for (size_t j = i + 1; j < n && h[j].hash == h[i].hash && !found; j++)
            if (ccs_json_equal(json_array_get(x, h[i].index), json_array_get(x, h[j].index))) {
                *a = h[i].index;
                *b = h[j].index;
                found = 1;
            }
    free(h);
    return found;
}

static int kw_unique_items(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x,
                           ccs_eval *ev)
{
    (void)s;
    (void)ev;
    if (!json_is_boolean(v))
        return bad_schema(c, "uniqueItems", "a boolean");
    size_t a, b;
    if (!json_is_true(v) || !json_is_array(x) || json_array_size(x) < 2)
        return 1;
    if (!find_duplicate(c, x, &a, &b))
        return !c->fatal;
    ccs_report(c, "uniqueItems", "items %zu and %zu are equal", a < b ? a : b, a < b ? b : a);
    return 0;
}

static int kw_required(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x, ccs_eval *ev)
{
    (void)s;
    (void)ev;
    if (!json_is_array(v))
        return bad_schema(c, "required", "an array of strings");
    return json_is_object(x) ? require_all(c, "required", v, x, NULL) : 1;
}

static int kw_dependent_required(ccs_vctx *c, const json_t *s, const json_t *v, const json_t *x,
                                 ccs_eval *ev)
{
    (void)s;
    (void)ev;
    if (!json_is_object(v))
        return bad_schema(c, "dependentRequired", "an object");
    if (!json_is_object(x))
        return 1;
    const char *key;
    json_t *names;
    int ok = 1;
    json_object_foreach((json_t *)v, key, names)
    {
        if (stop(c, ok))
            break;
        if (json_object_get(x, key))
            ok &= require_all(c, "dependentRequired", names, x, key);
    }
    return ok;
}

/* ---- dispatch ----------------------------------------------------------- */

typedef struct {
    const char *name;
    kw_fn fn;
    unsigned vocab;
    int min_draft, max_draft;
} keyword;

enum { ANY_LO = CCS_DRAFT4, ANY_HI = CCS_DRAFT2020 };

/* Order matters only in that unevaluated* must come after every keyword
   that produces annotations; references come first to mirror the spec. */
static const keyword keywords[] = {
    {.name = "$ref", .fn = kw_ref, .vocab = CCS_V_CORE, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "$dynamicRef", .fn = kw_dynamic_ref, .vocab = CCS_V_CORE, .min_draft = CCS_DRAFT2020, .max_draft = ANY_HI},
    {.name = "$recursiveRef", .fn = kw_recursive_ref, .vocab = CCS_V_CORE, .min_draft = CCS_DRAFT2019, .max_draft = CCS_DRAFT2019},
    {.name = "allOf", .fn = kw_all_of, .vocab = CCS_V_APPLICATOR, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "anyOf", .fn = kw_any_of, .vocab = CCS_V_APPLICATOR, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "oneOf", .fn = kw_one_of, .vocab = CCS_V_APPLICATOR, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "not", .fn = kw_not, .vocab = CCS_V_APPLICATOR, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "if", .fn = kw_if, .vocab = CCS_V_APPLICATOR, .min_draft = CCS_DRAFT7, .max_draft = ANY_HI},
    {.name = "dependentSchemas", .fn = kw_dependent_schemas, .vocab = CCS_V_APPLICATOR, .min_draft = CCS_DRAFT2019, .max_draft = ANY_HI},
    {.name = "dependencies", .fn = kw_dependencies, .vocab = CCS_V_APPLICATOR, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "properties", .fn = kw_properties, .vocab = CCS_V_APPLICATOR, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "patternProperties", .fn = kw_pattern_properties, .vocab = CCS_V_APPLICATOR, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "additionalProperties", .fn = kw_additional_properties, .vocab = CCS_V_APPLICATOR, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "propertyNames", .fn = kw_property_names, .vocab = CCS_V_APPLICATOR, .min_draft = CCS_DRAFT6, .max_draft = ANY_HI},
    {.name = "prefixItems", .fn = kw_prefix_items, .vocab = CCS_V_APPLICATOR, .min_draft = CCS_DRAFT2020, .max_draft = ANY_HI},
    {.name = "items", .fn = kw_items, .vocab = CCS_V_APPLICATOR, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "additionalItems", .fn = kw_additional_items, .vocab = CCS_V_APPLICATOR, .min_draft = ANY_LO, .max_draft = CCS_DRAFT2019},
    {.name = "contains", .fn = kw_contains, .vocab = CCS_V_APPLICATOR, .min_draft = CCS_DRAFT6, .max_draft = ANY_HI},
    {.name = "type", .fn = kw_type, .vocab = CCS_V_VALIDATION, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "enum", .fn = kw_enum, .vocab = CCS_V_VALIDATION, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "const", .fn = kw_const, .vocab = CCS_V_VALIDATION, .min_draft = CCS_DRAFT6, .max_draft = ANY_HI},
    {.name = "multipleOf", .fn = kw_multiple_of, .vocab = CCS_V_VALIDATION, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "maximum", .fn = kw_maximum, .vocab = CCS_V_VALIDATION, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "exclusiveMaximum", .fn = kw_exclusive_maximum, .vocab = CCS_V_VALIDATION, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "minimum", .fn = kw_minimum, .vocab = CCS_V_VALIDATION, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "exclusiveMinimum", .fn = kw_exclusive_minimum, .vocab = CCS_V_VALIDATION, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "maxLength", .fn = kw_max_length, .vocab = CCS_V_VALIDATION, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "minLength", .fn = kw_min_length, .vocab = CCS_V_VALIDATION, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "pattern", .fn = kw_pattern, .vocab = CCS_V_VALIDATION, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "maxItems", .fn = kw_max_items, .vocab = CCS_V_VALIDATION, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "minItems", .fn = kw_min_items, .vocab = CCS_V_VALIDATION, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "uniqueItems", .fn = kw_unique_items, .vocab = CCS_V_VALIDATION, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "maxProperties", .fn = kw_max_properties, .vocab = CCS_V_VALIDATION, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "minProperties", .fn = kw_min_properties, .vocab = CCS_V_VALIDATION, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "required", .fn = kw_required, .vocab = CCS_V_VALIDATION, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "dependentRequired", .fn = kw_dependent_required, .vocab = CCS_V_VALIDATION, .min_draft = CCS_DRAFT2019, .max_draft = ANY_HI},
    {.name = "format", .fn = kw_format, .vocab = CCS_V_FORMAT_ANNOTATION | CCS_V_FORMAT_ASSERTION, .min_draft = ANY_LO, .max_draft = ANY_HI},
    {.name = "unevaluatedItems", .fn = kw_unevaluated_items, .vocab = CCS_V_UNEVALUATED, .min_draft = CCS_DRAFT2019, .max_draft = ANY_HI},
    {.name = "unevaluatedProperties", .fn = kw_unevaluated_properties, .vocab = CCS_V_UNEVALUATED, .min_draft = CCS_DRAFT2019, .max_draft = ANY_HI},
};

/* The keywords of s that apply under draft and vocab, in dispatch order, with their values.
   0 when out of memory (the node stays unplanned). */
static int make_plan(const json_t *s, int draft, unsigned vocab, ccs_node *n)
{
    _Static_assert(sizeof keywords / sizeof keywords[0] <= CCS_MAX_PLAN, "CCS_MAX_PLAN too small");
    const json_t *vals[CCS_MAX_PLAN];
    n->nplan = 0;
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++) {
        const keyword *k = &keywords[i];
        const json_t *v = json_object_get(s, k->name);
        if (v && draft >= k->min_draft && draft <= k->max_draft && (vocab & k->vocab)) {
            vals[n->nplan] = v;
            n->plan[n->nplan++] = (unsigned char)i;
        }
    }
    if (n->nplan) {
        n->vals = malloc(n->nplan * sizeof *n->vals);
        if (!n->vals)
            return 0;
        memcpy(n->vals, vals, n->nplan * sizeof *n->vals);
    }
    n->need_ev = json_object_get(s, "unevaluatedItems") || json_object_get(s, "unevaluatedProperties");
    n->ref_only = draft <= CCS_DRAFT7 && json_object_get(s, "$ref");
    n->planned = 1;
    return 1;
}

int ccs_needs_ev(const json_t *s, ccs_node *node)
{
    if (node && node->planned)
        return node->need_ev;
    return json_object_get(s, "unevaluatedItems") || json_object_get(s, "unevaluatedProperties");
}

int ccs_run_keywords(ccs_vctx *c, const json_t *s, const json_t *x, ccs_eval *ev, ccs_node *node)
{
    int draft = c->res->draft;
    /* A plan holds for the resource it was made for (the node's, which ccs_v_schema set). */
    if (node && node->res == c->res) {
        if (!node->planned && !make_plan(s, draft, c->res->vocab, node)) {
            ccs_fatal(c, "out of memory");
            return 0;
        }
        if (node->ref_only)
            return kw_ref(c, s, json_object_get(s, "$ref"), x, ev);
        int ok = 1;
        for (size_t i = 0; i < node->nplan && !stop(c, ok); i++)
            ok &= keywords[node->plan[i]].fn(c, s, node->vals[i], x, ev);
        return ok && !c->fatal;
    }
    /* Up to draft 7, "$ref" makes every sibling keyword ignored. */
    if (draft <= CCS_DRAFT7 && json_object_get(s, "$ref"))
        return kw_ref(c, s, json_object_get(s, "$ref"), x, ev);
    int ok = 1;
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0] && !stop(c, ok); i++) {
        const keyword *k = &keywords[i];
        if (draft < k->min_draft || draft > k->max_draft || !(c->res->vocab & k->vocab))
            continue;
        const json_t *v = json_object_get(s, k->name);
        if (v)
            ok &= k->fn(c, s, v, x, ev);
    }
    return ok && !c->fatal;
}
