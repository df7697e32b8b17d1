/* Tree helpers and the idref check of the EDC reader. */
#include "edc_tree.h"
#include "edc.h"

#include <stdlib.h>
#include <string.h>

static xmlNode *element_from(xmlNode *n)
{
    while (n && n->type != XML_ELEMENT_NODE)
        n = n->next;
    return n;
}

xmlNode *edc_first(const xmlNode *n) { return n ? element_from(n->children) : NULL; }
xmlNode *edc_next(const xmlNode *n) { return n ? element_from(n->next) : NULL; }

bool edc_ns_is(const xmlNode *n, const char *ns)
{
    return n->ns && n->ns->href && strcmp((const char *)n->ns->href, ns) == 0;
}

bool edc_is(const xmlNode *n, const char *ns, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0 &&
           edc_ns_is(n, ns);
}

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

/* ------------------------------------------------------------ idref check */

typedef struct ids {
    const char **v;
    size_t n, cap;
} ids;

static void collect(const xmlNode *n, ids *s)
{
    for (xmlNode *k = edc_first(n); k; k = edc_next(k)) {
        const xmlChar *id = edc_prop(k, "id");
        if (id && s->n == s->cap) {
            size_t cap = s->cap ? 2 * s->cap : 64;
            const char **v = realloc(s->v, cap * sizeof *v);
            if (!v)
                continue;
            s->v = v;
            s->cap = cap;
        }
        if (id)
            s->v[s->n++] = (const char *)id;
        collect(k, s);
    }
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int check(const xmlNode *n, const ids *s, const char *file, const cc_diag_sink *diag,
                 const char *record)
{
    int bad = 0;
    for (xmlNode *k = edc_first(n); k; k = edc_next(k)) {
        const char *ref = (const char *)edc_prop(k, "idref");
        if (ref && !bsearch(&ref, s->v, s->n, sizeof *s->v, cmp)) {
            cc_diagf(diag, CC_ERROR, file, xmlGetLineNo(k), 0, record, "edc-idref",
                     "<%s idref=\"%s\">: no element of this credential has id '%s'",
                     (const char *)k->name, ref, ref);
            bad++;
        }
        bad += check(k, s, file, diag, record);
    }
    return bad;
}

int edc_check_idrefs(xmlNode *root, const char *file, const cc_diag_sink *diag,
                     const char *record)
{
    ids s = {0};
    collect(root, &s);
    if (s.n)
        qsort(s.v, s.n, sizeof *s.v, cmp);
    int bad = check(root, &s, file, diag, record);
    free(s.v);
    return bad ? -1 : 0;
}
