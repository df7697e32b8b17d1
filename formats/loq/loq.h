/* Internal to the LOQ format module (ELM 3 "Learning Opportunities and Qualifications" XML,
 * the document the Europass Qualification Dataset Register ingests). */
#ifndef CC_LOQ_H
#define CC_LOQ_H

#include "credconv.h"

#include <libxml/tree.h>

#define LOQ_NS "http://data.europa.eu/snb/model/ap/loq-constraints/"
#define LOQ_SKOS_NS "http://www.w3.org/2004/02/skos/core#"
#define LOQ_XSD "loq/loq.xsd"          /* bundled, under the schema folder */

/* credconv's own concept URIs for codes no ELM vocabulary has (docs/mapping.md). */
#define LOQ_URN "urn:credconv:"

void *cc_loq_writer_open(cc_write_ctx *ctx);
int cc_loq_writer_record(void *w, const cc_record *r);
int cc_loq_writer_close(void *w);
int cc_loq_read(cc_read_ctx *ctx);

/* The SHACL rules of LOQ-constraints*.ttl the XSD cannot express (loq_check.c), on a parsed
 * LOQ document: the number of violations, each reported with its line and a rule id
 * "loq-shacl-<Shape>".  `file` names the document in diagnostics; rec the record, or NULL. */
int cc_loq_check_doc(xmlDocPtr doc, const cc_diag_sink *diag, const char *file, const char *rec);

#endif
