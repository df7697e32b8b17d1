/* RDF datasets: a set of quads whose strings live in the dataset's arena, N-Quads in (RDF 1.1
 * grammar) and out (the canonical form RDFC-1.0 hashes and signs).
 *
 * A literal's U+0000 cannot sit in a NUL-terminated value, so it is stored as the overlong
 * UTF-8 pair C0 80 (which valid UTF-8 never contains) and written back as \u0000. */
#include "cc_hash.h"
#include "cc_rdf.h"
#include "credconv/credconv.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_SLOT SIZE_MAX

struct cc_rdf_dataset {
    cc_arena *arena;          /* every string of every quad */
    cc_rdf_quad *quads;
    uint64_t *hashes;         /* quad_hash of each quad: rehashing and probing need no strings */
    size_t n, cap;
    size_t *slots;            /* open addressing over quads: an index, or NO_SLOT */
    size_t nslots;            /* a power of two, at least twice n */
};

/* ------------------------------------------------------------ the set of quads */

cc_rdf_dataset *cc_rdf_new(void)
{
    cc_rdf_dataset *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->arena = cc_arena_new();
    return d;
}

void cc_rdf_free(cc_rdf_dataset *d)
{
    if (!d)
        return;
    cc_arena_free(d->arena);
    free(d->quads);
    free(d->hashes);
    free(d->slots);
    free(d);
}

size_t cc_rdf_count(const cc_rdf_dataset *d)
{
    return d ? d->n : 0;
}

const cc_rdf_quad *cc_rdf_get(const cc_rdf_dataset *d, size_t i)
{
    return d && i < d->n ? &d->quads[i] : NULL;
}

static uint64_t term_hash(uint64_t h, const cc_rdf_term *t)
{
    h = (h ^ (unsigned)t->kind) * 0x100000001b3ULL;
    return cc_hash64_add(cc_hash64_add(cc_hash64_add(h, t->value), t->datatype), t->lang);
}

static uint64_t quad_hash(const cc_rdf_quad *q)
{
    uint64_t h = CC_HASH64_SEED;
    return term_hash(term_hash(term_hash(term_hash(h, &q->s), &q->p), &q->o), &q->g);
}

static bool str_eq(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static bool term_eq(const cc_rdf_term *a, const cc_rdf_term *b)
{
    return a->kind == b->kind && str_eq(a->value, b->value) && str_eq(a->datatype, b->datatype) &&
           str_eq(a->lang, b->lang);
}

static bool quad_eq(const cc_rdf_quad *a, const cc_rdf_quad *b)
{
    return term_eq(&a->s, &b->s) && term_eq(&a->p, &b->p) && term_eq(&a->o, &b->o) &&
           term_eq(&a->g, &b->g);
}

/* The slot holding q (whose quad_hash is h), or the empty slot where it would go.  The kept
 * hashes are compared first, so the strings are compared only for a likely equal quad. */
static size_t slot_of(const cc_rdf_dataset *d, const cc_rdf_quad *q, uint64_t h)
{
    size_t mask = d->nslots - 1, i = (size_t)h & mask;
    while (d->slots[i] != NO_SLOT &&
           (d->hashes[d->slots[i]] != h || !quad_eq(&d->quads[d->slots[i]], q)))
        i = (i + 1) & mask;
    return i;
}

static int rehash(cc_rdf_dataset *d, size_t nslots)
{
    size_t *slots = malloc(nslots * sizeof *slots);
    if (!slots)
        return -1;
    free(d->slots);
    d->slots = slots;
    d->nslots = nslots;
    for (size_t i = 0; i < nslots; i++)
        slots[i] = NO_SLOT;
    for (size_t i = 0; i < d->n; i++)
        slots[slot_of(d, &d->quads[i], d->hashes[i])] = i;
    return 0;
}

/* Room for one more quad in the array and the table (kept at most half full). */
static int reserve(cc_rdf_dataset *d)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        cc_rdf_quad *q = realloc(d->quads, cap * sizeof *q);
        if (!q)
            return -1;
        d->quads = q;
        uint64_t *h = realloc(d->hashes, cap * sizeof *h);
        if (!h)
            return -1;
        d->hashes = h;
        d->cap = cap;
    }
    if (2 * (d->n + 1) > d->nslots)
        return rehash(d, d->nslots ? d->nslots * 2 : 32);
    return 0;
}

