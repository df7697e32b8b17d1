/* Open Badges 3.0 writer: an achievement record becomes an Achievement document, followed
 * by one document per part (an RNCP fiche's skills blocks); a credential record becomes an
 * OpenBadgeCredential.  One JSON document per line.
 *
 * The write shape passes both generations of the official schema (docs/references.md ob §3.4): the
 * required @context order, arrays for every multi-valued property, plain strings, the
 * issuer embedded as a Profile.  Properties kept in the extension bag ("ob3:<name>") are
 * written back where they were; the other formats' entries are reported as lost.
 * A record is written to memory first, so a rejected record leaves nothing behind. */
#include "cc_loss.h"
#include "cc_jsonread.h"
#include "cc_issue.h"
#include "cc_writecheck.h"
#include "jsonschema.h"
#include "ob3.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct ob3w {
    FILE *out;
    const cc_diag_sink *diag;
    cc_arena *scratch;  /* derived strings of the record being written */
    cc_wcheck_ref check;  /* each document checked before it is written */
    bool one_doc;         /* the output holds this record only (-O): one JSON document */
    cc_jwbuf text;        /* the record's rendering, emptied per record (one fwrite each) */
    void **doc_out;       /* cc_write_ctx.doc_out: where the checked tree of a one-line record goes */
} ob3w;

typedef struct wr {
    cc_jw jw;
    cc_arena *a;
    const cc_diag_sink *diag;
    const char *rec;     /* id of the document being written, for diagnostics */
    const char *lang;    /* language of the achievement being written */
    const char *reject;  /* why the record cannot be written (the first reason) */
    bool quiet;          /* writing what a parent has: its losses are reported with it */
    bool upgrade;        /* an OB 2.0 assertion becoming OB 3.0 (docs/references.md ob §5) */
} wr;

static void loss(wr *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A model field the output cannot carry: a note for --report. */
static void loss(wr *w, const char *fmt, ...)
{
    if (w->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    cc_vloss(w->diag, w->rec, "ob3", fmt, ap);
    va_end(ap);
}

static bool in(const char *s, const char *const *l)
{
    for (; *l; l++)
        if (strcmp(s, *l) == 0)
            return true;
    return false;
}

/* ------------------------------------------------------------ values */

/* One plain string (docs/references.md ob §3.4): the text in the achievement's language, else the
 * first; the other languages are lost. */
static const char *text(wr *w, const cc_list *l, const char *field)
{
    const cc_text *pick = l->head;
    for (const cc_text *t = l->head; t && w->lang; t = t->next)
        if (t->lang && strcmp(t->lang, w->lang) == 0) {
            pick = t;
            break;
        }
    if (l->n > 1)
        loss(w, "%s in more than one language", field);
    return pick ? pick->value : NULL;
}

/* Writes the value of property `key` in the OB 3.0 write shape; takes the reference. */
static void raw(wr *w, const char *key, json_t *v)
{
    v = cc_ob3_shape(key, v);
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    cc_jw_raw(&w->jw, s ? s : "null");
    free(s);
    json_decref(v);
}

static json_t *kept(const cc_list *ext, const char *prop)
{
    const cc_ext *e = cc_ob3_ext_find(ext, prop);
    return e ? cc_ob3_ext_json(e) : NULL;
}

/* The members of a kept object that the writer has not written itself. */
static void members(wr *w, const json_t *rest, const char *const *skip)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)rest, k, v) {
        if (in(k, skip))
            continue;
        cc_jw_key(&w->jw, k);
        raw(w, k, json_incref(v));
    }
}

/* type: the kept value, else the default [t1] or [t1, t2]. */
static void type(wr *w, const json_t *keep, const char *t1, const char *t2)
{
    cc_jw_key(&w->jw, "type");
    if (keep) {
        raw(w, "type", json_deep_copy(keep));
        return;
    }
    cc_jw_arr(&w->jw);
    cc_jw_str(&w->jw, t1);
    if (t2)
        cc_jw_str(&w->jw, t2);
    cc_jw_arr_end(&w->jw);
}

/* The bag: "ob3:" entries the object's writer did not take go back as properties. */
static void rest(wr *w, const cc_list *ext, const char *const *taken, const char *field)
{
    for (const cc_ext *e = ext->head; e; e = e->next) {
        if (strncmp(e->name, "ob3:", 4) != 0) {
            loss(w, "%s.ext %s", field, e->name);
        } else if (!in(e->name + 4, taken)) {
            cc_jw_key(&w->jw, e->name + 4);
            raw(w, e->name + 4, cc_ob3_ext_json(e));
        }
    }
}

static void context(wr *w, const cc_list *ext)
{
    cc_jw_key(&w->jw, "@context");
    cc_jw_arr(&w->jw);
    cc_jw_str(&w->jw, OB3_CTX_VC2);
    cc_jw_str(&w->jw, OB3_CTX_OB);
    json_t *extra = kept(ext, "@context");
    size_t i;
    json_t *x;
    json_array_foreach(extra, i, x)
        raw(w, NULL, json_incref(x));
    json_decref(extra);
    cc_jw_arr_end(&w->jw);
}

