/* Open Badges 3.0 reader: each JSON document of the input (NDJSON, concatenated or
 * pretty-printed; a top-level array is a list of documents) becomes one record.
 *
 * One property table per OB 3.0 class says which model field each property fills.  What
 * the model has no field for goes to the extension bag as "ob3:<property>", so that
 * ob3 -> model -> ob3 -> model gives the same model.  Two rules keep that stable:
 * properties are read in table order, then the unknown ones in document order; and the
 * part of a sub-object the model does not take (criteria, address, credentialSubject…)
 * is kept whole, under the name of the property that holds it. */
#include "cc_jsonread.h"
#include "cc_rdf.h"
#include "jsonschema.h"
#include "ob3.h"
#include "vocab/vocab.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof a / sizeof a[0])

typedef struct rd {
    cc_read_ctx *ctx;
    cc_arena *a;
    long line;
    const char *rec;    /* the document's id, for diagnostics */
    const char *lang;   /* inLanguage of the achievement being read: language of its strings */
    const json_t *cur;  /* the object being read, for a property that depends on a sibling */
    int errors;
    char ptr[512];      /* JSON pointer of the value being read */
} rd;

static void problem(rd *c, cc_severity sev, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void problem(rd *c, cc_severity sev, const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cc_vdiag(c->ctx->diag, sev, c->ctx->in->name, c->line, 0, c->ptr, c->rec, rule, fmt, ap);
    va_end(ap);
    if (sev == CC_ERROR)
        c->errors++;
}

static size_t push(rd *c, const char *key)
{
    return cc_ptr_push(c->ptr, sizeof c->ptr, key);
}

static size_t push_i(rd *c, size_t i)
{
    return cc_ptr_push_index(c->ptr, sizeof c->ptr, i);
}

static void pop(rd *c, size_t old)
{
    c->ptr[old] = '\0';
}

/* Single values and arrays alike: "p": v is read as "p": [v]. */
static size_t count(const json_t *v)
{
    return json_is_array(v) ? json_array_size(v) : 1;
}

static const json_t *item(rd *c, const json_t *v, size_t i, size_t *old)
{
    *old = json_is_array(v) ? push_i(c, i) : strlen(c->ptr);
    return json_is_array(v) ? json_array_get(v, i) : v;
}

/* ------------------------------------------------------------ values */

/* A string; a language map where one string is expected gives its first value. */
static const char *str(rd *c, const json_t *v)
{
    if (json_is_string(v))
        return cc_strndup(c->a, json_string_value(v), json_string_length(v));
    const char *lang;
    const json_t *x;
    json_object_foreach((json_t *)v, lang, x) {
        if (!json_is_string(x))
            break;
        problem(c, CC_WARNING, "ob3-langmap",
                "a language map where one string is expected: the \"%.16s\" value is kept", lang);
        return cc_strndup(c->a, json_string_value(x), json_string_length(x));
    }
    problem(c, CC_ERROR, "ob3-type", "expected a string");
    return NULL;
}

static const char *opt_str(rd *c, const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return NULL;
    size_t old = push(c, key);
    const char *s = str(c, v);
    pop(c, old);
    return s;
}

/* A string (in the achievement's language, if known) or a language map. */
static void texts(rd *c, const json_t *v, cc_list *l)
{
    if (json_is_string(v)) {
        cc_text_add(c->a, l, c->lang, str(c, v));
        return;
    }
    if (!json_is_object(v)) {
        problem(c, CC_ERROR, "ob3-type",
                "expected a string or a language map such as {\"en\": \"…\"}");
        return;
    }
    const char *lang;
    const json_t *x;
    json_object_foreach((json_t *)v, lang, x) {
        size_t old = push(c, lang);
        if (json_is_string(x))
            cc_text_add(c->a, l, cc_strdup(c->a, lang), str(c, x));
        else
            problem(c, CC_ERROR, "ob3-type", "expected a string");
        pop(c, old);
    }
}

/* "T" or ["T"]: what the writer puts back by itself, so it need not be kept. */
static bool is_default_type(const json_t *t, const char *want)
{
    return cc_json_has_str(t, want) && count(t) == 1;
}

/* Keeps what obj holds beyond the keys the model took, whole, as "ob3:<prop>". */
static void keep_rest(rd *c, cc_list *ext, const char *prop, const json_t *obj,
                      const char *const *taken, const char *type)
{
    json_t *rest = json_copy((json_t *)obj);
    for (; *taken; taken++)
        json_object_del(rest, *taken);
    if (type && is_default_type(json_object_get(rest, "type"), type))
        json_object_del(rest, "type");
    if (json_object_size(rest))
        cc_ob3_ext_keep(c->a, ext, prop, rest);
    json_decref(rest);
}

/* ------------------------------------------------------------ property tables */

typedef struct prop prop;
typedef void (*rd_fn)(rd *c, const json_t *v, void *obj, cc_list *ext, const prop *p);
struct prop {
    const char *name;
    rd_fn fn;
    size_t off;       /* the model field, for the generic readers */
    const char *arg;  /* r_type: the class name */
};

#define FIELD(obj, p, T) ((T *)((char *)(obj) + (p)->off))

static void read_props(rd *c, const json_t *o, void *obj, cc_list *ext, const prop *tab,
                       size_t n)
{
    const json_t *saved = c->cur;
    c->cur = o;
    for (size_t i = 0; i < n; i++) {
        const json_t *v = json_object_get(o, tab[i].name);
        if (!v || json_is_null(v))
            continue;
        size_t old = push(c, tab[i].name);
        tab[i].fn(c, v, obj, ext, &tab[i]);
        pop(c, old);
    }
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)o, k, v) {
        size_t i = 0;
        while (i < n && strcmp(tab[i].name, k) != 0)
            i++;
        if (i == n)
            cc_ob3_ext_keep(c->a, ext, k, v);
    }
    c->cur = saved;
}

