/* OB 2.0 linked documents: the badge and issuer IRIs replaced by their documents, and
 * hosted verification (docs/references.md ob §2.4). */
#include "ob2.h"

#include <string.h>

/* Replaces node[key] (an IRI) by the document fetched for it, when it can be fetched and
 * speaks for that IRI (ob2_fetch_json: its id is the URL it came from). */
static void resolve_one(ob2_doc *d, json_t *node, const char *key, const char *ptr, const char *what)
{
    const char *url = json_string_value(json_object_get(node, key));
    if (!url || !cc_fetch_possible(d->fetch, url))
        return;
    long status;
    json_t *doc = ob2_fetch_json(d, url, ptr, what, &status);
    if (status == 410)
        ob2_diag(d, CC_ERROR, ptr, "ob2-fetch", "%s is gone (HTTP 410)", url);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return;
    }
    json_object_set_new(node, key, doc);
}

void ob2_resolve(ob2_doc *d)
{
    json_t *badge = json_object_get(d->root, "badge");
    if (json_is_string(badge)) {
        resolve_one(d, d->root, "badge", "/badge", "BadgeClass");
        badge = json_object_get(d->root, "badge");
    }
    if (json_is_object(badge))
        resolve_one(d, badge, "issuer", "/badge/issuer", "issuer Profile");
    else if (json_object_get(d->root, "issuer"))  /* a BadgeClass on its own */
        resolve_one(d, d->root, "issuer", "/issuer", "issuer Profile");
}

/* Fetches the assertion by its id; the retrieved document replaces the input copy. */
int ob2_verify_hosted(ob2_doc *d)
{
    static const char *const hosted[] = {"hosted", "HostedBadge", NULL};
    const char *id = json_string_value(json_object_get(d->root, "id"));
    if (!ob2_type_is(json_object_get(d->root, "verification"), hosted) || !id)
        return 0;
    if (!cc_fetch_possible(d->fetch, id)) {
        /* not checked is not verified: verify says so and fails, as for a keyless JWS */
        ob2_diag(d, CC_ERROR, "/id", "ob2-hosted-not-verified", "hosted assertion NOT CHECKED: %s",
                 d->fetch && d->fetch->network ? "its id is not an http or https URL"
                 : "its verification needs the network (give --fetch, or --map-url)");
        return 1;
    }
    long status;
    json_t *hosted_doc = ob2_fetch_json(d, id, "/id", "hosted assertion", &status);
    if (status == 410) {
        ob2_diag(d, CC_ERROR, "/id", "ob2-revoked", "revoked: %s answers 410 Gone", id);
        return 1;
    }
    if (!json_is_object(hosted_doc)) {
        json_decref(hosted_doc);
        return 1;
    }
    if (!json_equal(d->root, hosted_doc))  /* runs before ob2_resolve: both as written */
        ob2_diag(d, CC_WARNING, "", "ob2-hosted-differs", "the copy served at %s differs from "
                 "the input; the served copy is the one verified", id);
    json_decref(d->root);
    d->root = hosted_doc;
    return 0;
}
