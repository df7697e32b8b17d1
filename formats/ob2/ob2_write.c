/* OB 2.0 writer: a credential becomes an Assertion with its BadgeClass and issuer Profile
 * embedded; a specification becomes a BadgeClass with its issuer.  One JSON document per
 * record, one per line.  Every model field OB 2.0 has no place for is a `loss` note. */
#include "ob2.h"
#include "cc_issue.h"
#include "cc_writecheck.h"
#include "cc_jsonw.h"

#include <stdlib.h>
#include <string.h>

typedef struct ob2_writer {
    FILE *out;
    const cc_diag_sink *diag;
    const char *record;           /* id of the record being written */
    /* -O DIR with --id-base: BadgeClass and issuer go in documents of their own */
    const char *id_base;
    int (*sibling)(void *ud, const char *id, const char *data, size_t len);
    void *sibling_ud;
    cc_wcheck_ref check;          /* each document checked before it is written */
    const char *revocation_list;  /* --status-list: the record's RevocationList URL, or NULL */
} ob2_writer;

static void loss(ob2_writer *w, const char *what)
{
    cc_diagf(w->diag, CC_NOTE, NULL, 0, 0, w->record, "loss", "OB 2.0 has no place for %s", what);
}

/* One language only: the first text; the others are reported lost. */
static const char *one_text(ob2_writer *w, const cc_list *l, const char *what)
{
    if (l->n > 1) {
        char m[128];
        snprintf(m, sizeof m, "%s in other languages than the first", what);
        loss(w, m);
    }
    return l->head ? ((const cc_text *)l->head)->value : NULL;
}

static const cc_ext *ext_get(const cc_list *ext, const char *name)
{
    for (const cc_ext *x = ext->head; x; x = x->next)
        if (strcmp(x->name, name) == 0)
            return x;
    return NULL;
}

static const cc_org *issuer_of(const cc_achievement *a, const cc_org *cred_issuer)
{
    if (cred_issuer)
        return cred_issuer;
    for (const cc_org *o = a ? a->orgs.head : NULL; o; o = o->next)
        if (o->role && strcmp(o->role, "issuer") == 0)
            return o;
    return a ? a->orgs.head : NULL;  /* else the (first) awarding body */
}

static const char *siret_of(const cc_org *o)
{
    for (const cc_code *c = o->identifiers.head; c; c = c->next)
        if (c->scheme && strcmp(c->scheme, "siret") == 0)
            return c->code;
    return NULL;
}

/* ------------------------------------------------------------ Profile */

static void write_profile(cc_jw *j, ob2_writer *w, const cc_org *o, bool doc)
{
    char sirene[128];
    const char *siret = siret_of(o), *id = o->id ? o->id : o->url;
    if (!id && siret) {  /* the public register's page of the establishment */
        snprintf(sirene, sizeof sirene, "https://annuaire-entreprises.data.gouv.fr/etablissement/%s", siret);
        id = sirene;
    }
    cc_jw_obj(j);
    if (doc)
        cc_jw_kstr(j, "@context", OB2_CONTEXT);
    cc_jw_kstr(j, "type", "Profile");
    cc_jw_kstr(j, "id", id);
    cc_jw_kstr(j, "name", one_text(w, &o->name, "the issuer's name"));
    cc_jw_kstr(j, "url", o->url);
    cc_jw_kstr(j, "email", o->email);
    cc_jw_kstr(j, "image", o->logo);
    static const char *const extra[] = {"description", "telephone", "revocationList", NULL};
    for (const char *const *k = extra; *k; k++) {
        char name[40];
        snprintf(name, sizeof name, "ob2:%s", *k);
        const cc_ext *x = ext_get(&o->ext, name);
        if (x && !(w->revocation_list && !strcmp(*k, "revocationList")))
            cc_jw_kstr(j, *k, x->value);
    }
    /* issued with --status-list: OB 2.0's revocation is the issuer's RevocationList, which
     * credconv status revoke --ob2 keeps (docs/signatures.md) */
    cc_jw_kstr(j, "revocationList", w->revocation_list);
    cc_jw_obj_end(j);
    if (!id)
        cc_diagf(w->diag, CC_WARNING, NULL, 0, 0, w->record, "ob2-issuer-id", "the issuer has no "
                 "id, url or SIRET: the Profile has no id");
    if (!o->email || !o->url)
        cc_diagf(w->diag, CC_WARNING, NULL, 0, 0, w->record, "ob2-issuer-contact", "the issuer "
                 "has no %s, which OB 2.0 requires: give --issuer FILE", o->email ? "url" : "email");
    if (o->country || (o->identifiers.n && !(o->identifiers.n == 1 && siret && !o->id && !o->url)))
        loss(w, "the issuer's country and identifiers");
}