static void r_str(rd *c, const json_t *v, void *obj, cc_list *ext, const prop *p)
{
    (void)ext;
    *FIELD(obj, p, const char *) = str(c, v);
}

static void r_texts(rd *c, const json_t *v, void *obj, cc_list *ext, const prop *p)
{
    (void)ext;
    texts(c, v, FIELD(obj, p, cc_list));
}

static void r_type(rd *c, const json_t *v, void *obj, cc_list *ext, const prop *p)
{
    (void)obj;
    if (is_default_type(v, p->arg))
        return;
    if (!cc_json_has_str(v, p->arg))
        problem(c, CC_WARNING, "ob3-type", "type does not contain \"%s\"", p->arg);
    cc_ob3_ext_keep(c->a, ext, "type", v);
}

/* An Image object or its IRI: the IRI to the model field, a caption to the bag. */
static void r_image(rd *c, const json_t *v, void *obj, cc_list *ext, const prop *p)
{
    static const char *const taken[] = {"id", NULL};
    if (!json_is_object(v)) {
        r_str(c, v, obj, ext, p);
        return;
    }
    *FIELD(obj, p, const char *) = opt_str(c, v, "id");
    keep_rest(c, ext, "image", v, taken, "Image");
}

static void r_context(rd *c, const json_t *v, void *obj, cc_list *ext, const prop *p)
{
    (void)obj, (void)p;
    json_t *extra = json_array();
    bool vc = false, ob = false;
    for (size_t i = 0; i < count(v); i++) {
        const json_t *x = json_is_array(v) ? json_array_get(v, i) : v;
        const char *s = json_string_value(x);
        if (s && strcmp(s, OB3_CTX_VC1) == 0 && i == 0)
            problem(c, CC_WARNING, "ob3-vc11",
                    "a VC Data Model 1.1 credential: read, and written as VC 2.0");
        if (s && (strcmp(s, OB3_CTX_VC2) == 0 || strcmp(s, OB3_CTX_VC1) == 0))
            vc = true;
        else if (s && strncmp(s, OB3_CTX_OB_PREFIX, strlen(OB3_CTX_OB_PREFIX)) == 0)
            ob = true;
        else
            json_array_append(extra, (json_t *)x);  /* extension contexts */
    }
    if (!vc || !ob)
        problem(c, CC_WARNING, "ob3-context", "@context lacks the %s context",
                vc ? "Open Badges 3.0" : "Verifiable Credentials");
    if (json_array_size(extra))
        cc_ob3_ext_keep(c->a, ext, "@context", extra);
    json_decref(extra);
}

/* ------------------------------------------------------------ Profile */

