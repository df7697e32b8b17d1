/* Internationalised host name labels (RFC 5890-5892): Punycode decoding of
   A-labels and the IDNA2008 character rules that can be expressed with the
   Unicode properties PCRE2 knows. The derived-property table of RFC 5892 is
   approximated by General_Category; the contextual rules of its appendix A
   are implemented as written, except that Joining_Type is approximated by
   script (see ZWNJ below). The Bidi rule (RFC 5893) is not checked. */
#include <stdlib.h>
#include <string.h>

#include "credconv/credconv.h"
#include "jsonschema_int.h"

/* ---- Punycode (RFC 3492) ------------------------------------------------ */

enum { PC_BASE = 36, PC_TMIN = 1, PC_TMAX = 26, PC_SKEW = 38, PC_DAMP = 700 };

static unsigned adapt(unsigned delta, unsigned numpoints, int first)
{
    delta = first ? delta / PC_DAMP : delta / 2;
    delta += delta / numpoints;
    unsigned k = 0;
    while (delta > ((PC_BASE - PC_TMIN) * PC_TMAX) / 2) {
        delta /= PC_BASE - PC_TMIN;
        k += PC_BASE;
    }
    return k + (PC_BASE - PC_TMIN + 1) * delta / (delta + PC_SKEW);
}

static int pc_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0' + 26;
    if (c >= 'a' && c <= 'z')
        return c - 'a';
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    return -1;
}

/* Reads one generalised variable-length integer into *i; 0 on error. */
static int pc_varint(const char *s, size_t n, size_t *pos, unsigned bias, unsigned *i)
{
    unsigned w = 1;
    for (unsigned k = PC_BASE;; k += PC_BASE) {
        if (*pos >= n)
            return 0;
        int d = pc_digit((unsigned char)s[(*pos)++]);
        if (d < 0 || (unsigned)d > (0x7fffffffu - *i) / w)
            return 0;
        *i += (unsigned)d * w;
        unsigned t = k <= bias ? PC_TMIN : k >= bias + PC_TMAX ? PC_TMAX : k - bias;
        if ((unsigned)d < t)
            return 1;
        if (w > 0x7fffffffu / (PC_BASE - t))
            return 0;
        w *= PC_BASE - t;
    }
}

/* Decodes into out (capacity cap code points); returns the count or -1. */
static long punycode_decode(const char *s, size_t n, unsigned *out, size_t cap)
{
    size_t b = n, len = 0;
    while (b > 0 && s[b - 1] != '-')
        b--;
    size_t basic = b ? b - 1 : 0;
    if (basic > cap)
        return -1;
    for (; len < basic; len++) {
        if ((unsigned char)s[len] >= 0x80)
            return -1;
        out[len] = (unsigned char)s[len];
    }
    unsigned code = 128, bias = 72, i = 0;
    for (size_t pos = b; pos < n;) {
        unsigned old = i;
        if (!pc_varint(s, n, &pos, bias, &i) || len + 1 > cap)
            return -1;
        bias = adapt(i - old, (unsigned)len + 1, old == 0);
        if (i / (len + 1) > 0x10FFFFu - code)
            return -1;
        code += i / (unsigned)(len + 1);
        i %= (unsigned)(len + 1);
        memmove(out + i + 1, out + i, (len - i) * sizeof *out);
        out[i++] = code;
        len++;
    }
    return (long)len;
}

static char pc_encode_digit(unsigned d)
{
    return (char)(d < 26 ? 'a' + d : '0' + d - 26);
}

static int pc_put(char *out, size_t cap, size_t *len, char ch)
{
    if (*len >= cap)
        return 0;
    out[(*len)++] = ch;
    return 1;
}

/* Emits delta as a generalised variable-length integer. */
static int pc_put_varint(char *out, size_t cap, size_t *len, unsigned q, unsigned bias)
{
    for (unsigned k = PC_BASE;; k += PC_BASE) {
        unsigned t = k <= bias ? PC_TMIN : k >= bias + PC_TMAX ? PC_TMAX : k - bias;
        if (q < t)
            return pc_put(out, cap, len, pc_encode_digit(q));
        if (!pc_put(out, cap, len, pc_encode_digit(t + (q - t) % (PC_BASE - t))))
            return 0;
        q = (q - t) / (PC_BASE - t);
    }
}

