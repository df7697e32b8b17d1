/* Text conventions of the RNCP/RS export: legacy HTML, bullet lists kept as space runs. */
#include "rncp.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool cc_rncp_is_bool_element(const char *n)
{
    return strcmp(n, "ACTIF") == 0 || strcmp(n, "EXISTENCE_PARTENAIRES") == 0 ||
           strcmp(n, "VALIDATION_PARTIELLE") == 0 || strncmp(n, "ACCESSIBLE_", 11) == 0 ||
           strncmp(n, "SI_JURY_", 8) == 0;
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

char *cc_rncp_trim(char *s)
{
    size_t n = strlen(s);
    while (n && is_space((unsigned char)s[n - 1]))
        s[--n] = '\0';
    size_t i = 0;
    while (is_space((unsigned char)s[i]))
        i++;
    if (i)
        memmove(s, s + i, n - i + 1);
    return s;
}

/* ------------------------------------------------------------ legacy HTML */

/* HTML named entities seen in legacy exports: the Latin-1 set plus typographic ones. */
static const struct { const char *name; unsigned cp; } entities[] = {
    {.name = "amp", .cp = '&'}, {.name = "lt", .cp = '<'}, {.name = "gt", .cp = '>'}, {.name = "quot", .cp = '"'}, {.name = "apos", .cp = '\''}, {.name = "nbsp", .cp = 0xA0},
    {.name = "iexcl", .cp = 0xA1}, {.name = "cent", .cp = 0xA2}, {.name = "pound", .cp = 0xA3}, {.name = "curren", .cp = 0xA4}, {.name = "yen", .cp = 0xA5},
    {.name = "brvbar", .cp = 0xA6}, {.name = "sect", .cp = 0xA7}, {.name = "uml", .cp = 0xA8}, {.name = "copy", .cp = 0xA9}, {.name = "ordf", .cp = 0xAA},
    {.name = "laquo", .cp = 0xAB}, {.name = "not", .cp = 0xAC}, {.name = "shy", .cp = 0xAD}, {.name = "reg", .cp = 0xAE}, {.name = "macr", .cp = 0xAF},
    {.name = "deg", .cp = 0xB0}, {.name = "plusmn", .cp = 0xB1}, {.name = "sup2", .cp = 0xB2}, {.name = "sup3", .cp = 0xB3}, {.name = "acute", .cp = 0xB4},
    {.name = "micro", .cp = 0xB5}, {.name = "para", .cp = 0xB6}, {.name = "middot", .cp = 0xB7}, {.name = "cedil", .cp = 0xB8}, {.name = "sup1", .cp = 0xB9},
    {.name = "ordm", .cp = 0xBA}, {.name = "raquo", .cp = 0xBB}, {.name = "frac14", .cp = 0xBC}, {.name = "frac12", .cp = 0xBD}, {.name = "frac34", .cp = 0xBE},
    {.name = "iquest", .cp = 0xBF}, {.name = "Agrave", .cp = 0xC0}, {.name = "Aacute", .cp = 0xC1}, {.name = "Acirc", .cp = 0xC2}, {.name = "Atilde", .cp = 0xC3},
    {.name = "Auml", .cp = 0xC4}, {.name = "Aring", .cp = 0xC5}, {.name = "AElig", .cp = 0xC6}, {.name = "Ccedil", .cp = 0xC7}, {.name = "Egrave", .cp = 0xC8},
    {.name = "Eacute", .cp = 0xC9}, {.name = "Ecirc", .cp = 0xCA}, {.name = "Euml", .cp = 0xCB}, {.name = "Igrave", .cp = 0xCC}, {.name = "Iacute", .cp = 0xCD},
    {.name = "Icirc", .cp = 0xCE}, {.name = "Iuml", .cp = 0xCF}, {.name = "ETH", .cp = 0xD0}, {.name = "Ntilde", .cp = 0xD1}, {.name = "Ograve", .cp = 0xD2},
    {.name = "Oacute", .cp = 0xD3}, {.name = "Ocirc", .cp = 0xD4}, {.name = "Otilde", .cp = 0xD5}, {.name = "Ouml", .cp = 0xD6}, {.name = "times", .cp = 0xD7},
    {.name = "Oslash", .cp = 0xD8}, {.name = "Ugrave", .cp = 0xD9}, {.name = "Uacute", .cp = 0xDA}, {.name = "Ucirc", .cp = 0xDB}, {.name = "Uuml", .cp = 0xDC},
    {.name = "Yacute", .cp = 0xDD}, {.name = "THORN", .cp = 0xDE}, {.name = "szlig", .cp = 0xDF}, {.name = "agrave", .cp = 0xE0}, {.name = "aacute", .cp = 0xE1},
    {.name = "acirc", .cp = 0xE2}, {.name = "atilde", .cp = 0xE3}, {.name = "auml", .cp = 0xE4}, {.name = "aring", .cp = 0xE5}, {.name = "aelig", .cp = 0xE6},
    {.name = "ccedil", .cp = 0xE7}, {.name = "egrave", .cp = 0xE8}, {.name = "eacute", .cp = 0xE9}, {.name = "ecirc", .cp = 0xEA}, {.name = "euml", .cp = 0xEB},
    {.name = "igrave", .cp = 0xEC}, {.name = "iacute", .cp = 0xED}, {.name = "icirc", .cp = 0xEE}, {.name = "iuml", .cp = 0xEF}, {.name = "eth", .cp = 0xF0},
    {.name = "ntilde", .cp = 0xF1}, {.name = "ograve", .cp = 0xF2}, {.name = "oacute", .cp = 0xF3}, {.name = "ocirc", .cp = 0xF4}, {.name = "otilde", .cp = 0xF5},
    {.name = "ouml", .cp = 0xF6}, {.name = "divide", .cp = 0xF7}, {.name = "oslash", .cp = 0xF8}, {.name = "ugrave", .cp = 0xF9}, {.name = "uacute", .cp = 0xFA},
    {.name = "ucirc", .cp = 0xFB}, {.name = "uuml", .cp = 0xFC}, {.name = "yacute", .cp = 0xFD}, {.name = "thorn", .cp = 0xFE}, {.name = "yuml", .cp = 0xFF},
    {.name = "OElig", .cp = 0x152}, {.name = "oelig", .cp = 0x153}, {.name = "Scaron", .cp = 0x160}, {.name = "scaron", .cp = 0x161},
    {.name = "Yuml", .cp = 0x178}, {.name = "ndash", .cp = 0x2013}, {.name = "mdash", .cp = 0x2014}, {.name = "lsquo", .cp = 0x2018},
    {.name = "rsquo", .cp = 0x2019}, {.name = "sbquo", .cp = 0x201A}, {.name = "ldquo", .cp = 0x201C}, {.name = "rdquo", .cp = 0x201D},
    {.name = "bdquo", .cp = 0x201E}, {.name = "bull", .cp = 0x2022}, {.name = "hellip", .cp = 0x2026}, {.name = "euro", .cp = 0x20AC},
    {.name = "trade", .cp = 0x2122},
};

/* Whether XML 1.0 can carry code point v: a reference to anything else (&#1;, &#xFFFE;) is
 * left as it is written, or the RNCP and EDC writers would write documents that are not
 * well formed. */
static bool xml_char(unsigned long v)
{
    return v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) ||
           (v >= 0xE000 && v <= 0xFFFD) || (v >= 0x10000 && v <= 0x10FFFF);
}