static void r_org_ids(rd *c, const json_t *v, void *obj, cc_list *ext, const prop *p)
{
    (void)ext, (void)p;
    cc_org *o = obj;
    for (size_t i = 0; i < count(v); i++) {
        size_t old;
        const json_t *x = item(c, v, i, &old);
        const char *id = json_is_object(x) ? opt_str(c, x, "identifier") : NULL;
        const char *type = json_is_object(x) ? opt_str(c, x, "identifierType") : NULL;
        if (!id) {
            problem(c, CC_ERROR, "ob3-type", "an IdentifierEntry needs an \"identifier\"");
        } else {
            if (type && strncmp(type, "ext:", 4) == 0)
                type += 4;
            cc_list_append(&o->identifiers, cc_code_new(c->a, type, id, NULL, NULL));
        }
        pop(c, old);
    }
}

static void r_address(rd *c, const json_t *v, void *obj, cc_list *ext, const prop *p)
{
    (void)p;
    static const char *const taken[] = {"addressCountryCode", NULL};
    if (!json_is_object(v)) {
        problem(c, CC_ERROR, "ob3-type", "an Address must be an object");
        return;
    }
    ((cc_org *)obj)->country = opt_str(c, v, "addressCountryCode");
    keep_rest(c, ext, "address", v, taken, "Address");
}

static const prop org_props[] = {
    {.name = "id", .fn = r_str, .off = offsetof(cc_org, id)},
    {.name = "type", .fn = r_type, .arg = "Profile"},
    {.name = "name", .fn = r_texts, .off = offsetof(cc_org, name)},
    {.name = "url", .fn = r_str, .off = offsetof(cc_org, url)},
    {.name = "email", .fn = r_str, .off = offsetof(cc_org, email)},
    {.name = "otherIdentifier", .fn = r_org_ids},
    {.name = "address", .fn = r_address},
    {.name = "image", .fn = r_image, .off = offsetof(cc_org, logo)},
};

static cc_org *read_org(rd *c, const json_t *v, const char *role)
{
    cc_org *o = cc_org_new(c->a);
    o->role = role;
    if (json_is_string(v)) {
        o->id = str(c, v);
        return o;
    }
    if (!json_is_object(v)) {
        problem(c, CC_ERROR, "ob3-type", "expected a Profile object or its IRI");
        return NULL;
    }
    read_props(c, v, o, &o->ext, org_props, N(org_props));
    return o;
}

/* ------------------------------------------------------------ Achievement */

static void r_criteria(rd *c, const json_t *v, void *obj, cc_list *ext, const prop *p)
{
    (void)p;
    static const char *const taken[] = {"id", "narrative", NULL};
    cc_achievement *a = obj;
    if (!json_is_object(v)) {
        problem(c, CC_ERROR, "ob3-type", "criteria must be an object with id or narrative");
        return;
    }
    a->homepage = opt_str(c, v, "id");  /* the page that describes the achievement */
    const json_t *n = json_object_get(v, "narrative");
    if (n) {
        size_t old = push(c, "narrative");
        texts(c, n, &a->criteria);
        pop(c, old);
    }
    keep_rest(c, ext, "criteria", v, taken, "Criteria");
}

static void r_kind(rd *c, const json_t *v, void *obj, cc_list *ext, const prop *p)
{
    (void)ext, (void)p;
    const char *t = str(c, v);
    if (t)
        ((cc_achievement *)obj)->kind = cc_ob3_type_to_kind(c->a, t);
}

static void r_number(rd *c, const json_t *v, void *obj, cc_list *ext, const prop *p)
{
    if (!json_is_number(v)) {
        r_str(c, v, obj, ext, p);
        return;
    }
    char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    *FIELD(obj, p, const char *) = cc_strdup(c->a, s);
    free(s);
}

static void r_creator(rd *c, const json_t *v, void *obj, cc_list *ext, const prop *p)
{
    (void)ext, (void)p;
    cc_org *o = read_org(c, v, "creator");
    if (o)
        cc_list_append(&((cc_achievement *)obj)->orgs, o);
}

