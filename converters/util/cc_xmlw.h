/* Writing XML text: escaping and indentation shared by the XML writers. Internal. */
#ifndef CC_XMLW_H
#define CC_XMLW_H

#include <stdbool.h>
#include <stdio.h>

/* Writes s escaped for element content (& < >) or, with `attribute`, also for a
 * double-quoted attribute ("); CR as &#13; (it would be normalised away on reading) and
 * the control characters XML 1.0 forbids as U+FFFD. */
void cc_xml_escape(FILE *out, const char *s, bool attribute);
/* Writes n spaces. */
void cc_xml_indent(FILE *out, int n);

#endif
