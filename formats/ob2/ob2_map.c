/* OB 2.0 → model: Assertion → credential, BadgeClass → achievement, Profile → org.
 * Values the model has no field for go to the record's ext as "ob2:<property>". */
#include "ob2.h"
#include "ob2_map.h"

#include <string.h>

static const char *str(const json_t *node, const char *key)
{
    return json_string_value(json_object_get(node, key));
}

static const char *dup(cc_arena *a, const json_t *node, const char *key)
{
    return cc_strdup(a, str(node, key));
}

static void text(cc_arena *a, cc_list *l, const json_t *node, const char *key, const char *lang)
{
    const char *s = str(node, key);
    if (s && *s)
        cc_text_add(a, l, cc_strdup(a, lang), cc_strdup(a, s));
}

/* Each value of a one-or-many property, as a string (an object gives its id). */
static void ext_values(cc_arena *a, cc_list *ext, const json_t *node, const char *key)
{
    const json_t *v = json_object_get(node, key);
    size_t n = json_is_array(v) ? json_array_size(v) : v ? 1 : 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_is_array(v) ? json_array_get(v, i) : v;
        char *s = json_is_string(e) ? cc_strdup(a, json_string_value(e))
                                    : json_dumps(e, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
        if (!s)
            continue;
        cc_ext *x = cc_ext_add(a, ext, cc_sprintf(a, "ob2:%s", key), cc_strdup(a, s));
        x->is_bool = json_is_boolean(e);
        if (!json_is_string(e))
            free(s);
    }
}

cc_org *ob2_map_profile(cc_arena *a, const json_t *p, const char *lang)
{
    cc_org *o = cc_org_new(a);
    o->role = "issuer";
    if (json_is_string(p)) {
        o->id = cc_strdup(a, json_string_value(p));
        return o;
    }
    o->id = dup(a, p, "id");
    text(a, &o->name, p, "name", lang);
    o->url = dup(a, p, "url");
    o->email = dup(a, p, "email");
    o->logo = cc_strdup(a, ob2_id_of(json_object_get(p, "image")));
    static const char *const extra[] = {"description", "telephone", "revocationList", "publicKey",
                                        "verification", NULL};
    for (const char *const *k = extra; *k; k++)
        ext_values(a, &o->ext, p, *k);
    return o;
}

static void map_alignment(cc_arena *a, cc_achievement *ach, const json_t *al, const char *lang)
{
    size_t n = json_is_array(al) ? json_array_size(al) : al ? 1 : 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_is_array(al) ? json_array_get(al, i) : al;
        const char *fw = str(e, "targetFramework");
        cc_code *c = cc_code_new(a, fw ? cc_strdup(a, fw) : "ob2-alignment", dup(a, e, "targetCode"),
                                 cc_strdup(a, lang), dup(a, e, "targetName"));
        c->uri = dup(a, e, "targetUrl");
        cc_list_append(&ach->alignments, c);
    }
}

cc_achievement *ob2_map_badgeclass(cc_arena *a, const json_t *b, const char *lang)
{
    cc_achievement *ach = cc_achievement_new(a);
    ach->kind = "badge";
    if (json_is_string(b)) {  /* linked and not fetched: only its IRI is known */
        ach->id = cc_strdup(a, json_string_value(b));
        return ach;
    }
    ach->id = dup(a, b, "id");
    ach->language = cc_strdup(a, lang);
    text(a, &ach->title, b, "name", lang);
    text(a, &ach->description, b, "description", lang);
    const json_t *crit = json_object_get(b, "criteria");
    text(a, &ach->criteria, crit, "narrative", lang);
    ach->homepage = cc_strdup(a, ob2_id_of(crit));  /* the page that says how it is earned */
    ach->image = cc_strdup(a, ob2_id_of(json_object_get(b, "image")));
    map_alignment(a, ach, json_object_get(b, "alignment"), lang);
    const json_t *issuer = json_object_get(b, "issuer");
    if (issuer)
        cc_list_append(&ach->orgs, ob2_map_profile(a, issuer, lang));
    static const char *const extra[] = {"tags", "related", "version", "endorsement", NULL};
    for (const char *const *k = extra; *k; k++)
        ext_values(a, &ach->ext, b, *k);
    return ach;
}

/* recipient → the subject's identity (email, url, telephone) or its id. */
static cc_person *map_recipient(cc_arena *a, const json_t *r)
{
    cc_person *p = cc_alloc(a, sizeof *p);
    const char *type = str(r, "type"), *value = str(r, "identity");
    if (!value)
        return p;
    if (type && strcmp(type, "id") == 0) {
        p->id = cc_strdup(a, value);
        return p;
    }
    cc_identity *id = cc_alloc(a, sizeof *id);
    id->type = !type || strcmp(type, "email") == 0 ? "emailAddress"
             : strcmp(type, "telephone") == 0      ? "phone"
                                                   : cc_strdup(a, type);
    id->value = cc_strdup(a, value);
    id->hashed = json_is_true(json_object_get(r, "hashed"));
    id->salt = dup(a, r, "salt");
    if (!id->hashed && strcmp(id->type, "emailAddress") == 0)
        p->email = id->value;
    cc_list_append(&p->identifiers, id);
    return p;
}

static void map_evidence(cc_arena *a, cc_credential *c, const json_t *ev, const char *lang)
{
    size_t n = json_is_array(ev) ? json_array_size(ev) : ev ? 1 : 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_is_array(ev) ? json_array_get(ev, i) : ev;
        const char *label = str(e, "name") ? str(e, "name") : str(e, "narrative");
        cc_code *code = cc_code_new(a, "evidence", NULL, cc_strdup(a, lang), cc_strdup(a, label));
        const char *id = ob2_id_of(e);
        code->uri = id && strncmp(id, "_:", 2) != 0 ? cc_strdup(a, id) : NULL;
        cc_list_append(&c->evidence, code);
    }
}

cc_record *ob2_map_assertion(const json_t *as, const char *lang)
{
    cc_record *r = cc_record_new(CC_REC_CREDENTIAL);
    cc_arena *a = r->arena;
    cc_credential *c = r->credential;
    c->id = dup(a, as, "id");
    c->subject = map_recipient(a, json_object_get(as, "recipient"));
    c->achievement = ob2_map_badgeclass(a, json_object_get(as, "badge"), lang);
    c->issuer = c->achievement->orgs.head;  /* the BadgeClass issuer awards it */
    for (const cc_text *t = c->achievement->title.head; t; t = t->next)
        cc_text_add(a, &c->name, t->lang, t->value);
    c->issued = dup(a, as, "issuedOn");
    c->awarded = c->issued;
    c->valid_from = c->issued;
    c->valid_until = dup(a, as, "expires");
    text(a, &c->description, as, "narrative", lang);
    map_evidence(a, c, json_object_get(as, "evidence"), lang);
    if (ob2_id_of(json_object_get(as, "image")))
        cc_ext_add(a, &c->ext, "ob2:image", cc_strdup(a, ob2_id_of(json_object_get(as, "image"))));
    const char *vt = str(json_object_get(as, "verification"), "type");
    if (vt)
        cc_ext_add(a, &c->ext, "ob2:verification", cc_strdup(a, vt));
    static const char *const extra[] = {"revoked", "revocationReason", "uid", "endorsement", NULL};
    for (const char *const *k = extra; *k; k++)
        ext_values(a, &c->ext, as, *k);
    return r;
}
