/* Small libxml2 tree helpers of the EDC module (edc_tree.c). */
#ifndef CC_EDC_TREE_H
#define CC_EDC_TREE_H

#include "credconv.h"

#include <libxml/tree.h>

/* Element children only: text, comments and white space are skipped. */
xmlNode *edc_first(const xmlNode *n);
xmlNode *edc_next(const xmlNode *n);
/* The first child element of that name in the EDC namespace. */
xmlNode *edc_child(const xmlNode *n, const char *name);
bool edc_ns_is(const xmlNode *n, const char *ns);
bool edc_is(const xmlNode *n, const char *ns, const char *name);
/* An attribute's value as stored in the tree (no copy); NULL when absent. */
const xmlChar *edc_prop(const xmlNode *n, const char *name);
const xmlChar *edc_prop_ns(const xmlNode *n, const char *name, const char *ns);

/* Every @idref in the credential names an element's @id in it: 0, or -1 after reporting
 * each one that does not, with its line. */
int edc_check_idrefs(xmlNode *root, const char *file, const cc_diag_sink *diag,
                     const char *record);

/* edc_map.c: one europassCredential element -> a record, or NULL after reporting why. */
cc_record *cc_edc_map(xmlNode *root, const char *file, const cc_diag_sink *diag);

#endif