/* Encodes n code points; returns the output length, or -1 when it does not
   fit in cap bytes. */
static long punycode_encode(const unsigned *in, size_t n, char *out, size_t cap)
{
    size_t len = 0, h, b;
    for (size_t j = 0; j < n; j++)
        if (in[j] < 0x80 && !pc_put(out, cap, &len, (char)in[j]))
            return -1;
    h = b = len;
    if (b && !pc_put(out, cap, &len, '-'))
        return -1;
    unsigned code = 128, delta = 0, bias = 72;
    while (h < n) {
        unsigned m = 0x7fffffff;
        for (size_t j = 0; j < n; j++)
            if (in[j] >= code && in[j] < m)
                m = in[j];
        if ((m - code) > (0x7fffffffu - delta) / (unsigned)(h + 1))
            return -1;
        delta += (m - code) * (unsigned)(h + 1);
        code = m;
        for (size_t j = 0; j < n; j++) {
            if (in[j] < code)
                delta++;
            if (in[j] != code)
                continue;
            if (!pc_put_varint(out, cap, &len, delta, bias))
                return -1;
            bias = adapt(delta, (unsigned)h + 1, h == b);
            delta = 0;
            h++;
        }
        delta++;
        code++;
    }
    return (long)len;
}

/* ---- character rules ---------------------------------------------------- */

/* 1 if pattern matches somewhere in s, 0 if not, -1 if it cannot run. */
static int re_find(const char *pattern, const char *s, size_t n)
{
    int code;
    PCRE2_SIZE off;
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &code, &off, NULL);
    if (!re)
        return -1;
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    int rc = md ? pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, md, NULL) : -1;
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    return rc >= 0 ? 1 : -1;
}

/* Canonical_Combining_Class=Virama code points (Unicode 15). */
#define VIRAMA                                                                                     \
    "\\x{94D}\\x{9CD}\\x{A4D}\\x{ACD}\\x{B4D}\\x{BCD}\\x{C4D}\\x{CCD}\\x{D3B}\\x{D3C}\\x{D4D}"     \
    "\\x{DCA}\\x{E3A}\\x{EBA}\\x{F84}\\x{1039}\\x{103A}\\x{1714}\\x{1715}\\x{1734}\\x{17D2}"       \
    "\\x{1A60}\\x{1B44}\\x{1BAA}\\x{1BAB}\\x{1BF2}\\x{1BF3}\\x{2D7F}\\x{A806}\\x{A82C}\\x{A8C4}"   \
    "\\x{A953}\\x{A9C0}\\x{AAF6}\\x{ABED}\\x{10A3F}\\x{11046}\\x{11070}\\x{1107F}\\x{110B9}"       \
    "\\x{11133}\\x{11134}\\x{111C0}\\x{11235}\\x{112EA}\\x{1134D}\\x{11442}\\x{114C2}\\x{115BF}"   \
    "\\x{1163F}\\x{116B6}\\x{1172B}\\x{11839}\\x{1193D}\\x{1193E}\\x{119E0}\\x{11A34}\\x{11A47}"   \
    "\\x{11A99}\\x{11C3F}\\x{11D44}\\x{11D45}\\x{11D97}"

/* Scripts whose letters join on both sides (Joining_Type D), standing in
   for the Joining_Type property PCRE2 does not expose. */
#define JOINING "\\p{sc=Arabic}\\p{sc=Syriac}\\p{sc=Nko}\\p{sc=Mongolian}\\p{sc=Mandaic}"

