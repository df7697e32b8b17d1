/* A byte-level pre-scan of EDC XML, run on the bytes before libxml2 parses them
 * (edc_guard.c).  libxml2 2.9 checks an element's attributes for duplicates pairwise, so one
 * start tag of 100,000 attributes costs 16 s before any callback can refuse it (issue 11):
 * the scan counts the attributes of each start tag first.  Shared by the EDC reader and the
 * e-seal verifier (converters/edc_sig.c). */
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
    bool tripped;                 /* a start tag has more than EDC_MAX_ATTRIBUTES */
} edc_guard;

#define EDC_GUARD_INIT {.line = 1}

/* Scans the next len bytes; false once a start tag (beginning at g->tag_line) has too many
 * attributes (and for every later call). */
bool edc_guard_feed(edc_guard *g, const char *buf, size_t len);

/* What a tripped guard reports (rule "xml-attributes"). */
#define EDC_GUARD_MSG "an element has more than 256 attributes (namespace declarations " \
                      "included): refused before parsing (no EDC element needs more)"

#endif
