/* Internal to the CASE format module (case.c, case_read.c, case_write.c): 1EdTech
 * Competencies and Academic Standards Exchange CFPackage JSON (1.1, and 1.0 on request).
 * The mapping is documented in docs/mapping.md, "CASE". */
#ifndef CC_CASE_H
#define CC_CASE_H

#include "credconv.h"

#include <jansson.h>

/* The bundled schema (`validate -f case`, and what the writer checks) and its URI. */
#define CASE_SCHEMA_FILE "case/case-v1p1-cfpackage.json"
#define CASE_SCHEMA_URI "https://credconv.invalid/schemas/case/case-v1p1-cfpackage.json"

/* The CFItemType labels of what credconv writes.  An item of another type is read as an
 * achievement whose kind is its CFItemType. */
#define CASE_TYPE_BLOCK "Bloc de compétences"
#define CASE_TYPE_OUTCOME "Compétence"
#define CASE_TYPE_SUBOUTCOME "Sous-compétence"

/* Model kind <-> CFItemType (NULL kind: no CFItemType). */
const char *cc_case_kind_to_type(const char *kind);
const char *cc_case_type_to_kind(cc_arena *a, const char *type);

/* The name-based (version 5) identifiers credconv gives what has none of its own, so a
 * re-export keeps the identifiers an LMS already imported (docs/decisions.md):
 * - a document or item with an absolute id: uuid5(URL namespace, id);
 * - else uuid5(URL namespace, "urn:credconv:case:node:" + code);
 * - an outcome: uuid5 of "urn:credconv:case:outcome:" + its parent's identifier + ":" +
 *   its text, + ":" + n for the n-th repeat of the same text under that parent;
 * - an isChildOf association: uuid5 of "urn:credconv:case:isChildOf:" + child identifier
 *   + ":" + parent identifier.
 * Each returns false when there is nothing to name it from. */
bool cc_case_node_uuid(const char *id, const char *code, char out[37]);
void cc_case_outcome_uuid(const char *parent, const char *text, int repeat, char out[37]);
void cc_case_child_uuid(const char *child, const char *parent, char out[37]);

/* The uri written for a node: its id when it is an absolute IRI, else urn:uuid:<identifier>. */
const char *cc_case_node_uri(cc_arena *a, const char *id, const char *identifier);

/* The code given to the n-th (1-based) outcome under a node coded `parent` (humanCodingScheme
 * and Moodle id number): "<parent>.<n>". */
char *cc_case_outcome_code(cc_arena *a, const char *parent, int n);

/* Which properties each class has, and which of them CASE 1.1 added: the writer puts back
 * kept properties ("case:<name>" extension entries) only where the class has them. */
typedef enum { CASE_DOCUMENT, CASE_ITEM, CASE_ASSOCIATION, CASE_PACKAGE } case_class;
/* 0: not a property of the class; 10: in 1.0 and 1.1; 11: 1.1 only. */
int cc_case_property(case_class c, const char *name);

/* lastChangeDateTime of a record: a kept "case:lastChangeDateTime", else the latest of the
 * RNCP dates of the fiche (publication, decision, effect, last JO, last change), else now
 * (SOURCE_DATE_EPOCH when set). */
const char *cc_case_last_change(cc_arena *a, const cc_achievement *a0);

/* Extension entries of the reader: "case:<prop>" = the value as compact JSON text. */
const cc_ext *cc_case_ext_find(const cc_list *ext, const char *prop);

int cc_case_read(cc_read_ctx *ctx);
void *cc_case_writer_open(cc_write_ctx *ctx);
int cc_case_writer_record(void *w, const cc_record *r);
int cc_case_writer_close(void *w);

#endif
