/* Issuing credentials from a recipients CSV and an issuer file. */
#include "cc_hash.h"
#include "cc_jsonread.h"
#include "cc_issue.h"

#include <stdarg.h>
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

enum { MAX_CSV = 256 * 1024 * 1024, MAX_FIELDS = 64 };

/* ------------------------------------------------------------ checks */

bool cc_valid_email(const char *s)
{
    const char *at = strchr(s, '@');
    size_t n = strlen(s);
    if (!at || at == s || n > 254 || strchr(at + 1, '@'))
        return false;
    const char *dot = strrchr(at, '.');
    if (!dot || dot == at + 1 || !dot[1])
        return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || strchr("\"(),:;<>[\\]", *p))
            return false;
    return true;
}

bool cc_normalize_datetime(const char *s, char out[40])
{
    long long t;
    size_t n = strlen(s);
    if (n >= 40 || !cc_iso_to_epoch(s, &t))
        return false;  /* a date-time without a zone is ambiguous: OB 3.0 requires one */
    if (n == 10)
        snprintf(out, 40, "%sT00:00:00Z", s);
    else
        memcpy(out, s, n + 1);
    return true;
}

/* ------------------------------------------------------------ random, hashes, time */

bool cc_random(void *buf, size_t n)
{
    unsigned char *p = buf;
    while (n) {
        ssize_t got = getrandom(p, n, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += got;
        n -= (size_t)got;
    }
    return true;
}

static void hex(const unsigned char *b, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = '\0';
}

static void uuid_format(unsigned char b[16], char out[37])
{
    char h[33];
    hex(b, 16, h);
    snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
}

void cc_uuid4(char out[37])
{
    unsigned char b[16];
    if (!cc_random(b, sizeof b)) {
        cc_fatal("no random source");  /* ids must never repeat: better no credential than a guessable one */
    }
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
    uuid_format(b, out);
}

bool cc_identity_hash_alg(const char *alg, const char *identity, const char *salt, char out[72])
{
    const EVP_MD *md_type = strcmp(alg, "sha256") == 0 ? EVP_sha256() : strcmp(alg, "md5") == 0 ? EVP_md5() : NULL;
    if (!md_type)
        return false;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, md_type, NULL);
    EVP_DigestUpdate(ctx, identity, strlen(identity));
    EVP_DigestUpdate(ctx, salt ? salt : "", salt ? strlen(salt) : 0);
    EVP_DigestFinal_ex(ctx, md, &len);
    EVP_MD_CTX_free(ctx);
    int n = snprintf(out, 72, "%s$", alg);
    hex(md, len, out + n);
    return true;
}

/* RFC 9562 version 5: SHA-1 over the namespace's 16 bytes and the name. */
static void uuid5(const unsigned char ns[16], const char *name, char out[37])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha1(), NULL);
    EVP_DigestUpdate(ctx, ns, 16);
    EVP_DigestUpdate(ctx, name, strlen(name));
    EVP_DigestFinal_ex(ctx, md, &len);
    EVP_MD_CTX_free(ctx);
    md[6] = (unsigned char)((md[6] & 0x0F) | 0x50);
    md[8] = (unsigned char)((md[8] & 0x3F) | 0x80);
    uuid_format(md, out);
}