/* DateTimeZ: a date alone gets midnight UTC, a date-time without a zone gets Z. */
static const char *datetime_z(wr *w, const char *s)
{
    if (!s)
        return NULL;
    if (cc_is_iso_date(s))
        return cc_sprintf(w->a, "%sT00:00:00Z", s);
    const char *t = strchr(s, 'T');
    if (!t || strpbrk(t, "Zz+-"))
        return s;
    return cc_sprintf(w->a, "%sZ", s);
}

/* ------------------------------------------------------------ Profile */

/* A Profile needs an id: the organisation's, else the public page of its SIRET. */
static const char *org_id(wr *w, const cc_org *o)
{
    if (o->id)
        return o->id;
    for (const cc_code *c = o->identifiers.head; c; c = c->next)
        if (c->scheme && strcmp(c->scheme, "siret") == 0 && c->code)
            return cc_sprintf(w->a, OB3_SIRET_URL "%s", c->code);
    return NULL;
}

static void org_identifiers(wr *w, const cc_org *o)
{
    if (!o->identifiers.n)
        return;
    cc_jw_key(&w->jw, "otherIdentifier");
    cc_jw_arr(&w->jw);
    for (const cc_code *c = o->identifiers.head; c; c = c->next) {
        /* an EDC scheme may hold spaces ("Type of institution"): the schema's ext: pattern
         * does not, so the identity-type mapping cleans it */
        const char *t = cc_ob3_identity_type(w->a, c->scheme);
        cc_jw_obj(&w->jw);
        cc_jw_kstr(&w->jw, "type", "IdentifierEntry");
        cc_jw_kstr(&w->jw, "identifier", c->code ? c->code : "");
        cc_jw_kstr(&w->jw, "identifierType", t);
        cc_jw_obj_end(&w->jw);
    }
    cc_jw_arr_end(&w->jw);
}

/* An Image: the model's IRI plus what was kept (caption). */
static void image(wr *w, const char *iri, const cc_list *ext)
{
    static const char *const skip[] = {"id", "type", NULL};
    json_t *keep = kept(ext, "image");
    if (iri || keep) {
        cc_jw_key(&w->jw, "image");
        cc_jw_obj(&w->jw);
        cc_jw_kstr(&w->jw, "id", iri);
        cc_jw_kstr(&w->jw, "type", "Image");
        members(w, keep, skip);
        cc_jw_obj_end(&w->jw);
    }
    json_decref(keep);
}

static void address(wr *w, const cc_org *o)
{
    static const char *const skip[] = {"type", "addressCountryCode", NULL};
    json_t *keep = kept(&o->ext, "address");
    if (o->country || keep) {
        cc_jw_key(&w->jw, "address");
        cc_jw_obj(&w->jw);
        type(w, json_object_get(keep, "type"), "Address", NULL);
        cc_jw_kstr(&w->jw, "addressCountryCode", o->country);
        members(w, keep, skip);
        cc_jw_obj_end(&w->jw);
    }
    json_decref(keep);
}

static void profile(wr *w, const char *key, const cc_org *o, const char *id)
{
    static const char *const taken[] = {"type", "address", "image", NULL};
    cc_jw_key(&w->jw, key);
    cc_jw_obj(&w->jw);
    cc_jw_kstr(&w->jw, "id", id);
    json_t *t = kept(&o->ext, "type");
    type(w, t, "Profile", NULL);
    json_decref(t);
    cc_jw_kstr(&w->jw, "name", text(w, &o->name, "organization.name"));
    cc_jw_kstr(&w->jw, "url", o->url);
    cc_jw_kstr(&w->jw, "email", o->email);
    org_identifiers(w, o);
    address(w, o);
    image(w, o->logo, &o->ext);
    rest(w, &o->ext, taken, "organization");
    cc_jw_obj_end(&w->jw);
}

/* ------------------------------------------------------------ Achievement */

/* The criteria an RNCP fiche or block states: its competences as a Markdown list, then
 * how they are assessed. */
static void put_str(cc_jwbuf *b, const char *s)
{
    if (s)
        cc_jwbuf_put(b, s, strlen(s));
}

static const char *derived_narrative(wr *w, const cc_achievement *a)
{
    cc_jwbuf b = {0};  /* not a memstream and fprintf per line: a tenth of the writer's cost */
    for (const cc_outcome *o = a->outcomes.head; o; o = o->next) {
        put_str(&b, o->level == 2 ? "  - " : "- ");
        put_str(&b, cc_text_get(&o->text, w->lang));
        put_str(&b, "\n");
    }
    if (!a->outcomes.n && a->outcomes_text.n) {
        put_str(&b, cc_text_get(&a->outcomes_text, w->lang));
        put_str(&b, "\n");
    }
    if (a->assessment.n) {
        put_str(&b, b.len > 0 ? "\n" : "");
        put_str(&b, cc_text_get(&a->assessment, w->lang));
        put_str(&b, "\n");
    }
    const char *s = b.len ? cc_strndup(w->a, b.data, b.len - 1) : NULL;  /* without the last \n */
    cc_jwbuf_free(&b);
    return s;
}

