/* EDC 1.x: one europassCredential element (a libxml2 tree) -> one model credential.
 *
 * What the model holds is mapped to typed fields: issuer and awarding bodies (cc_org),
 * the specification the first top-level achievement is `specifiedBy` with its `hasPart`
 * tree (cc_achievement), outcomes, subject, dates, grades.  Everything else is kept as-is
 * in the extension bag as "edc:<element>" subtrees (attributes as "@name" children), so
 * the writer can put it back in place and edc -> model -> edc keeps it.
 *
 * Two kinds of element names per object (tables below):
 *   typed-only: read into the model, never kept raw (the writer writes them from the model);
 *   everything else: kept raw.  Some raw elements also give a typed field (contactPoint ->
 *   email, hasLocation -> country, first identifier -> code); the writer then writes the
 *   raw element, not the typed field ("the extension wins"), see docs/mapping.md. */
#include "edc.h"
#include "edc_tree.h"

#include <stdarg.h>
#include <string.h>

#define MAX_PARTS_DEPTH 32
/* The most nodes (specifications, their child elements and outcomes) the hasPart tree of
 * one record may expand to.  A specification listed as a part by several others is mapped
 * once and shared, but the tree the writers walk has it once per path: a DAG of depth 20
 * that lists each next level twice is 2^20 paths in 4 KB (issue 11).  docs/security.md. */
#define MAX_EXPANDED_NODES 200000L

static const char MARK_TYPED = 'T';

/* A specification element's mapping, kept in its _private: mapped once, shared after. */
typedef struct spec_memo {
    cc_achievement *a;            /* NULL while its parts are being mapped (a cycle) */
    long size;                    /* nodes of its expanded tree */
} spec_memo;

typedef struct map {
    const char *file;
    const cc_diag_sink *diag;
    cc_record *rec;
    cc_arena *a;
    xmlNode *root, *subject;
    xmlNode *specs, *outcomes, *agents, *processes, *assessments;
    edc_index ix;                 /* every element by @id */
    long expanded;                /* nodes of the specification tree so far */
    bool too_big;                 /* past MAX_EXPANDED_NODES: reported once */
    int errors;
} map;

/* ------------------------------------------------------------ small helpers */

static bool in_list(const char *const *names, const char *name)
{
    for (; *names; names++)
        if (!strcmp(*names, name))
            return true;
    return false;
}

__attribute__((format(printf, 4, 5))) static void error_at(map *m, xmlNode *n, const char *rule,
                                                        const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cc_vdiag(m->diag, CC_ERROR, m->file, xmlGetLineNo(n), 0, NULL, m->rec->credential->id, rule, fmt, ap);
    va_end(ap);
    m->errors++;
}

__attribute__((format(printf, 5, 6))) static void note_at(map *m, xmlNode *n, cc_severity sev,
                                                       const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cc_vdiag(m->diag, sev, m->file, xmlGetLineNo(n), 0, NULL, m->rec->credential->id, rule, fmt, ap);
    va_end(ap);
}

static const char *attr(map *m, xmlNode *n, const char *name)
{
    const xmlChar *v = edc_prop(n, name);
    return v ? cc_strdup(m->a, (const char *)v) : NULL;
}

/* Only text the seal covers: never inside a ds:Signature, a comment or a PI. */
static const char *content(map *m, xmlNode *n)
{
    return edc_text(m->a, n);
}

/* TextType / NoteType: every `text` child, one cc_text per language. */
static void texts(map *m, xmlNode *n, cc_list *out)
{
    for (xmlNode *t = edc_first(n); t; t = edc_next(t))
        if (edc_is(t, EDC_NS, "text"))
            cc_text_add(m->a, out, attr(m, t, "lang"), content(m, t));
}

/* The last segment of a concept URI: ".../eqf/6" -> "6", "...#x" -> "x". */
static const char *last_segment(const char *uri)
{
    const char *s = strrchr(uri, '/'), *h = strrchr(uri, '#');
    if (h > s)
        s = h;
    return s && s[1] ? s + 1 : uri;
}

