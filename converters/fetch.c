/* Safe fetching: http and https only, also after a redirect; few redirects; connect and
 * total timeouts; a cap on the body; Accept asks for JSON-LD.  Nothing here runs unless
 * the user asked for the network (--fetch) or mapped a URL prefix to a folder. */
#include "cc_fetch.h"
#include "cc_bake.h"
#include "credconv.h"

#include <curl/curl.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

typedef struct sink {
    cc_fetched *res;
    size_t cap;
    long long max;
    bool too_big;
} sink;

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
    sink *s = ud;
    size_t add = size * n;
    if ((long long)(s->res->len + add) > s->max) {
        s->too_big = true;
        return 0;  /* aborts the transfer */
    }
    if (s->res->len + add + 1 > s->cap) {
        size_t cap = (s->res->len + add + 1) * 2;
        char *b = realloc(s->res->body, cap);
        if (!b)
            return 0;
        s->res->body = b;
        s->cap = cap;
    }
    memcpy(s->res->body + s->res->len, p, add);
    s->res->len += add;
    s->res->body[s->res->len] = '\0';
    return add;
}

static void curl_limits(CURL *c, const cc_fetch_opts *o, sink *s, struct curl_slist *hdr)
{
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, o->max_redirects);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->connect_timeout);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, o->timeout);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_bytes);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  /* timeouts without SIGALRM */
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "credconv/" CC_VERSION);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
}

static void curl_reason(CURLcode rc, const cc_fetch_opts *o, const sink *s, char *err, size_t cap)
{
    if (s->too_big || rc == CURLE_FILESIZE_EXCEEDED)
        snprintf(err, cap, "response larger than %lld bytes (--max-fetch-size)", o->max_bytes);
    else if (rc == CURLE_TOO_MANY_REDIRECTS)
        snprintf(err, cap, "more than %ld redirects (--max-redirects)", o->max_redirects);
    else if (rc == CURLE_OPERATION_TIMEDOUT)
        snprintf(err, cap, "no complete answer within the time limit (--connect-timeout %ld s, "
                 "--fetch-timeout %ld s)", o->connect_timeout, o->timeout);
    else if (rc == CURLE_UNSUPPORTED_PROTOCOL)
        snprintf(err, cap, "only http and https are fetched (also after a redirect)");
    else
        snprintf(err, cap, "%s", curl_easy_strerror(rc));
}

/* The last URL of the transfer (after redirects); "" when it does not fit. */
static void final_url(CURL *c, cc_fetched *res)
{
    char *eff = NULL;
    res->url[0] = '\0';
    if (curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff && strlen(eff) < sizeof res->url)
        snprintf(res->url, sizeof res->url, "%s", eff);
}

int cc_fetch(const cc_fetch_opts *o, const char *url, cc_fetched *res)
{
    memset(res, 0, sizeof *res);
    const cc_url_map *m = find_map(o, url);
    if (strlen(url) < sizeof res->url)  /* a mapped URL is never redirected */
        snprintf(res->url, sizeof res->url, "%s", url);
    if (m)
        return fetch_mapped(o, m, url, res);
    const char *refusal = cc_fetch_refusal(o, url);
    if (refusal) {
        snprintf(res->error, sizeof res->error, "%s", refusal);
        return -1;
    }
    CURL *c = curl_easy_init();
    struct curl_slist *hdr = curl_slist_append(NULL, "Accept: application/ld+json, application/json");
    sink s = {res, 0, o->max_bytes, false};
    CURLcode rc = CURLE_OUT_OF_MEMORY;
    if (c && hdr) {
        curl_easy_setopt(c, CURLOPT_URL, url);
        curl_limits(c, o, &s, hdr);
        rc = curl_easy_perform(c);
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
        final_url(c, res);
    }
    curl_slist_free_all(hdr);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK) {
        curl_reason(rc, o, &s, res->error, sizeof res->error);
        cc_fetched_free(res);
        return -1;
    }
    if (!res->body)
        res->body = strdup("");
    return 0;
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
    else if (!(j = json_loadb(res.body, res.len, JSON_REJECT_DUPLICATES, &err)))
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
