/* The run's fetch cache: every network fetch of a run (JSON-LD contexts for the proof check
 * and again for the OB 3.0 term check, kid URLs, verification methods, BadgeClasses, images)
 * goes through here, so each URL is fetched once per run; and the time each input spent
 * fetching, held against --fetch-deadline.  Owned by whoever owns the cc_fetch_opts (main),
 * never global. */
#include "cc_hash.h"
#include "cc_fetch.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
    char *url;                    /* NULL: free slot */
    long status;
    char *body;                   /* NULL when the fetch failed: then error says why */
    size_t len;
    char *error;
    char *final;                  /* the URL the body came from, after redirects */
} entry;

struct cc_fetch_cache {
    entry *slots;                 /* open addressing, cap a power of two */
    size_t cap, used;
    size_t bytes;                 /* body bytes kept, at most CC_FETCH_CACHE_BYTES */
    json_t *spent;                /* input name → seconds spent fetching for it */
    char *input;                  /* the input being read (a key of spent), "" before any */
};

cc_fetch_cache *cc_fetch_cache_new(void)
{
    cc_fetch_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    /* Fetches before any input is named (sign, --issuer) count under "". */
    c->spent = json_pack("{s:f}", "", 0.0);
    c->input = strdup("");
    if (!c->spent || !c->input) {
        cc_fetch_cache_free(c);
        return NULL;
    }
    return c;
}

void cc_fetch_cache_free(cc_fetch_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->cap; i++) {
        free(c->slots[i].url);
        free(c->slots[i].body);
        free(c->slots[i].error);
        free(c->slots[i].final);
    }
    free(c->slots);
    json_decref(c->spent);
    free(c->input);
    free(c);
}

static entry *find(entry *slots, size_t cap, const char *url)
{
    size_t i = cc_hash_str(url) & (cap - 1);
    while (slots[i].url && strcmp(slots[i].url, url) != 0)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

int cc_fetch_cache_get(const cc_fetch_cache *c, const char *url, cc_fetched *res)
{
    if (!c || !c->cap)
        return 1;
    const entry *e = find(c->slots, c->cap, url);
    if (!e->url)
        return 1;
    if (!e->body) {
        snprintf(res->error, sizeof res->error, "%s", e->error);
        return -1;
    }
    res->body = malloc(e->len + 1);  /* the caller frees what it gets, as from the network */
    if (!res->body) {
        snprintf(res->error, sizeof res->error, "out of memory copying a cached response");
        return -1;
    }
    memcpy(res->body, e->body, e->len + 1);
    res->len = e->len;
    res->status = e->status;
    snprintf(res->url, sizeof res->url, "%s", e->final ? e->final : "");
    return 0;
}

static int grow(cc_fetch_cache *c)
{
    size_t cap = c->cap ? c->cap * 2 : 64;
    entry *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < c->cap; i++)
        if (c->slots[i].url)
            *find(slots, cap, c->slots[i].url) = c->slots[i];
    free(c->slots);
    c->slots = slots;
    c->cap = cap;
    return 0;
}

/* What a fetch gave (rc 0: res; -1: res->error), kept unless the cache is full; a failure
 * is kept too, so a URL that timed out is not waited for again by the next input.
 * gcc 12's -fanalyzer loses the strings of `e` once the struct is copied into its slot of
 * c->slots (a false "leak": cc_fetch_cache_free frees every slot's), so its leak check is
 * off for this one function (make analyze). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
#endif
void cc_fetch_cache_put(cc_fetch_cache *c, const char *url, int rc, const cc_fetched *res)
{
    if (!c || c->used >= CC_FETCH_CACHE_ENTRIES ||
        (rc == 0 && c->bytes + res->len > CC_FETCH_CACHE_BYTES))
        return;
    if ((c->used + 1) * 2 > c->cap && grow(c) != 0)
        return;
    entry e = {.url = strdup(url), .status = res->status};
    if (rc == 0 && (e.body = malloc(res->len + 1)))
        memcpy(e.body, res->body ? res->body : "", res->len + 1), e.len = res->len;
    if (rc == 0 && e.body && !(e.final = strdup(res->url))) {
        free(e.body);
        e.body = NULL;
    }
    else if (rc != 0)
        e.error = strdup(res->error);
    if (!e.url || !(e.body || e.error)) {
        free(e.url), free(e.body), free(e.error), free(e.final);
        return;
    }
    *find(c->slots, c->cap, url) = e;
    c->used++;
    c->bytes += e.len;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

void cc_fetch_input(const cc_fetch_opts *o, const char *name)
{
    cc_fetch_cache *c = o ? o->cache : NULL;
    if (!c || !name || (c->input && !strcmp(c->input, name)))
        return;
    char *copy = strdup(name);
    if (!copy)
        return;  /* the time goes on counting against the previous input */
    free(c->input);
    c->input = copy;
    if (!json_object_get(c->spent, name))
        json_object_set_new(c->spent, name, json_real(0));
}

double cc_fetch_cache_spent(const cc_fetch_cache *c)
{
    return c && c->input ? json_real_value(json_object_get(c->spent, c->input)) : 0;
}

void cc_fetch_cache_charge(cc_fetch_cache *c, double seconds)
{
    if (c && c->input)
        json_object_set_new(c->spent, c->input, json_real(cc_fetch_cache_spent(c) + seconds));
}