/* A code element (@uri, @targetFrameworkUrl, targetName) as a cc_code. */
static cc_code *code_of(map *m, xmlNode *n)
{
    const char *uri = attr(m, n, "uri"), *fw = attr(m, n, "targetFrameworkUrl");
    const edc_framework *f = cc_edc_framework_by_url(fw);
    cc_code *c = cc_code_new(m->a, f ? f->scheme : fw, NULL, NULL, NULL);
    c->uri = uri;
    if (uri)
        c->code = f && !strncmp(uri, f->base, strlen(f->base)) && uri[strlen(f->base)]
                      ? uri + strlen(f->base)
                      : last_segment(uri);
    for (xmlNode *k = edc_first(n); k; k = edc_next(k))
        if (edc_is(k, EDC_NS, "targetName"))
            texts(m, k, &c->label);
    return c;
}

/* Keeps an element as an extension entry: "@attr" children first, then elements; a leaf
 * keeps its text.  Elements of other namespaces (a signature) are not kept. */
static cc_ext *capture(map *m, cc_list *l, xmlNode *n, const char *name)
{
    cc_ext *e = cc_ext_add(m->a, l, cc_strdup(m->a, name), NULL);  /* the tree is freed */
    for (xmlAttr *at = n->properties; at; at = at->next) {
        if (at->ns)
            continue;  /* xsi:…, cred:id: not part of an EDC element's content */
        xmlChar *v = xmlNodeListGetString(n->doc, at->children, 1);
        cc_ext_add(m->a, &e->children, cc_sprintf(m->a, "@%s", at->name),
                   cc_strdup(m->a, v ? (const char *)v : ""));
        xmlFree(v);
    }
    bool elements = false;
    for (xmlNode *k = edc_first(n); k; k = edc_next(k)) {
        elements = true;
        if (edc_ns_is(k, EDC_NS))
            capture(m, &e->children, k, (const char *)k->name);
        else
            note_at(m, k, CC_NOTE, "loss", "loss: <%s> of another namespace not kept",
                    (const char *)k->name);
    }
    if (!elements)
        e->value = content(m, n);
    return e;
}

static cc_ext *keep(map *m, cc_list *l, xmlNode *n)
{
    return capture(m, l, n, cc_sprintf(m->a, "edc:%s", n->name));
}

/* The entry of a reference section whose @id is `id`: through the index, then it must be
 * an entry of that section. */
static xmlNode *lookup(map *m, xmlNode *section, const char *id)
{
    const xmlNode *k = edc_index_get(&m->ix, id);
    return k && section && k->parent == section ? (xmlNode *)k : NULL;
}

static xmlNode *deref(map *m, xmlNode *section, xmlNode *ref)
{
    const xmlChar *id = edc_prop(ref, "idref");
    xmlNode *t = id ? lookup(m, section, (const char *)id) : NULL;
    if (id && !t)  /* the id exists (checked before), but in another section */
        error_at(m, ref, "edc-idref-kind", "idref '%s' points to an element of the wrong kind",
                 (const char *)id);
    return t;
}

/* ------------------------------------------------------------ organisations */

static const char *const org_typed_only[] = {"identifier", "registration", "prefLabel", NULL};

static const char *mailbox(map *m, xmlNode *contact)
{
    for (xmlNode *k = edc_first(contact); k; k = edc_next(k)) {
        const xmlChar *uri = edc_is(k, EDC_NS, "mailBox") ? edc_prop(k, "uri") : NULL;
        if (uri)
            return cc_strdup(m->a, (const char *)uri + (strncmp((const char *)uri, "mailto:", 7)
                                                            ? 0 : 7));
    }
    return NULL;
}

static const char *country_of(map *m, xmlNode *location)
{
    for (xmlNode *ad = edc_first(location); ad; ad = edc_next(ad)) {
        xmlNode *c = edc_is(ad, EDC_NS, "hasAddress") ? edc_child(ad, "country") : NULL;
        const xmlChar *uri = c ? edc_prop(c, "uri") : NULL;
        char a2[3];
        if (uri && cc_edc_country_a2(last_segment((const char *)uri), a2))
            return cc_strdup(m->a, a2);
    }
    return NULL;
}

