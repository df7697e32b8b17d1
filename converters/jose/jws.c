#include "cc_jose.h"
#include "cc_jws.h"

#include <stdlib.h>
#include <string.h>

#define B64URL "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_="

/* Padding is tolerated here (some OB 2.0 issuers pad); the strict decoder does the rest. */
unsigned char *cc_base64url_decode(const char *s, size_t len, size_t *out_len)
{
    while (len && s[len - 1] == '=')
        len--;
    size_t n;
    unsigned char *out = cc_b64u_decode(s, len, &n);
    if (out && out_len)
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
        else if (!strchr(B64URL, s[i]) || s[i] == '\0')
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
