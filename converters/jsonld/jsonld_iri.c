/* IRI Expansion (JSON-LD 1.1 API §5.2), relative reference resolution (RFC 3986 §5.2) and
 * the well-formedness tests Deserialize JSON-LD to RDF applies to what it emits. */
#include "jsonld_int.h"

#include <string.h>

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* scheme ":" — the form of an absolute IRI. */
bool jl_has_scheme(const char *s)
{
    if (!s || !is_alpha(*s))
        return false;
    for (s++; *s && *s != ':'; s++)
        if (!is_alpha(*s) && !is_digit(*s) && *s != '+' && *s != '-' && *s != '.')
            return false;
    return *s == ':';
}

bool jl_is_bnode(const char *s)
{
    return s && s[0] == '_' && s[1] == ':';
}

bool jl_iri_like(const char *s)
{
    return s && (jl_has_scheme(s) || jl_is_bnode(s) || jl_is_keyword(s));
}

/* White space as ECMAScript's \s: the one thing besides a scheme that JSON-LD processors
 * check in an IRI. */
static bool js_space(unsigned c)
{
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

/* The next code point of valid UTF-8 (jansson checks what it parses). */
static unsigned next_cp(const unsigned char **s)
{
    unsigned c = *(*s)++;
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    c &= extra == 3 ? 0x07 : extra == 2 ? 0x0F : extra == 1 ? 0x1F : 0x7F;
    while (extra-- > 0 && **s)
        c = (c << 6) | (*(*s)++ & 0x3F);
    return c;
}

/* "Well-formed" as the processors that sign credentials decide it (jsonld.js, pyld): a
 * scheme, then no white space.  A stricter RFC 3987 test would drop IRIs they keep and
 * so change the hashed N-Quads. */
bool jl_iri_ok(const char *s)
{
    if (!jl_has_scheme(s) || jl_is_bnode(s))
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p;)
        if (js_space(next_cp(&p)))
            return false;
    return true;
}

/* BCP 47 in the shape the processors check: 1*8ALPHA *("-" 1*8alphanum). */
bool jl_lang_ok(const char *s)
{
    if (!s)
        return false;
    size_t n = 0;
    for (; is_alpha(*s); s++)
        n++;
    if (n < 1 || n > 8)
        return false;
    while (*s == '-') {
        n = 0;
        for (s++; is_alpha(*s) || is_digit(*s); s++)
            n++;
        if (n < 1 || n > 8)
            return false;
    }
    return *s == '\0';
}

/* ------------------------------------------------------------------ RFC 3986 §5.2 */

typedef struct part {
    const char *s;
    size_t n;
    bool has;
} part;

typedef struct uri {
    part scheme, auth, path, query, frag;
} uri;

static const char *take(const char *s, const char *stops, part *p)
{
    size_t n = strcspn(s, stops);
    *p = (part){.s = s, .n = n, .has = true};
    return s + n;
}

static void split_uri(const char *s, uri *u)
{
    memset(u, 0, sizeof *u);
    if (jl_has_scheme(s)) {
        const char *c = strchr(s, ':');
        u->scheme = (part){.s = s, .n = (size_t)(c - s), .has = true};
        s = c + 1;
    }
    if (s[0] == '/' && s[1] == '/')
        s = take(s + 2, "/?#", &u->auth);
    s = take(s, "?#", &u->path);
    if (*s == '?')
        s = take(s + 1, "#", &u->query);
    if (*s == '#')
        take(s + 1, "", &u->frag);
}

/* Drops the last segment of out[0..*o) and the "/" before it. */
static void pop_segment(const char *out, size_t *o)
{
    while (*o > 0 && out[*o - 1] != '/')
        (*o)--;
    if (*o > 0)
        (*o)--;
}

/* remove_dot_segments, RFC 3986 §5.2.4, over a private copy of the path. */
static const char *remove_dots(jl_state *st, const char *path, size_t n)
{
    if (jl_reserve(st, 2 * n + 3) < 0)
        return "";
    char *s = cc_strndup(st->arena, path, n);
    char *out = cc_alloc(st->arena, n + 2);
    size_t o = 0;
    while (*s) {
        if (!strncmp(s, "../", 3))
            s += 3;
        else if (!strncmp(s, "./", 2) || !strncmp(s, "/./", 3))
            s += 2;
        else if (!strcmp(s, "/.")) {
            s += 1;
            *s = '/';
        } else if (!strncmp(s, "/../", 4)) {
            s += 3;
            pop_segment(out, &o);
        } else if (!strcmp(s, "/..")) {
            s += 2;
            *s = '/';
            pop_segment(out, &o);
        } else if (!strcmp(s, ".") || !strcmp(s, ".."))
            s += strlen(s);
        else {
            size_t k = *s == '/' ? 1 : 0;
            while (s[k] && s[k] != '/')
                k++;
            memcpy(out + o, s, k);
            o += k;
            s += k;
        }
    }
    out[o] = '\0';
    return out;
}

