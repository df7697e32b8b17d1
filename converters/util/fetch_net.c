/* One fetch over the network with libcurl.  Redirects are followed here, one hop at a time,
 * so each hop's scheme is checked and named, the whole fetch (all hops) stays within
 * --fetch-timeout and the input's --fetch-deadline, and every connection goes through the
 * address guard: libcurl asks open_socket for each socket with the address it resolved and is
 * about to connect to, so the address checked is the address used (no second lookup that DNS
 * could answer differently).  No proxy is used, as a proxy would connect where the guard
 * cannot see. */
#include "cc_fetch.h"
#include "credconv/credconv.h"

#include <curl/curl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

typedef struct net {
    const cc_fetch_opts *o;
    cc_fetched *res;
    size_t cap;                   /* room in res->body */
    size_t header_bytes;
    bool too_big, headers_too_big, no_mem;
    bool in_headers;              /* a status line came, the blank line after the headers not yet */
    char refused[320];            /* the addresses the guard refused, and why */
    char errbuf[CURL_ERROR_SIZE];
} net;

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static size_t on_data(char *p, size_t size, size_t nmemb, void *ud)
{
    net *n = ud;
    cc_fetched *res = n->res;
    size_t add = size * nmemb;
    if ((long long)(res->len + add) > n->o->max_bytes) {
        n->too_big = true;
        return 0;  /* aborts the transfer */
    }
    if (res->len + add + 1 > n->cap) {
        size_t cap = (res->len + add + 1) * 2;
        char *b = realloc(res->body, cap);
        if (!b) {
            n->no_mem = true;
            return 0;
        }
        res->body = b;
        n->cap = cap;
    }
    memcpy(res->body + res->len, p, add);
    res->len += add;
    res->body[res->len] = '\0';
    return add;
}

/* libcurl keeps a header line whole (up to its own 100 KB limit); this bounds them all. */
static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
    net *n = ud;
    size_t len = size * nmemb;
    n->in_headers = !(len <= 2 && (p[0] == '\r' || p[0] == '\n'));
    n->header_bytes += len;
    if (n->header_bytes > CC_FETCH_MAX_HEADERS) {
        n->headers_too_big = true;
        return 0;
    }
    return size * nmemb;
}

static curl_socket_t open_socket(void *ud, curlsocktype purpose, struct curl_sockaddr *a)
{
    net *n = ud;
    (void)purpose;
    struct sockaddr_storage ss = {0};
    memcpy(&ss, &a->addr, a->addrlen < sizeof ss ? a->addrlen : sizeof ss);
    char text[64], buf[160];
    const char *why = cc_fetch_guard(n->o, (const struct sockaddr *)&ss, text, sizeof text, buf,
                                     sizeof buf);
    if (why) {  /* a host may have several addresses: each one refused is named */
        char one[240];
        snprintf(one, sizeof one, "%s (%s)", text, why);
        size_t used = strlen(n->refused);
        if (!strstr(n->refused, one))
            snprintf(n->refused + used, sizeof n->refused - used, "%s%s", used ? " and " : "", one);
        return CURL_SOCKET_BAD;  /* libcurl tries the host's next address, if any */
    }
    return socket(a->family, a->socktype, a->protocol);
}

static void setup(CURL *c, net *n, struct curl_slist *hdr)
{
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  /* followed here, hop by hop */
    curl_easy_setopt(c, CURLOPT_PROXY, "");           /* never one from the environment */
    curl_easy_setopt(c, CURLOPT_HTTP09_ALLOWED, 0L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, n->o->connect_timeout);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)n->o->max_bytes);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  /* timeouts without SIGALRM */
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "credconv/" CC_VERSION);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, n);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, n);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, n);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, n->errbuf);
}

/* Why libcurl stopped, in the user's terms.  by_budget: the hop's time limit was what was
 * left of the input's --fetch-deadline, not of --fetch-timeout. */
static void curl_reason(CURLcode rc, const net *n, bool by_budget, char *err, size_t cap)
{
    const cc_fetch_opts *o = n->o;
    if (n->refused[0] && rc == CURLE_COULDNT_CONNECT)
        snprintf(err, cap, "refused to connect to %s: local and private addresses are "
                 "fetched only with --fetch-allow-private", n->refused);
    else if (n->too_big || rc == CURLE_FILESIZE_EXCEEDED)
        snprintf(err, cap, "response larger than %lld bytes (--max-fetch-size)", o->max_bytes);
    else if (n->headers_too_big)
        snprintf(err, cap, "response headers larger than %d bytes in all: refused",
                 CC_FETCH_MAX_HEADERS);
    else if (n->no_mem)
        snprintf(err, cap, "out of memory while receiving the response body");
    else if (rc == CURLE_OPERATION_TIMEDOUT && by_budget)
        snprintf(err, cap, "no complete answer before this input's fetch time ran out "
                 "(--fetch-deadline %ld s)", o->deadline);
    else if (rc == CURLE_OPERATION_TIMEDOUT)
        snprintf(err, cap, "no complete answer within the time limit (--connect-timeout %ld s, "
                 "--fetch-timeout %ld s)", o->connect_timeout, o->timeout);
    else if (rc == CURLE_UNSUPPORTED_PROTOCOL && strstr(n->errbuf, "HTTP/0.9"))
        snprintf(err, cap, "the server answered without an HTTP status line (an HTTP/0.9 "
                 "reply, or not HTTP at all): refused");
    else if (rc == CURLE_OUT_OF_MEMORY && n->in_headers)
        /* libcurl 7.x reports a header line past its 100 KB limit as "out of memory" */
        snprintf(err, cap, "a response header line longer than libcurl accepts (100 KB): "
                 "refused");
    else
        snprintf(err, cap, "%s", n->errbuf[0] ? n->errbuf : curl_easy_strerror(rc));
}