/* ------------------------------------------------------------ BadgeClass */

static void write_alignments(cc_jw *j, ob2_writer *w, const cc_achievement *a)
{
    bool lost = false, any = a->eqf_level > 0;
    for (const cc_code *c = a->alignments.head; c; c = c->next)
        any |= c->uri != NULL, lost |= c->uri == NULL;
    if (lost)
        loss(w, "alignments without a URL (targetUrl is required)");
    if (!any)
        return;
    cc_jw_key(j, "alignment");
    cc_jw_arr(j);
    if (a->eqf_level > 0) {
        char name[32], code[8];
        snprintf(name, sizeof name, "EQF level %d", a->eqf_level);
        snprintf(code, sizeof code, "%d", a->eqf_level);
        cc_jw_obj(j);
        cc_jw_kstr(j, "targetName", name);
        cc_jw_kstr(j, "targetUrl", "https://europa.eu/europass/en/description-eight-eqf-levels");
        cc_jw_kstr(j, "targetFramework", "EQF");
        cc_jw_kstr(j, "targetCode", code);
        cc_jw_obj_end(j);
    }
    for (const cc_code *c = a->alignments.head; c; c = c->next) {
        if (!c->uri)
            continue;
        cc_jw_obj(j);
        cc_jw_kstr(j, "targetName", c->label.head ? ((cc_text *)c->label.head)->value : c->code);
        cc_jw_kstr(j, "targetUrl", c->uri);
        cc_jw_kstr(j, "targetFramework", c->scheme && strcmp(c->scheme, "ob2-alignment") ? c->scheme : NULL);
        cc_jw_kstr(j, "targetCode", c->code);
        cc_jw_obj_end(j);
    }
    cc_jw_arr_end(j);
}

static void write_criteria(cc_jw *j, ob2_writer *w, const cc_achievement *a)
{
    const char *url = a->homepage;
    const char *narrative = a->criteria.n ? one_text(w, &a->criteria, "criteria")
                                          : one_text(w, &a->assessment, "the assessment");
    cc_jw_key(j, "criteria");
    cc_jw_obj(j);
    cc_jw_kstr(j, "id", url);
    cc_jw_kstr(j, "narrative", narrative);
    cc_jw_obj_end(j);
    if (!url && !narrative)
        cc_diagf(w->diag, CC_WARNING, NULL, 0, 0, w->record, "ob2-criteria", "no criteria, "
                 "assessment or homepage to write as criteria");
}

static void badgeclass_losses(ob2_writer *w, const cc_achievement *a)
{
    struct { bool lost; const char *what; } l[] = {
        {.lost = a->outcomes.n || a->outcomes_text.n, .what = "learning outcomes"},
        {.lost = a->entry_requirements.n, .what = "entry requirements"},
        {.lost = a->nqf_level != NULL, .what = "the national qualification level"},
        {.lost = a->credits != NULL, .what = "credits"}, {.lost = a->volume != NULL, .what = "the volume of learning"},
        {.lost = a->parts.n > 0, .what = "parts (skills blocks): convert each with --select"},
        {.lost = a->predecessors.n || a->successors.n, .what = "predecessors and successors"},
        {.lost = a->valid_until != NULL, .what = "the end of validity of the specification"},
        {.lost = a->type != NULL, .what = "the achievement type"}, {.lost = a->orgs.n > 1, .what = "organisations other than the issuer"},
        {.lost = a->code != NULL && !a->id, .what = "the code"},
    };
    for (size_t i = 0; i < sizeof l / sizeof *l; i++)
        if (l[i].lost)
            loss(w, l[i].what);
}

