/* JSON-LD contexts for the JSON-LD processor, read only where the user allowed: --map-url
 * files, or --fetch over http(s) with the fetch limits.  Each URL is read once per cache (a
 * proof's credential and its proof options name the same contexts). */
#include "cc_contexts.h"
#include "cc_fetch.h"
#include "cc_rdf.h"


void cc_jsonld_cache_init(cc_jsonld_cache *c, const struct cc_fetch_opts *fetch)
{
    c->fetch = fetch;
    c->docs = json_object();
}

void cc_jsonld_cache_free(cc_jsonld_cache *c)
{
    json_decref(c->docs);
    c->docs = NULL;
}

json_t *cc_jsonld_cache_load(void *ud, const char *url, char *err, size_t errlen)
{
    cc_jsonld_cache *c = ud;
    json_t *doc = json_object_get(c->docs, url);
    if (doc)
        return json_incref(doc);
    /* --map-url first (the user's own copy), then the pinned per-user cache (credconv
     * contexts --fetch), then --fetch. */
    if (!cc_fetch_mapped(c->fetch, url) && cc_context_is_pinned(url)) {
        doc = cc_context_cached(url, err, errlen);
        if (doc || *err) {
            if (doc)
                json_object_set(c->docs, url, doc);
            return doc;
        }
    }
    doc = cc_fetch_json(c->fetch, url, NULL, err, errlen);  /* err: why, the caller names url */
    if (doc)
        json_object_set(c->docs, url, doc);
    return doc;
}
