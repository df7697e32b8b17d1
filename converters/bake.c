/* Baking and unbaking badge images (reference §3.5).
 *
 * PNG is handled chunk by chunk: every chunk's CRC is checked, the image data is copied
 * byte for byte, and the badge goes into one uncompressed iTXt chunk just before IEND.
 * SVG is handled as text, not parsed as XML: the payload element sits right after the
 * <svg> start tag, and a text scan never expands an entity or reads a DTD. */
#include "cc_jsonread.h"
#include "cc_bake.h"
#include "cc_jws.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define PNG_SIG "\x89PNG\r\n\x1a\n"
#define OB2_KEYWORD "openbadges"
#define OB3_KEYWORD "openbadgecredential"
#define OB2_NS "http://openbadges.org"
#define OB3_NS "https://purl.imsglobal.org/ob/v3p0"

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

unsigned char *cc_slurp(FILE *fp, size_t max, size_t *len)
{
    size_t cap = 65536, n = 0;
    unsigned char *buf = malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0 || n > max)
            break;
        if (n == cap) {
            unsigned char *b = realloc(buf, 2 * cap + 1);
            if (!b)
                break;
            buf = b;
            cap *= 2;
        }
    }
    if (!buf || ferror(fp) || n > max) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

char *cc_data_uri(const char *mime, const unsigned char *b, size_t len)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t head = strlen(mime) + 13;
    char *out = malloc(head + (len + 2) / 3 * 4 + 1), *o;
    if (!out)
        return NULL;
    o = out + sprintf(out, "data:%s;base64,", mime);
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)b[i] << 16 | (i + 1 < len ? (unsigned)b[i + 1] << 8 : 0) |
                     (i + 2 < len ? b[i + 2] : 0);
        *o++ = digits[v >> 18 & 63];
        *o++ = digits[v >> 12 & 63];
        *o++ = i + 1 < len ? digits[v >> 6 & 63] : '=';
        *o++ = i + 2 < len ? digits[v & 63] : '=';
    }
    *o = '\0';
    return out;
}

cc_image_kind cc_image_detect(const unsigned char *buf, size_t len)
{
    if (len >= 8 && memcmp(buf, PNG_SIG, 8) == 0)
        return CC_IMAGE_PNG;
    size_t i = 0;
    while (i < len && (strchr(" \t\r\n", buf[i]) || buf[i] >= 0xEF))
        i++;
    if (i >= len || buf[i] != '<')
        return CC_IMAGE_NONE;
    const unsigned char *svg = memmem(buf + i, len - i, "<svg", 4);
    return svg && svg + 4 < buf + len && strchr(" \t\r\n>", svg[4]) ? CC_IMAGE_SVG : CC_IMAGE_NONE;
}

/* ------------------------------------------------------------ payload version */

static cc_badge_version json_version(const json_t *doc)
{
    if (!json_is_object(doc))
        return CC_BADGE_UNKNOWN;
    const json_t *vc = json_object_get(doc, "vc");  /* VC-JWT of the VC 1.1 style */
    if (json_is_object(vc))
        doc = vc;
    char *ctx = json_dumps(json_object_get(doc, "@context"), JSON_ENCODE_ANY);
    cc_badge_version v = CC_BADGE_UNKNOWN;
    if (ctx && (strstr(ctx, "www.w3.org/ns/credentials") || strstr(ctx, "www.w3.org/2018/credentials")))
        v = CC_BADGE_OB3;
    else if (ctx && strstr(ctx, "w3id.org/openbadges"))
        v = CC_BADGE_OB2;
    else if (!ctx && json_object_get(doc, "recipient"))
        v = CC_BADGE_OB2;  /* OB 0.5 / 1.0: no context */
    free(ctx);
    return v;
}

cc_badge_version cc_badge_payload_version(const char *payload, size_t len)
{
    size_t n = 0;
    char *jws = cc_jws_payload(payload, len, &n);
    json_t *doc = jws ? cc_json_loadb(jws, n, 0, NULL) : cc_json_loadb(payload, len, 0, NULL);
    cc_badge_version v = json_version(doc);
    json_decref(doc);
    free(jws);
    return v;
}

/* ------------------------------------------------------------ PNG */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

typedef struct png_scan {
    size_t iend;                 /* offset of the IEND chunk */
    const unsigned char *badge;  /* data of the badge chunk, if any */
    size_t badge_len;
    char badge_type[5];
    size_t badge_off;
} png_scan;