static void write_badgeclass(cc_jw *j, ob2_writer *w, const cc_achievement *a, const cc_org *issuer,
                             bool top, const char *id, const char *issuer_iri)
{
    if (!a->title.n && a->id && !top) {  /* known by its IRI only (linked, not fetched) */
        cc_jw_str(j, a->id);
        return;
    }
    cc_jw_obj(j);
    if (top)
        cc_jw_kstr(j, "@context", OB2_CONTEXT);
    cc_jw_kstr(j, "type", "BadgeClass");
    cc_jw_kstr(j, "id", id ? id : a->id);
    const char *name = one_text(w, &a->title, "the title");
    const char *desc = a->description.n ? one_text(w, &a->description, "the description")
                                        : a->outcomes_text.n ? one_text(w, &a->outcomes_text, "outcomes")
                                                             : name;
    cc_jw_kstr(j, "name", name);
    cc_jw_kstr(j, "description", desc);
    cc_jw_kstr(j, "image", a->image);
    write_criteria(j, w, a);
    write_alignments(j, w, a);
    if (issuer_iri) {
        cc_jw_kstr(j, "issuer", issuer_iri);
    } else if (issuer) {
        cc_jw_key(j, "issuer");
        write_profile(j, w, issuer, false);
    }
    cc_jw_obj_end(j);
    if (!a->image)
        cc_diagf(w->diag, CC_WARNING, NULL, 0, 0, w->record, "ob2-badgeclass-image", "no image "
                 "for the BadgeClass, which OB 2.0 requires: give --badge-image");
    if (!issuer)
        cc_diagf(w->diag, CC_WARNING, NULL, 0, 0, w->record, "ob2-no-issuer", "no issuer: give --issuer FILE");
    badgeclass_losses(w, a);
}

/* ------------------------------------------------------------ Assertion */

/* The recipient: a hashed or plain email first, else another identity, else the id. */
static bool write_recipient(cc_jw *j, const cc_person *p)
{
    const cc_identity *best = NULL;
    for (const cc_identity *i = p ? p->identifiers.head : NULL; i; i = i->next)
        if (!best || (i->type && strcmp(i->type, "emailAddress") == 0 && strcmp(best->type, "emailAddress")))
            best = i;
    const char *type = best ? (strcmp(best->type, "emailAddress") == 0 ? "email"
                               : strcmp(best->type, "phone") == 0 ? "telephone" : best->type)
                     : p && p->email ? "email" : p && p->id ? "id" : NULL;
    if (!type)
        return false;
    cc_jw_key(j, "recipient");
    cc_jw_obj(j);
    cc_jw_kstr(j, "type", type);
    cc_jw_key(j, "hashed");
    cc_jw_bool(j, best && best->hashed);
    cc_jw_kstr(j, "salt", best ? best->salt : NULL);
    cc_jw_kstr(j, "identity", best ? best->value : p->email ? p->email : p->id);
    cc_jw_obj_end(j);
    return true;
}

static void write_evidence(cc_jw *j, const cc_credential *c)
{
    if (!c->evidence.n)
        return;
    cc_jw_key(j, "evidence");
    cc_jw_arr(j);
    for (const cc_code *e = c->evidence.head; e; e = e->next) {
        cc_jw_obj(j);
        cc_jw_kstr(j, "id", e->uri);
        cc_jw_kstr(j, "narrative", e->label.head ? ((cc_text *)e->label.head)->value : NULL);
        cc_jw_obj_end(j);
    }
    cc_jw_arr_end(j);
}

static void write_date(cc_jw *j, ob2_writer *w, const char *key, const char *value)
{
    char iso[40];
    if (!value)
        return;
    if (!cc_normalize_datetime(value, iso)) {
        cc_diagf(w->diag, CC_WARNING, NULL, 0, 0, w->record, "ob2-datetime", "%s '%s' is not an "
                 "ISO 8601 date-time; written as is", key, value);
        snprintf(iso, sizeof iso, "%.39s", value);
    }
    cc_jw_kstr(j, key, iso);
}