/* Decodes the entity at s ("&…;"); returns its length or 0 when it is not one we know. */
static size_t decode_entity(const char *s, unsigned *cp)
{
    const char *semi = memchr(s, ';', strnlen(s, 12));  /* never past the string's end */
    if (!semi || semi - s < 3)
        return 0;
    size_t len = (size_t)(semi - s) + 1;
    if (s[1] == '#') {
        bool hexa = s[2] == 'x' || s[2] == 'X';
        const char *digits = s + 2 + hexa;
        if (!(hexa ? isxdigit((unsigned char)*digits) : isdigit((unsigned char)*digits)))
            return 0;  /* strtoul would take a sign or white space */
        char *end;
        unsigned long v = strtoul(digits, &end, hexa ? 16 : 10);
        if (end != semi || !xml_char(v))
            return 0;
        *cp = (unsigned)v;
        return len;
    }
    for (size_t i = 0; i < sizeof entities / sizeof *entities; i++) {
        size_t n = strlen(entities[i].name);
        if (n == len - 2 && memcmp(s + 1, entities[i].name, n) == 0) {
            *cp = entities[i].cp;
            return len;
        }
    }
    return 0;
}

/* A tag that ends a line: <br>, </p>, </li>, </div>, </h1>…; every other tag is dropped. */
static bool tag_breaks_line(const char *tag, size_t len)
{
    static const char *const br[] = {"br", "/p", "/li", "/div", "/h1", "/h2", "/h3", "/tr", "/ul"};
    for (size_t i = 0; i < sizeof br / sizeof *br; i++) {
        size_t n = strlen(br[i]);
        if (len >= n && strncasecmp(tag, br[i], n) == 0 &&
            (len == n || tag[n] == ' ' || tag[n] == '/'))
            return true;
    }
    return false;
}

const char *cc_rncp_clean_html(cc_arena *a, const char *s)
{
    if (!strpbrk(s, "<&\r"))
        return s;
    /* Output never grows: every entity is at least as long as its UTF-8. */
    char *out = cc_alloc(a, strlen(s) + 1), *o = out;
    for (const char *p = s; *p;) {
        if (*p == '<') {
            const char *end = strchr(p, '>');
            if (end && end - p < 64) {
                if (tag_breaks_line(p + 1, (size_t)(end - p - 1)))
                    *o++ = '\n';
                p = end + 1;
                continue;
            }
        } else if (*p == '&') {
            unsigned cp;
            size_t n = decode_entity(p, &cp);
            if (n) {
                o += cc_utf8_encode(cp == 0xA0 ? ' ' : cp, o);
                p += n;
                continue;
            }
        } else if (*p == '\r') {
            *o++ = '\n';
            p += p[1] == '\n' ? 2 : 1;
            continue;
        }
        *o++ = *p++;
    }
    *o = '\0';
    /* Drop blank lines the <p>…</p>&#13; pattern leaves behind. */
    char *w = out;
    for (char *r = out; *r; r++)
        if (!(*r == '\n' && (w == out || w[-1] == '\n')))
            *w++ = *r;
    *w = '\0';
    return cc_rncp_trim(out);
}

