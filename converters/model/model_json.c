/* The model <-> its JSON form, driven by one field table per struct, so the writer and the
 * reader cannot drift apart and a new model field is one table line. */
#include "cc_jsonread.h"
#include "cc_model_json.h"

#include <stddef.h>
#include <string.h>

typedef enum { F_STR, F_TEXTS, F_INT, F_TRI, F_FLAG, F_OBJ, F_LIST, F_EXTS } ftype;

typedef struct desc desc;
typedef struct field {
    const char *key;
    ftype type;
    size_t off;
    const desc *sub;
} field;
struct desc {
    size_t size;
    const field *fields;
    size_t n;
    void (*init)(void *obj);  /* defaults that are not zero */
};

#define N(a) (sizeof a / sizeof a[0])
#define S(T, k, m) {k, F_STR, offsetof(T, m), NULL}
#define TX(T, k, m) {k, F_TEXTS, offsetof(T, m), NULL}
#define O(T, k, m, d) {k, F_OBJ, offsetof(T, m), &d}
#define L(T, k, m, d) {k, F_LIST, offsetof(T, m), &d}
#define X(T, m) {"ext", F_EXTS, offsetof(T, m), NULL}

static const field code_f[] = {
    S(cc_code, "scheme", scheme), S(cc_code, "code", code), TX(cc_code, "label", label),
    S(cc_code, "uri", uri),
};
static const desc code_d = {.size = sizeof(cc_code), .fields = code_f, .n = N(code_f)};

static const field org_f[] = {
    S(cc_org, "id", id), S(cc_org, "role", role), TX(cc_org, "name", name),
    L(cc_org, "identifiers", identifiers, code_d), S(cc_org, "url", url),
    S(cc_org, "email", email), S(cc_org, "country", country), S(cc_org, "logo", logo),
    X(cc_org, ext),
};
static const desc org_d = {.size = sizeof(cc_org), .fields = org_f, .n = N(org_f)};

static const field outcome_f[] = {
    TX(cc_outcome, "text", text), {.key = "level", .type = F_INT, .off = offsetof(cc_outcome, level)},
    S(cc_outcome, "uri", uri), S(cc_outcome, "id", id),
};
static const desc outcome_d = {.size = sizeof(cc_outcome), .fields = outcome_f, .n = N(outcome_f)};

static void ach_init(void *p) { ((cc_achievement *)p)->active = -1; }
extern const desc ach_d;
static const field ach_f[] = {
    S(cc_achievement, "id", id), S(cc_achievement, "code", code), S(cc_achievement, "kind", kind),
    O(cc_achievement, "type", type, code_d), TX(cc_achievement, "title", title),
    TX(cc_achievement, "description", description), TX(cc_achievement, "criteria", criteria),
    TX(cc_achievement, "assessment", assessment),
    TX(cc_achievement, "entryRequirements", entry_requirements),
    TX(cc_achievement, "outcomesText", outcomes_text),
    L(cc_achievement, "outcomes", outcomes, outcome_d),
    {.key = "eqfLevel", .type = F_INT, .off = offsetof(cc_achievement, eqf_level)},
    O(cc_achievement, "nqfLevel", nqf_level, code_d), S(cc_achievement, "credits", credits),
    S(cc_achievement, "volume", volume), L(cc_achievement, "alignments", alignments, code_d),
    L(cc_achievement, "organizations", orgs, org_d), L(cc_achievement, "parts", parts, ach_d),
    S(cc_achievement, "partOf", part_of),
    L(cc_achievement, "predecessors", predecessors, code_d),
    L(cc_achievement, "successors", successors, code_d), S(cc_achievement, "homepage", homepage),
    S(cc_achievement, "image", image), S(cc_achievement, "validUntil", valid_until),
    {.key = "active", .type = F_TRI, .off = offsetof(cc_achievement, active)},
    S(cc_achievement, "language", language), X(cc_achievement, ext),
};
const desc ach_d = {.size = sizeof(cc_achievement), .fields = ach_f, .n = N(ach_f), .init = ach_init};

