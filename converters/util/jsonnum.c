/* JSON numbers to integers without undefined behaviour (converters/util/cc_jsonnum.h). */
#include "cc_jsonnum.h"

#include <stdio.h>

static int out_of_range(const json_t *v, long long lo, long long hi, char *why, size_t whylen)
{
    if (why && json_is_integer(v))
        snprintf(why, whylen, "%lld is out of range (%lld to %lld)", (long long)json_integer_value(v), lo, hi);
    else if (why)
        snprintf(why, whylen, "%.15g is out of range (%lld to %lld)", json_real_value(v), lo, hi);
    return -1;
}

int cc_json_to_ll(const json_t *v, long long lo, long long hi, bool fraction, long long *out,
                  char *why, size_t whylen)
{
    if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        if (i < lo || i > hi)
            return out_of_range(v, lo, hi, why, whylen);
        *out = (long long)i;
        return 0;
    }
    if (!json_is_real(v)) {
        if (why)
            snprintf(why, whylen, "not a number");
        return -1;
    }
    double d = json_real_value(v);
    /* Compared as doubles, before the cast; NaN fails both comparisons.  lo and hi are
     * meant to be well inside ±2^53, where every integer is a double. */
    if (!(d >= (double)lo && d <= (double)hi))
        return out_of_range(v, lo, hi, why, whylen);
    if (!fraction && (double)(long long)d != d) {  /* the cast is now defined */
        if (why)
            snprintf(why, whylen, "%.17g is not an integer", d);
        return -1;
    }
    *out = (long long)d;
    return 0;
}