/* criteria is required: the model's criteria, else the derived narrative; its id is the
 * achievement's page. */
static void criteria(wr *w, const cc_achievement *a)
{
    static const char *const skip[] = {"id", "narrative", NULL};
    const char *narrative = text(w, &a->criteria, "achievement.criteria");
    if (narrative) {
        if (a->assessment.n)
            loss(w, "achievement.assessment");
        if (a->outcomes.n || a->outcomes_text.n)
            loss(w, "achievement.outcomes");
    } else {
        narrative = derived_narrative(w, a);
    }
    json_t *keep = kept(&a->ext, "criteria");
    if (!narrative && !a->homepage && !json_object_get(keep, "id")) {
        /* criteria is required and nothing says how it is earned: say what it is instead */
        narrative = text(w, &a->description, "achievement.description");
        if (!narrative)
            narrative = text(w, &a->title, "achievement.title");
        if (!narrative)
            cc_reject_reason(&w->reject, "no criteria (model achievement.criteria, assessment, outcomes, "
                      "homepage, description or title)");
        else
            cc_diagf(w->diag, CC_WARNING, NULL, 0, 0, w->rec, "ob3-criteria-derived",
                     "no criteria in the input: criteria.narrative is the achievement's %s",
                     a->description.n ? "description" : "name");
    }
    cc_jw_key(&w->jw, "criteria");
    cc_jw_obj(&w->jw);
    cc_jw_kstr(&w->jw, "id", a->homepage);
    cc_jw_kstr(&w->jw, "narrative", narrative);
    members(w, keep, skip);
    cc_jw_obj_end(&w->jw);
    json_decref(keep);
}

/* humanCode again as an identifier, for consumers that match on otherIdentifier. */
static void achievement_ids(wr *w, const cc_achievement *a)
{
    json_t *keep = kept(&a->ext, "otherIdentifier");
    if (!a->code && !keep)
        return;
    cc_jw_key(&w->jw, "otherIdentifier");
    cc_jw_arr(&w->jw);
    if (a->code) {
        cc_jw_obj(&w->jw);
        cc_jw_kstr(&w->jw, "type", "IdentifierEntry");
        cc_jw_kstr(&w->jw, "identifier", a->code);
        cc_jw_kstr(&w->jw, "identifierType", "identifier");
        cc_jw_obj_end(&w->jw);
    }
    size_t i;
    json_t *x;
    json_array_foreach(keep, i, x)
        raw(w, NULL, json_incref(x));
    cc_jw_arr_end(&w->jw);
    json_decref(keep);
}

typedef struct align {
    const char *framework, *code, *name, *url, *target_type;
} align;

static void alignment(wr *w, const align *al, const json_t *keep)
{
    static const char *const skip[] = {"type", "targetName", "targetUrl", "targetCode",
                                       "targetFramework", NULL};
    cc_jw_obj(&w->jw);
    type(w, json_object_get(keep, "type"), "Alignment", NULL);
    cc_jw_kstr(&w->jw, "targetName", al->name);
    cc_jw_kstr(&w->jw, "targetUrl", al->url);
    cc_jw_kstr(&w->jw, "targetCode", al->code);
    cc_jw_kstr(&w->jw, "targetFramework", al->framework);
    cc_jw_kstr(&w->jw, "targetType", al->target_type);
    members(w, keep, skip);
    cc_jw_obj_end(&w->jw);
}

/* A block points at its fiche with a CTDL credential alignment (docs/mapping.md). */
static bool part_of(wr *w, const cc_achievement *a, const cc_achievement *parent, align *al)
{
    const ob3_framework *f = cc_ob3_framework_by_scheme(
        strncmp(a->part_of, "RS", 2) == 0 ? "rs" : strncmp(a->part_of, "RNCP", 4) == 0 ? "rncp"
                                                                                      : NULL);
    if (!f) {
        loss(w, "achievement.partOf (%s is not an RNCP/RS code)", a->part_of);
        return false;
    }
    const char *title = parent && parent->code && strcmp(parent->code, a->part_of) == 0
                            ? cc_text_get(&parent->title, w->lang) : NULL;
    *al = (align){.framework = f->name, .code = a->part_of, .name = title ? title : a->part_of,
                  .url = cc_ob3_framework_url(w->a, f, a->part_of), .target_type = "ceterms:Credential"};
    return true;
}

