/* Fetching linked documents: over HTTP(S) with libcurl only when the user passed --fetch,
 * or from local folders standing in for URL prefixes (--map-url).  Internal to credconv. */
#ifndef CC_FETCH_H
#define CC_FETCH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct sockaddr;

typedef struct cc_url_map {
    const char *prefix;           /* e.g. "https://example.org/" */
    const char *dir;              /* the folder its paths are read from */
} cc_url_map;

/* One per run (converters/util/fetch_cache.c): the responses by URL, so each URL is fetched once
 * per run whoever asks (proof check, OB 3.0 term check, keys, linked documents), and the time
 * each input spent fetching (--fetch-deadline).  Made and freed by main. */
typedef struct cc_fetch_cache cc_fetch_cache;
#define CC_FETCH_CACHE_BYTES (64u << 20)  /* response bytes kept; past it, fetched again */
#define CC_FETCH_CACHE_ENTRIES 4096       /* URLs kept */

/* An address --fetch-allow-private=ADDRESS lets through, compared with the address
 * connected to (same family, same bytes). */
typedef struct cc_fetch_addr {
    int family;                   /* AF_INET, AF_INET6 */
    unsigned char a[16];
} cc_fetch_addr;

typedef struct cc_fetch_opts {
    bool network;                 /* --fetch */
    bool allow_private;           /* --fetch-allow-private: loopback, private… allowed */
    const cc_fetch_addr *allowed; /* with =ADDRESS: only these (nallowed of them) */
    size_t nallowed;
    long max_redirects;           /* --max-redirects */
    long connect_timeout;         /* --connect-timeout, seconds */
    long timeout;                 /* --fetch-timeout, seconds, whole transfer, redirects included */
    long deadline;                /* --fetch-deadline, seconds of fetching per input */
    long long max_bytes;          /* --max-fetch-size */
    const cc_url_map *maps;
    size_t nmaps;
    cc_fetch_cache *cache;        /* NULL: nothing kept, and no deadline */
    struct cc_jsonld_run *jsonld; /* the run's JSON-LD contexts (cc_rdf.h); NULL: per document */
} cc_fetch_opts;

#define CC_FETCH_DEFAULTS {.max_redirects = 5, .connect_timeout = 10, .timeout = 30, \
                           .deadline = 60, .max_bytes = 4LL << 20}
#define CC_FETCH_MAX_HEADERS (256 << 10)  /* bytes of response headers per answer */

typedef struct cc_fetched {
    long status;                  /* HTTP status (200 for a mapped file, 404 when absent) */
    char *body;                   /* malloc'd, NUL-terminated */
    size_t len;
    char error[512];              /* why there is no response, when cc_fetch returns -1 */
    char url[2048];               /* the URL the body came from: after redirects, the last one;
                                   * "" when unknown or too long (then it matches no id) */
} cc_fetched;

/* True when a --map-url covers url. */
bool cc_fetch_mapped(const cc_fetch_opts *o, const char *url);
/* True when url would be fetched: a map covers it, or --fetch was given. */
bool cc_fetch_possible(const cc_fetch_opts *o, const char *url);
/* Why url would not be fetched ("give --fetch…", "only http and https…"), NULL when it
 * would: so a link that --fetch cannot follow is not reported as needing --fetch. */
const char *cc_fetch_refusal(const cc_fetch_opts *o, const char *url);
/* 0 with a response (any status, the body capped at max_bytes), or -1 with res->error:
 * not fetchable, scheme other than http/https (at any redirect), an address refused by the
 * guard, too many redirects, timeout, the input's --fetch-deadline spent, too large. */
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

/* The run's cache; cc_fetch_input names the input now read: its fetches count against
 * --fetch-deadline from then on (an input read twice, by verify's signature check and then
 * by the pipeline, keeps one count). */
cc_fetch_cache *cc_fetch_cache_new(void);
void cc_fetch_cache_free(cc_fetch_cache *c);
void cc_fetch_input(const cc_fetch_opts *o, const char *name);

/* The address guard (converters/util/fetch_addr.c): why a fetch may not connect to this address
 * ("loopback 127.0.0.0/8", "IPv4-mapped private 10.0.0.0/8"), NULL when it may.  text
 * gets the address as written; buf holds a composed reason. */
const char *cc_fetch_addr_refusal(const struct sockaddr *sa, char *text, size_t textcap,
                                  char *buf, size_t cap);
const char *cc_fetch_v4_refusal(const unsigned char a[4]);
const char *cc_fetch_v6_refusal(const unsigned char a[16], char *buf, size_t cap);
/* The guard as --fetch-allow-private[=ADDRESS] sets it: NULL when o lets sa through. */
const char *cc_fetch_guard(const cc_fetch_opts *o, const struct sockaddr *sa, char *text,
                           size_t textcap, char *buf, size_t cap);
/* "127.0.0.1", "::1" or "[::1]" into *out; -1 when it is not an IP address. */
int cc_fetch_parse_addr(const char *s, cc_fetch_addr *out);

/* Inside converters/fetch*.c. */
int cc_fetch_cache_get(const cc_fetch_cache *c, const char *url, cc_fetched *res);
void cc_fetch_cache_put(cc_fetch_cache *c, const char *url, int rc, const cc_fetched *res);
double cc_fetch_cache_spent(const cc_fetch_cache *c);
void cc_fetch_cache_charge(cc_fetch_cache *c, double seconds);
/* One fetch over the network, redirects followed one at a time, within budget_ms; *cut set
 * when it was the budget (not --fetch-timeout) that ended it. */
int cc_fetch_net(const cc_fetch_opts *o, const char *url, long budget_ms, cc_fetched *res,
                 bool *cut);

#endif