/* The entry the writer derives from humanCode is dropped; the others are kept. */
static void r_ach_ids(rd *c, const json_t *v, void *obj, cc_list *ext, const prop *p)
{
    (void)obj, (void)p;
    const char *code = json_string_value(json_object_get(c->cur, "humanCode"));
    json_t *rest = json_array();
    for (size_t i = 0; i < count(v); i++) {
        const json_t *x = json_is_array(v) ? json_array_get(v, i) : v;
        const char *id = json_string_value(json_object_get(x, "identifier"));
        const char *type = json_string_value(json_object_get(x, "identifierType"));
        if (!(code && id && type && strcmp(id, code) == 0 && strcmp(type, "identifier") == 0))
            json_array_append(rest, (json_t *)x);
    }
    if (json_array_size(rest))
        cc_ob3_ext_keep(c->a, ext, "otherIdentifier", rest);
    json_decref(rest);
}

static int eqf_level(const char *url)
{
    return cc_vocab_eqf_level(url);
}

/* An alignment the writer derives from a model field, read back into that field:
 * the EQF level, and the fiche a block belongs to.  True when taken. */
static bool derived_alignment(rd *c, cc_achievement *a, const json_t *x)
{
    const char *url = json_string_value(json_object_get(x, "targetUrl"));
    const char *code = json_string_value(json_object_get(x, "targetCode"));
    const char *type = json_string_value(json_object_get(x, "targetType"));
    const ob3_framework *f =
        cc_ob3_framework_by_name(json_string_value(json_object_get(x, "targetFramework")));
    if (!a->eqf_level && eqf_level(url)) {
        a->eqf_level = eqf_level(url);
        return true;
    }
    if (!a->part_of && f && f->digits && code && type && strcmp(type, "ceterms:Credential") == 0) {
        a->part_of = cc_strdup(c->a, code);
        return true;
    }
    return false;
}

static cc_code *alignment(rd *c, const json_t *x)
{
    cc_code *k = cc_alloc(c->a, sizeof *k);
    const char *fw = opt_str(c, x, "targetFramework");
    const ob3_framework *f = cc_ob3_framework_by_name(fw);
    k->scheme = f ? f->scheme : fw;
    k->code = opt_str(c, x, "targetCode");
    k->uri = opt_str(c, x, "targetUrl");
    const json_t *name = json_object_get(x, "targetName");
    if (name) {
        size_t old = push(c, "targetName");
        texts(c, name, &k->label);
        pop(c, old);
    }
    const char *derived = cc_ob3_framework_url(c->a, f, k->code);
    if (derived && k->uri && strcmp(derived, k->uri) == 0)
        k->uri = NULL;  /* the writer builds it again from the code */
    return k;
}

/* targetDescription, targetType… have no model field: kept as an array parallel to the
 * model's alignments (null where there is nothing more). */
static void r_alignments(rd *c, const json_t *v, void *obj, cc_list *ext, const prop *p)
{
    (void)p;
    static const char *const taken[] = {"targetFramework", "targetCode", "targetUrl",
                                        "targetName", NULL};
    cc_achievement *a = obj;
    json_t *rests = json_array();
    bool any = false;
    for (size_t i = 0; i < count(v); i++) {
        size_t old;
        const json_t *x = item(c, v, i, &old);
        if (!json_is_object(x)) {
            problem(c, CC_ERROR, "ob3-type", "an Alignment must be an object");
        } else if (!derived_alignment(c, a, x)) {
            cc_list_append(&a->alignments, alignment(c, x));
            cc_list tmp = {0};
            keep_rest(c, &tmp, "item", x, taken, "Alignment");
            json_t *rest = tmp.head ? cc_ob3_ext_json(tmp.head) : json_null();
            any |= !json_is_null(rest);
            json_array_append_new(rests, rest);
        }
        pop(c, old);
    }
    if (any)
        cc_ob3_ext_keep(c->a, ext, "alignment", rests);
    json_decref(rests);
}

static const prop ach_props[] = {
    {.name = "@context", .fn = r_context},
    {.name = "id", .fn = r_str, .off = offsetof(cc_achievement, id)},
    {.name = "type", .fn = r_type, .arg = "Achievement"},
    {.name = "name", .fn = r_texts, .off = offsetof(cc_achievement, title)},
    {.name = "description", .fn = r_texts, .off = offsetof(cc_achievement, description)},
    {.name = "criteria", .fn = r_criteria},
    {.name = "achievementType", .fn = r_kind},
    {.name = "humanCode", .fn = r_str, .off = offsetof(cc_achievement, code)},
    {.name = "otherIdentifier", .fn = r_ach_ids},
    {.name = "alignment", .fn = r_alignments},
    {.name = "creator", .fn = r_creator},
    {.name = "image", .fn = r_image, .off = offsetof(cc_achievement, image)},
    {.name = "inLanguage", .fn = r_str, .off = offsetof(cc_achievement, language)},
    {.name = "creditsAvailable", .fn = r_number, .off = offsetof(cc_achievement, credits)},
};