/* The term as the dataset keeps it: only the members its kind has, a literal always typed
 * (xsd:string when plain, rdf:langString with a language).  False for a malformed term. */
static bool normalize(const cc_rdf_term *in, cc_rdf_term *out)
{
    *out = (cc_rdf_term){.kind = in->kind, .value = in->value};
    if (in->kind == CC_RDF_NONE)
        out->value = NULL;
    else if (!in->value)
        return false;
    if (in->kind == CC_RDF_LITERAL) {
        out->lang = in->lang && *in->lang ? in->lang : NULL;
        out->datatype = out->lang ? CC_RDF_LANGSTRING : in->datatype ? in->datatype : CC_XSD_STRING;
    }
    return true;
}

static void term_copy(cc_arena *a, cc_rdf_term *t)
{
    t->value = cc_strdup(a, t->value);
    t->datatype = cc_strdup(a, t->datatype);
    t->lang = cc_strdup(a, t->lang);
}

static bool node_kind(cc_rdf_kind k)
{
    return k == CC_RDF_IRI || k == CC_RDF_BLANK;
}

/* Besides running out of memory, -1 also refuses a quad RDF cannot have (a literal subject, a
 * predicate that is not an IRI, …): nothing downstream has to cope with one. */
int cc_rdf_add(cc_rdf_dataset *d, const cc_rdf_term *s, const cc_rdf_term *p,
               const cc_rdf_term *o, const cc_rdf_term *g)
{
    static const cc_rdf_term default_graph = {.kind = CC_RDF_NONE};
    cc_rdf_quad q;
    if (!d || !s || !p || !o || !normalize(s, &q.s) || !normalize(p, &q.p) ||
        !normalize(o, &q.o) || !normalize(g ? g : &default_graph, &q.g))
        return -1;
    if (!node_kind(q.s.kind) || q.p.kind != CC_RDF_IRI ||
        !(node_kind(q.o.kind) || q.o.kind == CC_RDF_LITERAL) ||
        !(node_kind(q.g.kind) || q.g.kind == CC_RDF_NONE))
        return -1;
    if (reserve(d) != 0)
        return -1;
    uint64_t h = quad_hash(&q);
    size_t slot = slot_of(d, &q, h);
    if (d->slots[slot] != NO_SLOT)
        return 0;
    term_copy(d->arena, &q.s);
    term_copy(d->arena, &q.p);
    term_copy(d->arena, &q.o);
    term_copy(d->arena, &q.g);
    d->quads[d->n] = q;
    d->hashes[d->n] = h;
    d->slots[slot] = d->n++;
    return 0;
}

/* ------------------------------------------------------------ growable strings */

typedef struct {
    char *s;
    size_t n, cap;
} buf;

static void buf_grow(buf *b, size_t more)
{
    if (b->n + more + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->n + more + 1)
        cap *= 2;
    char *s = realloc(b->s, cap);
    if (!s) {
        cc_oom();
    }
    b->s = s;
    b->cap = cap;
}

