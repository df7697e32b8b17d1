/* Safe fetching: http and https only, also after a redirect; few redirects; connect and
 * total timeouts, and a time budget per input; a cap on the body; no local or private
 * address without --fetch-allow-private; each URL fetched once per run; Accept asks for
 * JSON-LD.  Nothing here runs unless the user asked for the network (--fetch) or mapped a
 * URL prefix to a folder.  The network part: fetch_net.c, the address guard: fetch_addr.c,
 * the run's cache: fetch_cache.c. */
#include "cc_jsonread.h"
#include "cc_fetch.h"
#include "cc_bake.h"
#include "credconv/credconv.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static bool http_url(const char *url)
{
    return strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0;
}

/* The map with the longest prefix of url, so "https://=contexts/" and a more precise
 * "https://issuer.example/=keys/" can be given together, in any order. */
static const cc_url_map *find_map(const cc_fetch_opts *o, const char *url)
{
    const cc_url_map *best = NULL;
    for (size_t i = 0; o && i < o->nmaps; i++) {
        size_t n = strlen(o->maps[i].prefix);
        if (strncmp(url, o->maps[i].prefix, n) == 0 && (!best || n > strlen(best->prefix)))
            best = &o->maps[i];
    }
    return best;
}

bool cc_fetch_mapped(const cc_fetch_opts *o, const char *url)
{
    return url && find_map(o, url) != NULL;
}

bool cc_fetch_possible(const cc_fetch_opts *o, const char *url)
{
    return o && url && (find_map(o, url) || (o->network && http_url(url)));
}

const char *cc_fetch_refusal(const cc_fetch_opts *o, const char *url)
{
    if (cc_fetch_possible(o, url))
        return NULL;
    return o && o->network ? "only http and https URLs are fetched"
                           : "not fetched: give --fetch to use the network";
}

/* A mapped URL: the rest of the URL (no query, no fragment, no "..") under the folder; a URL
 * mapped whole names a file (e.g. one JSON-LD context). */
static int fetch_mapped(const cc_fetch_opts *o, const cc_url_map *m, const char *url, cc_fetched *res)
{
    const char *rest = url + strlen(m->prefix);
    size_t n = strcspn(rest, "?#");
    if (strstr(rest, "..")) {
        snprintf(res->error, sizeof res->error, "'..' in a mapped URL is refused");
        return -1;
    }
    char path[4096];
    if (n)
        snprintf(path, sizeof path, "%s/%.*s", m->dir, (int)n, rest);
    else
        snprintf(path, sizeof path, "%s", m->dir);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        res->status = errno == ENOENT ? 404 : 403;
        res->body = strdup("");
        return 0;
    }
    unsigned char *b = cc_slurp(fp, (size_t)o->max_bytes, &res->len);
    fclose(fp);
    if (!b) {
        snprintf(res->error, sizeof res->error, "%.180s: unreadable or larger than %lld bytes", path,
                 o->max_bytes);
        return -1;
    }
    res->body = (char *)b;
    res->status = 200;
    return 0;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Over the network: from the run's cache when this URL was fetched before (by any consumer,
 * for any input); else fetched within what is left of this input's --fetch-deadline, and
 * kept.  A fetch the deadline cut is not kept: the next input has time of its own. */
static int fetch_network(const cc_fetch_opts *o, const char *url, cc_fetched *res)
{
    int rc = cc_fetch_cache_get(o->cache, url, res);
    if (rc <= 0)
        return rc;
    long budget_ms = o->timeout * 1000;
    if (o->cache) {
        budget_ms = (long)((double)o->deadline * 1000 - cc_fetch_cache_spent(o->cache) * 1000);
        if (budget_ms <= 0) {
            snprintf(res->error, sizeof res->error, "not fetched: this input has spent its "
                     "fetch time (--fetch-deadline %ld s)", o->deadline);
            return -1;
        }
    }
    bool cut = false;
    double t0 = now_s();
    rc = cc_fetch_net(o, url, budget_ms, res, &cut);
    cc_fetch_cache_charge(o->cache, now_s() - t0);
    if (!cut)
        cc_fetch_cache_put(o->cache, url, rc, res);
    return rc;
}