/* The path of a reference with a relative path, merged with the base's (§5.2.3). */
static const char *merge_path(jl_state *st, const uri *b, const part *rp)
{
    if (b->auth.has && b->path.n == 0)
        return jl_printf(st, "/%.*s", (int)rp->n, rp->s);
    size_t keep = b->path.n;
    while (keep > 0 && b->path.s[keep - 1] != '/')
        keep--;
    return jl_printf(st, "%.*s%.*s", (int)keep, b->path.s, (int)rp->n, rp->s);
}

static const char *join(jl_state *st, const part *scheme, const part *auth, const char *path,
                        const part *query, const part *frag)
{
    return jl_printf(st, "%.*s:%s%.*s%s%s%.*s%s%.*s", (int)scheme->n, scheme->s,
                      auth->has ? "//" : "", (int)auth->n, auth->s, path,
                      query->has ? "?" : "", (int)query->n, query->s,
                      frag->has ? "#" : "", (int)frag->n, frag->s);
}

/* ref resolved against base; ref itself when there is no base (relative IRIs then stay
 * relative, and Deserialize JSON-LD to RDF drops them). */
const char *jl_resolve(jl_state *st, const char *base, const char *ref)
{
    if (!base || !jl_has_scheme(base))
        return ref;
    uri b, r;
    split_uri(base, &b);
    split_uri(ref, &r);
    if (r.scheme.has)
        return join(st, &r.scheme, &r.auth, remove_dots(st, r.path.s, r.path.n), &r.query,
                    &r.frag);
    if (r.auth.has)
        return join(st, &b.scheme, &r.auth, remove_dots(st, r.path.s, r.path.n), &r.query,
                    &r.frag);
    const part *q = &r.query;
    const char *path;
    if (r.path.n == 0) {
        path = jl_strn(st, b.path.s, b.path.n);
        if (!r.query.has)
            q = &b.query;
    } else if (r.path.s[0] == '/') {
        path = remove_dots(st, r.path.s, r.path.n);
    } else {
        const char *m = merge_path(st, &b, &r.path);
        path = remove_dots(st, m, strlen(m));
    }
    return join(st, &b.scheme, &b.auth, path, q, &r.frag);
}

/* ------------------------------------------------------------------ IRI Expansion */

/* During context processing, a term the value depends on is defined first (§5.2.2 steps
 * 3 and 6.3). */
static int define_dependency(jl_state *st, jl_defs *defs, const char *term)
{
    if (!defs || !json_object_get(defs->local, term))
        return 0;
    if (json_is_true(json_object_get(defs->defined, term)))
        return 0;
    return jl_define(st, defs, term);
}

/* value "prefix:suffix": a compact IRI, an absolute IRI or a blank node identifier.  *done
 * is set when the value was decided here. */
static const char *expand_colon(jl_state *st, const jl_ctx *act, jl_defs *defs,
                                const char *value, const char *colon, bool *done)
{
    *done = true;
    const char *suffix = colon + 1;
    const char *prefix = jl_strn(st, value, (size_t)(colon - value));
    if (!strcmp(prefix, "_") || !strncmp(suffix, "//", 2))
        return value;
    if (define_dependency(st, defs, prefix) < 0)
        return NULL;
    const jl_term *pt = jl_term_get(act, prefix);
    if (pt && pt->iri && pt->prefix)
        return jl_printf(st, "%s%s", pt->iri, suffix);
    if (jl_has_scheme(value))
        return value;
    *done = false;
    return NULL;
}

/* NULL: null (no IRI) or, with st->failed, an error.  defs is non-NULL during context
 * processing, act then being defs->result. */
const char *jl_expand_iri(jl_state *st, const jl_ctx *act, jl_defs *defs, const char *value,
                          bool doc_rel, bool vocab)
{
    if (!value || jl_is_keyword(value))
        return value;
    if (jl_keyword_form(value))
        return NULL;
    if (act->vocab_missed)
        st->vocab_misses++;  /* a term of act may have been defined without a vocabulary */  /* a term of act may have been defined without a vocabulary */
    if (define_dependency(st, defs, value) < 0)
        return NULL;
    const jl_term *t = jl_term_get(act, value);
    if (t && t->iri && jl_is_keyword(t->iri))
        return t->iri;
    if (vocab && t)
        return t->iri;
    const char *colon = strchr(value, ':');
    if (colon && colon != value) {
        bool done;
        const char *r = expand_colon(st, act, defs, value, colon, &done);
        if (done || st->failed)
            return r;
    }
    if (vocab && act->vocab)
        return jl_printf(st, "%s%s", act->vocab, value);
    if (vocab) {  /* a catch-all @vocab would have caught it */
        st->vocab_misses++;
        if (defs)
            defs->result->vocab_missed = true;
    }
    if (doc_rel)
        return jl_resolve(st, act->base, value);
    return value;
}
