/* "format" checks. Each checker sees the raw bytes of a JSON string (which
   may contain NUL), so every parser here is length-bounded and ASCII-only
   where the grammar is ASCII-only: non-ASCII digits never count as digits. */
#include <string.h>

#include "jsonschema_int.h"

typedef struct {
    const char *s;
    size_t n, i;
} cur;

static int dig(int c)
{
    return c >= '0' && c <= '9';
}

static int alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int xdig(int c)
{
    return dig(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int peek(const cur *c)
{
    return c->i < c->n ? (unsigned char)c->s[c->i] : -1;
}

static int eat(cur *c, int ch)
{
    if (peek(c) != ch)
        return 0;
    c->i++;
    return 1;
}

/* Exactly k ASCII digits as a number, or -1. */
static int digits(cur *c, int k)
{
    int v = 0;
    for (int j = 0; j < k; j++) {
        int ch = peek(c);
        if (!dig(ch))
            return -1;
        v = v * 10 + (ch - '0');
        c->i++;
    }
    return v;
}

/* ---- dates and times (RFC 3339) ----------------------------------------- */

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

static int parse_date(cur *c)
{
    int y = digits(c, 4);
    if (y < 0 || !eat(c, '-'))
        return 0;
    int m = digits(c, 2);
    if (m < 1 || m > 12 || !eat(c, '-'))
        return 0;
    int d = digits(c, 2);
    return d >= 1 && d <= days_in_month(y, m);
}

/* time-offset in minutes east of UTC; returns 0 on syntax error. */
static int parse_offset(cur *c, int *minutes)
{
    int ch = peek(c);
    if (ch == 'Z' || ch == 'z') {
        c->i++;
        *minutes = 0;
        return 1;
    }
    if (ch != '+' && ch != '-')
        return 0;
    c->i++;
    int h = digits(c, 2);
    if (h < 0 || h > 23 || !eat(c, ':'))
        return 0;
    int m = digits(c, 2);
    if (m < 0 || m > 59)
        return 0;
    *minutes = (ch == '+' ? 1 : -1) * (h * 60 + m);
    return 1;
}

static int parse_time(cur *c)
{
    int h = digits(c, 2);
    if (h < 0 || h > 23 || !eat(c, ':'))
        return 0;
    int m = digits(c, 2);
    if (m < 0 || m > 59 || !eat(c, ':'))
        return 0;
    int s = digits(c, 2);
    if (s < 0 || s > 60)
        return 0;
    if (eat(c, '.')) {
        if (!dig(peek(c)))
            return 0;
        while (dig(peek(c)))
            c->i++;
    }
    int off;
    if (!parse_offset(c, &off))
        return 0;
    if (s < 60)
        return 1;
    /* A leap second only exists at 23:59:60 UTC. */
    int utc = ((h * 60 + m - off) % 1440 + 1440) % 1440;
    return utc == 23 * 60 + 59;
}

static int fmt_date(const char *s, size_t n)
{
    cur c = {.s = s, .n = n};
    return parse_date(&c) && c.i == n;
}

static int fmt_time(const char *s, size_t n)
{
    cur c = {.s = s, .n = n};
    return parse_time(&c) && c.i == n;
}

static int fmt_date_time(const char *s, size_t n)
{
    cur c = {.s = s, .n = n};
    if (!parse_date(&c) || !(eat(&c, 'T') || eat(&c, 't')))
        return 0;
    return parse_time(&c) && c.i == n;
}

/* RFC 3339 appendix A: units in order, no gaps, weeks alone, no fractions. */
static int duration_units(cur *c, const char *units)
{
    int count = 0;
    size_t next = 0; /* index in units that the next component may use */
    while (dig(peek(c))) {
        while (dig(peek(c)))
            c->i++;
        const char *u = peek(c) > 0 ? strchr(units + next, peek(c)) : NULL;
        if (!u || (count && u != units + next))
            return -1;
        next = (size_t)(u - units) + 1;
        c->i++;
        count++;
    }
    return count;
}

static int fmt_duration(const char *s, size_t n)
{
    cur c = {.s = s, .n = n};
    if (!eat(&c, 'P'))
        return 0;
    size_t start = c.i;
    while (dig(peek(&c)))
        c.i++;
    if (eat(&c, 'W'))
        return c.i > start + 1 && c.i == n;
    c.i = start;
    int date = duration_units(&c, "YMD");
    if (date < 0)
        return 0;
    int time = 0;
    if (eat(&c, 'T')) {
        time = duration_units(&c, "HMS");
        if (time <= 0)
            return 0;
    }
    return date + time > 0 && c.i == n;
}

/* ---- internet addresses ------------------------------------------------- */

static int parse_ipv4(cur *c)
{
    for (int part = 0; part < 4; part++) {
        if (part && !eat(c, '.'))
            return 0;
        size_t start = c->i;
        int v = 0;
        while (dig(peek(c)) && c->i - start < 3)
            v = v * 10 + (c->s[c->i++] - '0');
        size_t len = c->i - start;
        if (!len || v > 255 || (len > 1 && c->s[start] == '0'))
            return 0;
    }
    return 1;
}

static int fmt_ipv4(const char *s, size_t n)
{
    cur c = {.s = s, .n = n};
    return parse_ipv4(&c) && c.i == n;
}

/* Counts 16-bit pieces; an embedded IPv4 address counts as two and must end
   the address. */
static int ipv6_pieces(const char *s, size_t n, int *count)
{
    *count = 0;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && xdig(s[j]) && j - i < 5)
            j++;
        if (j < n && s[j] == '.') {
            cur c = {.s = s, .n = n, .i = i};
            if (!parse_ipv4(&c) || c.i != n)
                return 0;
            *count += 2;
            return 1;
        }
        if (j == i || j - i > 4)
            return 0;
        (*count)++;
        if (j == n)
            return 1;
        if (s[j] != ':' || j + 1 == n)
            return 0;
        i = j + 1;
    }
    return 1;
}