void cc_uuid5_url(const char *url, char out[37])
{
    static const unsigned char ns_url[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                             0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
    uuid5(ns_url, url, out);
}

/* Credential ids (docs/decisions.md): uuid5(URL namespace,
 * "https://github.com/credconv/credconv#credential-id"), fixed here so ids never change. */
static const unsigned char ns_credential[16] = {0xf4, 0xd6, 0xa0, 0x72, 0x4b, 0xe4, 0x57, 0x4b,
                                                0x9d, 0x79, 0xa0, 0xde, 0x07, 0xd9, 0x5c, 0x57};

/* The issue date as the id's name has it: UTC, "YYYY-MM-DDTHH:MM:SSZ", so one instant
 * written with two offsets is one date; "" when the row gives none. */
static void utc_date(const char *issued, char out[21])
{
    long long t;
    out[0] = '\0';
    if (!issued || !*issued || !cc_iso_to_epoch(issued, &t))
        return;
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* What tells two awards apart, without the issuer (one per run): achievement code, e-mail
 * trimmed and lower-cased, UTC issue date, joined by newlines (which none of them holds). */
static char *award_key(const char *code, const char *email, const char *issued)
{
    char date[21];
    utc_date(issued, date);
    size_t n = strlen(code) + strlen(email) + strlen(date) + 3;
    char *k = malloc(n);
    if (!k)
        cc_oom();
    snprintf(k, n, "%s\n%s\n%s", code, email, date);
    for (char *p = k + strlen(code) + 1; *p && *p != '\n'; p++)
        *p = (char)tolower((unsigned char)*p);
    return k;
}

void cc_credential_uuid(const char *issuer_id, const char *code, const char *email,
                        const char *issued, char out[37])
{
    char *key = award_key(code ? code : "", email ? email : "", issued);
    size_t n = strlen(issuer_id ? issuer_id : "") + strlen(key) + 2;
    char *name = malloc(n);
    if (!name)
        cc_oom();
    snprintf(name, n, "%s\n%s", issuer_id ? issuer_id : "", key);
    uuid5(ns_credential, name, out);
    free(name);
    free(key);
}

void cc_identity_hash(const char *identity, const char *salt, char out[72])
{
    cc_identity_hash_alg("sha256", identity, salt, out);
}

bool cc_identity_matches(const cc_identity *id, const char *value)
{
    if (!id->value || !value)
        return false;
    if (!id->hashed)
        return strcmp(id->value, value) == 0;
    const char *dollar = strchr(id->value, '$');
    char alg[8], h[72];
    if (!dollar || dollar - id->value >= (long)sizeof alg)
        return false;
    snprintf(alg, sizeof alg, "%.*s", (int)(dollar - id->value), id->value);
    for (char *p = alg; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    /* the identifier is hashed exactly as given: neither validator normalises it */
    return cc_identity_hash_alg(alg, value, id->salt, h) && strcasecmp(h + strlen(alg), dollar) == 0;
}

void cc_now(char out[21])
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");  /* reproducible builds' convention */
    time_t t = epoch && *epoch ? (time_t)strtoll(epoch, NULL, 10) : time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ------------------------------------------------------------ CSV */

typedef struct csv {
    const char *p, *end;
    long line;
    char sep;             /* ',', ';' or tab: found on the header line */
    char *field;          /* the field being read (malloc) */
    size_t len, cap;
    bool nul;             /* the record being read holds a NUL byte (C strings would cut it) */
    int nul_field;        /* the index of the first field holding one, else -1 */
    int open_field;       /* after an unterminated quote: the field it opened */
} csv;

static void field_put(csv *c, char ch)
{
    if (c->len + 2 > c->cap) {
        c->cap = c->cap ? 2 * c->cap : 64;
        c->field = realloc(c->field, c->cap);
        if (!c->field)
            cc_oom();
    }
    c->field[c->len++] = ch;
    c->field[c->len] = '\0';
}

/* Reads one field; returns 1 more fields follow on the line, 0 end of record, -1 end of
 * input, -2 unterminated quote.  A lone CR ends a line too (old Mac files). */
static int csv_field(csv *c)
{
    c->len = 0;
    field_put(c, '\0');
    c->len = 0;
    if (c->p >= c->end)
        return -1;
    if (*c->p == '"') {
        c->p++;
        for (;;) {
            if (c->p >= c->end)
                return -2;
            if (*c->p == '"' && c->p + 1 < c->end && c->p[1] == '"') {
                field_put(c, '"');
                c->p += 2;
            } else if (*c->p == '"') {
                c->p++;
                break;
            } else {
                if (*c->p == '\n')
                    c->line++;
                c->nul |= *c->p == '\0';
                field_put(c, *c->p++);
            }
        }
    }
    while (c->p < c->end && *c->p != c->sep && *c->p != '\n' && *c->p != '\r') {
        c->nul |= *c->p == '\0';
        field_put(c, *c->p++);  /* unquoted text, or what follows a closing quote */
    }
    if (c->p < c->end && *c->p == c->sep) {
        c->p++;
        return 1;
    }
    if (c->p < c->end && *c->p == '\r')
        c->p++;
    if (c->p < c->end && *c->p == '\n')
        c->p++;
    c->line++;
    return 0;
}

static void free_fields(char **f, int n)
{
    for (int i = 0; i < n; i++)
        free(f[i]);
}

/* Reads one record into fields[]; returns its field count, 0 at the end, -1 on an
 * unterminated quote (then *start is the line it opened on, c->open_field its field). */
static int csv_record(csv *c, char *fields[MAX_FIELDS], long *start)
{
    int n = 0, rc;
    *start = c->line;
    c->nul = false;
    c->nul_field = -1;
    do {
        rc = csv_field(c);
        if (rc == -2) {
            c->open_field = n;
            free_fields(fields, n);
            return -1;
        }
        if (rc == -1 && n == 0)
            return 0;
        if (c->nul && c->nul_field < 0)
            c->nul_field = n;
        if (n < MAX_FIELDS)
            fields[n++] = strdup(c->field);
    } while (rc == 1);
    return n;
}

/* The separator of the header line: the most frequent of ',', ';' and tab outside quotes
 * (Excel writes ';' where the decimal mark is a comma, as in France); ',' when none. */
static char detect_sep(const char *p, const char *end)
{
    static const char seps[] = {',', ';', '\t'};
    size_t n[3] = {0};
    bool quoted = false;
    for (; p < end && (quoted || (*p != '\n' && *p != '\r')); p++) {
        if (*p == '"')
            quoted = !quoted;
        for (int i = 0; i < 3 && !quoted; i++)
            n[i] += *p == seps[i];
    }
    int best = 0;
    for (int i = 1; i < 3; i++)
        if (n[i] > n[best])
            best = i;
    return seps[best];
}

/* ------------------------------------------------------------ encodings */

/* Length of a well-formed UTF-8 sequence at p (RFC 3629: no overlong form, no surrogate,
 * nothing past U+10FFFF), 0 when there is none. */
static size_t utf8_seq(const unsigned char *p, const unsigned char *end)
{
    size_t n = p[0] < 0x80 ? 1 : p[0] >= 0xF5 ? 0 : p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 ? 2 : 0;
    if (n <= 1 || (size_t)(end - p) < n)
        return n == 1;
    unsigned long cp = p[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3F);
    }
    static const unsigned long least[] = {0, 0, 0x80, 0x800, 0x10000};
    return cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ? 0 : n;
}

/* What the bytes are: UTF-8 when they all are; Windows-1252 when no byte beyond ASCII is
 * part of a UTF-8 sequence (a file Excel saved as "CSV" in France); UTF-8 again when both
 * kinds are there (*mixed): a guess would garble one half, so the rows with other bytes are
 * refused one by one instead. */
static cc_csv_encoding detect_encoding(const char *text, size_t len, bool *mixed)
{
    const unsigned char *p = (const unsigned char *)text, *end = p + len;
    size_t multi = 0, bad = 0;
    while (p < end) {
        size_t n = utf8_seq(p, end);
        multi += n > 1;
        bad += n == 0;
        p += n ? n : 1;
    }
    *mixed = bad && multi;
    return bad && !multi ? CC_CSV_CP1252 : CC_CSV_UTF8;
}

/* Windows-1252's characters at 0x80-0x9F (where Latin-1 has C1 controls); 0: none. */
static const unsigned short cp1252_80[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

/* s (one field, in enc) as UTF-8 (malloc); NULL when a byte has no character in enc (its
 * value and position in *bad, *at). */
static char *field_utf8(const char *s, cc_csv_encoding enc, unsigned *bad, size_t *at)
{
    if (enc == CC_CSV_UTF8 || enc == CC_CSV_AUTO)
        return strdup(s);
    size_t n = strlen(s);
    char *out = malloc(3 * n + 1), *d = out;
    if (!out)
        cc_oom();
    for (size_t i = 0; i < n; i++) {
        unsigned b = (unsigned char)s[i], cp = b;
        if (b >= 0x80 && b < 0xA0 && enc == CC_CSV_CP1252 && !(cp = cp1252_80[b - 0x80])) {
            *bad = b, *at = i + 1;
            free(out);
            return NULL;
        }
        if (cp < 0x80) {
            *d++ = (char)cp;
        } else if (cp < 0x800) {
            *d++ = (char)(0xC0 | cp >> 6), *d++ = (char)(0x80 | (cp & 0x3F));
        } else {
            *d++ = (char)(0xE0 | cp >> 12), *d++ = (char)(0x80 | (cp >> 6 & 0x3F));
            *d++ = (char)(0x80 | (cp & 0x3F));
        }
    }
    *d = '\0';
    return out;
}

const char *cc_csv_encoding_name(cc_csv_encoding enc)
{
    return enc == CC_CSV_CP1252 ? "windows-1252" : enc == CC_CSV_LATIN1 ? "latin1" : "utf-8";
}

int cc_csv_encoding_parse(const char *name, cc_csv_encoding *out)
{
    static const struct { const char *name; cc_csv_encoding enc; } names[] = {
        {.name = "utf-8", .enc = CC_CSV_UTF8}, {.name = "utf8", .enc = CC_CSV_UTF8}, {.name = "cp1252", .enc = CC_CSV_CP1252},
        {.name = "windows-1252", .enc = CC_CSV_CP1252}, {.name = "latin1", .enc = CC_CSV_LATIN1}, {.name = "iso-8859-1", .enc = CC_CSV_LATIN1}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcasecmp(name, names[i].name) == 0) {
            *out = names[i].enc;
            return 0;
        }
    return -1;
}

/* ------------------------------------------------------------ recipients */

enum { COL_EMAIL, COL_GIVEN, COL_FAMILY, COL_ACH, COL_ID, COL_ISSUED, NCOLS };
static const char *const col_names[NCOLS] = {"email", "given_name", "family_name",
                                             "achievement", "id", "issued"};

/* Where each column is, and its header as written, for the diagnostics. */
typedef struct layout {
    int col[NCOLS];
    char *head[MAX_FIELDS];   /* every header name, trimmed, in UTF-8 (NULL past nhead) */
    int nhead;
    cc_csv_encoding enc;
} layout;

static char *trimmed(const char *s);

/* The name of field i, for a diagnostic: its header, or its number when it has none. */
static const char *field_name(const layout *l, int i, char buf[24])
{
    if (i >= 0 && i < l->nhead && l->head[i] && *l->head[i])
        return l->head[i];
    snprintf(buf, 24, "%d", i + 1);
    return buf;
}

/* A header name as matched: trimmed, without a byte-order mark, in any case. */
static int header_column(const char *h)
{
    for (int k = 0; k < NCOLS; k++)
        if (strcasecmp(h, col_names[k]) == 0)
            return k;
    return -1;
}

__attribute__((format(printf, 4, 5))) static int header_error(const char *name, const layout *l,
                                                             const cc_diag_sink *diag, const char *fmt, ...)
{
    char found[256] = "";
    size_t n = 0;
    for (int i = 0; i < l->nhead && n + 4 < sizeof found; i++)
        n += (size_t)snprintf(found + n, sizeof found - n, "%s'%s'", i ? ", " : "", l->head[i]);
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cc_diagf(diag, CC_ERROR, name, 1, 0, NULL, "csv-header",
             "%s (needs email, given_name, family_name, achievement; optional id, issued; "
             "separated by ',', ';' or tabs; it has %s)", msg, found);
    return -1;
}

static int header(const char *name, char **f, int n, layout *l, const cc_diag_sink *diag)
{
    for (int k = 0; k < NCOLS; k++)
        l->col[k] = -1;
    for (int i = 0; i < n; i++) {
        unsigned bad;
        size_t at;
        char *u = field_utf8(f[i], l->enc, &bad, &at);
        char *h = u && !strncmp(u, "\xEF\xBB\xBF", 3) ? u + 3 : u;  /* one a quote hid from the start */
        l->head[i] = trimmed(h ? h : "?");
        free(u);
        l->nhead = i + 1;
    }
    for (int i = 0; i < n; i++) {
        int k = header_column(l->head[i]);
        if (k >= 0 && l->col[k] >= 0)
            return header_error(name, l, diag, "the header row has two '%s' columns", col_names[k]);
        if (k >= 0)
            l->col[k] = i;
    }
    for (int k = 0; k < COL_ID; k++)
        if (l->col[k] < 0)
            return header_error(name, l, diag, "the header row has no '%s' column", col_names[k]);
    return 0;
}

static void free_layout(layout *l)
{
    free_fields(l->head, l->nhead);
    l->nhead = 0;
}

static char *trimmed(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *d = strdup(s);
    size_t n = d ? strlen(d) : 0;
    while (n && (d[n - 1] == ' ' || d[n - 1] == '\t'))
        d[--n] = '\0';
    return d;
}

/* Length of the UTF-8 sequence at s that XML 1.0 can carry (no overlong form, surrogate, C0
 * control other than tab, CR, LF, nor U+FFFE/U+FFFF); 0 when there is none.  Every output
 * format is XML or JSON: a byte that is not such text would make the output unreadable. */
static size_t text_char(const unsigned char *s)
{
    if (s[0] < 0x80)
        return s[0] >= 0x20 || s[0] == '\t' || s[0] == '\n' || s[0] == '\r';
    size_t n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    unsigned long cp = s[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    static const unsigned long least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (n == 0 || cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
        cp == 0xFFFE || cp == 0xFFFF)
        return 0;
    return n;
}

/* NULL when s is such text, else what is wrong with it (in buf); `where` follows the
 * position ("" or " of column 'x'"). */
static const char *text_problem(const char *s, const char *where, char *buf, size_t cap)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = text_char(p);
        if (!n) {
            snprintf(buf, cap, "not UTF-8 text (byte 0x%02X at %s %zu%s)", *p, *where ? "character" : "column",
                     (size_t)(p - (const unsigned char *)s) + 1, where);
            return buf;
        }
        p += n;
    }
    return NULL;
}

const char *cc_text_problem(const char *s, char *buf, size_t cap)
{
    return text_problem(s, "", buf, cap);
}

const char *cc_iri_problem(const char *s, char *buf, size_t cap)
{
    size_t scheme = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
    if (cc_text_problem(s, buf, cap))
        return buf;
    if (!scheme || !isalpha((unsigned char)s[0]) || s[scheme] != ':' || !s[scheme + 1]) {
        snprintf(buf, cap, "not an absolute URL (a scheme such as https: first)");
        return buf;
    }
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p == 0x7F || strchr("<>\"{}|\\^`", *p)) {
            snprintf(buf, cap, "a URL cannot hold the character 0x%02X (column %zu): percent-encode it", *p,
                     (size_t)(p - (const unsigned char *)s) + 1);
            return buf;
        }
    return NULL;
}

/* Warns about a person's field that a spreadsheet would take for a formula (=, +, -, @): the
 * value is kept as written (docs/decisions.md). */
static void formula_warning(const cc_recipient *r, const char *name, const cc_diag_sink *diag)
{
    const char *const vals[] = {r->email, r->given_name, r->family_name};
    const char *const cols[] = {"email", "given_name", "family_name"};
    for (int i = 0; i < 3; i++)
        if (vals[i] && vals[i][0] && strchr("=+-@", vals[i][0]))
            cc_diagf(diag, CC_WARNING, name, r->line, 0, r->email, "csv-formula",
                     "%s starts with '%c', which a spreadsheet may run as a formula: kept as "
                     "written; take care when the credentials' data is opened in one",
                     cols[i], vals[i][0]);
}

/* The first field of the row that is not text XML can carry, said with its column. */
static const char *row_text_problem(const cc_recipient *r, const layout *l, char *buf, size_t cap)
{
    char *const texts[NCOLS] = {r->email, r->given_name, r->family_name, r->achievement, r->id, r->issued};
    for (int k = 0; k < NCOLS; k++) {
        char where[96], num[24];
        snprintf(where, sizeof where, " of column '%.60s'", field_name(l, l->col[k], num));
        if (texts[k] && text_problem(texts[k], where, buf, cap))
            return buf;
    }
    return NULL;
}

/* Checks one data row; false (after a diagnostic) when it must be skipped. */
static bool check_row(cc_recipient *r, const layout *l, const char *name, const cc_diag_sink *diag)
{
    char iso[40], buf[160], num[24];
    const char *why = row_text_problem(r, l, buf, sizeof buf);
    int k = -1;  /* the column the problem is in, when it is not in the message yet */
    if (why)
        ;  /* the checks below would read text that is not text */
    else if (!r->email || !cc_valid_email(r->email))
        why = "bad email address", k = COL_EMAIL;
    else if (!r->achievement || !*r->achievement)
        why = "no achievement code", k = COL_ACH;
    else if (r->issued && *r->issued && !cc_normalize_datetime(r->issued, iso))
        why = "bad date (ISO 8601 date, or date-time with a time zone)", k = COL_ISSUED;
    if (why) {
        cc_diagf(diag, CC_ERROR, name, r->line, 0, r->email, "csv-row", "%s%s%.60s%s: row skipped", why,
                 k >= 0 ? " in column '" : "", k >= 0 ? field_name(l, l->col[k], num) : "", k >= 0 ? "'" : "");
        return false;
    }
    if (r->issued && *r->issued) {
        free(r->issued);
        r->issued = strdup(iso);
    }
    formula_warning(r, name, diag);
    return true;
}

static void free_row(cc_recipient *r)
{
    free(r->email);
    free(r->given_name);
    free(r->family_name);
    free(r->achievement);
    free(r->id);
    free(r->issued);
}

/* The row's fields in UTF-8, trimmed; false (reported) when a byte has no character in the
 * file's encoding. */
static bool row_fields(cc_recipient *r, char **f, int n, const layout *l, const char *name,
                       const cc_diag_sink *diag)
{
    char **dst[NCOLS] = {&r->email, &r->given_name, &r->family_name, &r->achievement, &r->id,
                         &r->issued};
    for (int k = 0; k < NCOLS; k++) {
        int i = l->col[k];
        if (i < 0 || i >= n || !*f[i])
            continue;
        unsigned bad = 0;
        size_t at = 0;
        char *u = field_utf8(f[i], l->enc, &bad, &at), num[24];
        if (!u) {
            cc_diagf(diag, CC_ERROR, name, r->line, 0, NULL, "csv-row",
                     "byte 0x%02X (character %zu of column '%.60s') is no %s character: row skipped",
                     bad, at, field_name(l, i, num), cc_csv_encoding_name(l->enc));
            return false;
        }
        *dst[k] = trimmed(u);
        free(u);
    }
    return true;
}

static void add_row(cc_recipients *rs, char **f, int n, const layout *l, const csv *c, long line,
                    const char *name, const cc_diag_sink *diag)
{
    char num[24];
    if (c->nul) {
        cc_diagf(diag, CC_ERROR, name, line, 0, NULL, "csv-row", "a NUL byte in the row (column '%.60s'): row skipped",
                 field_name(l, c->nul_field, num));
        rs->bad++;
        return;
    }
    cc_recipient r = {.line = line, .row = (long)rs->n + rs->bad + 1};
    if (!row_fields(&r, f, n, l, name, diag) || !check_row(&r, l, name, diag)) {
        free_row(&r);
        rs->bad++;
        return;
    }
    if (rs->n == rs->cap) {  /* doubling: growing by a constant step copies quadratically */
        size_t cap = rs->cap ? 2 * rs->cap : 64;
        cc_recipient *rows = realloc(rs->rows, cap * sizeof *rows);
        if (!rows)
            cc_oom();
        rs->rows = rows;
        rs->cap = cap;
    }
    rs->rows[rs->n++] = r;
}

static size_t cc_hash_str(const char *s);

/* A row awarding what an earlier row awards (same achievement, e-mail up to case, issue
 * date) would be the same credential, with the same id: it is reported and skipped, so a
 * rerun never writes one credential twice (docs/decisions.md).  A hash set of the keys. */
static void drop_duplicates(cc_recipients *rs, const char *name, const cc_diag_sink *diag)
{
    size_t cap = 16;
    while (cap < 2 * rs->n)
        cap *= 2;
    char **set = calloc(cap, sizeof *set);
    size_t *first = malloc(cap * sizeof *first), kept = 0;
    if (!set || !first)
        cc_oom();
    for (size_t k = 0; k < rs->n; k++) {
        cc_recipient *r = &rs->rows[k];
        char *key = award_key(r->achievement, r->email, r->issued);
        size_t i = cc_hash_str(key) & (cap - 1);
        while (set[i] && strcmp(set[i], key) != 0)
            i = (i + 1) & (cap - 1);
        if (set[i]) {
            cc_diagf(diag, CC_ERROR, name, r->line, 0, r->email, "csv-duplicate",
                     "the same award as line %ld (achievement, e-mail, issue date): the same "
                     "credential, issued once; row skipped (give 'issued' to tell two awards apart)",
                     rs->rows[first[i]].line);
            free(key);
            free_row(r);
            rs->bad++;
            continue;
        }
        set[i] = key;
        first[i] = kept;
        rs->rows[kept++] = *r;
    }
    rs->n = kept;
    for (size_t i = 0; i < cap; i++)
        free(set[i]);
    free(set);
    free(first);
}

/* The slot of code: the one holding a row of that code, or the empty one where it goes. */
static size_t code_slot(const cc_recipients *rs, const char *code)
{
    size_t i = cc_hash_str(code) & (rs->index_cap - 1);
    while (rs->index[i] != SIZE_MAX && strcmp(rs->rows[rs->index[i]].achievement, code) != 0)
        i = (i + 1) & (rs->index_cap - 1);
    return i;
}

static void build_index(cc_recipients *rs)
{
    rs->index_cap = 16;
    while (rs->index_cap < 2 * rs->n)
        rs->index_cap *= 2;
    rs->index = malloc(rs->index_cap * sizeof *rs->index);
    rs->next = malloc((rs->n ? rs->n : 1) * sizeof *rs->next);
    size_t *tail = malloc(rs->index_cap * sizeof *tail);  /* the last row of each slot's chain */
    if (!rs->index || !rs->next || !tail)
        cc_oom();
    for (size_t i = 0; i < rs->index_cap; i++)
        rs->index[i] = SIZE_MAX;
    for (size_t k = 0; k < rs->n; k++) {  /* rows of one code stay in file order along next[] */
        size_t i = code_slot(rs, rs->rows[k].achievement);
        rs->next[k] = SIZE_MAX;
        if (rs->index[i] == SIZE_MAX)
            rs->index[i] = k;
        else
            rs->next[tail[i]] = k;
        tail[i] = k;
    }
    free(tail);
}

/* A row of empty fields only (a blank line, or ";;;;" as spreadsheets write): skipped. */
static bool blank_row(char **f, int n)
{
    for (int i = 0; i < n; i++)
        if (f[i][strspn(f[i], " \t")])
            return false;
    return true;
}

/* The encoding to read the text in (after its byte-order mark), reported when guessed. */
static cc_csv_encoding choose_encoding(const char *text, size_t len, cc_csv_encoding asked,
                                       bool bom, const char *name, const cc_diag_sink *diag)
{
    if (asked != CC_CSV_AUTO || bom)
        return bom ? CC_CSV_UTF8 : asked;
    bool mixed;
    cc_csv_encoding enc = detect_encoding(text, len, &mixed);
    if (enc == CC_CSV_CP1252)
        cc_diagf(diag, CC_NOTE, name, 0, 0, NULL, "csv-encoding",
                 "not UTF-8: read as Windows-1252, the encoding Excel's \"CSV\" has in France "
                 "(--csv-encoding says otherwise)");
    if (mixed)
        cc_diagf(diag, CC_WARNING, name, 0, 0, NULL, "csv-encoding",
                 "UTF-8 with bytes that are not: read as UTF-8, and each row holding such a byte "
                 "is refused (--csv-encoding cp1252 or latin1 reads the file as one of those)");
    return enc;
}

static int parse_header(csv *c, layout *l, const char *name, const cc_diag_sink *diag)
{
    char *f[MAX_FIELDS];
    long line;
    int n = csv_record(c, f, &line);
    if (n == 0)
        cc_diagf(diag, CC_ERROR, name, 1, 0, NULL, "csv-header", "empty recipients file");
    if (n < 0)
        cc_diagf(diag, CC_ERROR, name, 1, 0, NULL, "csv-quote", "a quoted header name is never closed");
    int rc = n <= 0 ? -1 : header(name, f, n, l, diag);
    free_fields(f, n > 0 ? n : 0);
    return rc;
}

int cc_recipients_parse_as(cc_recipients *rs, const char *text, size_t len, cc_csv_encoding enc,
                           const char *name, const cc_diag_sink *diag)
{
    memset(rs, 0, sizeof *rs);
    bool bom = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0;
    if (bom && (enc == CC_CSV_AUTO || enc == CC_CSV_UTF8)) {
        text += 3;  /* a byte-order mark, as spreadsheets write */
        len -= 3;
    } else {
        bom = false;  /* an encoding was named: its bytes are read as that */
    }
    if (len >= 2 && (!memcmp(text, "\xFF\xFE", 2) || !memcmp(text, "\xFE\xFF", 2))) {
        cc_diagf(diag, CC_ERROR, name, 1, 0, NULL, "csv-encoding",
                 "the file is UTF-16: save it as \"CSV UTF-8\" (or CSV) and give that");
        return -1;
    }
    layout l = {.enc = choose_encoding(text, len, enc, bom, name, diag)};
    csv c = {.p = text, .end = text + len, .line = 1, .sep = detect_sep(text, text + len)};
    if (parse_header(&c, &l, name, diag) != 0) {
        free_layout(&l);
        free(c.field);
        return -1;
    }
    char *f[MAX_FIELDS];
    long line;
    int n;
    while ((n = csv_record(&c, f, &line)) != 0) {
        if (n < 0) {
            char num[24];
            cc_diagf(diag, CC_ERROR, name, line, 0, NULL, "csv-quote",
                     "a quoted field (column '%.60s') opened on this line is never closed: the rest "
                     "of the file is not read", field_name(&l, c.open_field, num));
            rs->bad++;
            break;
        }
        if (!blank_row(f, n))
            add_row(rs, f, n, &l, &c, line, name, diag);
        free_fields(f, n);
    }
    free_layout(&l);
    free(c.field);
    drop_duplicates(rs, name, diag);
    build_index(rs);
    return 0;
}

int cc_recipients_parse(cc_recipients *rs, const char *text, size_t len, const char *name,
                        const cc_diag_sink *diag)
{
    return cc_recipients_parse_as(rs, text, len, CC_CSV_AUTO, name, diag);
}

int cc_recipients_load(cc_recipients *rs, const char *path, cc_csv_encoding enc,
                       const cc_diag_sink *diag)
{
    memset(rs, 0, sizeof *rs);
    cc_input in;
    if (cc_input_open(&in, path) != 0) {
        cc_diagf(diag, CC_ERROR, path, 0, 0, NULL, "io", "cannot open: %s", strerror(errno));
        return -1;
    }
    size_t len;
    char *buf = cc_input_slurp(&in, MAX_CSV, &len);
    cc_input_close(&in);
    int rc = -1;
    if (!buf)
        cc_diagf(diag, CC_ERROR, path, 0, 0, NULL, "csv-size", "cannot read, or larger than 256 MB");
    else
        rc = cc_recipients_parse_as(rs, buf, len, enc, path, diag);
    free(buf);
    return rc;
}

void cc_recipients_free(cc_recipients *rs)
{
    for (size_t i = 0; i < rs->n; i++)
        free_row(&rs->rows[i]);
    free(rs->rows);
    free(rs->index);
    free(rs->next);
    memset(rs, 0, sizeof *rs);
}

void cc_recipients_each(cc_recipients *rs, const char *code,
                        void (*fn)(void *ud, cc_recipient *row), void *ud)
{
    if (!rs->index_cap || !code)
        return;
    for (size_t k = rs->index[code_slot(rs, code)]; k != SIZE_MAX; k = rs->next[k]) {
        rs->rows[k].used = true;
        fn(ud, &rs->rows[k]);
    }
}

/* ------------------------------------------------------------ issuer */

static char *json_str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s && *s ? strdup(s) : NULL;
}