static void buf_put(buf *b, const char *s, size_t n)
{
    buf_grow(b, n);
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void buf_puts(buf *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

static void buf_clear(buf *b)
{
    b->n = 0;
    buf_grow(b, 0);
    b->s[0] = '\0';
}

/* ------------------------------------------------------------ UTF-8 */

/* The length of the well-formed UTF-8 sequence at p (no overlong form, surrogate or code
 * point past U+10FFFF), its code point in *cp; 0 when malformed. */
static size_t utf8_next(const unsigned char *p, const unsigned char *end, uint32_t *cp)
{
    static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    size_t n = p[0] < 0x80 ? 1 : p[0] >= 0xc2 && p[0] < 0xe0 ? 2 : p[0] >= 0xe0 && p[0] < 0xf0 ? 3
             : p[0] >= 0xf0 && p[0] < 0xf5 ? 4 : 0;
    if (n == 0 || (size_t)(end - p) < n)
        return 0;
    uint32_t c = n == 1 ? p[0] : p[0] & (0x7f >> n);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        c = c << 6 | (p[i] & 0x3f);
    }
    if (c < min[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return n;
}

/* U+0000 becomes C0 80 (see the top of the file). */
static void utf8_put(buf *b, uint32_t c)
{
    char s[4];
    size_t n;
    if (c == 0) {
        s[0] = (char)0xc0, s[1] = (char)0x80, n = 2;
    } else if (c < 0x80) {
        s[0] = (char)c, n = 1;
    } else if (c < 0x800) {
        s[0] = (char)(0xc0 | c >> 6), s[1] = (char)(0x80 | (c & 0x3f)), n = 2;
    } else if (c < 0x10000) {
        s[0] = (char)(0xe0 | c >> 12), s[1] = (char)(0x80 | (c >> 6 & 0x3f));
        s[2] = (char)(0x80 | (c & 0x3f)), n = 3;
    } else {
        s[0] = (char)(0xf0 | c >> 18), s[1] = (char)(0x80 | (c >> 12 & 0x3f));
        s[2] = (char)(0x80 | (c >> 6 & 0x3f)), s[3] = (char)(0x80 | (c & 0x3f)), n = 4;
    }
    buf_put(b, s, n);
}

/* ------------------------------------------------------------ canonical N-Quads out */

/* The ECHAR letter that stands for c in canonical form, or 0. */
static char echar_of(unsigned char c)
{
    switch (c) {
    case '\b': return 'b';
    case '\t': return 't';
    case '\n': return 'n';
    case '\f': return 'f';
    case '\r': return 'r';
    case '"': return '"';
    case '\\': return '\\';
    default: return 0;
    }
}

/* RDFC-1.0 canonical N-Quads: ECHAR for \b \t \n \f \r \" \\, UCHAR (upper-case hex) for
 * the other C0 controls and DEL, every other character as itself. */
/* A byte put_literal copies as itself: the ones it may escape stop a run. */
static bool plain_byte(unsigned char c)
{
    return c >= 0x20 && c != 0x7f && c != '"' && c != '\\' && c != 0xc0;
}

static void put_literal(buf *b, const char *v)
{
    buf_puts(b, "\"");
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        char esc[8];
        const unsigned char *run = p;
        while (plain_byte(*p))  /* most of a literal: copied in one go */
            p++;
        if (p > run)
            buf_put(b, (const char *)run, (size_t)(p - run));
        if (!*p)
            break;
        if (*p == 0xc0 && p[1] == 0x80) {
            buf_puts(b, "\\u0000");
            p++;
        } else if (echar_of(*p)) {
            esc[0] = '\\', esc[1] = echar_of(*p);
            buf_put(b, esc, 2);
        } else if (*p < 0x20 || *p == 0x7f) {
            snprintf(esc, sizeof esc, "\\u%04X", *p);
            buf_puts(b, esc);
        } else {
            buf_put(b, (const char *)p, 1);
        }
    }
    buf_puts(b, "\"");
}

static void put_term(buf *b, const cc_rdf_term *t)
{
    switch (t->kind) {
    case CC_RDF_IRI:
        buf_puts(b, "<");
        buf_puts(b, t->value);
        buf_puts(b, ">");
        break;
    case CC_RDF_BLANK:
        buf_puts(b, "_:");
        buf_puts(b, t->value);
        break;
    case CC_RDF_LITERAL:
        put_literal(b, t->value);
        if (t->lang) {
            buf_puts(b, "@");
            buf_puts(b, t->lang);
        } else if (t->datatype && strcmp(t->datatype, CC_XSD_STRING) != 0) {
            buf_puts(b, "^^<");
            buf_puts(b, t->datatype);
            buf_puts(b, ">");
        }
        break;
    case CC_RDF_NONE:
        break;
    }
}

char *cc_rdf_quad_nquads(const cc_rdf_quad *q)
{
    buf b = {0};
    buf_grow(&b, 255);  /* most lines fit: one allocation, not three doublings */
    put_term(&b, &q->s);
    buf_puts(&b, " ");
    put_term(&b, &q->p);
    buf_puts(&b, " ");
    put_term(&b, &q->o);
    if (q->g.kind != CC_RDF_NONE) {
        buf_puts(&b, " ");
        put_term(&b, &q->g);
    }
    buf_puts(&b, " .\n");
    return b.s;
}

/* ------------------------------------------------------------ N-Quads in */

typedef struct {
    const unsigned char *p, *end;
    unsigned long line;
    char *err;
    size_t errlen;
} cursor;

/* Where the terms of the statement being read are decoded; reused line after line. */
typedef struct {
    buf s, p, o, datatype, lang, g;
} scratch;

static int fail(cursor *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(cursor *c, const char *fmt, ...)
{
    if (c->err && c->errlen) {
        char why[256];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, sizeof why, fmt, ap);
        va_end(ap);
        snprintf(c->err, c->errlen, "line %lu: %s", c->line, why);
    }
    return -1;
}

static bool at(const cursor *c, char ch)
{
    return c->p < c->end && *c->p == (unsigned char)ch;
}

static bool at_eol(const cursor *c)
{
    return at(c, '\n') || at(c, '\r');
}

static void skip_blanks(cursor *c)
{
    while (at(c, ' ') || at(c, '\t'))
        c->p++;
}

static void skip_comment(cursor *c)
{
    while (c->p < c->end && !at_eol(c))
        c->p++;
}

static bool is_alpha(uint32_t ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static bool is_digit(uint32_t ch)
{
    return ch >= '0' && ch <= '9';
}

static int hex_value(unsigned char ch)
{
    return is_digit(ch) ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
         : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

/* UCHAR at c->p (on the backslash): \uXXXX or \UXXXXXXXX, a Unicode scalar value. */
static int read_uchar(cursor *c, uint32_t *cp)
{
    char kind = at(c, '\\') && c->end - c->p >= 2 ? (char)c->p[1] : 0;
    size_t digits = kind == 'u' ? 4 : kind == 'U' ? 8 : 0;
    if (digits == 0)
        return fail(c, "invalid escape");
    if ((size_t)(c->end - c->p) < 2 + digits)
        return fail(c, "truncated \\%c escape", c->p[1]);
    uint32_t v = 0;
    for (size_t i = 0; i < digits; i++) {
        int h = hex_value(c->p[2 + i]);
        if (h < 0)
            return fail(c, "\\%c escape needs %zu hex digits", c->p[1], digits);
        v = v << 4 | (uint32_t)h;
    }
    if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return fail(c, "\\%c escape is not a Unicode scalar value", c->p[1]);
    c->p += 2 + digits;
    *cp = v;
    return 0;
}

/* ECHAR or UCHAR inside a string literal. */
static int read_string_escape(cursor *c, uint32_t *cp)
{
    static const char from[] = "tbnrf\"'\\", to[] = "\t\b\n\r\f\"'\\";
    const char *e = c->end - c->p >= 2 && c->p[1] ? strchr(from, c->p[1]) : NULL;
    if (!e)
        return read_uchar(c, cp);
    *cp = (unsigned char)to[e - from];
    c->p += 2;
    return 0;
}

/* What IRIREF does not allow, written or escaped: an escape may not smuggle in a character
 * that would make the canonical form (which writes IRIs as they are) unreadable. */
static bool iri_forbidden(uint32_t ch)
{
    return ch <= 0x20 || (ch < 0x80 && strchr("<>\"{}|^`\\", (int)ch));
}

/* RFC 3987: an absolute IRI starts with a scheme, ALPHA *(ALPHA / DIGIT / "+" / "-" / ".") ":". */
static bool has_scheme(const char *iri)
{
    if (!is_alpha((unsigned char)*iri))
        return false;
    while (is_alpha((unsigned char)*iri) || is_digit((unsigned char)*iri) ||
           (*iri && strchr("+-.", *iri)))
        iri++;
    return *iri == ':';
}

static int parse_iri(cursor *c, buf *out)
{
    buf_clear(out);
    c->p++;  /* '<' */
    for (;;) {
        uint32_t cp;
        if (c->p >= c->end || at_eol(c))
            return fail(c, "unterminated IRI");
        if (at(c, '>'))
            break;
        if (at(c, '\\')) {
            if (read_uchar(c, &cp) != 0)
                return -1;
            if (iri_forbidden(cp))
                return fail(c, "IRI escape for U+%04X, a character IRIs cannot hold", (unsigned)cp);
            utf8_put(out, cp);
            continue;
        }
        size_t n = utf8_next(c->p, c->end, &cp);
        if (n == 0)
            return fail(c, "invalid UTF-8 in IRI");
        if (iri_forbidden(cp))
            return fail(c, "character U+%04X not allowed in an IRI", (unsigned)cp);
        buf_put(out, (const char *)c->p, n);
        c->p += n;
    }
    c->p++;  /* '>' */
    if (!has_scheme(out->s))
        return fail(c, "relative IRI <%.100s> (N-Quads IRIs are absolute)", out->s);
    return 0;
}

/* N-Triples PN_CHARS_BASE. */
static bool pn_base(uint32_t ch)
{
    return is_alpha(ch) || (ch >= 0xc0 && ch <= 0xd6) || (ch >= 0xd8 && ch <= 0xf6) ||
           (ch >= 0xf8 && ch <= 0x2ff) || (ch >= 0x370 && ch <= 0x37d) ||
           (ch >= 0x37f && ch <= 0x1fff) || (ch >= 0x200c && ch <= 0x200d) ||
           (ch >= 0x2070 && ch <= 0x218f) || (ch >= 0x2c00 && ch <= 0x2fef) ||
           (ch >= 0x3001 && ch <= 0xd7ff) || (ch >= 0xf900 && ch <= 0xfdcf) ||
           (ch >= 0xfdf0 && ch <= 0xfffd) || (ch >= 0x10000 && ch <= 0xeffff);
}

/* PN_CHARS_U, and the digits BLANK_NODE_LABEL also allows first. */
static bool label_first(uint32_t ch)
{
    return pn_base(ch) || ch == '_' || ch == ':' || is_digit(ch);
}

/* PN_CHARS and '.'. */
static bool label_rest(uint32_t ch)
{
    return label_first(ch) || ch == '-' || ch == '.' || ch == 0xb7 ||
           (ch >= 0x300 && ch <= 0x36f) || (ch >= 0x203f && ch <= 0x2040);
}

/* BLANK_NODE_LABEL; a label cannot end in '.', so trailing dots are left for the statement. */
static int parse_blank(cursor *c, buf *out)
{
    buf_clear(out);
    if (c->end - c->p < 2 || c->p[1] != ':')
        return fail(c, "expected '_:' to start a blank node");
    c->p += 2;
    const unsigned char *start = c->p, *label_end = c->p;
    uint32_t cp;
    for (size_t n; c->p < c->end && (n = utf8_next(c->p, c->end, &cp)) != 0;) {
        if (c->p == start ? !label_first(cp) : !label_rest(cp))
            break;
        c->p += n;
        if (cp != '.')
            label_end = c->p;
    }
    if (label_end == start)
        return fail(c, "empty or invalid blank node label");
    c->p = label_end;
    buf_put(out, (const char *)start, (size_t)(label_end - start));
    return 0;
}

static int parse_string(cursor *c, buf *out)
{
    buf_clear(out);
    c->p++;  /* '"' */
    for (;;) {
        uint32_t cp;
        if (c->p >= c->end || at_eol(c))
            return fail(c, "unterminated string");
        if (at(c, '"'))
            break;
        if (at(c, '\\')) {
            if (read_string_escape(c, &cp) != 0)
                return -1;
            utf8_put(out, cp);
            continue;
        }
        size_t n = utf8_next(c->p, c->end, &cp);
        if (n == 0)
            return fail(c, "invalid UTF-8 in string");
        utf8_put(out, cp);
        c->p += n;
    }
    c->p++;
    return 0;
}

/* LANGTAG after its '@': [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*. */
static int parse_lang(cursor *c, buf *out)
{
    buf_clear(out);
    const unsigned char *start = ++c->p;
    while (c->p < c->end && is_alpha(*c->p))
        c->p++;
    if (c->p == start)
        return fail(c, "empty language tag");
    while (at(c, '-') && c->end - c->p >= 2 && (is_alpha(c->p[1]) || is_digit(c->p[1]))) {
        c->p++;
        while (c->p < c->end && (is_alpha(*c->p) || is_digit(*c->p)))
            c->p++;
    }
    buf_put(out, (const char *)start, (size_t)(c->p - start));
    return 0;
}

static int parse_literal(cursor *c, cc_rdf_term *t, scratch *sc)
{
    if (parse_string(c, &sc->o) != 0)
        return -1;
    *t = (cc_rdf_term){.kind = CC_RDF_LITERAL, .value = sc->o.s};
    if (at(c, '@')) {
        if (parse_lang(c, &sc->lang) != 0)
            return -1;
        t->lang = sc->lang.s;
    } else if (c->end - c->p >= 2 && c->p[0] == '^' && c->p[1] == '^') {
        c->p += 2;
        if (!at(c, '<'))
            return fail(c, "expected a datatype IRI after '^^'");
        if (parse_iri(c, &sc->datatype) != 0)
            return -1;
        t->datatype = sc->datatype.s;
    }
    return 0;
}

/* An IRI or a blank node: a subject, object or graph name. */
static int parse_node(cursor *c, cc_rdf_term *t, buf *b, const char *what)
{
    cc_rdf_kind kind = at(c, '<') ? CC_RDF_IRI : at(c, '_') ? CC_RDF_BLANK : CC_RDF_NONE;
    if (kind == CC_RDF_NONE)
        return fail(c, "expected %s", what);
    if ((kind == CC_RDF_IRI ? parse_iri(c, b) : parse_blank(c, b)) != 0)
        return -1;
    *t = (cc_rdf_term){.kind = kind, .value = b->s};
    return 0;
}

/* subject predicate object graphLabel? '.' — then only blanks or a comment before the EOL. */
static int parse_statement(cursor *c, cc_rdf_dataset *d, scratch *sc)
{
    cc_rdf_term s, p, o, g = {.kind = CC_RDF_NONE};
    if (parse_node(c, &s, &sc->s, "a subject (IRI or blank node)") != 0)
        return -1;
    skip_blanks(c);
    if (!at(c, '<'))
        return fail(c, "expected a predicate IRI");
    if (parse_node(c, &p, &sc->p, "a predicate IRI") != 0)
        return -1;
    skip_blanks(c);
    if (at(c, '"') ? parse_literal(c, &o, sc) != 0
                   : parse_node(c, &o, &sc->o, "an object (IRI, blank node or literal)") != 0)
        return -1;
    skip_blanks(c);
    if ((at(c, '<') || at(c, '_')) && parse_node(c, &g, &sc->g, "a graph name") != 0)
        return -1;
    skip_blanks(c);
    if (!at(c, '.'))
        return fail(c, "expected '.' to end the statement");
    c->p++;
    skip_blanks(c);
    if (at(c, '#'))
        skip_comment(c);
    if (c->p < c->end && !at_eol(c))
        return fail(c, "unexpected text after '.'");
    if (cc_rdf_add(d, &s, &p, &o, g.kind == CC_RDF_NONE ? NULL : &g) != 0)
        return fail(c, "out of memory");
    return 0;
}

int cc_rdf_parse_nquads(cc_rdf_dataset *d, const char *text, size_t len, char *err, size_t errlen)
{
    /* NULL + 0 is undefined behaviour in C (clang's UBSan says so): no text, no end */
    const unsigned char *start = (const unsigned char *)text, *end = text ? start + len : NULL;
    cursor c = {.p = start, .end = end, .line = 1, .err = err, .errlen = errlen};
    scratch sc;
    memset(&sc, 0, sizeof sc);
    int rc = 0;
    if (!d)
        rc = fail(&c, "no dataset");
    while (rc == 0 && c.p < c.end) {
        skip_blanks(&c);
        if (at(&c, '#')) {
            skip_comment(&c);
        } else if (at_eol(&c)) {
            c.p += at(&c, '\r') && c.end - c.p >= 2 && c.p[1] == '\n' ? 2 : 1;
            c.line++;
        } else if (c.p < c.end) {
            rc = parse_statement(&c, d, &sc);
        }
    }
    buf *bufs[] = {&sc.s, &sc.p, &sc.o, &sc.datatype, &sc.lang, &sc.g};
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
        free(bufs[i]->s);
    return rc;
}