static int fmt_ipv6(const char *s, size_t n)
{
    const char *dbl = NULL;
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == ':' && s[i + 1] == ':') {
            if (dbl)
                return 0;
            dbl = s + i;
            i++;
        }
    int a = 0, b = 0;
    if (!dbl)
        return ipv6_pieces(s, n, &a) && a == 8;
    size_t left = (size_t)(dbl - s), right = n - left - 2;
    if ((left && !ipv6_pieces(s, left, &a)) || (right && !ipv6_pieces(dbl + 2, right, &b)))
        return 0;
    if (left && s[left - 1] == ':')
        return 0; /* ":::" */
    if (right && dbl[2] == ':')
        return 0;
    /* An IPv4 tail is only allowed at the very end, never before "::". */
    if (left && memchr(s, '.', left))
        return 0;
    return a + b <= 7;
}

/* ---- host names (jsonschema_idna.c does the work) ----------------------- */

static int fmt_hostname(const char *s, size_t n)
{
    return ccs_hostname_ok(s, n, 0);
}

static int fmt_idn_hostname(const char *s, size_t n)
{
    return ccs_hostname_ok(s, n, 1);
}

/* ---- e-mail (RFC 5321 Mailbox) ------------------------------------------ */

static int atext(int c)
{
    return alpha(c) || dig(c) || (c > 0 && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

/* Local part; returns its length, or 0 when invalid. RFC 6531 (idn)
   additionally allows any non-ASCII UTF-8 character. */
static size_t email_local(const char *s, size_t n, int idn)
{
    size_t i = 0;
    if (n && s[0] == '"') {
        for (i = 1; i < n && s[i] != '"'; i++) {
            unsigned char ch = (unsigned char)s[i];
            if (s[i] == '\\' && i + 1 < n)
                i++;
            else if (ch < 32 || (ch > 126 && !(idn && ch >= 0x80)))
                return 0;
        }
        return i < n ? i + 1 : 0;
    }
    while (i < n &&
           (atext((unsigned char)s[i]) || s[i] == '.' || (idn && (unsigned char)s[i] >= 0x80))) {
        if (s[i] == '.' && (i == 0 || s[i - 1] == '.'))
            return 0;
        i++;
    }
    return i && s[i - 1] != '.' ? i : 0;
}

static int email(const char *s, size_t n, int idn)
{
    size_t local = email_local(s, n, idn);
    if (!local || local >= n || s[local] != '@')
        return 0;
    const char *d = s + local + 1;
    size_t dn = n - local - 1;
    if (dn >= 2 && d[0] == '[' && d[dn - 1] == ']') {
        if (dn > 7 && !strncmp(d + 1, "IPv6:", 5))
            return fmt_ipv6(d + 6, dn - 7);
        return fmt_ipv4(d + 1, dn - 2);
    }
    return ccs_hostname_ok(d, dn, idn);
}

static int fmt_email(const char *s, size_t n)
{
    return email(s, n, 0);
}

static int fmt_idn_email(const char *s, size_t n)
{
    return email(s, n, 1);
}

/* ---- URIs (RFC 3986) and IRIs (RFC 3987) -------------------------------- */

typedef struct {
    int iri; /* non-ASCII characters allowed as ucschar/iprivate */
} uri_opts;

static int unreserved(int c)
{
    return alpha(c) || dig(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static int sub_delim(int c)
{
    return c > 0 && strchr("!$&'()*+,;=", c) != NULL;
}

/* Character classes of uri_char: an unreserved or sub-delims character, and the
   punctuation some parts allow besides (an "extra" mask). */
enum { U_PLAIN = 1, U_COLON = 2, U_AT = 4, U_SLASH = 8, U_QUERY = 16 };

/* One switch instead of a string search per character: URIs are the most checked format. */
static unsigned uri_class(int ch)
{
    if (alpha(ch) || dig(ch))
        return U_PLAIN;
    switch (ch) {
    case '-': case '.': case '_': case '~': /* unreserved */
    case '!': case '$': case '&': case '\'': case '(': case ')': /* sub-delims */
    case '*': case '+': case ',': case ';': case '=':
        return U_PLAIN;
    case ':':
        return U_COLON;
    case '@':
        return U_AT;
    case '/':
        return U_SLASH;
    case '?':
        return U_QUERY;
    default:
        return 0;
    }
}

/* The end of an authority or of a first path segment; NUL too, as strchr("/?#", ch) had it. */
static int authority_end(char ch)
{
    return ch == '/' || ch == '?' || ch == '#' || ch == '\0';
}

/* One URI character of the given class (extra: the U_* punctuation also allowed);
   advances over percent-encodings and, for IRIs, UTF-8 sequences. */
static int uri_char(cur *c, unsigned extra, const uri_opts *o)
{
    int ch = peek(c);
    if (ch < 0)
        return 0;
    if (ch == '%') {
        if (c->i + 2 >= c->n || !xdig(c->s[c->i + 1]) || !xdig(c->s[c->i + 2]))
            return -1;
        c->i += 3;
        return 1;
    }
    if (uri_class(ch) & (U_PLAIN | extra))
        return c->i++, 1;
    if (o->iri && ch >= 0x80) {
        unsigned cp;
        size_t len = ccs_utf8_decode((const unsigned char *)c->s + c->i, c->n - c->i, &cp);
        if (!len)
            return -1;
        c->i += len;
        return 1;
    }
    return 0;
}

static int uri_run(cur *c, unsigned extra, const uri_opts *o)
{
    int r;
    while ((r = uri_char(c, extra, o)) > 0)
        ;
    return r == 0;
}

static int parse_host(cur *c, const uri_opts *o)
{
    if (!eat(c, '['))
        return uri_run(c, 0, o);
    size_t start = c->i;
    while (c->i < c->n && c->s[c->i] != ']')
        c->i++;
    if (c->i == c->n)
        return 0;
    const char *h = c->s + start;
    size_t hn = c->i - start;
    c->i++;
    if (hn > 1 && (h[0] == 'v' || h[0] == 'V')) { /* IPvFuture */
        cur f = {.s = h, .n = hn, .i = 1};
        if (!xdig(peek(&f)))
            return 0;
        while (xdig(peek(&f)))
            f.i++;
        if (!eat(&f, '.') || f.i == hn)
            return 0;
        while (f.i < hn && (unreserved(h[f.i]) || sub_delim(h[f.i]) || h[f.i] == ':'))
            f.i++;
        return f.i == hn;
    }
    return fmt_ipv6(h, hn);
}

static int parse_authority(cur *c, const uri_opts *o)
{
    size_t end = c->i;
    while (end < c->n && !authority_end(c->s[end]))
        end++;
    const char *at = memchr(c->s + c->i, '@', end - c->i);
    if (at) {
        cur u = {.s = c->s, .n = (size_t)(at - c->s), .i = c->i};
        if (!uri_run(&u, U_COLON, o) || u.i != u.n)
            return 0;
        c->i = u.n + 1;
    }
    cur h = {.s = c->s, .n = end, .i = c->i};
    if (!parse_host(&h, o))
        return 0;
    if (eat(&h, ':'))
        while (dig(peek(&h)))
            h.i++;
    c->i = h.i;
    return h.i == end;
}

static int parse_path_query_fragment(cur *c, const uri_opts *o)
{
    if (!uri_run(c, U_COLON | U_AT | U_SLASH, o))
        return 0;
    if (eat(c, '?') && !uri_run(c, U_COLON | U_AT | U_SLASH | U_QUERY, o))
        return 0;
    if (eat(c, '#') && !uri_run(c, U_COLON | U_AT | U_SLASH | U_QUERY, o))
        return 0;
    return c->i == c->n;
}

static size_t scheme_end(const char *s, size_t n)
{
    if (!n || !alpha(s[0]))
        return 0;
    size_t i = 1;
    while (i < n && (alpha(s[i]) || dig(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
        i++;
    return i < n && s[i] == ':' ? i : 0;
}

/* hier-part / relative-part after the scheme (if any). */
static int parse_rest(cur *c, int relative, const uri_opts *o)
{
    if (c->n - c->i >= 2 && c->s[c->i] == '/' && c->s[c->i + 1] == '/') {
        c->i += 2;
        if (!parse_authority(c, o))
            return 0;
    } else if (relative) {
        /* path-noscheme: no ':' before the first '/'. */
        size_t j = c->i;
        while (j < c->n && !authority_end(c->s[j]))
            if (c->s[j++] == ':')
                return 0;
    }
    return parse_path_query_fragment(c, o);
}

static int uri_common(const char *s, size_t n, int allow_relative, int iri)
{
    uri_opts o = {.iri = iri};
    size_t se = scheme_end(s, n);
    cur c = {.s = s, .n = n};
    if (se) {
        c.i = se + 1;
        return parse_rest(&c, 0, &o);
    }
    return allow_relative && parse_rest(&c, 1, &o);
}

static int fmt_uri(const char *s, size_t n)
{
    return uri_common(s, n, 0, 0);
}

static int fmt_uri_reference(const char *s, size_t n)
{
    return uri_common(s, n, 1, 0);
}

static int fmt_iri(const char *s, size_t n)
{
    return uri_common(s, n, 0, 1);
}

static int fmt_iri_reference(const char *s, size_t n)
{
    return uri_common(s, n, 1, 1);
}

/* ---- identifiers -------------------------------------------------------- */

static int fmt_uuid(const char *s, size_t n)
{
    if (n != 36)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int hyphen = i == 8 || i == 13 || i == 18 || i == 23;
        if (hyphen ? s[i] != '-' : !xdig(s[i]))
            return 0;
    }
    return 1;
}

static int pointer_ok(const char *s, size_t n)
{
    if (n && s[0] != '/')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '~' && (i + 1 == n || (s[i + 1] != '0' && s[i + 1] != '1')))
            return 0;
    return 1;
}

static int fmt_json_pointer(const char *s, size_t n)
{
    return pointer_ok(s, n);
}

static int fmt_relative_json_pointer(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && dig(s[i]))
        i++;
    if (i == 0 || (i > 1 && s[0] == '0'))
        return 0;
    if (i < n && s[i] == '#')
        return i + 1 == n;
    return pointer_ok(s + i, n - i);
}

static int fmt_regex(const char *s, size_t n)
{
    return ccs_regex_valid(s, n);
}

/* RFC 6570 level 4 syntax. */
static int varspec_list(const char *s, size_t n)
{
    size_t i = 0;
    if (n && strchr("+#./;?&", s[0]))
        i++;
    for (;;) {
        size_t start = i;
        while (i < n) {
            if (s[i] == '%' && i + 2 < n && xdig(s[i + 1]) && xdig(s[i + 2]))
                i += 3;
            else if (alpha(s[i]) || dig(s[i]) || s[i] == '_' ||
                     (s[i] == '.' && i > start && s[i - 1] != '.' && i + 1 < n && s[i + 1] != '.'))
                i++;
            else
                break;
        }
        if (i == start)
            return 0;
        if (i < n && s[i] == ':') {
            size_t d = ++i;
            while (i < n && dig(s[i]) && i - d < 5)
                i++;
            if (i == d || i - d > 4 || s[d] == '0')
                return 0;
        } else if (i < n && s[i] == '*')
            i++;
        if (i == n)
            return 1;
        if (s[i++] != ',')
            return 0;
    }
}

static int fmt_uri_template(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '{') {
            const char *close = memchr(s + i, '}', n - i);
            if (!close || !varspec_list(s + i + 1, (size_t)(close - s) - i - 1))
                return 0;
            i = (size_t)(close - s);
        } else if (ch == '%') {
            if (i + 2 >= n || !xdig(s[i + 1]) || !xdig(s[i + 2]))
                return 0;
        } else if (ch <= 0x20 || ch == 0x7f || strchr("\"<>\\^`|}", ch))
            return 0;
    }
    return 1;
}

/* ---- dispatch ----------------------------------------------------------- */

int cc_schema_check_format(const char *format, const char *s, size_t len)
{
    static const struct {
        const char *name;
        int (*check)(const char *, size_t);
    } formats[] = {
        {.name = "date", .check = fmt_date},
        {.name = "time", .check = fmt_time},
        {.name = "date-time", .check = fmt_date_time},
        {.name = "duration", .check = fmt_duration},
        {.name = "email", .check = fmt_email},
        {.name = "hostname", .check = fmt_hostname},
        {.name = "idn-hostname", .check = fmt_idn_hostname},
        {.name = "idn-email", .check = fmt_idn_email},
        {.name = "ipv4", .check = fmt_ipv4},
        {.name = "ipv6", .check = fmt_ipv6},
        {.name = "uri", .check = fmt_uri},
        {.name = "uri-reference", .check = fmt_uri_reference},
        {.name = "iri", .check = fmt_iri},
        {.name = "iri-reference", .check = fmt_iri_reference},
        {.name = "uuid", .check = fmt_uuid},
        {.name = "json-pointer", .check = fmt_json_pointer},
        {.name = "relative-json-pointer", .check = fmt_relative_json_pointer},
        {.name = "regex", .check = fmt_regex},
        {.name = "uri-template", .check = fmt_uri_template},
    };
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (!strcmp(format, formats[i].name))
            return formats[i].check(s, len);
    return -1;
}