static cc_code *identifier(map *m, xmlNode *n, const char *default_scheme)
{
    const char *scheme = attr(m, n, "schemeID");
    return cc_code_new(m->a, scheme ? scheme : default_scheme, content(m, n), NULL, NULL);
}

static cc_org *map_org(map *m, xmlNode *n, const char *role)
{
    cc_org *o = cc_org_new(m->a);
    cc_list others = {0};
    n->_private = (void *)&MARK_TYPED;
    o->id = attr(m, n, "id");
    o->role = role;
    for (xmlNode *k = edc_first(n); k; k = edc_next(k)) {
        const char *name = (const char *)k->name;
        if (!strcmp(name, "registration"))  /* first: the writer's `registration` */
            cc_list_append(&o->identifiers, identifier(m, k, "registration"));
        else if (!strcmp(name, "identifier"))
            cc_list_append(&others, identifier(m, k, "identifier"));
        else if (!strcmp(name, "prefLabel"))
            texts(m, k, &o->name);
        else if (!strcmp(name, "homepage") && !o->url)
            o->url = attr(m, k, "uri");
        else if (!strcmp(name, "contactPoint") && !o->email)
            o->email = mailbox(m, k);
        else if (!strcmp(name, "hasLocation") && !o->country)
            o->country = country_of(m, k);
        if (!in_list(org_typed_only, name))
            keep(m, &o->ext, k);
    }
    for (cc_code *c = others.head, *next; c; c = next) {
        next = c->next;
        c->next = NULL;
        cc_list_append(&o->identifiers, c);
    }
    return o;
}

/* The organisation an idref names, mapped once: the same id gives the same org. */
static cc_org *org_ref(map *m, xmlNode *ref, const char *role)
{
    xmlNode *n = deref(m, m->agents, ref);
    return n ? map_org(m, n, role) : NULL;
}

static void add_org(cc_list *l, cc_org *o)
{
    if (o)
        cc_list_append(l, o);
}

/* ------------------------------------------------------------ specifications */

static const char *const spec_typed_only[] = {
    "title", "description", "hasISCED-FCode", "volumeOfLearning", "hasECTSCreditPoints",
    "entryRequirementsNote", "learningOutcomes", "hasPart", "isPartialQualification",
    "eqfLevel", NULL,
};

static void map_outcome(map *m, xmlNode *ref, cc_list *out)
{
    xmlNode *n = deref(m, m->outcomes, ref);
    if (!n)
        return;
    n->_private = (void *)&MARK_TYPED;
    cc_outcome *o = cc_alloc(m->a, sizeof *o);
    o->id = attr(m, n, "id");
    for (xmlNode *k = edc_first(n); k; k = edc_next(k)) {
        if (edc_is(k, EDC_NS, "prefLabel"))
            texts(m, k, &o->text);
        else if (!o->uri && (edc_is(k, EDC_NS, "relatedEscoSkill") ||
                             edc_is(k, EDC_NS, "relatedSkill")))
            o->uri = attr(m, k, "uri");
    }
    cc_list_append(out, o);
}

/* assessmentSpecification -> the achievement's assessment text (its description). */
static void map_assessment(map *m, xmlNode *ref, cc_achievement *s)
{
    xmlNode *n = deref(m, m->assessments, ref);
    xmlNode *d = n ? edc_child(n, "description") : NULL;
    if (d && !s->assessment.n)
        texts(m, d, &s->assessment);
}

static int eqf_of(map *m, xmlNode *n)
{
    const char *uri = attr(m, n, "uri");
    const char *seg = uri ? last_segment(uri) : "";
    if (seg[0] >= '1' && seg[0] <= '8' && !seg[1])
        return seg[0] - '0';
    note_at(m, n, CC_WARNING, "edc-eqf", "eqfLevel '%s' is not an EQF level 1-8: ignored",
            uri ? uri : "");
    return 0;
}

/* Counts size more nodes of the expanded tree; false (reported once) past the bound. */
static bool expand(map *m, xmlNode *n, long size)
{
    m->expanded += size;
    if (m->expanded <= MAX_EXPANDED_NODES)
        return true;
    if (!m->too_big)
        error_at(m, n, "edc-parts-limit",
                 "the hasPart tree expands to more than %s nodes (specifications listed as parts "
                 "along many paths): the credential is refused",
                 cc_sprintf(m->a, "%ld", MAX_EXPANDED_NODES));
    m->too_big = true;
    return false;
}

