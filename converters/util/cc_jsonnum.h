/* JSON numbers turned into integers, range-checked before any cast (issue 11.4): converting
 * a double outside the target type's range is undefined behaviour in C (clang's UBSan
 * float-cast-overflow catches -1e300 -> long long), so the range is checked on the double
 * first.  Internal to credconv. */
#ifndef CC_JSONNUM_H
#define CC_JSONNUM_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The whole seconds of a NumericDate (RFC 7519 §2) or of any timestamp: years 1 to 9999. */
#define CC_EPOCH_MIN (-62135596800LL)  /* 0001-01-01T00:00:00Z */
#define CC_EPOCH_MAX 253402300799LL    /* 9999-12-31T23:59:59Z */

/* v as an integer in [lo, hi]: an integer, or a real (truncated toward zero when fraction,
 * else it must be integral).  0 with *out; -1 when v is not a number or out of range, with
 * why (when not NULL) saying which, the value as written included. */
int cc_json_to_ll(const json_t *v, long long lo, long long hi, bool fraction, long long *out,
                  char *why, size_t whylen);

#endif