static void alignments(wr *w, const cc_achievement *a, const cc_achievement *parent)
{
    int eqf = a->eqf_level ? a->eqf_level : parent ? parent->eqf_level : 0;
    if (!eqf && !a->part_of && !a->alignments.n)
        return;
    cc_jw_key(&w->jw, "alignment");
    cc_jw_arr(&w->jw);
    align al;
    if (eqf) {
        const char *n = cc_sprintf(w->a, "%d", eqf);
        al = (align){.framework = cc_ob3_framework_by_scheme("eqf")->name, .code = n,
                     .name = cc_sprintf(w->a, "EQF level %d", eqf), .url = cc_sprintf(w->a, OB3_EQF_URL "%d", eqf)};
        alignment(w, &al, NULL);
    }
    if (a->part_of && part_of(w, a, parent, &al))
        alignment(w, &al, NULL);
    json_t *keep = kept(&a->ext, "alignment");
    size_t i = 0;
    for (const cc_code *k = a->alignments.head; k; k = k->next, i++) {
        const ob3_framework *f = cc_ob3_framework_by_scheme(k->scheme);
        al = (align){.framework = f ? f->name : k->scheme, .code = k->code,
                     .name = text(w, &k->label, "achievement.alignments.label"),
                     .url = k->uri ? k->uri : cc_ob3_framework_url(w->a, f, k->code)};
        if (!al.name)
            al.name = k->code;
        if (al.name && al.url)
            alignment(w, &al, json_array_get(keep, i));
        else
            loss(w, "achievement.alignments (%s %s: no targetUrl or targetName)",
                 k->scheme ? k->scheme : "?", k->code ? k->code : "?");
    }
    json_decref(keep);
    cc_jw_arr_end(&w->jw);
}

/* OB 3.0 has one creator: the first awarding body (a block's are its fiche's). */
static void creator(wr *w, const cc_achievement *a, const cc_achievement *parent)
{
    const cc_list *orgs = !a->orgs.n && parent ? &parent->orgs : &a->orgs;
    const cc_org *pick = NULL;
    size_t others = 0;
    for (const cc_org *o = orgs->head; o; o = o->next) {
        bool eligible = !o->role || strcmp(o->role, "creator") == 0 ||
                        strcmp(o->role, "awarding-body") == 0;
        if (!pick && eligible)
            pick = o;
        else
            others++;
    }
    if (others && orgs == &a->orgs)
        loss(w, "achievement.organizations (%zu besides the creator)", others);
    const char *id = pick ? org_id(w, pick) : NULL;
    if (pick && !id)
        loss(w, "achievement.organizations (the creator has no id and no SIRET)");
    bool saved = w->quiet;
    w->quiet = orgs != &a->orgs;
    if (id)
        profile(w, "creator", pick, id);
    w->quiet = saved;
}

static void credits(wr *w, const char *s)
{
    json_t *n = s ? cc_json_loads(s, JSON_DECODE_ANY, NULL) : NULL;
    if (json_is_number(n)) {
        cc_jw_key(&w->jw, "creditsAvailable");
        raw(w, NULL, n);
        return;
    }
    json_decref(n);
    if (s)
        loss(w, "achievement.credits (not a number: %.40s)", s);
}

static void achievement_losses(wr *w, const cc_achievement *a)
{
    static const struct {
        const char *field;
        size_t off;
    } lists[] = {
        {.field = "entryRequirements", .off = offsetof(cc_achievement, entry_requirements)},
        {.field = "predecessors", .off = offsetof(cc_achievement, predecessors)},
        {.field = "successors", .off = offsetof(cc_achievement, successors)},
    };
    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++)
        if (((const cc_list *)((const char *)a + lists[i].off))->n)
            loss(w, "achievement.%s", lists[i].field);
    if (a->type)
        loss(w, "achievement.type");
    if (a->nqf_level)
        loss(w, "achievement.nqfLevel");
    if (a->volume)
        loss(w, "achievement.volume");
    if (a->valid_until)
        loss(w, "achievement.validUntil");
    if (a->active >= 0)
        loss(w, "achievement.active");
}

/* ------------------------------------------------------------ OB 2.0 → 3.0 */

/* A credential read from OB 2.0 carries "ob2:" extension entries (its verification at
 * least): writing it as OB 3.0 is the upgrade the migration guide describes. */
static bool from_ob2(const cc_list *ext)
{
    for (const cc_ext *e = ext->head; e; e = e->next)
        if (strncmp(e->name, "ob2:", 4) == 0)
            return true;
    return false;
}

/* The BadgeClass URL gives a name-based UUID, so every credential of one badge names the
 * same Achievement. */
static const char *upgraded_id(wr *w, const char *ob2_id)
{
    char u[37];
    cc_uuid5_url(ob2_id, u);
    return cc_sprintf(w->a, "urn:uuid:%s", u);
}