static void credential_losses(ob2_writer *w, const cc_credential *c)
{
    const cc_person *p = c->subject;
    if (p && (p->given_name || p->family_name || p->full_name || p->birth_date))
        loss(w, "the recipient's name and birth date (only an identity is carried)");
    if (c->results.n)
        loss(w, "results");
    if (c->name.n > 0 && c->achievement && !c->achievement->title.n)
        loss(w, "the credential's name");
}

/* Hands a document to the pipeline, which writes it as a file of its own. */
static void sibling(ob2_writer *w, const char *id, char *buf, size_t len)
{
    if (w->sibling(w->sibling_ud, id, buf, len) != 0)
        cc_diagf(w->diag, CC_ERROR, NULL, 0, 0, w->record, "io", "cannot write the document %s", id);
}

/* -O DIR with --id-base: the Assertion links to its BadgeClass, which links to its issuer,
 * three documents whose ids are under the base, as hosted OB 2.0 serves them.  badge_id
 * gets the BadgeClass id. */
static void write_linked(ob2_writer *w, const cc_achievement *a, const cc_org *issuer,
                         char badge_id[512])
{
    char issuer_id[512], safe[160];
    size_t n = strlen(w->id_base);
    int base = (int)(n && w->id_base[n - 1] == '/' ? n - 1 : n);
    snprintf(safe, sizeof safe, "%s", a->code ? a->code : "badge");
    for (char *s = safe; *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.", *s))
            *s = '_';
    snprintf(badge_id, 512, "%.*s/badge-%s.json", base, w->id_base, safe);
    snprintf(issuer_id, sizeof issuer_id, "%.*s/issuer.json", base, w->id_base);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem)
        return;
    cc_jw j;
    cc_jw_init(&j, mem);
    write_badgeclass(&j, w, a, issuer, true, badge_id, issuer ? issuer_id : NULL);
    putc('\n', mem);
    fclose(mem);
    sibling(w, badge_id, buf, len);
    free(buf);
    if (issuer) {
        buf = NULL;
        mem = open_memstream(&buf, &len);
        if (!mem)
            return;
        cc_jw_init(&j, mem);
        cc_org linked = *issuer;
        linked.id = issuer_id;
        write_profile(&j, w, &linked, true);
        putc('\n', mem);
        fclose(mem);
        sibling(w, issuer_id, buf, len);
        free(buf);
    }
}

static int write_assertion(cc_jw *j, ob2_writer *w, const cc_credential *c)
{
    const cc_ext *vt = ext_get(&c->ext, "ob2:verification");
    if (!c->achievement) {
        cc_diagf(w->diag, CC_ERROR, NULL, 0, 0, w->record, "ob2-no-badge", "the credential "
                 "says nothing of what it awards, and an Assertion needs a badge: record skipped");
        return 1;
    }
    cc_jw_obj(j);
    cc_jw_kstr(j, "@context", OB2_CONTEXT);
    cc_jw_kstr(j, "type", "Assertion");
    cc_jw_kstr(j, "id", c->id);
    if (!write_recipient(j, c->subject)) {
        cc_diagf(w->diag, CC_ERROR, NULL, 0, 0, w->record, "ob2-no-recipient", "the credential "
                 "has no recipient identity, email or id: record skipped");
        return 1;
    }
    write_date(j, w, "issuedOn", c->issued ? c->issued : c->awarded ? c->awarded : c->valid_from);
    write_date(j, w, "expires", c->valid_until);
    cc_jw_key(j, "verification");
    cc_jw_obj(j);
    cc_jw_kstr(j, "type", vt ? vt->value : "hosted");
    cc_jw_obj_end(j);
    cc_jw_kstr(j, "narrative", one_text(w, &c->description, "the narrative"));
    write_evidence(j, c);
    const cc_ext *img = ext_get(&c->ext, "ob2:image");
    cc_jw_kstr(j, "image", img ? img->value : NULL);
    cc_jw_key(j, "badge");
    char badge_id[512];
    if (w->sibling && w->id_base) {
        write_linked(w, c->achievement, issuer_of(c->achievement, c->issuer), badge_id);
        cc_jw_str(j, badge_id);
    } else
        write_badgeclass(j, w, c->achievement, issuer_of(c->achievement, c->issuer), false, NULL,
                         NULL);
    cc_jw_obj_end(j);
    if ((!vt || strstr(vt->value, "osted")) && c->id && strncmp(c->id, "http", 4) != 0)
        cc_diagf(w->diag, CC_WARNING, NULL, 0, 0, w->record, "ob2-hosted-id", "a hosted assertion "
                 "is served at its id, which must be an HTTP URL: give --id-base URL");
    credential_losses(w, c);
    return 0;
}

