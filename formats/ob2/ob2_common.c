/* OB 2.0 helpers: diagnostics with a JSON pointer, type tests, fetching linked nodes. */
#include "cc_jsonread.h"
#include "ob2.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ob2_diag(ob2_doc *d, cc_severity sev, const char *ptr, const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cc_vdiag(d->diag, sev, d->file, d->line, 0, ptr, d->record, rule, fmt, ap);
    va_end(ap);
    if (sev == CC_ERROR)
        d->errors++;
}

const char *ob2_type_is(const json_t *node, const char *const *names)
{
    const json_t *t = json_object_get(node, "type");
    size_t n = json_is_array(t) ? json_array_size(t) : 1;
    for (size_t i = 0; i < n; i++) {
        const char *s = json_string_value(json_is_array(t) ? json_array_get(t, i) : t);
        for (const char *const *k = names; s && *k; k++)
            if (strcmp(s, *k) == 0)
                return *k;
    }
    return NULL;
}

const char *ob2_id_of(const json_t *v)
{
    return json_is_string(v) ? json_string_value(v) : json_string_value(json_object_get(v, "id"));
}

/* The validator's test assets have a first line naming the URL they stand for. */
static json_t *parse_lenient(const char *body, size_t len, json_error_t *err)
{
    json_t *j = cc_json_loadb(body, len, JSON_REJECT_DUPLICATES, err);
    const char *nl = j ? NULL : memchr(body, '\n', len);
    if (!j && nl && strncmp(body, "http", 4) == 0)
        j = cc_json_loadb(nl + 1, len - (size_t)(nl + 1 - body), JSON_REJECT_DUPLICATES, err);
    return j;
}

void ob2_not_fetched(ob2_doc *d, const char *ptr, const char *what, const char *url)
{
    if (url && cc_fetch_possible(d->fetch, url))
        return;  /* it was fetched and refused: ob2_fetch_json said why */
    if (d->fetch && d->fetch->network)
        ob2_diag(d, CC_ERROR, ptr, "ob2-fetch", "cannot fetch %s: %s, so the linked %s is not "
                 "checked", url ? url : "(no URL)", url ? cc_fetch_refusal(d->fetch, url) : "no URL",
                 what);
    else
        ob2_diag(d, CC_NOTE, ptr, "ob2-not-fetched", "linked %s %s not checked (give --fetch)",
                 what, url ? url : "(no URL)");
}

/* A linked document speaks only for the URL it came from: one served at attacker.example
 * saying "id": "https://university.example/issuer.json" is not the university's.  validate
 * follows the 1EdTech validator (a warning, the document checked); verify refuses it (an
 * error) and convert leaves the link as it was (a warning): neither takes it as that id. */
static bool id_is_url(ob2_doc *d, const json_t *doc, const char *url, const char *from, const char *ptr,
                      const char *what)
{
    const char *id = json_string_value(json_object_get(doc, "id"));
    if (!id || cc_url_same(id, from))
        return true;
    bool used = d->validate && !d->verify;
    ob2_diag(d, d->verify ? CC_ERROR : CC_WARNING, ptr, "ob2-linked-id", "the %s fetched from %s%s%s%s holds the "
             "document of %s: a document cannot speak for another id%s", what, url,
             strcmp(url, from) ? ", redirected to " : "", strcmp(url, from) ? from : "", strcmp(url, from) ? "," : "", id,
             used ? "" : ", so it is not used");
    return used;
}

json_t *ob2_fetch_json(ob2_doc *d, const char *url, const char *ptr, const char *what, long *status)
{
    cc_fetched res;
    *status = 0;
    if (cc_fetch(d->fetch, url, &res) != 0) {
        ob2_diag(d, CC_ERROR, ptr, "ob2-fetch", "cannot fetch %s: %s", url, res.error);
        return NULL;
    }
    *status = res.status;
    json_t *j = NULL;
    if (res.status == 200) {
        json_error_t err;
        j = parse_lenient(res.body, res.len, &err);
        if (!j)
            ob2_diag(d, CC_ERROR, ptr, "ob2-fetch", "%s is not JSON: %s (line %d)", url, err.text,
                     err.line);
        else if (what && json_is_object(j) && !id_is_url(d, j, url, res.url, ptr, what))
            json_decref(j), j = NULL;
    } else if (res.status != 410) {  /* 410 Gone means revoked: the caller says so */
        ob2_diag(d, CC_ERROR, ptr, "ob2-fetch", "cannot fetch %s: HTTP status %ld", url, res.status);
    }
    cc_fetched_free(&res);
    return j;
}
