/* The well-known JSON-LD contexts, one command away: `credconv contexts --fetch` downloads
 * them once from their canonical URLs (or a mirror), checks each against a SHA-256 pinned
 * here, and keeps them in a per-user cache that verify and sign read without --map-url.
 * credconv ships no copy of other people's contexts; the pins say which bytes it trusts.
 *
 * A pin is the SHA-256 of the context's JSON in one canonical form (keys sorted, no white
 * space: jansson's JSON_SORT_KEYS | JSON_COMPACT), not of the bytes served: hosts re-indent
 * their files, and what a context means is its JSON.  A context whose JSON differs from the
 * pin is refused, naming both hashes; the cached copy is checked again every time it is read. */
#include "cc_contexts.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cc_outfile.h"

typedef struct pinned {
    const char *url;
    const char *sha256;   /* of the canonical JSON */
} pinned;

/* The JSON of each was read from the copies in the test corpus (../shared/corpus/ob/contexts,
 * ../shared/corpus/edc/elm-v3/context), whose SOURCES.md names the upstream file each one is. */
static const pinned PINNED[] = {
    {.url = "https://www.w3.org/2018/credentials/v1",
     .sha256 = "16a59063ddaa68da0af22cdcefce6998eb46799e78e6d40714cf2dc83852ce9c"},
    {.url = "https://www.w3.org/ns/credentials/v2",
     .sha256 = "b463c8d6a066214123ddd9827b135e1b50e1fc73322cc52a9b12a4f1fc7d86cf"},
    {.url = "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
     .sha256 = "2c54acaa1cffda2420be32ab61f0a2082051211131c6337686f36f2537aa859b"},
    {.url = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
     .sha256 = "8bb2354552b70cbdf2066f6d3e24bc5c2be2619145737580ad2aebdc366e77d5"},
    {.url = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
     .sha256 = "bdd1d11a55a660322f24660862a1d430ee80cce584465f750909daa43684357c"},
    {.url = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
     .sha256 = "c5e555a91a5cf48e32ae0a05674c61ddd5c053b680b5643b2f57f9965e386d99"},
    {.url = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
     .sha256 = "15f4c347c6fe4380d9b6b93795859e33747ef48d5c55b91a71c52fb51c7bcbd7"},
    {.url = "https://purl.imsglobal.org/spec/clr/v2p0/context.json",
     .sha256 = "a2dd0c0c07434663b7b54a51dd8a3363f6d5c420efa87e3d97b4ef8661596d44"},
    {.url = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
     .sha256 = "7defe702c102faf14108579b7d65ef39ecf4c3bbef925b803e15bd77cd6e3394"},
    {.url = "https://w3id.org/security/data-integrity/v1",
     .sha256 = "9505bf85338a4c2121ad03992ac90061bc85d43bcfa34d9d47b779381cf08b5f"},
    {.url = "https://w3id.org/security/suites/ed25519-2020/v1",
     .sha256 = "fb517f09d990829aed734c9bad8cbbb2ac3d5063b865c7e3d81f246074bf5691"},
    {.url = "https://www.w3.org/ns/did/v1",
     .sha256 = "a7e146c40fcec005d3f0f14ae745665f446da58d7914a9d8f733746686fad82b"},
    {.url = "https://w3id.org/openbadges/v2",
     .sha256 = "5f063cc07234984e99d3fe24abdb084a0de95ac073c30580b4d31f4d9c3e1d94"},
    {.url = "http://data.europa.eu/snb/model/context/edc-ap",
     .sha256 = "8b2aec7cb1ab330c91a88ddf4ac45866dff7011ea364380f1dcf237c279caa5b"},
};

static const pinned *pin_of(const char *url)
{
    for (size_t i = 0; url && i < sizeof PINNED / sizeof *PINNED; i++)
        if (!strcmp(PINNED[i].url, url))
            return &PINNED[i];
    return NULL;
}

bool cc_context_is_pinned(const char *url)
{
    return pin_of(url) != NULL;
}