/* A specification met again: the same mapping, in a struct of its own (its own `next` and
 * part_of); its lists are shared, nobody changes them after mapping. */
static cc_achievement *map_spec_again(map *m, xmlNode *n, const spec_memo *memo)
{
    if (!expand(m, n, memo->size))
        return NULL;
    cc_achievement *s = cc_alloc(m->a, sizeof *s);
    *s = *memo->a;
    s->next = NULL;
    return s;
}

static long child_elements(const xmlNode *n)
{
    long c = 0;
    for (xmlNode *k = edc_first(n); k; k = edc_next(k))
        c++;
    return c;
}

static cc_achievement *map_spec(map *m, xmlNode *n, int depth);

static void spec_child(map *m, cc_achievement *s, xmlNode *k, int depth)
{
    const char *name = (const char *)k->name;
    if (!strcmp(name, "identifier") && !s->code) s->code = content(m, k);
    else if (!strcmp(name, "type") && !s->type) s->type = code_of(m, k);
    else if (!strcmp(name, "title")) texts(m, k, &s->title);
    else if (!strcmp(name, "description")) texts(m, k, &s->description);
    else if (!strcmp(name, "entryRequirementsNote")) texts(m, k, &s->entry_requirements);
    else if (!strcmp(name, "homepage") && !s->homepage) s->homepage = attr(m, k, "uri");
    else if (!strcmp(name, "hasISCED-FCode")) cc_list_append(&s->alignments, code_of(m, k));
    else if (!strcmp(name, "volumeOfLearning")) s->volume = content(m, k);
    else if (!strcmp(name, "hasECTSCreditPoints")) s->credits = content(m, k);
    else if (!strcmp(name, "eqfLevel")) s->eqf_level = eqf_of(m, k);
    else if (!strcmp(name, "nqfLevel") && !s->nqf_level) s->nqf_level = code_of(m, k);
    else if (!strcmp(name, "assessmentSpecification")) map_assessment(m, k, s);
    else if (!strcmp(name, "isPartialQualification")) {
        const char *v = content(m, k);
        if (!strcmp(v, "true") || !strcmp(v, "1"))
            s->kind = "skills-block";
    } else if (!strcmp(name, "learningOutcomes")) {
        for (xmlNode *o = expand(m, k, child_elements(k)) ? edc_first(k) : NULL; o;
             o = edc_next(o))
            map_outcome(m, o, &s->outcomes);
    } else if (!strcmp(name, "hasPart")) {
        xmlNode *p = deref(m, m->specs, k);
        cc_achievement *part = p ? map_spec(m, p, depth + 1) : NULL;
        if (part)
            cc_list_append(&s->parts, part);
    }
    if (!in_list(spec_typed_only, name))
        keep(m, &s->ext, k);
}

static cc_achievement *map_spec(map *m, xmlNode *n, int depth)
{
    spec_memo *memo = n->_private;
    if (m->too_big)
        return NULL;
    if ((memo && !memo->a) || depth > MAX_PARTS_DEPTH) {
        error_at(m, n, "edc-cycle", "specification '%s' is part of itself (hasPart cycle)",
                 (const char *)edc_prop(n, "id"));
        return NULL;
    }
    if (memo)
        return map_spec_again(m, n, memo);
    long before = m->expanded;
    if (!expand(m, n, 1 + child_elements(n)))
        return NULL;
    n->_private = memo = cc_alloc(m->a, sizeof *memo);
    cc_achievement *s = cc_achievement_new(m->a);
    s->id = attr(m, n, "id");
    s->kind = edc_is(n, EDC_NS, "qualification") ? "qualification" : "learning-specification";
    for (xmlNode *k = edc_first(n); k; k = edc_next(k))
        spec_child(m, s, k, depth);
    for (cc_achievement *p = s->parts.head; p; p = p->next)
        p->part_of = s->code;
    memo->a = s;
    memo->size = m->expanded - before;
    return s;
}