/* The issuer's strings go into every credential (XML and JSON): text XML can carry, and its
 * id and url absolute URLs, or the file is refused. */
static bool issuer_text_bad(const cc_issuer *is, const char *path, const cc_diag_sink *diag)
{
    const char *const vals[] = {is->id, is->name, is->url, is->email, is->siret, is->country};
    const char *const keys[] = {"id", "name", "url", "email", "siret", "country"};
    char buf[128];
    for (int i = 0; i < 6; i++) {
        const char *why = !vals[i] ? NULL : i == 0 || i == 2 ? cc_iri_problem(vals[i], buf, sizeof buf)
                                                           : cc_text_problem(vals[i], buf, sizeof buf);
        if (why) {
            cc_diagf(diag, CC_ERROR, path, 0, 0, NULL, "issuer", "the issuer's \"%s\": %s", keys[i], why);
            return true;
        }
    }
    return false;
}

int cc_issuer_load(cc_issuer *is, const char *path, const cc_diag_sink *diag)
{
    memset(is, 0, sizeof *is);
    json_error_t err;
    json_t *j = cc_json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    if (!j) {
        cc_diagf(diag, CC_ERROR, path, err.line, err.column, NULL, "issuer", "%s", err.text);
        return -1;
    }
    const char *key;
    json_t *v;
    json_object_foreach(j, key, v) {
        static const char *const known[] = {"id", "name", "url", "email", "siret", "country"};
        bool ok = false;
        for (size_t i = 0; i < 6; i++)
            ok |= strcmp(key, known[i]) == 0;
        if (!ok || !json_is_string(v))
            cc_diagf(diag, ok ? CC_ERROR : CC_WARNING, path, 0, 0, NULL, "issuer",
                     ok ? "'%s' must be a string" : "unknown key '%s' ignored", key);
    }
    is->id = json_str(j, "id");
    is->name = json_str(j, "name");
    is->url = json_str(j, "url");
    is->email = json_str(j, "email");
    is->siret = json_str(j, "siret");
    is->country = json_str(j, "country");
    json_decref(j);
    if (!is->country && !(is->country = strdup("FR")))
        cc_oom();
    if (issuer_text_bad(is, path, diag)) {
        cc_issuer_free(is);
        return -1;
    }
    const char *why = !is->id ? "needs an \"id\" (an IRI)"
                    : !is->name ? "needs a \"name\""
                    : (is->email && !cc_valid_email(is->email)) ? "has a bad \"email\""
                    : (strlen(is->country) != 2 || !isupper((unsigned char)is->country[0]) ||
                       !isupper((unsigned char)is->country[1]))
                        ? "\"country\" must be an ISO 3166 alpha-2 code such as FR"
                        : NULL;
    if (why) {
        cc_diagf(diag, CC_ERROR, path, 0, 0, NULL, "issuer", "the issuer %s", why);
        cc_issuer_free(is);
        return -1;
    }
    return 0;
}