int cc_context_hash(const json_t *doc, char hex[65])
{
    char *canon = json_dumps(doc, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY);
    unsigned char md[32];
    unsigned int n = 0;
    int rc = canon && EVP_Digest(canon, strlen(canon), md, &n, EVP_sha256(), NULL) && n == 32 ? 0 : -1;
    free(canon);
    for (unsigned i = 0; rc == 0 && i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    return rc;
}

int cc_contexts_dir(char *buf, size_t cap)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    int n = xdg && *xdg == '/' ? snprintf(buf, cap, "%s/credconv/contexts", xdg)
          : home && *home ? snprintf(buf, cap, "%s/.cache/credconv/contexts", home) : -1;
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* The cached file of url: DIR/host/path, as --map-url https://=DIR lays copies out. */
static int cached_path(const char *url, char *buf, size_t cap)
{
    char dir[3072];
    const char *rest = strstr(url, "://");
    if (!rest || cc_contexts_dir(dir, sizeof dir) != 0)
        return -1;
    int n = snprintf(buf, cap, "%s/%s", dir, rest + 3);
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* doc against url's pin: 0, or -1 with err naming both hashes. */
static int check_pin(const char *url, const json_t *doc, char *err, size_t cap)
{
    char got[65];
    const pinned *p = pin_of(url);
    if (!p || cc_context_hash(doc, got) != 0) {
        snprintf(err, cap, "%.300s is not a context credconv pins", url);
        return -1;
    }
    if (strcmp(got, p->sha256)) {
        snprintf(err, cap, "%.300s: its JSON has SHA-256 %s, the pin is %s: refused", url, got, p->sha256);
        return -1;
    }
    return 0;
}

json_t *cc_context_cached(const char *url, char *err, size_t cap)
{
    char path[4096];
    *err = '\0';
    if (!pin_of(url) || cached_path(url, path, sizeof path) != 0)
        return NULL;
    json_error_t je;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!doc) {
        if (errno != ENOENT)
            snprintf(err, cap, "the cached context %.300s: %.200s", path, je.text);
        return NULL;
    }
    if (check_pin(url, doc, err, cap) != 0) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

/* mkdir -p of path's folder. */
static int make_parents(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *s = strchr(buf + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return -1;
        *s = '/';
    }
    return 0;
}

static int store(const char *url, const json_t *doc, char *err, size_t cap)
{
    char path[4096];
    cc_outfile of;
    if (cached_path(url, path, sizeof path) != 0 || make_parents(path) != 0 ||
        cc_outfile_open(&of, path) != 0) {
        snprintf(err, cap, "cannot write the cache (%.300s): %s", path, strerror(errno));
        return -1;
    }
    if (json_dumpf(doc, of.fp, JSON_INDENT(2)) != 0 || fputc('\n', of.fp) == EOF) {
        cc_outfile_abort(&of);
        snprintf(err, cap, "cannot write %.300s", path);
        return -1;
    }
    if (cc_outfile_commit(&of) != 0) {
        snprintf(err, cap, "cannot write %.300s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Where url is fetched from: the mirror + host/path, or the canonical URL. */
static void source_of(const char *url, const char *mirror, char *buf, size_t cap)
{
    const char *rest = strstr(url, "://");
    if (mirror && rest)
        snprintf(buf, cap, "%s%s%s", mirror, mirror[strlen(mirror) - 1] == '/' ? "" : "/", rest + 3);
    else
        snprintf(buf, cap, "%s", url);
}

/* One context: fetched, checked, stored.  0 or 1 (reported). */
static int fetch_one(const pinned *p, const cc_fetch_opts *fetch, const char *mirror)
{
    char src[2048], err[512] = "";
    source_of(p->url, mirror, src, sizeof src);
    json_t *doc = cc_fetch_json(fetch, src, NULL, err, sizeof err);
    int rc = !doc ? -1 : check_pin(p->url, doc, err, sizeof err) ? -1 : store(p->url, doc, err, sizeof err);
    json_decref(doc);
    if (rc != 0)
        fprintf(stderr, "credconv: error: %s: %s [context-fetch]\n", src, err);
    else
        printf("%s: fetched, SHA-256 %s as pinned\n", p->url, p->sha256);
    return rc ? 1 : 0;
}

int cc_contexts_command(const cc_fetch_opts *fetch, bool download, const char *mirror)
{
    char dir[3072];
    if (cc_contexts_dir(dir, sizeof dir) != 0) {
        fputs("credconv: error: no cache folder: set HOME or XDG_CACHE_HOME [usage]\n", stderr);
        return 2;
    }
    int bad = 0;
    for (size_t i = 0; i < sizeof PINNED / sizeof *PINNED; i++) {
        const pinned *p = &PINNED[i];
        char err[512];
        json_t *have = cc_context_cached(p->url, err, sizeof err);
        if (download && !have) {
            bad |= fetch_one(p, fetch, mirror);
        } else {
            printf("%s: %s\n", p->url, have ? "cached, as pinned" : *err ? err : "not cached");
            bad |= !have && (*err || !download);
        }
        json_decref(have);
    }
    if (!download && bad)
        fprintf(stderr, "credconv: %s: contexts missing; 'credconv contexts --fetch' downloads them\n", dir);
    return bad ? 1 : 0;
}