static bool is_badge_chunk(const char *type, const unsigned char *d, size_t n)
{
    size_t kl = strnlen((const char *)d, n);
    bool ob2 = kl == strlen(OB2_KEYWORD) && memcmp(d, OB2_KEYWORD, kl) == 0;
    bool ob3 = kl == strlen(OB3_KEYWORD) && memcmp(d, OB3_KEYWORD, kl) == 0;
    return (strcmp(type, "iTXt") == 0 && (ob2 || ob3)) || (strcmp(type, "tEXt") == 0 && ob2);
}

/* Walks every chunk, checking lengths and CRCs; finds IEND and the one badge chunk. */
static int png_walk(const unsigned char *img, size_t len, png_scan *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    if (len < 8 || memcmp(img, PNG_SIG, 8) != 0)
        return fail(err, errlen, "not a PNG image (bad signature)");
    for (size_t off = 8;;) {
        if (len - off < 12)
            return fail(err, errlen, "PNG truncated: chunk at offset %zu is cut short", off);
        uint32_t n = be32(img + off);
        char type[5];
        memcpy(type, img + off + 4, 4);
        type[4] = '\0';
        if (n > 0x7fffffffu || len - off - 12 < n)
            return fail(err, errlen, "PNG truncated: chunk '%s' at offset %zu says %u bytes, "
                        "%zu are left", type, off, n, len - off - 12);
        const unsigned char *data = img + off + 8;
        uint32_t crc = (uint32_t)crc32(crc32(0, img + off + 4, 4), data, n);
        if (crc != be32(data + n))
            return fail(err, errlen, "PNG damaged: chunk '%s' at offset %zu has CRC %08x, its "
                        "bytes give %08x", type, off, be32(data + n), crc);
        if (is_badge_chunk(type, data, n)) {
            if (s->badge)
                return fail(err, errlen, "two badge chunks (offsets %zu and %zu): refused, a "
                            "badge image carries exactly one", s->badge_off, off);
            s->badge = data;
            s->badge_len = n;
            s->badge_off = off;
            memcpy(s->badge_type, type, 5);
        }
        if (strcmp(type, "IEND") == 0) {
            s->iend = off;
            return 0;
        }
        off += 12 + n;
    }
}

/* iTXt: keyword 0 flag method language 0 translated-keyword 0 text. */
static int itxt_text(const png_scan *s, const unsigned char **text, size_t *n, char *err,
                     size_t errlen)
{
    const unsigned char *p = s->badge, *end = s->badge + s->badge_len;
    p += strnlen((const char *)p, (size_t)(end - p)) + 1;
    if (strcmp(s->badge_type, "tEXt") == 0) {  /* pre-spec: the hosted URL only */
        *text = p <= end ? p : end;
        *n = (size_t)(end - *text);
        return 0;
    }
    if (end - p < 2)
        return fail(err, errlen, "iTXt badge chunk is cut short");
    if (p[0] != 0)
        return fail(err, errlen, "iTXt badge chunk is compressed; the baking specification "
                    "forbids it");
    p += 2;
    for (int field = 0; field < 2; field++) {  /* language tag, translated keyword */
        const unsigned char *z = memchr(p, 0, (size_t)(end - p));
        if (!z)
            return fail(err, errlen, "iTXt badge chunk is cut short");
        p = z + 1;
    }
    *text = p;
    *n = (size_t)(end - p);
    return 0;
}

static int unbake_png(const unsigned char *img, size_t len, char **payload, size_t *plen,
                      cc_badge_version *ver, char *err, size_t errlen)
{
    png_scan s;
    if (png_walk(img, len, &s, err, errlen) != 0)
        return -1;
    if (!s.badge)
        return fail(err, errlen, "no badge in this PNG (no iTXt chunk '" OB2_KEYWORD "' or '"
                    OB3_KEYWORD "')");
    const unsigned char *text = NULL;
    size_t n = 0;
    if (itxt_text(&s, &text, &n, err, errlen) != 0)
        return -1;
    *ver = strncmp((const char *)s.badge, OB3_KEYWORD, strlen(OB3_KEYWORD) + 1) == 0
               ? CC_BADGE_OB3 : CC_BADGE_OB2;
    *payload = strndup((const char *)text, n);
    *plen = n;
    return *payload ? 0 : fail(err, errlen, "out of memory");
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
}