/* Patterns that make a U-label invalid when they match. */
static const char *const label_rules[] = {
    "^\\p{M}", /* RFC 5891 4.2.3.2: no leading combining mark */
    "^..--",   /* RFC 5891 4.2.3.1: hyphens in positions 3 and 4 */
    "^-|-$",   /* nor at either end */
    /* RFC 5892 2.6 exceptions that are DISALLOWED */
    "[\\x{640}\\x{7FA}\\x{302E}\\x{302F}\\x{3031}-\\x{3035}\\x{303B}]",
    /* anything that is not (approximately) PVALID, CONTEXTJ or CONTEXTO */
    "[^\\p{Ll}\\p{Lo}\\p{Lm}\\p{Mn}\\p{Mc}\\p{Nd}\\-\\x{B7}\\x{375}\\x{5F3}\\x{5F4}\\x{30FB}"
    "\\x{200C}\\x{200D}\\x{DF}\\x{3C2}\\x{6FD}\\x{6FE}\\x{F0B}\\x{3007}]",
    "(?<!l)\\x{B7}|\\x{B7}(?!l)",            /* A.3 MIDDLE DOT */
    "\\x{375}(?!\\p{sc=Greek})",             /* A.4 GREEK KERAIA */
    "(?<!\\p{sc=Hebrew})[\\x{5F3}\\x{5F4}]", /* A.5, A.6 GERESH, GERSHAYIM */
    "[\\x{660}-\\x{669}].*[\\x{6F0}-\\x{6F9}]|[\\x{6F0}-\\x{6F9}].*[\\x{660}-\\x{669}]", /* A.8/9 */
    "(?<![" VIRAMA "])\\x{200D}", /* A.2 ZERO WIDTH JOINER */
    /* A.1 ZERO WIDTH NON-JOINER: after a virama, or between joining letters */
    "(?<![" VIRAMA "])(?<![" JOINING "])(?<![" JOINING "]\\p{Mn})\\x{200C}"
    "|(?<![" VIRAMA "])\\x{200C}(?![" JOINING "]|\\p{Mn}[" JOINING "])",
};

static int ulabel_ok(const char *s, size_t n)
{
    for (size_t r = 0; r < sizeof label_rules / sizeof label_rules[0]; r++)
        if (re_find(label_rules[r], s, n) != 0)
            return 0;
    /* A.7 KATAKANA MIDDLE DOT needs some Hiragana, Katakana or Han. */
    if (re_find("\\x{30FB}", s, n) == 1 &&
        re_find("[\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Han}]", s, n) != 1)
        return 0;
    return 1;
}

/* RFC 5893 section 2: rules for every label of a domain name that has a
   right-to-left label. */
static int bidi_ok(const char *s, size_t n)
{
    if (re_find("^[^\\p{bc=L}\\p{bc=R}\\p{bc=AL}]", s, n) != 0)
        return 0;
    if (re_find("^[\\p{bc=R}\\p{bc=AL}]", s, n) == 1)
        return re_find("[^\\p{bc=R}\\p{bc=AL}\\p{bc=AN}\\p{bc=EN}\\p{bc=ES}\\p{bc=CS}"
                       "\\p{bc=ET}\\p{bc=ON}\\p{bc=BN}\\p{bc=NSM}]",
                       s, n) == 0 &&
               re_find("[\\p{bc=R}\\p{bc=AL}\\p{bc=EN}\\p{bc=AN}]\\p{bc=NSM}*$", s, n) == 1 &&
               re_find("\\p{bc=EN}.*\\p{bc=AN}|\\p{bc=AN}.*\\p{bc=EN}", s, n) == 0;
    return re_find("[^\\p{bc=L}\\p{bc=EN}\\p{bc=ES}\\p{bc=CS}\\p{bc=ET}\\p{bc=ON}"
                   "\\p{bc=BN}\\p{bc=NSM}]",
                   s, n) == 0 &&
           re_find("[\\p{bc=L}\\p{bc=EN}]\\p{bc=NSM}*$", s, n) == 1;
}

/* ---- host names --------------------------------------------------------- */

enum { MAX_LABEL = 63, MAX_NAME = 253 };

typedef struct {
    char utf8[MAX_LABEL * 4 + 1]; /* label as Unicode, for the Bidi rule */
    size_t len;
    int ascii; /* no right-to-left characters possible */
} ulabel;

static int ldh(const char *s, size_t n)
{
    if (n == 0 || n > MAX_LABEL || s[0] == '-' || s[n - 1] == '-')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-'))
            return 0;
    }
    return 1;
}

static int ascii_ieq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char x = a[i], y = b[i];
        if ((x >= 'A' && x <= 'Z' ? x + 32 : x) != (y >= 'A' && y <= 'Z' ? y + 32 : y))
            return 0;
    }
    return 1;
}

/* An ASCII label; "xn--" labels must be canonical Punycode of a valid
   U-label, and other labels may not use hyphens in positions 3 and 4. */
