/* Loading an XML schema for a reader's validation (shared by the XML format modules). */
#ifndef CC_XMLSCHEMA_H
#define CC_XMLSCHEMA_H

#include "credconv/credconv.h"

#include <libxml/xmlschemas.h>

typedef struct cc_xmlschema {
    xmlSchemaPtr schema;
    xmlSchemaValidCtxtPtr vctxt;
    xmlSchemaSAXPlugPtr plug;     /* set by the caller when it validates a SAX stream */
} cc_xmlschema;

/* Compiles ctx->schema_path, else <ctx->schema_dir>/<default_name>, and makes a validation
 * context.  0, or -1 after reporting why (rule "schema-load", with the schema's file:line). */
int cc_xmlschema_load(cc_xmlschema *s, const cc_read_ctx *ctx, const char *default_name);
void cc_xmlschema_free(cc_xmlschema *s);

/* One line of a libxml2 error message, without its trailing newline. */
void cc_xml_error_text(const xmlError *e, char *buf, size_t cap);

/* The longest text node libxml2 reads without XML_PARSE_HUGE (its XML_MAX_TEXT_LENGTH).
 * credconv never sets XML_PARSE_HUGE; the RNCP reader, which gathers text itself from SAX
 * callbacks, applies the same limit. */
enum { CC_XML_MAX_TEXT = 10000000 };
#define CC_XML_HUGE_TEXT_MSG "a text node longer than 10000000 bytes: refused (libxml2's limit " \
    "without XML_PARSE_HUGE, which credconv does not set)"
/* True when e is libxml2's "huge text node" error: the message above says it better. */
bool cc_xml_error_huge_text(const xmlError *e);
/* Whether an error raised after the input was all read says the document is cut short:
 * libxml2's end-of-document errors, or one at the end of what it was given (only white space
 * after it).  unfinished: an element is still open, or the root has not begun; without that,
 * or for a mismatched end tag, it is a real syntax error. */
bool cc_xml_error_cut_short(const xmlError *e, bool unfinished);

#endif
