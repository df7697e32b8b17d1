/* OB 2.0 extensions (docs/references.md ob §2.2 "Extension object", validator task 12).  Each node typed
 * Extension is checked as the official validator checks it:
 *  - its contexts are its own @context, else the document's, less the OB 2.0 one;
 *  - an obi:validation entry of one of those contexts whose validatesType is one of the
 *    node's types (both expanded to IRIs) names a JSON Schema;
 *  - the node, its keys compacted to that context's terms, must pass the schema.
 * A node none of whose types its contexts validate fails ("could not determine the extension
 * type"), as in the validator.  Contexts and schemas are read only where --fetch or a
 * --map-url allows; otherwise a note says the extension was not checked.  This is not a
 * JSON-LD processor: terms and prefixes are expanded one context deep, which is all the
 * published extension contexts use (docs/ob2-validation.md). */
#include "cc_jsonread.h"
#include "cc_rdf.h"
#include "ob2.h"

#include <stdio.h>
#include <string.h>

#define OBI "https://w3id.org/openbadges#"
enum { IRI_MAX = 1024, MAX_EXPANSIONS = 8 };

/* The OB 2.0 context's prefixes and the validation terms, which extension contexts use
 * without defining them. */
static json_t *base_terms(void)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
                     "obi", OBI, "extensions", "https://w3id.org/openbadges/extensions#",
                     "schema", "http://schema.org/", "dc", "http://purl.org/dc/terms/",
                     "sec", "https://w3id.org/security#", "cred", "https://w3id.org/credentials#",
                     "xsd", "http://www.w3.org/2001/XMLSchema#", "validation", "obi:validation",
                     "validatesType", "obi:validatesType", "validationSchema",
                     "obi:validationSchema");
}

/* What a term stands for: a string, or the @id of an expanded term definition. */
static const char *term_value(const json_t *def)
{
    return json_is_string(def) ? json_string_value(def)
                               : json_string_value(json_object_get(def, "@id"));
}

/* s as an IRI (into out): a term replaced by its value, a defined prefix by its IRI, until
 * neither applies (bounded: a context may define terms in a loop). */
static const char *expand(const json_t *terms, const char *s, char out[IRI_MAX])
{
    char tmp[IRI_MAX];
    snprintf(out, IRI_MAX, "%s", s);
    for (int i = 0; i < MAX_EXPANSIONS; i++) {
        const char *v = term_value(json_object_get(terms, out));
        const char *colon = strchr(out, ':');
        if (v) {
            snprintf(tmp, sizeof tmp, "%s", v);
        } else if (colon && strncmp(colon + 1, "//", 2) != 0) {
            char prefix[IRI_MAX];
            snprintf(prefix, sizeof prefix, "%.*s", (int)(colon - out), out);
            const char *p = term_value(json_object_get(terms, prefix));
            if (!p)
                break;
            snprintf(tmp, sizeof tmp, "%s%s", p, colon + 1);
        } else {
            break;
        }
        memcpy(out, tmp, IRI_MAX);
    }
    return out;
}

static bool same_iri(const json_t *terms, const char *a, const char *b)
{
    char ea[IRI_MAX], eb[IRI_MAX];
    return strcmp(expand(terms, a, ea), expand(terms, b, eb)) == 0;
}

/* The value of the first key of obj that expands to iri. */
static const json_t *get_iri(const json_t *terms, const json_t *obj, const char *iri)
{
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)obj, k, v)
        if (same_iri(terms, k, iri))
            return v;
    return NULL;
}

/* One element, or each element of an array. */
static size_t count_of(const json_t *v) { return json_is_array(v) ? json_array_size(v) : v ? 1 : 0; }
static const json_t *item_of(const json_t *v, size_t i) { return json_is_array(v) ? json_array_get(v, i) : v; }

typedef struct ext_ctx {
    ob2_doc *d;
    const char *ptr;            /* the extension node */
    const char *type;           /* the type being validated */
} ext_ctx;

static void on_schema_error(void *ud, const char *instance, const char *keyword, const char *msg)
{
    ext_ctx *e = ud;
    (void)keyword;
    ob2_diag(e->d, CC_ERROR, e->ptr, "ob2-extension", "extension %s does not validate at '%s': %s",
             e->type, instance, msg);
}

/* The node with each key renamed to the context term for the same IRI, @context left out:
 * the form the extension's schema is written against. */
static json_t *compact_node(const json_t *node, const json_t *terms, const json_t *ctx_terms)
{
    json_t *out = json_object();
    const char *k, *t;
    const json_t *v, *def;
    json_object_foreach((json_t *)node, k, v) {
        if (strcmp(k, "@context") == 0)
            continue;
        const char *name = k;
        json_object_foreach((json_t *)ctx_terms, t, def)
            if (term_value(def) && same_iri(terms, k, t))
                name = t;
        json_object_set(out, name, (json_t *)v);
    }
    return out;
}

