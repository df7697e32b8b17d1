/* Fetching linked documents: over HTTP(S) with libcurl only when the user passed --fetch,
 * or from local folders standing in for URL prefixes (--map-url).  Internal to credconv. */
#ifndef CC_FETCH_H
#define CC_FETCH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct cc_url_map {
    const char *prefix;           /* e.g. "https://example.org/" */
    const char *dir;              /* the folder its paths are read from */
} cc_url_map;

typedef struct cc_fetch_opts {
    bool network;                 /* --fetch */
    long max_redirects;           /* --max-redirects */
    long connect_timeout;         /* --connect-timeout, seconds */
    long timeout;                 /* --fetch-timeout, seconds, whole transfer */
    long long max_bytes;          /* --max-fetch-size */
    const cc_url_map *maps;
    size_t nmaps;
} cc_fetch_opts;

#define CC_FETCH_DEFAULTS {false, 5, 10, 30, 4LL << 20, NULL, 0}

typedef struct cc_fetched {
    long status;                  /* HTTP status (200 for a mapped file, 404 when absent) */
    char *body;                   /* malloc'd, NUL-terminated */
    size_t len;
    char error[256];              /* why there is no response, when cc_fetch returns -1 */
    char url[2048];               /* the URL the body came from: after redirects, the last one;
                                   * "" when unknown or too long (then it matches no id) */
} cc_fetched;

/* True when url would be fetched: a map covers it, or --fetch was given. */
bool cc_fetch_possible(const cc_fetch_opts *o, const char *url);
/* Why url would not be fetched ("give --fetch…", "only http and https…"), NULL when it
 * would: so a link that --fetch cannot follow is not reported as needing --fetch. */
const char *cc_fetch_refusal(const cc_fetch_opts *o, const char *url);
/* 0 with a response (any status, the body capped at max_bytes), or -1 with res->error:
 * not fetchable, scheme other than http/https, too many redirects, timeout, too large. */
int cc_fetch(const cc_fetch_opts *o, const char *url, cc_fetched *res);
void cc_fetched_free(cc_fetched *res);
/* True when a document's id names the URL it came from (res->url): both compared after
 * normalisation — scheme and host in lower case, the scheme's default port dropped, an empty
 * path read as "/", the fragment ignored (it names a part of the document); the rest byte for
 * byte.  A linked document whose id is another URL cannot speak for that id. */
bool cc_url_same(const char *id, const char *url);
/* url fetched (o may be NULL: nothing may be) and parsed as one JSON document, duplicate keys
 * refused: a new reference, or NULL with why (not allowed, no answer, HTTP status, not JSON).
 * *status (may be NULL) as cc_fetch. */
json_t *cc_fetch_json(const cc_fetch_opts *o, const char *url, long *status, char *why,
                      size_t cap);

#endif
