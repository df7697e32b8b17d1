#include "cc_jws.h"

#include <stdlib.h>
#include <string.h>

static int b64url_digit(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
}

unsigned char *cc_base64url_decode(const char *s, size_t len, size_t *out_len)
{
    while (len && s[len - 1] == '=')
        len--;
    unsigned char *out = malloc(len * 3 / 4 + 2);
    if (!out)
        return NULL;
    size_t n = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len; i++) {
        int d = b64url_digit((unsigned char)s[i]);
        if (d < 0) {
            free(out);
            return NULL;
        }
        acc = (acc << 6) | (unsigned)d;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (unsigned char)(acc >> bits);
        }
    }
    out[n] = '\0';
    if (out_len)
        *out_len = n;
    return out;
}

/* strchr would also find the terminating NUL: a NUL byte is not white space. */
static bool space(char c) { return c && strchr(" \t\r\n", c); }

static void trim(const char **s, size_t *len)
{
    while (*len && space(**s))
        (*s)++, (*len)--;
    while (*len && space((*s)[*len - 1]))
        (*len)--;
}

bool cc_jws_shape(const char *s, size_t len)
{
    trim(&s, &len);
    int dots = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.')
            dots++;
        else if (b64url_digit((unsigned char)s[i]) < 0 && s[i] != '=')
            return false;
    }
    return dots == 2 && len > 0 && s[0] != '.';
}

char *cc_jws_payload(const char *s, size_t len, size_t *out_len)
{
    trim(&s, &len);
    if (!cc_jws_shape(s, len))
        return NULL;
    const char *p = memchr(s, '.', len);
    const char *q = memchr(p + 1, '.', len - (size_t)(p + 1 - s));
    return (char *)cc_base64url_decode(p + 1, (size_t)(q - p - 1), out_len);
}