static cc_achievement *read_achievement(rd *c, const json_t *v)
{
    if (!json_is_object(v)) {
        problem(c, CC_ERROR, "ob3-type", "an Achievement must be an object");
        return NULL;
    }
    cc_achievement *a = cc_achievement_new(c->a);
    const char *saved = c->lang;
    const json_t *lang = json_object_get(v, "inLanguage");
    c->lang = json_is_string(lang) ? cc_strdup(c->a, json_string_value(lang)) : NULL;
    read_props(c, v, a, &a->ext, ach_props, N(ach_props));
    c->lang = saved;
    return a;
}

/* ------------------------------------------------------------ credential */

/* A plain e-mail or name identifier is the person's e-mail or name in the model (the
 * writer puts them back as identifiers), so other formats see them. */
static bool person_field(cc_person *p, const cc_identity *id)
{
    if (id->hashed || id->salt || !id->type)
        return false;  /* a salt, even unused, would be lost */
    if (!p->email && strcmp(id->type, "emailAddress") == 0)
        return (p->email = id->value) != NULL;
    if (!p->full_name && strcmp(id->type, "name") == 0)
        return (p->full_name = id->value) != NULL;
    return false;
}

static void identities(rd *c, const json_t *v, cc_person *p)
{
    for (size_t i = 0; i < count(v); i++) {
        size_t old;
        const json_t *x = item(c, v, i, &old);
        if (!json_is_object(x)) {
            problem(c, CC_ERROR, "ob3-type", "an identifier must be an IdentityObject");
        } else {
            cc_identity *id = cc_alloc(c->a, sizeof *id);
            id->type = cc_ob3_identity_type(c->a, opt_str(c, x, "identityType"));
            id->value = opt_str(c, x, "identityHash");
            id->hashed = json_is_true(json_object_get(x, "hashed"));
            id->salt = opt_str(c, x, "salt");
            if (id->value && !person_field(p, id))
                cc_list_append(&p->identifiers, id);
            else if (!id->value)
                problem(c, CC_ERROR, "ob3-missing", "an IdentityObject needs an identityHash");
        }
        pop(c, old);
    }
}

/* The values of the results: a view for other formats; the array itself stays in the
 * subject's rest, which is what the writer puts back. */
static void result_values(rd *c, const json_t *v, cc_list *l)
{
    for (size_t i = 0; i < count(v); i++) {
        const json_t *x = json_is_array(v) ? json_array_get(v, i) : v;
        const json_t *val = json_object_get(x, "value");
        if (json_is_string(val))
            cc_text_add(c->a, l, NULL, cc_strdup(c->a, json_string_value(val)));
    }
}

static void r_subject(rd *c, const json_t *v, void *obj, cc_list *ext, const prop *p)
{
    (void)p;
    static const char *const taken[] = {"id", "identifier", "achievement", NULL};
    cc_credential *k = obj;
    if (json_is_array(v) && json_array_size(v) == 1)
        v = json_array_get(v, 0);
    if (!json_is_object(v)) {
        problem(c, CC_ERROR, "ob3-type",
                "credentialSubject must be one object (an AchievementSubject)");
        return;
    }
    k->subject = cc_alloc(c->a, sizeof *k->subject);
    k->subject->id = opt_str(c, v, "id");
    const json_t *x;
    if ((x = json_object_get(v, "identifier"))) {
        size_t old = push(c, "identifier");
        identities(c, x, k->subject);
        pop(c, old);
    }
    if ((x = json_object_get(v, "achievement"))) {
        size_t old = push(c, "achievement");
        k->achievement = read_achievement(c, x);
        pop(c, old);
    }
    if ((x = json_object_get(v, "result")))
        result_values(c, x, &k->results);
    keep_rest(c, ext, "credentialSubject", v, taken, "AchievementSubject");
}

