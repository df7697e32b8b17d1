/* The format registry: one line per format.  Capabilities are data, printed by
 * `credconv formats`. */
#include "credconv/credconv.h"

#include <string.h>

extern const cc_format cc_format_rncp;
extern const cc_format cc_format_model;
extern const cc_format cc_format_ob2;
extern const cc_format cc_format_baked;
extern const cc_format cc_format_edc;
extern const cc_format cc_format_ob3;
extern const cc_format cc_format_edc3;
extern const cc_format cc_format_edc3_vc2;

static const cc_format *const registry[] = {
    &cc_format_rncp,
    &cc_format_edc,
    &cc_format_ob3,
    &cc_format_edc3,
    &cc_format_edc3_vc2,
    &cc_format_model,
    &cc_format_ob2,
    &cc_format_baked,
    NULL,
};

const cc_format *const *cc_formats(void)
{
    return registry;
}

const cc_format *cc_format_find(const char *name)
{
    for (const cc_format *const *f = registry; *f; f++)
        if (strcmp((*f)->name, name) == 0)
            return *f;
    return NULL;
}

/* XML may come as UTF-16 (with its byte order mark, or "<?" as two 16-bit units); the
 * readers (libxml2) read it, but the bids look for ASCII markers: they are shown the first
 * bytes as UTF-8.  Returns the UTF-8 length, 0 when buf is not UTF-16. */
static size_t utf16_head_as_utf8(const unsigned char *buf, size_t len, unsigned char *out, size_t cap)
{
    bool le = len >= 2 && ((buf[0] == 0xFF && buf[1] == 0xFE) || (len >= 4 && !memcmp(buf, "<\0?\0", 4)));
    bool be = len >= 2 && ((buf[0] == 0xFE && buf[1] == 0xFF) || (len >= 4 && !memcmp(buf, "\0<\0?", 4)));
    if (!le && !be)
        return 0;
    size_t n = 0, i = (buf[0] == 0xFF || buf[0] == 0xFE) ? 2 : 0;
    for (; i + 1 < len && n + 4 <= cap; i += 2) {
        unsigned u = le ? (unsigned)buf[i] | (unsigned)buf[i + 1] << 8 : (unsigned)buf[i] << 8 | buf[i + 1];
        if (u >= 0xD800 && u <= 0xDFFF)
            u = '?';  /* a surrogate pair: no marker a bid looks for is outside the BMP */
        if (u < 0x80) {
            out[n++] = (unsigned char)u;
        } else if (u < 0x800) {
            out[n++] = (unsigned char)(0xC0 | u >> 6), out[n++] = (unsigned char)(0x80 | (u & 0x3F));
        } else {
            out[n++] = (unsigned char)(0xE0 | u >> 12), out[n++] = (unsigned char)(0x80 | (u >> 6 & 0x3F));
            out[n++] = (unsigned char)(0x80 | (u & 0x3F));
        }
    }
    return n;
}

const cc_format *cc_format_detect(const unsigned char *buf, size_t len)
{
    unsigned char utf8[3 * 4096 / 2 + 4];
    size_t n = utf16_head_as_utf8(buf, len < 4096 ? len : 4096, utf8, sizeof utf8);
    if (n) {
        buf = utf8;
        len = n;
    } else if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
        buf += 3;  /* a UTF-8 byte-order mark (Windows Notepad writes one): the readers skip it */
        len -= 3;
    }
    const cc_format *best = NULL;
    int best_bid = 0;
    for (const cc_format *const *f = registry; *f; f++) {
        int b = (*f)->bid ? (*f)->bid(buf, len) : 0;
        if (b > best_bid) {
            best_bid = b;
            best = *f;
        }
    }
    return best;
}
