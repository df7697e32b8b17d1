/* The one string hash of credconv's hash tables (FNV-1a, 64 bits): fast, and good enough
 * for tables whose keys an attacker may choose, because every table that uses it resolves
 * collisions with exact comparison and its size is bounded (docs/security.md). */
#ifndef CC_HASH_H
#define CC_HASH_H

#include <stddef.h>
#include <stdint.h>

/* The same 64 bits on every machine: what must agree across machines (--shard) uses it. */
static inline uint64_t cc_hash64_str(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

static inline size_t cc_hash_bytes(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return (size_t)h;
}

static inline size_t cc_hash_str(const char *s)
{
    return (size_t)cc_hash64_str(s);
}

#endif
