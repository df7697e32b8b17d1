/* Baking and unbaking badge images (docs/references.md ob §3.5).
 *
 * PNG is handled chunk by chunk: every chunk's CRC is checked, the image data is copied
 * byte for byte, and the badge goes into one uncompressed iTXt chunk just before IEND.
 * SVG is read with the XML parser, in converters/bake/bake_svg.c. */
#include "cc_bake.h"
#include "cc_jsonread.h"
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
#define CLR_KEYWORD "clrcredential"

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
    size_t i = len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3) ? 3 : 0;  /* a UTF-8 byte order mark */
    while (i < len && buf[i] && strchr(" \t\r\n", buf[i]))
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
    if (ctx && strstr(ctx, "purl.imsglobal.org/spec/clr/"))
        v = CC_BADGE_CLR;
    else if (ctx && (strstr(ctx, "www.w3.org/ns/credentials") || strstr(ctx, "www.w3.org/2018/credentials")))
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

static bool keyword_is(const unsigned char *d, size_t n, const char *kw)
{
    size_t kl = strnlen((const char *)d, n);
    return kl == strlen(kw) && memcmp(d, kw, kl) == 0;
}

/* The version a badge chunk's keyword names (CLR 2.0 has its own, docs/references.md ob §4). */
static cc_badge_version keyword_version(const unsigned char *d, size_t n)
{
    return keyword_is(d, n, OB2_KEYWORD) ? CC_BADGE_OB2 : keyword_is(d, n, OB3_KEYWORD) ? CC_BADGE_OB3
         : keyword_is(d, n, CLR_KEYWORD) ? CC_BADGE_CLR : CC_BADGE_UNKNOWN;
}

static bool is_badge_chunk(const char *type, const unsigned char *d, size_t n)
{
    cc_badge_version v = keyword_version(d, n);
    return (strcmp(type, "iTXt") == 0 && v != CC_BADGE_UNKNOWN) ||
           (strcmp(type, "tEXt") == 0 && v == CC_BADGE_OB2);
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
        return fail(err, errlen, "no badge in this PNG (no iTXt chunk '" OB2_KEYWORD "', '"
                    OB3_KEYWORD "' or '" CLR_KEYWORD "')");
    const unsigned char *text = NULL;
    size_t n = 0;
    if (itxt_text(&s, &text, &n, err, errlen) != 0)
        return -1;
    *ver = keyword_version(s.badge, s.badge_len);
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
    const char *kw = ver == CC_BADGE_OB3 ? OB3_KEYWORD : ver == CC_BADGE_CLR ? CLR_KEYWORD : OB2_KEYWORD;
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

/* ------------------------------------------------------------ entry points */

int cc_unbake(const unsigned char *img, size_t len, char **payload, size_t *plen,
              cc_badge_version *ver, char *err, size_t errlen)
{
    *payload = NULL;
    *plen = 0;
    *ver = CC_BADGE_UNKNOWN;
    switch (cc_image_detect(img, len)) {
    case CC_IMAGE_PNG: return unbake_png(img, len, payload, plen, ver, err, errlen);
    case CC_IMAGE_SVG: return cc_svg_unbake((const char *)img, len, payload, plen, ver, err, errlen);
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
                    "OB 3.0 or CLR 2.0 credential (JSON or compact JWS)");
    switch (cc_image_detect(img, len)) {
    case CC_IMAGE_PNG: return bake_png(img, len, payload, plen, ver, out, err, errlen);
    case CC_IMAGE_SVG: return cc_svg_bake((const char *)img, len, payload, plen, ver, out, err, errlen);
    default: return fail(err, errlen, "not a PNG or SVG image");
    }
}