/* Validates node against the schema at url; false when the schema cannot be had. */
static bool apply_schema(ext_ctx *e, const json_t *node, const json_t *terms,
                         const json_t *ctx_terms, const char *url)
{
    long status;
    json_t *schema = ob2_fetch_json(e->d, url, e->ptr, NULL, &status);
    cc_schema_set *set = cc_schema_set_new();
    char err[256] = "";
    bool ok = schema && set && cc_schema_set_add(set, schema, url, err, sizeof err) == 0;
    if (schema && !ok)
        ob2_diag(e->d, CC_ERROR, e->ptr, "ob2-extension", "the schema %s of extension %s cannot "
                 "be used: %s", url, e->type, err);
    if (ok) {
        json_t *compact = compact_node(node, terms, ctx_terms);
        if (cc_schema_validate(set, url, compact, CC_SCHEMA_FORMAT_ASSERT, on_schema_error, e) < 0)
            ok = false;
        json_decref(compact);
    }
    cc_schema_set_free(set);
    json_decref(schema);
    return ok;
}

/* Applies each validation entry of one context that names one of the node's types; returns
 * how many applied.  terms: the base terms updated with the context's own. */
static int validate_with(ob2_doc *d, const char *ptr, const json_t *node, const json_t *ctxdoc)
{
    const json_t *own = json_object_get(ctxdoc, "@context");
    json_t *terms = base_terms();
    if (json_is_object(own))
        json_object_update(terms, (json_t *)own);
    const json_t *types = json_object_get(node, "type"), *entries = get_iri(terms, ctxdoc, OBI "validation");
    int applied = 0;
    for (size_t i = 0; i < count_of(entries); i++) {
        const json_t *entry = item_of(entries, i);
        const char *vt = json_string_value(get_iri(terms, entry, OBI "validatesType"));
        const char *url = json_string_value(get_iri(terms, entry, OBI "validationSchema"));
        for (size_t j = 0; vt && url && j < count_of(types); j++) {
            const char *t = json_string_value(item_of(types, j));
            if (t && strcmp(t, "Extension") != 0 && same_iri(terms, t, vt)) {
                ext_ctx e = {.d = d, .ptr = ptr, .type = t};
                apply_schema(&e, node, terms, own, url);
                applied++;
                break;
            }
        }
    }
    json_decref(terms);
    return applied;
}

/* The extension contexts of a node: its own, else the document's; the OB 2.0 one left out. */
static const json_t *contexts_of(const ob2_doc *d, const json_t *node)
{
    const json_t *c = json_object_get(node, "@context");
    return c ? c : json_object_get(d->root, "@context");
}

/* A context that cannot be read leaves the extension unchecked (a warning): it does not make
 * the badge invalid.  cache: the contexts read so far for this document. */
static void check_node(ob2_doc *d, cc_jsonld_cache *cache, const char *ptr, const json_t *node)
{
    const json_t *ctxs = contexts_of(d, node);
    int applied = 0, contexts = 0;
    char why[512] = "", missing[600] = "";
    for (size_t i = 0; i < count_of(ctxs); i++) {
        const char *url = json_string_value(item_of(ctxs, i));
        if (!url || strcmp(url, OB2_CONTEXT) == 0)
            continue;
        contexts++;
        json_t *doc = cc_jsonld_cache_load(cache, url, why, sizeof why);
        if (json_is_object(doc))
            applied += validate_with(d, ptr, node, doc);
        else if (!*missing)
            snprintf(missing, sizeof missing, "%s (%s)", url, doc ? "not a JSON object" : why);
        json_decref(doc);
    }
    if (applied)
        return;
    if (*missing)
        ob2_diag(d, d->fetch && (d->fetch->network || d->fetch->nmaps) ? CC_WARNING : CC_NOTE, ptr,
                 "ob2-extension-not-checked", "extension not checked: its context %s could not be "
                 "read", missing);
    else
        ob2_diag(d, CC_ERROR, ptr, "ob2-extension", "cannot determine the extension type to test: "
                 "%s", contexts ? "none of its contexts validates any of its types"
                                : "no extension context");
}

static bool is_extension(const json_t *node)
{
    return ob2_type_is(node, (const char *const[]){"Extension", NULL}) != NULL;
}

/* Every object below node, depth first (jansson's parse depth bounds the recursion). */
static void walk(ob2_doc *d, cc_jsonld_cache *cache, const json_t *node, char *ptr, size_t cap)
{
    if (json_is_object(node) && is_extension(node))
        check_node(d, cache, ptr, node);
    const char *k;
    const json_t *v;
    if (json_is_object(node)) {
        json_object_foreach((json_t *)node, k, v) {
            size_t old = cc_ptr_push(ptr, cap, k);
            walk(d, cache, v, ptr, cap);
            ptr[old] = '\0';
        }
    } else if (json_is_array(node)) {
        for (size_t i = 0; i < json_array_size(node); i++) {
            size_t old = cc_ptr_push_index(ptr, cap, i);
            walk(d, cache, json_array_get(node, i), ptr, cap);
            ptr[old] = '\0';
        }
    }
}

void ob2_check_extensions(ob2_doc *d)
{
    char ptr[512] = "";
    cc_jsonld_cache cache;
    cc_jsonld_cache_init(&cache, d->fetch);
    walk(d, &cache, d->root, ptr, sizeof ptr);
    cc_jsonld_cache_free(&cache);
}