static int bake_png(const unsigned char *img, size_t len, const char *payload, size_t plen,
                    cc_badge_version ver, FILE *out, char *err, size_t errlen)
{
    png_scan s;
    if (png_walk(img, len, &s, err, errlen) != 0)
        return -1;
    if (s.badge)
        return fail(err, errlen, "this PNG is already baked (chunk at offset %zu): unbake a "
                    "clean image instead", s.badge_off);
    const char *kw = ver == CC_BADGE_OB3 ? OB3_KEYWORD : OB2_KEYWORD;
    size_t head = strlen(kw) + 5;  /* keyword 0, flag, method, "" 0, "" 0 */
    if (plen > 0x7fffffffu - head)
        return fail(err, errlen, "payload too large for a PNG chunk");
    unsigned char *chunk = calloc(1, 12 + head + plen);
    if (!chunk)
        return fail(err, errlen, "out of memory");
    put32(chunk, (uint32_t)(head + plen));
    memcpy(chunk + 4, "iTXt", 4);
    memcpy(chunk + 8, kw, strlen(kw));  /* the zero bytes are calloc's */
    memcpy(chunk + 8 + head, payload, plen);
    put32(chunk + 8 + head + plen, (uint32_t)crc32(0, chunk + 4, (uInt)(4 + head + plen)));
    bool ok = fwrite(img, 1, s.iend, out) == s.iend &&
              fwrite(chunk, 1, 12 + head + plen, out) == 12 + head + plen &&
              fwrite(img + s.iend, 1, len - s.iend, out) == len - s.iend;
    free(chunk);
    return ok ? 0 : -2;
}

/* ------------------------------------------------------------ SVG */

/* End of the tag starting at p ('>' position), skipping quoted attribute values. */
static const char *tag_end(const char *p, const char *end)
{
    char q = 0;
    for (; p < end; p++) {
        if (q) {
            if (*p == q)
                q = 0;
        } else if (*p == '"' || *p == '\'') {
            q = *p;
        } else if (*p == '>') {
            return p;
        }
    }
    return NULL;
}

/* The prefix bound to ns by an xmlns:PREFIX="ns" declaration, into out. */
static bool ns_prefix(const char *doc, const char *end, const char *ns, char *out, size_t cap)
{
    for (const char *p = doc; (p = memmem(p, (size_t)(end - p), "xmlns:", 6)) != NULL; p += 6) {
        const char *eq = p + 6;
        while (eq < end && *eq != '=' && !strchr(" \t\r\n>", *eq))
            eq++;
        size_t nl = strlen(ns), pl = (size_t)(eq - p - 6);
        if (eq + 2 + nl < end && *eq == '=' && (eq[1] == '"' || eq[1] == '\'') &&
            memcmp(eq + 2, ns, nl) == 0 && eq[2 + nl] == eq[1] && pl + 1 < cap) {
            memcpy(out, p + 6, pl);
            out[pl] = '\0';
            return true;
        }
    }
    return false;
}

static char *utf8_put(char *o, unsigned long cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xC0 | cp >> 6);
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xE0 | cp >> 12);
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (char)(0xF0 | (cp >> 18 & 0x07));
        *o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    }
    return o;
}

/* Decodes the five predefined XML entities and numeric character references; *len is the
 * result's length (it may hold a NUL byte, as the source may). */
static char *xml_unescape(const char *src, size_t n, size_t *len)
{
    char *s = malloc(n + 1);  /* NUL-terminated: the scan below may look ahead */
    if (!s)
        return NULL;
    memcpy(s, src, n);  /* not strndup: a NUL byte in src must not make s shorter than n */
    s[n] = '\0';
    static const char *const ent[][2] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"},
                                         {"&quot;", "\""}, {"&apos;", "'"}};
    char *out = malloc(n * 4 + 1), *o = out;
    for (size_t i = 0; out && i < n;) {
        size_t k = 0;
        while (k < 5 && strncmp(s + i, ent[k][0], strlen(ent[k][0])) != 0)
            k++;
        if (k < 5) {
            *o++ = ent[k][1][0];
            i += strlen(ent[k][0]);
        } else if (s[i] == '&' && i + 2 < n && s[i + 1] == '#') {
            char *e;
            bool hexa = s[i + 2] == 'x';
            o = utf8_put(o, strtoul(s + i + 2 + hexa, &e, hexa ? 16 : 10) & 0x1FFFFF);
            i = (size_t)(e - s) + (e < s + n && *e == ';');
        } else {
            *o++ = s[i++];
        }
    }
    if (out)
        *o = '\0';
    *len = out ? (size_t)(o - out) : 0;
    free(s);
    return out;
}

