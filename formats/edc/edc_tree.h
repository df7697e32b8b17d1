/* Small libxml2 tree helpers of the EDC module (edc_tree.c). */
#ifndef CC_EDC_TREE_H
#define CC_EDC_TREE_H

#include "credconv/credconv.h"

#include <libxml/tree.h>

#define EDC_DSIG_NS "http://www.w3.org/2000/09/xmldsig#"

/* A ds:Signature element (any prefix).  Seals digest the document less every ds:Signature
 * (docs/signatures.md), so the reader never reads inside one: what it reads is what the
 * seal covers. */
bool edc_is_signature(const xmlNode *n);

/* Element children only: text, comments, white space and ds:Signature are skipped. */
xmlNode *edc_first(const xmlNode *n);
xmlNode *edc_next(const xmlNode *n);
/* The first child element of that name in the EDC namespace. */
xmlNode *edc_child(const xmlNode *n, const char *name);
bool edc_ns_is(const xmlNode *n, const char *ns);
bool edc_is(const xmlNode *n, const char *ns, const char *name);
/* An attribute's value as stored in the tree (no copy); NULL when absent. */
const xmlChar *edc_prop(const xmlNode *n, const char *name);
const xmlChar *edc_prop_ns(const xmlNode *n, const char *name, const char *ns);
/* The text of an element: its text and CDATA descendants in document order, never what is
 * inside a ds:Signature, a comment or a processing instruction.  Allocated in a. */
const char *edc_text(cc_arena *a, const xmlNode *n);

/* Every element of a credential by its @id: a hash table built once per credential, so
 * each idref is resolved in constant time (issue 11: 40,000 idrefs scanned their section). */
typedef struct edc_index {
    const xmlNode **slot;
    size_t mask;                  /* slots - 1 (a power of two), 0 when empty */
} edc_index;

/* Builds the index of root's descendants; 0, or -1 after reporting each @id given to two
 * elements (an idref to it would be ambiguous) or an allocation failure. */
int edc_index_build(edc_index *ix, xmlNode *root, const char *file, const cc_diag_sink *diag,
                    const char *record);
const xmlNode *edc_index_get(const edc_index *ix, const char *id);
void edc_index_free(edc_index *ix);

/* Every @idref in the credential names an element's @id in it: 0, or -1 after reporting
 * each one that does not, with its line. */
int edc_check_idrefs(xmlNode *root, const edc_index *ix, const char *file,
                     const cc_diag_sink *diag, const char *record);

/* edc_map.c: one europassCredential element -> a record, or NULL after reporting why. */
cc_record *cc_edc_map(xmlNode *root, const char *file, const cc_diag_sink *diag);

#endif
