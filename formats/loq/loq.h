/* Internal to the LOQ format module (ELM 3 "Learning Opportunities and Qualifications" XML,
 * the document the Europass Qualification Dataset Register ingests). */
#ifndef CC_LOQ_H
#define CC_LOQ_H

#include "credconv.h"

#include <libxml/tree.h>
#include <stdint.h>

#define LOQ_NS "http://data.europa.eu/snb/model/ap/loq-constraints/"
#define LOQ_SKOS_NS "http://www.w3.org/2004/02/skos/core#"
#define LOQ_XSD "loq/loq.xsd"          /* bundled, under the schema folder */

/* credconv's own concept URIs for codes no ELM vocabulary has (docs/mapping.md). */
#define LOQ_URN "urn:credconv:"

void *cc_loq_writer_open(cc_write_ctx *ctx);
int cc_loq_writer_record(void *w, const cc_record *r);
int cc_loq_writer_close(void *w);
int cc_loq_read(cc_read_ctx *ctx);

/* Ids of a whole document as 64-bit hashes (loq_ids.c). */
typedef struct cc_loq_idset {
    uint64_t *slot;
    size_t cap, n;
} cc_loq_idset;
uint64_t cc_loq_hash(const char *kind, const char *s);
bool cc_loq_idset_has(const cc_loq_idset *s, uint64_t h);
bool cc_loq_idset_add(cc_loq_idset *s, uint64_t h);  /* false: out of memory */
void cc_loq_idset_free(cc_loq_idset *s);

/* The SHACL checks, entity by entity (a reader streaming a document), then the rules across
 * entities at the end.  Each violation is reported with its line and counted. */
typedef struct loq_checker loq_checker;
loq_checker *cc_loq_checker_new(const cc_diag_sink *diag, const char *file);
int cc_loq_check_entity(loq_checker *c, const xmlNode *n, const char *rec);  /* violations */
int cc_loq_checker_finish(loq_checker *c);
void cc_loq_checker_free(loq_checker *c);

/* The SHACL rules of LOQ-constraints*.ttl the XSD cannot express (loq_check.c), on a parsed
 * LOQ document: the number of violations, each reported with its line and a rule id
 * "loq-shacl-<Shape>".  `file` names the document in diagnostics; rec the record, or NULL. */
int cc_loq_check_doc(xmlDocPtr doc, const cc_diag_sink *diag, const char *file, const char *rec);

#endif
