/* ECMA-262 patterns on PCRE2. JSON Schema patterns use ECMA-262 syntax and
   semantics; PCRE2 agrees on most of it, and the differences that matter
   (\s, '.', \uXXXX, long Unicode property names, '$') are rewritten here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonschema_int.h"

/* DOLLAR_ENDONLY: ECMA '$' does not match before a final newline.
   ALLOW_EMPTY_CLASS: ECMA "[]" matches nothing and "[^]" anything. */
#define ECMA_OPTIONS (PCRE2_UTF | PCRE2_DOLLAR_ENDONLY | PCRE2_ALLOW_EMPTY_CLASS)

/* ECMA-262 WhiteSpace and LineTerminator, which \s covers in ECMA-262 but
   not in PCRE2 without PCRE2_UCP. */
static const char ECMA_SPACE[] =
    "\\t\\n\\v\\f\\r \\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}"
    "\\x{205f}\\x{3000}\\x{feff}";

/* Long General_Category names (ECMA-262 accepts them, PCRE2 10.42 only the
   short forms). */
static const char *short_category(const char *name, size_t n)
{
    static const char *const map[][2] = {
        {"Letter", "L"},
        {"Cased_Letter", "L&"},
        {"Uppercase_Letter", "Lu"},
        {"Lowercase_Letter", "Ll"},
        {"Titlecase_Letter", "Lt"},
        {"Modifier_Letter", "Lm"},
        {"Other_Letter", "Lo"},
        {"Mark", "M"},
        {"Combining_Mark", "M"},
        {"Nonspacing_Mark", "Mn"},
        {"Spacing_Mark", "Mc"},
        {"Enclosing_Mark", "Me"},
        {"Number", "N"},
        {"Decimal_Number", "Nd"},
        {"digit", "Nd"},
        {"Letter_Number", "Nl"},
        {"Other_Number", "No"},
        {"Punctuation", "P"},
        {"punct", "P"},
        {"Connector_Punctuation", "Pc"},
        {"Dash_Punctuation", "Pd"},
        {"Open_Punctuation", "Ps"},
        {"Close_Punctuation", "Pe"},
        {"Initial_Punctuation", "Pi"},
        {"Final_Punctuation", "Pf"},
        {"Other_Punctuation", "Po"},
        {"Symbol", "S"},
        {"Math_Symbol", "Sm"},
        {"Currency_Symbol", "Sc"},
        {"Modifier_Symbol", "Sk"},
        {"Other_Symbol", "So"},
        {"Separator", "Z"},
        {"Space_Separator", "Zs"},
        {"Line_Separator", "Zl"},
        {"Paragraph_Separator", "Zp"},
        {"Other", "C"},
        {"Control", "Cc"},
        {"cntrl", "Cc"},
        {"Format", "Cf"},
        {"Surrogate", "Cs"},
        {"Private_Use", "Co"},
        {"Unassigned", "Cn"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strlen(map[i][0]) == n && !strncmp(map[i][0], name, n))
            return map[i][1];
    return NULL;
}

/* \p{...} / \P{...}: rewrites General_Category=X, gc=X and long names. */
static size_t translate_property(const char *p, size_t n, ccs_buf *out)
{
    const char *close = memchr(p, '}', n);
    if (n < 3 || p[1] != '{' || !close) {
        ccs_buf_add(out, "\\", 1);
        ccs_buf_add(out, p, 1);
        return 1;
    }
    const char *name = p + 2;
    size_t len = (size_t)(close - name);
    if (len > 17 && !strncmp(name, "General_Category=", 17)) {
        name += 17;
        len -= 17;
    } else if (len > 3 && !strncmp(name, "gc=", 3)) {
        name += 3;
        len -= 3;
    }
    const char *shortname = short_category(name, len);
    ccs_buf_add(out, "\\", 1);
    ccs_buf_add(out, p, 1);
    ccs_buf_add(out, "{", 1);
    if (shortname)
        ccs_buf_puts(out, shortname);
    else
        ccs_buf_add(out, name, len);
    ccs_buf_add(out, "}", 1);
    return (size_t)(close - p) + 1;
}

static int hex4(const char *p, size_t n, unsigned *v)
{
    if (n < 4)
        return 0;
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = (c >= '0' && c <= '9')   ? c - '0'
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                         : -1;
        if (d < 0)
            return 0;
        *v = *v * 16 + (unsigned)d;
    }
    return 1;
}