static const field identity_f[] = {
    S(cc_identity, "type", type), S(cc_identity, "value", value),
    {.key = "hashed", .type = F_FLAG, .off = offsetof(cc_identity, hashed)}, S(cc_identity, "salt", salt),
};
static const desc identity_d = {.size = sizeof(cc_identity), .fields = identity_f, .n = N(identity_f)};

static const field person_f[] = {
    S(cc_person, "id", id), S(cc_person, "givenName", given_name),
    S(cc_person, "familyName", family_name), S(cc_person, "fullName", full_name),
    S(cc_person, "email", email), S(cc_person, "birthDate", birth_date),
    L(cc_person, "identifiers", identifiers, identity_d),
};
static const desc person_d = {.size = sizeof(cc_person), .fields = person_f, .n = N(person_f)};

static const field cred_f[] = {
    S(cc_credential, "id", id), TX(cc_credential, "name", name),
    TX(cc_credential, "description", description), O(cc_credential, "issuer", issuer, org_d),
    S(cc_credential, "issued", issued), S(cc_credential, "validFrom", valid_from),
    S(cc_credential, "validUntil", valid_until), S(cc_credential, "awarded", awarded),
    O(cc_credential, "subject", subject, person_d),
    O(cc_credential, "achievement", achievement, ach_d),
    TX(cc_credential, "results", results), L(cc_credential, "evidence", evidence, code_d),
    X(cc_credential, ext),
};
static const desc cred_d = {.size = sizeof(cc_credential), .fields = cred_f, .n = N(cred_f)};

#define AT(obj, f, T) ((T *)((char *)(obj) + (f)->off))
#define CAT(obj, f, T) ((const T *)((const char *)(obj) + (f)->off))

/* ------------------------------------------------------------------ writing */

static void write_obj(cc_jw *w, const desc *d, const void *obj);

static void write_texts(cc_jw *w, const cc_list *l)
{
    cc_jw_obj(w);
    for (const cc_text *t = l->head; t; t = t->next) {
        cc_jw_key(w, t->lang ? t->lang : "und");
        cc_jw_str(w, t->value);
    }
    cc_jw_obj_end(w);
}

static void write_exts(cc_jw *w, const cc_list *l)
{
    cc_jw_arr(w);
    for (const cc_ext *e = l->head; e; e = e->next) {
        cc_jw_obj(w);
        cc_jw_kstr(w, "name", e->name);
        if (e->value && e->is_bool) {
            cc_jw_key(w, "value");
            cc_jw_bool(w, strcmp(e->value, "true") == 0);
        } else {
            cc_jw_kstr(w, "value", e->value);
        }
        if (e->children.n) {
            cc_jw_key(w, "children");
            write_exts(w, &e->children);
        }
        cc_jw_obj_end(w);
    }
    cc_jw_arr_end(w);
}

static void write_field(cc_jw *w, const field *f, const void *obj)
{
    switch (f->type) {
    case F_STR:
        cc_jw_kstr(w, f->key, *CAT(obj, f, char *));
        break;
    case F_INT:
        if (*CAT(obj, f, int)) {
            cc_jw_key(w, f->key);
            cc_jw_int(w, *CAT(obj, f, int));
        }
        break;
    case F_FLAG:
        if (*CAT(obj, f, bool)) {
            cc_jw_key(w, f->key);
            cc_jw_bool(w, true);
        }
        break;
    case F_TRI:
        if (*CAT(obj, f, int) >= 0) {
            cc_jw_key(w, f->key);
            cc_jw_bool(w, *CAT(obj, f, int) > 0);
        }
        break;
    case F_TEXTS:
    case F_LIST:
    case F_EXTS: {
        const cc_list *l = CAT(obj, f, cc_list);
        if (!l->n)
            break;
        cc_jw_key(w, f->key);
        if (f->type == F_TEXTS) {
            write_texts(w, l);
        } else if (f->type == F_EXTS) {
            write_exts(w, l);
        } else {
            cc_jw_arr(w);
            for (const void *it = l->head; it; it = *(void *const *)it)
                write_obj(w, f->sub, it);
            cc_jw_arr_end(w);
        }
        break;
    }
    case F_OBJ: {
        const void *sub = *CAT(obj, f, void *);
        if (sub) {
            cc_jw_key(w, f->key);
            write_obj(w, f->sub, sub);
        }
        break;
    }
    }
}

