/* The well-known JSON-LD contexts, pinned and cached per user (converters/jsonld/contexts.c). */
#ifndef CC_CONTEXTS_H
#define CC_CONTEXTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "cc_fetch.h"

/* True when credconv pins url (it can be fetched into the cache). */
bool cc_context_is_pinned(const char *url);
/* The SHA-256 (hex) of doc's canonical JSON (sorted keys, compact); 0 or -1. */
int cc_context_hash(const json_t *doc, char hex[65]);
/* The cache folder: $XDG_CACHE_HOME/credconv/contexts, else ~/.cache/credconv/contexts. */
int cc_contexts_dir(char *buf, size_t cap);
/* url's cached copy, checked against its pin: a new reference; NULL when url is not pinned or
 * not cached (err empty), or when the copy is unreadable or differs from the pin (err says). */
json_t *cc_context_cached(const char *url, char *err, size_t cap);
/* credconv contexts [--fetch [--mirror URL]]: lists the pinned contexts and what the cache
 * holds; with download, fetches the missing ones (from mirror + host/path when given).
 * 0, 1 (one missing or refused) or 2. */
int cc_contexts_command(const cc_fetch_opts *fetch, bool download, const char *mirror);

#endif
