/* Loading an XML schema for a reader's validation (shared by the XML format modules). */
#ifndef CC_XMLSCHEMA_H
#define CC_XMLSCHEMA_H

#include "credconv.h"

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

#endif
