/* Format "case": 1EdTech CASE (Competencies and Academic Standards Exchange) CFPackage
 * JSON, one package per document.  This file holds the descriptor and what the reader
 * and the writer share: the identifiers they derive, the item types, the class tables. */
#include "case/case.h"
#include "cc_issue.h"
#include "cc_jsonread.h"

#include <string.h>

/* cc_is_iso_date, for a value that may be absent */
static bool is_date(const char *s)
{
    return s && cc_is_iso_date(s);
}

#define N(a) (sizeof a / sizeof a[0])

/* ------------------------------------------------------------ item types */

static const struct {
    const char *kind, *type;
} kinds[] = {
    {.kind = "skills-block", .type = CASE_TYPE_BLOCK},
};

const char *cc_case_kind_to_type(const char *kind)
{
    for (size_t i = 0; kind && i < N(kinds); i++)
        if (strcmp(kind, kinds[i].kind) == 0)
            return kinds[i].type;
    return kind;
}

const char *cc_case_type_to_kind(cc_arena *a, const char *type)
{
    for (size_t i = 0; type && i < N(kinds); i++)
        if (strcmp(type, kinds[i].type) == 0)
            return kinds[i].kind;
    return cc_strdup(a, type);
}

/* ------------------------------------------------------------ identifiers */

bool cc_case_node_uuid(const char *id, const char *code, char out[37])
{
    char buf[64];
    if (id && cc_iri_problem(id, buf, sizeof buf) == NULL) {
        cc_uuid5_url(id, out);
        return true;
    }
    if (!code || !*code)
        return false;
    cc_arena *a = cc_arena_new();
    cc_uuid5_url(cc_sprintf(a, "urn:credconv:case:node:%s", code), out);
    cc_arena_free(a);
    return true;
}

void cc_case_outcome_uuid(const char *parent, const char *text, int repeat, char out[37])
{
    cc_arena *a = cc_arena_new();
    const char *name = repeat ? cc_sprintf(a, "urn:credconv:case:outcome:%s:%s:%d", parent, text, repeat)
                              : cc_sprintf(a, "urn:credconv:case:outcome:%s:%s", parent, text);
    cc_uuid5_url(name, out);
    cc_arena_free(a);
}

void cc_case_child_uuid(const char *child, const char *parent, char out[37])
{
    char name[128];
    snprintf(name, sizeof name, "urn:credconv:case:isChildOf:%s:%s", child, parent);
    cc_uuid5_url(name, out);
}

const char *cc_case_node_uri(cc_arena *a, const char *id, const char *identifier)
{
    char buf[64];
    if (id && cc_iri_problem(id, buf, sizeof buf) == NULL)
        return id;
    return cc_sprintf(a, "urn:uuid:%s", identifier);
}

char *cc_case_outcome_code(cc_arena *a, const char *parent, int n)
{
    return cc_sprintf(a, "%s.%d", parent ? parent : "", n);
}

/* ------------------------------------------------------------ classes */

typedef struct case_prop {
    const char *name;
    int version;
} case_prop;

static const case_prop document_props[] = {
    {.name = "identifier", .version = 10}, {.name = "uri", .version = 10}, {.name = "frameworkType", .version = 11}, {.name = "caseVersion", .version = 11},
    {.name = "creator", .version = 10}, {.name = "title", .version = 10}, {.name = "lastChangeDateTime", .version = 10}, {.name = "officialSourceURL", .version = 10},
    {.name = "publisher", .version = 10}, {.name = "description", .version = 10}, {.name = "subject", .version = 10}, {.name = "subjectURI", .version = 10},
    {.name = "language", .version = 10}, {.name = "version", .version = 10}, {.name = "adoptionStatus", .version = 10}, {.name = "statusStartDate", .version = 10},
    {.name = "statusEndDate", .version = 10}, {.name = "licenseURI", .version = 10}, {.name = "notes", .version = 10}, {.name = "extensions", .version = 11},
};
static const case_prop item_props[] = {
    {.name = "identifier", .version = 10}, {.name = "fullStatement", .version = 10}, {.name = "alternativeLabel", .version = 10}, {.name = "CFItemType", .version = 10},
    {.name = "uri", .version = 10}, {.name = "humanCodingScheme", .version = 10}, {.name = "listEnumeration", .version = 10},
    {.name = "abbreviatedStatement", .version = 10}, {.name = "conceptKeywords", .version = 10}, {.name = "conceptKeywordsURI", .version = 10},
    {.name = "notes", .version = 10}, {.name = "subject", .version = 11}, {.name = "subjectURI", .version = 11}, {.name = "language", .version = 10},
    {.name = "educationLevel", .version = 10}, {.name = "CFItemTypeURI", .version = 10}, {.name = "licenseURI", .version = 10},
    {.name = "statusStartDate", .version = 10}, {.name = "statusEndDate", .version = 10}, {.name = "lastChangeDateTime", .version = 10},
    {.name = "extensions", .version = 11},
};
static const case_prop association_props[] = {
    {.name = "identifier", .version = 10}, {.name = "associationType", .version = 10}, {.name = "sequenceNumber", .version = 10}, {.name = "uri", .version = 10},
    {.name = "originNodeURI", .version = 10}, {.name = "destinationNodeURI", .version = 10}, {.name = "CFAssociationGroupingURI", .version = 10},
    {.name = "lastChangeDateTime", .version = 10}, {.name = "notes", .version = 11}, {.name = "extensions", .version = 11},
};
static const case_prop package_props[] = {
    {.name = "CFDocument", .version = 10}, {.name = "CFItems", .version = 10}, {.name = "CFAssociations", .version = 10}, {.name = "CFDefinitions", .version = 10},
    {.name = "CFRubrics", .version = 10}, {.name = "extensions", .version = 11},
};

