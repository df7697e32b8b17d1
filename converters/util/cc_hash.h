/* The one string hash of credconv's hash tables (FNV-1a, 64 bits): fast, and good enough
 * for tables whose keys an attacker may choose, because every table that uses it resolves
 * collisions with exact comparison and its size is bounded (docs/security.md). */
#ifndef CC_HASH_H
#define CC_HASH_H

#include <stddef.h>
#include <stdint.h>

#define CC_HASH64_SEED 0xcbf29ce484222325ULL  /* FNV-1a's offset basis */

/* h carried on over s, then a separator byte (0xff, in no UTF-8 text), so that hashing
 * "ab" then "c" differs from "a" then "bc": for keys of several strings.  s may be NULL. */
static inline uint64_t cc_hash64_add(uint64_t h, const char *s)
{
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return (h ^ 0xff) * 0x100000001b3ULL;
}

/* The same 64 bits on every machine: what must agree across machines (--shard) uses it. */
static inline uint64_t cc_hash64_str(const char *s)
{
    uint64_t h = CC_HASH64_SEED;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

static inline size_t cc_hash_bytes(const char *s, size_t n)
{
    uint64_t h = CC_HASH64_SEED;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return (size_t)h;
}

static inline size_t cc_hash_str(const char *s)
{
    return (size_t)cc_hash64_str(s);
}

#endif
