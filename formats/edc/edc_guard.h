/* A byte-level pre-scan of EDC XML, run on the bytes before libxml2 parses them
 * (edc_guard.c).  libxml2 2.9 checks an element's attributes for duplicates pairwise, so one
 * start tag of 100,000 attributes costs 16 s before any callback can refuse it (issue 11):
 * the scan counts the attributes of each start tag first.  Shared by the EDC reader and the
 * e-seal verifier (formats/edc/edc_sig.c). */
#ifndef CC_EDC_GUARD_H
#define CC_EDC_GUARD_H

#include <stdbool.h>
#include <stddef.h>

/* Attributes (namespace declarations included) one EDC element may have; the EDC 1.x
 * schema's richest element has a handful, a signed root a dozen declarations.
 * docs/security.md. */
#define EDC_MAX_ATTRIBUTES 256

typedef struct edc_guard {
    int state;                    /* where the scan is in the markup */
    int run;                      /* consecutive '-' / ']' / a '?' just seen */
    int attrs;                    /* '=' seen in the current start tag */
    long line;                    /* 1-based line of the byte being scanned */
    long tag_line;                /* where the current start tag began */
    bool tripped;                 /* refused: rule and why say what */
    const char *rule, *why;
    char head[256];               /* the first bytes, for the XML declaration */
    size_t head_n;
    bool head_done;
} edc_guard;

#define EDC_GUARD_INIT {.line = 1}

/* Scans the next len bytes; false once a start tag (beginning at g->tag_line) has too many
 * attributes, or the input is in an encoding whose bytes the scan cannot read (EBCDIC or
 * another that is not ASCII-compatible, declared or detected): the count would be blind to
 * it.  Stays false for every later call; g->rule and g->why say why. */
bool edc_guard_feed(edc_guard *g, const char *buf, size_t len);


#endif