/* ------------------------------------------------------------ the format's writer */

void *ob2_writer_open(cc_write_ctx *ctx)
{
    ob2_writer *w = calloc(1, sizeof *w);
    if (w) {
        w->out = ctx->out;
        w->diag = ctx->diag;
        w->id_base = ctx->id_base;
        w->sibling = ctx->sibling;
        w->sibling_ud = ctx->sibling_ud;
        w->check = cc_wcheck_for(ctx);
    }
    return w;
}

/* What the user can add for what OB 2.0 requires and the model did not have. */
static const char *hint(const json_t *root)
{
    const json_t *badge = json_object_get(root, "badge");
    const json_t *bc = json_is_object(badge) ? badge : root;
    const json_t *issuer = json_object_get(bc, "issuer");
    if (json_is_object(issuer) &&
        (!json_object_get(issuer, "url") || !json_object_get(issuer, "email")))
        return "give --issuer FILE with the issuer's url and email";
    if (json_is_object(bc) && !json_object_get(bc, "image"))
        return "give --badge-image URL|FILE";
    const char *id = json_string_value(json_object_get(root, "id"));
    if (json_object_get(root, "recipient") && id && strncmp(id, "http", 4) != 0)
        return "a hosted assertion is served at its id: give --id-base URL";
    return "fix the fields listed above in the input, --issuer or --recipients";
}

/* The document as `validate -f ob2` reads it (linked documents as IRIs, not fetched):
 * 0 to write it, 1 rejected (reported). */
static int check(ob2_writer *w, const cc_record *r, const char *buf, size_t len)
{
    if (cc_wcheck_off(w->check.check))
        return 0;
    cc_wcheck_sink ws;
    const cc_diag_sink *d = cc_wcheck_sink_init(&ws, w->check.check, w->diag);
    cc_schema_set *set = cc_wcheck_json_schema(w->check.check, OB2_SCHEMA_FILE, OB2_SCHEMA_URI, d);
    json_t *root = set ? json_loadb(buf, len, 0, NULL) : NULL;
    if (!root)
        return cc_wcheck_verdict(w->check.check, w->diag, r, "ob2", -1, NULL);
    ob2_doc doc = {.root = root, .record = w->record, .diag = d, .schema = set};
    ob2_resolve(&doc);
    int errors = ob2_check(&doc);
    int rc = cc_wcheck_verdict(w->check.check, w->diag, r, "ob2", errors, hint(doc.root));
    json_decref(doc.root);
    return rc;
}

int ob2_writer_record(void *wp, const cc_record *r)
{
    ob2_writer *w = wp;
    w->record = cc_record_id(r);
    const cc_status_ref *st = r->kind == CC_REC_CREDENTIAL ? r->credential->status.head : NULL;
    w->revocation_list = st && !strcmp(st->purpose, "revocation") ? st->list : NULL;
    /* the document goes to memory first, so a rejected record leaves nothing behind */
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem)
        return 2;
    cc_jw j;
    cc_jw_init(&j, mem);
    int rc = 0;
    if (r->kind == CC_REC_CREDENTIAL)
        rc = write_assertion(&j, w, r->credential);
    else
        write_badgeclass(&j, w, r->achievement, issuer_of(r->achievement, NULL), true, NULL, NULL);
    fclose(mem);
    if (rc == 0)
        rc = check(w, r, buf, len);
    if (rc == 0 && (fwrite(buf, 1, len, w->out) != len || putc('\n', w->out) == EOF))
        rc = 2;
    free(buf);
    return rc;
}

int ob2_writer_close(void *wp)
{
    ob2_writer *w = wp;
    cc_wcheck_release(&w->check);
    free(w);
    return 0;
}