int cc_case_property(case_class c, const char *name)
{
    const case_prop *p = c == CASE_DOCUMENT ? document_props : c == CASE_ITEM ? item_props
                  : c == CASE_ASSOCIATION ? association_props : package_props;
    size_t n = c == CASE_DOCUMENT ? N(document_props) : c == CASE_ITEM ? N(item_props)
             : c == CASE_ASSOCIATION ? N(association_props) : N(package_props);
    for (size_t i = 0; i < n; i++)
        if (strcmp(p[i].name, name) == 0)
            return p[i].version;
    return 0;
}

/* ------------------------------------------------------------ dates */

const cc_ext *cc_case_ext_find(const cc_list *ext, const char *prop)
{
    for (const cc_ext *e = ext->head; e; e = e->next)
        if (strncmp(e->name, "case:", 5) == 0 && strcmp(e->name + 5, prop) == 0)
            return e;
    return NULL;
}

/* The dates of a fiche that record a change of it; the end of its registration and the
 * last date it may be awarded are dates to come, not changes. */
static const char *const change_dates[] = {
    "rncp:DATE_DE_PUBLICATION", "rncp:DATE_DECISION", "rncp:DATE_EFFET", "rncp:DATE_DERNIER_JO",
};

const char *cc_case_last_change(cc_arena *a, const cc_achievement *a0)
{
    const cc_ext *kept = cc_case_ext_find(&a0->ext, "lastChangeDateTime");
    json_t *j = kept ? cc_json_loads(kept->value, JSON_DECODE_ANY, NULL) : NULL;
    if (json_is_string(j)) {
        const char *s = cc_strdup(a, json_string_value(j));
        json_decref(j);
        return s;
    }
    json_decref(j);
    const char *best = NULL;
    for (const cc_ext *e = a0->ext.head; e; e = e->next)
        for (size_t i = 0; i < N(change_dates); i++)
            if (strcmp(e->name, change_dates[i]) == 0 && is_date(e->value) &&
                (!best || strcmp(e->value, best) > 0))
                best = e->value;
    if (best)
        return cc_sprintf(a, "%sT00:00:00Z", best);
    char now[21];
    cc_now(now);
    return cc_strdup(a, now);
}

/* ------------------------------------------------------------ descriptor */

static int case_bid(const unsigned char *buf, size_t len)
{
    size_t i = 0;
    while (i < len && strchr(" \t\r\n[", buf[i]))
        i++;
    if (i >= len || buf[i] != '{')
        return 0;
#define HAS(s) (memmem(buf, len, s, sizeof s - 1) != NULL)
    if (HAS("credconv-model/1"))
        return 0;
    if (HAS("\"CFDocument\""))
        return HAS("\"CFItems\"") || HAS("\"CFAssociations\"") ? 95 : 85;
#undef HAS
    return 0;
}

const cc_format cc_format_case = {
    .name = "case",
    .description = "1EdTech CASE 1.1 CFPackage JSON (competency framework): a fiche, its "
                   "blocks and their learning outcomes",
    .extension = "json",
    .caps = CC_CAP_READ | CC_CAP_WRITE | CC_CAP_VALIDATE,
    .bid = case_bid,
    .read = cc_case_read,
    .writer_open = cc_case_writer_open,
    .writer_record = cc_case_writer_record,
    .writer_close = cc_case_writer_close,
};