/* The code of a specification that has `s` as a part, if the document has one. */
static const char *parent_code(map *m, const cc_achievement *s)
{
    for (xmlNode *q = edc_first(m->specs); q && s->id; q = edc_next(q)) {
        for (xmlNode *k = edc_first(q); k; k = edc_next(k)) {
            const xmlChar *ref = edc_is(k, EDC_NS, "hasPart") ? edc_prop(k, "idref") : NULL;
            xmlNode *id = ref && !strcmp((const char *)ref, s->id) ? edc_child(q, "identifier")
                                                                   : NULL;
            if (id)
                return content(m, id);
        }
    }
    return NULL;
}

/* ------------------------------------------------------------ the awarded achievement */

/* The first top-level achievement gives the model's achievement (its specification),
 * results (grades), awarded date and awarding bodies.  The achievements themselves stay in
 * the extension bag ("edc:credentialSubject/achievements"), so the others are not lost either. */
static void map_award(map *m, xmlNode *achievements)
{
    cc_credential *c = m->rec->credential;
    xmlNode *first = edc_first(achievements);
    int n = 0;
    for (xmlNode *k = first; k; k = edc_next(k))
        n++;
    if (!first)
        return;
    if (n > 1)
        note_at(m, first, CC_WARNING, "edc-many-achievements",
                "%s top-level achievements: the model's achievement is the first; the others "
                "are kept only in the edc extension", cc_sprintf(m->a, "%d", n));
    xmlNode *spec_ref = edc_child(first, "specifiedBy");  /* first: the others hang on it */
    xmlNode *spec = spec_ref ? deref(m, m->specs, spec_ref) : NULL;
    c->achievement = spec ? map_spec(m, spec, 0) : NULL;
    for (xmlNode *k = edc_first(first); k; k = edc_next(k)) {
        if (edc_is(k, EDC_NS, "wasDerivedFrom")) {
            xmlNode *g = edc_child(k, "grade");
            if (g)
                cc_text_add(m->a, &c->results, NULL, content(m, g));
        } else if (edc_is(k, EDC_NS, "wasAwardedBy")) {
            xmlNode *p = deref(m, m->processes, k);
            for (xmlNode *q = p ? edc_first(p) : NULL; q; q = edc_next(q)) {
                if (edc_is(q, EDC_NS, "date"))
                    c->awarded = content(m, q);
                else if (edc_is(q, EDC_NS, "awardingBody") && c->achievement)
                    add_org(&c->achievement->orgs, org_ref(m, q, "awarding-body"));
            }
        }
    }
    if (c->achievement && !c->achievement->part_of && c->achievement->kind &&
        !strcmp(c->achievement->kind, "skills-block"))
        c->achievement->part_of = parent_code(m, c->achievement);
}

/* ------------------------------------------------------------ subject */

static const char *const subject_typed_only[] = {
    "identifier", "fullName", "givenNames", "familyName", "dateOfBirth", NULL,
};

static const char *first_text(map *m, xmlNode *n)
{
    xmlNode *t = edc_child(n, "text");
    return t ? content(m, t) : NULL;
}

static void map_subject(map *m, xmlNode *n)
{
    cc_credential *c = m->rec->credential;
    cc_person *p = c->subject = cc_alloc(m->a, sizeof *p);
    p->id = attr(m, n, "id");
    for (xmlNode *k = edc_first(n); k; k = edc_next(k)) {
        const char *name = (const char *)k->name;
        if (!strcmp(name, "identifier")) {
            cc_identity *id = cc_alloc(m->a, sizeof *id);
            id->type = attr(m, k, "schemeID");
            id->value = content(m, k);
            cc_list_append(&p->identifiers, id);
        } else if (!strcmp(name, "givenNames")) p->given_name = first_text(m, k);
        else if (!strcmp(name, "familyName")) p->family_name = first_text(m, k);
        else if (!strcmp(name, "fullName")) p->full_name = first_text(m, k);
        else if (!strcmp(name, "dateOfBirth")) p->birth_date = content(m, k);
        else if (!strcmp(name, "contactPoint") && !p->email) p->email = mailbox(m, k);
        else if (!strcmp(name, "achievements")) map_award(m, k);
        if (!in_list(subject_typed_only, name))
            capture(m, &c->ext, k, cc_sprintf(m->a, SUBJECT_PREFIX "%s", name));
    }
}

