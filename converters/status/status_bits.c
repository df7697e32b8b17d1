/* The Bitstring Status List encoding: GZIP, then multibase base64url ("u", no padding).
 * Decoding is bounded before and during the work: the encoded text's length is checked before
 * anything is allocated, and inflate writes into a buffer that grows only up to
 * CC_STATUS_MAX_BYTES, so a gzip bomb stops there (docs/security.md). */
#include "cc_status.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static char *b64url_encode(const unsigned char *in, size_t n)
{
    char *out = malloc(2 + (n + 2) / 3 * 4), *p = out;
    if (!out)
        return NULL;
    *p++ = 'u';
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)in[i] << 16 | (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0) |
                     (i + 2 < n ? in[i + 2] : 0);
        *p++ = b64url[v >> 18 & 63];
        *p++ = b64url[v >> 12 & 63];
        if (i + 1 < n)
            *p++ = b64url[v >> 6 & 63];
        if (i + 2 < n)
            *p++ = b64url[v & 63];
    }
    *p = '\0';
    return out;
}

static int b64url_value(char c)
{
    const char *p = c ? strchr(b64url, c) : NULL;
    return p ? (int)(p - b64url) : -1;
}

/* Strict: only the base64url alphabet, no padding, no impossible length, zero unused bits. */
static unsigned char *b64url_decode(const char *s, size_t n, size_t *out_len)
{
    if (n % 4 == 1)
        return NULL;
    unsigned char *out = malloc(n / 4 * 3 + 3);
    size_t o = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; out && i < n; i++) {
        int v = b64url_value(s[i]);
        if (v < 0)
            return free(out), NULL;
        acc = (acc << 6 | (unsigned)v) & 0xFFFFFF;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)(acc >> bits);
        }
    }
    if (out && bits && (acc & ((1u << bits) - 1)))
        return free(out), NULL;
    *out_len = o;
    return out;
}

char *cc_status_encode(const uint8_t *bits, size_t nbytes)
{
    z_stream z = {0};
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + 15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    uLong cap = deflateBound(&z, (uLong)nbytes);
    unsigned char *gz = malloc(cap);
    z.next_in = (Bytef *)bits, z.avail_in = (uInt)nbytes;
    z.next_out = gz, z.avail_out = (uInt)cap;
    int rc = gz ? deflate(&z, Z_FINISH) : Z_MEM_ERROR;
    size_t glen = z.total_out;
    deflateEnd(&z);
    char *out = rc == Z_STREAM_END ? b64url_encode(gz, glen) : NULL;
    free(gz);
    return out;
}

/* gzip → at most CC_STATUS_MAX_BYTES, one whole gzip member and nothing after it. */
static int inflate_bounded(const unsigned char *gz, size_t glen, uint8_t **bits, size_t *nbytes,
                           const char **why)
{
    z_stream z = {0};
    if (inflateInit2(&z, 16 + 15) != Z_OK)
        return *why = "no memory", -1;
    size_t cap = 64 << 10;
    uint8_t *out = malloc(cap);
    z.next_in = (Bytef *)gz, z.avail_in = (uInt)glen;
    int rc = out ? Z_OK : Z_MEM_ERROR;
    while (rc == Z_OK) {
        if (z.total_out == cap) {
            if (cap >= CC_STATUS_MAX_BYTES) {
                rc = Z_BUF_ERROR;
                *why = "the list decompresses to more than the largest list accepted";
                break;
            }
            uint8_t *bigger = realloc(out, cap * 2);
            if (!bigger) {
                rc = Z_MEM_ERROR;
                break;
            }
            out = bigger, cap *= 2;
        }
        z.next_out = out + z.total_out, z.avail_out = (uInt)(cap - z.total_out);
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc == Z_BUF_ERROR && z.avail_out && !z.avail_in)
            *why = "the compressed list is cut short";
    }
    if (rc == Z_STREAM_END && z.avail_in)
        rc = Z_DATA_ERROR, *why = "bytes after the compressed list";
    *nbytes = z.total_out;
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
        if (!*why)
            *why = rc == Z_MEM_ERROR ? "no memory" : "not GZIP data";
        return free(out), -1;
    }
    *bits = out;
    return 0;
}

int cc_status_decode(const char *encoded, uint8_t **bits, size_t *nbytes, char *why, size_t cap)
{
    const char *w = NULL;
    size_t n = encoded ? strlen(encoded) : 0, glen = 0;
    unsigned char *gz = NULL;
    *bits = NULL, *nbytes = 0;
    if (!encoded || encoded[0] != 'u')
        w = "encodedList is not multibase base64url (it starts with 'u')";
    else if (n - 1 > CC_STATUS_MAX_ENCODED)
        w = "encodedList is longer than the longest accepted (4 MiB)";
    else if (!(gz = b64url_decode(encoded + 1, n - 1, &glen)))
        w = "encodedList is not base64url without padding";
    else if (inflate_bounded(gz, glen, bits, nbytes, &w) == 0 && *nbytes == 0)
        w = "the list is empty", free(*bits), *bits = NULL;
    free(gz);
    if (w)
        snprintf(why, cap, "%s", w);
    return w ? -1 : 0;
}
