/* The pre-scan of EDC XML (converters/util/cc_xmlguard.h) with EDC's limits and messages,
 * shared by the EDC reader and the e-seal verifier (formats/edc/edc_sig.c). */
#ifndef CC_EDC_GUARD_H
#define CC_EDC_GUARD_H

#include "cc_xmlguard.h"

/* Attributes (namespace declarations included) one EDC element may have; the EDC 1.x
 * schema's richest element has a handful, a signed root a dozen declarations.
 * docs/security.md.  The encoding is checked too: the scan reads ASCII-compatible bytes. */
#define EDC_MAX_ATTRIBUTES 256
#define EDC_GUARD_INIT {.max_attrs = EDC_MAX_ATTRIBUTES, .check_encoding = true, .line = 1}

/* Why the guard refused the input, for the diagnostic. */
const char *edc_guard_why(const cc_xml_guard *g);

#endif