static void related_badgeclass(wr *w, const char *badgeclass)
{
    cc_jw_key(&w->jw, "related");
    cc_jw_arr(&w->jw);
    cc_jw_obj(&w->jw);
    cc_jw_kstr(&w->jw, "id", badgeclass);
    cc_jw_key(&w->jw, "type");
    cc_jw_arr(&w->jw);
    cc_jw_str(&w->jw, "Related");
    cc_jw_str(&w->jw, "https://w3id.org/openbadges#BadgeClass");
    cc_jw_arr_end(&w->jw);
    cc_jw_kstr(&w->jw, "version", "Open Badges v2p0");
    cc_jw_obj_end(&w->jw);
    cc_jw_arr_end(&w->jw);
}

/* The original hosted assertion, linked as evidence of the upgraded credential. */
static void assertion_evidence(wr *w, const cc_credential *k)
{
    cc_jw_obj(&w->jw);
    cc_jw_kstr(&w->jw, "id", k->id);
    cc_jw_key(&w->jw, "type");
    cc_jw_arr(&w->jw);
    cc_jw_str(&w->jw, "Evidence");
    cc_jw_str(&w->jw, "https://w3id.org/openbadges#Assertion");
    cc_jw_arr_end(&w->jw);
    cc_jw_kstr(&w->jw, "name", "Open Badges 2.0 assertion");
    cc_jw_obj_end(&w->jw);
}

static void achievement(wr *w, const cc_achievement *a, const cc_achievement *parent, bool doc)
{
    static const char *const taken[] = {"@context", "type", "criteria", "otherIdentifier",
                                        "alignment", "image", NULL};
    const char *saved = w->lang;
    w->lang = a->language;
    cc_jw_obj(&w->jw);
    if (doc)
        context(w, &a->ext);
    if (!a->id)
        cc_reject_reason(&w->reject, "the achievement has no id (model achievement.id)");
    cc_jw_kstr(&w->jw, "id", w->upgrade && a->id ? upgraded_id(w, a->id) : a->id);
    json_t *t = kept(&a->ext, "type");
    type(w, t, "Achievement", NULL);
    json_decref(t);
    const char *name = text(w, &a->title, "achievement.title");
    if (!name)
        cc_reject_reason(&w->reject, "the achievement has no name (model achievement.title)");
    cc_jw_kstr(&w->jw, "name", name);
    const char *description = text(w, &a->description, "achievement.description");
    cc_jw_kstr(&w->jw, "description", description ? description : name);  /* required */
    criteria(w, a);
    if (a->kind)
        cc_jw_kstr(&w->jw, "achievementType", cc_ob3_kind_to_type(w->a, a->kind));
    cc_jw_kstr(&w->jw, "humanCode", a->code);
    achievement_ids(w, a);
    alignments(w, a, parent);
    creator(w, a, parent);
    image(w, a->image, &a->ext);
    cc_jw_kstr(&w->jw, "inLanguage", a->language);
    credits(w, a->credits);
    if (w->upgrade && a->id)
        related_badgeclass(w, a->id);
    rest(w, &a->ext, taken, "achievement");
    achievement_losses(w, a);
    cc_jw_obj_end(&w->jw);
    w->lang = saved;
}

/* A fiche, then each of its blocks, each its own Achievement: one per line in a stream;
 * in a file of its own (-O) the fiche with blocks is one JSON array, fiche first, which
 * json.load accepts and the OB 3.0 reader regroups like the lines (docs/decisions.md). */
static void achievement_docs(wr *w, cc_jwbuf *out, const cc_achievement *a,
                             const cc_achievement *parent, bool array)
{
    const char *saved = w->rec;
    w->rec = a->code ? a->code : a->id;
    cc_jw_init_buf(&w->jw, out);
    achievement(w, a, parent, true);
    for (const cc_achievement *p = a->parts.head; p; p = p->next) {
        cc_jw_put(&w->jw, array ? ",\n" : "\n");
        achievement_docs(w, out, p, a, array);
    }
    w->rec = saved;
}

static void achievement_output(wr *w, cc_jwbuf *out, const cc_achievement *a, bool one_doc)
{
    bool array = one_doc && a->parts.n;
    if (array)
        cc_jwbuf_put(out, "[", 1);
    achievement_docs(w, out, a, NULL, array);
    cc_jw_put(&w->jw, array ? "]\n" : "\n");
}

/* ------------------------------------------------------------ credential */

static void identity(wr *w, const char *type, const char *value, bool hashed, const char *salt)
{
    cc_jw_obj(&w->jw);
    cc_jw_kstr(&w->jw, "type", "IdentityObject");
    cc_jw_kstr(&w->jw, "identityHash", value);
    cc_jw_kstr(&w->jw, "identityType", cc_ob3_identity_type(w->a, type));
    cc_jw_key(&w->jw, "hashed");
    cc_jw_bool(&w->jw, hashed);
    cc_jw_kstr(&w->jw, "salt", salt);
    cc_jw_obj_end(&w->jw);
}

/* The subject's identities; an e-mail address or a name the model has besides them
 * becomes one more (plain) identity.  Returns how many were written. */