static void write_obj(cc_jw *w, const desc *d, const void *obj)
{
    cc_jw_obj(w);
    for (size_t i = 0; i < d->n; i++)
        write_field(w, &d->fields[i], obj);
    cc_jw_obj_end(w);
}

void cc_model_write(cc_jw *w, const cc_record *r)
{
    cc_jw_obj(w);
    cc_jw_kstr(w, "model", CC_MODEL_TAG);
    if (r->kind == CC_REC_ACHIEVEMENT) {
        cc_jw_key(w, "achievement");
        write_obj(w, &ach_d, r->achievement);
    } else {
        cc_jw_key(w, "credential");
        write_obj(w, &cred_d, r->credential);
    }
    cc_jw_obj_end(w);
}

/* ------------------------------------------------------------------ reading */

typedef struct rctx {
    cc_arena *a;
    const char *file;
    long line;
    const cc_diag_sink *diag;
    int errors;
    char ptr[512];  /* JSON pointer of the value being read */
} rctx;

static void problem(rctx *c, cc_severity sev, const char *rule, const char *msg)
{
    cc_diag d = {.severity = sev, .file = c->file, .line = c->line, .pointer = c->ptr, .rule = rule,
                 .message = msg};
    if (c->diag && c->diag->emit)
        c->diag->emit(c->diag->ud, &d);
    if (sev == CC_ERROR)
        c->errors++;
}

static size_t ptr_push(rctx *c, const char *key)
{
    return cc_ptr_push(c->ptr, sizeof c->ptr, key);
}

static size_t ptr_push_index(rctx *c, size_t i)
{
    return cc_ptr_push_index(c->ptr, sizeof c->ptr, i);
}

static int read_obj(rctx *c, const desc *d, const json_t *j, void *obj);

static const char *read_str(rctx *c, const json_t *j)
{
    if (!json_is_string(j)) {
        problem(c, CC_ERROR, "model-type", "expected a string");
        return NULL;
    }
    return cc_strndup(c->a, json_string_value(j), json_string_length(j));
}

static void read_texts(rctx *c, const json_t *j, cc_list *l)
{
    if (!json_is_object(j)) {
        problem(c, CC_ERROR, "model-type", "expected a language map such as {\"fr\": \"…\"}");
        return;
    }
    const char *lang;
    const json_t *v;
    json_object_foreach((json_t *)j, lang, v) {
        size_t old = ptr_push(c, lang);
        const char *s = read_str(c, v);
        if (s)
            cc_text_add(c->a, l, strcmp(lang, "und") ? cc_strdup(c->a, lang) : NULL, s);
        c->ptr[old] = '\0';
    }
}

static void read_exts(rctx *c, const json_t *j, cc_list *l)
{
    if (!json_is_array(j)) {
        problem(c, CC_ERROR, "model-type", "expected an array of extension entries");
        return;
    }
    size_t i;
    const json_t *e;
    json_array_foreach(j, i, e) {
        size_t old = ptr_push_index(c, i);
        const json_t *name = json_object_get(e, "name"), *value = json_object_get(e, "value");
        const json_t *kids = json_object_get(e, "children");
        if (!json_is_object(e) || !json_is_string(name)) {
            problem(c, CC_ERROR, "model-type", "an extension entry needs a string \"name\"");
        } else {
            cc_ext *x = cc_ext_add(c->a, l, read_str(c, name), NULL);
            if (json_is_boolean(value)) {
                x->value = json_is_true(value) ? "true" : "false";
                x->is_bool = true;
            } else if (value) {
                x->value = read_str(c, value);
            }
            if (kids)
                read_exts(c, kids, &x->children);
        }
        c->ptr[old] = '\0';
    }
}

