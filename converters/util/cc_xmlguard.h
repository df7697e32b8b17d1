/* The one byte-level pre-scan of XML before libxml2 parses it, for every XML reader (RNCP,
 * EDC, baked SVG, and the formats to come).  libxml2 2.9 checks an element's attributes
 * for duplicates pairwise, so one start tag of 100,000 attributes costs seconds before any
 * callback can refuse it, and 2.9.14 has no setting that bounds their number (issue 11):
 * the guard counts each start tag's attributes, and the namespace declarations of the whole
 * document, on the bytes, streaming, linear in the input.  It only has to find where start
 * tags are: comments, CDATA sections, PIs, declarations, end tags and quoted attribute
 * values are skipped.  Well-formedness is libxml2's job: on malformed input a count may be
 * off, and libxml2 then refuses the input anyway. */
#ifndef CC_XMLGUARD_H
#define CC_XMLGUARD_H

#include <stdbool.h>
#include <stddef.h>

typedef struct cc_xml_guard {
    /* the limits, set by the reader (0: no limit) */
    int max_attrs;                /* attributes of one start tag, namespace declarations included */
    long max_nsdecl;              /* namespace declarations in the document */
    bool check_encoding;          /* refuse an encoding whose bytes the scan cannot read */
    /* the scan */
    int state, run;
    int attrs;                    /* '=' seen in the current start tag */
    long nsdecl;                  /* "xmlns" attributes seen so far */
    int name_at;                  /* bytes of the current attribute name matched against "xmlns" */
    long line, col;               /* of the next byte: 1-based line, bytes since its newline */
    long tag_line;                /* where the current start tag began */
    long long offset;             /* bytes scanned */
    long long tag_offset;         /* of the current start tag's '<' */
    char head[256];               /* the first bytes, for the XML declaration */
    size_t head_n;
    bool head_done;
    /* the verdict */
    bool tripped;
    const char *rule;             /* "xml-attributes", "xml-namespaces", "xml-encoding" */
} cc_xml_guard;

#define CC_XML_GUARD_INIT(attrs, decls) {.max_attrs = (attrs), .max_nsdecl = (decls), .line = 1}

/* Scans the next len bytes (len 0: the end of the input); false once a limit is passed or
 * the encoding is refused, and for every later call: g->rule says which, g->tag_line and
 * g->tag_offset where the start tag that passed it began. */
bool cc_xml_guard_feed(cc_xml_guard *g, const char *buf, size_t len);
/* Whether the input so far ends inside markup (a tag, a comment…): a truncated document. */
bool cc_xml_guard_in_markup(const cc_xml_guard *g);

#endif