/* The value of attribute name in the start tag [tag, tag_end). */
static char *attr_value(const char *tag, const char *te, const char *name, size_t *len)
{
    size_t nl = strlen(name);
    for (const char *p = tag; (p = memmem(p, (size_t)(te - p), name, nl)) != NULL; p += nl) {
        const char *v = p + nl;
        if (!strchr(" \t\r\n", p[-1]) || v + 1 >= te || *v != '=' || (v[1] != '"' && v[1] != '\''))
            continue;
        const char *close = memchr(v + 2, v[1], (size_t)(te - v - 2));
        return close ? xml_unescape(v + 2, (size_t)(close - v - 2), len) : NULL;
    }
    return NULL;
}

/* Finds the one <PREFIX:LOCAL element; fails on none or two. */
static const char *svg_element(const char *doc, const char *end, const char *qname, char *err,
                               size_t errlen)
{
    const char *found = NULL;
    size_t ql = strlen(qname);
    for (const char *p = doc; (p = memmem(p, (size_t)(end - p), qname, ql)) != NULL; p += ql) {
        if (p + ql >= end || !strchr(" \t\r\n/>", p[ql]))
            continue;
        if (found) {
            fail(err, errlen, "two <%s> elements: refused, a badge image carries exactly one",
                 qname + 1);
            return NULL;
        }
        found = p;
    }
    if (!found)
        fail(err, errlen, "no <%s> element in this SVG", qname + 1);
    return found;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr(" \t\r\n", s[i]))
            return false;
    return true;
}

/* The body of the element: the CDATA section's bytes, else its (unescaped) text. */
static char *element_body(const char *te, const char *end, const char *qname, size_t *n)
{
    char close[100];
    snprintf(close, sizeof close, "</%s", qname + 1);
    const char *c = memmem(te, (size_t)(end - te), close, strlen(close));
    if (!c)
        return NULL;
    const char *cd = memmem(te, (size_t)(c - te), "<![CDATA[", 9);
    if (cd) {
        const char *ce = memmem(cd + 9, (size_t)(end - cd - 9), "]]>", 3);
        if (!ce || blank(cd + 9, (size_t)(ce - cd - 9)))
            return NULL;
        *n = (size_t)(ce - cd - 9);
        char *b = malloc(*n + 1);  /* not strndup: the bytes may hold a NUL, and *n must be exact */
        if (b) {
            memcpy(b, cd + 9, *n);
            b[*n] = '\0';
        }
        return b;
    }
    if (blank(te + 1, (size_t)(c - te - 1)))
        return NULL;
    return xml_unescape(te + 1, (size_t)(c - te - 1), n);
}

static int unbake_svg(const char *doc, size_t len, char **payload, size_t *plen,
                      cc_badge_version *ver, char *err, size_t errlen)
{
    const char *end = doc + len;
    char prefix[64], qname[96];
    if (ns_prefix(doc, end, OB3_NS, prefix, sizeof prefix)) {
        snprintf(qname, sizeof qname, "<%s:credential", prefix);
        *ver = CC_BADGE_OB3;
    } else if (ns_prefix(doc, end, OB2_NS, prefix, sizeof prefix)) {
        snprintf(qname, sizeof qname, "<%s:assertion", prefix);
        *ver = CC_BADGE_OB2;
    } else {
        return fail(err, errlen, "no badge in this SVG (no namespace " OB2_NS " or " OB3_NS ")");
    }
    const char *el = svg_element(doc, end, qname, err, errlen);
    const char *te = el ? tag_end(el, end) : NULL;
    if (!el || !te)
        return el ? fail(err, errlen, "<%s> is not closed", qname + 1) : -1;
    *payload = te[-1] == '/' ? NULL : element_body(te, end, qname, plen);
    if (!*payload) {  /* signed, or a body with nothing in it: the verify attribute */
        *payload = attr_value(el, te, "verify", plen);
    }
    return *payload ? 0 : fail(err, errlen, "<%s> holds no payload (no body, no verify)", qname + 1);
}

static void xml_attr_escape(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '"': fputs("&quot;", out); break;
        default: putc(*s, out);
        }
    }
}