static void put_codepoint(ccs_buf *out, unsigned cp)
{
    char tmp[16];
    int k = snprintf(tmp, sizeof tmp, "\\x{%x}", cp);
    ccs_buf_add(out, tmp, (size_t)k);
}

/* \uXXXX, \u{X...} and surrogate pairs written as two \u escapes. p points
   at 'u'; returns the number of bytes consumed. */
static size_t translate_unicode(const char *p, size_t n, ccs_buf *out)
{
    unsigned hi, lo;
    if (n > 2 && p[1] == '{') {
        const char *close = memchr(p, '}', n);
        if (close) {
            ccs_buf_add(out, "\\x", 2);
            ccs_buf_add(out, p + 1, (size_t)(close - p));
            return (size_t)(close - p) + 1;
        }
    }
    if (!hex4(p + 1, n - 1, &hi)) {
        ccs_buf_add(out, "u", 1);
        return 1;
    }
    if (hi >= 0xD800 && hi < 0xDC00 && n >= 11 && p[5] == '\\' && p[6] == 'u' &&
        hex4(p + 7, n - 7, &lo) && lo >= 0xDC00 && lo < 0xE000) {
        put_codepoint(out, 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
        return 11;
    }
    put_codepoint(out, hi);
    return 5;
}

/* One escape sequence; p points just after the backslash. */
static size_t translate_escape(const char *p, size_t n, int in_class, ccs_buf *out)
{
    switch (p[0]) {
    case 's':
    case 'S':
        if (in_class && p[0] == 's') {
            ccs_buf_puts(out, ECMA_SPACE);
            return 1;
        }
        if (in_class)
            break;
        ccs_buf_puts(out, p[0] == 's' ? "[" : "[^");
        ccs_buf_puts(out, ECMA_SPACE);
        ccs_buf_add(out, "]", 1);
        return 1;
    case 'u':
        return translate_unicode(p, n, out);
    case 'p':
    case 'P':
        return translate_property(p, n, out);
    case 'b':
        if (!in_class)
            break;
        ccs_buf_puts(out, "\\x{8}"); /* backspace inside a class */
        return 1;
    case '/':
        ccs_buf_add(out, "/", 1);
        return 1;
    case '0':
        if (n > 1 && p[1] >= '0' && p[1] <= '9')
            break;
        ccs_buf_puts(out, "\\x{0}");
        return 1;
    default:
        /* Letter escapes outside ECMA-262 mean something else (or nothing)
           to PCRE2, e.g. \a, \e, \h, \K, \Q, \z: refuse them. */
        if (((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z')) &&
            !strchr("dDwWbBfnrtvcxk", p[0]))
            return 0;
        break;
    }
    ccs_buf_add(out, "\\", 1);
    ccs_buf_add(out, p, 1);
    return 1;
}

/* "(?" groups: ECMA-262 only has (?:, (?=, (?!, (?<=, (?<! and (?<name>;
   PCRE2 would also accept inline flags, comments, (?P...) and more. */
static int ecma_group_ok(const char *p, size_t n)
{
    if (n < 3 || p[1] != '?')
        return 1;
    if (p[2] == ':' || p[2] == '=' || p[2] == '!')
        return 1;
    if (p[2] != '<' || n < 4)
        return 0;
    if (p[3] == '=' || p[3] == '!')
        return 1;
    size_t i = 3;
    while (i < n && p[i] != '>' &&
           (p[i] == '_' || p[i] == '$' || (p[i] >= '0' && p[i] <= '9') ||
            (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
            (unsigned char)p[i] >= 0x80))
        i++;
    return i > 3 && i < n && p[i] == '>';
}

char *ccs_regex_translate(const char *ecma, size_t n, size_t *outlen, const char **why)
{
    ccs_buf out;
    ccs_buf_init(&out);
    ccs_buf_add(&out, "", 0);
    int in_class = 0;
    *why = NULL;
    for (size_t i = 0; i < n;) {
        char c = ecma[i];
        size_t used = 0;
        if (c == '\\' && i + 1 < n &&
            !(used = translate_escape(ecma + i + 1, n - i - 1, in_class, &out)))
            *why = "escape sequence not allowed by ECMA-262";
        else if (c == '(' && !in_class && !ecma_group_ok(ecma + i, n - i))
            *why = "group syntax not allowed by ECMA-262";
        if (*why) {
            ccs_buf_free(&out);
            return NULL;
        }
        if (used) {
            i += 1 + used;
            continue;
        }
        if (c == '[' && !in_class)
            in_class = 1;
        else if (c == ']' && in_class)
            in_class = 0;
        if (c == '.' && !in_class)
            ccs_buf_puts(&out, "[^\\n\\r\\x{2028}\\x{2029}]"); /* ECMA '.' stops at all line ends */
        else
            ccs_buf_add(&out, &c, 1);
        i++;
    }
    if (out.oom) {
        ccs_buf_free(&out);
        return NULL;
    }
    *outlen = out.len;
    return out.s;
}

void ccs_regex_free(void *p)
{
    ccs_regex *r = p;
    if (!r)
        return;
    pcre2_code_free(r->code);
    free(r->error);
    free(r);
}

static ccs_regex *regex_failed(ccs_regex *r, const char *pattern, const char *why)
{
    size_t need = strlen(pattern) + strlen(why) + 64;
    r->error = malloc(need);
    if (!r->error) {
        free(r);
        return NULL;
    }
    snprintf(r->error, need, "invalid regular expression '%s': %s", pattern, why);
    return r;
}

static ccs_regex *regex_compile(const char *pattern)
{
    ccs_regex *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    size_t len;
    const char *why;
    char *pcre = ccs_regex_translate(pattern, strlen(pattern), &len, &why);
    if (!pcre && why)
        return regex_failed(r, pattern, why);
    if (!pcre) {
        free(r);
        return NULL;
    }
    int code;
    PCRE2_SIZE off;
    r->code = pcre2_compile((PCRE2_SPTR)pcre, len, ECMA_OPTIONS, &code, &off, NULL);
    free(pcre);
    if (!r->code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        return regex_failed(r, pattern, (const char *)msg);
    }
    return r;
}

pcre2_code *ccs_regex_get(cc_schema_set *set, const char *pattern, char *err, size_t errlen)
{
    ccs_regex *r = ccs_smap_get(&set->regexes, pattern);
    if (!r) {
        r = regex_compile(pattern);
        if (!r || ccs_smap_put(&set->regexes, pattern, r) < 0) {
            ccs_regex_free(r);
            snprintf(err, errlen, "out of memory");
            return NULL;
        }
    }
    if (!r->code)
        snprintf(err, errlen, "%s", r->error);
    return r->code;
}

int ccs_regex_valid(const char *pattern, size_t n)
{
    size_t len;
    const char *why;
    char *pcre = ccs_regex_translate(pattern, n, &len, &why);
    if (!pcre)
        return 0;
    int code;
    PCRE2_SIZE off;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)pcre, len, ECMA_OPTIONS, &code, &off, NULL);
    free(pcre);
    pcre2_code_free(c);
    /* Variable-length lookbehind is valid ECMA-262 that PCRE2 before 10.43
       cannot compile; the pattern is still a valid "regex" format value. */
    return c != NULL || code == PCRE2_ERROR_LOOKBEHIND_NOT_FIXED_LENGTH;
}