static void r_issuer(rd *c, const json_t *v, void *obj, cc_list *ext, const prop *p)
{
    (void)ext, (void)p;
    ((cc_credential *)obj)->issuer = read_org(c, v, "issuer");
}

/* validFrom (VC 2.0) or issuanceDate (VC 1.1): the model's issued and validFrom. */
static void r_valid_from(rd *c, const json_t *v, void *obj, cc_list *ext, const prop *p)
{
    (void)ext, (void)p;
    cc_credential *k = obj;
    k->issued = k->valid_from = str(c, v);
}

static void r_evidence(rd *c, const json_t *v, void *obj, cc_list *ext, const prop *p)
{
    (void)p;
    static const char *const taken[] = {"id", "name", NULL};
    cc_credential *k = obj;
    json_t *rests = json_array();
    bool any = false;
    for (size_t i = 0; i < count(v); i++) {
        size_t old;
        const json_t *x = item(c, v, i, &old);
        cc_code *e = cc_alloc(c->a, sizeof *e);
        json_t *rest = json_null();
        if (json_is_object(x)) {
            e->uri = opt_str(c, x, "id");
            const char *name = opt_str(c, x, "name");
            if (name)
                cc_text_add(c->a, &e->label, NULL, name);
            cc_list tmp = {0};
            keep_rest(c, &tmp, "item", x, taken, "Evidence");
            if (tmp.head) {
                json_decref(rest);
                rest = cc_ob3_ext_json(tmp.head);
                any = true;
            }
        } else {
            e->uri = str(c, x);  /* an IRI */
        }
        cc_list_append(&k->evidence, e);
        json_array_append_new(rests, rest);
        pop(c, old);
    }
    if (any)
        cc_ob3_ext_keep(c->a, ext, "evidence", rests);
    json_decref(rests);
}

/* [VerifiableCredential, OpenBadgeCredential] or its alias AchievementCredential. */
static void r_cred_type(rd *c, const json_t *v, void *obj, cc_list *ext, const prop *p)
{
    (void)obj, (void)p;
    if (count(v) == 2 && cc_json_has_str(v, "VerifiableCredential") &&
        (cc_json_has_str(v, "OpenBadgeCredential") || cc_json_has_str(v, "AchievementCredential")))
        return;
    cc_ob3_ext_keep(c->a, ext, "type", v);
}

static const prop cred_props[] = {
    {.name = "@context", .fn = r_context},
    {.name = "id", .fn = r_str, .off = offsetof(cc_credential, id)},
    {.name = "type", .fn = r_cred_type},
    {.name = "name", .fn = r_texts, .off = offsetof(cc_credential, name)},
    {.name = "description", .fn = r_texts, .off = offsetof(cc_credential, description)},
    {.name = "issuer", .fn = r_issuer},
    {.name = "validFrom", .fn = r_valid_from},
    {.name = "issuanceDate", .fn = r_valid_from},
    {.name = "validUntil", .fn = r_str, .off = offsetof(cc_credential, valid_until)},
    {.name = "expirationDate", .fn = r_str, .off = offsetof(cc_credential, valid_until)},
    {.name = "awardedDate", .fn = r_str, .off = offsetof(cc_credential, awarded)},
    {.name = "credentialSubject", .fn = r_subject},
    {.name = "evidence", .fn = r_evidence},
};

static void missing(rd *c, cc_severity sev, const char *where, const char *what)
{
    size_t old = strlen(c->ptr);
    snprintf(c->ptr + old, sizeof c->ptr - old, "%s", where);
    problem(c, sev, "ob3-missing", "missing %s", what);
    pop(c, old);
}

/* The shape rules a credential must meet to be mapped at all. */
static void check_credential(rd *c, const cc_credential *k, const json_t *doc)
{
    const json_t *subject = json_object_get(doc, "credentialSubject");
    if (!json_object_get(doc, "issuer"))
        missing(c, CC_ERROR, "/issuer", "issuer");
    if (!k->valid_from)
        missing(c, CC_WARNING, "/validFrom", "validFrom");
    if (!subject)
        missing(c, CC_ERROR, "/credentialSubject", "credentialSubject");
    else if (k->subject && !k->achievement &&
             !cc_json_has_str(json_object_get(doc, "type"), "EndorsementCredential"))
        missing(c, CC_ERROR, "/credentialSubject/achievement", "achievement");
}