void cc_issuer_free(cc_issuer *is)
{
    free(is->id);
    free(is->name);
    free(is->url);
    free(is->email);
    free(is->siret);
    free(is->country);
    memset(is, 0, sizeof *is);
}

/* ------------------------------------------------------------ credentials */

cc_org *cc_issuer_org(cc_arena *a, const cc_issuer *is)
{
    cc_org *o = cc_org_new(a);
    o->id = cc_strdup(a, is->id);
    o->role = "issuer";
    cc_text_add(a, &o->name, NULL, cc_strdup(a, is->name));
    o->url = cc_strdup(a, is->url);
    o->email = cc_strdup(a, is->email);
    o->country = cc_strdup(a, is->country);
    if (is->siret)
        cc_list_append(&o->identifiers, cc_code_new(a, "siret", cc_strdup(a, is->siret), NULL, NULL));
    return o;
}

static cc_person *subject(cc_arena *a, const cc_issue_opts *o, const cc_recipient *row)
{
    cc_person *p = cc_alloc(a, sizeof *p);
    p->id = cc_strdup(a, row->id);
    p->given_name = cc_strdup(a, row->given_name);
    p->family_name = cc_strdup(a, row->family_name);
    if (row->given_name || row->family_name)
        p->full_name = cc_sprintf(a, "%s%s%s", row->given_name ? row->given_name : "",
                                  row->given_name && row->family_name ? " " : "",
                                  row->family_name ? row->family_name : "");
    cc_identity *id = cc_alloc(a, sizeof *id);
    id->type = "emailAddress";
    if (o->hash_recipients) {
        unsigned char salt[8];
        char salt_hex[17], h[72];
        if (!cc_random(salt, sizeof salt))
            cc_oom();
        hex(salt, sizeof salt, salt_hex);
        cc_identity_hash(row->email, salt_hex, h);
        id->value = cc_strdup(a, h);
        id->hashed = true;
        id->salt = cc_strdup(a, salt_hex);
    } else {
        p->email = cc_strdup(a, row->email);
        id->value = p->email;
    }
    cc_list_append(&p->identifiers, id);
    return p;
}