static bool http_url(const char *url)
{
    return strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0;
}

/* One request.  The body of an earlier hop (a redirect's) is dropped first. */
static CURLcode hop(CURL *c, net *n, const char *url, long limit_ms)
{
    cc_fetched *res = n->res;
    free(res->body);
    res->body = NULL;
    res->len = 0;
    res->status = 0;
    res->url[0] = '\0';
    n->cap = 0;
    n->header_bytes = 0;
    n->in_headers = false;
    n->refused[0] = '\0';
    n->errbuf[0] = '\0';
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, limit_ms);
    CURLcode rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
    return rc;
}

/* The next URL when the answer is a redirect to follow, else NULL.  -1 with res->error when
 * the redirect is refused. */
static int next_hop(CURL *c, net *n, long hops, char **next)
{
    cc_fetched *res = n->res;
    char *loc = NULL;
    *next = NULL;
    if (res->status < 300 || res->status > 399 || res->status == 304 ||
        curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &loc) != CURLE_OK || !loc)
        return 0;
    if (hops >= n->o->max_redirects) {
        snprintf(res->error, sizeof res->error, "more than %ld redirects (--max-redirects)",
                 n->o->max_redirects);
        return -1;
    }
    if (!http_url(loc)) {
        snprintf(res->error, sizeof res->error, "redirected to %.200s: only http and https are "
                 "fetched (also after a redirect)", loc);
        return -1;
    }
    if (!(*next = strdup(loc))) {
        snprintf(res->error, sizeof res->error, "out of memory following a redirect");
        return -1;
    }
    return 0;
}

/* The hops, until an answer that is not a redirect.  *cut: the deadline ended it. */
static int follow(CURL *c, net *n, char *url, long budget_ms, bool *cut)
{
    const cc_fetch_opts *o = n->o;
    double start = now_ms();
    int rc = -1;
    for (long hops = 0;; hops++) {
        long used = (long)(now_ms() - start);
        long whole = o->timeout * 1000 - used, budget = budget_ms - used;
        bool by_budget = budget < whole;
        long limit = by_budget ? budget : whole;
        CURLcode cr = limit > 0 ? hop(c, n, url, limit) : CURLE_OPERATION_TIMEDOUT;
        if (cr != CURLE_OK) {
            curl_reason(cr, n, by_budget, n->res->error, sizeof n->res->error);
            if (hops)  /* say where the redirects led */
                snprintf(n->res->error + strlen(n->res->error),
                         sizeof n->res->error - strlen(n->res->error), " (after %ld redirect%s, "
                         "at %.160s)", hops, hops > 1 ? "s" : "", url);
            *cut = by_budget && cr == CURLE_OPERATION_TIMEDOUT;
            break;
        }
        char *next;
        if (next_hop(c, n, hops, &next) != 0)
            break;
        if (!next) {  /* the answer: it came from this hop's URL */
            rc = 0;
            if (strlen(url) < sizeof n->res->url)
                snprintf(n->res->url, sizeof n->res->url, "%s", url);
            break;
        }
        free(url);
        url = next;
    }
    free(url);
    return rc;
}

int cc_fetch_net(const cc_fetch_opts *o, const char *url, long budget_ms, cc_fetched *res,
                 bool *cut)
{
    *cut = false;
    CURL *c = curl_easy_init();
    struct curl_slist *hdr = curl_slist_append(NULL, "Accept: application/ld+json, application/json");
    net n = {.o = o, .res = res};
    char *first = strdup(url);
    int rc = -1;
    if (c && hdr && first) {
        setup(c, &n, hdr);
        rc = follow(c, &n, first, budget_ms, cut);
        first = NULL;  /* follow frees it */
    } else {
        snprintf(res->error, sizeof res->error, "out of memory starting a fetch");
    }
    free(first);
    curl_slist_free_all(hdr);
    curl_easy_cleanup(c);
    if (rc == 0 && !res->body && !(res->body = strdup(""))) {
        snprintf(res->error, sizeof res->error, "out of memory");
        rc = -1;
    }
    if (rc != 0)
        cc_fetched_free(res);
    return rc;
}