int cc_fetch(const cc_fetch_opts *o, const char *url, cc_fetched *res)
{
    memset(res, 0, sizeof *res);
    if (!url || !*url) {
        snprintf(res->error, sizeof res->error, "no URL to fetch");
        return -1;
    }
    const cc_url_map *m = find_map(o, url);
    if (m && strlen(url) < sizeof res->url)  /* a mapped URL is never redirected */
        snprintf(res->url, sizeof res->url, "%s", url);
    if (m)
        return fetch_mapped(o, m, url, res);
    const char *refusal = cc_fetch_refusal(o, url);
    if (refusal) {
        snprintf(res->error, sizeof res->error, "%s", refusal);
        return -1;
    }
    return fetch_network(o, url, res);
}

json_t *cc_fetch_json(const cc_fetch_opts *o, const char *url, long *status, char *why,
                      size_t cap)
{
    cc_fetched res;
    json_t *j = NULL;
    json_error_t err;
    if (status)
        *status = 0;
    if (!o || cc_fetch(o, url, &res) != 0) {
        snprintf(why, cap, "%s", o ? res.error : "not fetched: give --fetch, or --map-url");
        return NULL;
    }
    if (status)
        *status = res.status;
    if (res.status != 200)
        snprintf(why, cap, "HTTP status %ld", res.status);
    else if (!(j = cc_json_loadb(res.body, res.len, JSON_REJECT_DUPLICATES, &err)))
        snprintf(why, cap, "not JSON: %s (line %d)", err.text, err.line);
    cc_fetched_free(&res);
    return j;
}

void cc_fetched_free(cc_fetched *res)
{
    free(res->body);
    res->body = NULL;
    res->len = 0;
}

/* url → scheme://host[:port]/path[?query] in out: lower-case scheme and host, no default
 * port, no fragment.  False when it is not of the form scheme://authority or does not fit. */
static bool url_normal(const char *url, char *out, size_t cap)
{
    const char *sep = strstr(url, "://");
    if (!sep || sep == url || !cap)
        return false;
    size_t slen = (size_t)(sep - url), n = 0;
    const char *auth = sep + 3, *end = auth + strcspn(auth, "/?#");
    const char *colon = memchr(auth, ':', (size_t)(end - auth)), *hend = colon ? colon : end;
    char scheme[16];
    if (slen >= sizeof scheme || (size_t)(end - url) + 2 >= cap)
        return false;
    for (size_t i = 0; i < slen; i++)
        scheme[i] = (char)tolower((unsigned char)url[i]);
    scheme[slen] = '\0';
    n = (size_t)snprintf(out, cap, "%s://", scheme);
    for (const char *p = auth; p < hend; p++)
        out[n++] = (char)tolower((unsigned char)*p);
    bool dflt = colon && ((!strcmp(scheme, "http") && end - colon == 3 && !strncmp(colon, ":80", 3)) ||
                          (!strcmp(scheme, "https") && end - colon == 4 && !strncmp(colon, ":443", 4)));
    if (colon && !dflt)
        for (const char *p = colon; p < end; p++)
            out[n++] = *p;
    size_t rest = strcspn(end, "#");
    int w = snprintf(out + n, cap - n, "%s%.*s", *end == '/' ? "" : "/", (int)rest, end);
    return w >= 0 && (size_t)w < cap - n;
}

bool cc_url_same(const char *id, const char *url)
{
    char a[2048], b[2048];
    if (!id || !url || !*url)
        return false;
    if (!strcmp(id, url))
        return true;
    return url_normal(id, a, sizeof a) && url_normal(url, b, sizeof b) && !strcmp(a, b);
}