/* The id of an OB 2.0 JSON assertion: the verify attribute of an unsigned bake. */
static char *assertion_id(const char *payload, size_t plen)
{
    json_t *doc = cc_json_loadb(payload, plen, 0, NULL);
    const char *id = json_string_value(json_object_get(doc, "id"));
    char *r = id ? strdup(id) : NULL;
    json_decref(doc);
    return r;
}

/* Whether the image already holds what a bake adds: a namespace declaration, or an
 * openbadges element or prefix even without a (well-formed) declaration.  Baking over any of
 * them would give an image whose unbaking finds two badges or the old one. */
static bool svg_has_badge(const char *doc, const char *end)
{
    char prefix[64];
    size_t n = (size_t)(end - doc);
    return ns_prefix(doc, end, OB2_NS, prefix, sizeof prefix) ||
           ns_prefix(doc, end, OB3_NS, prefix, sizeof prefix) || memmem(doc, n, "xmlns:openbadges", 16) ||
           memmem(doc, n, "<openbadges:", 12);
}

static int bake_svg(const char *doc, size_t len, const char *payload, size_t plen,
                    cc_badge_version ver, FILE *out, char *err, size_t errlen)
{
    const char *end = doc + len;
    if (svg_has_badge(doc, end))
        return fail(err, errlen, "this SVG is already baked (or has an openbadges element or "
                    "prefix): unbake a clean image instead");
    const char *svg = doc;
    while ((svg = memmem(svg, (size_t)(end - svg), "<svg", 4)) && svg + 4 < end && !strchr(" \t\r\n>", svg[4]))
        svg += 4;
    const char *te = svg ? tag_end(svg, end) : NULL;
    if (!te || te[-1] == '/')
        return fail(err, errlen, "no <svg> start tag to bake into");
    bool jws = cc_jws_shape(payload, plen);
    if (!jws && memmem(payload, plen, "]]>", 3))
        return fail(err, errlen, "the payload contains ']]>', which a CDATA section cannot hold");
    const char *el = ver == CC_BADGE_OB3 ? "openbadges:credential" : "openbadges:assertion";
    fwrite(doc, 1, (size_t)(te - doc), out);
    fprintf(out, " xmlns:openbadges=\"%s\">\n<%s", ver == CC_BADGE_OB3 ? OB3_NS : OB2_NS, el);
    char *verify = jws ? strndup(payload, plen) : ver == CC_BADGE_OB2 ? assertion_id(payload, plen) : NULL;
    if (verify) {
        fputs(" verify=\"", out);
        xml_attr_escape(out, verify);
        putc('"', out);
        free(verify);
    }
    if (jws) {
        fputs("/>", out);
    } else {
        fputs("><![CDATA[", out);
        fwrite(payload, 1, plen, out);
        fprintf(out, "]]></%s>", el);
    }
    fwrite(te + 1, 1, (size_t)(end - te - 1), out);
    return ferror(out) ? -2 : 0;
}

/* ------------------------------------------------------------ entry points */

int cc_unbake(const unsigned char *img, size_t len, char **payload, size_t *plen,
              cc_badge_version *ver, char *err, size_t errlen)
{
    *payload = NULL;
    *plen = 0;
    *ver = CC_BADGE_UNKNOWN;
    switch (cc_image_detect(img, len)) {
    case CC_IMAGE_PNG: return unbake_png(img, len, payload, plen, ver, err, errlen);
    case CC_IMAGE_SVG: return unbake_svg((const char *)img, len, payload, plen, ver, err, errlen);
    default: return fail(err, errlen, "not a PNG or SVG image");
    }
}

int cc_bake(const unsigned char *img, size_t len, const char *payload, size_t plen,
            cc_badge_version ver, FILE *out, char *err, size_t errlen)
{
    if (ver == CC_BADGE_UNKNOWN)
        ver = cc_badge_payload_version(payload, plen);
    if (ver == CC_BADGE_UNKNOWN)
        return fail(err, errlen, "the payload is neither an Open Badges 2.0 assertion nor an "
                    "OB 3.0 credential (JSON or compact JWS)");
    switch (cc_image_detect(img, len)) {
    case CC_IMAGE_PNG: return bake_png(img, len, payload, plen, ver, out, err, errlen);
    case CC_IMAGE_SVG: return bake_svg((const char *)img, len, payload, plen, ver, out, err, errlen);
    default: return fail(err, errlen, "not a PNG or SVG image");
    }
}
