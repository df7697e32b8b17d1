/* Controller documents: the issuer's own list of the methods it signs credentials with
 * (converters/sign/cc_controller.h).  Controlled Identifiers 1.0 §3 and §5 (retrieve a verification
 * method): the document's id is the issuer's id, the method is listed under the purpose's
 * relationship by reference or embedded, and a method's controller, when given, is the
 * document's id. */
#include "cc_controller.h"
#include "cc_fetch.h"

#include <stdio.h>
#include <string.h>

/* did:web:host%3Aport:a:b → https://host:port/a/b/did.json (did:web method §3.2). */
static void did_web_url(const char *id, size_t n, char *url, size_t cap)
{
    char host[1024];
    snprintf(host, sizeof host, "%.*s", (int)(n - 8 < sizeof host ? n - 8 : sizeof host - 1), id + 8);
    char *port = strstr(host, "%3A");
    if (port)
        memmove(port + 1, port + 3, strlen(port + 3) + 1), *port = ':';
    bool path = false;
    for (char *c = host; *c; c++)
        if (*c == ':' && c != port)
            *c = '/', path = true;
    snprintf(url, cap, "https://%s%s", host, path ? "/did.json" : "/.well-known/did.json");
}

bool cc_controller_url(const char *id, char *url, size_t cap)
{
    if (!id)
        return false;
    size_t n = strcspn(id, "#");
    if (!strncmp(id, "did:web:", 8) && n > 8) {
        did_web_url(id, n, url, cap);
        return true;
    }
    if (strncmp(id, "https://", 8) && strncmp(id, "http://", 7))
        return false;
    snprintf(url, cap, "%.*s", (int)n, id);
    return true;
}

/* An entry's id ("#key-1" is relative to the document) names vm. */
static bool names(const char *entry, const char *doc_id, const char *vm)
{
    if (!entry)
        return false;
    if (entry[0] != '#')
        return !strcmp(entry, vm);
    size_t n = strlen(doc_id);
    return !strncmp(vm, doc_id, n) && !strcmp(vm + n, entry);
}

static const char *entry_id(const json_t *e)
{
    return json_is_string(e) ? json_string_value(e) : json_string_value(json_object_get(e, "id"));
}

/* The element of list (an array, or one value) naming vm, or NULL. */
static const json_t *find_in(const json_t *list, const char *doc_id, const char *vm)
{
    if (!json_is_array(list))
        return list && names(entry_id(list), doc_id, vm) ? list : NULL;
    for (size_t i = 0; i < json_array_size(list); i++)
        if (names(entry_id(json_array_get(list, i)), doc_id, vm))
            return json_array_get(list, i);
    return NULL;
}

/* vm in doc: listed under rel (1) or not (0, why set); c->method its definition. */
static int look_up(const json_t *doc, const char *issuer, const char *vm, const char *rel,
                   const char *url, cc_controller *c)
{
    const json_t *listed = find_in(json_object_get(doc, rel), issuer, vm);
    const json_t *defined = json_is_object(listed) ? listed
                                                   : find_in(json_object_get(doc, "verificationMethod"), issuer, vm);
    c->method = json_is_object(defined) ? defined : NULL;
    const char *ctl = json_string_value(json_object_get(c->method, "controller"));
    if (!listed) {
        bool auth = find_in(json_object_get(doc, "authentication"), issuer, vm) != NULL;
        snprintf(c->why, sizeof c->why, "the issuer's controller document (%.120s) does not list %.100s under "
                 "%s%s", url, vm, rel, auth ? " (only under authentication, which does not sign credentials)" : "");
        return 0;
    }
    if (ctl && strcmp(ctl, issuer)) {
        snprintf(c->why, sizeof c->why, "the method %.100s listed by %.100s is controlled by %.100s",
                 vm, url, ctl);
        return 0;
    }
    snprintf(c->why, sizeof c->why, "the issuer's controller document %.150s lists it under %s", url, rel);
    return 1;
}

int cc_controller_lookup(const cc_fetch_opts *fetch, const char *issuer, const char *vm,
                         const char *relationship, cc_controller *c)
{
    char url[2048], why[300] = "";
    *c = (cc_controller){0};
    if (!cc_controller_url(issuer, url, sizeof url)) {
        snprintf(c->why, sizeof c->why, "the issuer's id %.150s has no controller document credconv can "
                 "read (did:web or http(s))", issuer ? issuer : "(none)");
        return -1;
    }
    if (!fetch || !cc_fetch_possible(fetch, url)) {
        snprintf(c->why, sizeof c->why, "the issuer's controller document %.150s is not fetched (give "
                 "--fetch or --map-url)", url);
        return -1;
    }
    c->doc = cc_fetch_json(fetch, url, NULL, why, sizeof why);
    const char *id = json_string_value(json_object_get(c->doc, "id"));
    if (!json_is_object(c->doc)) {
        snprintf(c->why, sizeof c->why, "the issuer's controller document %.150s cannot be read: %.120s", url, why);
        return -1;
    }
    if (!id || strcmp(id, issuer)) {
        snprintf(c->why, sizeof c->why, "the document at %.120s has id %.120s, not the issuer's id", url,
                 id ? id : "(none)");
        return 0;
    }
    return look_up(c->doc, issuer, vm, relationship, url, c);
}

void cc_controller_free(cc_controller *c)
{
    json_decref(c->doc);
    *c = (cc_controller){0};
}

char *cc_controller_template(const char *issuer, const char *vm, const char *multikey,
                             const json_t *jwk)
{
    json_t *m = json_pack("{s:s, s:s, s:s}", "id", vm, "type", multikey ? "Multikey" : "JsonWebKey",
                          "controller", issuer);
    if (multikey)
        json_object_set_new(m, "publicKeyMultibase", json_string(multikey));
    else if (jwk)
        json_object_set(m, "publicKeyJwk", (json_t *)jwk);
    json_t *doc = m ? json_pack("{s:[s], s:s, s:[o], s:[s]}", "@context", "https://www.w3.org/ns/cid/v1",
                                "id", issuer, "verificationMethod", m, "assertionMethod", vm) : NULL;
    char *s = doc ? json_dumps(doc, JSON_INDENT(2)) : NULL;
    json_decref(doc);
    return s;
}