static size_t identities(wr *w, const cc_person *p)
{
    const char *email = p->email, *name = p->full_name;
    for (const cc_identity *i = p->identifiers.head; i; i = i->next)
        if (email && !i->hashed && i->type && strcmp(i->type, "emailAddress") == 0 &&
            strcmp(i->value, email) == 0)
            email = NULL;
    if (!name && (p->given_name || p->family_name))
        name = cc_sprintf(w->a, "%s%s%s", p->given_name ? p->given_name : "",
                          p->given_name && p->family_name ? " " : "",
                          p->family_name ? p->family_name : "");
    size_t n = p->identifiers.n + (email != NULL) + (name != NULL);
    if (p->birth_date)
        loss(w, "credential.subject.birthDate");
    if (!n)
        return 0;
    cc_jw_key(&w->jw, "identifier");
    cc_jw_arr(&w->jw);
    if (email)  /* first: the reader takes the first plain e-mail and name back as such */
        identity(w, "emailAddress", email, false, NULL);
    if (name)
        identity(w, "name", name, false, NULL);
    for (const cc_identity *i = p->identifiers.head; i; i = i->next)
        identity(w, i->type, i->value, i->hashed, i->salt);
    cc_jw_arr_end(&w->jw);
    return n;
}

static void results(wr *w, const cc_list *l)
{
    if (!l->n)
        return;
    cc_jw_key(&w->jw, "result");
    cc_jw_arr(&w->jw);
    for (const cc_text *t = l->head; t; t = t->next) {
        cc_jw_obj(&w->jw);
        type(w, NULL, "Result", NULL);
        cc_jw_kstr(&w->jw, "value", t->value);
        cc_jw_obj_end(&w->jw);
    }
    cc_jw_arr_end(&w->jw);
}

/* OB 3.0 requires an achievement; a credential that names none (an EDC credential with
 * only activities or entitlements, say) is its own achievement: its name and description. */
static const cc_achievement *credential_achievement(wr *w, const cc_credential *k)
{
    cc_achievement *a = cc_achievement_new(w->a);
    a->id = k->id ? cc_sprintf(w->a, "%s#achievement", k->id) : NULL;
    a->title = k->name;
    a->description = k->description;
    if (!a->title.n)
        cc_reject_reason(&w->reject, "no achievement and no credential name to make one from "
                  "(model credential.achievement or credential.name)");
    else
        cc_diagf(w->diag, CC_WARNING, NULL, 0, 0, w->rec, "ob3-achievement-derived",
                 "the credential names no achievement: its Achievement is made from the "
                 "credential's name and description");
    return a;
}

/* The subject's id; without one, a recipient known by a plain e-mail address is the
 * mailto: URI of it (RFC 6068), so a VC-JWT has the sub claim OB 3.0 requires and a
 * verifier can match it (docs/decisions.md).  A hashed address gives none: it would
 * print what the hash hides. */
static const char *subject_id(wr *w, const cc_person *p)
{
    if (p->id || !p->email)
        return p->id;
    static const char keep[] = "@.!$&'*+-=_~";
    size_t n = strlen(p->email);
    char *s = cc_alloc(w->a, 7 + 3 * n + 1), *d = s + 7;
    memcpy(s, "mailto:", 7);
    for (const unsigned char *c = (const unsigned char *)p->email; *c; c++) {
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
            strchr(keep, *c))
            *d++ = (char)*c;
        else
            d += sprintf(d, "%%%02X", *c);
    }
    *d = '\0';
    return s;
}

static void subject(wr *w, const cc_credential *k, bool needs_achievement)
{
    static const char *const skip[] = {"id", "type", "identifier", "achievement", NULL};
    static const cc_person none;
    const cc_person *p = k->subject ? k->subject : &none;
    json_t *keep = kept(&k->ext, "credentialSubject");
    cc_jw_key(&w->jw, "credentialSubject");
    cc_jw_obj(&w->jw);
    cc_jw_kstr(&w->jw, "id", subject_id(w, p));
    type(w, json_object_get(keep, "type"), "AchievementSubject", NULL);
    if (identities(w, p) == 0 && !p->id)
        cc_reject_reason(&w->reject, "the subject has neither id nor identifier (model credential.subject)");
    if (k->achievement) {
        cc_jw_key(&w->jw, "achievement");
        achievement(w, k->achievement, NULL, false);
        if (k->achievement->parts.n)
            loss(w, "credential.achievement.parts");
    } else if (needs_achievement) {
        cc_jw_key(&w->jw, "achievement");
        achievement(w, credential_achievement(w, k), NULL, false);
    }
    if (!json_object_get(keep, "result"))
        results(w, &k->results);  /* else the kept result array is the source of truth */
    members(w, keep, skip);
    cc_jw_obj_end(&w->jw);
    json_decref(keep);
}