static void read_list(rctx *c, const field *f, const json_t *j, cc_list *l)
{
    if (!json_is_array(j)) {
        problem(c, CC_ERROR, "model-type", "expected an array");
        return;
    }
    size_t i;
    const json_t *e;
    json_array_foreach(j, i, e) {
        size_t old = ptr_push_index(c, i);
        void *item = cc_alloc(c->a, f->sub->size);
        if (read_obj(c, f->sub, e, item) == 0)
            cc_list_append(l, item);
        c->ptr[old] = '\0';
    }
}

static void read_int(rctx *c, const json_t *j, int *out)
{
    if (!json_is_integer(j) || json_integer_value(j) < 0 || json_integer_value(j) > 1000000)
        problem(c, CC_ERROR, "model-type", "expected a small non-negative integer");
    else
        *out = (int)json_integer_value(j);
}

static void read_field(rctx *c, const field *f, const json_t *j, void *obj)
{
    switch (f->type) {
    case F_STR:
        *AT(obj, f, const char *) = read_str(c, j);
        break;
    case F_INT:
        read_int(c, j, AT(obj, f, int));
        break;
    case F_FLAG:
        if (json_is_boolean(j))
            *AT(obj, f, bool) = json_is_true(j);
        else
            problem(c, CC_ERROR, "model-type", "expected true or false");
        break;
    case F_TRI:
        if (json_is_boolean(j))
            *AT(obj, f, int) = json_is_true(j);
        else
            problem(c, CC_ERROR, "model-type", "expected true or false");
        break;
    case F_TEXTS:
        read_texts(c, j, AT(obj, f, cc_list));
        break;
    case F_EXTS:
        read_exts(c, j, AT(obj, f, cc_list));
        break;
    case F_LIST:
        read_list(c, f, j, AT(obj, f, cc_list));
        break;
    case F_OBJ: {
        void *sub = cc_alloc(c->a, f->sub->size);
        if (read_obj(c, f->sub, j, sub) == 0)
            *AT(obj, f, void *) = sub;
        break;
    }
    }
}

static const field *find_field(const desc *d, const char *key)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->fields[i].key, key) == 0)
            return &d->fields[i];
    return NULL;
}

static int read_obj(rctx *c, const desc *d, const json_t *j, void *obj)
{
    if (!json_is_object(j)) {
        problem(c, CC_ERROR, "model-type", "expected an object");
        return -1;
    }
    if (d->init)
        d->init(obj);
    int before = c->errors;
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)j, key, v) {
        size_t old = ptr_push(c, key);
        const field *f = find_field(d, key);
        if (!f)
            problem(c, CC_WARNING, "model-unknown-key", "unknown key, ignored");
        else if (!json_is_null(v))
            read_field(c, f, v, obj);
        c->ptr[old] = '\0';
    }
    return c->errors > before ? -1 : 0;
}

cc_record *cc_model_read(const json_t *j, const char *file, long line, const cc_diag_sink *diag)
{
    rctx c = {.file = file, .line = line, .diag = diag};
    const json_t *tag = json_object_get(j, "model");
    const json_t *ach = json_object_get(j, "achievement");
    const json_t *cred = json_object_get(j, "credential");
    if (!json_is_object(j) || !json_is_string(tag) ||
        strcmp(json_string_value(tag), CC_MODEL_TAG) != 0) {
        problem(&c, CC_ERROR, "model-tag",
                "not a credconv model record (needs \"model\": \"" CC_MODEL_TAG "\")");
        return NULL;
    }
    if (!ach == !cred) {
        problem(&c, CC_ERROR, "model-kind",
                "a model record has exactly one of \"achievement\" or \"credential\"");
        return NULL;
    }
    cc_record *r = cc_record_new(ach ? CC_REC_ACHIEVEMENT : CC_REC_CREDENTIAL);
    c.a = r->arena;
    size_t old = ptr_push(&c, ach ? "achievement" : "credential");
    int rc = ach ? read_obj(&c, &ach_d, ach, r->achievement)
                 : read_obj(&c, &cred_d, cred, r->credential);
    c.ptr[old] = '\0';
    if (rc != 0 || c.errors) {
        cc_record_free(r);
        return NULL;
    }
    return r;
}
