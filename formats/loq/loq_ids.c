/* A set of ids kept as 64-bit FNV-1a hashes (open addressing): what the writer and the
 * checks remember of a whole document, in 8 bytes per id whatever the id's length.  Two
 * different ids of one document sharing a hash has a probability of about n^2 / 2^65. */
#include "cc_hash.h"
#include "loq/loq.h"

#include <stdlib.h>

uint64_t cc_loq_hash(const char *kind, const char *s)
{
    uint64_t h = cc_hash64_add(cc_hash64_add(CC_HASH64_SEED, kind), s);  /* kind, id apart */
    return h ? h : 1;  /* 0 marks an empty slot */
}

bool cc_loq_idset_has(const cc_loq_idset *s, uint64_t h)
{
    for (size_t i = s->cap ? h % s->cap : 0; s->cap && s->slot[i]; i = (i + 1) % s->cap)
        if (s->slot[i] == h)
            return true;
    return false;
}

bool cc_loq_idset_add(cc_loq_idset *s, uint64_t h)
{
    if (2 * (s->n + 1) > s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        cc_loq_idset g = {.slot = calloc(cap, sizeof *g.slot), .cap = cap};
        if (!g.slot)
            return false;
        for (size_t i = 0; i < s->cap; i++)
            if (s->slot[i])
                cc_loq_idset_add(&g, s->slot[i]);
        free(s->slot);
        *s = g;
    }
    size_t i = h % s->cap;
    while (s->slot[i] && s->slot[i] != h)
        i = (i + 1) % s->cap;
    if (!s->slot[i])
        s->n++;
    s->slot[i] = h;
    return true;
}

void cc_loq_idset_free(cc_loq_idset *s)
{
    free(s->slot);
    *s = (cc_loq_idset){0};
}
