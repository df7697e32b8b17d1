/* Bump allocator: one per record, freed in one call.  Blocks are chained; a request
 * larger than a block gets a block of its own so big text nodes do not waste space. */
#include "credconv/credconv.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE (64 * 1024)

struct block {
    struct block *prev;
    size_t used, cap;
    max_align_t data[];
};

struct cc_arena {
    struct block *top;
    size_t total;
};

void cc_fatal(const char *why)
{
    fprintf(stderr, "credconv: %s\n", why);
    abort();
}

void cc_oom(void)
{
    cc_fatal("out of memory");
}

static struct block *block_new(size_t cap)
{
    struct block *b = malloc(sizeof *b + cap);
    if (!b) {
        cc_oom();
    }
    b->prev = NULL;
    b->used = 0;
    b->cap = cap;
    return b;
}

cc_arena *cc_arena_new(void)
{
    cc_arena *a = calloc(1, sizeof *a);
    if (!a) {
        cc_oom();
    }
    a->top = block_new(BLOCK_SIZE);
    return a;
}

void cc_arena_free(cc_arena *a)
{
    if (!a)
        return;
    for (struct block *b = a->top, *p; b; b = p) {
        p = b->prev;
        free(b);
    }
    free(a);
}

void cc_arena_reset(cc_arena *a)
{
    struct block *b = a->top;
    while (b->prev) {
        struct block *p = b->prev;
        free(b);
        b = p;
    }
    a->top = b;
    b->used = 0;
    a->total = 0;
}

/* size bytes, not zeroed (strings are copied over at once: zeroing them first was a tenth
 * of the arena's cost). */
static void *alloc_raw(cc_arena *a, size_t size)
{
    const size_t align = sizeof(max_align_t);
    size = (size + align - 1) & ~(align - 1);
    if (size == 0)
        size = align;
    struct block *b = a->top;
    if (b->cap - b->used < size) {
        if (size > BLOCK_SIZE / 4) {
            /* Big: a private block under the current one, so the current keeps filling. */
            struct block *big = block_new(size);
            big->used = size;
            big->prev = b->prev;
            b->prev = big;
            a->total += size;
            return big->data;
        }
        struct block *nb = block_new(BLOCK_SIZE);
        nb->prev = b;
        a->top = b = nb;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    a->total += size;
    return p;
}

void *cc_alloc(cc_arena *a, size_t size)
{
    void *p = alloc_raw(a, size);
    memset(p, 0, size ? size : 1);
    return p;
}

char *cc_strndup(cc_arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *d = alloc_raw(a, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *cc_strdup(cc_arena *a, const char *s)
{
    return s ? cc_strndup(a, s, strlen(s)) : NULL;
}

/* Formatted straight into the free end of the current block when it fits (one vsnprintf
 * instead of two: the measuring pass was half of cc_sprintf's cost). */
char *cc_sprintf(cc_arena *a, const char *fmt, ...)
{
    struct block *b = a->top;
    char *free_end = (char *)b->data + b->used;
    size_t room = b->cap - b->used;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(free_end, room, fmt, ap);
    va_end(ap);
    if (n < 0)
        return cc_strdup(a, "");
    char *d = alloc_raw(a, (size_t)n + 1);
    if ((size_t)n < room) {
        /* used and cap are multiples of the alignment, so d is free_end: kept as written */
        if (d != free_end)
            memcpy(d, free_end, (size_t)n + 1);
        return d;
    }
    va_start(ap, fmt);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return d;
}

size_t cc_arena_used(const cc_arena *a)
{
    return a->total;
}

void cc_list_append(cc_list *l, void *item)
{
    *(void **)item = NULL;
    if (l->tail)
        *(void **)l->tail = item;
    else
        l->head = item;
    l->tail = item;
    l->n++;
}