static void evidence(wr *w, const cc_credential *k)
{
    static const char *const skip[] = {"id", "type", "name", NULL};
    bool assertion = w->upgrade && k->id;
    if (!k->evidence.n && !assertion)
        return;
    json_t *keep = kept(&k->ext, "evidence");
    cc_jw_key(&w->jw, "evidence");
    cc_jw_arr(&w->jw);
    if (assertion)
        assertion_evidence(w, k);
    size_t i = 0;
    for (const cc_code *e = k->evidence.head; e; e = e->next, i++) {
        const json_t *x = json_array_get(keep, i);
        cc_jw_obj(&w->jw);
        cc_jw_kstr(&w->jw, "id", e->uri);
        type(w, json_object_get(x, "type"), "Evidence", NULL);
        cc_jw_kstr(&w->jw, "name", text(w, &e->label, "credential.evidence.label"));
        members(w, x, skip);
        cc_jw_obj_end(&w->jw);
    }
    cc_jw_arr_end(&w->jw);
    json_decref(keep);
}

/* credentialStatus: the Bitstring Status List entry given at issuing (--status-list).  The
 * OB 3.0 schema allows one entry, an object; the index is a base-10 string, as the W3C
 * Bitstring Status List says. */
static void status(wr *w, const cc_credential *k)
{
    const cc_status_ref *s = k->status.head;
    if (!s)
        return;
    if (s->next)
        cc_reject_reason(&w->reject, "more than one status entry (the OB 3.0 schema allows one credentialStatus)");
    char ix[24], id[4200];
    snprintf(ix, sizeof ix, "%lld", s->index);
    snprintf(id, sizeof id, "%.4000s#%lld", s->list, s->index);
    cc_jw_key(&w->jw, "credentialStatus");
    cc_jw_obj(&w->jw);
    cc_jw_kstr(&w->jw, "id", id);
    cc_jw_kstr(&w->jw, "type", "BitstringStatusListEntry");
    cc_jw_kstr(&w->jw, "statusPurpose", s->purpose);
    cc_jw_kstr(&w->jw, "statusListIndex", ix);
    cc_jw_kstr(&w->jw, "statusListCredential", s->list);
    cc_jw_obj_end(&w->jw);
}

static void issuer(wr *w, const cc_credential *k)
{
    const char *id = k->issuer ? org_id(w, k->issuer) : NULL;
    if (!id)
        cc_reject_reason(&w->reject, "the issuer has no id (model credential.issuer.id)");
    else if (!k->issuer->name.n)
        cc_reject_reason(&w->reject, "the issuer has no name (model credential.issuer.name)");
    else
        profile(w, "issuer", k->issuer, id);
}

static bool has_string(const json_t *a, const char *s)
{
    size_t i;
    json_t *x;
    json_array_foreach(a, i, x)
        if (json_is_string(x) && strcmp(json_string_value(x), s) == 0)
            return true;
    return json_is_string(a) && strcmp(json_string_value(a), s) == 0;
}

static void credential(wr *w, const cc_credential *k)
{
    static const char *const taken[] = {"@context", "type", "credentialSubject", "evidence",
                                        NULL};
    static const char *const taken_status[] = {"@context", "type", "credentialSubject", "evidence",
                                               "credentialStatus", NULL};
    cc_jw_obj(&w->jw);
    context(w, &k->ext);
    if (!k->id)
        cc_reject_reason(&w->reject, "the credential has no id (model credential.id)");
    w->upgrade = from_ob2(&k->ext);
    /* a new id, name-based on the OB 2.0 one (which stays as evidence): upgrading the same
     * assertion again gives the same credential id */
    cc_jw_kstr(&w->jw, "id", w->upgrade && k->id ? upgraded_id(w, k->id) : k->id);
    json_t *t = kept(&k->ext, "type");
    type(w, t, "VerifiableCredential", "OpenBadgeCredential");
    /* an EndorsementCredential kept as such has no achievement */
    bool needs_achievement = !t || has_string(t, "OpenBadgeCredential") ||
                             has_string(t, "AchievementCredential");
    json_decref(t);
    cc_jw_kstr(&w->jw, "name", text(w, &k->name, "credential.name"));
    cc_jw_kstr(&w->jw, "description", text(w, &k->description, "credential.description"));
    issuer(w, k);
    const char *from = k->valid_from ? k->valid_from : k->issued;
    if (!from)
        cc_reject_reason(&w->reject, "no validFrom (model credential.validFrom or issued)");
    if (k->issued && k->valid_from && strcmp(k->issued, k->valid_from) != 0)
        loss(w, "credential.issued (differs from validFrom)");
    cc_jw_kstr(&w->jw, "validFrom", datetime_z(w, from));
    cc_jw_kstr(&w->jw, "validUntil", datetime_z(w, k->valid_until));
    cc_jw_kstr(&w->jw, "awardedDate", datetime_z(w, k->awarded));
    subject(w, k, needs_achievement);
    evidence(w, k);
    status(w, k);  /* a new entry replaces a kept one: the credential is a new one */
    rest(w, &k->ext, k->status.n ? taken_status : taken, "credential");
    cc_jw_obj_end(&w->jw);
}

/* ------------------------------------------------------------ the writer */