/* ------------------------------------------------------------ outcome lists */

/* Length of a bullet at s (with the space after it), and its kind: 1 competence, 2 sub-skill. */
static size_t bullet(const char *s, int *kind)
{
    static const char *const major[] = {"\u2022", "\u25CF", "*"};
    static const char *const minor[] = {"\u25B8", "\u25AA", "-", "o "};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(major[i]);
        if (strncmp(s, major[i], n) == 0) {
            *kind = 1;
            return n;
        }
    }
    for (size_t i = 0; i < 4; i++) {
        size_t n = strlen(minor[i]);
        /* "-" only as a bullet before a space or a letter, never before a digit. */
        if (strncmp(s, minor[i], n) == 0 && !(s[n - 1] == '-' && s[n] >= '0' && s[n] <= '9')) {
            *kind = 2;
            return n;
        }
    }
    *kind = 0;
    return 0;
}

/* Walks the pieces of a text: cut at line breaks when it has any, else at runs of two or
 * more white-space characters.  An iterator, so no piece table is allocated per text. */
typedef struct cutter {
    const char *p;
    bool lines;
} cutter;

static bool next_piece(cutter *c, const char **s, size_t *len)
{
    const char *start = c->p, *p = c->p;
    while (*p) {
        /* jump to the next candidate with the C library's fast scan */
        p += strcspn(p, c->lines ? "\n" : " \t\r\n");
        size_t run = 0;
        if (c->lines) {
            run = *p == '\n';
        } else {
            while (is_space((unsigned char)p[run]))
                run++;
            if (run < 2)
                run = 0;
        }
        if (run) {
            c->p = p + run;
            break;
        }
        if (*p)
            p++;
        c->p = p;
    }
    if (p == start && !*p)
        return false;
    while (start < p && is_space((unsigned char)*start))
        start++;
    *s = start;
    *len = (size_t)(p - start);
    return true;
}

static void add_outcome(cc_arena *a, cc_list *outcomes, const char *s, size_t len, int level)
{
    char *t = cc_strndup(a, s, len);
    for (char *c = t; *c; c++)
        if (*c == '\t')
            *c = ' ';
    cc_rncp_trim(t);
    if (!*t)
        return;
    cc_outcome *o = cc_alloc(a, sizeof *o);
    cc_text_add(a, &o->text, "fr", t);
    o->level = level;
    cc_list_append(outcomes, o);
}

/* A piece the first pass found, kept for the second (most texts have a few dozen). */
typedef struct piece {
    const char *s;
    size_t len, b;  /* b: the bullet's length */
    int k;          /* its kind (1 competence, 2 sub-skill, 0 none) */
} piece;

enum { KEPT_PIECES = 64 };

void cc_rncp_split_outcomes(cc_arena *a, const char *text, cc_list *outcomes)
{
    bool lines = strchr(text, '\n') != NULL;
    cutter c = {.p = text, .lines = lines};
    piece kept[KEPT_PIECES];  /* not zeroed: only the first n are read */
    piece p;
    size_t n = 0;
    const char *resume = NULL;  /* where the cutter was after the last kept piece */
    int kinds[2] = {0, 0};  /* how many competence / sub-skill bullets */
    while (next_piece(&c, &p.s, &p.len)) {
        p.k = 0;
        p.b = bullet(p.s, &p.k);
        if (p.b)
            kinds[p.k - 1]++;
        if (n < KEPT_PIECES)
            kept[n] = p, resume = c.p;
        n++;
    }
    if (n <= 1 && !kinds[0] && !kinds[1]) {
        add_outcome(a, outcomes, text, strlen(text), 0);  /* no convention recognised */
        return;
    }
    c = (cutter){.p = text, .lines = lines};
    for (size_t i = 0; i < n; i++) {
        if (i < KEPT_PIECES) {
            p = kept[i];
        } else {  /* past the kept ones: the cutter goes on after the last kept one */
            if (i == KEPT_PIECES)
                c.p = resume;
            if (!next_piece(&c, &p.s, &p.len))
                break;
            p.k = 0;
            p.b = bullet(p.s, &p.k);
        }
        size_t b = p.b > p.len ? p.len : p.b;
        /* A sub-skill glyph is a sub-skill only under competence bullets. */
        int level = (p.k == 2 && kinds[0]) ? 2 : 1;
        add_outcome(a, outcomes, p.s + b, p.len - b, level);
    }
}
