/* Tree helpers, the id index and the idref check of the EDC reader. */
#include "cc_hash.h"
#include "edc_tree.h"
#include "edc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

bool edc_ns_is(const xmlNode *n, const char *ns)
{
    return n->ns && n->ns->href && strcmp((const char *)n->ns->href, ns) == 0;
}

bool edc_is(const xmlNode *n, const char *ns, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0 &&
           edc_ns_is(n, ns);
}

bool edc_is_signature(const xmlNode *n)
{
    return edc_is(n, EDC_DSIG_NS, "Signature");
}

static xmlNode *element_from(xmlNode *n)
{
    while (n && (n->type != XML_ELEMENT_NODE || edc_is_signature(n)))
        n = n->next;
    return n;
}

xmlNode *edc_first(const xmlNode *n) { return n ? element_from(n->children) : NULL; }
xmlNode *edc_next(const xmlNode *n) { return n ? element_from(n->next) : NULL; }

xmlNode *edc_child(const xmlNode *n, const char *name)
{
    for (xmlNode *k = edc_first(n); k; k = edc_next(k))
        if (edc_is(k, EDC_NS, name))
            return k;
    return NULL;
}

static const xmlChar *attr_value(const xmlAttr *a)
{
    return a && a->children && a->children->type == XML_TEXT_NODE ? a->children->content
           : a ? BAD_CAST ""
               : NULL;
}

const xmlChar *edc_prop(const xmlNode *n, const char *name)
{
    return attr_value(xmlHasNsProp((xmlNode *)n, BAD_CAST name, NULL));
}

const xmlChar *edc_prop_ns(const xmlNode *n, const char *name, const char *ns)
{
    return attr_value(xmlHasNsProp((xmlNode *)n, BAD_CAST name, BAD_CAST ns));
}

/* ------------------------------------------------------------ text */

/* Walks the text of n's subtree: its length, and (when dst) a copy. */
static size_t gather(const xmlNode *n, char *dst)
{
    size_t len = 0;
    for (const xmlNode *k = n->children; k; k = k->next) {
        if ((k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) && k->content) {
            size_t l = strlen((const char *)k->content);
            if (dst)
                memcpy(dst + len, k->content, l);
            len += l;
        } else if (k->type == XML_ELEMENT_NODE && !edc_is_signature(k)) {
            len += gather(k, dst ? dst + len : NULL);
        }
    }
    return len;
}

const char *edc_text(cc_arena *a, const xmlNode *n)
{
    size_t len = gather(n, NULL);
    char *s = cc_alloc(a, len + 1);
    gather(n, s);
    s[len] = '\0';
    return s;
}

/* ------------------------------------------------------------ the id index */

static size_t count_ids(const xmlNode *n)
{
    size_t c = 0;
    for (xmlNode *k = edc_first(n); k; k = edc_next(k))
        c += (edc_prop(k, "id") != NULL) + count_ids(k);
    return c;
}

static const char *id_of(const xmlNode *n) { return (const char *)edc_prop(n, "id"); }

/* Only nodes with an id are indexed; a node without one matches nothing all the same. */
static bool has_id(const xmlNode *n, const char *id)
{
    const char *v = id_of(n);
    return v && !strcmp(v, id);
}

/* The slot holding id, or the empty slot where it goes. */
static const xmlNode **slot_of(const edc_index *ix, const char *id)
{
    size_t i = cc_hash_str(id) & ix->mask;
    while (ix->slot[i] && !has_id(ix->slot[i], id))
        i = (i + 1) & ix->mask;
    return &ix->slot[i];
}

/* An entry of a reference section (what idrefs name): a child of a root child
 * "…References".  Objects written inline elsewhere may repeat an entry's id (the corpus
 * does, for hasPart and entitlesTo), so those yield to the entry. */
static bool is_entry(const xmlNode *k, const xmlNode *root)
{
    const xmlNode *sec = k->parent;
    return sec && sec->parent == root && strstr((const char *)sec->name, "References");
}

static int insert_all(edc_index *ix, const xmlNode *root, const xmlNode *n, const char *file,
                      const cc_diag_sink *diag, const char *record)
{
    int bad = 0;
    for (xmlNode *k = edc_first(n); k; k = edc_next(k)) {
        const char *id = id_of(k);
        const xmlNode **s = id ? slot_of(ix, id) : NULL;
        bool entry = s && is_entry(k, root);
        if (s && *s && entry && is_entry(*s, root)) {
            cc_diagf(diag, CC_ERROR, file, xmlGetLineNo(k), 0, record, "edc-duplicate-id",
                     "<%s id=\"%s\">: the id is already given to the <%s> of line %ld: an idref "
                     "to it would be ambiguous", (const char *)k->name, id,
                     (const char *)(*s)->name, xmlGetLineNo((xmlNode *)*s));
            bad++;
        } else if (s && (!*s || entry)) {
            *s = k;
        }
        bad += insert_all(ix, root, k, file, diag, record);
    }
    return bad;
}

int edc_index_build(edc_index *ix, xmlNode *root, const char *file, const cc_diag_sink *diag,
                    const char *record)
{
    *ix = (edc_index){0};
    size_t n = count_ids(root), cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    ix->slot = calloc(cap, sizeof *ix->slot);
    if (!ix->slot) {
        cc_diagf(diag, CC_ERROR, file, xmlGetLineNo(root), 0, record, "out-of-memory",
                 "out of memory indexing %zu ids", n);
        return -1;
    }
    ix->mask = cap - 1;
    return insert_all(ix, root, root, file, diag, record) ? -1 : 0;
}

const xmlNode *edc_index_get(const edc_index *ix, const char *id)
{
    return ix->slot && id ? *slot_of(ix, id) : NULL;
}

void edc_index_free(edc_index *ix)
{
    free(ix->slot);
    *ix = (edc_index){0};
}

/* ------------------------------------------------------------ idref check */

static int check(const xmlNode *n, const edc_index *ix, const char *file,
                 const cc_diag_sink *diag, const char *record)
{
    int bad = 0;
    for (xmlNode *k = edc_first(n); k; k = edc_next(k)) {
        const char *ref = (const char *)edc_prop(k, "idref");
        if (ref && !edc_index_get(ix, ref)) {
            cc_diagf(diag, CC_ERROR, file, xmlGetLineNo(k), 0, record, "edc-idref",
                     "<%s idref=\"%s\">: no element of this credential has id '%s'",
                     (const char *)k->name, ref, ref);
            bad++;
        }
        bad += check(k, ix, file, diag, record);
    }
    return bad;
}

int edc_check_idrefs(xmlNode *root, const edc_index *ix, const char *file,
                     const cc_diag_sink *diag, const char *record)
{
    return check(root, ix, file, diag, record) ? -1 : 0;
}