void *cc_ob3_writer_open(cc_write_ctx *ctx)
{
    ob3w *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->out = ctx->out;
    o->diag = ctx->diag;
    o->scratch = cc_arena_new();
    o->check = cc_wcheck_for(ctx);
    o->one_doc = ctx->records_in_output == 1;
    o->doc_out = ctx->doc_out;
    return o;
}

/* What the writer just wrote, read back as validate reads JSON (the fast path, duplicates
 * refused) but without --max-json-size's limit: that bounds what credconv reads, not what a
 * record becomes (jansson's json_loadb read it unbounded before). */
static json_t *read_back(const char *buf, size_t len)
{
    return cc_json_parse(buf, len, 0, SIZE_MAX, NULL);
}

/* A fiche and its blocks as one array (-O): each Achievement checked as a document. */
static int check_array(cc_schema_set *set, const cc_diag_sink *d, const char *rec, const char *buf,
                       size_t len)
{
    json_t *arr = read_back(buf, len), *doc;
    size_t i;
    int errors = json_is_array(arr) ? 0 : 1;
    json_array_foreach(arr, i, doc) {
        int e = cc_ob3_check_written(set, doc, d, rec);
        if (e < 0) {
            errors = -1;
            break;
        }
        errors += e;
    }
    json_decref(arr);
    return errors;
}

/* Each document of the record (a fiche and its blocks are one line each) as `validate -f
 * ob3` reads it back: the errors of them all, -1 when the schema cannot be used.  A record
 * of one line leaves its tree in *kept (the caller's, NULL otherwise): what is signed is
 * then the tree checked, not a second parse of the same text. */
static int check_lines(ob3w *o, const cc_diag_sink *d, const char *rec, const char *buf,
                       size_t len, json_t **kept)
{
    *kept = NULL;
    if (cc_wcheck_off(o->check.check))
        return 0;
    cc_schema_set *set = cc_wcheck_json_schema(o->check.check, OB3_SCHEMA_FILE, OB3_SCHEMA_URI, d);
    if (!set)
        return -1;
    int errors = 0;
    if (len && buf[0] == '[')
        return check_array(set, d, rec, buf, len);
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(buf + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (buf + at)) : len - at;
        json_t *doc = n ? read_back(buf + at, n) : NULL;
        int e = doc ? cc_ob3_check_written(set, doc, d, rec) : n ? 1 : 0;
        if (e < 0) {
            json_decref(doc);
            return -1;
        }
        errors += e;
        at += n + 1;
        if (at == n + 1 && at >= len && !*kept)
            *kept = doc;  /* the first line is the only one */
        else
            json_decref(doc);
    }
    return errors;
}

/* Which of what a credential lacks the user can give. */
static const char *hint(const cc_record *r)
{
    if (r->kind == CC_REC_ACHIEVEMENT)
        return "fix the achievement's fields listed above in the input";
    const cc_credential *k = r->credential;
    if (!k->issuer || !k->issuer->name.n)
        return "give --issuer FILE with the issuer's id and name";
    return "fix the fields listed above in the input, --issuer or --recipients";
}

int cc_ob3_writer_record(void *wp, const cc_record *r)
{
    ob3w *o = wp;
    cc_arena_reset(o->scratch);
    o->text.len = 0;
    wr w = {.a = o->scratch, .diag = o->diag, .rec = cc_record_id(r)};
    if (r->kind == CC_REC_ACHIEVEMENT) {
        achievement_output(&w, &o->text, r->achievement, o->one_doc);
    } else {
        cc_jw_init_buf(&w.jw, &o->text);
        credential(&w, r->credential);
        cc_jw_put(&w.jw, "\n");
    }
    const char *buf = o->text.data;
    size_t len = o->text.len;
    int rc = 0;
    if (w.reject) {
        cc_diagf(o->diag, CC_ERROR, NULL, 0, 0, cc_record_id(r), "ob3-missing",
                 "cannot write as Open Badges 3.0: %s", w.reject);
        rc = 1;
    } else {
        cc_wcheck_sink ws;
        const cc_diag_sink *d = cc_wcheck_sink_init(&ws, o->check.check, o->diag);
        json_t *tree;
        int errors = check_lines(o, d, cc_record_id(r), buf, len, &tree);
        rc = cc_wcheck_verdict(o->check.check, o->diag, r, "ob3", errors, hint(r));
        if (rc == 0 && o->doc_out && tree)
            *o->doc_out = tree;  /* the caller's now */
        else
            json_decref(tree);
    }
    if (rc != 0) {
        /* rejected: nothing written */
    } else if (fwrite(buf, 1, len, o->out) != len || ferror(o->out)) {
        rc = 2;
    }
    return rc;
}

int cc_ob3_writer_close(void *wp)
{
    ob3w *o = wp;
    cc_arena_free(o->scratch);
    cc_jwbuf_free(&o->text);
    cc_wcheck_release(&o->check);
    free(o);
    return 0;
}
