/* The format registry: one line per format.  Capabilities are data, printed by
 * `credconv formats`. */
#include "credconv.h"

#include <string.h>

extern const cc_format cc_format_rncp;
extern const cc_format cc_format_model;
extern const cc_format cc_format_ob2;
extern const cc_format cc_format_baked;
extern const cc_format cc_format_edc;
extern const cc_format cc_format_ob3;

static const cc_format *const registry[] = {
    &cc_format_rncp,
    &cc_format_edc,
    &cc_format_ob3,
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

const cc_format *cc_format_detect(const unsigned char *buf, size_t len)
{
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