static int ascii_label(const char *s, size_t n, ulabel *u)
{
    if (!ldh(s, n))
        return 0;
    memcpy(u->utf8, s, n);
    u->len = n;
    u->ascii = 1;
    if (n < 4 || s[2] != '-' || s[3] != '-')
        return 1;
    if (!ascii_ieq(s, "xn", 2))
        return 0;
    unsigned cps[MAX_LABEL];
    char again[MAX_LABEL];
    long len = punycode_decode(s + 4, n - 4, cps, MAX_LABEL);
    if (len <= 0 || punycode_encode(cps, (size_t)len, again, sizeof again) != (long)(n - 4) ||
        !ascii_ieq(again, s + 4, n - 4))
        return 0;
    int non_ascii = 0;
    u->len = 0;
    u->ascii = 0;
    for (long i = 0; i < len; i++) {
        if (cps[i] > 0x10FFFF || (cps[i] >= 0xD800 && cps[i] < 0xE000))
            return 0;
        non_ascii |= cps[i] >= 0x80;
        u->len += cc_utf8_encode(cps[i], u->utf8 + u->len);
    }
    u->utf8[u->len] = '\0';
    return non_ascii && ulabel_ok(u->utf8, u->len);
}

/* A label with non-ASCII characters (idn-hostname only). Its A-label must
   fit in 63 octets. */
static int unicode_label(const char *s, size_t n, ulabel *u, size_t *alen)
{
    unsigned cps[MAX_LABEL];
    size_t count = 0;
    for (size_t i = 0; i < n;) {
        size_t k = count < MAX_LABEL
                       ? ccs_utf8_decode((const unsigned char *)s + i, n - i, &cps[count])
                       : 0;
        if (!k)
            return 0;
        i += k;
        count++;
    }
    char enc[MAX_LABEL];
    long elen = punycode_encode(cps, count, enc, MAX_LABEL - 4);
    if (elen < 0 || !ulabel_ok(s, n))
        return 0;
    *alen = (size_t)elen + 4;
    memcpy(u->utf8, s, n);
    u->len = n;
    u->ascii = 0;
    return 1;
}

/* Length of the separator at s, or 0: '.', and for IDNs also U+3002,
   U+FF0E and U+FF61 (RFC 3490 3.1). */
static size_t separator(const char *s, size_t n, int unicode)
{
    if (n && s[0] == '.')
        return 1;
    if (!unicode || n < 3)
        return 0;
    if (!memcmp(s, "\xE3\x80\x82", 3) || !memcmp(s, "\xEF\xBC\x8E", 3) ||
        !memcmp(s, "\xEF\xBD\xA1", 3))
        return 3;
    return 0;
}

static int check_label(const char *s, size_t n, int unicode, ulabel *u, size_t *alen)
{
    int ascii = 1;
    for (size_t i = 0; i < n; i++)
        ascii &= (unsigned char)s[i] < 0x80;
    *alen = n;
    if (ascii)
        return ascii_label(s, n, u);
    return unicode && unicode_label(s, n, u, alen);
}

/* "hostname" (unicode = 0) and "idn-hostname" (unicode = 1). */
int ccs_hostname_ok(const char *s, size_t n, int unicode)
{
    ulabel *labels = malloc(sizeof *labels * (MAX_NAME / 2 + 1));
    size_t nlabels = 0, total = 0, start = 0;
    int ok = labels && n > 0, rtl = 0;
    for (size_t i = 0; ok && i <= n;) {
        size_t sep = i < n ? separator(s + i, n - i, unicode) : 0;
        if (i < n && !sep) {
            i++;
            continue;
        }
        size_t alen = 0;
        ok = nlabels <= MAX_NAME / 2 &&
             check_label(s + start, i - start, unicode, &labels[nlabels], &alen);
        total += alen + (nlabels > 0);
        if (ok && !labels[nlabels].ascii)
            rtl |= re_find("[\\p{bc=R}\\p{bc=AL}\\p{bc=AN}]", labels[nlabels].utf8,
                           labels[nlabels].len) == 1;
        nlabels++;
        i += sep ? sep : 1;
        start = i;
    }
    ok = ok && total <= MAX_NAME;
    for (size_t i = 0; ok && rtl && i < nlabels; i++)
        ok = bidi_ok(labels[i].utf8, labels[i].len);
    free(labels);
    return ok;
}
