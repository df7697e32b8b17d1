/* Compressed inputs, read as what they hold: data.gouv.fr publishes the RNCP/RS exports as
 * .zip files with the XML inside, and people gzip them.  Detected by magic bytes, whatever
 * the file is called; streamed through libarchive (zip: the member is inflated as it is read,
 * never extracted whole), so memory stays flat on the 570 MB export. */
#include "cc_decompress.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { RAW_CHUNK = 1 << 16 };

struct cc_decoder {
    struct archive *a;
    FILE *fp;                              /* the compressed bytes, after those detection read */
    size_t head_len;                       /* those bytes, copied into raw until first asked for */
    bool head_given;
    unsigned char raw[RAW_CHUNK];
};

cc_compression cc_compression_of(const unsigned char *p, size_t n)
{
    if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
        return CC_GZIP;
    if (n >= 4 && !memcmp(p, "PK\3\4", 4))
        return CC_ZIP;
    return CC_PLAIN;
}

/* libarchive asks for compressed bytes: first those detection read, then the stream. */
static la_ssize_t raw_read(struct archive *a, void *ud, const void **buf)
{
    (void)a;
    cc_decoder *d = ud;
    if (!d->head_given) {
        d->head_given = true;
        if (d->head_len) {
            *buf = d->raw;
            return (la_ssize_t)d->head_len;
        }
    }
    size_t n = fread(d->raw, 1, sizeof d->raw, d->fp);
    *buf = d->raw;
    return ferror(d->fp) ? -1 : (la_ssize_t)n;
}

static bool ends_with_xml(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    return n > 4 && !strcasecmp(name + n - 4, ".xml");
}

static bool wanted(const char *name, const char *member)
{
    if (!member)
        return ends_with_xml(name);
    const char *base = strrchr(name, '/');
    return !strcmp(name, member) || (base && !strcmp(base + 1, member));
}

/* Moves to the member to read: --member NAME, else the first .xml member of a zip (a .gz has
 * one).  0, or -1 with err. */
static int find_member(cc_decoder *d, cc_compression c, const char *member, char *err, size_t cap)
{
    struct archive_entry *e;
    int r;
    while ((r = archive_read_next_header(d->a, &e)) == ARCHIVE_OK) {
        const char *name = archive_entry_pathname(e);
        if (c == CC_GZIP || (archive_entry_filetype(e) == AE_IFREG && wanted(name, member)))
            return 0;
    }
    if (r == ARCHIVE_EOF)
        snprintf(err, cap, member ? "the zip archive has no member named %.200s" :
                 "the zip archive holds no .xml member (name one with --member)%.0s", member ? member : "");
    else
        snprintf(err, cap, "not a readable %s file: %.200s", c == CC_ZIP ? "zip" : "gzip",
                 archive_error_string(d->a) ? archive_error_string(d->a) : "unknown error");
    return -1;
}

cc_decoder *cc_decoder_open(FILE *fp, const unsigned char *head, size_t head_len, cc_compression c,
                            const char *member, char *err, size_t cap)
{
    cc_decoder *d = calloc(1, sizeof *d);
    if (!d || !(d->a = archive_read_new())) {
        snprintf(err, cap, "out of memory");
        free(d);
        return NULL;
    }
    d->fp = fp;
    d->head_len = head_len < sizeof d->raw ? head_len : sizeof d->raw;
    memcpy(d->raw, head, d->head_len);
    if (c == CC_ZIP) {
        archive_read_support_format_zip_streamable(d->a);
    } else {
        archive_read_support_filter_gzip(d->a);
        archive_read_support_format_raw(d->a);
    }
    if (archive_read_open(d->a, d, NULL, raw_read, NULL) != ARCHIVE_OK) {
        snprintf(err, cap, "not a readable %s file: %.200s", c == CC_ZIP ? "zip" : "gzip",
                 archive_error_string(d->a) ? archive_error_string(d->a) : "unknown error");
        cc_decoder_free(d);
        return NULL;
    }
    if (find_member(d, c, member, err, cap) != 0) {
        cc_decoder_free(d);
        return NULL;
    }
    return d;
}

long cc_decoder_read(cc_decoder *d, void *buf, size_t n, char *err, size_t cap)
{
    la_ssize_t got = archive_read_data(d->a, buf, n);
    if (got < 0)
        snprintf(err, cap, "the compressed data is damaged: %.200s",
                 archive_error_string(d->a) ? archive_error_string(d->a) : "unknown error");
    return (long)got;
}

void cc_decoder_free(cc_decoder *d)
{
    if (!d)
        return;
    archive_read_free(d->a);
    free(d);
}
