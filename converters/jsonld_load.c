/* JSON-LD contexts for the JSON-LD processor, read only where the user allowed: --map-url
 * files, or --fetch over http(s) with the fetch limits.  Each URL is read once per cache (a
 * proof's credential and its proof options name the same contexts). */
#include "cc_fetch.h"
#include "cc_rdf.h"

#include <stdio.h>

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
    const char *refusal = c->fetch ? cc_fetch_refusal(c->fetch, url) : "give --fetch or --map-url";
    cc_fetched res = {0};
    if (refusal) {
        snprintf(err, errlen, "the context %.300s is not available (%s)", url, refusal);
        return NULL;
    }
    if (cc_fetch(c->fetch, url, &res) != 0)
        snprintf(err, errlen, "the context %.300s cannot be read: %s", url, res.error);
    else if (res.status != 200)
        snprintf(err, errlen, "the context %.300s cannot be read: HTTP status %ld", url, res.status);
    else if (!(doc = json_loadb(res.body, res.len, JSON_REJECT_DUPLICATES, NULL)))
        snprintf(err, errlen, "the context %.300s is not JSON", url);
    else
        json_object_set(c->docs, url, doc);
    cc_fetched_free(&res);
    return doc;
}