static cc_record *read_doc(rd *c, const json_t *doc)
{
    if (!json_is_object(doc)) {
        problem(c, CC_ERROR, "ob3-type", "an Open Badges 3.0 document is a JSON object");
        return NULL;
    }
    const json_t *t = json_object_get(doc, "type");
    bool cred = cc_json_has_str(t, "VerifiableCredential") || cc_json_has_str(t, "OpenBadgeCredential") ||
                cc_json_has_str(t, "AchievementCredential") || cc_json_has_str(t, "EndorsementCredential");
    if (!cred && !cc_json_has_str(t, "Achievement")) {
        missing(c, CC_ERROR, "/type", "type OpenBadgeCredential, AchievementCredential or "
                                      "Achievement: not an Open Badges 3.0 document");
        return NULL;
    }
    cc_record *r = cc_record_new(cred ? CC_REC_CREDENTIAL : CC_REC_ACHIEVEMENT);
    c->a = r->arena;
    if (cred) {
        read_props(c, doc, r->credential, &r->credential->ext, cred_props, N(cred_props));
        check_credential(c, r->credential, doc);
    } else {
        r->achievement = read_achievement(c, doc);
    }
    if (c->errors) {
        cc_record_free(r);
        return NULL;
    }
    return r;
}

/* ------------------------------------------------------------ validation */

/* The schema a document is checked against: the credential schema's root, its
 * Achievement or EndorsementCredential definition for those documents.  A --schema file
 * is used the same way (the official schemas have the same $defs names). */
#define SCHEMA_URI OB3_SCHEMA_URI

typedef struct validation {
    cc_schema_set *set;
    rd *c;
    int errors;
} validation;

static cc_schema_set *load_schema(cc_read_ctx *ctx)
{
    return cc_schema_load(ctx, OB3_SCHEMA_FILE, SCHEMA_URI);
}

static void on_schema_error(void *ud, const char *instance, const char *keyword, const char *msg)
{
    validation *v = ud;
    (void)keyword;
    size_t old = strlen(v->c->ptr);
    snprintf(v->c->ptr, sizeof v->c->ptr, "%s", instance);
    problem(v->c, CC_ERROR, "ob3-schema", "%s", msg);
    v->c->ptr[old] = '\0';
    v->errors++;
}

/* A VC Data Model 1.1 credential is read with a warning, as the 1EdTech validator does:
 * it is checked as the VC 2.0 credential it maps to (context, issuanceDate → validFrom,
 * expirationDate → validUntil), not failed for its older vocabulary.  So are the VC 1.1
 * credentials embedded in it (endorsements of its achievement or issuer, at any depth). */
static bool vc11(const json_t *doc)
{
    const json_t *ctx = json_object_get(doc, "@context");
    const char *first = json_string_value(json_is_array(ctx) ? json_array_get(ctx, 0) : ctx);
    return first && strcmp(first, "https://www.w3.org/2018/credentials/v1") == 0;
}

static void to_vc2(json_t *v, int depth)
{
    if (depth > 64)  /* the parser bounds nesting; this bounds the walk on its own */
        return;
    size_t i;
    const char *k;
    json_t *x;
    json_array_foreach(v, i, x)
        to_vc2(x, depth + 1);
    json_object_foreach(v, k, x)
        to_vc2(x, depth + 1);
    if (!json_is_object(v) || !vc11(v))
        return;
    json_t *c2 = json_object_get(v, "@context");
    if (json_is_array(c2))
        json_array_set_new(c2, 0, json_string("https://www.w3.org/ns/credentials/v2"));
    static const char *const renames[][2] = {{"issuanceDate", "validFrom"},
                                             {"expirationDate", "validUntil"}};
    for (size_t r = 0; r < 2; r++) {
        json_t *val = json_object_get(v, renames[r][0]), *now = json_object_get(v, renames[r][1]);
        if (val && (!now || json_is_null(now))) {  /* a null VC 2.0 name: not given */
            json_object_set(v, renames[r][1], val);
            json_object_del(v, renames[r][0]);
        }
    }
}

static json_t *as_vc2(const json_t *doc)
{
    json_t *copy = json_deep_copy(doc);
    to_vc2(copy, 0);
    return copy;
}