/* ------------------------------------------------------------ the credential */

/* Root children read into the model; the rest is kept raw in document (= schema) order. */
static void root_typed(map *m, xmlNode *k)
{
    cc_credential *c = m->rec->credential;
    const char *name = (const char *)k->name;
    if (edc_ns_is(k, EDC_CRED_NS)) {
        if (!strcmp(name, "validFrom")) c->valid_from = content(m, k);
        else if (!strcmp(name, "issued")) c->issued = content(m, k);
        else if (!strcmp(name, "validUntil")) c->valid_until = content(m, k);
        else if (!strcmp(name, "issuer") && !c->issuer) c->issuer = org_ref(m, k, "issuer");
        else if (!strcmp(name, "issuer"))
            note_at(m, k, CC_WARNING, "edc-issuer", "a second cred:issuer is ignored%s", "");
        return;
    }
    if (!strcmp(name, "title")) texts(m, k, &c->name);
    else if (!strcmp(name, "description")) texts(m, k, &c->description);
    else if (!strcmp(name, "credentialSubject")) map_subject(m, k);
}

static void find_sections(map *m)
{
    for (xmlNode *k = edc_first(m->root); k; k = edc_next(k)) {
        const char *name = (const char *)k->name;
        if (!strcmp(name, "learningSpecificationReferences")) m->specs = k;
        else if (!strcmp(name, "learningOutcomeReferences")) m->outcomes = k;
        else if (!strcmp(name, "agentReferences")) m->agents = k;
        else if (!strcmp(name, "awardingProcessReferences")) m->processes = k;
        else if (!strcmp(name, "assessmentSpecificationReferences")) m->assessments = k;
    }
}

/* The root children the model holds no field for: entries of reference sections one by one
 * (skipping those mapped to typed objects), other elements whole.  The proof is dropped:
 * a seal does not survive a conversion. */
static void keep_rest(map *m)
{
    static const char *const derived[] = {"primaryLanguage", "availableLanguages", "title",
                                          "description", "credentialSubject", NULL};
    for (xmlNode *k = edc_first(m->root); k; k = edc_next(k)) {
        const char *name = (const char *)k->name;
        if (edc_ns_is(k, EDC_CRED_NS) || in_list(derived, name))
            continue;
        if (!strcmp(name, "proof")) {
            if (edc_first(k))
                note_at(m, k, CC_NOTE, "loss", "loss: the seal (proof) is not kept%s", "");
        } else if (strstr(name, "References")) {
            for (xmlNode *e = edc_first(k); e; e = edc_next(e))
                if (!e->_private)  /* not mapped to a typed object */
                    keep(m, &m->rec->credential->ext, e);
        } else {
            keep(m, &m->rec->credential->ext, k);
        }
    }
}

cc_record *cc_edc_map(xmlNode *root, const char *file, const cc_diag_sink *diag)
{
    map m = {.file = file, .diag = diag, .root = root};
    m.rec = cc_record_new(CC_REC_CREDENTIAL);
    m.a = m.rec->arena;
    m.rec->src_file = file;
    m.rec->src_line = xmlGetLineNo(root);
    m.rec->credential->id = cc_strdup(m.a, (const char *)edc_prop_ns(root, "id", EDC_CRED_NS));
    if (edc_index_build(&m.ix, root, file, diag, m.rec->credential->id) != 0 ||
        edc_check_idrefs(root, &m.ix, file, diag, m.rec->credential->id) != 0) {
        edc_index_free(&m.ix);
        cc_record_free(m.rec);
        return NULL;
    }
    find_sections(&m);
    for (xmlNode *k = edc_first(root); k; k = edc_next(k))
        root_typed(&m, k);
    keep_rest(&m);
    edc_index_free(&m.ix);
    if (m.errors) {
        cc_record_free(m.rec);
        return NULL;
    }
    return m.rec;
}