cc_record *cc_issue_credential(const cc_issue_opts *o, cc_achievement *a, const cc_recipient *row)
{
    cc_record *r = cc_record_new(CC_REC_CREDENTIAL);
    cc_credential *c = r->credential;
    char u[37];  /* from the content, never the row's place: a rerun or a reordered CSV keeps it */
    cc_credential_uuid(o->issuer ? o->issuer->id : NULL, a->code ? a->code : row->achievement,
                       row->email, row->issued, u);
    if (o->id_base) {
        size_t n = strlen(o->id_base);
        c->id = cc_sprintf(r->arena, "%.*s/%s", (int)(n && o->id_base[n - 1] == '/' ? n - 1 : n),
                           o->id_base, u);
    } else {
        c->id = cc_sprintf(r->arena, "urn:uuid:%s", u);
    }
    if (o->issuer)
        c->issuer = cc_issuer_org(r->arena, o->issuer);
    c->issued = cc_strdup(r->arena, row->issued ? row->issued : o->now);
    c->valid_from = c->issued;
    c->awarded = c->issued;
    c->subject = subject(r->arena, o, row);
    c->achievement = a;  /* borrowed from the specification record */
    for (const cc_text *t = a->title.head; t; t = t->next)  /* the award is named after it */
        cc_text_add(r->arena, &c->name, t->lang, t->value);
    return r;
}