/* Returns how many schema errors the document has. */
static int validate(cc_schema_set *set, rd *c, const json_t *doc)
{
    char uri[128];
    cc_ob3_schema_uri(doc, uri, sizeof uri);
    validation v = {.set = set, .c = c};
    int errors_before = c->errors;
    json_t *vc2 = as_vc2(doc);
    if (cc_schema_validate(set, uri, vc2, CC_SCHEMA_FORMAT_ASSERT, on_schema_error, &v) < 0 &&
        !v.errors)
        v.errors = 1;
    json_decref(vc2);
    c->errors = errors_before;  /* an invalid document is still mapped when it can be */
    return v.errors;
}

/* ------------------------------------------------------------ the reader */

/* The writer puts a fiche's blocks on the lines after it, each its own Achievement linked
 * to the fiche; reading them back, the blocks that follow their fiche become its parts
 * again, so OB 3.0 → RNCP gives one FICHE with its blocks.  Only one fiche is held. */
typedef struct holder {
    cc_read_ctx *ctx;
    cc_record *held;
    cc_schema_set *set;  /* validation: the schema, else NULL */
    cc_jsonld_cache contexts;  /* validation: the JSON-LD contexts read, kept for the next doc */
    long index;
    int stop;            /* what the sink last answered */
} holder;

static int flush(holder *h)
{
    cc_record *r = h->held;
    h->held = NULL;
    return r ? h->ctx->sink.record(h->ctx->sink.ud, r) : 0;
}

static int deliver(holder *h, cc_record *r)
{
    cc_achievement *a = r->kind == CC_REC_ACHIEVEMENT ? r->achievement : NULL;
    cc_record *f = h->held;
    if (a && a->part_of && f && f->achievement->code &&
        strcmp(f->achievement->code, a->part_of) == 0) {
        cc_list_append(&f->achievement->parts, a);
        f->invalid += r->invalid;
        cc_record_adopt(f, r);
        return 0;
    }
    int stop = flush(h);
    if (stop) {
        cc_record_free(r);
        return stop;
    }
    if (a && !a->part_of && a->code) {
        h->held = r;
        return 0;
    }
    return h->ctx->sink.record(h->ctx->sink.ud, r);
}

static int emit(void *ud, const json_t *doc, long line)
{
    holder *h = ud;
    cc_read_ctx *ctx = h->ctx;
    if (!doc) {  /* a line that is not JSON (reported): a record of its own, rejected */
        int stop = flush(h);
        ++h->index;
        return h->stop = stop ? stop : ctx->sink.reject(ctx->sink.ud, ctx->in->name, line, NULL);
    }
    cc_schema_set *set = h->set;
    rd c = {.ctx = ctx, .line = line};
    const json_t *id = json_object_get(doc, "id");
    if (json_is_string(id) && json_string_length(id) < 256)
        c.rec = json_string_value(id);
    int invalid = set ? validate(set, &c, doc) +
                            cc_ob3_check(doc, ctx->diag, ctx->in->name, line, c.rec) +
                            cc_ob3_check_terms(doc, &h->contexts, ctx->diag, ctx->in->name, line, c.rec)
                      : 0;
    cc_record *r = read_doc(&c, doc);
    ++h->index;
    if (!r)
        return h->stop = ctx->sink.reject(ctx->sink.ud, ctx->in->name, line, c.rec);
    r->src_file = ctx->in->name;
    r->src_line = line;
    r->src_index = h->index;
    r->invalid = invalid;
    return h->stop = deliver(h, r);
}

int cc_ob3_read(cc_read_ctx *ctx)
{
    bool checked = ctx->validate || ctx->verify;  /* verify validates what it verified */
    cc_schema_set *set = checked ? load_schema(ctx) : NULL;
    if (checked && !set)
        return 1;
    holder h = {.ctx = ctx, .set = set, .contexts = {0}};
    cc_jsonld_cache_init(&h.contexts, ctx->fetch);
    int rc = cc_json_records(ctx, emit, &h);
    if (h.stop)
        cc_record_free(h.held);  /* the sink said stop: nothing more is handed on */
    else
        flush(&h);  /* complete, even when a syntax error follows it */
    cc_schema_release(ctx, set);
    cc_jsonld_cache_free(&h.contexts);
    return rc;
}
