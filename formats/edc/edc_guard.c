/* EDC's messages for what the XML pre-scan refuses (see edc_guard.h). */
#include "edc_guard.h"

#include <string.h>

const char *edc_guard_why(const cc_xml_guard *g)
{
    if (g->rule && !strcmp(g->rule, "xml-encoding"))
        return "the document is in an encoding credconv does not read for EDC (UTF-8, UTF-16, "
               "US-ASCII, ISO-8859-n and windows-125n are read; EBCDIC is not)";
    return "an element has more than 256 attributes (namespace declarations included): "
           "refused before parsing (no EDC element needs more)";
}
