/* Compact JWS (RFC 7515) as Open Badges uses it: header.payload.signature, base64url.
 * Decoding only; signature checking is a later issue.  Internal to credconv. */
#ifndef CC_JWS_H
#define CC_JWS_H

#include <stdbool.h>
#include <stddef.h>

/* True when s (after surrounding white space) has the compact JWS shape: three base64url
 * parts separated by dots, the first non-empty. */
bool cc_jws_shape(const char *s, size_t len);
/* base64url (padding tolerated) → malloc'd, NUL-terminated bytes; NULL on a bad digit. */
unsigned char *cc_base64url_decode(const char *s, size_t len, size_t *out_len);
/* The decoded payload (part 2) of a compact JWS; NULL when s is not one. */
char *cc_jws_payload(const char *s, size_t len, size_t *out_len);

#endif
